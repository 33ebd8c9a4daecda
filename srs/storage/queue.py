"""Today's queue and the cards in it: what a session brings, in which order, and what each card
shows; today's counts; the cards of one node.

Written against the Core tables of `srs.storage.tables`, with the rules of `srs.storage.scope`.
Every function takes `conn`, a Core `Connection`, and leaves the transaction to its caller.
Rows come back as SQLAlchemy `Row`s whose attributes are the columns; where a function takes a
deck or a node, any object with the columns as attributes will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Row, case, func, literal, select

from srs.core.cards import CardContent, cards_for
from srs.core.graph import ConceptGraph, name_list
from srs.core.mastery import CardState, card_state
from srs.core.options import DeckOptions
from srs.core.queue import PLAN, Beyond, siblings_apart
from srs.errors import AmbiguousError, NotFoundError
from srs.storage import layering
from srs.storage.decks import get_node, neighbourhood, neighbourhoods
from srs.storage.learner_notes import node_columns
from srs.storage.options import options_of
from srs.storage.pairs import pair_content
from srs.storage.scope import cards_of, cards_today, done_today, due_by, is_new, repeat_today
from srs.storage.tables import cards, nodes

# -- the queue --------------------------------------------------------------------------------


def study_queue(conn, deck, today: date, branch=None, new_cards: bool = True, beyond: Beyond = PLAN) -> list[int]:
    """The card ids of today's session on the deck or a branch, in the order they should come.

    First the drills left over from earlier today, then due cards (most overdue first, within
    the daily review limit), then new cards parents-first (within the daily new-card limit).
    Suspended cards, and cards buried today, are left out. `beyond` widens it: cards due within
    its days ahead count as due, and it may bring extra new cards; a cram is `cram_queue`.
    """
    follows = options_of(conn, deck.id)
    if beyond.cram:
        return _spaced(conn, cram_queue(conn, deck, branch), follows)
    live = cards_today(deck, today, branch)
    reviewed, introduced, _ = done_today(conn, deck, today)
    drills = conn.scalars(select(cards.c.id).where(*live, repeat_today(today)).order_by(cards.c.rank)).all()
    checks = layering.pending_checks(conn, deck, today, branch) if follows.parent_checks else []
    due = conn.scalars(
        select(cards.c.id)
        .where(*live, due_by(beyond.due_by(today)))
        .order_by(cards.c.due, cards.c.rank)
        .limit(beyond.reviews_left(deck.reviews_per_day, reviewed))
    ).all()
    new: list[int] = []
    if beyond.takes_new(new_cards):
        new_left = beyond.new_left(deck.new_per_day, introduced)
        if follows.unlock_after_days:
            new = layering.introducible(conn, deck, today, branch, new_left, follows.unlock_after_days)
        else:
            new = list(conn.scalars(select(cards.c.id).where(*live, is_new()).order_by(cards.c.rank).limit(new_left)))
    return _spaced(conn, list(dict.fromkeys([*drills, *checks, *due, *new])), follows)


def _spaced(conn, card_ids: list[int], follows: DeckOptions) -> list[int]:
    """The session's cards with siblings kept apart, where the deck says so (`sibling_spacing`)."""
    if not follows.sibling_spacing or len(card_ids) < 3:
        return card_ids
    family, node = layering.families(conn, card_ids)
    return siblings_apart(card_ids, family, node)


def cram_queue(conn, deck, branch=None) -> list[int]:
    """Every live card of the deck or branch, due or not, in the order new cards are taught
    (parents first): a cram's session."""
    return list(conn.scalars(select(cards.c.id).where(*cards_of(deck, branch)).order_by(cards.c.rank)))


def live_cards(conn, deck, branch=None) -> int:
    """How many live cards the deck or branch has: what a cram goes through."""
    return conn.scalar(select(func.count()).where(*cards_of(deck, branch)))


def due_within(conn, deck, today: date, days: int, branch=None) -> int:
    """Cards seen before of the deck or branch that fall due after today and within `days` days:
    what a session `days` ahead adds to today's."""
    return conn.scalar(
        select(func.count()).where(
            *cards_today(deck, today, branch),
            cards.c.reviews > 0,
            cards.c.due > today,
            cards.c.due <= today + timedelta(days),
        )
    )


@dataclass(frozen=True)
class DayCounts:
    """A deck's day: what is waiting and what is done."""

    due: int
    """Cards due today or overdue (within the daily review limit), drills included."""
    new: int
    """New cards available today (within the daily new-card limit)."""
    reviewed: int
    """First answers given today to cards seen before."""
    introduced: int
    """New cards answered for the first time today."""
    drills: int
    """Same-day repeats answered today."""
    due_total: int
    """Cards due today or overdue, before the limit."""
    new_total: int
    """New cards in reach, before the limit (under progressive layering, those of the frontier,
    counted up to `COUNTED_BEYOND_LIMIT` past the limit)."""


def day_counts(conn, deck, today: date, branch=None) -> DayCounts:
    """Today's due, new and done counts for the deck or one branch of it (suspended cards, and
    cards buried today, not counted)."""
    reviewed, introduced, drills = done_today(conn, deck, today)
    due_total, new_total, drill_total = conn.execute(
        select(
            func.count().filter(due_by(today)),
            func.count().filter(is_new()),
            func.count().filter(repeat_today(today)),
        ).where(*cards_today(deck, today, branch))
    ).one()
    due = min(due_total, max(0, deck.reviews_per_day - reviewed)) + drill_total
    days = options_of(conn, deck.id).unlock_after_days
    if days:  # under progressive layering, the new cards of locked nodes are out of reach
        reach = max(0, deck.new_per_day - introduced) + COUNTED_BEYOND_LIMIT
        new_total = len(layering.introducible(conn, deck, today, branch, min(new_total, reach), days))
    new = min(new_total, max(0, deck.new_per_day - introduced))
    return DayCounts(due, new, reviewed, introduced, drills, due_total + drill_total, new_total)


COUNTED_BEYOND_LIMIT = 100
"""Under progressive layering, how many new cards past the daily limit `day_counts` counts in
`new_total` at most: what a session beyond the plan may offer, without reading a whole frontier."""


def next_days(conn, card_ids: list[int], today: date) -> dict[int, date | None]:
    """The day each card is asked next: today for one answered below 4 today (it comes back
    the same day until it is answered 4 or 5), else its due day (None for a new card)."""
    asked = case((repeat_today(today), literal(today, Date)), else_=cards.c.due)
    return dict(conn.execute(select(cards.c.id, asked).where(cards.c.id.in_(card_ids))).all())


# -- cards ------------------------------------------------------------------------------------


def state_of(card: Any) -> CardState:
    """Where a card (a row) stands: new, learning, young, mature or retired."""
    return card_state(card.reviews, card.interval, card.retired)


def get_card(conn, card_id: int, lock: bool = False) -> Row:
    """The card's row; with `lock`, locked until the transaction ends, so that answers to one
    card take turns (PostgreSQL's `FOR UPDATE`; SQLite's write transactions already do)."""
    query = select(cards).where(cards.c.id == card_id)
    card = conn.execute(query.with_for_update() if lock else query).first()
    if card is None:
        raise NotFoundError("that card is no longer in the deck")
    return card


def cards_with_nodes(conn, card_ids: list[int]) -> list[tuple[Row, Row]]:
    """The cards `card_ids` with their nodes as the cards' learner sees them, in the order given,
    in two queries however many they are (a learner's cards): (card, node) rows, a card gone from
    the database left out."""
    found = {c.id: c for c in conn.execute(select(cards).where(cards.c.id.in_(card_ids)))}
    by_learner: dict[int, set[int]] = {}
    for card in found.values():
        by_learner.setdefault(card.learner_id, set()).add(card.node_id)
    nodes_of = {
        (learner, n.id): n
        for learner, node_ids in by_learner.items()
        for n in conn.execute(select(*node_columns(learner)).where(nodes.c.id.in_(node_ids)))
    }
    return [(found[i], nodes_of[found[i].learner_id, found[i].node_id]) for i in card_ids if i in found]


def node_cards(conn, node, include_retired: bool = False) -> list[Row]:
    """The node's own cards (not those about a pair of nodes, `pairs.pair_cards`), in the order
    a session takes them; retired ones with `include_retired`."""
    where = [cards.c.node_id == node.id, cards.c.learner_id == node.learner_id, cards.c.partner_id.is_(None)]
    if not include_retired:
        where.append(cards.c.retired.is_(False))
    return list(conn.execute(select(cards).where(*where).order_by(cards.c.rank)))


DEFAULT_KINDS = ("definition", "placement")
"""The card an answer to a node goes to when no kind is named: a node has one or the other."""


def card_of(conn, node, kind: str | None = None) -> Row:
    """The node's live card of `kind`; without a kind, its definition (or placement) card."""
    found = {c.kind: c for c in node_cards(conn, node)}
    kinds = name_list(sorted(found))
    if kind is not None:
        if kind not in found:
            has = f"its cards: {kinds}" if found else "it has no cards"
            raise NotFoundError(f"{node.label!r} has no {kind} card; {has}")
        return found[kind]
    for default in DEFAULT_KINDS:
        if default in found:
            return found[default]
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise NotFoundError(f"{node.label!r} has no cards")
    raise AmbiguousError(f"{node.label!r} has several cards, choose one with --kind: {kinds}")


# -- what a card shows ------------------------------------------------------------------------


def card_content(conn, card, node=None) -> CardContent:
    """What `card` shows, built from its node's neighbourhood as the graph stands now. `node` is
    the card's node, when the caller has it already."""
    if card.partner_id is not None:
        return pair_content(conn, card)
    node = node if node is not None else get_node(conn, card.node_id, card.learner_id)
    return content_in(card, node, neighbourhood(conn, node))


def card_contents(conn, shown: list[tuple[Any, Any]]) -> list[CardContent]:
    """`card_content` of each (card, its node) of `shown`, in a fixed number of queries however
    many cards there are."""
    around = neighbourhoods(conn, [node for card, node in shown if card.partner_id is None])
    return [
        pair_content(conn, card) if card.partner_id is not None else content_in(card, node, around[node.id])
        for card, node in shown
    ]


def content_in(card, node, around: ConceptGraph) -> CardContent:
    """What `card` of `node` shows, built from the node's neighbourhood `around` (`decks.neighbourhood`)."""
    for spec in cards_for(around, node.key):
        if spec.kind.value == card.kind:
            return spec.content
    # A retired card's node may no longer qualify for its kind: show it as it would have been.
    return CardContent(kind=card.kind, term=node.label, question=f"What is {node.label}?", definition=node.definition)

"""What the graph-aware rules of `srs.core.queue` are fed: each node's parents' definition cards
(progressive layering, the frontier), the parents a lapse checks, and each card's siblings.

The rules themselves are the core's; these queries only gather what they look at. Core
statements on `srs.storage.tables`; every function takes `conn` and leaves the transaction to
its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, and_, func, or_, select

from srs.core import events
from srs.core.answer import CARD_FIELDS, Schedule
from srs.core.queue import CheckCandidate, LayerNode, ParentCard, needs_check, waits_for
from srs.core.sm2 import PASSING
from srs.storage.scope import HIERARCHY, cards_of, cards_today, is_new
from srs.storage.tables import cards, edges, nodes, reviews

DEFINITION_KINDS = ("definition", "placement")
"""A node's definition card, as layering and checks mean it: its definition card, or its
placement card when it has no definition (a node has one or the other)."""


def _definition_card(learner: int):
    """The learner's definition (or placement) cards, as a table to join a node to: (the alias,
    the condition on it that goes with the node's id in the join's ON clause). An alias joined on
    its own index, not a subquery, which SQLite would read whole for each statement."""
    card = cards.alias("definition_card")
    return card, and_(card.c.learner_id == learner, card.c.kind.in_(DEFINITION_KINDS), card.c.partner_id.is_(None))


def _live(card):
    return and_(card.c.suspended.is_(False), card.c.retired.is_(False))


def _parents_query(children, learner: int):
    """(child, parent id, rank, retired, its definition card's kind, live, reviews, interval,
    due) for the hierarchy parents of `children` (a select of node ids, or a list), the cards
    the learner's."""
    parent = nodes.alias("parent")
    card, is_definition = _definition_card(learner)
    return (
        select(
            edges.c.child_id,
            parent.c.id,
            parent.c.rank,
            parent.c.retired,
            card.c.kind,
            _live(card),
            card.c.reviews,
            card.c.interval,
            card.c.due,
        )
        .join(parent, parent.c.id == edges.c.parent_id)
        .outerjoin(card, and_(card.c.node_id == parent.c.id, is_definition))
        .where(edges.c.kind == HIERARCHY, edges.c.child_id.in_(children))
        .order_by(edges.c.child_id, edges.c.id, card.c.kind)  # "definition" before "placement"
    )


def _gather_parents(rows) -> dict[int, list[ParentCard]]:
    out: dict[int, list[ParentCard]] = {}
    for child, pid, rank, retired, kind, live, reviews_, interval, due in rows:
        found = out.setdefault(child, [])
        if any(p.node == pid for p in found):
            continue
        is_live = bool(live) and not retired and kind is not None
        found.append(ParentCard(pid, rank, is_live, reviews_ or 0, interval or 0, due))
    return out


def parents_of(conn, node_ids: Iterable[int] | Select, learner: int) -> dict[int, list[ParentCard]]:
    """Each node's hierarchy parents as layering sees them for the learner (`ParentCard`): a
    retired parent, or one without a live definition card, is not live. Node ids are given as a
    select or a list (of at most `FAMILIES_PER_READ`: a statement holds so many values)."""
    return _gather_parents(conn.execute(_parents_query(node_ids, learner)))


def _may_be_unlocked(unlock_after_days: int):
    """The condition that a card's node may be unlocked at all: it has no parent, or a parent
    that cannot hold it back (its definition card is at the unlock interval, suspended or
    retired) or has no definition card (a root without a definition). A superset of the
    unlocked nodes (`srs.core.queue.holds_back` decides), checked card by card with a few
    index lookups as the new cards are read in order, so that a session's first cards never
    cost a read of everything learned (bench_tui's deck, 83k nodes: 0.2 s for 20 new cards)."""
    parent_card = cards.alias("parent_card")
    definition = (
        parent_card.c.node_id == edges.c.parent_id,
        parent_card.c.learner_id == cards.c.learner_id,
        parent_card.c.kind.in_(DEFINITION_KINDS),
        parent_card.c.partner_id.is_(None),
    )
    settled = (
        select(parent_card.c.id)
        .where(
            *definition,
            or_(
                parent_card.c.retired.is_(True),
                parent_card.c.suspended.is_(True),
                and_(parent_card.c.reviews > 0, parent_card.c.interval >= unlock_after_days),
            ),
        )
        .exists()
    )
    without_card = ~select(parent_card.c.id).where(*definition).exists()
    below = (edges.c.child_id == cards.c.node_id, edges.c.kind == HIERARCHY)
    return or_(
        ~select(edges.c.id).where(*below).exists(),
        select(edges.c.id).where(*below, or_(settled, without_card)).exists(),
    )


def introducible(conn, deck, today: date, branch, limit: int | None, unlock_after_days: int) -> list[int]:
    """The first `limit` (None: all) new cards of today's session on the deck or branch, in
    parents-first order, leaving out those of nodes a parent holds back (`waits_for`). Read in
    batches in that order until `limit` is met: the first batch mostly does (bench_tui's deck,
    83k nodes: 0.6 s for the day's 20 new cards, read whole)."""
    out: list[int] = []
    after = -1
    batch = BATCH if limit is None else max(limit * 2, 50)
    while limit is None or len(out) < limit:
        picked = (
            select(cards.c.id, cards.c.node_id, cards.c.rank)
            .where(
                *cards_today(deck, today, branch),
                is_new(),
                cards.c.rank > after,
                _may_be_unlocked(unlock_after_days),
            )
            .order_by(cards.c.rank)
            .limit(batch)
        )
        found = conn.execute(picked).all()
        if not found:
            break
        ranks = dict(
            conn.execute(select(nodes.c.id, nodes.c.rank).where(nodes.c.id.in_({n for _c, n, _r in found}))).all()
        )
        parents = parents_of(conn, list(ranks), deck.learner_id)
        for card_id, node_id, _rank in found:
            if not waits_for(parents.get(node_id, ()), ranks[node_id], unlock_after_days):
                out.append(card_id)
                if len(out) == limit:
                    break
        after = found[-1].rank
        batch = min(batch * 4, BATCH)
    return out


BATCH = FAMILIES_PER_READ = 1000
"""New cards `introducible` reads in one statement at most, and the cards or nodes a statement
names by id (SQLite takes 32766 values to one)."""


def layer_nodes(conn, deck, branch=None, node_ids: list[int] | None = None) -> tuple[list[LayerNode], dict[int, str]]:
    """The live nodes of the deck or branch (or those of `node_ids`, at most `BATCH`) as the
    frontier sees them, and their labels (the parents' too)."""
    card, is_definition = _definition_card(deck.learner_id)
    if node_ids is None:
        in_scope: Select | list[int] = select(cards.c.node_id).where(*cards_of(deck, branch, suspended=True))
    else:
        in_scope = node_ids
    with_new = set(
        conn.scalars(
            select(cards.c.node_id).where(
                *cards_of(deck), is_new(), cards.c.partner_id.is_(None), cards.c.node_id.in_(in_scope)
            )
        )
    )
    rows = conn.execute(
        select(nodes.c.id, nodes.c.label, nodes.c.rank, card.c.kind, _live(card), card.c.reviews, card.c.interval)
        .add_columns(card.c.due)
        .outerjoin(card, and_(card.c.node_id == nodes.c.id, is_definition))
        .where(nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), nodes.c.id.in_(in_scope))
        .order_by(nodes.c.rank, card.c.kind)
    ).all()
    parents = parents_of(conn, in_scope, deck.learner_id)
    labels: dict[int, str] = {}
    out: dict[int, LayerNode] = {}
    for nid, label, rank, kind, live, reviews_, interval, due in rows:
        labels[nid] = label
        if nid in out:
            continue
        own = ParentCard(nid, rank, bool(live) and kind is not None, reviews_ or 0, interval or 0, due)
        out[nid] = LayerNode(nid, rank, tuple(parents.get(nid, ())), own, nid in with_new)
    missing = list({p.node for node in out.values() for p in node.parents} - set(labels))
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        labels.update(conn.execute(select(nodes.c.id, nodes.c.label).where(nodes.c.id.in_(batch))).all())
    return list(out.values()), labels


# -- parent checks --------------------------------------------------------------------------------


def _lapsed_today(deck_id: int, learner: int, today: date):
    """The nodes with a card of the learner's that lapsed today (a review graded below 3: drills
    do not lapse)."""
    return (
        select(cards.c.node_id)
        .distinct()
        .join(reviews, reviews.c.card_id == cards.c.id)
        .where(
            reviews.c.deck_id == deck_id,
            reviews.c.learner_id == learner,
            reviews.c.day == today,
            reviews.c.drill.is_(False),
            reviews.c.grade < PASSING,
            reviews.c.kind.in_(events.ANSWERS),
            cards.c.partner_id.is_(None),  # a pair card's lapse is not its node's
        )
    )


def _check_cards(conn, children, today: date, learner: int, where=()) -> list[int]:
    """The learner's definition cards of the parents of `children` (a select of node ids) that a lapse
    brings into today's queue (`srs.core.queue.needs_check`), in parents-first order. The
    children are read first: a day has few lapses, and then the cards are looked up by them."""
    lapsed = list(conn.scalars(children))
    if not lapsed:
        return []
    parents = select(edges.c.parent_id).where(edges.c.kind == HIERARCHY, edges.c.child_id.in_(lapsed[:BATCH]))
    rows = conn.execute(
        select(cards.c.id, cards.c.rank, cards.c.suspended, cards.c.retired, cards.c.buried_on)
        .add_columns(cards.c.reviews, cards.c.interval, cards.c.due, cards.c.last_day)
        .where(
            cards.c.node_id.in_(parents),
            cards.c.learner_id == learner,
            cards.c.kind.in_(DEFINITION_KINDS),
            cards.c.partner_id.is_(None),
            *where,
        )
        .order_by(cards.c.rank)
    ).all()
    return [
        row.id
        for row in rows
        if needs_check(
            CheckCandidate(
                not row.suspended and not row.retired and row.buried_on != today,
                row.reviews,
                row.interval,
                row.due,
                row.last_day,
            ),
            today,
        )
    ]


def pending_checks(conn, deck, today: date, branch=None) -> list[int]:
    """The checks in today's queue of the deck or branch: the parents' definition cards that
    a lapse today brought in and that are not answered yet."""
    learner = deck.learner_id
    return _check_cards(conn, _lapsed_today(deck.id, learner, today), today, learner, cards_today(deck, today, branch))


def is_pending_check(conn, card, today: date) -> bool:
    """Whether an answer to the card (a row) now answers a check."""
    learner = card.learner_id
    return bool(
        _check_cards(conn, _lapsed_today(card.deck_id, learner, today), today, learner, (cards.c.id == card.id,))
    )


def checks_after_lapse(conn, node_id: int, today: date, learner: int) -> list[int]:
    """The checks a lapse of a card of the learner's of the node brings in (its parents'
    definition cards)."""
    return _check_cards(conn, select(nodes.c.id).where(nodes.c.id == node_id), today, learner)


# -- siblings -----------------------------------------------------------------------------------


def families(conn, card_ids: list[int]) -> tuple[dict[int, int | None], dict[int, int]]:
    """Each card's family, its node's first parent (the node's first hierarchy edge; None for a
    root), so that two cards of one family are cards of sibling nodes or of one node; and each
    card's node."""
    other = edges.alias("other")
    first_edge = (
        select(func.min(other.c.id))
        .where(other.c.child_id == cards.c.node_id, other.c.kind == HIERARCHY)
        .scalar_subquery()
    )
    family: dict[int, int | None] = {}
    node: dict[int, int] = {}
    for start in range(0, len(card_ids), FAMILIES_PER_READ):
        batch = card_ids[start : start + FAMILIES_PER_READ]
        for card_id, node_id, parent in conn.execute(
            select(cards.c.id, cards.c.node_id, edges.c.parent_id)
            .select_from(cards)
            .outerjoin(edges, edges.c.id == first_edge)
            .where(cards.c.id.in_(batch))
        ):
            family[card_id] = parent
            node[card_id] = node_id
    return family, node


def node_keys(conn, node_ids: set[int]) -> dict[int, str]:
    """Each node's id in its map file."""
    out: dict[int, str] = {}
    ids = list(node_ids)
    for start in range(0, len(ids), FAMILIES_PER_READ):
        batch = ids[start : start + FAMILIES_PER_READ]
        out.update(conn.execute(select(nodes.c.id, nodes.c.key).where(nodes.c.id.in_(batch))).all())
    return out


def definition_schedules(conn, node_ids: set[int], learner: int) -> dict[int, Schedule]:
    """The schedule of the learner's definition (or placement) card of each node."""
    out: dict[int, Schedule] = {}
    ids = list(node_ids)
    for start in range(0, len(ids), FAMILIES_PER_READ):
        batch = ids[start : start + FAMILIES_PER_READ]
        for card in conn.execute(
            select(cards)
            .where(
                cards.c.node_id.in_(batch),
                cards.c.learner_id == learner,
                cards.c.kind.in_(DEFINITION_KINDS),
                cards.c.partner_id.is_(None),
            )
            .order_by(cards.c.kind.desc())  # "definition" last: it wins over "placement"
        ):
            out[card.node_id] = Schedule(**{name: getattr(card, name) for name in CARD_FIELDS})
    return out

"""Cards about a pair of nodes (`srs.core.pairs`): making a contrast card after an answer,
keeping every pair card in line with the graph and the deck's options, and what each shows.

A pair card is retired (its history kept) while either of its nodes is retired, while its
option is off, and, for a relation card, while its link is gone from the graph; it comes back,
with its history, when all of that holds again. The rules of which pairs get a card are the
core's. Core statements on `srs.storage.tables`; every function takes `conn` and leaves the
transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import bindparam, func, insert, select, update

from srs.core import events
from srs.core.answer import AnswerLog
from srs.core.cards import CardContent, mask
from srs.core.pairs import (
    CONTRAST,
    PAIR_KINDS,
    RELATION,
    UNLABELLED_LINKS,
    Lapse,
    Pair,
    Side,
    confusion,
    contrast_content,
    contrasts_after,
    relation_content,
)
from srs.core.sm2 import PASSING
from srs.storage.decks import node_paths
from srs.storage.options import options_of
from srs.storage.scope import HIERARCHY, cards_of
from srs.storage.tables import cards, edges, learners, nodes, reviews

CONTRAST_RANK = -1
"""A contrast card's place in the order new cards are introduced: before every other, so it is
the next new card a session brings (within the day's new-card limit), while the confusion is fresh."""


def parents_of(conn, node_ids: Collection[int]) -> dict[int, list[int]]:
    """The hierarchy parents of each of the nodes, by node id."""
    out: dict[int, list[int]] = {node_id: [] for node_id in node_ids}
    for child, parent in conn.execute(
        select(edges.c.child_id, edges.c.parent_id).where(edges.c.kind == HIERARCHY, edges.c.child_id.in_(node_ids))
    ):
        out[child].append(parent)
    return out


def lapses_on(conn, deck_id: int, learner: int, day: date) -> list[Lapse]:
    """The learner's lapses of the deck on their `day`: its nodes' own cards, seen on an earlier
    day, whose first answer that day (a review or a check) was below 3."""
    rows = conn.execute(
        select(cards.c.node_id)
        .join(reviews, reviews.c.card_id == cards.c.id)
        .where(
            reviews.c.deck_id == deck_id,
            reviews.c.learner_id == learner,
            reviews.c.day == day,
            reviews.c.drill.is_(False),
            reviews.c.interval_before > 0,  # not a new card's first answer
            reviews.c.grade < PASSING,
            reviews.c.kind.in_((events.ANSWER, events.CHECK)),
            cards.c.partner_id.is_(None),
        )
        .distinct()
    )
    return [Lapse(node_id, day) for (node_id,) in rows]


def contrast_pairs(conn, deck_id: int, learner: int) -> dict[Pair, int]:
    """The learner's contrast cards of the deck, retired ones included, by pair: their card ids."""
    return {
        (node_id, partner_id): card_id
        for card_id, node_id, partner_id in conn.execute(
            select(cards.c.id, cards.c.node_id, cards.c.partner_id).where(
                cards.c.deck_id == deck_id, cards.c.learner_id == learner, cards.c.kind == CONTRAST
            )
        )
    }


def _add(conn, deck_id: int, learner: int, kind: str, pairs: Iterable[tuple[int, int, int]]) -> list[int]:
    """Insert new pair cards (node, partner, rank) of `kind` for the learner; their ids."""
    return [
        conn.execute(
            insert(cards).values(
                deck_id=deck_id, learner_id=learner, node_id=node, partner_id=partner, kind=kind, rank=rank
            )
        ).inserted_primary_key[0]
        for node, partner, rank in pairs
    ]


def contrasts_after_lapse(conn, card, entry: AnswerLog, today: date) -> list[int]:
    """The contrast cards the answer `entry` to `card` makes, where its deck's `contrast_cards`
    says so: a lapse of one of a node's own cards (`Lapse`) with a sibling that lapsed today too.
    The new cards' ids (none when the pair has its card already)."""
    lapsed = not entry.drill and not entry.first_review and entry.grade < PASSING
    if not lapsed or card.partner_id is not None or not options_of(conn, card.deck_id).contrast_cards:
        return []
    lapses = lapses_on(conn, card.deck_id, card.learner_id, today)
    parents = parents_of(conn, {lapse.node for lapse in lapses} | {card.node_id})
    have = contrast_pairs(conn, card.deck_id, card.learner_id)
    pairs = contrasts_after(Lapse(card.node_id, today), lapses, parents, today, have)
    live = _live_nodes(conn, {node for pair in pairs for node in pair})
    made = ((a, b, CONTRAST_RANK) for a, b in pairs if a in live and b in live)
    return _add(conn, card.deck_id, card.learner_id, CONTRAST, made)


def confused_with(conn, node, other) -> tuple[int, bool]:
    """The contrast card of `node` and the sibling `other` the learner says it was confused
    with: (its id, whether this made it). A `NotSiblingsError` when they are not siblings; an
    existing card is left as it is."""
    parents = parents_of(conn, [node.id, other.id])
    pair = confusion(node.id, other.id, parents, {node.id: node.label, other.id: other.label})
    have = contrast_pairs(conn, node.deck_id, node.learner_id)
    if pair in have:
        return have[pair], False
    return _add(conn, node.deck_id, node.learner_id, CONTRAST, [(*pair, CONTRAST_RANK)])[0], True


def _live_nodes(conn, node_ids: Collection[int]) -> set[int]:
    return set(conn.scalars(select(nodes.c.id).where(nodes.c.id.in_(node_ids), nodes.c.retired.is_(False))))


def sync_pairs(conn, deck_id: int) -> None:
    """Bring every learner's pair cards of the deck in line with its graph and options: relation
    cards for its labelled links while `relation_cards` is on (made where missing), each pair
    card retired where its option is off, a node of it is retired or its link is gone, and back
    otherwise."""
    for learner in conn.scalars(select(learners.c.id).order_by(learners.c.id)).all():
        _sync_learners_pairs(conn, deck_id, learner)


def _sync_learners_pairs(conn, deck_id: int, learner: int) -> None:
    follows = options_of(conn, deck_id)
    retired_node = select(nodes.c.id).where(nodes.c.deck_id == deck_id, nodes.c.retired.is_(True))
    links = {
        (source, target): kind
        for source, target, kind in conn.execute(
            select(edges.c.parent_id, edges.c.child_id, edges.c.kind).where(
                edges.c.deck_id == deck_id, edges.c.kind.not_in(UNLABELLED_LINKS)
            )
        )
    }
    stored = {
        (kind, node, partner): (card_id, retired)
        for card_id, kind, node, partner, retired in conn.execute(
            select(cards.c.id, cards.c.kind, cards.c.node_id, cards.c.partner_id, cards.c.retired).where(
                cards.c.deck_id == deck_id, cards.c.learner_id == learner, cards.c.kind.in_(PAIR_KINDS)
            )
        )
    }
    gone = set(conn.scalars(retired_node))
    if follows.relation_cards:
        missing = [pair for pair in links if (RELATION, *pair) not in stored and not gone & set(pair)]
        ranks = dict(conn.execute(select(nodes.c.id, nodes.c.rank).where(nodes.c.deck_id == deck_id)).all())
        # After the later of its two nodes' own cards (a node's cards are ranked rank * 2 + kind).
        _add(conn, deck_id, learner, RELATION, ((a, b, max(ranks[a], ranks[b]) * 2 + 1) for a, b in missing))
    wanted = {CONTRAST: follows.contrast_cards, RELATION: follows.relation_cards}
    changes = []
    for (kind, node, partner), (card_id, retired) in stored.items():
        linked = kind == CONTRAST or (node, partner) in links
        live = wanted[kind] and node not in gone and partner not in gone and linked
        if live == retired:
            changes.append({"b_id": card_id, "b_retired": not live})
    if changes:
        retire = update(cards).where(cards.c.id == bindparam("b_id")).values(retired=bindparam("b_retired"))
        conn.execute(retire, changes)


def pair_cards(conn, node, include_retired: bool = False) -> list:
    """The pair cards one node is in (as the card's node or its partner), in the order a session
    takes them: card rows with `other_label`, the other node's label."""
    other = nodes.alias("other")
    where = [
        cards.c.learner_id == node.learner_id,
        cards.c.kind.in_(PAIR_KINDS),
        (cards.c.node_id == node.id) | (cards.c.partner_id == node.id),
    ]
    if not include_retired:
        where.append(cards.c.retired.is_(False))
    other_id = func.coalesce(func.nullif(cards.c.partner_id, node.id), cards.c.node_id)  # the end that is not `node`
    return list(
        conn.execute(
            select(cards, other.c.label.label("other_label"))
            .join(other, other.c.id == other_id)
            .where(*where)
            .order_by(cards.c.rank, cards.c.id)
        )
    )


def pair_content(conn, card) -> CardContent:
    """What a pair card shows, from its two nodes as they stand now; the breadcrumb is the shared
    parent's for a contrast card, the first node's parent's for a relation card."""
    first = conn.execute(select(nodes).where(nodes.c.id == card.node_id)).one()
    second = conn.execute(select(nodes).where(nodes.c.id == card.partner_id)).one()
    x, y = (Side(n.label, n.definition, n.example) for n in (first, second))
    secrets = (first.label, second.label)
    if card.kind == CONTRAST:
        parents = parents_of(conn, [first.id, second.id])
        shared = [p for p in parents[first.id] if p in parents[second.id]] or parents[first.id]
        path = _labels(conn, shared[0] if shared else None)
        return contrast_content(x, y, tuple(mask(label, secrets) for label in path))
    link = conn.scalar(
        select(edges.c.kind)
        .where(edges.c.parent_id == first.id, edges.c.child_id == second.id, edges.c.kind.not_in(UNLABELLED_LINKS))
        .order_by(edges.c.id)
        .limit(1)
    )
    above = parents_of(conn, [first.id])[first.id]
    path = _labels(conn, above[0] if above else None)
    return relation_content(x, y, link or "", tuple(mask(label, secrets) for label in path))


def _labels(conn, node_id: int | None) -> list[str]:
    if node_id is None:
        return []
    return [n.label for n in node_paths(conn, [node_id])[node_id]]


def exported_pairs(conn, deck, branch=None) -> list[tuple[str, str, str, CardContent, bool]]:
    """The live pair cards of the deck (or of those whose node is in `branch` and below),
    suspended ones included, in the order a session takes them: (kind, the node's key, the
    partner's key, what it shows, suspended)."""
    first, second = nodes.alias("first"), nodes.alias("second")
    rows = conn.execute(
        select(cards, first.c.key.label("first_key"), second.c.key.label("second_key"))
        .join(first, first.c.id == cards.c.node_id)
        .join(second, second.c.id == cards.c.partner_id)
        .where(*cards_of(deck, branch, suspended=True), cards.c.kind.in_(PAIR_KINDS))
        .order_by(cards.c.rank, cards.c.id)
    ).all()
    return [(row.kind, row.first_key, row.second_key, pair_content(conn, row), bool(row.suspended)) for row in rows]


def add_pair_card(conn, deck_id: int, learner: int, kind: str, node_id: int, partner_id: int) -> int:
    """Make the pair card of `kind` about `node_id` and `partner_id` that another copy of the
    database has (a sync), ranked as this deck would rank it; then every pair card of the deck
    retired or restored by its graph and options (`sync_pairs`). Its id."""
    if kind == CONTRAST:
        rank = CONTRAST_RANK
    else:
        ranks = dict(conn.execute(select(nodes.c.id, nodes.c.rank).where(nodes.c.id.in_([node_id, partner_id]))).all())
        rank = max(ranks.values()) * 2 + 1
    (card_id,) = _add(conn, deck_id, learner, kind, [(node_id, partner_id, rank)])
    sync_pairs(conn, deck_id)
    return card_id

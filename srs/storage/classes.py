"""A class's figures of a deck: every learner's cards of each node taken together.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from srs.core.classes import ClassNode
from srs.storage.scope import mastery_sql, subtree_ids, whole_deck
from srs.storage.tables import cards, nodes


def class_nodes(conn, deck: Any, branch: Any | None = None) -> list[ClassNode]:
    """Each live node of the deck (or of `branch` and below), in the deck's order, with the
    class's figures on it: every learner with cards of the deck is in the class. A node's mastery
    is the mean over its cards of all the learners: each learner has the same cards of a node,
    so it is the mean of each learner's mastery of it."""
    own = (cards.c.partner_id.is_(None), cards.c.retired.is_(False))
    where = [nodes.c.deck_id == deck.id, nodes.c.retired.is_(False)]
    if not whole_deck(deck, branch):
        where.append(nodes.c.id.in_(subtree_ids(branch)))
    rows = conn.execute(
        select(
            nodes.c.key,
            nodes.c.label,
            func.count(cards.c.learner_id.distinct()),
            func.count(cards.c.learner_id.distinct()).filter(cards.c.reviews > 0),
            func.coalesce(func.avg(mastery_sql()), 0.0),
            func.coalesce(func.sum(cards.c.reviews), 0),
            func.coalesce(func.sum(cards.c.lapses), 0),
        )
        .join(cards, (cards.c.node_id == nodes.c.id) & own[0] & own[1])
        .where(*where)
        .group_by(nodes.c.id, nodes.c.key, nodes.c.label, nodes.c.rank)
        .order_by(nodes.c.rank, nodes.c.id)
    )
    return [
        ClassNode(key, label, int(learners), int(studied), float(mastery), int(reviews), int(lapses))
        for key, label, learners, studied, mastery, reviews, lapses in rows
    ]


def class_size(conn, deck: Any) -> int:
    """How many learners have cards of the deck."""
    return int(conn.scalar(select(func.count(cards.c.learner_id.distinct())).where(cards.c.deck_id == deck.id)))

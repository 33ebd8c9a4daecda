"""Searching a deck's text: the live nodes whose label, definition, example or notes hold every
word of a search (`srs.core.search` ranks them and says where they match).

Core statements on `srs.storage.tables`; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, and_, func, or_, select

from srs.core.search import FIELDS
from srs.storage.learner_notes import own_text
from srs.storage.tables import nodes


def matching_nodes(conn, deck, words: Sequence[str]) -> list[Row]:
    """The deck's live nodes in which each of `words` (lower-cased) occurs in one of the searched
    fields (the notes as the deck's learner sees them), in any case, in the map's order (one
    statement).

    `%` and `_` in a word are the characters themselves, not LIKE's wildcards.
    """
    texts = [own_text(name, deck.learner_id) for name in FIELDS]
    lowered = [func.lower(text) for text in texts]
    every_word = and_(*(or_(*(text.contains(word, autoescape=True) for text in lowered)) for word in words))
    return conn.execute(
        select(nodes.c.id, nodes.c.key, *texts, nodes.c.rank)
        .where(nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), every_word)
        .order_by(nodes.c.rank, nodes.c.id)
    ).all()


def node_texts(conn, node_ids: Sequence[int], learner: int) -> list[Row]:
    """The definition, example and notes of each of the nodes (id first) as `learner` sees them,
    in one statement."""
    if not node_ids:
        return []
    return conn.execute(
        select(nodes.c.id, *(own_text(name, learner) for name in FIELDS[1:])).where(nodes.c.id.in_(node_ids))
    ).all()

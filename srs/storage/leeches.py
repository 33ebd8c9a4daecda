"""Leeches: the cards whose lapses reached the learner's threshold, and what `srs leeches` reads
beside them (the days they lapsed, their parents' definition cards, their siblings' failures).

`is_leech` is `srs.core.leech.is_leech` as a condition (a test holds the two to the same
answers). Core statements on `srs.storage.tables`; every function takes `conn` (a Connection)
and leaves the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, select

from srs.core import sm2
from srs.core.cards import CardKind
from srs.storage.scope import cards_of, learners_answers
from srs.storage.tables import cards, nodes, reviews


def is_leech(threshold: int) -> ColumnElement[bool]:
    """Cards that are leeches: `srs.core.leech.is_leech` as a condition."""
    return cards.c.lapses >= threshold


def leech_cards(conn, deck: Any, threshold: int, branch: Any | None = None) -> list[Row]:
    """The live leeches of the deck (or of `branch` and below), suspended ones included, most
    lapses first, then in the order new cards are introduced: card rows with their node's
    `node_key`, `label` and `definition`."""
    return list(
        conn.execute(
            select(cards, nodes.c.key.label("node_key"), nodes.c.label, nodes.c.definition)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(*cards_of(deck, branch, suspended=True), is_leech(threshold), cards.c.partner_id.is_(None))
            .order_by(cards.c.lapses.desc(), cards.c.rank, cards.c.id)
        )
    )


def lapse_days(conn, card_ids: Collection[int]) -> dict[int, set[date]]:
    """The learner's days each of the cards lapsed on (a review graded below 3)."""
    out: dict[int, set[date]] = {card_id: set() for card_id in card_ids}
    for card_id, day in conn.execute(
        select(reviews.c.card_id, reviews.c.day).where(
            reviews.c.card_id.in_(card_ids),
            reviews.c.drill.is_(False),
            reviews.c.grade < sm2.PASSING,
            learners_answers(),
        )
    ):
        out[card_id].add(day)
    return out


def definition_cards(conn, node_ids: Collection[int], learner: int) -> dict[int, Row]:
    """The learner's live definition card of each of the nodes that has one, by node id."""
    return {
        card.node_id: card
        for card in conn.execute(
            select(cards).where(
                cards.c.node_id.in_(node_ids),
                cards.c.learner_id == learner,
                cards.c.kind == CardKind.DEFINITION.value,
                cards.c.partner_id.is_(None),
                cards.c.retired.is_(False),
            )
        )
    }


def failed_days(conn, node_ids: Collection[int], days: Collection[date], learner: int) -> dict[int, set[date]]:
    """Of `days`, those on which a live card of the learner's of each of the nodes was answered
    below 3 (a review or a drill), by node id."""
    out: dict[int, set[date]] = {node_id: set() for node_id in node_ids}
    if not node_ids or not days:
        return out
    for node_id, day in conn.execute(
        select(cards.c.node_id, reviews.c.day)
        .join(cards, cards.c.id == reviews.c.card_id)
        .where(
            cards.c.node_id.in_(node_ids),
            cards.c.learner_id == learner,
            cards.c.partner_id.is_(None),
            cards.c.retired.is_(False),
            reviews.c.grade < sm2.PASSING,
            reviews.c.day.in_(days),
            learners_answers(),
        )
        .distinct()
    ):
        out[node_id].add(day)
    return out

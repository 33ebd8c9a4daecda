"""Implicit credit in the answer log: the ancestors' definition cards a pass credits, the credit
events written after the answer, and the credits of an answer found again for its undo.

The rule is the core's (`srs.core.credit`); this gathers the cards it looks at and writes what it
returns. An answer's credits are the credit events (`srs.core.events.CREDIT`) of its deck that
follow it in the log's order, logged at the same moment (`at`), up to the deck's next event of
another kind: `record_credits` writes them in the answer's transaction right after it, and
`hold_answers` keeps another answer to the deck from coming in between on PostgreSQL (SQLite's
write lock already does); `srs.storage.answers.credits_of` finds them, and its `undo_answer`
takes them back with their answer.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Row, insert, select, update

from srs.core import events
from srs.core.answer import log_record
from srs.core.credit import LEVELS, credit, earns_credit
from srs.storage.answers import RecordedAnswer, schedule_of
from srs.storage.db import serialise
from srs.storage.layering import DEFINITION_KINDS
from srs.storage.scope import HIERARCHY, unburied
from srs.storage.tables import cards, edges, nodes, reviews


@dataclass(frozen=True)
class Credited:
    """One ancestor's definition card a pass credited."""

    review_id: int
    """The credit's event in the log."""
    card_id: int
    node_id: int
    level: int
    """How many steps up the hierarchy from the node answered (1: a parent)."""
    due_before: date
    due_after: date


def hold_answers(conn, deck_id: int) -> None:
    """Let one answer to the deck at a time be recorded until the transaction ends, so that an
    answer's credits follow it in the log with nothing between (PostgreSQL; SQLite's write lock
    already holds the database). Taken before the answer is recorded."""
    serialise(conn, f"answers to deck {deck_id}")


def ancestor_levels(conn, node_id: int) -> dict[int, int]:
    """The node's ancestors up to `LEVELS` steps up the hierarchy (every parent of a node with
    several), each at its nearest level (1: a parent), by node id."""
    levels: dict[int, int] = {}
    below = [node_id]
    for level in range(1, LEVELS + 1):
        above = conn.scalars(
            select(edges.c.parent_id).where(edges.c.kind == HIERARCHY, edges.c.child_id.in_(below))
        ).all()
        below = [parent for parent in dict.fromkeys(above) if parent not in levels and parent != node_id]
        levels.update(dict.fromkeys(below, level))
        if not below:
            break
    return levels


def _creditable(conn, levels: dict[int, int], today: date, learner: int) -> list[Row]:
    """The learner's live definition cards of the nodes of `levels` (not suspended, retired or
    buried today, their node not retired), locked, nearest level first, then in the deck's order."""
    if not levels:
        return []
    live_nodes = select(nodes.c.id).where(nodes.c.id.in_(levels), nodes.c.retired.is_(False))
    rows = conn.execute(
        select(cards)
        .where(
            cards.c.node_id.in_(live_nodes),
            cards.c.learner_id == learner,
            cards.c.kind.in_(DEFINITION_KINDS),
            cards.c.partner_id.is_(None),
            cards.c.suspended.is_(False),
            cards.c.retired.is_(False),
            unburied(today),
        )
        .order_by(cards.c.id)
        .with_for_update()
    ).all()
    return sorted(rows, key=lambda card: (levels[card.node_id], card.rank))


def record_credits(conn, recorded: RecordedAnswer, node_id: int, now: datetime, today: date) -> list[Credited]:
    """Credit the ancestors of the node whose card `recorded` answered, where the answer earns
    it (`earns_credit`): each move of `srs.core.credit.credit` written onto the card and logged
    as a credit event right after the answer; a move of 0 days writes nothing."""
    if not earns_credit(recorded.entry):
        return []
    levels = ancestor_levels(conn, node_id)
    out: list[Credited] = []
    learner = conn.scalar(select(cards.c.learner_id).where(cards.c.id == recorded.card_id))
    for card in _creditable(conn, levels, today, learner):
        level = levels[card.node_id]
        after, entry = credit(schedule_of(card), level, today)
        if after == entry.before or entry.before.due is None or after.due is None:
            continue
        conn.execute(update(cards).where(cards.c.id == card.id).values(due=after.due))
        logged = {
            "deck_id": card.deck_id,
            "card_id": card.id,
            "learner_id": card.learner_id,
            "at": now.astimezone(timezone.utc),
            "kind": events.CREDIT,
            **log_record(entry),
        }
        review_id = conn.execute(insert(reviews).values(**logged)).inserted_primary_key[0]
        out.append(Credited(review_id, card.id, card.node_id, level, entry.before.due, after.due))
    return out

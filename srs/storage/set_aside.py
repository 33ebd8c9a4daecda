"""Setting cards aside: suspending them (out of every queue until unsuspended) and burying them
(out of the queues of one learner's day), and putting them back exactly as they were.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, select, update

from srs.storage.scope import cards_of, unburied
from srs.storage.tables import cards


class Marks(NamedTuple):
    """What setting a card aside changes on it, as it was before: enough to put it back."""

    card_id: int
    suspended: bool
    buried_on: date | None


def node_card_ids(conn, node) -> list[int]:
    """The live cards of one node (suspended ones included), in the order a session takes them."""
    return list(
        conn.scalars(
            select(cards.c.id)
            .where(cards.c.node_id == node.id, cards.c.retired.is_(False))
            .order_by(cards.c.rank, cards.c.id)
        )
    )


def branch_card_ids(conn, deck, branch) -> list[int]:
    """The live cards of a branch and everything below it (suspended ones included)."""
    return list(conn.scalars(select(cards.c.id).where(*cards_of(deck, branch, suspended=True)).order_by(cards.c.id)))


def marks_of(conn, card_ids: Iterable[int]) -> list[Marks]:
    """Each card's marks as they stand, by card id."""
    ids = list(card_ids)
    if not ids:
        return []
    rows = conn.execute(
        select(cards.c.id, cards.c.suspended, cards.c.buried_on).where(cards.c.id.in_(ids)).order_by(cards.c.id)
    )
    return [Marks(row.id, bool(row.suspended), row.buried_on) for row in rows]


def _change(conn, card_ids: list[int], picked: ColumnElement[bool], values: dict) -> list[Marks]:
    """Set `values` on those of the cards `picked` selects; their marks as they were before.

    The rows are locked as they are read (PostgreSQL's `FOR UPDATE`; SQLite's write transaction
    holds them already), so what is returned is what the update changed.
    """
    if not card_ids:
        return []
    before = [
        Marks(row.id, bool(row.suspended), row.buried_on)
        for row in conn.execute(
            select(cards.c.id, cards.c.suspended, cards.c.buried_on)
            .where(cards.c.id.in_(card_ids), picked)
            .order_by(cards.c.id)
            .with_for_update()
        )
    ]
    if before:
        conn.execute(update(cards).where(cards.c.id.in_([m.card_id for m in before])).values(**values))
    return before


def suspend(conn, card_ids: list[int]) -> list[Marks]:
    """Suspend those of the cards not suspended yet; their marks before."""
    return _change(conn, card_ids, cards.c.suspended.is_(False), {"suspended": True})


def unsuspend(conn, card_ids: list[int]) -> list[Marks]:
    """Unsuspend those of the cards that are suspended; their marks before."""
    return _change(conn, card_ids, cards.c.suspended.is_(True), {"suspended": False})


def bury(conn, card_ids: list[int], today: date) -> list[Marks]:
    """Bury, until the next learner's day, those of the cards neither suspended nor buried
    today already; their marks before."""
    return _change(conn, card_ids, cards.c.suspended.is_(False) & unburied(today), {"buried_on": today})


def unbury(conn, card_ids: list[int], today: date) -> list[Marks]:
    """Bring back into today's queues those of the cards buried today; their marks before."""
    return _change(conn, card_ids, ~unburied(today), {"buried_on": None})


def restore(conn, marks: Iterable[Marks]) -> None:
    """Put each card's marks back as `marks` says (an undo); a card gone since is passed over."""
    rows = [{"card": m.card_id, "was_suspended": m.suspended, "was_buried_on": m.buried_on} for m in marks]
    if rows:
        conn.execute(
            update(cards)
            .where(cards.c.id == bindparam("card"))
            .values(suspended=bindparam("was_suspended"), buried_on=bindparam("was_buried_on")),
            rows,
        )

"""Setting cards aside: suspending them (out of every queue until unsuspended) and burying them
(out of the queues of one learner's day), and putting them back exactly as they were.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, case, func, not_, select, update

from srs.storage.scope import cards_of, unburied
from srs.storage.tables import cards


class Marks(NamedTuple):
    """What setting a card aside changes on it, as it was before: enough to put it back."""

    card_id: int
    suspended: bool
    buried_on: date | None


def of_card(card_id: int) -> list[ColumnElement[bool]]:
    """The conditions that pick one card."""
    return [cards.c.id == card_id]


def of_node(node) -> list[ColumnElement[bool]]:
    """The conditions that pick the live cards of one node, suspended ones included: its own
    cards, not those about it and another node."""
    return [
        cards.c.node_id == node.id,
        cards.c.learner_id == node.learner_id,
        cards.c.partner_id.is_(None),
        cards.c.retired.is_(False),
    ]


def of_branch(deck, branch) -> list[ColumnElement[bool]]:
    """The conditions that pick the live cards of a branch and everything below it, suspended
    ones included."""
    return cards_of(deck, branch, suspended=True)


def card_ids(conn, where: list[ColumnElement[bool]]) -> list[int]:
    """The ids of the cards `where` picks, in the order a session takes them."""
    return list(conn.scalars(select(cards.c.id).where(*where).order_by(cards.c.rank, cards.c.id)))


def count(conn, where: list[ColumnElement[bool]]) -> int:
    """How many cards `where` picks."""
    return int(conn.scalar(select(func.count()).select_from(cards).where(*where)) or 0)


def _change(conn, where: list[ColumnElement[bool]], picked: ColumnElement[bool], values: dict) -> list[Marks]:
    """Set `values` on the cards `where` and `picked` select; their marks as they were before.

    The cards are named by the conditions, not by a list of ids, so that a branch of any size
    is one statement. The rows are locked as they are read (PostgreSQL's `FOR UPDATE`;
    SQLite's write transaction holds the database already), so the update changes what was read.
    """
    before = [
        Marks(row.id, bool(row.suspended), row.buried_on)
        for row in conn.execute(
            select(cards.c.id, cards.c.suspended, cards.c.buried_on)
            .where(*where, picked)
            .order_by(cards.c.id)
            .with_for_update()
        )
    ]
    if before:
        conn.execute(update(cards).where(*where, picked).values(**values))
    return before


def suspend(conn, where: list[ColumnElement[bool]], at: datetime | None = None) -> list[Marks]:
    """Suspend the cards `where` picks that are not suspended yet, stamped `at` (now by default:
    a sync takes the later change); their marks before."""
    return _change(conn, where, cards.c.suspended.is_(False), {"suspended": True, "suspended_at": _now(at)})


def unsuspend(conn, where: list[ColumnElement[bool]], at: datetime | None = None) -> list[Marks]:
    """Unsuspend the cards `where` picks that are suspended, stamped `at`; their marks before."""
    return _change(conn, where, cards.c.suspended.is_(True), {"suspended": False, "suspended_at": _now(at)})


def _now(at: datetime | None) -> datetime:
    return datetime.now(timezone.utc) if at is None else at


def bury(conn, where: list[ColumnElement[bool]], today: date) -> list[Marks]:
    """Bury, until the next learner's day, the cards `where` picks that are neither suspended
    nor buried today already; their marks before."""
    return _change(conn, where, and_(cards.c.suspended.is_(False), unburied(today)), {"buried_on": today})


def unbury(conn, where: list[ColumnElement[bool]], today: date) -> list[Marks]:
    """Bring the cards `where` picks that are buried today back into today's queues; their
    marks before."""
    return _change(conn, where, not_(unburied(today)), {"buried_on": None})


def restore(conn, marks: Iterable[Marks], at: datetime | None = None) -> None:
    """Put each card's marks back as `marks` says (an undo); a card gone since is passed over. A
    card whose suspension this changes is stamped `at` (now by default), as a suspend is."""
    rows = [{"card": m.card_id, "was_suspended": m.suspended, "was_buried_on": m.buried_on} for m in marks]
    if rows:
        changes = cards.c.suspended != bindparam("was_suspended")
        conn.execute(
            update(cards)
            .where(cards.c.id == bindparam("card"))
            .values(
                suspended_at=case((changes, _now(at)), else_=cards.c.suspended_at),
                suspended=bindparam("was_suspended"),
                buried_on=bindparam("was_buried_on"),
            ),
            rows,
        )

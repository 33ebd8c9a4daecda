"""Which scheduler a deck's cards follow: the deck's choice and desired retention, and the
learner's fitted FSRS parameters (the latest fit; FSRS's published defaults without one).

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import Row, insert, select, update

from srs.core.answer import SM2, Scheduler
from srs.core.fsrs import FsrsScheduler
from srs.storage.tables import decks, fsrs_parameters

SCHEDULERS = ("sm2", "fsrs")
"""The schedulers a deck can follow, as `decks.scheduler` names them."""


def learner_parameters(conn, learner: int) -> tuple[float, ...] | None:
    """The learner's latest fitted FSRS weights, or None when they have none (the defaults)."""
    weights = conn.scalar(
        select(fsrs_parameters.c.weights)
        .where(fsrs_parameters.c.learner_id == learner)
        .order_by(fsrs_parameters.c.id.desc())
        .limit(1)
    )
    return None if weights is None else tuple(float(w) for w in weights)


def deck_schedulers(conn) -> list[Row]:
    """Every deck's id, name, scheduler and desired retention, by name."""
    return conn.execute(
        select(decks.c.id, decks.c.name, decks.c.scheduler, decks.c.desired_retention).order_by(decks.c.name)
    ).all()


def latest_fit(conn, learner: int) -> Row | None:
    """The learner's latest fit of FSRS's weights (`weights`, `reviews`, `fitted_at`), or None."""
    return conn.execute(
        select(fsrs_parameters)
        .where(fsrs_parameters.c.learner_id == learner)
        .order_by(fsrs_parameters.c.id.desc())
        .limit(1)
    ).first()


def save_parameters(conn, learner: int, weights: Sequence[float], reviews: int, now: datetime) -> None:
    """Keep a fit of the learner's FSRS weights, made from `reviews` reviews: the one used from now."""
    conn.execute(
        insert(fsrs_parameters).values(
            learner_id=learner,
            weights=[float(w) for w in weights],
            reviews=reviews,
            fitted_at=now.astimezone(timezone.utc),
        )
    )


def scheduler_named(name: str, desired_retention: float, parameters: Sequence[float] | None) -> Scheduler:
    """The scheduler `name` ("sm2" or "fsrs") set up as a deck asks."""
    if name == "fsrs":
        return FsrsScheduler(desired_retention, parameters)
    return SM2


def set_scheduler(conn, deck_id: int, name: str, desired_retention: float) -> None:
    """Name the scheduler the deck follows and its desired retention (the cards are rescheduled
    apart: `srs.storage.reschedule`)."""
    if name not in SCHEDULERS:
        raise ValueError(f"no scheduler named {name!r}")
    conn.execute(update(decks).where(decks.c.id == deck_id).values(scheduler=name, desired_retention=desired_retention))


def deck_scheduler(conn, deck_id: int, learner: int) -> Scheduler:
    """The scheduler the deck's cards follow, with its desired retention and `learner`'s parameters."""
    row = conn.execute(select(decks.c.scheduler, decks.c.desired_retention).where(decks.c.id == deck_id)).one()
    return scheduler_named(row.scheduler, row.desired_retention, learner_parameters(conn, learner))

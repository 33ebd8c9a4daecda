"""Which scheduler a deck follows, and switching it, for `srs scheduler`.

A switch names the deck's new scheduler (and desired retention) and replays the deck's whole
log under it in the same write transaction (`srs.storage.reschedule`), so the cards and the
log always hold what the deck's scheduler gives. The log keeps each answer's raw 0-5 grade, so
switching back gives back every schedule exactly as it was.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from srs.core.fsrs import FSRS
from srs.core.names import did_you_mean
from srs.env import Env
from srs.errors import SrsError
from srs.storage import decks, learners, reschedule, schedulers
from srs.storage.reschedule import Moved, Progress

NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}
"""The schedulers as `decks.scheduler` names them, and as a learner reads them."""


@dataclass(frozen=True)
class DeckScheduler:
    """The scheduler a deck follows."""

    deck: str
    scheduler: str
    """"sm2" or "fsrs"."""
    desired_retention: float
    """FSRS's target recall (kept under SM-2 too, for a later switch)."""


@dataclass(frozen=True)
class Parameters:
    """The FSRS weights in use: FSRS's published defaults, or the learner's latest fit."""

    fitted: bool
    weights: tuple[float, ...]
    reviews: int | None = None
    """How many reviews the fit was made from (None for the defaults)."""
    fitted_at: datetime | None = None
    """When the fit was made, in UTC."""


@dataclass(frozen=True)
class Schedulers:
    """What `srs scheduler` shows: the decks' schedulers and the FSRS parameters they use."""

    decks: tuple[DeckScheduler, ...]
    parameters: Parameters


@dataclass(frozen=True)
class Shift:
    """One bar of a switch's histogram: the cards whose due day moved by `low` to `high` days
    (negative: earlier; None: no bound on that side)."""

    label: str
    low: int | None
    high: int | None
    cards: int = 0


SHIFTS = (
    Shift("earlier by 8+ days", None, -8),
    Shift("earlier by 1-7 days", -7, -1),
    Shift("unchanged", 0, 0),
    Shift("later by 1-7 days", 1, 7),
    Shift("later by 8-30 days", 8, 30),
    Shift("later by 31+ days", 31, None),
)
"""The histogram's bars, earliest first: a week either side, a month later, beyond."""


@dataclass(frozen=True)
class Switched:
    """What switching a deck's scheduler did."""

    deck: str
    scheduler: str
    was: str
    """The scheduler the deck followed before."""
    desired_retention: float
    retention_was: float
    changed: bool
    """False when the deck already followed that scheduler with that retention: nothing done."""
    replayed: bool
    """The log was replayed (a new scheduler, or FSRS with a new retention)."""
    cards: int = 0
    """Cards replayed (those with answers, retired ones included)."""
    answers: int = 0
    """Answers replayed, drills included."""
    moved: int = 0
    """Replayed cards whose due day changed."""
    histogram: tuple[Shift, ...] = ()
    """How far the replayed cards' due days moved, `SHIFTS` with their counts."""


def show(env: Env, deck_name: str | None = None) -> Schedulers:
    """The scheduler of the deck `deck_name` (without one, of every deck, by name) and the FSRS
    parameters in use. Raises `NotFoundError` for a deck that is not there."""
    with env.connection() as conn:
        rows = (
            [decks.find_deck(conn, deck_name, env.learner_id)]
            if deck_name is not None
            else schedulers.deck_schedulers(conn)
        )
        fit = schedulers.latest_fit(conn, env.learner_id)
    listed = tuple(DeckScheduler(row.name, row.scheduler, row.desired_retention) for row in rows)
    if fit is None:
        parameters = Parameters(fitted=False, weights=FSRS.parameters)
    else:
        # Stored in UTC; SQLite gives it back without its zone.
        fitted_at = fit.fitted_at if fit.fitted_at.tzinfo else fit.fitted_at.replace(tzinfo=timezone.utc)
        parameters = Parameters(
            fitted=True, weights=tuple(float(w) for w in fit.weights), reviews=fit.reviews, fitted_at=fitted_at
        )
    return Schedulers(listed, parameters)


def known_scheduler(name: str) -> str:
    """The scheduler `name` names ("sm2" or "fsrs", in any case); `SrsError` for another name."""
    if name.lower() in schedulers.SCHEDULERS:
        return name.lower()
    hint = did_you_mean(name, list(schedulers.SCHEDULERS)) or "; the schedulers are 'sm2' and 'fsrs'"
    raise SrsError(f"no scheduler named {name!r}{hint}")


def check_retention(retention: float) -> float:
    """`retention` if it is a desired retention (0 < r < 1); `SrsError` otherwise."""
    if not (math.isfinite(retention) and 0 < retention < 1):
        raise SrsError(f"a desired retention is between 0 and 1 (0.9 is 90% recall), not {retention:g}")
    return retention


def switch(
    env: Env,
    deck_name: str | None,
    scheduler_name: str | None,
    retention: float | None = None,
    progress: Progress | None = None,
) -> Switched:
    """Make the deck follow the scheduler named `scheduler_name` (None: the one it follows),
    with the desired retention `retention` (None: the deck's), and replay its whole log under
    it, in one write transaction. Nothing changes when the deck already follows that scheduler
    with that retention; under SM-2, which does not use it, a new retention is only kept.

    Raises `SrsError` for an unknown scheduler or a retention outside (0, 1), `NotFoundError` /
    `AmbiguousError` for a deck not there or not named; nothing is written then.
    """
    name = None if scheduler_name is None else known_scheduler(scheduler_name)
    if retention is not None:
        check_retention(retention)
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        name = deck.scheduler if name is None else name
        target = deck.desired_retention if retention is None else retention
        same = Switched(deck.name, name, deck.scheduler, target, deck.desired_retention, changed=False, replayed=False)
        if name == deck.scheduler and target == deck.desired_retention:
            return same
        schedulers.set_scheduler(conn, deck.id, name, target)
        if name == deck.scheduler == "sm2":  # SM-2 reads no retention: its schedules stay as they are
            return replace(same, changed=True)
        done = reschedule.Rescheduled(cards=0, answers=0, moved=())
        # The deck's scheduler is every learner's: each one's log replayed with their own parameters.
        for learner in learners.deck_learners(conn, deck.id):
            scheduler = schedulers.scheduler_named(name, target, schedulers.learner_parameters(conn, learner))
            theirs = reschedule.reschedule_deck(conn, deck.id, learner, scheduler, progress)
            done = reschedule.Rescheduled(
                cards=done.cards + theirs.cards,
                answers=done.answers + theirs.answers,
                moved=done.moved + theirs.moved,
            )
    return Switched(
        deck.name,
        name,
        deck.scheduler,
        target,
        deck.desired_retention,
        changed=True,
        replayed=True,
        cards=done.cards,
        answers=done.answers,
        moved=len(done.moved),
        histogram=histogram(done.moved, done.cards),
    )


def histogram(moved: Iterable[Moved], cards: int) -> tuple[Shift, ...]:
    """`SHIFTS` with how many of `cards` replayed cards fall in each: those in `moved` by how
    far their due day moved, the others unchanged."""
    moved = list(moved)
    days = [(card.after - card.before).days for card in moved if card.before is not None and card.after is not None]
    days += [0] * (cards - len(moved))
    counts = [
        sum(1 for d in days if (shift.low is None or d >= shift.low) and (shift.high is None or d <= shift.high))
        for shift in SHIFTS
    ]
    return tuple(Shift(shift.label, shift.low, shift.high, count) for shift, count in zip(SHIFTS, counts, strict=True))

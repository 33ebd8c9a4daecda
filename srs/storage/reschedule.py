"""Rescheduling a deck: every card's log replayed through the core's `answer` under another
scheduler (or the same one with another desired retention), and the schedules it gives written
back onto the log and the cards.

The log is the truth (`docs/architecture.md`): an answer's day and grade, when it was given and
how long it took are never touched; only the schedule either side of each answer (the columns
`log_record` names from `LOGGED_BEFORE` and `LOGGED_AFTER`) and each answered card's schedule
(`CARD_FIELDS`) are rewritten, as `answer` gives them from `Schedule()` on. Replaying under the
first scheduler again gives back the rows as they were, so a switch loses nothing either way.
No rule of answering is decided here.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update

from srs.core.answer import CARD_FIELDS, LOGGED_AFTER, LOGGED_BEFORE, Schedule, Scheduler, answer, log_record
from srs.storage.tables import cards, reviews

LOGGED = tuple(f"{name}_before" for name in LOGGED_BEFORE) + tuple(f"{name}_after" for name in LOGGED_AFTER)
"""The log's columns that hold a schedule: the ones a replay rewrites."""

BATCH = 20_000
"""Answers replayed between two writes of their log rows (and two calls of `progress`)."""

Progress = Callable[[int, int], None]
"""Told (answers replayed, answers in all) as a replay goes."""


@dataclass(frozen=True)
class Moved:
    """A card whose due day a replay changed."""

    card_id: int
    before: date | None
    after: date | None


@dataclass(frozen=True)
class Rescheduled:
    """What replaying a deck's log did."""

    cards: int
    """The cards replayed: those with at least one answer in the log, retired ones included."""
    answers: int
    """The answers replayed (drills included)."""
    moved: tuple[Moved, ...]
    """The cards whose due day changed, by card id."""


def _statement(table, columns: tuple[str, ...]):
    """An UPDATE of `columns` of one row of `table` by id, to run over many rows at once."""
    return update(table).where(table.c.id == bindparam("b_id")).values({name: bindparam(name) for name in columns})


def reschedule_deck(conn, deck_id: int, scheduler: Scheduler, progress: Progress | None = None) -> Rescheduled:
    """Replay the deck's whole log, card by card in the order it was answered, under `scheduler`,
    and write the schedules it gives onto the log's rows and the answered cards' rows.

    The deck's cards are locked first (PostgreSQL; SQLite's write lock already holds the deck),
    so that no answer is recorded under the old scheduler while the log is being replayed.
    """
    locked = conn.execute(select(cards.c.id, cards.c.due).where(cards.c.deck_id == deck_id).with_for_update())
    due_before = {card_id: due for card_id, due in locked}
    # One ordered pass over the log, read whole before any of it is written back: a statement
    # that rewrites the rows a cursor is still reading would be at the database's mercy.
    log = conn.execute(
        select(reviews.c.id, reviews.c.card_id, reviews.c.day, reviews.c.grade, reviews.c.drill)
        .where(reviews.c.deck_id == deck_id)
        .order_by(reviews.c.id)
    ).all()
    total = len(log)
    rewrite_log = _statement(reviews, LOGGED)
    schedules: dict[int, Schedule] = {}
    batch: list[dict[str, Any]] = []
    for done, (review_id, card_id, day, grade, drill) in enumerate(log, 1):
        schedule, entry = answer(schedules.get(card_id, Schedule()), grade, day, scheduler)
        # The drill flag follows from the days alone, so a replay gives the one stored.
        assert entry.drill == drill, f"answer {review_id}: the replay's drill flag differs from the log's"
        schedules[card_id] = schedule
        record = log_record(entry)
        batch.append({"b_id": review_id, **{name: record[name] for name in LOGGED}})
        if len(batch) == BATCH or done == total:
            conn.execute(rewrite_log, batch)
            batch = []
            if progress is not None:
                progress(done, total)
    if schedules:
        conn.execute(
            _statement(cards, CARD_FIELDS),
            [
                {"b_id": card_id, **{name: getattr(schedule, name) for name in CARD_FIELDS}}
                for card_id, schedule in schedules.items()
            ],
        )
    moved = tuple(
        Moved(card_id, due_before.get(card_id), schedule.due)
        for card_id, schedule in sorted(schedules.items())
        if schedule.due != due_before.get(card_id)
    )
    if progress is not None and not log:
        progress(0, 0)
    return Rescheduled(cards=len(schedules), answers=len(log), moved=moved)

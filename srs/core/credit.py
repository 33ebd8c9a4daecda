"""Implicit credit: a pass on a node's card moves its ancestors' definition cards' due days out a little.

Recalling a part retrieves some of the whole, so a review of a node passed (the day's first
answer, graded 3 or better) counts a little towards its ancestors' reviews: each ancestor's
definition card falls due later by a small fraction of its interval, discounted the further up
the hierarchy it is and the less of its interval has gone by. Only the due day moves, never the
memory (easiness, repetitions, interval, stability, difficulty), so it works the same under SM-2
and FSRS, and the card's next review is scheduled from its last review as before. A card already
credited is further from its due day, so a second credit the same day is smaller: each takes a
share of what is left, and the due day never passes today plus the interval.

Each move is an event of its own in the answer log (`srs.core.events.CREDIT`), with the card's
schedule either side, so undo takes it back with its answer and a replay of the log recomputes
it (`credit` on the replayed schedule). A credit's `grade` in the log is not a grade: it is minus
the ancestor's level, how many steps up the hierarchy it is from the node answered (-1: a
parent), which is all a replay needs beside the card's own schedule and the day. Being below
every grade (0 to 5), it keeps credits out of every count of grades, and makes a deck's credits
one range of the log's grade index (`srs.storage.scope.has_credits`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from srs.core.answer import LOGGED_BEFORE, AnswerLog, Schedule, is_lapse

BASE_FRACTION = 0.1
"""A pass moves a parent's due day by at most a tenth of the parent's interval."""

DECAY_PER_LEVEL = 0.5
"""Each level further up the hierarchy halves the move: a grandparent gets half a parent's."""

LEVELS = 3
"""Ancestors up to great-grandparents are credited: one level more would get 1/80 of the days gone by."""


def earns_credit(entry: AnswerLog) -> bool:
    """Whether an answer credits its node's ancestors: a pass (graded 3 or better) that is the
    card's first answer of the day (a drill earns nothing)."""
    return not entry.drill and not is_lapse(entry.grade)


def credit_days(schedule: Schedule, level: int, today: date) -> int:
    """How many days a pass on `today` moves out the due day of an ancestor's definition card
    `level` steps up (1: a parent): `BASE_FRACTION` times `DECAY_PER_LEVEL` to the power
    `level - 1` times the days of its interval gone by (how far through its interval it is,
    times the interval), rounded half up to whole days.

    0 for a card new, answered today, due today or before (today's queue asks it anyway), or
    more than `LEVELS` up."""
    if (
        not 1 <= level <= LEVELS
        or schedule.reviews == 0
        or schedule.due is None
        or schedule.interval <= 0
        or schedule.last_day == today
        or schedule.due <= today
    ):
        return 0
    gone_by = max(0, schedule.interval - (schedule.due - today).days)
    return math.floor(BASE_FRACTION * DECAY_PER_LEVEL ** (level - 1) * gone_by + 0.5)


def logged_grade(level: int) -> int:
    """What a credit's log entry holds as its grade: minus its level, below every grade."""
    return -level


def level_of(grade: int) -> int:
    """A credit's level, from the grade its log entry holds (`logged_grade`)."""
    return -grade


def credit(schedule: Schedule, level: int, today: date) -> tuple[Schedule, AnswerLog]:
    """An ancestor's definition card credited on `today` from `level` steps below (the rule of
    `credit_days`): (its schedule after, the log entry). The entry's grade is `logged_grade`
    (a credit has no grade); a move of 0 days gives the schedule as it was."""
    days = credit_days(schedule, level, today)
    moved = schedule.due + timedelta(days=days) if days and schedule.due is not None else schedule.due
    after = schedule._replace(due=moved)
    return after, AnswerLog(grade=logged_grade(level), day=today, drill=False, before=schedule, after=after)


def undo_credit(schedule: Schedule, record: Mapping[str, Any]) -> Schedule:
    """The schedule a card had before a credit, from the log's `record` of it (as `log_record`
    wrote it): every field the log keeps from before; a credit counted no review."""
    return schedule._replace(**{name: record[f"{name}_before"] for name in LOGGED_BEFORE})

"""Answering a card, as a pure function: a card's schedule and a grade in, the new schedule and
the log entry out.

`answer` holds the rules every scheduler shares: the first answer of the learner's day is a
review, counted, and moves the schedule; later answers that day are drills (SM-2 step 7), logged,
counting no review and no lapse; a review graded below 3 is a lapse. How a review and a drill
move the schedule is the scheduler's part, behind the `Scheduler` protocol: SM-2's drill moves
nothing, FSRS's moves the card's memory as FSRS-6's same-day review does (`srs.core.fsrs`).

The seam is `Scheduler.review` and `Scheduler.drill`: a scheduler is any object with those two
methods, passed to `answer` (storage's `answers.record_answer` takes it through as
`scheduler=`). One that keeps its state
in the fields there are (easiness, repetitions, interval, due) plugs in by implementing the
protocol alone: the answer rules here, the log entry, undo and storage stay as they are. One
with state of its own (FSRS's stability and difficulty, `srs.core.fsrs`) has its fields on
`Schedule`, which storage maps to the card's and the log's columns by name (`CARD_FIELDS`,
`LOGGED_BEFORE`, `LOGGED_AFTER`); no rule here knows which scheduler moved a card.

Storage only persists what this module returns: the new schedule onto the card, and
`log_record(entry)` into the answer log; undo writes back `undo(schedule, record)`, the schedule
from before the answer as the log entry holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple, Protocol

from srs.core import sm2
from srs.core.day import due_after


class Schedule(NamedTuple):
    """Where a card stands with its scheduler, and what the answer rules read: the card's row."""

    easiness: int = sm2.EF_START
    """SM-2's easiness factor in whole hundredths (250 is 2.5)."""
    repetitions: int = 0
    """Successful reviews in a row."""
    interval: int = 0
    """Days between the last review and the due day; 0 for a new card."""
    due: date | None = None
    """The day the card is asked next; None for a new card."""
    reviews: int = 0
    """Reviews so far (drills not counted); 0 means new."""
    lapses: int = 0
    """Reviews graded below 3 so far."""
    last_day: date | None = None
    """The learner's day of the last answer (review or drill)."""
    last_grade: int | None = None
    """The grade of the last answer."""
    stability: float | None = None
    """FSRS's stability in days (the interval at which recall falls to 90%); None under SM-2."""
    difficulty: float | None = None
    """FSRS's difficulty, 1 (easiest) to 10; None under SM-2."""


class AnswerLog(NamedTuple):
    """One answer, as the log keeps it: what was answered when, and the schedule either side."""

    grade: int
    day: date
    """The learner's day the answer counts for."""
    drill: bool
    """A same-day repeat: logged, counting no review; it moves what the scheduler's `drill` moves
    (nothing under SM-2) and the last answer's day and grade."""
    before: Schedule
    """The card's schedule before the answer: what undo puts back."""
    after: Schedule
    """The card's schedule after it: what `answer` returned."""
    duration_ms: int = 0
    """How long the learner took, in milliseconds (never negative)."""

    @property
    def first_review(self) -> bool:
        """The card's first ever review: it was new."""
        return not self.drill and self.before.reviews == 0


class Scheduler(Protocol):
    """How a review and a drill move a card's schedule: the seam a scheduler (SM-2, FSRS) plugs in at."""

    def review(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """The schedule after a review graded `grade` on `today`.

        Every field of the result is kept but the counts and the last answer (`reviews`,
        `lapses`, `last_day`, `last_grade`), which are `answer`'s."""
        ...

    def drill(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """The schedule after a drill graded `grade` on `today`, the card's last answer being today.

        Every field of the result is kept but the counts, the last answer, `repetitions` and
        `easiness`, which a drill leaves as they were (`answer`'s rule)."""
        ...


class Sm2Scheduler:
    """SuperMemo SM-2 (`srs.core.sm2`) behind the `Scheduler` seam."""

    def review(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """SM-2's step on the card's easiness, repetitions and interval; due `interval` days on."""
        state = sm2.review(sm2.Sm2State(schedule.easiness / 100, schedule.repetitions, schedule.interval), grade)
        return schedule._replace(
            easiness=state.ef100,
            repetitions=state.repetitions,
            interval=state.interval,
            due=due_after(today, schedule.last_day, state.interval),
        )

    def drill(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """SM-2's drill moves nothing: the card keeps its schedule until its due day."""
        return schedule


SM2 = Sm2Scheduler()
"""The default scheduler."""


def is_lapse(grade: int) -> bool:
    """Whether a review graded `grade` is a lapse (below 3): it restarts the repetitions."""
    return grade < sm2.PASSING


def again_today(grade: int) -> bool:
    """Whether a card answered `grade` comes back the same day (below 4, SM-2 step 7)."""
    return grade < sm2.DRILL_BELOW


def repeat_today(schedule: Schedule, today: date) -> bool:
    """Whether the card is asked again today: it was answered below 4 earlier today.

    Storage's `scope.repeat_today` is this rule as an SQL condition (a test holds the two to the
    same answers)."""
    return schedule.last_day == today and schedule.last_grade is not None and again_today(schedule.last_grade)


def answer(
    schedule: Schedule, grade: int, today: date, scheduler: Scheduler = SM2, duration_ms: int = 0
) -> tuple[Schedule, AnswerLog]:
    """Answer a card graded `grade` (0..5) on the learner's day `today`: (new schedule, log entry).

    The first answer of the day is a review: the scheduler moves the schedule, the review is
    counted, and a lapse when graded below 3. A card already answered today gets a drill: no
    review or lapse is counted, its repetitions and easiness stay, the scheduler's `drill` moves
    the rest (SM-2's nothing) and the answer's day and grade are recorded. A day before the
    card's last answer (a clock that went backwards) still gives a review, never due earlier
    than that last answer's day allows (`due_after`).
    """
    grade = sm2.check_grade(grade)
    drill = schedule.last_day == today
    if drill:
        moved = scheduler.drill(schedule, grade, today)
        after = moved._replace(
            easiness=schedule.easiness,
            repetitions=schedule.repetitions,
            reviews=schedule.reviews,
            lapses=schedule.lapses,
            last_day=today,
            last_grade=grade,
        )
    else:
        moved = scheduler.review(schedule, grade, today)
        after = moved._replace(
            reviews=schedule.reviews + 1,
            lapses=schedule.lapses + (1 if is_lapse(grade) else 0),
            last_day=today,
            last_grade=grade,
        )
    log = AnswerLog(
        grade=grade, day=today, drill=drill, before=schedule, after=after, duration_ms=max(0, int(duration_ms))
    )
    return after, log


def days_to_next(schedule: Schedule, today: date, scheduler: Scheduler = SM2) -> dict[int, int]:
    """For each grade 0..5, in how many days the card is asked again if answered so `today`: 0
    when it comes back today (below 4), else until its due day (as Anki's buttons show)."""
    out = {}
    for grade in sm2.GRADE_MEANINGS:
        after, _ = answer(schedule, grade, today, scheduler)
        out[grade] = 0 if again_today(grade) or after.due is None else max(0, (after.due - today).days)
    return out


LOGGED_BEFORE = (
    "easiness",
    "repetitions",
    "interval",
    "due",
    "lapses",
    "last_day",
    "last_grade",
    "stability",
    "difficulty",
)
"""The schedule's fields the log keeps from before an answer, as `<field>_before`: all but the
review count, which an answer to the card's latest state moves by one or not at all (`undo`)."""

LOGGED_AFTER = ("easiness", "repetitions", "interval", "due", "stability", "difficulty")
"""The scheduler's fields the log keeps from after an answer, as `<field>_after`."""

CARD_FIELDS = Schedule._fields
"""The schedule's fields a card's row holds, as its columns are named."""


def log_record(entry: AnswerLog) -> dict[str, Any]:
    """The answer as the log stores it, named as the log's columns are: its day, grade, time,
    whether it was a drill, and the schedule either side (`LOGGED_BEFORE`, `LOGGED_AFTER`)."""
    return {
        "day": entry.day,
        "grade": entry.grade,
        "duration_ms": entry.duration_ms,
        "drill": entry.drill,
        **{f"{name}_before": getattr(entry.before, name) for name in LOGGED_BEFORE},
        **{f"{name}_after": getattr(entry.after, name) for name in LOGGED_AFTER},
    }


def undo(schedule: Schedule, record: Mapping[str, Any]) -> Schedule:
    """The schedule a card had before its latest answer, from the one it has now and the log's
    `record` of that answer (as `log_record` wrote it): exactly the schedule before it.

    The log holds every field from before the answer but the review count; a review added one
    to it and a drill nothing, so that is taken off again.
    """
    return schedule._replace(
        reviews=schedule.reviews - (0 if record["drill"] else 1),
        **{name: record[f"{name}_before"] for name in LOGGED_BEFORE},
    )


def replay(grades_by_day: Iterable[tuple[date, int]], scheduler: Scheduler = SM2) -> Schedule:
    """A card's schedule rebuilt from its answer log, the (day, grade) of each answer in order,
    as `scheduler` would have given it: what switching a deck's scheduler starts from."""
    schedule = Schedule()
    for day, grade in grades_by_day:
        schedule, _ = answer(schedule, grade, day, scheduler)
    return schedule

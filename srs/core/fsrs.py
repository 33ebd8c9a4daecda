"""FSRS-6, the Free Spaced Repetition Scheduler, behind the core's scheduler seam, through
py-fsrs (the `fsrs` package, maintained by FSRS's authors) with its published default parameters.

The library counts in datetimes, the learner in days. Every review is handed to it at the same
time of day (`REVIEW_TIME`, in UTC), so the days between reviews and the due day are whole
learner's days, and no time zone or clock reaches it. With no learning or relearning steps
(minutes apart, which a learner's day has no room for) every answer is scheduled in days, and
with no fuzz the same answers always give the same days.

Same-day answers: the core's `answer` makes every answer after the first of a learner's day a
drill (counting no review and no lapse); `FsrsScheduler.drill` hands it to the library as the
card's review less than a day after its last one, which FSRS-6 answers with its short-term
stability formula (parameters w17-w19) and its difficulty update, as py-fsrs's `review_card`
does. So FSRS sees every answer, as an FSRS-6 log holds them, and a drill moves the card's
stability, difficulty and due day (never before tomorrow). An answer on a day before the last
(a clock that went backwards) is a review for `answer`, and the library takes it as a same-day
review too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from types import MappingProxyType

from fsrs import Card, Rating, State
from fsrs import Scheduler as Library
from fsrs.scheduler import DEFAULT_PARAMETERS

from srs.core.answer import Schedule, is_lapse
from srs.core.day import due_after

GRADE_TO_RATING = MappingProxyType(
    {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}
)
"""SM-2's grades as FSRS's ratings: 0-2 (not recalled) are Again, 3 (recalled with difficulty)
is Hard, 4 is Good, 5 (perfect) is Easy. Again is exactly what the core counts as a lapse."""

REVIEW_TIME = time(12, 0, tzinfo=timezone.utc)
"""The time of day every review is handed to the library at: any fixed one gives the same days."""


def at(day: date) -> datetime:
    """The learner's day as the datetime the library is given for it."""
    return datetime.combine(day, REVIEW_TIME)


class FsrsScheduler:
    """FSRS-6 behind the `Scheduler` seam: a card's stability and difficulty move with each
    review, and it falls due when its recall is predicted to drop to `desired_retention`."""

    def __init__(self, desired_retention: float = 0.9, parameters: Sequence[float] | None = None) -> None:
        if not 0 < desired_retention < 1:
            raise ValueError(f"a desired retention is between 0 and 1, not {desired_retention!r}")
        self.desired_retention = desired_retention
        self.parameters = tuple(DEFAULT_PARAMETERS if parameters is None else parameters)
        """FSRS's 21 weights: the published defaults, or the learner's own fit."""
        self.library = Library(
            parameters=self.parameters,
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )
        """py-fsrs's scheduler, set up as this one schedules: in days, without fuzz."""

    def card(self, schedule: Schedule, today: date) -> Card:
        """The card as the library holds it: new until its first FSRS review (an SM-2 card
        too: `answer.replay` gives it FSRS's state from its log), else in FSRS's review state."""
        # The due day is never read by the library's review; it is given so the library reads no clock.
        if schedule.stability is None or schedule.difficulty is None:
            return Card(card_id=0, state=State.Learning, step=0, due=at(today))
        return Card(
            card_id=0,
            state=State.Review,
            stability=schedule.stability,
            difficulty=schedule.difficulty,
            due=at(today),
            last_review=None if schedule.last_day is None else at(schedule.last_day),
        )

    def review(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """FSRS's step on the card's stability and difficulty; due when its recall falls to the
        desired retention, in whole days. The repetitions count successful reviews in a row as
        under SM-2; the easiness, SM-2's own, is left as it was."""
        return self.step(schedule, grade, today)._replace(
            repetitions=0 if is_lapse(grade) else schedule.repetitions + 1
        )

    def drill(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """FSRS-6's same-day review: the card was last answered today, so the library moves its
        stability with the short-term formula and its difficulty as on any review; due when its
        recall falls to the desired retention, tomorrow at the earliest."""
        return self.step(schedule, grade, today)

    def step(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        """The library's review of the card on `today`: its stability, difficulty, interval and
        due day (never before a day the card was answered on, `due_after`)."""
        now = at(today)
        card, _ = self.library.review_card(self.card(schedule, today), GRADE_TO_RATING[grade], now)
        interval = (card.due - now).days
        return schedule._replace(
            interval=interval,
            due=due_after(today, schedule.last_day, interval),
            stability=card.stability,
            difficulty=card.difficulty,
        )


FSRS = FsrsScheduler()
"""FSRS-6 with its default parameters and a desired retention of 90%."""


def retrievability(schedule: Schedule, today: date, scheduler: FsrsScheduler = FSRS) -> float | None:
    """The probability FSRS gives that the card is recalled on `today` (the library's forgetting
    curve over the whole days since its last review); None for a card without FSRS's state."""
    if schedule.stability is None:
        return None
    return scheduler.library.get_card_retrievability(scheduler.card(schedule, today), at(today))


def memory_text(stability: float, difficulty: float, recall: float | None, compact: bool = False) -> str:
    """A card's memory under FSRS in one line: `stability 12.3 days · difficulty 5.1 · recall
    today 91%` (`compact`: `stability 12.3 d · difficulty 5.1 · recall 91%`, for the app's
    narrower lines). Stability and difficulty to a tenth, recall to a whole percent."""
    days, today = ("d", "") if compact else ("days", " today")
    text = f"stability {stability:.1f} {days} · difficulty {difficulty:.1f}"
    return text if recall is None else f"{text} · recall{today} {recall:.0%}"

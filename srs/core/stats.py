"""The statistics screen's figures as plain values, and the rules that are not counting: the
buckets answers and cards fall in, and which branch needs attention.

`srs.storage.stats` counts them in SQL; `srs.core.stats_report` renders them; nothing here reads a
database or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

ACTIVITY_DAYS = 30
FORECAST_DAYS = 30
CALENDAR_DAYS = 365


# -- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """`part` out of `whole`, kept as two counts so the share stays exact."""

    part: int
    whole: int

    @property
    def fraction(self) -> Fraction | None:
        """The exact share, or None when there is nothing to share."""
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def share(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class DayActivity:
    """The answers of one learner's day."""

    day: date
    reviews: int
    """First answers of the day to a card, new cards included: they move the schedule."""
    new: int
    """Of the reviews, first answers ever to a new card."""
    drills: int
    """Same-day repeats of cards answered below 4."""
    duration_ms: int
    """Time spent answering, drills included."""

    @property
    def answers(self) -> int:
        return self.reviews + self.drills


@dataclass(frozen=True)
class Activity:
    """The last days' answers, one entry per day, oldest first, days without answers included."""

    days: list[DayActivity]

    @property
    def reviews(self) -> int:
        return sum(d.reviews for d in self.days)

    @property
    def new(self) -> int:
        return sum(d.new for d in self.days)

    @property
    def drills(self) -> int:
        return sum(d.drills for d in self.days)

    @property
    def answers(self) -> int:
        return self.reviews + self.drills

    @property
    def duration_ms(self) -> int:
        return sum(d.duration_ms for d in self.days)

    @property
    def days_studied(self) -> int:
        return sum(1 for d in self.days if d.answers)

    @property
    def seconds_per_card(self) -> float | None:
        """Mean time per card shown (every answer, drills included), in seconds."""
        return self.duration_ms / 1000 / self.answers if self.answers else None


@dataclass(frozen=True)
class Calendar:
    """Answers per day over a year ending today, for a heat map, and the current streak."""

    start: date
    end: date
    counts: dict[date, int]
    """Answers on each day that has any; days without answers are absent."""
    streak: int
    """Consecutive days with at least one answer, ending today or yesterday."""

    def count(self, day: date) -> int:
        return self.counts.get(day, 0)

    @property
    def days_studied(self) -> int:
        return len(self.counts)

    @property
    def answers(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ForecastDay:
    day: date
    cards: int


@dataclass(frozen=True)
class Forecast:
    """Cards falling due on each of the next days; cards already overdue are counted on today."""

    days: list[ForecastDay]
    overdue: int
    """Cards due before today, included in today's count."""

    @property
    def total(self) -> int:
        return sum(d.cards for d in self.days)


@dataclass(frozen=True)
class Bucket:
    """A range of values, bounds included (`high` None: no upper bound), and how many fall in it.

    FSRS's stability and difficulty are not whole numbers: their buckets hold `low` but not
    `high`, which is the next bucket's `low` (`STABILITY_BUCKETS`, `DIFFICULTY_BUCKETS`)."""

    label: str
    low: int
    high: int | None
    count: int


@dataclass(frozen=True)
class Retention:
    """Reviews answered 3 or better, out of reviews of cards seen before (drills left out).

    `ranges` splits them by the interval the card held before the review.
    """

    overall: Ratio
    ranges: list[tuple[Bucket, Ratio]]


@dataclass(frozen=True)
class BranchStats:
    """One branch (a node and everything below it) of the table."""

    key: str
    label: str
    nodes: int
    cards: int
    new: int
    learning: int
    young: int
    mature: int
    mastery: float
    """The mean over the branch's nodes of each node's mastery (`srs.core.mastery`)."""
    due: int
    """Reviewed cards due today or overdue, suspended cards left out."""
    lapses: int

    @property
    def studied(self) -> int:
        return self.cards - self.new

    @property
    def pressure(self) -> Fraction:
        """Due cards plus past lapses, per card: what makes a branch need attention."""
        return Fraction(self.due + self.lapses, self.cards) if self.cards else Fraction(0)


@dataclass(frozen=True)
class Attention:
    branch: BranchStats
    reason: str


@dataclass(frozen=True)
class BranchTable:
    """The top-level branches (or a branch's children), the scope as a whole, and the one to work on."""

    rows: list[BranchStats]
    total: BranchStats | None
    attention: Attention | None


@dataclass(frozen=True)
class Memory:
    """What FSRS holds of the reviewed cards: their stability and difficulty, and the recall it predicts today."""

    stability: list[Bucket]
    difficulty: list[Bucket]
    recall: float | None
    """The mean over the reviewed cards of their probability of recall today; None without any."""
    cards: int
    """The reviewed cards with FSRS's state: what the figures are over."""


@dataclass(frozen=True)
class Stats:
    """Every figure of the statistics screen."""

    deck: str
    branch: str | None
    today: date
    activity: Activity
    calendar: Calendar
    forecast: Forecast
    retention: Retention
    easiness: list[Bucket]
    intervals: list[Bucket]
    branches: BranchTable
    memory: Memory | None = None
    """FSRS's figures of a deck that follows FSRS, shown instead of the easiness; None under SM-2."""

    @property
    def scheduler(self) -> str:
        """The scheduler the deck follows: "sm2" or "fsrs"."""
        return "sm2" if self.memory is None else "fsrs"


# -- the buckets --------------------------------------------------------------------------------

RETENTION_RANGES: tuple[tuple[str, int, int | None], ...] = (
    ("1 day", 1, 1),
    ("2–7 days", 2, 7),
    ("8–21 days", 8, 21),
    ("over 21 days", 22, None),
)
"""Ranges of the interval a card held before a review, in days."""

EASINESS_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1.30–1.49", 130, 149),
    ("1.50–1.69", 150, 169),
    ("1.70–1.89", 170, 189),
    ("1.90–2.09", 190, 209),
    ("2.10–2.29", 210, 229),
    ("2.30–2.49", 230, 249),
    ("2.50–2.69", 250, 269),
    ("2.70+", 270, None),
)
"""Easiness factor ranges, in the hundredths the cards hold it in."""

INTERVAL_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1 day", 1, 1),
    ("2–5 days", 2, 5),
    ("6–10 days", 6, 10),
    ("11–20 days", 11, 20),
    ("21–45 days", 21, 45),
    ("46–90 days", 46, 90),
    ("91–180 days", 91, 180),
    ("181–365 days", 181, 365),
    ("over a year", 366, None),
)
"""Interval ranges in days; the first three are learning and young cards, from 21 on mature."""

STABILITY_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1 day", 0, 1),
    ("1–3 days", 1, 3),
    ("3–7 days", 3, 7),
    ("7–14 days", 7, 14),
    ("14–30 days", 14, 30),
    ("30–90 days", 30, 90),
    ("90–180 days", 90, 180),
    ("180–365 days", 180, 365),
    ("over a year", 365, None),
)
"""FSRS's stability ranges in days (the days over which recall falls to 90%), each from its
`low` up to, not including, its `high`."""

DIFFICULTY_BUCKETS: tuple[tuple[str, int, int | None], ...] = tuple(
    (f"{low}–{low + 1}", low, low + 1 if low < 9 else None) for low in range(1, 10)
)
"""FSRS's difficulty ranges, 1 (easiest) to 10 (hardest), each from its `low` up to, not
including, its `high`; the last holds 10."""


# -- the branch to work on --------------------------------------------------------------------


def needs_attention(rows: list[BranchStats]) -> Attention | None:
    """The studied branch that most needs work, and why, or None when none has been studied.

    Among branches with at least one reviewed card: the most due cards and past lapses per card
    (a branch falling behind or being forgotten); on a tie, the lowest mastery; then tree order.
    """
    studied = [(i, row) for i, row in enumerate(rows) if row.studied]
    if not studied:
        return None
    _, pick = min(studied, key=lambda item: (-item[1].pressure, item[1].mastery, item[0]))
    lapses = f"{pick.lapses} lapse{'s' if pick.lapses != 1 else ''}"
    cards = f"{pick.cards} card{'s' if pick.cards != 1 else ''}"
    return Attention(pick, f"{pick.due} due and {lapses} over {cards}, mastery {pick.mastery:.0%}")

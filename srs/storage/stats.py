"""Learning statistics: what the review log and the cards say about a deck or one branch of it.

Every figure is an SQL aggregate (COUNT FILTER, CASE buckets, GROUP BY), so a screen costs a
dozen queries whatever the size of the log; Python only fills empty days, adds up a few dozen
counts and picks a branch. Functions take a Session and the learner's `today` and return plain
dataclasses.

Scope: a deck, or a branch (the node and everything below it). The review log of a deck keeps
the answers to retired cards, because they happened; a branch only holds live nodes, so its log
does not. Card figures (forecast, distributions, the branch table) count live cards only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import ColumnElement, Date, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from srs.core import sm2
from srs.core.day import streak as day_streak
from srs.storage.answers import study_streak
from srs.storage.models import Card, Deck, Edge, Node, Review
from srs.storage.scope import (
    HIERARCHY,
    LIVE_STATES,
    answers_of,
    cards_of,
    mastery_sql,
    state_is,
    subtree_ids,
    whole_deck,
)

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
    """A range of values, bounds included (`high` None: no upper bound), and how many fall in it."""

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


def _in_bucket(column, low: int, high: int | None):
    return column >= low if high is None else and_(column >= low, column <= high)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- the review log -----------------------------------------------------------------------------
#
# A deck's answers are read by their deck_id through two covering indexes, and where a figure
# is a plain count it is asked for as one COUNT per index range (per day; per grade and interval
# range): SQLite counts a range without decoding its rows, several times faster than grouping
# the same rows. A branch's answers are reached card by card through the covering card index
# and grouped: a branch holds a share of the log, and a count per range would have to visit
# each of its cards once per range.


def _daily(session: Session, deck: Deck, branch: Node | None, start: date, end: date) -> dict[date, DayActivity]:
    statement = (
        select(
            Review.day,
            func.count().filter(Review.drill.is_(False)),
            func.count().filter(and_(Review.drill.is_(False), Review.interval_before == 0)),
            func.count().filter(Review.drill.is_(True)),
            func.coalesce(func.sum(Review.duration_ms), 0),
        )
        .where(Review.day >= start, Review.day <= end)
        .group_by(Review.day)
    )
    rows = session.execute(answers_of(deck, branch)(statement))
    return {day: DayActivity(day, int(r), int(n), int(d), int(ms)) for day, r, n, d, ms in rows}


def activity(
    session: Session, deck: Deck, today: date, branch: Node | None = None, days: int = ACTIVITY_DAYS
) -> Activity:
    """Reviews, drills, new cards and time spent on each of the last `days` days, today included."""
    start = today - timedelta(days=days - 1)
    daily = _daily(session, deck, branch, start, today)
    return Activity([daily.get(d) or DayActivity(d, 0, 0, 0, 0) for d in _days(start, today)])


def answers_per_day(
    session: Session, deck: Deck, start: date, end: date, branch: Node | None = None
) -> dict[date, int]:
    """How many answers were given on each day from `start` to `end`; days without any are left out."""
    narrow = answers_of(deck, branch)
    if not whole_deck(deck, branch):
        statement = narrow(
            select(Review.day, func.count()).where(Review.day >= start, Review.day <= end).group_by(Review.day)
        )
        return {day: int(n) for day, n in session.execute(statement)}
    # The days with answers come from the index at a seek per day; each is then counted as
    # one index range.
    days = (
        narrow(select(Review.day.label("day")).where(Review.day >= start, Review.day <= end).distinct())
        .cte("answer_days")
        .prefix_with("MATERIALIZED")
    )
    answers = narrow(select(func.count()).select_from(Review).where(Review.day == days.c.day)).scalar_subquery()
    return {day: int(n) for day, n in session.execute(select(days.c.day, answers))}


def streak(session: Session, deck: Deck, today: date, branch: Node | None = None) -> int:
    """Consecutive learner days with answers, ending today or yesterday: `answers.study_streak`."""
    return study_streak(session, today, deck, branch)


def calendar(
    session: Session, deck: Deck, today: date, branch: Node | None = None, days: int = CALENDAR_DAYS
) -> Calendar:
    """Answers per day over the `days` days ending today, and the current streak."""
    start = today - timedelta(days=days - 1)
    counts = answers_per_day(session, deck, start, today, branch)
    # The streak from the days already read, unless it may run back past them.
    run = day_streak(sorted(counts, reverse=True), today)
    if run >= days - 1:
        run = streak(session, deck, today, branch)
    return Calendar(start, today, dict(sorted(counts.items())), run)


def retention(session: Session, deck: Deck, branch: Node | None = None) -> Retention:
    """The share of reviews answered 3 or better, overall and by the interval before the review.

    Only reviews of cards seen before count: drills move nothing, and a new card's first answer
    (interval 0) says nothing about remembering.
    """
    narrow = answers_of(deck, branch)
    total = [0] * len(RETENTION_RANGES)
    passed = [0] * len(RETENTION_RANGES)
    columns: list[ColumnElement[int]]
    if whole_deck(deck, branch):
        # Each count is one range of ix_reviews_deck_grade; the ranges start at 1 day, so new
        # cards' first answers (interval 0) fall outside them. No condition may be added that
        # the index cannot answer: SQLite would then read each row instead of counting them.
        cells = [(int(grade), i) for grade in sm2.Grade for i in range(len(RETENTION_RANGES))]
        columns = [
            narrow(
                select(func.count())
                .select_from(Review)
                .where(
                    Review.drill.is_(False),
                    Review.grade == grade,
                    _in_bucket(Review.interval_before, *RETENTION_RANGES[i][1:]),
                )
            ).scalar_subquery()
            for grade, i in cells
        ]
        for (grade, i), n in zip(cells, session.execute(select(*columns)).one(), strict=True):
            total[i] += int(n)
            passed[i] += int(n) if grade >= sm2.PASSING else 0
    else:
        # One pass with a COUNT FILTER per range: grouping by a CASE would sort every answer.
        columns = []
        for _label, low, high in RETENTION_RANGES:
            in_range = _in_bucket(Review.interval_before, low, high)
            columns += [func.count().filter(in_range), func.count().filter(and_(in_range, Review.grade >= sm2.PASSING))]
        counts = session.execute(narrow(select(*columns).where(Review.drill.is_(False)))).one()
        total, passed = [int(n) for n in counts[0::2]], [int(n) for n in counts[1::2]]
    ranges = [
        (Bucket(label, low, high, total[i]), Ratio(passed[i], total[i]))
        for i, (label, low, high) in enumerate(RETENTION_RANGES)
    ]
    return Retention(Ratio(sum(passed), sum(total)), ranges)


# -- the cards ----------------------------------------------------------------------------------


def forecast(
    session: Session, deck: Deck, today: date, branch: Node | None = None, days: int = FORECAST_DAYS
) -> Forecast:
    """Reviewed cards falling due on each of the next `days` days, today first with the overdue ones.

    Suspended and retired cards are left out: they are in no queue.
    """
    end = today + timedelta(days=days - 1)
    on = case((Card.due < today, literal(today, Date)), else_=Card.due)
    where = [*cards_of(deck, branch, suspended=True), Card.suspended.is_(False), Card.reviews > 0, Card.due <= end]
    counts, overdue = {}, 0
    for day, cards, late in session.execute(
        select(on, func.count(), func.count().filter(Card.due < today)).where(*where).group_by(on)
    ):
        counts[day] = int(cards)
        overdue += int(late)
    return Forecast([ForecastDay(d, counts.get(d, 0)) for d in _days(today, end)], overdue)


def distributions(session: Session, deck: Deck, branch: Node | None = None) -> tuple[list[Bucket], list[Bucket]]:
    """Reviewed live cards by easiness factor and by interval, in one pass over the cards.

    New cards all hold 2.5 and no interval, so they are left out.
    """
    columns = [
        func.count().filter(_in_bucket(column, low, high))
        for column, buckets in ((Card.easiness, EASINESS_BUCKETS), (Card.interval, INTERVAL_BUCKETS))
        for _label, low, high in buckets
    ]
    counts = list(
        session.execute(select(*columns).where(*cards_of(deck, branch, suspended=True), Card.reviews > 0)).one()
    )
    easiness, intervals = counts[: len(EASINESS_BUCKETS)], counts[len(EASINESS_BUCKETS) :]
    return (
        [Bucket(label, low, high, int(n)) for (label, low, high), n in zip(EASINESS_BUCKETS, easiness, strict=True)],
        [Bucket(label, low, high, int(n)) for (label, low, high), n in zip(INTERVAL_BUCKETS, intervals, strict=True)],
    )


def easiness_distribution(session: Session, deck: Deck, branch: Node | None = None) -> list[Bucket]:
    """Reviewed live cards by easiness factor."""
    return distributions(session, deck, branch)[0]


def interval_distribution(session: Session, deck: Deck, branch: Node | None = None) -> list[Bucket]:
    """Reviewed live cards by the interval they hold."""
    return distributions(session, deck, branch)[1]


def _start_node(session: Session, deck: Deck, branch: Node | None) -> Node | None:
    if branch is not None:
        return branch
    return session.scalar(
        select(Node).where(Node.deck_id == deck.id, Node.key == deck.root_key, Node.retired.is_(False))
    )


def branch_table(session: Session, deck: Deck, today: date, branch: Node | None = None) -> BranchTable:
    """Card states, mastery, due cards and lapses of each top-level branch (or of `branch`'s children).

    One statement: card figures are summed per node once, then per branch over the nodes a
    recursive walk finds below each child of the start (a node with two parents counts under
    both), and for the start as a whole (`total`). Mastery is the mean of the nodes' mastery.
    """
    start = _start_node(session, deck, branch)
    if start is None:
        return BranchTable([], None, None)
    children = session.execute(
        select(Node.id, Node.key, Node.label)
        .join(Edge, Edge.child_id == Node.id)
        .where(Edge.parent_id == start.id, Edge.kind == HIERARCHY, Node.retired.is_(False))
        .order_by(Edge.position, Edge.id)
    ).all()

    per_node = (
        select(
            Card.node_id.label("node_id"),
            func.count().label("cards"),
            *(func.count().filter(state_is(s)).label(s.value) for s in LIVE_STATES),
            func.avg(mastery_sql()).label("mastery"),
            func.count().filter(and_(Card.reviews > 0, Card.due <= today, Card.suspended.is_(False))).label("due"),
            func.sum(Card.lapses).label("lapses"),
        )
        .where(Card.deck_id == deck.id, Card.retired.is_(False))
        .group_by(Card.node_id)
        .cte("per_node")
        .prefix_with("MATERIALIZED")
    )
    # (top, node) for every node below each child of the start. UNION, not UNION ALL: a node
    # reached twice under one branch counts once there.
    under = (
        select(Edge.child_id.label("top"), Edge.child_id.label("node"))
        .where(Edge.parent_id == start.id, Edge.kind == HIERARCHY)
        .cte("under", recursive=True)
    )
    under = under.union(
        select(under.c.top, Edge.child_id).join(Edge, Edge.parent_id == under.c.node).where(Edge.kind == HIERARCHY)
    )

    def figures(top, node_id, where=()):
        return (
            select(
                top.label("top"),
                func.count(),
                *(func.coalesce(func.sum(per_node.c[name]), 0) for name in ("cards", *(s.value for s in LIVE_STATES))),
                func.avg(func.coalesce(per_node.c.mastery, 0.0)),
                func.coalesce(func.sum(per_node.c.due), 0),
                func.coalesce(func.sum(per_node.c.lapses), 0),
            )
            .join(per_node, per_node.c.node_id == node_id, isouter=True)
            .where(Node.retired.is_(False), *where)
        )

    rows = (
        figures(under.c.top, under.c.node).select_from(under).join(Node, Node.id == under.c.node).group_by(under.c.top)
    )
    whole = [Node.deck_id == deck.id] if whole_deck(deck, branch) else [Node.id.in_(subtree_ids(start))]
    total = figures(literal(start.id), Node.id, whole).select_from(Node)
    found = {row[0]: row[1:] for row in session.execute(union_all(rows, total))}

    def stats(node_id: int, key: str, label: str) -> BranchStats:
        nodes, cards, new, learning, young, mature, mastery, due, lapses = found.get(node_id, (0,) * 9)
        return BranchStats(
            key,
            label,
            int(nodes),
            int(cards),
            int(new),
            int(learning),
            int(young),
            int(mature),
            float(mastery or 0.0),
            int(due),
            int(lapses),
        )

    table = [stats(node_id, key, label) for node_id, key, label in dict.fromkeys(children)]
    return BranchTable(table, stats(start.id, start.key, start.label), needs_attention(table))


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


# -- the whole screen ---------------------------------------------------------------------------


def statistics(session: Session, deck: Deck, today: date, branch: Node | None = None) -> Stats:
    """Every figure of the statistics screen for a deck or one branch, on the learner's `today`."""
    easiness, intervals = distributions(session, deck, branch)
    return Stats(
        deck=deck.name,
        branch=branch.label if branch is not None else None,
        today=today,
        activity=activity(session, deck, today, branch),
        calendar=calendar(session, deck, today, branch),
        forecast=forecast(session, deck, today, branch),
        retention=retention(session, deck, branch),
        easiness=easiness,
        intervals=intervals,
        branches=branch_table(session, deck, today, branch),
    )

"""Learning statistics: what the review log and the cards say about a deck or one branch of it.

Every figure is an SQL aggregate (GROUP BY day, CASE buckets, COUNT FILTER), so a screen costs a
few queries whatever the size of the log; Python only fills empty days and picks a branch.
Functions take a Session and the learner's `today` and return plain dataclasses.

Scope: a deck, or a branch (the node and everything below it). The review log of a deck keeps
the answers to retired cards, because they happened; a branch only holds live nodes, so its log
does not. Card figures (forecast, distributions, the branch table) count live cards only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Optional

from sqlalchemy import Date, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from srs.core import sm2
from srs.core.mastery import MATURE_FROM, YOUNG_FROM, CardState
from srs.storage.models import Card, Deck, Edge, Node, Review
from srs.storage.repo import HIERARCHY, subtree_ids

ACTIVITY_DAYS = 30
FORECAST_DAYS = 30
CALENDAR_DAYS = 365


# -- the SQL form of the card states ------------------------------------------------------------


def state_sql(reviews=Card.reviews, interval=Card.interval):
    """`srs.core.mastery.card_state` of a live card as an SQL CASE, from the same thresholds.

    tests/functional/test_stats.py checks it against `card_state` value by value.
    """
    return case(
        (reviews == 0, CardState.NEW.value),
        (interval >= MATURE_FROM, CardState.MATURE.value),
        (interval >= YOUNG_FROM, CardState.YOUNG.value),
        else_=CardState.LEARNING.value,
    )


def mastery_sql(reviews=Card.reviews, interval=Card.interval):
    """`srs.core.mastery.card_mastery` of a live card as an SQL CASE: 1 mature, interval/21 young."""
    state = state_sql(reviews, interval)
    return case(
        (state == CardState.MATURE.value, 1.0),
        (state == CardState.YOUNG.value, interval * 1.0 / MATURE_FROM),
        else_=0.0,
    )


# -- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """`part` out of `whole`, kept as two counts so the share stays exact."""

    part: int
    whole: int

    @property
    def fraction(self) -> Optional[Fraction]:
        """The exact share, or None when there is nothing to share."""
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def share(self) -> Optional[float]:
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
    def seconds_per_card(self) -> Optional[float]:
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
    high: Optional[int]
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
    total: Optional[BranchStats]
    attention: Optional[Attention]


@dataclass(frozen=True)
class Stats:
    """Every figure of the statistics screen."""

    deck: str
    branch: Optional[str]
    today: date
    activity: Activity
    calendar: Calendar
    forecast: Forecast
    retention: Retention
    easiness: list[Bucket]
    intervals: list[Bucket]
    branches: BranchTable


# -- the buckets --------------------------------------------------------------------------------

RETENTION_RANGES: tuple[tuple[str, int, Optional[int]], ...] = (
    ("1 day", 1, 1),
    ("2–7 days", 2, 7),
    ("8–21 days", 8, 21),
    ("over 21 days", 22, None),
)
"""Ranges of the interval a card held before a review, in days."""

EASINESS_BUCKETS: tuple[tuple[str, int, Optional[int]], ...] = (
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

INTERVAL_BUCKETS: tuple[tuple[str, int, Optional[int]], ...] = (
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


def _bucket_sql(column, buckets):
    """The index of the bucket `column` falls in, as a CASE over the upper bounds."""
    whens = [(column <= high, i) for i, (_label, _low, high) in enumerate(buckets) if high is not None]
    return case(*whens, else_=len(buckets) - 1)


def _buckets(buckets, counts: dict[int, int]) -> list[Bucket]:
    return [Bucket(label, low, high, int(counts.get(i, 0))) for i, (label, low, high) in enumerate(buckets)]


# -- scope --------------------------------------------------------------------------------------


def _cards_in(deck: Deck, branch: Optional[Node]) -> list:
    where = [Card.deck_id == deck.id]
    if branch is not None and branch.key != deck.root_key:
        where.append(Card.node_id.in_(subtree_ids(branch)))
    return where


def _answers_in(deck: Deck, branch: Optional[Node]):
    return Review.card_id.in_(select(Card.id).where(*_cards_in(deck, branch)))


def _live_cards_in(deck: Deck, branch: Optional[Node]) -> list:
    return [*_cards_in(deck, branch), Card.retired.is_(False)]


# -- the review log -----------------------------------------------------------------------------


def _daily(session: Session, deck: Deck, branch: Optional[Node], start: date, end: date) -> dict[date, DayActivity]:
    rows = session.execute(
        select(
            Review.day,
            func.count().filter(Review.drill.is_(False)),
            func.count().filter(and_(Review.drill.is_(False), Review.interval_before == 0)),
            func.count().filter(Review.drill.is_(True)),
            func.coalesce(func.sum(Review.duration_ms), 0),
        )
        .where(Review.day >= start, Review.day <= end, _answers_in(deck, branch))
        .group_by(Review.day)
    )
    return {day: DayActivity(day, int(r), int(n), int(d), int(ms)) for day, r, n, d, ms in rows}


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _activity_from(daily: dict[date, DayActivity], today: date, days: int) -> Activity:
    return Activity([daily.get(d) or DayActivity(d, 0, 0, 0, 0) for d in _days(today - timedelta(days=days - 1), today)])


def activity(session: Session, deck: Deck, today: date, branch: Optional[Node] = None, days: int = ACTIVITY_DAYS) -> Activity:
    """Reviews, drills, new cards and time spent on each of the last `days` days, today included."""
    start = today - timedelta(days=days - 1)
    return _activity_from(_daily(session, deck, branch, start, today), today, days)


def streak(session: Session, deck: Deck, today: date, branch: Optional[Node] = None) -> int:
    """Consecutive learner days with at least one answer, ending today or yesterday; else 0.

    A streak still holds in the morning before the day's first answer: it ends only when a
    whole day passes without one. Reads the log's days newest first and stops at the first gap.
    """
    days = (
        select(Review.day)
        .where(Review.day <= today, _answers_in(deck, branch))
        .distinct()
        .order_by(Review.day.desc())
    )
    count = 0
    expected = today
    for day in session.scalars(days):
        if count == 0 and day == today - timedelta(days=1):
            expected = day
        if day != expected:
            break
        count += 1
        expected -= timedelta(days=1)
    return count


def calendar(session: Session, deck: Deck, today: date, branch: Optional[Node] = None, days: int = CALENDAR_DAYS) -> Calendar:
    """Answers per day over the `days` days ending today, and the current streak."""
    start = today - timedelta(days=days - 1)
    daily = _daily(session, deck, branch, start, today)
    return _calendar_from(daily, start, today, streak(session, deck, today, branch))


def _calendar_from(daily: dict[date, DayActivity], start: date, today: date, current_streak: int) -> Calendar:
    counts = {d: a.answers for d, a in sorted(daily.items()) if a.answers}
    return Calendar(start, today, counts, current_streak)


def retention(session: Session, deck: Deck, branch: Optional[Node] = None) -> Retention:
    """The share of reviews answered 3 or better, overall and by the interval before the review.

    Only reviews of cards seen before count: drills move nothing, and a new card's first answer
    (interval 0) says nothing about remembering.
    """
    bucket = _bucket_sql(Review.interval_before, RETENTION_RANGES)
    rows = session.execute(
        select(bucket, func.count(), func.count().filter(Review.grade >= sm2.PASSING))
        .where(Review.drill.is_(False), Review.interval_before > 0, _answers_in(deck, branch))
        .group_by(bucket)
    ).all()
    total = {i: int(n) for i, n, _ in rows}
    passed = {i: int(p) for i, _, p in rows}
    ranges = [
        (Bucket(label, low, high, total.get(i, 0)), Ratio(passed.get(i, 0), total.get(i, 0)))
        for i, (label, low, high) in enumerate(RETENTION_RANGES)
    ]
    return Retention(Ratio(sum(passed.values()), sum(total.values())), ranges)


# -- the cards ----------------------------------------------------------------------------------


def forecast(session: Session, deck: Deck, today: date, branch: Optional[Node] = None, days: int = FORECAST_DAYS) -> Forecast:
    """Reviewed cards falling due on each of the next `days` days, today first with the overdue ones.

    Suspended and retired cards are left out: they are in no queue.
    """
    end = today + timedelta(days=days - 1)
    on = case((Card.due < today, literal(today, Date)), else_=Card.due)
    where = [*_live_cards_in(deck, branch), Card.suspended.is_(False), Card.reviews > 0, Card.due <= end]
    counts, overdue = {}, 0
    for day, cards, late in session.execute(
        select(on, func.count(), func.count().filter(Card.due < today)).where(*where).group_by(on)
    ):
        counts[day] = int(cards)
        overdue += int(late)
    return Forecast([ForecastDay(d, counts.get(d, 0)) for d in _days(today, end)], overdue)


def _distribution(session: Session, deck: Deck, branch: Optional[Node], column, buckets) -> list[Bucket]:
    bucket = _bucket_sql(column, buckets)
    rows = session.execute(
        select(bucket, func.count()).where(*_live_cards_in(deck, branch), Card.reviews > 0).group_by(bucket)
    )
    return _buckets(buckets, dict(rows.all()))


def easiness_distribution(session: Session, deck: Deck, branch: Optional[Node] = None) -> list[Bucket]:
    """Reviewed live cards by easiness factor (new cards all hold 2.5 and are left out)."""
    return _distribution(session, deck, branch, Card.easiness, EASINESS_BUCKETS)


def interval_distribution(session: Session, deck: Deck, branch: Optional[Node] = None) -> list[Bucket]:
    """Reviewed live cards by the interval they hold."""
    return _distribution(session, deck, branch, Card.interval, INTERVAL_BUCKETS)


def _start_node(session: Session, deck: Deck, branch: Optional[Node]) -> Optional[Node]:
    if branch is not None:
        return branch
    return session.scalar(select(Node).where(Node.deck_id == deck.id, Node.key == deck.root_key, Node.retired.is_(False)))


def branch_table(session: Session, deck: Deck, today: date, branch: Optional[Node] = None) -> BranchTable:
    """Card states, mastery, due cards and lapses of each top-level branch (or of `branch`'s children).

    One query: a recursive walk tags every node below the start with the branch it falls under
    (a node with two parents counts in both), then node figures are summed per branch. `total`
    is the start itself, everything below it included.
    """
    start = _start_node(session, deck, branch)
    if start is None:
        return BranchTable([], None, None)
    # (top, node): seeded with the start and each child of it, then extended down the hierarchy.
    # UNION, not UNION ALL: a node reached twice under one branch is counted once, and cycles end.
    children = select(Edge.child_id).where(Edge.parent_id == start.id, Edge.kind == HIERARCHY)
    under = (
        select(Node.id.label("top"), Node.id.label("node"))
        .where(or_(Node.id == start.id, Node.id.in_(children)))
        .cte("under", recursive=True)
    )
    under = under.union(
        select(under.c.top, Edge.child_id).join(Edge, Edge.parent_id == under.c.node).where(Edge.kind == HIERARCHY)
    )
    state = state_sql()
    per_node = (
        select(
            Card.node_id.label("node_id"),
            func.count().label("cards"),
            func.count().filter(state == CardState.NEW.value).label("new"),
            func.count().filter(state == CardState.LEARNING.value).label("learning"),
            func.count().filter(state == CardState.YOUNG.value).label("young"),
            func.count().filter(state == CardState.MATURE.value).label("mature"),
            func.avg(mastery_sql(Card.reviews, Card.interval)).label("mastery"),
            func.count().filter(and_(Card.reviews > 0, Card.due <= today, Card.suspended.is_(False))).label("due"),
            func.sum(Card.lapses).label("lapses"),
        )
        .where(Card.deck_id == deck.id, Card.retired.is_(False))
        .group_by(Card.node_id)
        .subquery()
    )
    top = Node.__table__.alias("top_node")
    rows = session.execute(
        select(
            under.c.top,
            top.c.key,
            top.c.label,
            func.count(),
            *(func.coalesce(func.sum(getattr(per_node.c, name)), 0) for name in ("cards", "new", "learning", "young", "mature")),
            func.avg(func.coalesce(per_node.c.mastery, 0.0)),
            func.coalesce(func.sum(per_node.c.due), 0),
            func.coalesce(func.sum(per_node.c.lapses), 0),
        )
        .select_from(under)
        .join(Node, and_(Node.id == under.c.node, Node.retired.is_(False)))
        .join(top, top.c.id == under.c.top)
        .outerjoin(per_node, per_node.c.node_id == under.c.node)
        .group_by(under.c.top, top.c.key, top.c.label)
    ).all()
    figures = {
        row[0]: BranchStats(row[1], row[2], *(int(v) for v in row[3:9]), float(row[9] or 0.0), int(row[10]), int(row[11]))
        for row in rows
    }
    order = session.scalars(
        select(Edge.child_id).where(Edge.parent_id == start.id, Edge.kind == HIERARCHY).order_by(Edge.position, Edge.id)
    ).all()
    table = [figures[node_id] for node_id in dict.fromkeys(order) if node_id in figures]
    return BranchTable(table, figures.get(start.id), needs_attention(table))


def needs_attention(rows: list[BranchStats]) -> Optional[Attention]:
    """The studied branch that most needs work, and why, or None when none has been studied.

    Among branches with at least one reviewed card: the most due cards and past lapses per card
    (a branch falling behind or being forgotten); on a tie, the lowest mastery; then tree order.
    """
    studied = [(i, row) for i, row in enumerate(rows) if row.studied]
    if not studied:
        return None
    _, pick = min(studied, key=lambda item: (-item[1].pressure, item[1].mastery, item[0]))
    due = f"{pick.due} due" if pick.due != 1 else "1 due"
    lapses = f"{pick.lapses} lapse{'s' if pick.lapses != 1 else ''}"
    cards = f"{pick.cards} card{'s' if pick.cards != 1 else ''}"
    return Attention(pick, f"{due} and {lapses} over {cards}, mastery {pick.mastery:.0%}")


# -- the whole screen ---------------------------------------------------------------------------


def statistics(session: Session, deck: Deck, today: date, branch: Optional[Node] = None) -> Stats:
    """Every figure of the statistics screen for a deck or one branch, on the learner's `today`.

    The year's daily counts are read once and give both the heat map and the last 30 days.
    """
    start = today - timedelta(days=CALENDAR_DAYS - 1)
    daily = _daily(session, deck, branch, start, today)
    return Stats(
        deck=deck.name,
        branch=branch.label if branch is not None else None,
        today=today,
        activity=_activity_from(daily, today, ACTIVITY_DAYS),
        calendar=_calendar_from(daily, start, today, streak(session, deck, today, branch)),
        forecast=forecast(session, deck, today, branch),
        retention=retention(session, deck, branch),
        easiness=easiness_distribution(session, deck, branch),
        intervals=interval_distribution(session, deck, branch),
        branches=branch_table(session, deck, today, branch),
    )

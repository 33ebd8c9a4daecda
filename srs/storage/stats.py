"""Learning statistics: what the review log and the cards say about a deck or one branch of it.

Every figure is an SQL aggregate (COUNT FILTER, CASE buckets, GROUP BY), so a screen costs a
dozen queries whatever the size of the log; Python only fills empty days, adds up a few dozen
counts and picks a branch. Functions take a Connection and the learner's `today` and return the plain values of
`srs.core.stats`; a deck or a branch is a row (or anything with its columns as attributes). The one
figure Python works out card by card is FSRS's mean recall today (`memory`), whose forgetting
curve is the core's; an SM-2 deck does not ask for it.

Scope: a deck, or a branch (the node and everything below it). The review log of a deck keeps
the answers to retired cards, because they happened; a branch only holds live nodes, so its log
does not. Card figures (forecast, distributions, the branch table) count live cards only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, func, literal, select, union_all

from srs.core import sm2
from srs.core.answer import Schedule
from srs.core.day import streak as day_streak
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.stats import (
    ACTIVITY_DAYS,
    CALENDAR_DAYS,
    DIFFICULTY_BUCKETS,
    EASINESS_BUCKETS,
    FORECAST_DAYS,
    INTERVAL_BUCKETS,
    RETENTION_RANGES,
    STABILITY_BUCKETS,
    Activity,
    BranchStats,
    BranchTable,
    Bucket,
    Calendar,
    DayActivity,
    Forecast,
    ForecastDay,
    Memory,
    Ratio,
    Retention,
    Stats,
    needs_attention,
)
from srs.storage.answers import study_streak
from srs.storage.schedulers import deck_scheduler
from srs.storage.scope import (
    HIERARCHY,
    LIVE_STATES,
    answers_of,
    cards_of,
    has_credits,
    learners_cards,
    mastery_sql,
    state_is,
    subtree_ids,
    whole_deck,
)
from srs.storage.tables import cards, edges, nodes, reviews


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


def _daily(conn, deck: Any, branch: Any | None, start: date, end: date) -> dict[date, DayActivity]:
    statement = (
        select(
            reviews.c.day,
            func.count().filter(reviews.c.drill.is_(False)),
            func.count().filter(and_(reviews.c.drill.is_(False), reviews.c.interval_before == 0)),
            func.count().filter(reviews.c.drill.is_(True)),
            func.coalesce(func.sum(reviews.c.duration_ms), 0),
        )
        .where(reviews.c.day >= start, reviews.c.day <= end)
        .group_by(reviews.c.day)
    )
    rows = conn.execute(answers_of(deck, branch, has_credits(conn, deck))(statement))
    return {day: DayActivity(day, int(r), int(n), int(d), int(ms)) for day, r, n, d, ms in rows}


def activity(conn, deck: Any, today: date, branch: Any | None = None, days: int = ACTIVITY_DAYS) -> Activity:
    """Reviews, drills, new cards and time spent on each of the last `days` days, today included."""
    start = today - timedelta(days=days - 1)
    daily = _daily(conn, deck, branch, start, today)
    return Activity([daily.get(d) or DayActivity(d, 0, 0, 0, 0) for d in _days(start, today)])


def answers_per_day(conn, deck: Any, start: date, end: date, branch: Any | None = None) -> dict[date, int]:
    """How many answers were given on each day from `start` to `end`; days without any are left out."""
    narrow = answers_of(deck, branch, has_credits(conn, deck))
    if not whole_deck(deck, branch):
        statement = narrow(
            select(reviews.c.day, func.count())
            .where(reviews.c.day >= start, reviews.c.day <= end)
            .group_by(reviews.c.day)
        )
        return {day: int(n) for day, n in conn.execute(statement)}
    # The days with answers come from the index at a seek per day; each is then counted as
    # one index range.
    days = (
        narrow(select(reviews.c.day.label("day")).where(reviews.c.day >= start, reviews.c.day <= end).distinct())
        .cte("answer_days")
        .prefix_with("MATERIALIZED")
    )
    answers = narrow(select(func.count()).select_from(reviews).where(reviews.c.day == days.c.day)).scalar_subquery()
    return {day: int(n) for day, n in conn.execute(select(days.c.day, answers))}


def streak(conn, deck: Any, today: date, branch: Any | None = None) -> int:
    """Consecutive learner days with answers, ending today or yesterday: `answers.study_streak`."""
    return study_streak(conn, today, deck, branch)


def calendar(conn, deck: Any, today: date, branch: Any | None = None, days: int = CALENDAR_DAYS) -> Calendar:
    """Answers per day over the `days` days ending today, and the current streak."""
    start = today - timedelta(days=days - 1)
    counts = answers_per_day(conn, deck, start, today, branch)
    # The streak from the days already read, unless it may run back past them.
    run = day_streak(sorted(counts, reverse=True), today)
    if run >= days - 1:
        run = streak(conn, deck, today, branch)
    return Calendar(start, today, dict(sorted(counts.items())), run)


def retention(conn, deck: Any, branch: Any | None = None) -> Retention:
    """The share of reviews answered 3 or better, overall and by the interval before the review.

    Only reviews of cards seen before count: drills move nothing, and a new card's first answer
    (interval 0) says nothing about remembering.
    """
    # A whole deck's counts are by grade, 0 to 5, which no credit has (`has_credits`): the kind
    # need not be asked there.
    narrow = answers_of(deck, branch, not whole_deck(deck, branch) and has_credits(conn, deck))
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
                .select_from(reviews)
                .where(
                    reviews.c.drill.is_(False),
                    reviews.c.grade == grade,
                    _in_bucket(reviews.c.interval_before, *RETENTION_RANGES[i][1:]),
                )
            ).scalar_subquery()
            for grade, i in cells
        ]
        for (grade, i), n in zip(cells, conn.execute(select(*columns)).one(), strict=True):
            total[i] += int(n)
            passed[i] += int(n) if grade >= sm2.PASSING else 0
    else:
        # One pass with a COUNT FILTER per range: grouping by a CASE would sort every answer.
        columns = []
        for _label, low, high in RETENTION_RANGES:
            in_range = _in_bucket(reviews.c.interval_before, low, high)
            columns += [
                func.count().filter(in_range),
                func.count().filter(and_(in_range, reviews.c.grade >= sm2.PASSING)),
            ]
        counts = conn.execute(narrow(select(*columns).where(reviews.c.drill.is_(False)))).one()
        total, passed = [int(n) for n in counts[0::2]], [int(n) for n in counts[1::2]]
    ranges = [
        (Bucket(label, low, high, total[i]), Ratio(passed[i], total[i]))
        for i, (label, low, high) in enumerate(RETENTION_RANGES)
    ]
    return Retention(Ratio(sum(passed), sum(total)), ranges)


# -- the cards ----------------------------------------------------------------------------------


def forecast(conn, deck: Any, today: date, branch: Any | None = None, days: int = FORECAST_DAYS) -> Forecast:
    """Reviewed cards falling due on each of the next `days` days, today first with the overdue ones.

    Suspended and retired cards are left out: they are in no queue.
    """
    end = today + timedelta(days=days - 1)
    on = case((cards.c.due < today, literal(today, Date)), else_=cards.c.due)
    where = [
        *cards_of(deck, branch, suspended=True),
        cards.c.suspended.is_(False),
        cards.c.reviews > 0,
        cards.c.due <= end,
    ]
    counts, overdue = {}, 0
    for day, falling_due, late in conn.execute(
        select(on, func.count(), func.count().filter(cards.c.due < today)).where(*where).group_by(on)
    ):
        counts[day] = int(falling_due)
        overdue += int(late)
    return Forecast([ForecastDay(d, counts.get(d, 0)) for d in _days(today, end)], overdue)


def distributions(conn, deck: Any, branch: Any | None = None) -> tuple[list[Bucket], list[Bucket]]:
    """Reviewed live cards by easiness factor and by interval, in one pass over the cards.

    New cards all hold 2.5 and no interval, so they are left out.
    """
    columns = [
        func.count().filter(_in_bucket(column, low, high))
        for column, buckets in ((cards.c.easiness, EASINESS_BUCKETS), (cards.c.interval, INTERVAL_BUCKETS))
        for _label, low, high in buckets
    ]
    counts = list(
        conn.execute(select(*columns).where(*cards_of(deck, branch, suspended=True), cards.c.reviews > 0)).one()
    )
    easiness, intervals = counts[: len(EASINESS_BUCKETS)], counts[len(EASINESS_BUCKETS) :]
    return (
        [Bucket(label, low, high, int(n)) for (label, low, high), n in zip(EASINESS_BUCKETS, easiness, strict=True)],
        [Bucket(label, low, high, int(n)) for (label, low, high), n in zip(INTERVAL_BUCKETS, intervals, strict=True)],
    )


def easiness_distribution(conn, deck: Any, branch: Any | None = None) -> list[Bucket]:
    """Reviewed live cards by easiness factor."""
    return distributions(conn, deck, branch)[0]


def interval_distribution(conn, deck: Any, branch: Any | None = None) -> list[Bucket]:
    """Reviewed live cards by the interval they hold."""
    return distributions(conn, deck, branch)[1]


def _in_range(column, low: int, high: int | None):
    """`low` up to, not including, `high`: the buckets of a value that is not a whole number."""
    return column >= low if high is None else and_(column >= low, column < high)


def memory(conn, deck: Any, today: date, fsrs: FsrsScheduler, branch: Any | None = None) -> Memory:
    """FSRS's figures of the reviewed live cards that hold its state: their stability and
    difficulty by range (one pass over the cards), and their mean probability of recall today."""
    where = [*cards_of(deck, branch, suspended=True), cards.c.reviews > 0, cards.c.stability.is_not(None)]
    columns = [
        func.count().filter(_in_range(column, low, high))
        for column, buckets in ((cards.c.stability, STABILITY_BUCKETS), (cards.c.difficulty, DIFFICULTY_BUCKETS))
        for _label, low, high in buckets
    ]
    counts = [int(n) for n in conn.execute(select(*columns).where(*where)).one()]
    recalls = [
        retrievability(Schedule(stability=stability, difficulty=difficulty, last_day=day), today, fsrs)
        for stability, difficulty, day in conn.execute(
            select(cards.c.stability, cards.c.difficulty, cards.c.last_day).where(*where)
        )
    ]
    known = [r for r in recalls if r is not None]
    return Memory(
        [
            Bucket(label, low, high, n)
            for (label, low, high), n in zip(STABILITY_BUCKETS, counts[: len(STABILITY_BUCKETS)], strict=True)
        ],
        [
            Bucket(label, low, high, n)
            for (label, low, high), n in zip(DIFFICULTY_BUCKETS, counts[len(STABILITY_BUCKETS) :], strict=True)
        ],
        sum(known) / len(known) if known else None,
        len(recalls),
    )


def _start_node(conn, deck: Any, branch: Any | None) -> Any | None:
    if branch is not None:
        return branch
    return conn.execute(
        select(nodes).where(nodes.c.deck_id == deck.id, nodes.c.key == deck.root_key, nodes.c.retired.is_(False))
    ).first()


def branch_table(conn, deck: Any, today: date, branch: Any | None = None) -> BranchTable:
    """Card states, mastery, due cards and lapses of each top-level branch (or of `branch`'s children).

    One statement: card figures are summed per node once, then per branch over the nodes a
    recursive walk finds below each child of the start (a node with two parents counts under
    both), and for the start as a whole (`total`). Mastery is the mean of the nodes' mastery.
    """
    start = _start_node(conn, deck, branch)
    if start is None:
        return BranchTable([], None, None)
    children = conn.execute(
        select(nodes.c.id, nodes.c.key, nodes.c.label)
        .join(edges, edges.c.child_id == nodes.c.id)
        .where(edges.c.parent_id == start.id, edges.c.kind == HIERARCHY, nodes.c.retired.is_(False))
        .order_by(edges.c.position, edges.c.id)
    ).all()

    per_node = (
        select(
            cards.c.node_id.label("node_id"),
            func.count().label("cards"),
            *(func.count().filter(state_is(s)).label(s.value) for s in LIVE_STATES),
            func.avg(mastery_sql()).label("mastery"),
            func.count()
            .filter(and_(cards.c.reviews > 0, cards.c.due <= today, cards.c.suspended.is_(False)))
            .label("due"),
            func.sum(cards.c.lapses).label("lapses"),
        )
        .where(*learners_cards(deck), cards.c.retired.is_(False), cards.c.partner_id.is_(None))
        .group_by(cards.c.node_id)
        .cte("per_node")
        .prefix_with("MATERIALIZED")
    )
    # (top, node) for every node below each child of the start. UNION, not UNION ALL: a node
    # reached twice under one branch counts once there.
    under = (
        select(edges.c.child_id.label("top"), edges.c.child_id.label("node"))
        .where(edges.c.parent_id == start.id, edges.c.kind == HIERARCHY)
        .cte("under", recursive=True)
    )
    under = under.union(
        select(under.c.top, edges.c.child_id)
        .join(edges, edges.c.parent_id == under.c.node)
        .where(edges.c.kind == HIERARCHY)
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
            .where(nodes.c.retired.is_(False), *where)
        )

    rows = (
        figures(under.c.top, under.c.node)
        .select_from(under)
        .join(nodes, nodes.c.id == under.c.node)
        .group_by(under.c.top)
    )
    whole = [nodes.c.deck_id == deck.id] if whole_deck(deck, branch) else [nodes.c.id.in_(subtree_ids(start))]
    total = figures(literal(start.id), nodes.c.id, whole).select_from(nodes)
    found = {row[0]: row[1:] for row in conn.execute(union_all(rows, total))}

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


# -- the whole screen ---------------------------------------------------------------------------


def statistics(conn, deck: Any, today: date, branch: Any | None = None) -> Stats:
    """Every figure of the statistics screen for a deck or one branch, on the learner's `today`."""
    easiness, intervals = distributions(conn, deck, branch)
    scheduler = deck_scheduler(conn, deck.id, deck.learner_id)
    return Stats(
        deck=deck.name,
        branch=branch.label if branch is not None else None,
        today=today,
        activity=activity(conn, deck, today, branch),
        calendar=calendar(conn, deck, today, branch),
        forecast=forecast(conn, deck, today, branch),
        retention=retention(conn, deck, branch),
        easiness=easiness,
        intervals=intervals,
        branches=branch_table(conn, deck, today, branch),
        memory=memory(conn, deck, today, scheduler, branch) if isinstance(scheduler, FsrsScheduler) else None,
    )

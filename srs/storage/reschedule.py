"""Rescheduling a deck: every card's log replayed through the core's `answer` under another
scheduler (or the same one with another desired retention), and the schedules it gives written
back onto the log and the cards.

The log is the truth (`docs/architecture.md`): an answer's day and grade, when it was given and
how long it took are never touched; only the schedule either side of each answer (the columns
`log_record` names from `LOGGED_BEFORE` and `LOGGED_AFTER`) and each answered card's schedule
(`CARD_FIELDS`) are rewritten, as `answer` gives them from `Schedule()` on. Replaying under the
first scheduler again gives back the rows as they were, so a switch loses nothing either way.
A credit (`srs.core.events.CREDIT`) is replayed in its place in its card's log as the core's
`credit` gives it on the replayed schedule (its move may differ under another scheduler, down to
0 days, and its row stays). No rule of answering is decided here.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.engine import Dialect, make_url

from srs.bulk import collector_paused
from srs.core.answer import CARD_FIELDS, LOGGED_AFTER, LOGGED_BEFORE, AnswerLog, Schedule, Scheduler, answer
from srs.core.credit import credit, level_of
from srs.core.events import CREDIT
from srs.storage.tables import cards, reviews

LOGGED = tuple(f"{name}_before" for name in LOGGED_BEFORE) + tuple(f"{name}_after" for name in LOGGED_AFTER)
"""The log's columns that hold a schedule: the ones a replay rewrites."""

BATCH = 20_000
"""Answers replayed between two writes of their log rows (and two calls of `progress`)."""

IN_A_WORKER_FROM = 100_000
"""Answers from which a deck's log is replayed in a worker process while this one writes what it
gives back; a smaller log is replayed here, as starting a worker takes about half a second.
bench_switch, a million answers on 2 cores: replayed to FSRS and written in 25 s so, 35 s in one process."""

REBUILD_INDEXES_FROM = 100_000
"""Answers from which, on SQLite, the log's indexes that hold a rewritten column are dropped for
the rewrite and built again after it, when the deck's answers are at least half of the log: a
B-tree built once from sorted rows is cheaper than a million entries each moved in it."""

CACHE_KIB = 256 * 1024
"""SQLite's page cache while a deck's log is rewritten (its default is 2 MiB), in KiB."""

NEW = Schedule()
"""A card's schedule before its first answer, where every replay starts."""

IN_TIME_ORDER = (reviews.c.at, reviews.c.event_id)
"""The order a card's log is replayed in: by time, not by row id, as answers from another
device (an Anki review of yesterday imported after today's answer) may arrive late."""

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
    """The answers replayed (drills included; the credits replayed with them not counted)."""
    moved: tuple[Moved, ...]
    """The cards whose due day changed, by card id."""


class _Rewrite:
    """An UPDATE of `columns` of one row of `table` by id, for a batch of rows at once.

    The statement is SQLAlchemy's (`update` with a `bindparam` for each column), compiled once
    for the database's dialect and run with the driver's own executemany, each value made what
    the database stores by its column type's bind processor, which skips SQLAlchemy's parameter
    handling for each row.
    """

    def __init__(self, dialect: Dialect, table, columns: tuple[str, ...]) -> None:
        statement = update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns})
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        # The values in the order the statement takes them: by position (SQLite's ?), or by name.
        self.names = tuple(compiled.positiontup) if compiled.positiontup else ("b_id", *columns)
        self.positional = bool(compiled.positiontup)
        place = {name: i for i, name in enumerate(("b_id", *columns))}
        self.order = tuple(place[name] for name in self.names)
        self._ordered = itemgetter(*self.order)
        """For each value the statement takes, in its order, its place in a row given to `row`."""
        processors = {c: table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns}
        self.processed = tuple(
            (at, process) for at, name in enumerate(self.names) if (process := processors.get(name)) is not None
        )
        """The values the driver does not take as they are (SQLite's days), with their column
        type's bind processor."""

    def row(self, values: Sequence) -> tuple | dict[str, Any]:
        """A row as the driver takes it, from the row's id then its new values in `columns` order."""
        out = list(self._ordered(values))
        for at, process in self.processed:
            out[at] = process(out[at])
        return tuple(out) if self.positional else dict(zip(self.names, out, strict=True))

    def run(self, conn, rows: list) -> None:
        """Write `rows`, each made by `row`."""
        # bench_switch, a million answers: the switch to FSRS in 45.7 s this way, 53.6 s through conn.execute.
        conn.exec_driver_sql(self.sql, rows)


@cache
def _rewrites(dialect_name: str) -> tuple[_Rewrite, _Rewrite]:
    """The log's and the cards' rewrites for the dialect named as a URL names it ("sqlite+pysqlite")."""
    dialect = make_url(f"{dialect_name}://").get_dialect()()
    return _Rewrite(dialect, reviews, LOGGED), _Rewrite(dialect, cards, CARD_FIELDS)


_before = itemgetter(*(Schedule._fields.index(name) for name in LOGGED_BEFORE))
_after = itemgetter(*(Schedule._fields.index(name) for name in LOGGED_AFTER))


def logged(entry: AnswerLog) -> tuple:
    """The values of the answer's `LOGGED` columns, in that order: what `log_record` gives for
    them, read off the schedules either side by place (a replay writes a million of them)."""
    return _before(entry.before) + _after(entry.after)


History = tuple[int, list[tuple[int, date, int, bool, bool]]]
"""A card's id and its events in the order given: (review id, day, grade, drill, a credit)."""


@collector_paused()
def replay_cards(
    scheduler: Scheduler, dialect_name: str, histories: Sequence[History]
) -> tuple[list, list, list[tuple[int, date | None]]]:
    """Each card's answers replayed under `scheduler` from a new card's schedule: the log's rows
    and the cards' rows as their rewrites take them, and each card's (id, due day) after. The
    core's `answer` decides; this only lays out what it returns."""
    rewrite_log, rewrite_cards = _rewrites(dialect_name)
    log_rows, card_rows, dues = [], [], []
    for card_id, answers in histories:
        schedule = NEW
        for review_id, day, grade, drill, credited in answers:
            if credited:
                schedule, entry = credit(schedule, level_of(grade), day)
            else:
                schedule, entry = answer(schedule, grade, day, scheduler)
            # The drill flag follows from the days alone, so a replay gives the one stored.
            assert entry.drill == drill, f"answer {review_id}: the replay's drill flag differs from the log's"
            log_rows.append(rewrite_log.row((review_id, *logged(entry))))
        card_rows.append(rewrite_cards.row((card_id, *schedule)))
        dues.append((card_id, schedule.due))
    return log_rows, card_rows, dues


def _in_batches(histories: Iterable[History], size: int) -> Iterator[list[History]]:
    """The cards' histories in batches of about `size` answers (a card's answers stay together)."""
    batch: list[History] = []
    answers = 0
    for history in histories:
        batch.append(history)
        answers += len(history[1])
        if answers >= size:
            yield batch
            batch, answers = [], 0
    if batch:
        yield batch


@contextmanager
def _workers(answers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes to replay a log of `IN_A_WORKER_FROM` answers or more in, on a machine
    with more than one core (one core is left to this process); None for a smaller log, which is
    replayed here. They are started at once, so that spawning them and importing what a replay
    needs (about a second) happen while this process reads the log."""
    workers = _worker_count()
    if answers < IN_A_WORKER_FROM or not workers:
        yield None
        return
    # Spawned, not forked: a worker starts without this process's connections and threads.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for _ in range(workers):
            pool.submit(_ready)
        yield pool


def _worker_count() -> int:
    """The worker processes a large replay takes: every core but one, which writes."""
    return (os.cpu_count() or 1) - 1


def _ready() -> None:
    """Nothing: a worker that runs it has imported this module, and what a replay needs with it."""


def _replayed(pool: ProcessPoolExecutor | None, replay: Callable, batches: list[list[History]]) -> Iterable:
    """`replay` of each batch, in no particular order: here alone without workers, else shared
    with them (`_shared`)."""
    if pool is None:
        return map(replay, batches)
    return _shared(pool, replay, batches, ahead=2 * _worker_count() + 1)


def _shared(pool: ProcessPoolExecutor, replay: Callable, batches: list[list[History]], ahead: int) -> Iterator:
    """The replays of `batches`: the workers take them from the front, `ahead` at a time so that
    none waits for the next, and whenever the oldest of theirs is not back yet this process
    replays one from the back itself rather than wait (its writing alone leaves it idle under
    FSRS). bench_switch, a million answers to FSRS: the last batch written 25 s in, 30 s with
    the replay in the worker alone."""
    waiting = deque(batches)
    running: deque[Future] = deque()
    while waiting or running:
        while waiting and len(running) < ahead:
            running.append(pool.submit(replay, waiting.popleft()))
        if running[0].done() or not waiting:
            yield running.popleft().result()
        else:
            yield replay(waiting.pop())


@contextmanager
def _indexes_rebuilt(conn, answers: int) -> Iterator[None]:
    """On SQLite, for a rewrite of `REBUILD_INDEXES_FROM` answers or more that are at least half
    of the log, the log's indexes holding a rewritten column dropped, then built again once the
    rewrite is done (in the same transaction: a failure leaves them as they were). PostgreSQL
    keeps them: dropping one would lock out every reader of the log until the switch commits.
    bench_switch, a million answers to FSRS: the log written in 6 s and its indexes built in 5 s so, written in 20 s
    moving their entries."""
    if conn.dialect.name != "sqlite" or answers < REBUILD_INDEXES_FROM:
        yield
        return
    if 2 * answers < conn.execute(select(func.count()).select_from(reviews)).scalar_one():
        yield
        return
    rewritten = set(LOGGED)
    indexes = sorted(
        (index for index in reviews.indexes if rewritten & {column.name for column in index.columns}),
        key=lambda index: str(index.name),
    )
    for index in indexes:
        index.drop(conn)
    yield
    threads = conn.exec_driver_sql("PRAGMA threads").scalar()
    conn.exec_driver_sql(f"PRAGMA threads = {os.cpu_count() or 1}")  # sorting for an index on every core
    try:
        for index in indexes:
            index.create(conn)
    finally:
        conn.exec_driver_sql(f"PRAGMA threads = {int(threads)}")


@contextmanager
def _page_cache(conn, kib: int) -> Iterator[None]:
    """On SQLite, a page cache of `kib` KiB for the rewrite, then the connection's own again."""
    if conn.dialect.name != "sqlite":
        yield
        return
    own = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(own)}")


@collector_paused()  # bench_switch, a million answers: 50 s with the collector paused, 55 s without
def reschedule_deck(
    conn, deck_id: int, learner: int, scheduler: Scheduler, progress: Progress | None = None
) -> Rescheduled:
    """Replay the learner's whole log of the deck, card by card in the order it was answered,
    under `scheduler` (with the learner's parameters), and write the schedules it gives onto the
    log's rows and the answered cards' rows.

    The deck's cards are locked first (PostgreSQL; SQLite's write lock already holds the deck),
    so that no answer is recorded under the old scheduler while the log is being replayed.
    """
    locked = conn.execute(
        select(cards.c.id, cards.c.due)
        .where(cards.c.deck_id == deck_id, cards.c.learner_id == learner)
        .with_for_update()
    )
    due_before = {card_id: due for card_id, due in locked}
    deck_log = and_(reviews.c.deck_id == deck_id, reviews.c.learner_id == learner)
    total = conn.execute(select(func.count()).select_from(reviews).where(deck_log)).scalar_one()
    dialect_name = f"{conn.dialect.name}+{conn.dialect.driver}"
    rewrite_log, rewrite_cards = _rewrites(dialect_name)
    replay = partial(replay_cards, scheduler, dialect_name)
    due_after: dict[int, date | None] = {}
    done = 0
    with _workers(total) as pool:
        # One ordered pass over the log, read whole before any of it is written back: a statement
        # that rewrites the rows a cursor is still reading would be at the database's mercy.
        log = conn.execute(
            select(reviews.c.id, reviews.c.card_id, reviews.c.day, reviews.c.grade, reviews.c.drill, reviews.c.kind)
            .where(deck_log)
            .order_by(*IN_TIME_ORDER)
        ).all()
        by_card: dict[int, list[tuple[int, date, int, bool, bool]]] = {}
        credit_events = 0
        for review_id, card_id, day, grade, drill, kind in log:
            credited = kind == CREDIT
            credit_events += credited
            by_card.setdefault(card_id, []).append((review_id, day, grade, drill, credited))
        del log
        batches = list(_in_batches(by_card.items(), BATCH))
        # The rewrite touches every page of the log's indexes that it does not build again;
        # bench_switch, a million answers: rewritten in 12 s with a cache that holds them, 20 s without.
        with _page_cache(conn, CACHE_KIB), _indexes_rebuilt(conn, total):
            for log_rows, card_rows, dues in _replayed(pool, replay, batches):
                rewrite_log.run(conn, log_rows)
                rewrite_cards.run(conn, card_rows)
                due_after.update(dues)
                done += len(log_rows)
                if progress is not None:
                    progress(done, total)
    moved = tuple(
        Moved(card_id, due_before.get(card_id), due)
        for card_id, due in sorted(due_after.items())
        if due != due_before.get(card_id)
    )
    if progress is not None and not total:
        progress(0, 0)
    return Rescheduled(cards=len(due_after), answers=total - credit_events, moved=moved)


def rebuild_card(conn, card_id: int, scheduler: Scheduler) -> Schedule:
    """Replay one card's log in time order (`IN_TIME_ORDER`) under `scheduler` from a new card's
    schedule, and write what it gives onto the log's rows (their schedules either side and their
    drill flags: an answer that arrived late may come first on its day) and the card's row.
    The card's new schedule is returned. The core's `answer` and `credit` decide, as in `replay_cards`."""
    log = conn.execute(
        select(reviews.c.id, reviews.c.day, reviews.c.grade, reviews.c.kind)
        .where(reviews.c.card_id == card_id)
        .order_by(*IN_TIME_ORDER)
    ).all()
    schedule = NEW
    rows = []
    for review_id, day, grade, kind in log:
        if kind == CREDIT:
            schedule, entry = credit(schedule, level_of(grade), day)
        else:
            schedule, entry = answer(schedule, grade, day, scheduler)
        rows.append({"b_id": review_id, "drill": entry.drill, **dict(zip(LOGGED, logged(entry), strict=True))})
    if rows:
        conn.execute(
            update(reviews)
            .where(reviews.c.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in ("drill", *LOGGED)}),
            rows,
        )
    conn.execute(update(cards).where(cards.c.id == card_id).values(**schedule._asdict()))
    return schedule

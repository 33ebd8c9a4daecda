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

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update

from srs.bulk import collector_paused
from srs.core.answer import CARD_FIELDS, LOGGED_AFTER, LOGGED_BEFORE, Schedule, Scheduler, answer, log_record
from srs.storage.tables import cards, reviews

LOGGED = tuple(f"{name}_before" for name in LOGGED_BEFORE) + tuple(f"{name}_after" for name in LOGGED_AFTER)
"""The log's columns that hold a schedule: the ones a replay rewrites."""

BATCH = 20_000
"""Answers replayed between two writes of their log rows (and two calls of `progress`)."""

CACHE_KIB = 256 * 1024
"""SQLite's page cache while a deck's log is rewritten (its default is 2 MiB), in KiB."""

NEW = Schedule()
"""A card's schedule before its first answer, where every replay starts."""

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


class _Rewrite:
    """An UPDATE of `columns` of one row of `table` by id, run over a batch of rows at once.

    The statement is SQLAlchemy's (`update` with a `bindparam` for each column), compiled once
    and run with the driver's own executemany, each value made what the database stores by its
    column's type (the column type's own bind processor), which skips SQLAlchemy's parameter
    handling for each row.
    """

    def __init__(self, conn, table, columns: tuple[str, ...]) -> None:
        statement = update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns})
        compiled = statement.compile(dialect=conn.dialect)
        self.conn = conn
        self.sql = str(compiled)
        # The values in the order the statement takes them: by position (SQLite's ?), or by name.
        self.names = tuple(compiled.positiontup) if compiled.positiontup else ("b_id", *columns)
        self.positional = bool(compiled.positiontup)
        processors = {c: table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns}
        self.pairs = tuple((name, processors.get(name)) for name in self.names)

    def row(self, row_id: int, values: Mapping[str, Any]) -> tuple:
        """The row `row_id`'s new `values` (by column name), as `run` takes them."""
        return tuple(
            row_id if name == "b_id" else values[name] if process is None else process(values[name])
            for name, process in self.pairs
        )

    def run(self, rows: list[tuple]) -> None:
        """Write `rows`, each made by `row`."""
        # bench_switch, a million answers: the switch to FSRS in 45.7 s this way, 53.6 s through conn.execute.
        if self.positional:
            self.conn.exec_driver_sql(self.sql, rows)
        else:
            self.conn.exec_driver_sql(self.sql, [dict(zip(self.names, row, strict=True)) for row in rows])


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
    schedules: dict[int, Schedule] = {}
    # The rewrite touches every page of the log's indexes (each holds the interval before an
    # answer); bench_switch, a million answers: rewritten in 12 s with a cache that holds them, 20 s without.
    with _page_cache(conn, CACHE_KIB):
        rewrite_log = _Rewrite(conn, reviews, LOGGED)
        batch: list[tuple] = []
        for done, (review_id, card_id, day, grade, drill) in enumerate(log, 1):
            schedule, entry = answer(schedules.get(card_id, NEW), grade, day, scheduler)
            # The drill flag follows from the days alone, so a replay gives the one stored.
            assert entry.drill == drill, f"answer {review_id}: the replay's drill flag differs from the log's"
            schedules[card_id] = schedule
            batch.append(rewrite_log.row(review_id, log_record(entry)))
            if len(batch) == BATCH or done == total:
                rewrite_log.run(batch)
                batch = []
                if progress is not None:
                    progress(done, total)
        if schedules:
            rewrite_cards = _Rewrite(conn, cards, CARD_FIELDS)
            rewrite_cards.run([rewrite_cards.row(card_id, vars(schedule)) for card_id, schedule in schedules.items()])
    moved = tuple(
        Moved(card_id, due_before.get(card_id), schedule.due)
        for card_id, schedule in sorted(schedules.items())
        if schedule.due != due_before.get(card_id)
    )
    if progress is not None and not log:
        progress(0, 0)
    return Rescheduled(cards=len(schedules), answers=len(log), moved=moved)

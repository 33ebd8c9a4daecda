"""What every front end shares: which database, which clock, and the first-run import.

The command line builds one `Env` from its options; the terminal app is handed the same object,
and tests build one with a fixed clock and a temporary database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, select

from srs.config import Config, as_written, load_config, shown_path
from srs.core.day import Clock
from srs.errors import SrsError
from srs.storage import db, tables

BUNDLED_MARK = "bundled_decks_imported"


def system_clock(config: Config | None = None) -> Clock:
    """The real clock: now in UTC, in the time zone and with the rollover hour of `config` (by
    default the settings in effect: $SRS_TZ and $SRS_ROLLOVER_HOUR, else the config file), the
    local time zone where none is set."""
    from dateutil import tz

    config = load_config() if config is None else config
    now = datetime.now(timezone.utc)
    name = config.tz.value
    zone = _zone(name, now, config) if name else tz.tzlocal()
    return Clock(now=lambda: datetime.now(timezone.utc), tz=zone, rollover_hour=config.rollover_hour.value)


MIN_UTC_OFFSET, MAX_UTC_OFFSET = timedelta(hours=-12), timedelta(hours=14)
"""The offsets real time zones use, from Baker Island to the Line Islands."""


def _zone(name: str, now: datetime, config: Config) -> tzinfo:
    """The time zone $SRS_TZ (or the config file) names, checked at two seasons of this year (for summer time)."""
    from dateutil import tz

    if config.tz.from_file:  # named as the file writes it
        given, examples = (
            f"{shown_path(config.path)}: tz: {as_written(name)}",
            'tz = "Europe/Paris" or tz = "UTC+02:00"',
        )
    else:
        given, examples = f"SRS_TZ={name!r}", "SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00"
    bad = f"{given} is not a time zone (e.g. {examples})"
    try:
        zone = tz.gettz(name)
        offsets = (
            [datetime(now.year, month, 1, tzinfo=timezone.utc).astimezone(zone).utcoffset() for month in (1, 7)]
            if zone
            else []
        )
    except Exception:  # dateutil reads any file named as a zone file, and parses offsets of any size
        raise SrsError(bad) from None
    known = [offset for offset in offsets if offset is not None]
    if zone is None or len(known) < len(offsets):
        raise SrsError(bad)
    for offset in known:
        if not MIN_UTC_OFFSET <= offset <= MAX_UTC_OFFSET:
            raise SrsError(
                f"{given} is {offset / timedelta(hours=1):+g} hours from UTC; real time zones are "
                f"from -12 to +14 (e.g. {examples})"
            )
    return zone


def bundled_deck_files() -> list[Path]:
    """The decks shipped with the program: inside the installed package, or beside the source."""
    here = Path(__file__).resolve().parent
    for folder in (here / "bundled_decks", here.parent / "decks"):
        if folder.is_dir():
            return sorted(p for p in folder.iterdir() if p.suffix in (".gexf", ".graphml", ".json", ".csv", ".md"))
    return []


@dataclass
class Env:
    """The database and clock a command or the app works with.

    Every transaction is either a read or a write, said when it is opened: `connection()` reads
    (a snapshot that never waits for a writer, and that refuses to write); `connection(write=True)`
    writes, taking the write lock up front (SQLite) so that two writers take turns instead of one
    failing.
    """

    url: str | URL
    """SQLAlchemy URL of the database."""
    clock: Clock = field(default_factory=system_clock)
    """Where "now" and "today" come from."""
    seed_bundled: bool = True
    """Import the bundled decks into a database that has never held a deck."""
    config: Config = field(default_factory=load_config)
    """The learner's settings (`srs.config`): the daily limits a new deck starts with, and more."""
    _engine: Engine | None = None
    _reader: Engine | None = None
    """The engine's read-only side (`db.reading`), made once."""
    _learner_id: int | None = None

    @property
    def where(self) -> str:
        return db.describe(self.url)

    @property
    def learner(self) -> str:
        """The learner's name: `--learner`, $SRS_LEARNER, the config file, the user's name."""
        return self.config.learner.value

    @property
    def learner_id(self) -> int:
        """The learner's id in the database, made (with their cards) when the database is opened."""
        self.engine()
        assert self._learner_id is not None
        return self._learner_id

    def engine(self) -> Engine:
        if self._engine is None:
            engine = db.open_engine(self.url)
            try:
                self._engine = engine
                self._learner_id = self._become_learner()
                if self.seed_bundled and not db.is_read_only(engine):
                    self._import_bundled()
            except BaseException:
                self.close()
                raise
        return self._engine

    def _become_learner(self) -> int:
        """The learner's id, with a card of theirs for every question of every deck: read, and
        written only where something is missing (the first time a learner opens the database,
        or a database from before learners)."""
        from srs.storage import learners

        with self.connection() as conn:
            found = learners.learner_id(conn, self.learner)
            if not learners.needs_enrolling(conn, found):
                assert found is not None
                return found
        engine = self._engine
        assert engine is not None
        if db.is_read_only(engine):
            if found is None:
                raise SrsError(f"{self.where}: no learner named {self.learner!r}, and the database is read-only")
            return found
        with self.connection(write=True) as conn:
            db.serialise(conn, "learner")
            return learners.become(conn, self.learner)

    def _engine_for(self, write: bool) -> Engine:
        engine = self.engine()
        if write:
            return engine
        if self._reader is None:
            self._reader = db.reading(engine)
        return self._reader

    @contextmanager
    def connection(self, write: bool = False) -> Iterator[Connection]:
        """A Core connection in one transaction, committed on success, rolled back on any error.
        Read-only unless `write`."""
        engine = self._engine_for(write)
        with (
            db.storage_errors(self.where, self._engine_for(False)),
            _no_write_in_a_read(write),
            engine.begin() as conn,
        ):
            yield conn

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._reader = None

    def _import_bundled(self) -> None:
        with self.connection() as conn:
            if _seeded(conn):
                return

        from srs.readers import read_deck
        from srs.storage.importing import import_graph

        with self.connection(write=True) as conn:
            db.serialise(conn, "first import")
            if _seeded(conn):  # another process got there first
                return
            for path in bundled_deck_files():
                graph = read_deck(path)
                import_graph(
                    conn, graph.label(graph.root), graph, str(path), self.clock.now(), limits=self.config.deck_limits()
                )
            conn.execute(tables.meta.insert().values(key=BUNDLED_MARK, value="1"))


@contextmanager
def _no_write_in_a_read(write: bool) -> Iterator[None]:
    """A write refused in a read-only transaction is a bug of the program, not the learner's."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        if not write and db.write_refused(exc):
            raise RuntimeError("a write in a read-only transaction: open it with write=True") from exc
        raise


def _seeded(conn) -> bool:
    """Whether the database ever held a deck."""
    marked = conn.scalar(select(tables.meta.c.value).where(tables.meta.c.key == BUNDLED_MARK))
    return marked is not None or conn.scalar(select(tables.decks.c.id).limit(1)) is not None

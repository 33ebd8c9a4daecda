"""Opening the database: where it lives, the engine, schema versions, and its errors in words.

Nothing happens at import time; `open_engine` does the work when a command needs it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from srs.errors import StorageError
from srs.storage.tables import meta, metadata

APP_NAME = "srs"
DB_FILE_NAME = "srs.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

SCHEMA_VERSION = 3
"""The schema this program writes. Raise it with every change to the tables, with a step below."""

Migration = Callable[[Connection], None]


def _due_index_in_queue_order(conn: Connection) -> None:
    """Schema 2: the due-card index in queue order (due day, then rank) and covering the queue's
    filters, so a session's first due cards come off it without sorting every due card."""
    conn.exec_driver_sql("DROP INDEX ix_cards_due")
    conn.exec_driver_sql("CREATE INDEX ix_cards_due ON cards (deck_id, due, rank, suspended, retired, reviews)")


def _answered_cards_only_in_day_indexes(conn: Connection) -> None:
    """Schema 3: the due-day and answer-day indexes hold only cards that have such a day, so new
    cards (most of every import) stay out of them; the new-card index, which now serves counts
    of a deck's cards, also covers `retired`."""
    conn.exec_driver_sql("DROP INDEX ix_cards_new")
    conn.exec_driver_sql("CREATE INDEX ix_cards_new ON cards (deck_id, suspended, reviews, rank, retired)")
    conn.exec_driver_sql("DROP INDEX ix_cards_due")
    conn.exec_driver_sql(
        "CREATE INDEX ix_cards_due ON cards (deck_id, due, rank, suspended, retired, reviews) WHERE due IS NOT NULL"
    )
    conn.exec_driver_sql("DROP INDEX ix_cards_last_day")
    conn.exec_driver_sql("CREATE INDEX ix_cards_last_day ON cards (deck_id, last_day) WHERE last_day IS NOT NULL")


MIGRATIONS: dict[int, Migration] = {2: _due_index_in_queue_order, 3: _answered_cards_only_in_day_indexes}
"""Steps that bring a database from version N-1 to N, keyed by N (2 onwards).

A new database is created at SCHEMA_VERSION directly from `srs.storage.tables`, so every step
must leave an older database exactly as `metadata.create_all` would have made it.
"""


def default_db_path() -> Path:
    """The database file in the user's data directory (e.g. ~/.local/share/srs/srs.sqlite3)."""
    import platformdirs  # deferred: only a default path needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def database_url(db_path: str | os.PathLike | None = None, environ: dict | None = None) -> URL | str:
    """The database to use: `--db PATH`, else $SRS_DB, else $SRS_DATABASE_URL, else the default file.

    A file becomes a `URL` object, never text: a file name may hold `?`, `#` or `%`, which a URL
    string would read as its query, fragment or an escape.
    """
    env = os.environ if environ is None else environ
    if db_path:
        return sqlite_url(db_path)
    if env.get("SRS_DB"):
        return sqlite_url(env["SRS_DB"])
    if env.get("SRS_DATABASE_URL"):
        return env["SRS_DATABASE_URL"]
    return sqlite_url(default_db_path())


def sqlite_url(path: str | os.PathLike) -> URL:
    """The URL of the SQLite file at `path` (`~` expanded), whatever characters its name holds."""
    return URL.create("sqlite", database=str(Path(path).expanduser()))


def describe(url: URL | str) -> str:
    """How to name the database in a message: its file path, or the URL without a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.query.get("uri") == "true" and (parsed.database or "").startswith("file:"):
            return unquote(parsed.database.removeprefix("file:"))  # as `_read_only_url` wrote it
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def open_engine(url: URL | str, migrate_schema: bool = True) -> Engine:
    """An engine on `url`, with the schema created or brought up to date.

    Its transactions write: each takes the write lock as it begins (SQLite's `BEGIN IMMEDIATE`,
    so a second writer waits for the busy timeout instead of failing at its first write), and
    `reading(engine)` gives the read-only ones, which never wait for a writer.

    For SQLite: the folder is created, a file that is not SQLite is refused before anything is
    written to it, and each connection uses WAL and a busy timeout so two terminals can share it.
    A file that cannot be written (or whose folder cannot) is opened read-only: reading works,
    a write transaction is refused with a `StorageError` before it starts.
    """
    parsed = make_url(url)
    where = describe(parsed)
    if parsed.get_backend_name() == "sqlite":
        read_only = _check_sqlite_file(parsed.database)
        if read_only:
            parsed = _read_only_url(parsed)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas(read_only is not None))
        # pysqlite would commit before any DDL; let SQLAlchemy's transactions mean what they say.
        event.listen(engine, "begin", _sqlite_begin(where, read_only))
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    if migrate_schema:
        with storage_errors(where):
            migrate(engine)
    return engine


READ_ONLY = "srs_read_only"
"""The execution option that makes an engine's (or a connection's) transactions read-only."""


def reading(engine: Engine) -> Engine:
    """The engine's read-only side: its transactions read a snapshot, never wait for a writer
    (SQLite's WAL, PostgreSQL's MVCC) and cannot write (a write fails at once, so a read
    transaction that should have been a write one shows up in the first test that runs it)."""
    options: dict = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return engine.execution_options(**options)


def is_read_only(engine: Engine) -> bool:
    """Whether the engine opened its SQLite file read-only (see `open_engine`)."""
    return engine.url.get_backend_name() == "sqlite" and engine.url.query.get("mode") == "ro"


def serialise(conn: Connection, what: str) -> None:
    """Let one transaction at a time do `what` (creating the schema, a first import): on
    PostgreSQL a lock held to the end of the transaction; SQLite's write lock already does it."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"srs:{what}"))))


def _check_sqlite_file(database: str | None) -> str | None:
    """Refuse what cannot be a database; None if the file can be written, else why it cannot."""
    if not database or database == ":memory:":
        return None
    path = Path(database)
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StorageError(f"{path}: cannot read the database: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise StorageError(f"{path}: not an SQLite database")
        if not os.access(path, os.W_OK):
            return "the file cannot be written"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return "its folder cannot be written"
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path.parent}: cannot create the database folder: {exc.strerror}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(f"{path}: cannot create the database: the folder is not writable")
    return None


def _read_only_url(url: URL) -> URL:
    """The file opened read-only, as an SQLite URI filename. Where its folder cannot be written
    and no writer has the write-ahead log open (no -wal, -shm files beside it), nobody can be
    changing it, and SQLite is told so (`immutable`): it could not make the files it would
    otherwise need to read a WAL database."""
    path = Path(url.database).resolve()
    query = {"mode": "ro", "uri": "true"}
    wal_files = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not all(f.exists() for f in wal_files):
        query["immutable"] = "1"
    return url.set(database=f"file:{quote(str(path))}", query=query)


def _sqlite_pragmas(read_only: bool):
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not read_only:  # the journal mode is written into the file
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    return on_connect


def _sqlite_begin(where: str, read_only: str | None):
    """Begin SQLite transactions as SQLAlchemy's say: a read-only one (`reading`) as a plain
    `BEGIN` on a connection that refuses writes (`query_only`); any other with the write lock
    taken up front, so it waits its turn behind another writer for the busy timeout. (A plain
    `BEGIN` that writes later cannot wait: SQLite fails it at once, as waiting could deadlock.)"""

    def begin(conn: Connection) -> None:
        reads = bool(conn.get_execution_options().get(READ_ONLY))
        if not reads and read_only:
            raise StorageError(f"{where}: the database is read-only ({read_only}); nothing was changed")
        info = conn.connection.info
        if info.get("query_only") != reads:
            conn.exec_driver_sql(f"PRAGMA query_only = {int(reads)}")
            info["query_only"] = reads
        conn.exec_driver_sql("BEGIN" if reads else "BEGIN IMMEDIATE")

    return begin


def schema_version(conn: Connection) -> int | None:
    """The schema version stored in the database, or None for a database without our tables."""
    if not inspect(conn).has_table(meta.name):
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def migrate(engine: Engine, migrations: dict[int, Migration] | None = None, head: int | None = None) -> int:
    """Create the schema, or apply the steps from the stored version to `head`, in one transaction.

    Returns the version the database is at afterwards.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    head = SCHEMA_VERSION if head is None else head
    # Read first: a database already at `head` (every open but the first) takes no write lock.
    with reading(engine).begin() as conn:
        version = schema_version(conn)
    if version == head:
        return head
    _refuse_newer(engine, version, head)
    with engine.begin() as conn:
        serialise(conn, "schema")
        version = schema_version(conn)  # again: another process may have got there meanwhile
        if version == head:
            return head
        if version is None:
            if inspect(conn).get_table_names():
                raise StorageError(f"{describe(engine.url)}: holds tables of another program")
            metadata.create_all(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(head)))
            return head
        _refuse_newer(engine, version, head)
        for step in range(version + 1, head + 1):
            migrations[step](conn)
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(head)))
        return head


def _refuse_newer(engine: Engine, version: int | None, head: int) -> None:
    if version is not None and version > head:
        raise StorageError(
            f"{describe(engine.url)}: written by a newer version of srs "
            f"(schema {version}; this one knows up to {head}); upgrade srs"
        )


@contextmanager
def storage_errors(where: str) -> Iterator[None]:
    """Turn a database failure into a `StorageError` that says what happened, in words."""
    try:
        yield
    except StorageError:
        raise
    except DBAPIError as exc:
        raise StorageError(f"{where}: {explain(exc)}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"{where}: {exc.__class__.__name__}: {exc}") from exc


def write_refused(exc: DBAPIError) -> bool:
    """Whether the driver refused a write because the connection or transaction is read-only."""
    text = str(exc.orig).lower()
    return "readonly database" in text or "read-only transaction" in text


def explain(exc: DBAPIError) -> str:
    """A driver error as one line a learner can act on."""
    text = str(exc.orig).strip() if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return "the database is locked by another program; close it and try again"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only"
    if "disk is full" in lowered or "disk full" in lowered:
        return "the disk is full; nothing was saved"
    if "not a database" in lowered or "malformed" in lowered:
        return "not an SQLite database, or a damaged one"
    if "unable to open" in lowered:
        return "cannot open the database file"
    return text.splitlines()[0] if text else exc.__class__.__name__

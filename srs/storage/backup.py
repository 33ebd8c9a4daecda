"""A consistent copy of an SQLite database, taken while it may be in use.

SQLite's online backup API (`sqlite3.Connection.backup`) copies the database as one reader sees
it: every committed answer, those still in the write-ahead log (`-wal`) as well as those already
in the main file, and nothing of a transaction not yet committed. Copying the main file alone
would miss the answers still in the log. The copy goes to a new file beside the target and
replaces it only once whole.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from srs.core.events import ANSWERS
from srs.errors import SrsError, StorageError
from srs.storage.db import SQLITE_MAGIC

COUNTED = ("SELECT count(*) FROM decks", f"SELECT count(*) FROM reviews WHERE kind IN {ANSWERS!r}")
"""What a backup reports, read back from the copy: its decks, and the learner's answers (`srs.core.events`)."""


class BackupError(SrsError):
    """A backup that cannot be taken: a server database, or a target it may not write."""


@dataclass(frozen=True)
class Backup:
    """What a backup wrote."""

    database: str
    """The database copied, as messages name it."""
    path: Path
    """The file written (where a link given as the target led)."""
    size: int
    """The copy's size in bytes."""
    decks: int
    answers: int
    """The decks and the answers in the copy, read back from it."""


def copy_database(database: Path, target: Path, shown: str | os.PathLike | None = None) -> Backup:
    """Copy the SQLite file `database` to `target` in one read transaction, whole or not at all.

    `target` is a checked place to write (`srs.export_file.export_target`); `shown` is how to
    name it in an error. A journal beside `target` is refused: SQLite would read it as part of
    the new file.
    """
    shown = target if shown is None else shown
    for suffix in ("-wal", "-journal"):
        if os.path.lexists(f"{target}{suffix}"):
            raise BackupError(
                f"{shown}: cannot write the backup: {target.name}{suffix} is beside it "
                "(a database open there, or one not closed cleanly); choose another file"
            )
    source = _open_source(database)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one snapshot, however busy the database
            decks, answers = (copy.execute(query).fetchone()[0] for query in COUNTED)
        finally:
            copy.close()
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise StorageError(f"{database}: cannot back it up: {exc}") from None
    except OSError as exc:
        raise BackupError(f"{shown}: cannot write the backup: {exc.strerror or exc}") from None
    finally:
        source.close()
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    return Backup(str(database), target, target.stat().st_size, decks, answers)


def _open_source(database: Path) -> sqlite3.Connection:
    """A read-only connection to the database file, refused when it is missing or not SQLite."""
    try:
        with open(database, "rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{database}: no database there to back up") from None
    except OSError as exc:
        raise StorageError(f"{database}: cannot read the database: {exc.strerror or exc}") from None
    if head != SQLITE_MAGIC:
        raise StorageError(f"{database}: not an SQLite database")
    # Read-only: a backup never writes to the database it copies (the URI keeps any character of the path).
    return sqlite3.connect(f"file:{quote(str(database.resolve()))}?mode=ro", uri=True)

"""Backing up the learner's database: where a copy may go, then the copy itself (`srs.storage.backup`)."""

from __future__ import annotations

import os
from pathlib import Path

from srs.env import Env
from srs.errors import ExportError
from srs.export.files import export_target
from srs.storage.backup import Backup, BackupError, copy_database
from srs.storage.db import database_file, describe

__all__ = ["Backup", "backup_database"]


def backup_database(env: Env, path: str | os.PathLike, force: bool = False) -> Backup:
    """Copy the SQLite database of `env` to `path`, whole or not at all.

    Refuses (`BackupError`) a server database (pg_dump is the tool for those), and a target that
    is the database or one of its files, that is not a plain file in a writable folder (the
    checks of an export's target), or that exists, unless `force`. Opens no engine: a backup
    neither creates the database nor imports the bundled decks into it.
    """
    database = database_file(env.url)
    if database is None:
        where = describe(env.url)
        if where.startswith("postgres"):
            raise BackupError(
                f"srs backup copies an SQLite file; {where} is a PostgreSQL database: "
                "back it up with pg_dump (e.g. pg_dump -Fc -f srs.dump DBNAME)"
            )
        raise BackupError(f"srs backup copies an SQLite file, and {where} is not one")
    shown = Path(path).expanduser()
    try:
        target = export_target(shown, database, what="backup")
    except ExportError as exc:  # the same checks as an export's
        raise BackupError(str(exc)) from None
    if os.path.lexists(target) and not force:
        raise BackupError(f"{shown}: the file exists; add --force to replace it")
    return copy_database(database, target, shown)

"""Where an export may go, and writing it so that it appears whole or not at all.

Both exports (the command line's and the terminal app's) pass the path they are given through
`export_target` before any work, and write through `atomic_file`. An export never replaces the
database in use (nor its journal files), nor anything that is not a plain file: a folder, a
named pipe, a device such as /dev/null. A symbolic link is written through: the file it points
at gets the export, and the link stays.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from srs.errors import ExportError

DATABASE_COMPANIONS = ("", "-wal", "-journal", "-shm")
"""The database file and the files SQLite keeps beside it while it is open."""

_NOT_A_FILE = (
    (stat.S_ISDIR, "it is a folder"),
    (stat.S_ISFIFO, "it is a named pipe, not a file"),
    (stat.S_ISCHR, "it is a device, not a file"),
    (stat.S_ISBLK, "it is a device, not a file"),
    (stat.S_ISSOCK, "it is a socket, not a file"),
)


def protected_files(database: Path | None) -> set[str]:
    """The real paths of the database file `database` and its companions (none for a server)."""
    if database is None:
        return set()
    # SQLite names the journal after the path it was given; a link to the database may be that path.
    names = {str(database), os.path.realpath(database)}
    return {os.path.realpath(name + suffix) for name in names for suffix in DATABASE_COMPANIONS}


def export_target(path: str | os.PathLike, database: Path | None, what: str = "export") -> Path:
    """The file an export to `path` replaces: `path` itself, or the file a link at `path` points to.

    Raises `ExportError`, naming `path`, when that is the database file `database` (None for a
    database on a server) or one of its journal files, when it exists and is not a plain file,
    when it is read-only, or when its folder is missing or not writable. `what` names the file
    being written in the message ("export", "backup").
    """
    path = Path(path).expanduser()

    def refuse(why: str) -> ExportError:
        return ExportError(f"{path}: cannot write the {what}: {why}")

    target = Path(os.path.realpath(path))
    if database is not None and str(target) in protected_files(database):
        if str(target) == os.path.realpath(database):
            raise refuse(f"it is the database in use ({database})")
        raise refuse(f"it is {target.name}, a file of the database in use ({database})")
    folder = target.parent
    if not folder.exists():
        raise refuse(f"folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise refuse(f"{str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise refuse(f"folder {str(folder)!r} is not writable")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise refuse(exc.strerror or str(exc)) from None
    if mode is not None:
        if stat.S_ISLNK(mode):  # what a link leads to is still a link: it loops
            raise refuse("it is a symbolic link that leads round in a loop")
        for test, why in _NOT_A_FILE:
            if test(mode):
                raise refuse(why)
        if not stat.S_ISREG(mode):
            raise refuse("it is not a plain file")
        if not os.access(target, os.W_OK):
            raise refuse("the file is read-only")
    return target


@contextmanager
def atomic_file(target: Path, shown: str | os.PathLike | None = None) -> Iterator[BinaryIO]:
    """A new binary file beside `target` that replaces it when the block ends without error.

    On any error the new file goes and `target` stays as it was. `target` is what
    `export_target` returned; `shown` is how to name it in an error (the path the user gave).
    """
    shown = target if shown is None else shown
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        # Created like any new file (the umask decides its mode), and never over another's file.
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"{shown}: cannot write the export: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"{shown}: cannot write the export: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise

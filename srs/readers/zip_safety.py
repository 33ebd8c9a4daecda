"""Reading one member of a zip archive in memory, with zip bombs refused.

The archive's directory is checked before anything is inflated: too many entries, an entry
that claims more bytes than the archive could hold, a total past `MAX_UNPACKED`, or an entry
that would inflate more than `MAX_RATIO` times its packed size is refused. A member is read
into memory, never extracted to disk, and never past the size its entry declares (the zip
module stops there, and checks the CRC at the end).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from srs.errors import DeckFileError

MAX_UNPACKED = 256 << 20
"""Most bytes all the entries of an archive may inflate to together."""
MAX_RATIO = 200
"""Most times an entry may inflate its packed size (text deflates 5 to 20 times; a bomb 1,000)."""
RATIO_FROM = 1 << 20
"""Entries smaller than this inflate to little whatever their ratio, so it is not checked."""
MAX_ENTRIES = 10_000


def open_archive(path: Path, data: bytes, what: str) -> zipfile.ZipFile:
    """The zip archive `data`, its directory checked; `what` names the format in the messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DeckFileError(path, f"not {what}: not a zip archive, or a broken one") from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise DeckFileError(path, f"the archive has {len(entries):,} entries; the limit is {MAX_ENTRIES:,}")
    total = 0
    for entry in entries:
        if entry.compress_size > len(data):
            raise DeckFileError(
                path,
                f"the entry claims {entry.compress_size:,} packed bytes, more than the archive holds",
                entry.filename,
            )
        if entry.file_size > MAX_UNPACKED:
            raise DeckFileError(
                path,
                f"the entry would inflate to {entry.file_size:,} bytes; the limit is {MAX_UNPACKED:,}",
                entry.filename,
            )
        if entry.file_size >= RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise DeckFileError(
                path,
                f"the entry would inflate {entry.file_size // max(entry.compress_size, 1):,} times "
                f"(a zip bomb?); the limit is {MAX_RATIO}",
                entry.filename,
            )
        total += entry.file_size
    if total > MAX_UNPACKED:
        raise DeckFileError(
            path, f"the archive would inflate to {total:,} bytes (a zip bomb?); the limit is {MAX_UNPACKED:,}"
        )
    return archive


def member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of the entry `name`, read in memory."""
    try:
        with archive.open(name) as f:
            return f.read()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise DeckFileError(path, f"cannot read the entry: {exc}", name) from None

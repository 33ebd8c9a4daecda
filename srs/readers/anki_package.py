"""Reading the reviews out of an Anki package: a collection package (`.colpkg`) or a deck package
exported with its scheduling (`.apkg`).

Both are zip archives (read through `zip_safety`'s limits) holding the collection, an SQLite
database: `collection.anki21b` compressed with zstd in the packages Anki 2.1.50 and later write
(beside a stub `collection.anki2` that only says to upgrade), else `collection.anki21` or
`collection.anki2` as they are. Of the collection, this reads the notes' GUIDs, each card's note
and template (`ord`), and the review log (`revlog`: `id` is the review's time in milliseconds,
`cid` its card, `ease` the button, 1-4, 0 for a manual reschedule, `time` the milliseconds taken,
`type` 0 learning, 1 review, 2 relearning, 3 filtered deck, 4 manual, 5 rescheduled).

The collection is written to a temporary file only for SQLite to read it, and removed after.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from srs.errors import DeckFileError
from srs.readers.zip_safety import MAX_UNPACKED, member, open_archive

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""The collection's names in a package, the newest format first (the first one there is read)."""

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class AnkiReview:
    """One entry of Anki's review log, with the note and template of its card."""

    revlog_id: int
    """Anki's id of the entry: the moment of the review in milliseconds since 1970 (UTC)."""
    note_guid: str
    template_ord: int
    ease: int
    """The button: 1 Again, 2 Hard, 3 Good, 4 Easy; 0 for an entry that is not an answer."""
    kind: int
    """Anki's `revlog.type`: 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled."""
    duration_ms: int


def read_reviews(path: Path) -> list[AnkiReview]:
    """Every entry of the package's review log, oldest first, with its card's note and template."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeckFileError(path, f"cannot read the file: {exc.strerror or exc}") from None
    archive = open_archive(path, data, "an Anki package")
    names = set(archive.namelist())
    name = next((n for n in COLLECTIONS if n in names), None)
    if name is None:
        raise DeckFileError(path, "not an Anki package: it holds no collection")
    collection = _decompressed(path, member(path, archive, name), name)
    if not collection.startswith(SQLITE_MAGIC):
        raise DeckFileError(path, "the collection in it is not an SQLite database", name)
    with tempfile.TemporaryDirectory(prefix="srs-anki-") as folder:
        file = Path(folder) / "collection.sqlite3"
        file.write_bytes(collection)
        return _read_log(path, file, name)


def _decompressed(path: Path, data: bytes, name: str) -> bytes:
    """The collection `data` as SQLite: inflated where it is zstd's (never past `MAX_UNPACKED`)."""
    if not data.startswith(ZSTD_MAGIC):
        return data
    import zstandard  # deferred: only a package of Anki 2.1.50 or later needs it

    chunks, total = [], 0
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            while chunk := reader.read(1 << 20):
                total += len(chunk)
                if total > MAX_UNPACKED:
                    raise DeckFileError(
                        path, f"the collection would inflate past {MAX_UNPACKED:,} bytes (a zip bomb?)", name
                    )
                chunks.append(chunk)
    except zstandard.ZstdError as exc:
        raise DeckFileError(path, f"cannot inflate the collection: {exc}", name) from None
    return b"".join(chunks)


def _read_log(path: Path, file: Path, name: str) -> list[AnkiReview]:
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT r.id, n.guid, c.ord, r.ease, r.type, r.time FROM revlog r"
            " JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DeckFileError(path, f"not an Anki collection: {exc}", name) from None
    finally:
        conn.close()
    try:
        return [AnkiReview(int(i), str(g), int(o), int(e), int(t), max(0, int(ms))) for i, g, o, e, t, ms in rows]
    except (TypeError, ValueError):
        raise DeckFileError(path, "the collection's review log holds a value that is not a number", name) from None

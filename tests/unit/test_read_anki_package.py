"""The review log read out of an Anki package: a zstd-compressed collection inflated within the
limits, and a zstd bomb refused."""

import sqlite3
import zipfile

import pytest
import zstandard

from srs.errors import DeckFileError
from srs.readers import anki_package
from srs.readers.anki_package import AnkiReview, read_reviews


def collection_bytes(tmp_path) -> bytes:
    file = tmp_path / "c.anki2"
    with sqlite3.connect(file) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT)")
        conn.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, ord INTEGER)")
        conn.execute(
            "CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, ease INTEGER, time INTEGER, type INTEGER)"
        )
        conn.execute("INSERT INTO notes VALUES (1, 'g1')")
        conn.execute("INSERT INTO cards VALUES (10, 1, 2)")
        conn.executemany("INSERT INTO revlog VALUES (?, 10, ?, ?, ?)", [(2000, 3, 8000, 1), (1000, 1, -5, 0)])
    conn.close()
    return file.read_bytes()


def package(tmp_path, name: str, data: bytes):
    path = tmp_path / "p.colpkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki2", b"a stub older Ankis would show")
        archive.writestr(name, data)
    return path


def test_the_newest_collection_is_read_inflated_oldest_review_first(tmp_path):
    data = zstandard.ZstdCompressor().compress(collection_bytes(tmp_path))
    assert read_reviews(package(tmp_path, "collection.anki21b", data)) == [
        AnkiReview(revlog_id=1000, note_guid="g1", template_ord=2, ease=1, kind=0, duration_ms=0),
        AnkiReview(revlog_id=2000, note_guid="g1", template_ord=2, ease=3, kind=1, duration_ms=8000),
    ]


def test_a_collection_that_would_inflate_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(anki_package, "MAX_UNPACKED", 1 << 20)
    bomb = zstandard.ZstdCompressor().compress(bytes(2 << 20))
    with pytest.raises(DeckFileError, match="would inflate past 1,048,576 bytes"):
        read_reviews(package(tmp_path, "collection.anki21b", bomb))


def test_a_collection_that_is_not_one_is_refused(tmp_path):
    with pytest.raises(DeckFileError, match="not an SQLite database"):
        read_reviews(package(tmp_path, "collection.anki21", b"plain text"))
    with pytest.raises(DeckFileError, match="not an Anki collection: no such table"):
        file = tmp_path / "other.sqlite3"
        sqlite3.connect(file).close()
        with sqlite3.connect(file) as conn:
            conn.execute("CREATE TABLE x (id INTEGER)")
        conn.close()
        read_reviews(package(tmp_path, "collection.anki21", file.read_bytes()))

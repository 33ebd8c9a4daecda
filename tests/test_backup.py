"""`srs backup FILE`: a consistent copy through SQLite's online backup API, taken while another
connection holds answers in the write-ahead log and a transaction not yet committed."""

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from srs.cli import cli


@pytest.fixture
def srs(tmp_path):
    """Run `srs --db FILE ...` in-process on a database of its own; returns the output."""
    db = tmp_path / "srs.sqlite3"

    def invoke(*args, code=0, db=db, env=None):
        result = CliRunner().invoke(cli, ["--db", str(db), *args], env=env)
        assert result.exit_code == code, result.output
        return result.output

    invoke.db = db
    return invoke


@pytest.fixture
def studied(srs, data):
    """A deck with three answers, all of them still in the -wal file (a connection stays open so
    that the last one to close does not fold the log into the main file)."""
    srs("import", str(data / "small.gexf"))
    holder = sqlite3.connect(srs.db)
    holder.execute("SELECT count(*) FROM reviews").fetchone()
    for node, grade in (("Compute", "4"), ("Data", "2"), ("Data Parallelism", "5")):
        srs("answer", node, grade)
    yield holder
    holder.close()


def answers_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


def test_a_backup_holds_every_committed_answer_which_a_plain_copy_misses(srs, studied, tmp_path):
    plain = tmp_path / "plain-copy.sqlite3"
    shutil.copyfile(srs.db, plain)  # what `cp srs.sqlite3 elsewhere` gives
    assert answers_in(plain) == 0  # the answers are in srs.sqlite3-wal, not yet in the file

    # Another program is mid-way through a write it has not committed: answers and a new deck name.
    writer = sqlite3.connect(srs.db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    columns = [row[1] for row in writer.execute("PRAGMA table_info(reviews)") if row[1] not in ("id", "event_id")]
    listed = ", ".join(columns)
    writer.execute(  # three answers more, each an event of its own
        f"INSERT INTO reviews ({listed}, event_id) SELECT {listed}, 'copy-' || id FROM reviews"
    )
    writer.execute("UPDATE decks SET name = 'not committed'")
    assert writer.execute("SELECT count(*) FROM reviews").fetchone() == (6,)
    try:
        copy = tmp_path / "backup.sqlite3"
        out = srs("backup", str(copy))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    size = copy.stat().st_size
    assert out == f"Backed up {srs.db} to {copy}: 1 deck, 3 answers, {size:,} bytes\n"
    assert answers_in(copy) == 3
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT name FROM decks").fetchall() == [("Scaling",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # The copy is a database srs opens as it is, with the same history.
    assert srs("stats", db=copy) == srs("stats")
    assert "Last 30 days: 3 answers on 1 day" in srs("stats", db=copy)
    assert srs("stats", "--json", db=copy) == srs("stats", "--json")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial file left


def test_a_backup_keeps_every_answers_event_id_and_device_and_the_database_its_device(srs, studied, tmp_path):
    copy = tmp_path / "backup.sqlite3"
    srs("backup", str(copy))
    identity = "SELECT id, event_id, device FROM reviews ORDER BY id"
    device = "SELECT value FROM meta WHERE key = 'device_id'"
    with sqlite3.connect(srs.db) as source, sqlite3.connect(copy) as backup:
        held = source.execute(identity).fetchall()
        assert len(held) == 3 and len({event_id for _, event_id, _ in held}) == 3
        assert backup.execute(identity).fetchall() == held
        assert backup.execute(device).fetchall() == source.execute(device).fetchall() == [(held[0][2],)]
    source.close()
    backup.close()
    # Answering in the restored copy goes on under the same device.
    srs("answer", "Compute", "3", db=copy)
    with sqlite3.connect(copy) as backup:
        assert backup.execute("SELECT DISTINCT device FROM reviews").fetchall() == [(held[0][2],)]
    backup.close()


def test_json_says_what_was_written(srs, studied, tmp_path):
    copy = tmp_path / "backup.sqlite3"
    assert json.loads(srs("backup", str(copy), "--json")) == {
        "database": str(srs.db),
        "file": str(copy),
        "bytes": copy.stat().st_size,
        "decks": 1,
        "answers": 3,
    }


def test_an_existing_file_is_replaced_only_with_force(srs, studied, tmp_path):
    copy = tmp_path / "backup.sqlite3"
    copy.write_text("last week's")
    assert srs("backup", str(copy), code=2) == f"Error: {copy}: the file exists; add --force to replace it\n"
    assert copy.read_text() == "last week's"
    srs("backup", str(copy), "--force")
    assert answers_in(copy) == 3


def test_a_link_is_written_through(srs, studied, tmp_path):
    real = tmp_path / "real.sqlite3"
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    srs("backup", str(link))
    assert link.is_symlink() and answers_in(real) == 3


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_never_over_the_database_or_its_files(srs, studied, suffix):
    target = srs.db.with_name(srs.db.name + suffix)
    before = target.read_bytes()
    out = srs("backup", str(target), "--force", code=2)
    what = "it is the database in use" if not suffix else f"it is srs.sqlite3{suffix}, a file of the database in use"
    assert out == f"Error: {target}: cannot write the backup: {what} ({srs.db})\n"
    assert target.read_bytes() == before
    assert answers_in(srs.db) == 3


def test_not_where_a_journal_of_another_database_lies(srs, studied, tmp_path):
    copy = tmp_path / "backup.sqlite3"
    copy.write_bytes(b"")
    (tmp_path / "backup.sqlite3-wal").write_bytes(b"old log")
    assert srs("backup", str(copy), "--force", code=2) == (
        f"Error: {copy}: cannot write the backup: backup.sqlite3-wal is beside it "
        "(a database open there, or one not closed cleanly); choose another file\n"
    )


def test_refusals_of_a_folder_and_a_missing_folder(srs, studied, tmp_path):
    assert srs("backup", str(tmp_path), code=2) == f"Error: {tmp_path}: cannot write the backup: it is a folder\n"
    missing = tmp_path / "nowhere" / "backup.sqlite3"
    assert srs("backup", str(missing), code=2) == (
        f"Error: {missing}: cannot write the backup: folder {str(missing.parent)!r} does not exist\n"
    )


def test_no_database_to_back_up(srs, tmp_path):
    assert srs("backup", str(tmp_path / "b.sqlite3"), code=2) == f"Error: {srs.db}: no database there to back up\n"
    assert not srs.db.exists() and not (tmp_path / "b.sqlite3").exists()


def test_on_postgresql_pg_dump_is_the_tool(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["backup", str(tmp_path / "b.sqlite3")],
        env={"SRS_DATABASE_URL": "postgresql+psycopg://ada@db.example/srs"},
    )
    assert (result.exit_code, result.output) == (
        2,
        "Error: srs backup copies an SQLite file; postgresql+psycopg://ada@db.example/srs is a PostgreSQL "
        "database: back it up with pg_dump (e.g. pg_dump -Fc -f srs.dump DBNAME)\n",
    )
    assert not (tmp_path / "b.sqlite3").exists()

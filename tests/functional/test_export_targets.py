"""Where an export may be written: never over the database in use or over what is not a file;
through a symbolic link to the file it points at; whole or not at all."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from srs.cli import cli
from srs.env import Env
from srs.export.files import protected_files
from srs.storage.db import database_file

EXPORTS = ("gexf", "anki")


def srs(*args: str):
    """The real command, in-process, on the database named by --db (as a learner runs it)."""
    return CliRunner().invoke(cli, list(args))


def one_line_error(result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    for part in expected:
        assert part in result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(tmp_path) -> Path:
    """A real database holding the bundled deck, named as an Anki package might be."""
    db = tmp_path / "learning.apkg"
    env = Env(url=f"sqlite:///{db}")
    env.engine()
    env.close()  # its log written into the file: what the tests compare is the database itself
    return db


def export(database: Path, kind: str, output: Path | str):
    return srs("--db", str(database), "export", kind, "-o", str(output))


def still_the_deck(database: Path) -> None:
    result = srs("--db", str(database), "decks")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Scaling Hypothesis: 149 nodes, 186 cards")


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_over_the_database_in_use_is_refused(database, kind):
    before = digest(database)
    one_line_error(export(database, kind, database), f"{database}: cannot write the export: it is the database in use")
    assert digest(database) == before
    still_the_deck(database)


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_through_a_link_to_the_database_is_refused(database, tmp_path, kind):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "progress.apkg"
    link.symlink_to(database)
    before = digest(database)
    one_line_error(export(database, kind, link), "it is the database in use")
    assert digest(database) == before and link.is_symlink()
    still_the_deck(database)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_an_export_over_a_journal_file_of_the_database_is_refused(database, tmp_path, suffix):
    companion = Path(f"{database}{suffix}")
    one_line_error(export(database, "gexf", companion), f"it is {companion.name}, a file of the database in use")
    # The Anki export takes only *.apkg names: a link so named leads there too.
    link = tmp_path / f"journal{suffix}.apkg"
    link.symlink_to(companion)
    one_line_error(export(database, "anki", link), f"it is {companion.name}, a file of the database in use")
    assert link.is_symlink()
    still_the_deck(database)


def test_a_database_opened_through_a_link_is_protected_under_both_names(database, tmp_path):
    link = tmp_path / "by-link.sqlite3"
    link.symlink_to(database)
    before = digest(database)
    one_line_error(export(link, "gexf", database), "it is the database in use")
    one_line_error(export(database, "gexf", link), "it is the database in use")
    assert digest(database) == before
    still_the_deck(link)


def test_a_server_database_has_no_file_to_protect(tmp_path):
    assert protected_files(database_file("postgresql+psycopg://learner:secret@localhost/srs")) == set()
    db = tmp_path / "srs.sqlite3"
    assert protected_files(database_file(f"sqlite:///{db}")) == {str(db), f"{db}-wal", f"{db}-journal", f"{db}-shm"}


def make_device(path: Path) -> None:
    """A character device like /dev/null (1, 3), made here so that no test goes near the real one."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize(
    "make, what, is_kind",
    [
        (os.mkfifo, "it is a named pipe, not a file", stat.S_ISFIFO),
        (make_device, "it is a device, not a file", stat.S_ISCHR),
        (os.mkdir, "it is a folder", stat.S_ISDIR),
    ],
)
def test_an_export_over_what_is_not_a_file_is_refused(database, tmp_path, kind, make, what, is_kind):
    out = tmp_path / "out"
    out.mkdir()
    special = out / "thing.apkg"
    make(special)
    one_line_error(export(database, kind, special), f"{special}: cannot write the export: {what}")
    assert is_kind(os.lstat(special).st_mode)
    # Through a link, the same.
    link = out / "link.apkg"
    link.symlink_to(special)
    one_line_error(export(database, kind, link), f"{link}: cannot write the export: {what}")
    assert is_kind(os.lstat(special).st_mode) and link.is_symlink()
    assert sorted(os.listdir(out)) == ["link.apkg", "thing.apkg"]


def test_a_link_that_loops_is_refused(database, tmp_path):
    loop = tmp_path / "loop.gexf"
    loop.symlink_to(loop.name)
    one_line_error(export(database, "gexf", loop), "a symbolic link that leads round in a loop")
    assert loop.is_symlink()


def read_export(kind: str, path: Path) -> int:
    """How many nodes (GEXF) or files in the package (Anki) the export holds."""
    if kind == "gexf":
        return nx.read_gexf(path).number_of_nodes()
    with zipfile.ZipFile(path) as package:
        return len(package.namelist())


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_to_a_link_writes_the_file_it_points_at(database, tmp_path, kind):
    shared, here = tmp_path / "shared", tmp_path / "here"
    shared.mkdir()
    here.mkdir()
    target = shared / "map.apkg"
    target.write_text("an older export")
    link = here / "map.apkg"
    link.symlink_to(target)

    result = export(database, kind, link)

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert read_export(kind, target) == (149 if kind == "gexf" else 2)
    assert os.listdir(here) == ["map.apkg"] and os.listdir(shared) == ["map.apkg"]  # nothing left beside either


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_to_a_dangling_link_creates_the_file_it_names(database, tmp_path, kind):
    link = tmp_path / "new.apkg"
    link.symlink_to(tmp_path / "made.apkg")
    assert export(database, kind, link).exit_code == 0
    assert link.is_symlink() and read_export(kind, tmp_path / "made.apkg")


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_that_fails_leaves_the_previous_file_as_it_was(database, tmp_path, monkeypatch, kind):
    from srs.export import files as export_file

    target = tmp_path / "shared.apkg"
    target.write_text("the previous export")
    link = tmp_path / "link.apkg"
    link.symlink_to(target)
    others = lambda: sorted(name for name in os.listdir(tmp_path) if not name.startswith(database.name))  # noqa: E731
    before = others()

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_file.os, "fsync", full_disk)  # the disk fills as the file is finished
    one_line_error(export(database, kind, link), f"{link}: cannot write the export: No space left on device")
    assert target.read_text() == "the previous export" and link.is_symlink()
    assert others() == before

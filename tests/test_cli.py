"""The command line, run in-process with a real database and a fixed clock."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from srs.cli import cli
from srs.config import os_user


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args, code=0):
        result = runner.invoke(cli, list(args), obj=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture
def small(run, data):
    run("import", str(data / "small.gexf"))


def test_import_prints_what_it_did_and_again_says_nothing_changed(run, data):
    out = run("import", str(data / "small.gexf")).output
    assert out.splitlines() == [
        "Scaling (new deck, 5 nodes):",
        "  + 5 nodes",
        "  cards: 7 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {data / 'small.gexf'} for the detail)",  # on stderr
    ]
    assert run("import", str(data / "small.gexf")).output == "Scaling: already up to date (5 nodes); nothing changed.\n"


def test_import_dry_run_lists_the_diff_and_writes_nothing(run, data, tmp_path):
    run("import", str(data / "small.gexf"))
    edited = tmp_path / "edited.gexf"
    text = (data / "small.gexf").read_text()
    text = text.replace("The model itself is split across devices.", "Each device holds one slice of the model.")
    text = text.replace('<edge id="1" source="scaling" target="data"/>', "").replace(
        '<node id="data" label="Data">', '<node id="data-x" label="Data X">'
    )
    text = text.replace(
        '<edge id="0" source="scaling" target="compute"/>',
        '<edge id="0" source="scaling" target="compute"/><edge id="9" source="scaling" target="data-x"/>',
    )
    edited.write_text(text)
    out = run("import", str(edited), "--dry-run").output.splitlines()
    # Data X has Data's parent and definition under a new id: Data renamed, matched by definition.
    assert out == [
        "Scaling (update, 5 nodes) — dry run, nothing written:",
        "  ~ changed: Model Parallelism (definition)",
        "  ~ renamed (matched by definition): Data -> Data X",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {edited} for the detail)",
    ]
    assert "Data X" not in run("tree").output


def test_decks_tree_due_show_as_text_and_json(run, small):
    assert run("decks").output == "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n"
    [deck] = json.loads(run("decks", "--json").output)
    assert (deck["name"], deck["nodes"], deck["cards"], deck["new"], deck["retired"]) == ("Scaling", 5, 7, 7, [])
    tree = json.loads(run("tree", "--json").output)
    assert [(c["label"], c["new"]) for c in tree["children"]] == [("Compute", 4), ("Data", 1)]
    assert run("tree", "--depth", "1").output.splitlines()[1:] == [
        "Scaling                                     0     7        0",
        "  Compute                                   0     4        0",
        "  Data                                      0     1        0",
    ]
    due = json.loads(run("due", "Compute", "--json").output)
    assert (due["branch"], due["due"], due["new"], due["today"]) == ("Compute", 0, 4, "2026-11-23")
    assert [(n["term"], n["kind"]) for n in due["next"]] == [
        ("Compute", "definition"),
        ("Compute", "children"),
        ("Data Parallelism", "definition"),
        ("Model Parallelism", "definition"),
    ]
    shown = json.loads(run("show", "data-parallelism", "--json").output)
    assert shown["path"] == "Scaling/Compute/Data Parallelism"
    assert shown["cards"][0]["front"] == ["Scaling › Compute", "What is Data Parallelism?"]
    text = run("show", "Scaling/Compute/Data Parallelism").output
    assert "  Every device holds the whole model & takes a slice of each batch." in text
    assert "    Model Parallelism — The model itself is split across devices." in text


def test_limits(run, small):
    assert run("limits", "--new", "3").output == "Scaling: 3 new cards and 200 reviews a day\n"
    assert json.loads(run("due", "--json").output)["new"] == 3


def one_line_error(result, expected):
    assert result.output == f"Error: {expected}\n"


def test_user_errors_are_one_line_with_exit_code_2(run, small, data, tmp_path):
    one_line_error(run("show", "Nothing Here", code=2), "no node 'Nothing Here' in deck 'Scaling'")
    one_line_error(run("tree", "--deck", "Other", code=2), "no deck named 'Other'; decks: 'Scaling'")
    one_line_error(run("import", str(tmp_path / "missing.gexf"), code=2), f"{tmp_path / 'missing.gexf'}: no such file")
    empty = tmp_path / "empty.gexf"
    empty.write_text("")
    one_line_error(run("import", str(empty), code=2), f"{empty}: the file is empty")


def test_bad_imports_leave_the_database_unchanged(run, small, tmp_path):
    broken = tmp_path / "broken.gexf"
    broken.write_text('<gexf><graph><nodes><node id="a" label="A"/><node id="a" label="B"/></nodes></graph></gexf>')
    run("import", str(broken), code=2)
    assert run("decks").output == "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n"


def test_several_decks_need_a_name(run, small, data):
    run("import", str(data / "outline.md"), "--deck", "Notes")
    one_line_error(run("due", code=2), "there are several decks, choose one with --deck: 'Notes', 'Scaling'")
    assert json.loads(run("due", "--deck", "Notes", "--json").output)["deck"] == "Notes"


def test_a_database_that_is_not_sqlite(tmp_path, data):
    fake = tmp_path / "fake.db"
    fake.write_text("hello")
    result = CliRunner().invoke(cli, ["--db", str(fake), "decks"])
    assert (result.exit_code, result.output) == (2, f"Error: {fake}: not an SQLite database\n")
    assert fake.read_text() == "hello"


@pytest.mark.parametrize("name", ["we?ird.db", "hash#tag.db", "100%25 sure.db", "two  spaces .db", "a?b#c%41 d"])
def test_a_database_file_gets_exactly_the_name_given(tmp_path, data, monkeypatch, name):
    path = tmp_path / name
    result = CliRunner().invoke(cli, ["--db", str(path), "import", str(data / "small.gexf")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} - {f"{name}-wal", f"{name}-shm"} == {name}
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    monkeypatch.setenv("SRS_DB", str(path))  # the same file, named by the environment
    result = CliRunner().invoke(cli, ["decks"])
    assert (result.exit_code, result.output) == (0, "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n")


def test_db_may_follow_the_command_name_and_wins_over_one_before_it(tmp_path, data):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    result = CliRunner().invoke(cli, ["import", str(data / "small.gexf"), "--db", str(second)])
    assert result.exit_code == 0, result.output
    assert second.exists() and not first.exists()
    # In a group's command too, and after a --db before the command: the later one is used.
    target = tmp_path / "map.gexf"
    result = CliRunner().invoke(cli, ["--db", str(first), "export", "gexf", "-o", str(target), "--db", str(second)])
    assert (result.exit_code, result.output) == (0, f"Wrote 5 nodes and 4 edges to {target}\n")
    assert not first.exists()
    result = CliRunner().invoke(cli, ["decks", "--db", str(second)])
    assert (result.exit_code, result.output) == (0, "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n")


def test_a_folder_given_as_the_database_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path), "decks"])
    assert (result.exit_code, result.output) == (2, f"Error: {tmp_path}: is a folder, not a database file\n")


def cannot_write(unwritable, writable, commands):
    """Run each `srs` command where the paths `unwritable` cannot be written and the paths
    `writable` can; [(exit code, output)] of each.

    Root writes anywhere, so as root the commands run in a forked child as `nobody`, with the
    `writable` paths made its own; otherwise here, with the write bits of `unwritable` taken
    away. Every module the commands need must be loaded first: `nobody` cannot read root's Python.
    """
    import os
    import pickle
    import pwd

    def invoke():
        return [(r.exit_code, r.output) for r in (CliRunner().invoke(cli, args) for args in commands)]

    if os.geteuid() != 0:
        for path in unwritable:
            path.chmod(path.stat().st_mode & ~0o222)
        try:
            return invoke()
        finally:
            for path in unwritable:
                path.chmod(path.stat().st_mode | 0o200)
    nobody = pwd.getpwnam("nobody")
    for path in writable:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child's results go back through the pipe
        try:
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(write, pickle.dumps(invoke()))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        got = pipe.read()
    os.waitpid(child, 0)
    for path in writable:
        os.chown(path, 0, 0)
    return pickle.loads(got)


@pytest.fixture
def shared_folder(data):
    """A folder others may read, holding a database with the small deck (and, as root, a copy
    that the same commands run on first, so that every module they need is loaded)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="srs-read-only-"))
    folder.chmod(0o755)
    path = folder / "my srs?#%41.sqlite3"  # read-only, it is named by an SQLite URI: escaped too
    assert CliRunner().invoke(cli, ["--db", str(path), "import", str(data / "small.gexf")]).exit_code == 0
    warm = Path(tempfile.mkdtemp()) / "warm.sqlite3"
    shutil.copy(path, warm)
    for args in READ_AND_WRITE:
        CliRunner().invoke(cli, ["--db", str(warm), *args])
    shutil.rmtree(warm.parent)
    yield path
    shutil.rmtree(folder)


READ_AND_WRITE = [
    ["decks"],
    ["show", "Compute"],
    ["answer", "Compute", "4"],
    ["undo"],
    ["limits", "--new", "3"],
    ["import", str(Path(__file__).parent / "data" / "outline.md")],
]


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_database_that_cannot_be_written_is_read_and_every_write_refused(shared_folder, data, what):
    path = shared_folder
    before = path.read_bytes()
    # "folder": the file may be written, its folder not; "file": the other way round.
    unwritable, writable = ([path.parent], [path]) if what == "folder" else ([path], [path.parent])
    # As the learner who made it: another user's name would be a new learner, which a database
    # that cannot be written cannot take in.
    me = ["--learner", os_user(os.environ)]
    results = cannot_write(unwritable, writable, [["--db", str(path), *me, *args] for args in READ_AND_WRITE])
    readonly = {"folder": "its folder cannot be written", "file": "the file cannot be written"}[what]
    refused = f"Error: {path}: the database is read-only ({readonly}); nothing was changed\n"
    assert results[0] == (0, "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n")
    assert results[1][0] == 0 and results[1][1].startswith("Compute  (Scaling/Compute)\n")
    assert results[2:] == [(2, refused)] * (len(READ_AND_WRITE) - 2)
    assert path.read_bytes() == before
    if what == "folder":
        assert [p.name for p in path.parent.iterdir()] == [path.name]
    result = CliRunner().invoke(cli, ["--db", str(path), "show", "Compute", "--json"])
    assert [card["reviews"] for card in json.loads(result.output)["cards"]] == [0, 0]
    stranger = cannot_write(unwritable, writable, [["--db", str(path), "--learner", "stranger", "decks"]])
    assert stranger == [(2, f"Error: {path}: no learner named 'stranger', and the database is read-only\n")]


def test_first_run_imports_the_bundled_decks(tmp_path, clock):
    from srs.env import Env

    env = Env(url=f"sqlite:///{tmp_path / 'fresh.db'}", clock=clock)
    result = CliRunner().invoke(cli, ["decks", "--json"], obj=env)
    assert result.exit_code == 0, result.output
    [deck] = json.loads(result.output)
    assert (deck["name"], deck["nodes"], deck["new"]) == ("Scaling Hypothesis", 149, 20)


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        if command.hidden:
            continue
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example():
    names = [" ".join(path) for path, _ in all_commands()]
    assert {"import", "export anki", "export gexf"} <= set(names)
    for path, _command in all_commands():
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, path


def test_export_gexf_command(run, small, tmp_path):
    out = tmp_path / "progress.gexf"
    assert run("export", "gexf", "-o", str(out)).output == f"Wrote 5 nodes and 4 edges to {out}\n"
    assert "already up to date" in run("import", str(out)).output
    one_line_error(run("export", "gexf", "Nowhere", "-o", str(out), code=2), "no node 'Nowhere' in deck 'Scaling'")


def test_python_dash_m_runs_the_command():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "srs", "--help"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("Usage: srs [OPTIONS] [COMMAND] [ARGS]...")


def test_a_database_error_outside_the_storage_layer_is_one_line(monkeypatch):
    # Storage puts the driver's errors in words with the file's name; one that escapes a command
    # some other way is put in words by the command line.
    from sqlalchemy.exc import OperationalError

    from srs import cli as commands

    def locked(_ctx):
        raise OperationalError("BEGIN", {}, Exception("database is locked"))

    monkeypatch.setattr(commands, "_env", locked)
    result = CliRunner().invoke(cli, ["decks"])
    assert (result.exit_code, result.output) == (
        2,
        "Error: the database is locked by another program; close it and try again\n",
    )

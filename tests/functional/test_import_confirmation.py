"""A large removal asks first: `--prune`, or retiring more than half of a deck, needs a yes
(`--yes`, or the answer to a question in a terminal); without one nothing at all changes."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from srs.cli import cli
from srs.core.diff import Removal
from srs.errors import ConfirmationNeeded
from srs.service.importing import import_file
from srs.storage import answers
from srs.storage.tables import cards, metadata, nodes

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
CHILDREN = ["Force", "Mass", "Energy", "Power", "Work", "Heat"]


def deck_file(path: Path, children: list[str]) -> Path:
    """A node-link file: the root Physics with `children` below it, each with a definition."""
    path.write_text(
        json.dumps(
            {
                "directed": True,
                "nodes": [{"id": "physics", "label": "Physics", "definition": "The study of matter."}]
                + [{"id": c.lower(), "label": c, "definition": f"What {c} is."} for c in children],
                "links": [{"source": "physics", "target": c.lower()} for c in children],
            }
        )
    )
    return path


@pytest.fixture
def physics(run, env, tmp_path):
    """The deck Physics (7 nodes) with one answer in Mass's history; returns the file keeping Force alone."""
    run("import", str(deck_file(tmp_path / "full.json", CHILDREN)))
    with env.connection(write=True) as conn:
        card = conn.scalar(
            select(cards.c.id)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.key == "mass", cards.c.kind == "definition")
        )
        answers.record_answer(conn, card, 4, env.clock.now(), env.clock.today(), 3000)
    return deck_file(tmp_path / "small.json", ["Force"])


def everything(env) -> dict:
    """Every row of every table, and on SQLite the database's files byte for byte."""
    with env.connection() as conn:
        rows = {
            t.name: sorted((tuple(row) for row in conn.execute(select(t))), key=repr) for t in metadata.sorted_tables
        }
    if env.url.get_backend_name() == "sqlite":
        main = Path(env.url.database)
        rows["files"] = {p.name: p.read_bytes() for p in main.parent.glob(main.name + "*")}
        assert main.name in rows["files"]
    return rows


def invoke(env, *args, stdin=None):
    return CliRunner().invoke(cli, list(args), obj=env, input=stdin, catch_exceptions=False)


def live(env) -> list[str]:
    with env.connection() as conn:
        return list(conn.scalars(select(nodes.c.label).where(nodes.c.retired.is_(False)).order_by(nodes.c.rank)))


def test_retiring_most_of_a_deck_without_yes_changes_nothing(env, physics):
    before = everything(env)
    result = invoke(env, "import", str(physics))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: this import would retire 5 of 7 nodes of 'Physics' (Mass, Energy, Power and 2 more); "
        "add --yes to go ahead\n"
    )
    assert everything(env) == before
    # --json is no way around it either.
    assert invoke(env, "import", str(physics), "--json").exit_code == 2
    assert everything(env) == before


def test_a_dry_run_never_asks(env, physics):
    before = everything(env)
    result = invoke(env, "import", str(physics), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "  cards: 0 added, 6 retired"
    assert everything(env) == before


def test_yes_retires_most_of_a_deck(env, physics):
    result = invoke(env, "import", str(physics), "--yes")
    assert result.exit_code == 0, result.output
    assert "  - retired: Heat" in result.stdout.splitlines()
    assert live(env) == ["Physics", "Force"]


def test_retiring_half_a_deck_or_less_asks_nothing(env, physics, tmp_path):
    # 3 of 7 go: Power, Work and Heat.
    result = invoke(env, "import", str(deck_file(tmp_path / "four.json", CHILDREN[:3])))
    assert result.exit_code == 0, result.output
    assert live(env) == ["Physics", "Force", "Mass", "Energy"]


def test_prune_without_yes_changes_nothing_and_with_it_deletes(env, physics, tmp_path):
    invoke(env, "import", str(deck_file(tmp_path / "four.json", CHILDREN[:3])))
    before = everything(env)
    result = invoke(env, "import", str(tmp_path / "four.json"), "--prune")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: this import would delete 3 nodes of 'Physics' for good, with 0 answers in their history "
        "(Power, Work, Heat); add --yes to go ahead\n"
    )
    assert everything(env) == before

    result = invoke(env, "import", str(tmp_path / "four.json"), "--prune", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Physics (update, 4 nodes):",
        "  x deleted for good: Power (0 answers in its history)",
        "  x deleted for good: Work (0 answers in its history)",
        "  x deleted for good: Heat (0 answers in its history)",
        "  cards: 0 added, 0 retired, 3 deleted",
    ]
    with env.connection() as conn:
        assert list(conn.scalars(select(nodes.c.label).order_by(nodes.c.rank))) == [
            "Physics",
            "Force",
            "Mass",
            "Energy",
        ]


def test_a_prune_that_deletes_nothing_asks_nothing(env, physics, tmp_path):
    full = tmp_path / "full.json"
    result = invoke(env, "import", str(full), "--prune")
    assert (result.exit_code, result.stdout) == (0, "Physics: already up to date (7 nodes); nothing changed.\n")


def test_pruning_a_retiring_node_says_deleted_not_retired(env, physics, tmp_path):
    # Mass (one answer) leaves the file and is pruned at once: its card is deleted, not retired.
    result = invoke(
        env, "import", str(deck_file(tmp_path / "no-mass.json", ["Force", *CHILDREN[2:]])), "--prune", "--yes"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Physics (update, 6 nodes):",
        "  x deleted for good: Mass (1 answers in its history)",
        "  cards: 0 added, 0 retired, 1 deleted",
    ]


def test_in_a_terminal_it_asks_and_a_no_changes_nothing(env, physics, monkeypatch):
    monkeypatch.setattr("srs.cli._can_ask", lambda: True)
    before = everything(env)
    result = invoke(env, "import", str(physics), stdin="n\n")
    assert result.exit_code == 1
    assert result.stderr == "Retire 5 of 7 nodes of 'Physics'? [y/N]: n\nNothing changed.\n"
    assert result.stdout == ""
    assert everything(env) == before
    result = invoke(env, "import", str(physics), stdin="\n")  # the default is no
    assert result.exit_code == 1
    assert everything(env) == before


def test_in_a_terminal_a_yes_imports(env, physics, monkeypatch):
    monkeypatch.setattr("srs.cli._can_ask", lambda: True)
    result = invoke(env, "import", str(physics), "--prune", stdin="y\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Delete 5 nodes of 'Physics' for good, with 1 answer in their history? [y/N]: y\n"
        f"lint: 1 error, 3 warnings (srs lint {physics} for the detail)\n"
    )
    # Physics keeps one child: its "name the parts" card retires; the five nodes' cards go with them.
    assert result.stdout.splitlines()[-1] == "  cards: 0 added, 1 retired, 5 deleted"
    assert live(env) == ["Physics", "Force"]


def test_a_yes_covers_only_the_removal_it_was_given_for(env, physics, tmp_path):
    # What the learner agreed to is checked again inside the import's own transaction: had the
    # deck changed in between so that more would go, the import asks again.
    with pytest.raises(ConfirmationNeeded) as asked:
        import_file(env, physics)
    assert asked.value.removal == Removal(live=7, retired=5)
    with pytest.raises(ConfirmationNeeded):
        import_file(env, physics, agreed=Removal(live=7, retired=4))
    assert len(live(env)) == 7
    report = import_file(env, physics, agreed=asked.value.removal)
    assert report.removed == CHILDREN[1:]
    assert live(env) == ["Physics", "Force"]


@sqlite_only
def test_the_installed_command_asks_on_a_real_terminal(env, physics):
    # The real entry point in a process of its own, its stdin a pseudo-terminal: it asks, and the
    # answer typed there decides; with stdin a pipe it refuses instead.
    db = env.url.database
    env.close()
    command = [sys.executable, "-m", "srs", "--db", db, "import", str(physics)]
    piped = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert (piped.returncode, piped.stderr) == (
        2,
        "Error: this import would retire 5 of 7 nodes of 'Physics' (Mass, Energy, Power and 2 more); "
        "add --yes to go ahead\n",
    )
    assert len(live(env)) == 7
    for typed, code, left in (("n", 1, 7), ("y", 0, 2)):
        main, terminal = pty.openpty()
        try:
            os.write(main, f"{typed}\n".encode())
            done = subprocess.run(command, stdin=terminal, capture_output=True, text=True, timeout=60)
        finally:
            os.close(terminal)
            os.close(main)
        assert done.stderr.startswith("Retire 5 of 7 nodes of 'Physics'? [y/N]: "), done.stderr
        assert (done.returncode, len(live(env))) == (code, left), done.stderr

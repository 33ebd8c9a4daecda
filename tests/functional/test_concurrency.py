"""Several `srs` processes on one database at once, on SQLite and on PostgreSQL: every answer is
stored exactly once, the first of the day as the one review, and no process fails.

Each process runs the `srs` entry point (`srs.cli.main`) once per command, as a script calling
`srs answer` in a loop would, but in one interpreter, so that tens of answers cost tens of
commands rather than tens of interpreter starts. The processes wait at a gate until all of them
are ready, then go at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import func, make_url, select

from srs.storage.tables import cards, learners, nodes, reviews

DRIVER = r"""
import json, sys, time
from pathlib import Path
from srs.cli import main

gate, me, commands = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])


def run_srs(args):
    sys.argv = ["srs", *args]
    try:
        main()
    except SystemExit as exit:
        return exit.code in (0, None)
    finally:
        sys.stdout.flush()
    return True


import srs.env, srs.storage.db, srs.storage.decks, srs.storage.answers, srs.readers.outline  # before the race starts
print("--- go", flush=True)
(gate / f"ready-{me}").touch()
deadline = time.monotonic() + 60
while not (gate / "go").exists():
    if time.monotonic() > deadline:
        sys.exit("never told to go")
    time.sleep(0.002)
failed = sum(not run_srs(args) for args in commands)
sys.exit(min(failed, 100))
"""

TERMS = [f"Term {i:02}" for i in range(20)]


@pytest.fixture
def deck_file(tmp_path):
    """An outline deck: a root with 20 defined children, and a version with one more child."""
    lines = ["- Root: The top of the map."] + [f"  - {t}: About {t.lower()}." for t in TERMS]
    first, second = tmp_path / "deck.md", tmp_path / "deck-more.md"
    first.write_text("\n".join(lines) + "\n")
    second.write_text("\n".join(lines + ["  - Extra: One more concept."]) + "\n")
    return first, second


def srs_at_once(database_url, tmp_path, per_process: list[list[list[str]]]) -> list[tuple[int, str, str]]:
    """Run one process per list of commands, all starting together; (exit code, stdout, stderr) of each."""
    url = make_url(database_url)
    env = {k: v for k, v in os.environ.items() if k not in ("SRS_DB", "SRS_DATABASE_URL")}
    env["SRS_TZ"] = "UTC"
    env["XDG_DATA_HOME"] = str(tmp_path / "data-home")  # never the user's own database
    if url.get_backend_name() == "sqlite":
        per_process = [[["--db", url.database, *args] for args in commands] for commands in per_process]
    else:
        env["SRS_DATABASE_URL"] = url.render_as_string(hide_password=False)
    gate = tmp_path / "gate"
    gate.mkdir()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(gate), str(i), json.dumps(commands)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, commands in enumerate(per_process)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(list(gate.glob("ready-*"))) < len(processes):
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                break
            time.sleep(0.01)
        (gate / "go").touch()
        outputs = [p.communicate(timeout=300) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
    return [(p.returncode, out.split("--- go\n", 1)[-1], err) for p, (out, err) in zip(processes, outputs, strict=True)]


def answers_per_card(env) -> dict[str, tuple[int, int, int, int, int]]:
    """Per node label: (answers logged, of which reviews, cards.reviews, interval, due - last answer day)."""
    with env.connection() as conn:
        rows = conn.execute(
            select(
                nodes.c.label,
                func.count(reviews.c.id),
                func.count(reviews.c.id).filter(reviews.c.drill.is_(False)),
                cards.c.reviews,
                cards.c.interval,
                cards.c.due,
                cards.c.last_day,
            )
            .join(cards, cards.c.node_id == nodes.c.id)
            .outerjoin(reviews, reviews.c.card_id == cards.c.id)
            .where(cards.c.kind == "definition")
            .group_by(nodes.c.label, cards.c.reviews, cards.c.interval, cards.c.due, cards.c.last_day)
        ).all()
    return {
        label: (logged, reviewed, stored, interval, (due - last).days if due else None)
        for label, logged, reviewed, stored, interval, due, last in rows
    }


def check_every_answer_stored_once(env, results, processes: int) -> None:
    for code, out, err in results:
        assert (code, err) == (0, ""), out
    lines = [line for _, out, _ in results for line in out.splitlines()]
    assert len(lines) == processes * len(TERMS)
    # One review per card (the first answer of the day), every later answer a drill.
    assert Counter(line.split(": ")[1].split()[0] for line in lines) == {
        "review": len(TERMS),
        "drill": (processes - 1) * len(TERMS),
    }
    stored = answers_per_card(env)
    assert {t: stored[t] for t in TERMS} == {t: (processes, 1, 1, 1, 1) for t in TERMS}
    assert stored["Root"] == (0, 0, 0, 0, None)


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_answering_the_same_cards_at_once_store_every_answer_once(
    run, env, database_url, tmp_path, deck_file, processes
):
    run("import", str(deck_file[0]))
    answers = [["answer", term, "4"] for term in TERMS]  # the same cards in the same order: they collide
    results = srs_at_once(database_url, tmp_path, [answers] * processes)
    check_every_answer_stored_once(env, results, processes)


def test_an_import_while_answers_are_recorded_loses_nothing(run, env, database_url, tmp_path, deck_file):
    run("import", str(deck_file[0]))
    answers = [["answer", term, "4"] for term in TERMS]
    imports = [["import", str(deck_file[i % 2 == 0])] for i in range(6)]  # adds "Extra", retires it, ...
    *answered, (code, out, err) = srs_at_once(database_url, tmp_path, [answers, answers, imports])
    # Each import says what the linter found: every "About x." names its own term x.
    found = {deck_file[0]: "20 errors, 22 warnings", deck_file[1]: "20 errors, 23 warnings"}
    lint = [f"lint: {found[deck_file[i % 2 == 0]]} (srs lint {deck_file[i % 2 == 0]} for the detail)" for i in range(6)]
    assert (code, err.splitlines()) == (0, lint), out
    assert out.count("  + added: Extra") == 1 and out.count("  + restored: Extra") == 2
    assert out.count("  - retired: Extra") == 3
    check_every_answer_stored_once(env, answered, 2)
    assert json.loads(run("decks", "--json"))[0]["retired"] == ["Extra"]


def test_two_first_imports_of_one_deck_at_once_make_one_deck(env, database_url, tmp_path, deck_file):
    results = srs_at_once(database_url, tmp_path, [[["import", str(deck_file[0])]]] * 2)
    # The import that made the deck says what the linter found; the one that found it made says nothing.
    lint = f"lint: 20 errors, 22 warnings (srs lint {deck_file[0]} for the detail)\n"
    assert sorted((code, err) for code, _, err in results) == [(0, ""), (0, lint)]
    assert sorted(out.splitlines()[0] for _, out, _ in results) == [
        "Root (new deck, 21 nodes):",
        "Root: already up to date (21 nodes); nothing changed.",
    ]
    with env.connection() as conn:
        assert conn.scalar(select(func.count()).select_from(nodes)) == 21


@pytest.mark.parametrize("processes", [2, 4])
def test_new_learners_answering_one_deck_at_once_each_get_their_own_schedules(
    run, env, database_url, tmp_path, deck_file, processes
):
    run("import", str(deck_file[0]))
    names = [f"learner {i}" for i in range(processes)]
    # Each opens the database for the first time as a new learner, at the same moment as the others.
    results = srs_at_once(
        database_url, tmp_path, [[["--learner", name, "answer", term, "4"] for term in TERMS] for name in names]
    )
    for code, out, err in results:
        assert (code, err) == (0, ""), out
        assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["review"] * len(TERMS)
    with env.connection() as conn:
        per_learner = conn.execute(
            select(learners.c.name, func.count(reviews.c.id), func.count(reviews.c.card_id.distinct()))
            .join(reviews, reviews.c.learner_id == learners.c.id)
            .group_by(learners.c.name)
            .order_by(learners.c.name)
        ).all()
        cards_each = conn.execute(
            select(learners.c.name, func.count(cards.c.id))
            .join(cards, cards.c.learner_id == learners.c.id)
            .group_by(learners.c.name)
            .order_by(learners.c.name)
        ).all()
    assert per_learner == [(name, len(TERMS), len(TERMS)) for name in names]
    assert cards_each == sorted([(name, len(TERMS) + 2) for name in [*names, env.learner]])

"""Reflecting on a branch through the command line, on SQLite and PostgreSQL: `srs journal`
keeps and lists a branch's entries, the GEXF export carries them and a re-import of it changes
nothing, and `srs show` prints a branch card's question to think over where `socratic_prompts`
is on."""

import json
from datetime import timedelta

import networkx as nx
import pytest
from sqlalchemy import func, select

from srs.storage.tables import journal, nodes

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare: Stands alone.
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


def stored(env) -> list[tuple[str, str, str]]:
    """(node label, day, text) of every journal row, oldest first."""
    with env.connection() as conn:
        return [
            (label, day.isoformat(), text)
            for label, day, text in conn.execute(
                select(nodes.c.label, journal.c.day, journal.c.text)
                .join(nodes, nodes.c.id == journal.c.node_id)
                .order_by(journal.c.id)
            )
        ]


def key_of(env, label: str) -> str:
    with env.connection() as conn:
        return conn.scalar(select(nodes.c.key).where(nodes.c.label == label))


def test_journal_adds_and_lists_entries_newest_first(run, env, now, deck):
    assert run("journal") == "Deck: no journal entries yet (srs journal BRANCH TEXT writes one)\n"
    assert run("journal", "parent", "Parts", "make  the", "whole.") == "Parent: kept in its journal for 2026-11-23\n"
    now.value += timedelta(days=1, hours=2)
    assert run("journal", "Root/Parent/Part A", "A leaf too") == "Part A: kept in its journal for 2026-11-24\n"
    assert run("journal", "Root", " Everything\nhangs here ") == "Root: kept in its journal for 2026-11-24\n"

    assert run("journal") == (
        "Deck: journal, 3 entries\n"
        "  2026-11-24  Root: Everything hangs here\n"
        "  2026-11-24  Part A: A leaf too\n"
        "  2026-11-23  Parent: Parts make  the whole.\n"
    )
    assert run("journal", "Parent") == "Deck › Parent: journal, 1 entry\n  2026-11-23  Parts make  the whole.\n"
    assert run("journal", "Bare") == "Deck › Bare: no journal entries yet (srs journal BRANCH TEXT writes one)\n"
    assert json.loads(run("journal", "Parent", "--json")) == {
        "deck": "Deck",
        "branch": "Parent",
        "entries": [
            {
                "node": key_of(env, "Parent"),
                "label": "Parent",
                "day": "2026-11-23",
                "at": "2026-11-23T12:00:00+00:00",
                "text": "Parts make  the whole.",
                "retired": False,
            }
        ],
    }
    assert json.loads(run("journal", "Bare", "Alone", "--json")) == {
        "deck": "Deck",
        "branch": "Bare",
        "entry": {
            "node": key_of(env, "Bare"),
            "label": "Bare",
            "day": "2026-11-24",
            "at": "2026-11-24T14:00:00+00:00",
            "text": "Alone",
            "retired": False,
        },
    }
    assert stored(env) == [
        ("Parent", "2026-11-23", "Parts make  the whole."),
        ("Part A", "2026-11-24", "A leaf too"),
        ("Root", "2026-11-24", "Everything hangs here"),
        ("Bare", "2026-11-24", "Alone"),
    ]


def test_bad_journal_input_is_one_line_and_stores_nothing(run, env, deck):
    run("journal", "Parent", "Kept")
    before = stored(env)
    assert run("journal", "Barre", "Lost", code=2) == "Error: no node 'Barre' in deck 'Deck'; did you mean 'Bare'?\n"
    assert run("journal", "Parent", "", code=2) == "Error: a journal entry needs some text\n"
    assert run("journal", "Parent", "  \n ", code=2) == "Error: a journal entry needs some text\n"
    assert run("journal", "Parent", "x" * 1001, code=2) == (
        "Error: a journal entry is at most 1000 characters, not 1001\n"
    )
    assert run("journal", "Parent", "--deck", "Dek", code=2) == "Error: no deck named 'Dek'; did you mean 'Deck'?\n"
    assert run("journal", "Nowhere", code=2) == "Error: no node 'Nowhere' in deck 'Deck'\n"
    assert stored(env) == before


def test_the_gexf_export_carries_the_journal_and_its_reimport_changes_nothing(run, env, now, deck, tmp_path):
    run("journal", "Parent", "Parts make the whole & <more>")
    now.value += timedelta(days=1)
    run("journal", "Parent", "Second \x1b[31m thought")
    out = tmp_path / "out.gexf"
    run("export", "gexf", "-o", str(out))
    graph = nx.read_gexf(out)
    journals = {data["label"]: data.get("srs_journal") for _, data in graph.nodes(data=True)}
    assert journals == {
        "Root": None,
        "Parent": "2026-11-24 Second ␛[31m thought\n2026-11-23 Parts make the whole & <more>",
        "Part A": None,
        "Part B": None,
        "Bare": None,
    }
    before = stored(env)
    report = json.loads(run("import", str(out), "--deck", "Deck", "--json"))
    assert (report["unchanged"], report["changed"], report["conflicts"]) == (True, [], [])
    assert stored(env) == before
    assert run("show", "Parent").count("(edited)") == 0


def test_entries_stay_with_a_retired_node_and_go_with_a_pruned_one(run, env, deck, tmp_path):
    run("journal", "Bare", "Standing alone")
    run("journal", "Parent", "Parts")
    smaller = tmp_path / "smaller.md"
    smaller.write_text(OUTLINE.replace("  - Bare: Stands alone.\n", ""))
    run("import", str(smaller), "--deck", "Deck")
    assert run("journal") == (
        "Deck: journal, 2 entries\n  2026-11-23  Parent: Parts\n  2026-11-23  Bare (retired): Standing alone\n"
    )
    assert run("journal", "Bare") == "Deck › Bare: journal, 1 entry\n  2026-11-23  Standing alone\n"
    run("import", str(deck), "--deck", "Deck")  # Bare is back, with its entry
    assert run("journal", "Bare") == "Deck › Bare: journal, 1 entry\n  2026-11-23  Standing alone\n"
    run("import", str(smaller), "--deck", "Deck", "--prune", "--yes")
    assert stored(env) == [("Parent", "2026-11-23", "Parts")]
    with env.connection() as conn:
        assert conn.scalar(select(func.count()).select_from(journal)) == 1


# -- srs show and the Socratic prompts -----------------------------------------------------------


def thinks(run, node: str) -> list[str]:
    return [line.strip() for line in run("show", node).splitlines() if "Think:" in line]


def test_show_prints_the_question_of_a_branch_card_only_where_the_option_is_on(run, deck):
    assert thinks(run, "Parent") == []
    plain = json.loads(run("show", "Parent", "--json"))
    assert all("prompt" not in card for card in plain["cards"])
    run("options", "socratic_prompts", "on")
    assert thinks(run, "Parent") == ["Think: What does Parent represent, in your own words, beyond its definition?"]
    assert thinks(run, "Part A") == []  # a leaf's card asks nothing
    assert thinks(run, "Root") == ["Think: What does Root represent, in your own words, beyond its definition?"]
    shown = json.loads(run("show", "Parent", "--json"))
    assert [(card["kind"], card.get("prompt")) for card in shown["cards"]] == [
        ("definition", "What does Parent represent, in your own words, beyond its definition?"),
        ("children", None),
    ]


def test_each_review_of_a_branch_card_asks_the_next_question(run, now, deck):
    run("options", "socratic_prompts", "on")
    asked = []
    for _ in range(5):
        asked.extend(thinks(run, "Parent"))
        run("answer", "Parent", "5")
        now.value += timedelta(days=40)
    assert asked == [
        "Think: What does Parent represent, in your own words, beyond its definition?",
        "Think: Why does Parent matter for Root as a whole?",
        "Think: How does Parent connect Root above it to Part A and Part B below it?",
        "Think: If Parent changed or were absent, what would change for Root, and for Part A and Part B?",
        "Think: What does Parent represent, in your own words, beyond its definition?",
    ]

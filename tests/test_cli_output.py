"""Every line the command line prints is safe for a terminal: deck text and names the user typed
reach stdout and stderr with their control characters shown as visible stand-ins (and escaped in
JSON), whether the output goes to a terminal or a pipe."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from srs.cli import cli
from srs.storage import answers, decks
from srs.storage.tables import cards, nodes

ESC, BEL, NUL, DEL = "\x1b", "\x07", "\x00", "\x7f"
CLIPBOARD = f"{ESC}]52;c;aGFja2Vk{BEL}"
"""OSC 52: a terminal that obeys it puts "hacked" on the user's clipboard."""
CLEAR = f"{ESC}[2J{ESC}[H"
LINK = f"{ESC}]8;;https://evil.example{ESC}\\click{ESC}]8;;{ESC}\\"

# What a deck file may hold: C1 controls (U+009B CSI, U+009D OSC, U+0085 next line), tabs,
# line breaks inside labels, markup. The C0 controls only older databases hold are written below.
ROOT = "Hostile [bold]deck[/bold] \x9b2J"
BROKEN = "Line\nbreak\x85label"
MARKUP = "[red]Markup[/red] node"
BRANCH = "Csi \x9b31m branch"
LEAF = "Leaf \x9d8;;http://x\x9c link"
GONE = "Gone \x9b soon"
RENAMED = "Renamed \x9b31m node"
ADDED = "Added \x9d0;title\x9c"

# Written straight into the database.
DECK = f"Hostile {CLIPBOARD} deck"
CLEAR_LABEL = f"{CLEAR}Clear {LINK}"
BROKEN_LABEL = "Line\nbreak\r\nlabel\x0b"
"""A label over several lines (the importers join a label's lines into one)."""
DEFINITION = f"Osc {CLIPBOARD} bel {BEL} nul {NUL} del {DEL} bs \x08 cr\rend"
NOTES = f"Note {ESC}[31mred{ESC}[0m{NUL}"
MNEMONIC = f"Bell {BEL}{BEL}\ttab"


def node_link(nodes: list[tuple], links: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "directed": True,
            "nodes": [{"id": key, "label": label, "definition": definition} for key, label, definition in nodes],
            "links": [{"source": source, "target": target} for source, target in links],
        }
    )


FIRST = node_link(
    [
        ("root", ROOT, "Root\twith a tab and \x9d52;c;aGk=\x9c"),
        ("a", BROKEN, "First line\nsecond \x9b31m line"),
        ("b", MARKUP, "Says [b]x[/b]"),
        ("c", BRANCH, "A branch \x9b1m"),
        ("d", LEAF, "Leaf \x85 text"),
        ("e", GONE, "Soon gone"),
    ],
    [("root", "a"), ("root", "b"), ("root", "c"), ("c", "d"), ("c", "e")],
)
SECOND = node_link(  # b renamed, c's definition changed, d moved to the root, e gone, f added
    [
        ("root", ROOT, "Root\twith a tab and \x9d52;c;aGk=\x9c"),
        ("a", BROKEN, "First line\nsecond \x9b31m line"),
        ("b", RENAMED, "Says [b]x[/b]"),
        ("c", BRANCH, "Changed \x9b2J"),
        ("d", LEAF, "Leaf \x85 text"),
        ("f", ADDED, "New \x9d node"),
    ],
    [("root", "a"), ("root", "b"), ("root", "c"), ("root", "d"), ("c", "f")],
)


def unsafe(output: str) -> list[str]:
    """The characters a terminal may obey: C0 controls but the line break, DEL and C1."""
    return sorted({f"U+{ord(ch):04X}" for ch in output if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F})


@pytest.fixture
def hostile(env, tmp_path):
    """A deck with control characters in every kind of text, and one answer for the statistics."""
    first = tmp_path / "first.json"
    first.write_text(FIRST, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(first)], obj=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with env.engine().begin() as conn:
        conn.execute(text("UPDATE decks SET name = :name"), {"name": DECK})
        conn.execute(
            text(
                "UPDATE nodes SET label = :label, definition = :definition, notes = :notes, "
                "mnemonic = :mnemonic WHERE key = 'b'"
            ),
            {"label": CLEAR_LABEL, "definition": DEFINITION, "notes": NOTES, "mnemonic": MNEMONIC},
        )
        conn.execute(text("UPDATE nodes SET notes = :notes WHERE key = 'd'"), {"notes": f"{CLIPBOARD}\n{CLEAR}"})
        conn.execute(text("UPDATE nodes SET label = :label WHERE key = 'a'"), {"label": BROKEN_LABEL})
    with env.connection(write=True) as conn:
        card = conn.execute(select(cards).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.key == "b")).first()
        answers.record_answer(conn, card.id, 1, env.clock.now(), env.clock.today(), 4000)
    with env.connection() as conn:  # what was written is what is stored, NUL and all
        deck = decks.find_deck(conn, DECK, env.learner_id)
        assert decks.find_node(conn, deck, "b").definition == DEFINITION
    second = tmp_path / "second.json"
    second.write_text(SECOND, encoding="utf-8")
    return second


def commands(tmp_path, second) -> list[tuple[list[str], int]]:
    """Every command, with the deck's text in what it prints and in the names typed to it."""
    typed = f"{CLEAR}typed{CLIPBOARD}\x9b2J"
    return [
        ([], 0),  # not in a terminal: the summary
        (["decks"], 0),
        (["decks", "--json"], 0),
        (["tree"], 0),
        (["tree", "--json"], 0),
        (["tree", BRANCH], 0),
        (["due"], 0),
        (["due", "--json"], 0),
        (["due", BRANCH], 0),
        (["show", "a"], 0),
        (["show", "b"], 0),
        (["show", "d"], 0),
        (["show", "b", "--json"], 0),
        (["search", "osc"], 0),
        (["search", "line"], 0),
        (["search", "clear", "--json"], 0),
        (["search", typed], 1),
        (["leeches"], 0),
        (["leeches", "--json"], 0),
        (["leeches", BRANCH], 0),
        (["limits"], 0),
        (["limits", "--json"], 0),
        (["config"], 0),
        (["config", "--json"], 0),
        (["config", "--deck", typed], 0),
        (["backup", str(tmp_path / f"backup{CLIPBOARD}.sqlite3")], 0),
        (["backup", str(tmp_path / f"backup{CLIPBOARD}.sqlite3")], 2),
        (["backup", str(tmp_path / f"nowhere{CLEAR}" / "backup.sqlite3")], 2),
        # A sync with the backup (a copy: it gets a new device id), then again: already in sync.
        (["sync", str(tmp_path / f"backup{CLIPBOARD}.sqlite3")], 0),
        (["sync", str(tmp_path / f"backup{CLIPBOARD}.sqlite3"), "--json"], 0),
        (["sync", str(tmp_path / f"missing{CLEAR}.sqlite3")], 2),
        (["stats"], 0),
        (["stats", "--json"], 0),
        (["stats", "c"], 0),
        (["export", "anki", "-o", str(tmp_path / f"deck{CLIPBOARD}.apkg")], 0),
        (["export", "anki", "c", "-o", str(tmp_path / f"branch{CLEAR}\x9b.apkg")], 0),
        (["export", "gexf", "-o", str(tmp_path / f"map{CLEAR}.gexf")], 0),
        (["export", "anki", "c", "-o", str(tmp_path / f"json{CLIPBOARD}.apkg"), "--json"], 0),
        (["export", "gexf", "c", "-o", str(tmp_path / f"json{CLEAR}.gexf"), "--json"], 0),
        # The learner's FSRS parameters and the schedulers' scores: the deck's name in what they print.
        (["fsrs", "optimize"], 0),
        (["fsrs", "optimize", "--deck", DECK, "--json"], 0),
        (["fsrs", "parameters"], 0),
        (["fsrs", "parameters", "--json"], 0),
        (["evaluate", "--deck", DECK], 2),
        (["evaluate", "--json"], 2),
        (["evaluate", "--deck", typed], 2),
        (["fsrs", "optimize", "--deck", typed], 2),
        # Errors that quote deck text or what was typed.
        (["show", typed], 2),
        (["show", "a", typed], 2),
        (["tree", "--deck", typed], 2),
        (["review", "--deck", typed], 2),
        (["review"], 2),
        (["import", str(tmp_path / f"missing{CLIPBOARD}.gexf")], 2),
        (["import", str(second), "--format", typed], 2),
        ([typed], 2),
        ([f"--bogus{CLIPBOARD}"], 2),
        (["export", "gexf", "d", "-o", str(tmp_path / "nowhere" / f"x{CLEAR}.gexf")], 2),
        # What the linter finds in the deck and in a file: labels and definitions in its messages.
        (["lint"], 0),
        (["lint", "--json"], 0),
        (["lint", str(second)], 0),
        (["lint", "--deck", typed], 2),
        (["lint", str(tmp_path / f"missing{CLIPBOARD}.gexf")], 2),
        # The import report, of a dry run and of the update itself.
        (["import", str(second), "--deck", DECK, "--dry-run"], 0),
        (["import", str(second), "--deck", DECK, "--dry-run", "--json"], 0),
        (["import", str(second), "--deck", DECK], 0),
        (["show", "e"], 0),  # retired by the import
        (["show", "e", "--json"], 0),
        (["import", str(second), "--deck", DECK, "--prune"], 2),
        (["import", str(second), "--deck", DECK, "--prune", "--yes", "--json"], 0),
        # Answers last, so that the statistics above see the deck's history as it was made.
        (["answer", "a", "2"], 0),
        (["answer", "a", "4", "--json"], 0),
        (["undo"], 0),
        (["answer", typed, "4"], 2),
        # Setting cards aside, which names the node in its line.
        (["suspend", "c"], 0),
        (["unsuspend", "c", "--json"], 0),
        (["bury", "b"], 0),
        (["unbury", "b", "--json"], 0),
        (["suspend", typed], 2),
        (["bury", "b", "--deck", typed], 2),
        # The deck's scheduler, shown and switched (its log replayed), which names the deck.
        (["scheduler"], 0),
        (["scheduler", "--json"], 0),
        (["scheduler", "fsrs"], 0),
        (["scheduler", "sm2", "--json"], 0),
        (["scheduler", typed], 2),
        (["scheduler", "fsrs", "--deck", typed], 2),
        (["scheduler", "--retention", typed], 2),
        # The learners, by name: one typed with control characters is refused.
        (["learners"], 0),
        (["learners", "--json"], 0),
        (["learners", "rename", typed, "x"], 2),
        (["learners", "rename", "nobody here", typed], 2),
        # The teacher's view, which names the deck and every node.
        (["class"], 0),
        (["class", "--json"], 0),
        (["class", BRANCH], 0),
        (["class", typed], 2),
        (["export", "gexf", "--class", "-o", str(tmp_path / f"class{CLEAR}.gexf")], 0),
        # The deck's options and its frontier, which name the deck and the nodes.
        (["options"], 0),
        (["options", "--json"], 0),
        (["options", "unlock_after_days", "7"], 0),
        (["options", "unlock_after_days", typed], 2),
        (["options", typed, "1"], 2),
        (["options", "--deck", typed], 2),
        (["frontier"], 0),
        (["frontier", "--json"], 0),
        (["frontier", BRANCH], 0),
        (["frontier", typed], 2),
        # Reviews from Anki, which name the file and the deck.
        (["import-reviews", str(anki_reviews(tmp_path / f"phone{CLIPBOARD}.colpkg"))], 0),
        (["import-reviews", str(tmp_path / f"phone{CLIPBOARD}.colpkg"), "--json"], 0),
        (["import-reviews", str(tmp_path / f"missing{CLEAR}.colpkg")], 2),
        (["import-reviews", str(tmp_path / f"phone{CLIPBOARD}.colpkg"), "--deck", typed], 2),
        # A branch's journal and its card's question to think over, which name the nodes.
        (["journal", BRANCH, typed], 0),
        (["journal"], 0),
        (["journal", "--json"], 0),
        (["journal", BRANCH], 0),
        (["journal", typed, "a line"], 2),
        (["journal", BRANCH, " "], 2),
        (["options", "socratic_prompts", "on"], 0),
        (["show", "c"], 0),
        (["show", "c", "--json"], 0),
    ]


def anki_reviews(path):
    """An Anki collection package as Anki's older format holds it (`collection.anki2`, SQLite):
    node a's note (its GUID as `srs export anki` gives it) with one review, Good."""
    import sqlite3
    import zipfile

    from srs.export.anki import note_guid

    collection = path.with_name("collection.anki2")
    with sqlite3.connect(collection) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT)")
        conn.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, ord INTEGER)")
        conn.execute(
            "CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, usn INTEGER, ease INTEGER, ivl INTEGER,"
            " lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER)"
        )
        conn.execute("INSERT INTO notes VALUES (1, ?)", (note_guid(DECK, "a"),))
        conn.execute("INSERT INTO cards VALUES (10, 1, 0)")
        conn.execute("INSERT INTO revlog VALUES (1795000000000, 10, -1, 3, 1, 0, 2500, 6000, 1)")
    conn.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(collection, "collection.anki2")
    collection.unlink()
    return path


def command_names(group=cli, prefix=()) -> set[tuple[str, ...]]:
    names = set()
    for name, command in group.commands.items():
        names.add((*prefix, name))
        if isinstance(command, click.Group):
            names |= command_names(command, (*prefix, name))
    return names


def test_the_walk_runs_every_command(tmp_path):
    # A command added later must join the walk below, or this fails. (`srs` alone runs `summary`.)
    groups = (["export"], ["fsrs"], ["learners"])
    walked = {tuple(args[: 2 if args[:1] in groups else 1]) for args, _ in commands(tmp_path, tmp_path / "x.json")}
    assert command_names() - {("export",), ("fsrs",), ("summary",)} <= walked


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_no_command_prints_a_control_character(env, tmp_path, hostile, terminal):
    # color=True is how click writes to a terminal: nothing stripped. To a pipe click strips
    # colour codes itself, but not OSC sequences nor C1 controls.
    runner = CliRunner()
    printed = {}
    for args, code in commands(tmp_path, hostile):
        result = runner.invoke(cli, args, obj=env, color=terminal, catch_exceptions=False)
        assert result.exit_code == code, (args, result.output)
        assert result.stdout or result.stderr, args
        assert (unsafe(result.stdout), unsafe(result.stderr)) == ([], []), args
        if code == 2:
            assert result.stderr.count("\n") == 1 or result.stderr.startswith("Usage:"), (args, result.stderr)
        printed[tuple(args)] = result
    out = {args: result.stdout for args, result in printed.items()}

    # The stand-ins show what the text holds; markup is printed as written.
    assert out[()] == "Hostile ␛]52;c;aGFja2Vk␇ deck: 1 due, 7 new today, 1 done\n"
    tree = out[("tree",)].splitlines()
    assert tree[1:] == [  # one line each, in columns
        "Hostile [bold]deck[/bold] \ufffd2J               1     7        1",
        "  Line break label␋                         0     1        0",
        "  ␛[2J␛[HClear ␛]8;;https://evil.example    1     0        1",
        "  Csi \ufffd31m branch                           0     4        0",
        "    Leaf \ufffd8;;http://x\ufffd link                 0     1        0",
        "    Gone \ufffd soon                             0     1        0",
    ]
    show = out[("show", "b")]
    assert "  Osc ␛]52;c;aGFja2Vk␇ bel ␇ nul ␀ del ␡ bs ␈ cr\n  end" in show
    assert "  Notes: Note ␛[31mred␛[0m␀\n  Mnemonic: Bell ␇␇ tab\n" in show
    assert (
        "\n  Hostile [bold]deck[/bold] \ufffd2J\n  What is ␛[2J␛[HClear ␛]8;;https://evil.example␛\\click␛]8;;␛\\?\n"
        in show
    )
    assert "  Notes: ␛]52;c;aGFja2Vk␇\n  ␛[2J␛[H\n" in out[("show", "d")]
    assert out[("show", "a")].startswith("Line break label␋  (Hostile [bold]deck[/bold] \ufffd2J/Line break label␋)\n")
    assert out[("search", "osc")] == (
        "Hostile [bold]deck[/bold] \ufffd2J/␛[2J␛[HClear ␛]8;;https://evil.example␛\\click␛]8;;␛\\\n"
        "  definition: Osc ␛]52;c;aGFja2Vk␇ bel ␇ nul ␀ del ␡ bs ␈ cr end\n"
    )
    assert (
        out[("search", "line")] == "Hostile [bold]deck[/bold] \ufffd2J/Line break label␋\n  label: Line break label␋\n"
    )
    assert out[("show", "e")].startswith(
        "Gone \ufffd soon  (Gone \ufffd soon)\nretired: gone from the deck's file, kept with its history\n"
    )
    assert out[("lint",)].splitlines()[:2] == [
        "Hostile [bold]deck[/bold] \ufffd2J (root):",
        "  warning L202 definition-length: the definition has 8 words (a card's answer reads best in 12 to 45)",
    ]
    errors = {args: result.stderr for args, result in printed.items()}
    typed = f"{CLEAR}typed{CLIPBOARD}\x9b2J"
    assert (out[("search", typed)], errors[("search", typed)]) == (
        "no node in deck 'Hostile \\x1b]52;c;aGFja2Vk\\x07 deck' matches "
        "'\\x1b[2J\\x1b[Htyped\\x1b]52;c;aGFja2Vk\\x07\\x9b2J'\n",
        "",
    )
    assert errors[("show", typed)] == (
        "Error: no node '\\x1b[2J\\x1b[Htyped\\x1b]52;c;aGFja2Vk\\x07\\x9b2J' in deck "
        "'Hostile \\x1b]52;c;aGFja2Vk\\x07 deck'\n"
    )
    missing = tmp_path / "missing␛]52;c;aGFja2Vk␇.gexf"
    assert errors[("import", str(tmp_path / f"missing{CLIPBOARD}.gexf"))] == f"Error: {missing}: no such file\n"
    assert errors[("show", "a", typed)].endswith(
        "Error: Got unexpected extra argument (␛[2J␛[Htyped␛]52;c;aGFja2Vk␇\ufffd2J)\n"
    )
    apkg = tmp_path / "deck␛]52;c;aGFja2Vk␇.apkg"
    assert out[("export", "anki", "-o", str(tmp_path / f"deck{CLIPBOARD}.apkg"))].endswith(f"-> {apkg}\n")
    report = out[("import", str(hostile), "--deck", DECK)].splitlines()
    assert report == [
        "Hostile ␛]52;c;aGFja2Vk␇ deck (update, 6 nodes):",
        "  + added: Added \ufffd0;title\ufffd",
        "  ~ changed: Renamed \ufffd31m node (definition)",
        "  ~ changed: Csi \ufffd31m branch (definition)",
        "  ~ renamed: Line break label␋ -> Line break label",
        "  ~ renamed: ␛[2J␛[HClear ␛]8;;https://evil.example␛\\click␛]8;;␛\\ -> Renamed \ufffd31m node",
        "  > moved: Leaf \ufffd8;;http://x\ufffd link: Csi \ufffd31m branch -> Hostile [bold]deck[/bold] \ufffd2J",
        "  - retired: Gone \ufffd soon",
        "  cards: 1 added, 2 retired",
    ]
    assert errors[("import", str(hostile), "--deck", DECK, "--prune")] == (
        "Error: this import would delete 1 node of 'Hostile \\x1b]52;c;aGFja2Vk\\x07 deck' for good, "
        "with 0 answers in its history (Gone \ufffd soon); add --yes to go ahead\n"
    )
    pruned = json.loads(out[("import", str(hostile), "--deck", DECK, "--prune", "--yes", "--json")])
    assert (pruned["deck"], pruned["deleted"], pruned["retired"]) == (DECK, [{"label": GONE, "answers": 0}], [])
    assert out[("import", str(hostile), "--deck", DECK)] == out[
        ("import", str(hostile), "--deck", DECK, "--dry-run")
    ].replace(" — dry run, nothing written", "")

    # The learner's line is kept as typed, its control characters as their stand-ins.
    assert out[("journal", BRANCH, typed)] == "Csi \ufffd31m branch: kept in its journal for 2026-11-23\n"
    assert out[("journal",)] == (
        "Hostile ␛]52;c;aGFja2Vk␇ deck: journal, 1 entry\n"
        "  2026-11-23  Csi \ufffd31m branch: ␛[2J␛[Htyped␛]52;c;aGFja2Vk␇\ufffd2J\n"
    )
    assert out[("journal", BRANCH)] == (
        "Hostile ␛]52;c;aGFja2Vk␇ deck › Csi \ufffd31m branch: journal, 1 entry\n"
        "  2026-11-23  ␛[2J␛[Htyped␛]52;c;aGFja2Vk␇\ufffd2J\n"
    )
    assert errors[("journal", BRANCH, " ")] == "Error: a journal entry needs some text\n"
    assert (
        "  Think: What does Csi \ufffd31m branch represent, in your own words, beyond its definition?\n"
        in out[("show", "c")]
    )
    stats = out[("stats",)].splitlines()
    assert "  ␛[2J␛[HClear ␛]8;;htt…     1     0     1     0      0      0%     0      1" in stats
    assert (
        "Needs attention: ␛[2J␛[HClear ␛]8;;https://evil.example␛\\click␛]8;;␛\\ — "
        "0 due and 1 lapse over 1 card, mastery 0%" in stats
    )

    # JSON escapes every control character, C1 and DEL too, and reads back to the exact text.
    assert (
        '"definition": "Osc \\u001b]52;c;aGFja2Vk\\u0007 bel \\u0007 nul \\u0000 del \\u007f bs \\b cr\\rend",'
        in out[("show", "b", "--json")]
    )
    assert '"label": "Hostile [bold]deck[/bold] \\u009b2J",' in out[("tree", "--json")]
    assert '"deck": "Hostile \\u001b]52;c;aGFja2Vk\\u0007 deck",' in out[("stats", "--json")]
    assert json.loads(out[("decks", "--json")])[0]["name"] == DECK
    assert json.loads(out[("limits", "--json")]) == {"deck": DECK, "new_per_day": 20, "reviews_per_day": 200}
    dry = out[("import", str(hostile), "--deck", DECK, "--dry-run", "--json")]
    assert '"deck": "Hostile \\u001b]52;c;aGFja2Vk\\u0007 deck",' in dry
    assert '"label": "Gone \\u009b soon"' not in dry  # retired labels are a plain list
    assert '"retired": [\n    "Gone \\u009b soon"\n  ],' in dry
    dry = json.loads(dry)
    assert dry["renamed"] == [
        {"from": BROKEN_LABEL, "to": "Line break label", "matched_by": "id"},
        {"from": CLEAR_LABEL, "to": RENAMED, "matched_by": "id"},
    ]
    assert (dry["added"], dry["retired"], dry["dry_run"]) == ([ADDED], [GONE], True)
    anki = tmp_path / f"json{CLIPBOARD}.apkg"
    exported = out[("export", "anki", "c", "-o", str(anki), "--json")]
    assert '\\u001b]52;c;aGFja2Vk\\u0007.apkg",' in exported
    assert (json.loads(exported)["path"], json.loads(exported)["branch"]) == (str(anki), BRANCH)
    gexf = tmp_path / f"json{CLEAR}.gexf"
    assert json.loads(out[("export", "gexf", "c", "-o", str(gexf), "--json")]) == {
        "path": str(gexf),
        "class": False,
        "deck": DECK,
        "branch": BRANCH,
        "nodes": 3,
        "edges": 2,
    }
    shown = json.loads(out[("show", "b", "--json")])
    assert (shown["label"], shown["definition"], shown["notes"], shown["mnemonic"]) == (
        CLEAR_LABEL,
        DEFINITION,
        NOTES,
        MNEMONIC,
    )
    assert json.loads(out[("search", "clear", "--json")]) == [
        {"key": "b", "label": CLEAR_LABEL, "path": f"{ROOT}/{CLEAR_LABEL}", "field": "label", "excerpt": CLEAR_LABEL}
    ]
    assert '"label": "Gone \\u009b soon",' in out[("show", "e", "--json")]
    assert [child["label"] for child in json.loads(out[("tree", "--json")])["children"]] == [
        BROKEN_LABEL,
        CLEAR_LABEL,
        BRANCH,
    ]
    assert out[("suspend", "c")] == 'Suspended 2 cards of "Csi \ufffd31m branch" and what is below it.\n'
    assert out[("bury", "b")] == 'Buried 1 card of "Renamed \ufffd31m node" until tomorrow.\n'
    assert json.loads(out[("unbury", "b", "--json")])["label"] == RENAMED
    package = str(tmp_path / f"phone{CLIPBOARD}.colpkg")
    assert out[("import-reviews", package)] == (
        f"Hostile ␛]52;c;aGFja2Vk␇ deck: reviews from {tmp_path}/phone␛]52;c;aGFja2Vk␇.colpkg: "
        "1 answer added, 0 already held, 0 of notes not from this deck, 0 left out (not answers); 1 card rescheduled\n"
    )
    again = json.loads(out[("import-reviews", package, "--json")])
    assert (again["deck"], again["added"], again["held"]) == (DECK, 0, 1)
    assert errors[("suspend", typed)].startswith("Error: no node '\\x1b[2J\\x1b[Htyped")


def test_json_keeps_other_non_ascii_text_readable(env, tmp_path):
    deck = tmp_path / "deck.json"
    deck.write_text(node_link([("r", "Données ✓ データ \x9b", "Définition — \x7f")], []), encoding="utf-8")
    CliRunner().invoke(cli, ["import", str(deck)], obj=env, catch_exceptions=False)
    out = CliRunner().invoke(cli, ["show", "r", "--json"], obj=env, catch_exceptions=False).stdout
    assert '"label": "Données ✓ データ \\u009b"' in out
    assert json.loads(out)["definition"] == "Définition — \x7f"


def test_the_installed_command_prints_safely_into_a_pipe(env, db_path, hostile):
    # The real entry point in a process of its own, its output read as bytes from a pipe.
    db = str(db_path)
    env.close()
    printed = {}
    for args in ([], ["tree"], ["show", f"x{CLIPBOARD}"]):
        done = subprocess.run([sys.executable, "-m", "srs", "--db", db, *args], capture_output=True)
        printed[tuple(args)] = out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert (unsafe(out), unsafe(err)) == ([], []), args
    # (on the real clock: the counts depend on the day)
    assert printed[()][0].startswith("Hostile ␛]52;c;aGFja2Vk␇ deck: 1 due, 7 new today, ")
    assert printed[("tree",)][0].splitlines()[3].startswith("  ␛[2J␛[HClear ␛]8;;https://evil.example    1 ")
    assert printed[("show", f"x{CLIPBOARD}")] == (
        "",
        "Error: no node 'x\\x1b]52;c;aGFja2Vk\\x07' in deck 'Hostile \\x1b]52;c;aGFja2Vk\\x07 deck'\n",
    )

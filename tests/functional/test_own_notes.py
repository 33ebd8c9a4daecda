"""Notes and mnemonics are each learner's own, on SQLite and PostgreSQL: what one learner writes
shows to them alone, everywhere a node's text shows (the card, `srs show`, search, both
exports), over the deck's notes that come from the file; a re-import weighs the importing
learner's own text, and leaves every other learner's alone."""

import json
import sqlite3
import threading
import zipfile

import pytest
from cli_support import runner
from sqlalchemy import func, select

from srs.config import load_config
from srs.env import Env
from srs.errors import SrsError
from srs.service import study
from srs.service.nodes import edit_node, load_node, undo_edit
from srs.storage import decks, queue
from srs.storage.tables import learner_notes, nodes


def tree(data_notes: str) -> dict:
    return {
        "label": "Scaling",
        "definition": "Bigger models do better.",
        "children": [
            {"label": "Data", "definition": "What a model learns from.", "notes": data_notes},
            {"label": "Compute", "definition": "The work of training."},
        ],
    }


def write_deck(tmp_path, data_notes: str = "From the web.", name: str = "deck.json"):
    path = tmp_path / name
    path.write_text(json.dumps(tree(data_notes)))
    return path


@pytest.fixture
def deck(run, tmp_path):
    path = write_deck(tmp_path)
    run("import", str(path), "--deck", "Scaling")
    return path


@pytest.fixture
def bob(env, tmp_path):
    other = Env(
        url=env.url,
        clock=env.clock,
        seed_bundled=False,
        config=load_config({"HOME": str(tmp_path / "home"), "SRS_LEARNER": "bob"}),
    )
    yield other
    other.close()


def data_id(env) -> int:
    with env.connection() as conn:
        return conn.scalar(select(nodes.c.id).where(nodes.c.label == "Data"))


def seen(env) -> tuple[str, str]:
    """Data's notes and mnemonic as the learner of `env` sees them, in `srs show`."""
    shown = json.loads(runner(env)("show", "Data", "--json"))
    return shown["notes"], shown["mnemonic"]


def deck_text(env) -> tuple[str, str]:
    with env.connection() as conn:
        return tuple(conn.execute(select(nodes.c.notes, nodes.c.mnemonic).where(nodes.c.label == "Data")).one())


def test_each_learner_sees_their_own_notes_and_the_decks_otherwise(env, bob, deck):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile.", "mnemonic": "D for data"})
    assert seen(env) == ("Mostly the Pile.", "D for data")
    assert seen(bob) == ("From the web.", "")
    assert deck_text(env) == ("From the web.", "")
    edit_node(bob, data_id(bob), {"notes": "Bob's own."})
    assert seen(env) == ("Mostly the Pile.", "D for data")
    assert seen(bob) == ("Bob's own.", "")
    assert load_node(env, data_id(env)).edited == frozenset({"notes", "mnemonic"})
    assert load_node(bob, data_id(bob)).edited == frozenset({"notes"})
    # The study screen's card shows the learner's own.
    for learner, notes in ((env, "Mostly the Pile."), (bob, "Bob's own.")):
        with learner.connection() as conn:
            card = queue.card_of(conn, decks.get_node(conn, data_id(learner), learner.learner_id))
        assert study.load_card(learner, card.id).notes == notes


def test_search_finds_a_learners_own_notes_for_them_alone(run, env, bob, deck):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile."})
    assert [(hit["path"], hit["field"]) for hit in json.loads(run("search", "pile", "--json"))] == [
        ("Scaling/Data", "notes")
    ]
    assert json.loads(runner(bob)("search", "pile", "--json", code=1)) == []
    assert [hit["path"] for hit in json.loads(runner(bob)("search", "web", "--json"))] == ["Scaling/Data"]
    assert json.loads(run("search", "web", "--json", code=1)) == []


def anki_notes(path) -> list[str]:
    """Every field of every note of an .apkg, joined."""
    with zipfile.ZipFile(path) as package:
        (collection,) = [name for name in package.namelist() if name.startswith("collection.anki2")]
        target = path.with_suffix(".anki2")
        target.write_bytes(package.read(collection))
    with sqlite3.connect(target) as conn:
        fields = [row[0] for row in conn.execute("SELECT flds FROM notes")]
    conn.close()
    return fields


def test_exports_carry_the_learners_own_notes_and_the_class_export_the_decks(run, env, bob, deck, tmp_path):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile."})
    for who, invoke, notes, other in (
        ("mine", run, "Mostly the Pile.", "From the web."),
        ("bobs", runner(bob), "From the web.", "Mostly the Pile."),
    ):
        gexf = tmp_path / f"{who}.gexf"
        invoke("export", "gexf", "-o", str(gexf))
        assert f'value="{notes}"' in gexf.read_text() and other not in gexf.read_text()
        apkg = tmp_path / f"{who}.apkg"
        invoke("export", "anki", "-o", str(apkg))
        fields = anki_notes(apkg)
        assert any(notes in f for f in fields) and not any(other in f for f in fields)
    whole = tmp_path / "class.gexf"
    run("export", "gexf", "--class", "-o", str(whole))
    assert 'value="From the web."' in whole.read_text() and "Pile" not in whole.read_text()


def test_a_learner_reimporting_their_own_export_changes_nothing_for_anyone(run, env, bob, deck, tmp_path):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile.", "mnemonic": "D"})
    out = tmp_path / "mine.gexf"
    run("export", "gexf", "-o", str(out))
    assert "already up to date" in run("import", str(out), "--deck", "Scaling")
    assert seen(env) == ("Mostly the Pile.", "D")
    assert seen(bob) == ("From the web.", "")
    # Bob importing it takes ana's notes as the deck's: the file says so.
    report = json.loads(runner(bob)("import", str(out), "--deck", "Scaling", "--json"))
    assert report["changed"] == [{"label": "Data", "fields": ["notes", "mnemonic"]}]
    assert seen(bob) == ("Mostly the Pile.", "D")


def test_new_notes_in_the_file_reach_learners_without_their_own(run, env, bob, deck, tmp_path):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile."})
    newer = write_deck(tmp_path, "Web pages and books.", "newer.json")
    assert run("import", str(newer), "--deck", "Scaling").splitlines()[:2] == [
        "Scaling (update, 3 nodes):",
        "  ! conflict: Data (notes): edited by you and changed in the file; kept yours (--theirs takes the file's)",
    ]
    assert deck_text(env) == ("Web pages and books.", "")
    assert seen(bob) == ("Web pages and books.", "")
    assert seen(env) == ("Mostly the Pile.", "")
    # Now the deck's text, the same file is no change; a file that changes it again is, and
    # with --theirs the learner takes the file's instead of their own.
    assert "already up to date" in run("import", str(newer), "--deck", "Scaling")
    third = write_deck(tmp_path, "Tokens.", "third.json")
    report = json.loads(run("import", str(third), "--deck", "Scaling", "--theirs", "--json"))
    assert report["conflicts"] == [
        {"label": "Data", "field": "notes", "yours": "Mostly the Pile.", "theirs": "Tokens.", "kept": "theirs"}
    ]
    assert seen(env) == seen(bob) == ("Tokens.", "")
    with env.connection() as conn:
        assert conn.execute(select(learner_notes)).all() == []


def test_bob_importing_leaves_anas_own_notes_alone(env, bob, deck, tmp_path):
    edit_node(env, data_id(env), {"notes": "Mostly the Pile."})
    newer = write_deck(tmp_path, "Web pages and books.", "newer.json")
    report = json.loads(runner(bob)("import", str(newer), "--deck", "Scaling", "--theirs", "--json"))
    assert report["conflicts"] == []
    assert report["changed"] == [{"label": "Data", "fields": ["notes"]}]
    assert seen(env) == ("Mostly the Pile.", "")
    assert seen(bob) == ("Web pages and books.", "")


def test_undo_puts_back_the_learners_own_text_as_it_was(env, bob, deck, now):
    node = data_id(env)
    edit_node(env, node, {"notes": "First."})

    def rows():
        with env.connection() as conn:
            return [tuple(row) for row in conn.execute(select(learner_notes).order_by(learner_notes.c.id))]

    before = rows()
    now.advance(minutes=5)
    second = edit_node(env, node, {"notes": "Second.", "mnemonic": "S"})
    undo_edit(env, second)
    assert rows() == before
    assert seen(env) == ("First.", "")
    # Bob's edit of his own notes is not ana's to take back, nor the other way round.
    bobs = edit_node(bob, node, {"notes": "Bob's."})
    edit_node(env, node, {"notes": "Third."})
    undo_edit(bob, bobs)
    assert seen(bob) == ("From the web.", "") and seen(env) == ("Third.", "")
    again = edit_node(env, node, {"notes": "Fourth."})
    edit_node(env, node, {"notes": "Fifth."})
    with pytest.raises(SrsError, match="^the notes of 'Data' changed since; the edit was not taken back$"):
        undo_edit(env, again)


def test_learners_writing_notes_of_one_node_at_once_each_keep_their_own(env, deck, tmp_path):
    node = data_id(env)
    names = ["ana", "bob", "cy"]
    learners = [
        Env(
            url=env.url,
            clock=env.clock,
            seed_bundled=False,
            config=load_config({"HOME": str(tmp_path / "home"), "SRS_LEARNER": name}),
        )
        for name in names
    ]
    # Each made before the race: what is raced is the writing of notes.
    assert len({learner.learner_id for learner in learners}) == len(names)
    failures = []

    def write(learner, name):
        try:
            for i in range(20):
                edit_node(learner, node, {"notes": f"{name} {i}", "mnemonic": f"{name}'s {i}"})
        except Exception as exc:  # reported below, with the learner's name
            failures.append((name, exc))

    threads = [threading.Thread(target=write, args=pair) for pair in zip(learners, names, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        for learner, name in zip(learners, names, strict=True):
            assert seen(learner) == (f"{name} 19", f"{name}'s 19")
        with env.connection() as conn:
            assert conn.scalar(select(func.count()).select_from(learner_notes)) == 2 * len(names)
        assert seen(env) == ("From the web.", "")
    finally:
        for learner in learners:
            learner.close()

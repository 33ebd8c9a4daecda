"""Decks without ids (outlines, CSV tables) are keyed by label path, stored as a short digest of
it whatever the depth; schema 4 rewrites the long keys earlier versions stored."""

import sqlite3
import zipfile

import genanki
import pytest
from test_storage import OLD_CARD_INDEXES, make_older

from srs.core.diff import label_paths
from srs.core.graph import path_key
from srs.readers import read_deck
from srs.storage import db

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""Keys and their migration are read straight from the SQLite file."""


def sqlite_path(env) -> str:
    return str(db.database_file(env.url))


def stored_keys(env) -> dict[str, set[str]]:
    with sqlite3.connect(sqlite_path(env)) as conn:
        rows = conn.execute("SELECT decks.name, nodes.key FROM nodes JOIN decks ON decks.id = nodes.deck_id").fetchall()
    conn.close()
    out: dict[str, set[str]] = {}
    for deck, key in rows:
        out.setdefault(deck, set()).add(key)
    return out


def anki_guids(run, deck, path) -> set[str]:
    run("export", "anki", "--deck", deck, "-o", str(path))
    with zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", path.parent / path.stem)
    with sqlite3.connect(path.parent / path.stem / "collection.anki2") as conn:
        guids = {row[0] for row in conn.execute("SELECT guid FROM notes")}
    conn.close()
    return guids


def chain_csv(path, depth: int) -> None:
    rows = ["label,definition,parent"] + [f"Term {i},Step {i}.,{f'Term {i - 1}' if i else ''}" for i in range(depth)]
    path.write_text("\n".join(rows) + "\n")


def test_a_deep_chain_without_ids_keeps_its_keys_and_its_database_small(run, env, tmp_path):
    """2,000 rows, 60 KB: with the label path itself as key the database held 2,000²/2 path
    characters twice over (the table and its unique index), some 40 MB."""
    deck = tmp_path / "chain.csv"
    chain_csv(deck, 2000)
    assert "+ 2000 nodes" in run("import", str(deck), "--deck", "Chain")
    env.close()  # the last connection folds the write-ahead log into the file
    assert (tmp_path / "srs.sqlite3").stat().st_size < 3_000_000
    assert {len(key) for key in stored_keys(env)["Chain"]} == {32}
    assert run("import", str(deck), "--deck", "Chain") == "Chain: already up to date (2000 nodes); nothing changed.\n"
    deepest = "/".join(f"Term {i}" for i in range(2000))
    assert run("show", "--deck", "Chain", deepest).splitlines()[0].startswith("Term 1999  (Term 0/Term 1/")


def test_a_label_path_names_a_node_even_with_a_slash_in_a_label(run, tmp_path):
    outline = tmp_path / "io.md"
    outline.write_text(
        "- Systems: how computers are built.\n  - I/O: moving data in and out.\n  - Memory: what holds data.\n"
    )
    run("import", str(outline))
    assert run("show", "Systems/I/O").splitlines()[0] == "I/O  (Systems/I/O)"
    assert run("show", "I/O").splitlines()[0] == "I/O  (Systems/I/O)"


def write_old_keys(env, deck_name: str, graph) -> None:
    """Key the deck's nodes as schema 3 and earlier did: by the label path itself."""
    paths = label_paths(graph)
    with sqlite3.connect(sqlite_path(env)) as conn:
        (deck_id,) = conn.execute("SELECT id FROM decks WHERE name = ?", (deck_name,)).fetchone()
        for key, path in paths.items():
            conn.execute("UPDATE nodes SET key = ? WHERE deck_id = ? AND key = ?", (path, deck_id, key))
        conn.execute("UPDATE decks SET root_key = ? WHERE id = ?", (paths[graph.root], deck_id))
    conn.close()


@pytest.mark.parametrize("version", [v for v in sorted(OLD_CARD_INDEXES) if v < 4])
def test_path_keys_of_an_older_database_are_made_short_with_history_and_anki_guids_kept(
    run, env, data, tmp_path, version
):
    # Id-keyed decks beside, one of them with ids equal to labels (as networkx writes them).
    same = tmp_path / "same.gexf"
    same.write_text(
        '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed"><nodes>'
        '<node id="Scaling" label="Scaling"/><node id="Compute" label="Compute"/><node id="Data" label="Data"/>'
        '</nodes><edges><edge id="0" source="Scaling" target="Compute"/><edge id="1" source="Scaling" target="Data"/>'
        "</edges></graph></gexf>"
    )
    run("import", str(same), "--deck", "Same")
    run("import", str(data / "small.gexf"), "--deck", "Small")
    decks = {"Notes": data / "outline.md", "Table": data / "table.csv"}
    for name, file in decks.items():
        run("import", str(file), "--deck", name)
    # An answer to a card, and a retired node, in the outline deck.
    with sqlite3.connect(sqlite_path(env)) as conn:
        conn.execute(
            "UPDATE cards SET reviews = 1, interval = 1, due = '2026-11-24' WHERE node_id = "
            "(SELECT id FROM nodes WHERE key = ?)",
            (path_key("Scaling/Compute/GPU Usage"),),
        )
    conn.close()
    smaller = tmp_path / "smaller.md"
    smaller.write_text((data / "outline.md").read_text().replace("  - Data Quality", "  - Data Quantity"))
    run("import", str(smaller), "--deck", "Notes")
    run("import", str(data / "outline.md"), "--deck", "Notes")  # Data Quality back, Data Quantity retired
    keys_now = stored_keys(env)
    guids_now = {name: anki_guids(run, name, tmp_path / f"{name}-now.apkg") for name in decks}
    env.close()

    # The database as schema `version` left it: every path-keyed node keyed by its path.
    write_old_keys(env, "Table", read_deck(decks["Table"]))
    write_old_keys(env, "Notes", read_deck(decks["Notes"]))
    with sqlite3.connect(sqlite_path(env)) as conn:
        conn.execute(
            "UPDATE nodes SET key = 'Scaling/Data/Data Quantity' WHERE key = ?",
            (path_key("Scaling/Data/Data Quantity"),),
        )
        make_older(conn, version)
    conn.close()
    assert stored_keys(env)["Notes"] >= {"Scaling", "Scaling/Compute/GPU Usage", "Scaling/Data/Data Quantity"}
    # Anki GUIDs as earlier versions gave them: genanki's, of the deck and the path.
    old_guids = {
        name: {genanki.guid_for(name, path) for path in label_paths(read_deck(file)).values()}
        for name, file in decks.items()
    }

    with env.engine().connect() as conn:
        assert db.schema_version(conn) == db.SCHEMA_VERSION
    assert stored_keys(env) == keys_now
    for name, file in decks.items():
        assert (
            run("import", str(file), "--deck", name)
            == f"{name}: already up to date ({len(read_deck(file))} nodes); nothing changed.\n"
        )
    assert run("import", str(same), "--deck", "Same") == "Same: already up to date (3 nodes); nothing changed.\n"
    assert (
        run("import", str(data / "small.gexf"), "--deck", "Small")
        == "Small: already up to date (5 nodes); nothing changed.\n"
    )
    assert "learning" in run("show", "--deck", "Notes", "Scaling/Compute/GPU Usage")
    for name in decks:
        assert anki_guids(run, name, tmp_path / f"{name}-after.apkg") == old_guids[name] == guids_now[name]

"""Each mind-map format through the real `srs import`: the deck's cards exist, and importing the
file again after an edit keeps a card's answers."""

import shutil

import pytest
from sqlalchemy import func, select

from srs.storage.tables import cards, decks, nodes, reviews

OLD, NEW = "The arithmetic a training run spends", "The arithmetic a training run does"

# A sample in tests/data for each format; a folder is an XMind workbook's contents.
SAMPLES = {
    "mermaid": "mindmap.mmd",
    "opml": "outliner.opml",
    "canvas": "obsidian.canvas",
    "freeplane": "freeplane.mm",
    "xmind zen": "xmind_zen/",
    "xmind 8": "xmind8/",
}


def deck_file(data, tmp_path, xmind, sample, edited=False):
    """The sample as a file of its format, with Compute's definition edited if `edited`."""
    if sample.endswith("/"):
        return xmind(sample.rstrip("/"), name="deck.xmind", replace=((OLD, NEW),) if edited else ())
    deck = tmp_path / ("edited" if edited else "deck") / sample
    deck.parent.mkdir(exist_ok=True)
    shutil.copy(data / sample, deck)
    if edited:
        deck.write_text(deck.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    return deck


def deck_cards(env):
    """(label, card kind, answers) of every card of the deck 'Map'."""
    with env.connection() as conn:
        answers = select(func.count()).where(reviews.c.card_id == cards.c.id).scalar_subquery()
        rows = conn.execute(
            select(nodes.c.label, cards.c.kind, answers)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .join(decks, decks.c.id == cards.c.deck_id)
            .where(decks.c.name == "Map", nodes.c.retired.is_(False))
            .order_by(nodes.c.rank, cards.c.kind)
        ).all()
    return [tuple(row) for row in rows]


def definition(env, label):
    with env.connection() as conn:
        return conn.execute(select(nodes.c.definition).where(nodes.c.label == label)).scalar_one()


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=SAMPLES.keys())
def test_import_makes_the_cards_and_a_reimport_keeps_an_answer(run, env, data, tmp_path, xmind, sample):
    run("import", str(deck_file(data, tmp_path, xmind, sample)), "--deck", "Map")
    before = deck_cards(env)
    assert ("Compute", "definition", 0) in before
    assert ("Compute", "children", 0) in before
    assert definition(env, "Compute").startswith(OLD)
    run("answer", "Compute", "4", "--deck", "Map")

    run("import", str(deck_file(data, tmp_path, xmind, sample, edited=True)), "--deck", "Map")
    after = deck_cards(env)
    assert definition(env, "Compute").startswith(NEW)
    assert ("Compute", "definition", 1) in after
    assert [row[:2] for row in after] == [row[:2] for row in before]


def test_markdown_mermaid_block_imports(run, env, data, tmp_path):
    deck = tmp_path / "notes.md"
    shutil.copy(data / "mindmap_notes.md", deck)
    run("import", str(deck), "--deck", "Map")
    assert deck_cards(env) == [
        ("Attention", "children", 0),
        ("Queries", "definition", 0),
        ("Keys", "definition", 0),
    ]
    run("answer", "Queries", "5", "--deck", "Map")
    deck.write_text(deck.read_text().replace("What each token looks for", "What a token is looking for"))
    run("import", str(deck), "--deck", "Map")
    assert definition(env, "Queries") == "What a token is looking for"
    assert ("Queries", "definition", 1) in deck_cards(env)


def test_a_broken_map_is_one_line_and_changes_nothing(run, env, tmp_path):
    deck = tmp_path / "deck.mmd"
    deck.write_text("mindmap\n  a[A]\n  b[B]\n")
    assert run("import", str(deck), code=2) == (
        f"Error: {deck}:line 3: a second root: a mindmap has one root, so indent this node under it\n"
    )
    with env.connection() as conn:
        assert conn.execute(select(func.count()).select_from(decks)).scalar_one() == 0

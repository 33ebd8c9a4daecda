"""`srs show` on a retired node (gone from the deck's file, kept with its history): shown as
`show` shows a node, marked retired, with its cards' history; a live node of that name first."""

import json

import pytest

FIRST = """\
- Root: The top.
  - Alpha: The first.
    - Leaf: Under alpha.
  - Beta: The second.
"""
WITHOUT_BETA = """\
- Root: The top.
  - Alpha: The first.
    - Leaf: Under alpha.
"""
BETA_AGAIN = """\
- Root: The top.
  - Alpha: The first.
    - Leaf: Under alpha.
    - Beta: A new one, under alpha.
"""


@pytest.fixture
def retired(run, tmp_path):
    """A deck whose node Beta, answered twice, is gone from the file."""

    def load(outline):
        path = tmp_path / "deck.md"
        path.write_text(outline)
        return run("import", str(path), "--deck", "Deck")

    load(FIRST)
    run("answer", "Beta", "2")
    run("answer", "Beta", "5")
    assert "  - retired: Beta" in load(WITHOUT_BETA)
    return load


def test_a_retired_node_is_shown_with_its_history(run, retired):
    assert run("show", "Beta") == (
        "Beta  (Beta)\n"
        "retired: gone from the deck's file, kept with its history\n"
        "\n"
        "── definition card · retired · 1 review, 1 lapse, latest grades 5 2 · EF 2.50 · 1 d\n"
        "  What is Beta?\n"
        "  ----\n"
        "  The second.\n"
    )
    shown = json.loads(run("show", "beta", "--json"))
    assert (shown["label"], shown["retired"], shown["definition"]) == ("Beta", True, "The second.")
    assert [
        {key: card[key] for key in ("kind", "state", "reviews", "lapses", "interval", "due")} for card in shown["cards"]
    ] == [{"kind": "definition", "state": "retired", "reviews": 1, "lapses": 1, "interval": 1, "due": "2026-11-24"}]
    # by the path it had: the key of a node in an outline
    assert json.loads(run("show", "Root/Beta", "--json"))["id"] == shown["id"]


def test_a_live_node_says_it_is_not_retired_and_shows_as_before(run, retired):
    assert json.loads(run("show", "Alpha", "--json"))["retired"] is False
    out = run("show", "Alpha")
    assert out.startswith("Alpha  (Root/Alpha)\n\n── definition card · new\n")
    assert "retired" not in out


def test_a_live_node_of_the_same_name_is_found_first(run, tmp_path):
    def graph(*ids):
        nodes = [{"id": "r", "label": "Root"}, *({"id": i, "label": "Twin", "definition": i} for i in ids)]
        return json.dumps({"directed": True, "nodes": nodes, "links": [{"source": "r", "target": i} for i in ids]})

    path = tmp_path / "deck.json"
    path.write_text(graph("t1", "t2"))
    run("import", str(path), "--deck", "Deck")
    run("answer", "t1", "4")
    path.write_text(graph("t2"))
    assert "  - retired: Twin" in run("import", str(path), "--deck", "Deck")
    shown = json.loads(run("show", "twin", "--json"))
    assert (shown["id"], shown["retired"], shown["cards"][0]["reviews"]) == ("t2", False, 0)
    retired = json.loads(run("show", "t1", "--json"))  # the retired one, by its id
    assert (retired["id"], retired["retired"], retired["cards"][0]["reviews"]) == ("t1", True, 1)
    path.write_text(graph())
    run("import", str(path), "--deck", "Deck")
    assert run("show", "Twin", code=2) == "Error: 'Twin' matches 2 retired nodes, give the id: 't1', 't2'\n"


def test_other_commands_still_know_no_retired_node(run, retired):
    assert run("answer", "Beta", "4", code=2) == "Error: no node 'Beta' in deck 'Deck'\n"
    assert run("tree", "Beta", code=2) == "Error: no node 'Beta' in deck 'Deck'\n"
    assert run("show", "Gamma", code=2) == "Error: no node 'Gamma' in deck 'Deck'\n"

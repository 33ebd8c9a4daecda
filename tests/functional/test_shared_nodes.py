"""Decks whose hierarchy is not a tree: the order new cards come in, and the counts of branches
that share a node. Through the real commands, on a real database."""

import json
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import select

from srs.readers import read_deck
from srs.storage import tables

BUNDLED = str(Path(__file__).parents[2] / "decks" / "scaling-hypothesis.gexf")


def write_deck(path, edges, labels=None):
    """A JSON deck file of `edges` (parent, child), every node with a definition."""
    keys = list(dict.fromkeys(key for edge in edges for key in edge))
    nodes = [{"id": k, "label": (labels or {}).get(k, k.title()), "definition": f"About {k}."} for k in keys]
    path.write_text(
        json.dumps({"directed": True, "nodes": nodes, "links": [{"source": p, "target": c} for p, c in edges]})
    )
    return path


# X sits one step below A and three below the root through B and C.
DEEPER_PARENT = [("root", "a"), ("root", "b"), ("b", "c"), ("a", "x"), ("c", "x")]


def test_new_cards_come_after_every_parent_of_their_node(run, tmp_path):
    run("import", str(write_deck(tmp_path / "dag.json", DEEPER_PARENT)))
    upcoming = json.loads(run("due", "--limit", "20", "--json"))["next"]
    assert [(card["node"], card["kind"]) for card in upcoming] == [
        ("root", "definition"),
        ("root", "children"),
        ("a", "definition"),
        ("b", "definition"),
        ("c", "definition"),
        ("x", "definition"),
    ]


def ranks(env):
    with env.connection() as conn:
        nodes = dict(conn.execute(select(tables.nodes.c.key, tables.nodes.c.rank)).all())
        cards = dict(conn.execute(select(tables.cards.c.id, tables.cards.c.rank)).all())
        return nodes, cards


def test_reimporting_a_tree_deck_keeps_its_breadth_first_ranks(run, env, tmp_path):
    graph = read_deck(BUNDLED)
    assert all(len(parents) <= 1 for parents in graph.parents.values())  # the bundled deck is a tree
    run("import", BUNDLED)
    nodes, cards = ranks(env)
    # The ranks a tree deck has always had: breadth-first from the root, children in file order.
    tree = nx.DiGraph()
    tree.add_edges_from((parent, child) for parent in graph.children for child in graph.children[parent])
    walk = [graph.root, *(child for _, child in nx.bfs_edges(tree, graph.root))]
    assert nodes == {key: i for i, key in enumerate(walk)}
    assert "nothing changed" in run("import", BUNDLED)
    assert ranks(env) == (nodes, cards)


# X has two parents, A and B, under one branch Top; Y hangs below X.
SHARED = [("root", "top"), ("root", "other"), ("top", "a"), ("top", "b"), ("a", "x"), ("b", "x"), ("x", "y")]


def shared_deck_on_day_two(run, now, tmp_path):
    """The SHARED deck on its second day: X reviewed twice (young, 6 days), Y once (due today).

    Its 9 cards: definitions of all 7 nodes and the children cards of Root and Top."""
    run("import", str(write_deck(tmp_path / "shared.json", SHARED)))
    run("answer", "x", "4")
    run("answer", "y", "4")
    now.advance(days=1)
    run("answer", "x", "4")


def test_a_branch_counts_a_node_with_two_parents_once(run, now, tmp_path):
    shared_deck_on_day_two(run, now, tmp_path)
    tree = json.loads(run("tree", "--json"))
    [deck] = json.loads(run("decks", "--json"))
    assert (tree["new"], tree["cards"]) == (deck["new"], deck["cards"]) == (7, 9)
    assert (tree["due"], tree["learned"], tree["mastery"]) == (1, 2, round(6 / 21 / 7, 3))
    top = tree["children"][0]
    assert top["label"] == "Top"
    assert (top["due"], top["new"], top["learned"], top["cards"], top["mastery"]) == (1, 4, 2, 6, round(6 / 21 / 5, 3))
    a, b = top["children"]
    # Under each parent on its own, X and Y count in full.
    assert [(n["label"], n["new"], n["cards"], n["mastery"]) for n in (a, b)] == [
        ("A", 1, 3, round(6 / 21 / 3, 3)),
        ("B", 1, 3, round(6 / 21 / 3, 3)),
    ]


def test_the_map_counts_a_node_with_two_parents_once(run, env, now, tmp_path):
    from srs.service import decks as deck_service

    shared_deck_on_day_two(run, now, tmp_path)
    deck_map = deck_service.load_map(env, None)
    by_label = {node.label: node for node in deck_map.nodes.values()}
    assert deck_map.nodes[deck_map.root].label == "Root"
    assert [
        (label, by_label[label].due, by_label[label].new, by_label[label].learned, by_label[label].cards)
        for label in ("Root", "Top", "A", "B", "X")
    ] == [("Root", 1, 7, 2, 9), ("Top", 1, 4, 2, 6), ("A", 1, 1, 2, 3), ("B", 1, 1, 2, 3), ("X", 1, 0, 2, 2)]
    # (The database computes interval / 21 to ten places or so.)
    assert by_label["Root"].mastery == pytest.approx(6 / 21 / 7, abs=1e-9)
    assert by_label["Top"].mastery == pytest.approx(6 / 21 / 5, abs=1e-9)


def test_the_top_of_the_map_is_its_root_and_branches_with_the_whole_maps_children(run, env, now, tmp_path):
    """What the app draws first on a large deck: the root and its branches, their counts unread."""
    from srs.service import decks as deck_service

    shared_deck_on_day_two(run, now, tmp_path)
    run("import", str(write_deck(tmp_path / "shared.json", [*SHARED, ("root", "gone")])))
    run("import", str(write_deck(tmp_path / "shared.json", SHARED)))  # "gone" is retired
    top = deck_service.load_map_top(env, None)
    whole = deck_service.load_map(env, None)
    labels = {nid: node.label for nid, node in whole.nodes.items()}
    assert (top.deck, top.root, top.counted, whole.counted, top.size) == (whole.deck, whole.root, False, True, 8)
    assert {labels[nid]: [labels[c] for c in node.children] for nid, node in top.nodes.items()} == {
        labels[nid]: [labels[c] for c in whole.nodes[nid].children] for nid in top.nodes
    }
    assert [labels[nid] for nid in top.nodes] == ["Root", "Top", "Other"]
    assert [labels[c] for c in top.nodes[top.root].children] == ["Top", "Other"]
    assert (top.counts, top.streak) == (whole.counts, whole.streak)


def test_the_branch_table_counts_a_shared_node_under_both_branches_and_once_in_the_whole(run, now, tmp_path):
    shared_deck_on_day_two(run, now, tmp_path)
    branches = json.loads(run("stats", "--json"))["branches"]
    assert [(row["label"], row["nodes"], row["cards"], row["new"]) for row in branches["rows"]] == [
        ("Top", 5, 6, 4),
        ("Other", 1, 1, 1),
    ]
    assert (branches["total"]["nodes"], branches["total"]["cards"], branches["total"]["new"]) == (7, 9, 7)
    inside = json.loads(run("stats", "Top", "--json"))["branches"]
    assert [(row["label"], row["nodes"], row["cards"], row["learning"], row["young"]) for row in inside["rows"]] == [
        ("A", 3, 3, 1, 1),
        ("B", 3, 3, 1, 1),
    ]
    assert (inside["total"]["nodes"], inside["total"]["cards"], inside["total"]["young"]) == (5, 6, 1)
    assert inside["total"]["mastery"] == pytest.approx(6 / 21 / 5, abs=1e-9)

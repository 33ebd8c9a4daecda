"""Decks whose hierarchy is not a tree: the order new cards come in, and the counts of branches
that share a node. Through the real commands, on a real database."""

import json
from pathlib import Path

import networkx as nx
from sqlalchemy import select

from srs.decks import read_deck
from srs.storage.models import Card, Node

BUNDLED = str(Path(__file__).parents[2] / "decks" / "scaling-hypothesis.gexf")


def write_deck(path, edges, labels=None):
    """A JSON deck file of `edges` (parent, child), every node with a definition."""
    keys = list(dict.fromkeys(key for edge in edges for key in edge))
    nodes = [{"id": k, "label": (labels or {}).get(k, k.title()), "definition": f"About {k}."} for k in keys]
    path.write_text(json.dumps({"directed": True, "nodes": nodes,
                                "links": [{"source": p, "target": c} for p, c in edges]}))
    return path


# X sits one step below A and three below the root through B and C.
DEEPER_PARENT = [("root", "a"), ("root", "b"), ("b", "c"), ("a", "x"), ("c", "x")]


def test_new_cards_come_after_every_parent_of_their_node(run, tmp_path):
    run("import", str(write_deck(tmp_path / "dag.json", DEEPER_PARENT)))
    upcoming = json.loads(run("due", "--limit", "20", "--json"))["next"]
    assert [(card["node"], card["kind"]) for card in upcoming] == [
        ("root", "definition"), ("root", "children"), ("a", "definition"), ("b", "definition"),
        ("c", "definition"), ("x", "definition"),
    ]


def ranks(env):
    with env.session() as s:
        nodes = dict(s.execute(select(Node.key, Node.rank)).all())
        cards = dict(s.execute(select(Card.id, Card.rank)).all())
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

"""JSON Canvas 1.0 as Obsidian writes it: text, file and link nodes, groups, and edges."""

import json

import pytest

from srs.errors import DeckFileError
from srs.readers import read_deck

GROUP, COMPUTE, BOX, GPU, TRAINING = (
    "6f1c2a9be4d07735",
    "0b7e4d2c91a3f508",
    "c3d94e7a10b2f6e1",
    "5e2a8f0d3c7b1946",
    "91d0b6e3a5f2c874",
)
DATA, QUALITY, DEDUP, PAPER, LINK = (
    "2a6f9c1e8d4b0357",
    "e8b3175c0f9a2d64",
    "47c0e2b9d6a1f385",
    "a1f5d8c2e7b04936",
    "d94a0c6b3e1f7258",
)


def test_nodes_groups_and_edges_make_the_graph(data):
    graph = read_deck(data / "obsidian.canvas")
    assert [(k, c.label, c.definition, c.color, graph.parents[k]) for k, c in graph.concepts.items()] == [
        (GROUP, "Scaling Hypothesis", "", None, []),
        (COMPUTE, "Compute", "The arithmetic a training run spends.", None, [GROUP]),
        (GPU, "GPU Usage", "How busy the accelerators are.", None, [COMPUTE]),
        (TRAINING, "Distributed Training", "Spreading one run\nover many devices.", None, [COMPUTE]),
        (DATA, "Data", "", "#4a90d9", [GROUP]),
        (QUALITY, "Data Quality", "", None, [DATA]),
        (DEDUP, "Data Deduplication", "Dropping repeated documents.", None, [QUALITY]),
        (PAPER, "Papers/Scaling Laws.pdf", "", None, [DATA]),
        (LINK, "https://arxiv.org/abs/2203.15556", "", None, [DATA]),
    ]
    # The unlabelled group is only a box; an edge's label is its kind.
    assert BOX not in graph.concepts
    assert graph.children[DATA] == [PAPER, QUALITY, LINK]
    assert graph.links == [(GPU, TRAINING, "enables")]
    assert graph.relations == {(COMPUTE, TRAINING): "has-part"}


def canvas(tmp_path, nodes, edges=()):
    deck = tmp_path / "deck.canvas"
    deck.write_text(json.dumps({"nodes": nodes, "edges": list(edges)}))
    return deck


def text_node(ident, text, x=0, y=0):
    return {"id": ident, "type": "text", "text": text, "x": x, "y": y, "width": 100, "height": 50}


def test_an_edge_with_no_arrows_is_undirected_and_oriented_from_the_root(tmp_path):
    deck = canvas(
        tmp_path,
        [text_node("a", "A"), text_node("b", "B", y=100), text_node("c", "C", y=200)],
        [
            {"id": "e1", "fromNode": "a", "toNode": "b"},
            {"id": "e2", "fromNode": "c", "toNode": "b", "toEnd": "none"},
        ],
    )
    graph = read_deck(deck, root="a")
    assert graph.children == {"a": ["b"], "b": ["c"], "c": []}


def test_a_node_in_nested_groups_is_a_child_of_the_smallest(tmp_path):
    outer = {"id": "outer", "type": "group", "label": "Outer", "x": 0, "y": 0, "width": 1000, "height": 1000}
    inner = {"id": "inner", "type": "group", "label": "Inner", "x": 100, "y": 100, "width": 400, "height": 400}
    deck = canvas(tmp_path, [outer, inner, text_node("n", "Node", 150, 150)])
    assert read_deck(deck).children == {"outer": ["inner"], "inner": ["n"], "n": []}


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ('{"nodes": [}', "line 1, column 12", "not valid JSON: Expecting value"),
        ("[1, 2]", None, "not a JSON Canvas: the file is not a JSON object"),
        ('{"nodes": {}}', None, '"nodes" is not a list'),
        ('{"nodes": [{"type": "text"}]}', "nodes[0]", 'a node is not an object with an "id"'),
        (
            '{"nodes": [{"id": "a", "type": "image", "x": 0, "y": 0, "width": 1, "height": 1}]}',
            "nodes[0]",
            "a node of type 'image' (a canvas has text, file, link, group)",
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "A", "x": 0, "y": 0}]}',
            "nodes[0]",
            'a node needs numbers for "x", "y", "width" and "height"',
        ),
        (
            '{"nodes": [{"id": "a", "type": "file", "x": 0, "y": 0, "width": 1, "height": 1}]}',
            "nodes[0]",
            'a file node without its "file"',
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "A", "x": 0, "y": 0, "width": 1, "height": 1}],'
            ' "edges": [{"id": "e", "fromNode": "a"}]}',
            "edges[0]",
            'an edge is not an object with a "fromNode" and a "toNode"',
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "A", "x": 0, "y": 0, "width": 1, "height": 1},'
            ' {"id": "g", "type": "group", "x": 0, "y": 0, "width": 9, "height": 9}],'
            ' "edges": [{"id": "e", "fromNode": "g", "toNode": "a"}]}',
            "edges[0]",
            "the edge ends at the group 'g', which has no label",
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "A", "x": 0, "y": 0, "width": 1, "height": 1}],'
            ' "edges": [{"id": "e", "fromNode": "a", "toNode": "ghost"}]}',
            "edges[0]",
            "the edge ends at 'ghost', which is no node",
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "\\u0007A", "x": 0, "y": 0, "width": 1, "height": 1}]}',
            "node 'a' ('\\x07A')",
            "holds U+0007 (a control character), which deck text cannot hold",
        ),
        (
            '{"nodes": [{"id": "a", "type": "text", "text": "  ", "x": 0, "y": 0, "width": 1, "height": 1}]}',
            "node 'a'",
            "the node has no label",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_at_its_json_path(tmp_path, content, where, message):
    deck = tmp_path / "deck.canvas"
    deck.write_text(content)
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == (f"{deck}:{where}: {message}" if where else f"{deck}: {message}")

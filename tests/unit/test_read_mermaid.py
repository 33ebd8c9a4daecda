"""Mermaid mindmaps: the shapes of Mermaid's documentation, ids as keys, `Term: definition`, and
the ```mermaid block of a Markdown file."""

import pytest

from srs.core.graph import path_key
from srs.errors import DeckFileError
from srs.readers import detect_format, read_deck


def rows(graph):
    """Each node as (key, label, definition, parents' keys), in the file's order."""
    return [(k, c.label, c.definition, graph.parents[k]) for k, c in graph.concepts.items()]


def test_every_shape_reads_and_an_id_before_a_shape_is_the_key(data):
    graph = read_deck(data / "mindmap.mmd")
    laws = path_key("root/Scaling Laws")
    assert rows(graph) == [
        ("root", "Scaling Hypothesis", "", []),
        ("compute", "Compute", "The arithmetic a training run spends", ["root"]),
        ("gpu", "GPU Usage", "", ["compute"]),
        ("dist", "Distributed Training", "Spreading one run over many devices", ["compute"]),
        ("data", "Data", "", ["root"]),
        ("quality", "Data Quality", "", ["data"]),
        (laws, "Scaling Laws", "", ["root"]),
        (
            path_key("root/Scaling Laws/Chinchilla"),
            "Chinchilla",
            "Compute-optimal models train on about\n20 tokens per parameter",
            [laws],
        ),
    ]
    assert graph.links == []


def test_a_markdown_file_whose_mermaid_block_is_a_mindmap_is_read_as_one(data):
    assert detect_format(data / "mindmap_notes.md", (data / "mindmap_notes.md").read_bytes()) == "mermaid"
    assert detect_format(data / "outline.md", (data / "outline.md").read_bytes()) == "outline"
    graph = read_deck(data / "mindmap_notes.md")
    assert rows(graph) == [
        ("root", "Attention", "", []),
        ("q", "Queries", "What each token looks for", ["root"]),
        ("k", "Keys", "What each token offers", ["root"]),
    ]


def test_a_markdown_file_with_only_a_flowchart_stays_an_outline(tmp_path):
    deck = tmp_path / "notes.md"
    deck.write_text("- Topic: what it is\n\n```mermaid\nflowchart TD\n  A --> B\n```\n")
    assert detect_format(deck, deck.read_bytes()) == "outline"


def test_a_file_without_an_extension_that_starts_with_mindmap_is_mermaid(tmp_path):
    deck = tmp_path / "map"
    deck.write_text("mindmap\n  Root\n    Child\n")
    assert [c.label for c in read_deck(deck).concepts.values()] == ["Root", "Child"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("flowchart TD\n  A --> B\n", "line 1", "not a Mermaid mindmap: the diagram starts 'flowchart TD'"),
        ("mindmap\n  a[A]\n  b[B]\n", "line 3", "a second root: a mindmap has one root, so indent this node under it"),
        ("mindmap\n  a[A\n", "line 2", "the shape […] is not closed"),
        ("mindmap\n  a((A)\n", "line 2", "the shape ((…)) is not closed"),
        ("mindmap\n  a{B}\n", "line 2", "'{B}' is not a mindmap shape"),
        ("mindmap\n  a[A]\n    b[B]\n    b[C]\n", "line 4", "the id 'b' is on line 3 as well"),
        ("mindmap\n  A\n    B\n    B\n", "line 4", "the label path 'A/B' is on line 3 as well"),
        ("mindmap\n  a[ ]\n", "line 2", "the node has no label"),
    ],
)
def test_what_cannot_be_read_is_refused_at_its_line(tmp_path, text, where, message):
    deck = tmp_path / "deck.mmd"
    deck.write_text(text)
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == f"{deck}:{where}: {message}"


def test_a_mindmap_with_no_nodes_is_refused(tmp_path):
    deck = tmp_path / "deck.mmd"
    deck.write_text("%% nothing yet\nmindmap\n")
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == f"{deck}: the mindmap has no nodes"


def test_markdown_read_as_mermaid_needs_a_mindmap_block(data):
    with pytest.raises(DeckFileError) as caught:
        read_deck(data / "outline.md", fmt="mermaid")
    assert str(caught.value) == f"{data / 'outline.md'}: no ```mermaid block that starts with `mindmap`"

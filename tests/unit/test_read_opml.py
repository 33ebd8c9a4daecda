"""OPML 2.0 outlines as outliners write them: nesting, `_note` definitions, the head's title."""

import pytest

from srs.core.graph import path_key
from srs.errors import DeckFileError
from srs.readers import detect_format, read_deck

REFUSED = "XML with a DTD or entities is refused (they can expand without limit)"


def rows(graph):
    """Each node as (label, definition, parents' labels), in the file's order."""
    return [(c.label, c.definition, [graph.label(p) for p in graph.parents[k]]) for k, c in graph.concepts.items()]


def test_nested_outlines_with_notes_under_the_heads_title(data):
    graph = read_deck(data / "outliner.opml")
    assert rows(graph) == [
        ("Scaling Hypothesis", "", []),
        ("Compute", "The arithmetic a training run spends.", ["Scaling Hypothesis"]),
        ("GPU Usage", "How busy the accelerators are.", ["Compute"]),
        ("Distributed Training", "Spreading one run\nover many devices.", ["Compute"]),
        ("Data", "The examples a model learns from.", ["Scaling Hypothesis"]),
        ("Data Quality", "", ["Data"]),
    ]
    assert list(graph.concepts) == [
        path_key(p)
        for p in (
            "Scaling Hypothesis",
            "Scaling Hypothesis/Compute",
            "Scaling Hypothesis/Compute/GPU Usage",
            "Scaling Hypothesis/Compute/Distributed Training",
            "Scaling Hypothesis/Data",
            "Scaling Hypothesis/Data/Data Quality",
        )
    ]
    training = graph.concepts[path_key("Scaling Hypothesis/Compute/Distributed Training")]
    assert dict(training.attrs) == {"_status": "checked"}
    assert graph.links == []


def test_one_top_outline_is_the_root_and_the_title_is_not_a_node(tmp_path):
    deck = tmp_path / "deck.opml"
    deck.write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><head><title>My notes</title></head>\n'
        '<body><outline text="Root"><outline text="Leaf"/></outline></body></opml>\n'
    )
    assert rows(read_deck(deck)) == [("Root", "", []), ("Leaf", "", ["Root"])]


def test_an_opml_file_is_known_by_its_root_element(data, tmp_path):
    deck = tmp_path / "export"
    deck.write_bytes((data / "outliner.opml").read_bytes())
    assert detect_format(deck, deck.read_bytes()) == "opml"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY n "x">]>\n<opml><body><outline text="&n;"/></body></opml>',
            None,
            REFUSED,
        ),
        ("<rss version='2.0'><channel/></rss>", None, "not OPML: the root element is <rss>"),
        ('<opml version="2.0"><head><title>T</title></head></opml>', None, "no <body> element"),
        (
            '<opml version="2.0">\n<body>\n<outline text="Root">\n<outline _note="no text"/>\n'
            "</outline>\n</body>\n</opml>",
            "line 4",
            "the node has no label",
        ),
        (
            '<opml version="2.0">\n<body>\n<outline text="A"/>\n<outline text="B"/>\n</body>\n</opml>',
            "lines 3, 4",
            "2 nodes have no parent, so the root is unclear (choose one with --root): 'A', 'B'",
        ),
        (
            '<opml version="2.0">\n<body>\n<outline text="A">\n',
            "line 4, column 1",
            "the XML ends too early (a truncated file?)",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_in_one_line(tmp_path, text, where, message):
    deck = tmp_path / "deck.opml"
    deck.write_text(text)
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == (f"{deck}:{where}: {message}" if where else f"{deck}: {message}")

"""Freeplane and FreeMind maps: nested nodes, rich text reduced to plain, details and notes,
attributes, and arrow links."""

import pytest

from srs.core.graph import path_key
from srs.errors import DeckFileError
from srs.readers import detect_format, read_deck

REFUSED = "XML with a DTD or entities is refused (they can expand without limit)"


def test_a_freeplane_map_as_freeplane_writes_it(data):
    graph = read_deck(data / "freeplane.mm")
    assert [(k, c.label, c.definition, c.notes, graph.parents[k]) for k, c in graph.concepts.items()] == [
        (
            "ID_1090958577",
            "Scaling Hypothesis",
            "Bigger models, trained on more data with more compute, keep getting better.",
            "",
            [],
        ),
        (
            "ID_1723255651",
            "Compute",
            "The arithmetic a training run spends,\ncounted in FLOPs.",
            "See Kaplan et al. 2020.",
            ["ID_1090958577"],
        ),
        ("ID_519782030", "GPU Usage", "How busy the accelerators are.", "", ["ID_1723255651"]),
        ("ID_509076620", "Distributed Training", "Spreading one run over many devices.", "", ["ID_1723255651"]),
        ("ID_1316568271", "Data", "", "", ["ID_1090958577"]),
        ("ID_1776790765", "Data Quality", "", "", ["ID_1316568271"]),
    ]
    compute = graph.concepts["ID_1723255651"]
    assert (compute.mnemonic, dict(compute.attrs)) == ("FLOPs are the fuel", {"source": "Kaplan 2020"})
    # Arrow links are plain links, of the kind their label says; the style's own arrow is no link.
    assert graph.links == [("ID_519782030", "ID_1316568271", "limits"), ("ID_1316568271", "ID_509076620", "related")]


def test_an_old_freemind_map_without_ids_is_keyed_by_label_path(tmp_path):
    deck = tmp_path / "freemind.mm"
    deck.write_text(
        '<map version="1.0.1">\n<node TEXT="FreeMind">\n<node TEXT="Installation" FOLDED="true">\n'
        '<node TEXT="Download"/>\n</node>\n</node>\n</map>\n'
    )
    graph = read_deck(deck)
    assert list(graph.concepts) == [
        path_key("FreeMind"),
        path_key("FreeMind/Installation"),
        path_key("FreeMind/Installation/Download"),
    ]
    assert detect_format(tmp_path / "map", deck.read_bytes()) == "freeplane"


def test_the_empty_node_that_starts_a_summarys_group_is_no_concept(tmp_path):
    deck = tmp_path / "deck.mm"
    deck.write_text(
        '<map version="freeplane 1.9.13">\n<node TEXT="Root" ID="ID_1">\n'
        '<node TEXT="" ID="ID_2"><hook NAME="FirstGroupNode"/></node>\n'
        '<node TEXT="Part" ID="ID_3"/>\n<node TEXT="Summary" ID="ID_4"><hook NAME="SummaryNode"/></node>\n'
        "</node>\n</map>\n"
    )
    assert read_deck(deck).children == {"ID_1": ["ID_3", "ID_4"], "ID_3": [], "ID_4": []}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE map [<!ENTITY x "y">]>\n<map><node TEXT="&x;" ID="ID_1"/></map>',
            None,
            REFUSED,
        ),
        ('<gexf version="1.3"/>', None, "not a Freeplane or FreeMind map: the root element is <gexf>"),
        ('<map version="freeplane 1.9.13">\n</map>', None, "the map has no <node>"),
        (
            '<map>\n<node TEXT="Root" ID="ID_1">\n<node TEXT="A" ID="ID_2"><arrowlink DESTINATION="ID_9"/></node>\n'
            "</node>\n</map>",
            "node ID_2",
            "an arrow link points to 'ID_9', which is no node",
        ),
        (
            '<map>\n<node TEXT="Root" ID="ID_1">\n<node TEXT="A" ID="ID_1"/>\n</node>\n</map>',
            "node ID_1",
            "the ID 'ID_1' is given to two nodes",
        ),
        (
            '<map>\n<node TEXT="Root" ID="ID_1">\n<node ID="ID_2"/>\n</node>\n</map>',
            "node 'ID_2'",
            "the node has no label",
        ),
        ('<map>\n<node TEXT="Root &bogus; x" ID="ID_1"/>\n</map>', "line 2, column 1", "undefined entity"),
    ],
)
def test_what_cannot_be_read_is_refused_in_one_line(tmp_path, text, where, message):
    deck = tmp_path / "deck.mm"
    deck.write_text(text)
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == (f"{deck}:{where}: {message}" if where else f"{deck}: {message}")

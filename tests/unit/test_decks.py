"""Reading every deck format, and every kind of broken file getting one clear error."""

import os
import time

import pytest

from srs.core.graph import path_key as k
from srs.errors import DeckFileError
from srs.readers import read_deck


def test_gexf_as_gephi_writes_it(data):
    graph = read_deck(data / "small.gexf")
    assert graph.root == "scaling"
    assert list(graph.concepts) == ["scaling", "compute", "data-parallelism", "model-parallelism", "data"]
    dp = graph.concepts["data-parallelism"]
    assert dp.label == "Data Parallelism"
    assert dp.definition == "Every device holds the whole model & takes a slice of each batch."  # from "description"
    assert dp.example == "Eight GPUs, eight slices."
    assert dp.color == "#e66414"
    assert graph.concepts["compute"].attrs == {"weight": "3.5"}  # unknown attributes are kept
    assert graph.children["compute"] == ["data-parallelism", "model-parallelism"]


@pytest.mark.parametrize(
    "namespace, version",
    [
        ("http://www.gexf.net/1.1draft", "1.1"),
        ("http://www.gexf.net/1.2draft", "1.2"),
        ("http://gexf.net/1.3", "1.3"),
    ],
)
def test_gexf_of_each_version_reads_the_same(tmp_path, data, namespace, version):
    text = (data / "small.gexf").read_text(encoding="utf-8")
    old = '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
    assert old in text
    deck = tmp_path / "deck.gexf"
    deck.write_text(text.replace(old, f'<gexf xmlns="{namespace}" xmlns:viz="{namespace}/viz" version="{version}">'))
    graph, reference = read_deck(deck), read_deck(data / "small.gexf")
    assert graph.concepts == reference.concepts and graph.children == reference.children
    assert graph.concepts["data-parallelism"].color == "#e66414"  # the viz colour, in that version's namespace


def test_gexf_written_by_networkx_reads_the_same(tmp_path, data):
    import networkx as nx

    g = nx.DiGraph()
    g.add_node("r", label="Root", definition="Top of it all.")
    g.add_node("a", label="Alpha", definition="The first part.")
    g.add_edge("r", "a")
    nx.write_gexf(g, tmp_path / "nx.gexf", version="1.2draft")
    graph = read_deck(tmp_path / "nx.gexf")
    assert graph.root == "r" and graph.concepts["a"].definition == "The first part."


def test_graphml(data):
    graph = read_deck(data / "small.graphml")
    assert [c.label for c in graph.concepts.values()] == ["Scaling", "Compute", "Data"]
    assert graph.concepts["compute"].mnemonic == "FLOPs are fuel."
    assert graph.concepts["data"].definition == ""


def test_node_link_json_with_aliases(data):
    graph = read_deck(data / "small.json")
    assert graph.concepts["scaling"].definition == "Making things larger."
    assert graph.concepts["compute"].definition == "Processing power."
    assert graph.concepts["compute"].attrs == {"size": "3"}


def test_nested_json_tree_is_keyed_by_label_path(data):
    graph = read_deck(data / "tree.json")
    assert list(graph.concepts) == [
        k("Scaling"),
        k("Scaling/Compute"),
        k("Scaling/Compute/GPU Usage"),
        k("Scaling/Data"),
    ]
    assert graph.children[k("Scaling")] == [k("Scaling/Compute"), k("Scaling/Data")]
    assert [c.label for c in graph.concepts.values()] == ["Scaling", "Compute", "GPU Usage", "Data"]


def test_csv_edge_list_with_its_nodes_file(data):
    graph = read_deck(data / "edges.csv", nodes_file=data / "edges.nodes.csv")
    assert graph.root == "Scaling"
    assert graph.concepts["Compute"].definition == "Processing power."
    assert graph.concepts["GPU Usage"].definition == ""
    assert read_deck(data / "edges.csv").concepts["Compute"].definition == ""


def test_csv_node_table_is_keyed_by_label_path(data):
    graph = read_deck(data / "table.csv")
    assert list(graph.concepts) == [
        k("Scaling"),
        k("Scaling/Compute"),
        k("Scaling/Data"),
        k("Scaling/Compute/GPU Usage"),
    ]
    assert graph.concepts[k("Scaling/Compute")].definition == "Processing power, counted in FLOPs."


def test_markdown_outline(data):
    graph = read_deck(data / "outline.md")
    assert graph.root == k("Scaling")
    assert graph.concepts[k("Scaling")].definition == "making models, data and compute larger together."
    assert graph.children[k("Scaling")] == [k("Scaling/Compute"), k("Scaling/Data")]
    assert graph.concepts[k("Scaling/Compute/GPU Usage")].definition == "how busy the accelerators are."
    assert (
        graph.concepts[k("Scaling/Compute/Distributed Training")].definition == "spreading one run over many devices."
    )
    assert graph.concepts[k("Scaling/Data/Data Quality")].definition == ""


def test_format_is_sniffed_when_the_extension_says_nothing(tmp_path, data):
    copy = tmp_path / "deck.dat"
    copy.write_bytes((data / "small.gexf").read_bytes())
    assert read_deck(copy).root == "scaling"


def error(tmp_path, content, name="deck.gexf", **kw) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    with pytest.raises(DeckFileError) as caught:
        read_deck(path, **kw)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">
<nodes>{nodes}</nodes><edges>{edges}</edges></graph></gexf>"""


def gexf(nodes, edges=""):
    return GEXF.format(nodes=nodes, edges=edges)


def test_empty_file(tmp_path):
    assert error(tmp_path, "  \n").endswith("the file is empty")


def test_binary_file(tmp_path):
    assert error(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").endswith("a binary file, not a concept graph")


def test_non_utf8_text(tmp_path):
    message = error(tmp_path, "- Caf\xe9: a place\n".encode("latin-1"), name="deck.md")
    assert message.endswith(":line 1: not UTF-8 text (byte 0xe9)")
    assert "not UTF-8" in error(tmp_path, gexf('<node id="a" label="Caf\xe9"/>').encode("latin-1"))


def test_truncated_xml(tmp_path):
    text = gexf('<node id="a" label="A"/>')[:-40]
    assert error(tmp_path, text).endswith(":line 3, column 8: the XML ends too early (a truncated file?)")


def test_billion_laughs_fails_fast_without_expanding(tmp_path):
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + ']><gexf><graph><nodes><node id="a" label="&lol9;"/></nodes></graph></gexf>'
    )
    started = time.perf_counter()
    assert error(tmp_path, lol).endswith("XML with a DTD or entities is refused (they can expand without limit)")
    assert time.perf_counter() - started < 5  # a guard against a hang, not a speed measurement


def test_graphml_with_a_dtd_is_refused_and_a_truncated_one_is_located(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY lol "lol">]><graphml><graph><node id="&lol;"/></graph></graphml>'
    )
    assert error(tmp_path, laughs, name="deck.graphml").endswith(
        ": XML with a DTD or entities is refused (they can expand without limit)"
    )
    cut = '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph><node id="a"/>'
    assert error(tmp_path, cut, name="deck.graphml").endswith(
        ":line 2, column 22: the XML ends too early (a truncated file?)"
    )


def test_unknown_format(tmp_path):
    assert "unknown format" in error(tmp_path, "just some words\n", name="deck.dat")
    assert error(tmp_path, "<svg/>", name="deck.xml").endswith(
        "XML, but neither GEXF, GraphML, OPML nor a Freeplane map"
    )


def test_edges_to_missing_nodes(tmp_path):
    text = gexf('<node id="a" label="A"/>', '<edge id="e" source="a" target="ghost"/>')
    assert error(tmp_path, text).endswith("edge 1 (a -> ghost) names no node 'ghost'")


def test_duplicate_node_ids(tmp_path):
    assert error(tmp_path, gexf('<node id="a" label="A"/><node id="a" label="B"/>')).endswith(
        "node id 'a' appears more than once"
    )


def test_cycle(tmp_path):
    nodes = '<node id="r" label="R"/><node id="a" label="A"/><node id="b" label="B"/>'
    edges = '<edge source="r" target="a"/><edge source="a" target="b"/><edge source="b" target="a"/>'
    assert error(tmp_path, gexf(nodes, edges)).endswith("the hierarchy has a cycle: A -> B -> A")


def test_no_root_and_several_roots(tmp_path):
    nodes = '<node id="a" label="A"/><node id="b" label="B"/>'
    assert error(tmp_path, gexf(nodes, '<edge source="a" target="b"/><edge source="b" target="a"/>')).endswith(
        "the hierarchy has a cycle: A -> B -> A"
    )
    assert "2 nodes have no parent, so the root is unclear (choose one with --root): 'A', 'B'" in error(
        tmp_path, gexf(nodes)
    )


def test_ten_megabyte_definition(tmp_path):
    big = "x" * (10 * 1024 * 1024)
    text = gexf(f'<node id="a" label="A"><attvalues><attvalue for="definition" value="{big}"/></attvalues></node>')
    assert error(tmp_path, text).endswith("node 'a': the definition is 10,485,760 characters; the limit is 20,000")


def test_missing_and_unreadable_paths(tmp_path):
    with pytest.raises(DeckFileError, match="no such file"):
        read_deck(tmp_path / "nope.gexf")
    with pytest.raises(DeckFileError, match="is a folder"):
        read_deck(tmp_path)
    locked = tmp_path / "locked.gexf"
    locked.write_text(gexf('<node id="a" label="A"/>'))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with pytest.raises(DeckFileError, match="permission denied"):
            read_deck(locked)
    finally:
        locked.chmod(0o644)


def test_bad_json_and_csv(tmp_path):
    assert error(tmp_path, '{"nodes": [', name="d.json").endswith(":line 1, column 12: not valid JSON: Expecting value")
    assert error(tmp_path, "a;b\n1;2\n", name="d.csv").endswith(
        "line 1: a CSV deck needs a header: `parent,child` for an edge list, "
        "or `label,definition,parent` for a node table"
    )
    assert error(tmp_path, "label,parent\nA,\nB,Nowhere\n", name="d.csv").endswith(
        "line 3: parent 'Nowhere' names no node"
    )


def test_an_outline_heading_and_its_first_bullet_of_the_same_term_are_one_concept(tmp_path):
    path = tmp_path / "ml.md"
    path.write_text(
        "# Machine learning\n"
        "- machine learning: programs that improve with experience.\n"
        "  - Supervised learning: learning from labelled examples.\n"
        "- Clustering: grouping similar examples.\n"
        "## Deep learning\n"
        "- Layers: stacked transformations.\n"
        "- Deep learning: networks of many layers.\n"
    )
    graph = read_deck(path)
    assert graph.root == k("Machine learning")
    assert graph.concepts[k("Machine learning")].definition == "programs that improve with experience."
    assert graph.children[k("Machine learning")] == [
        k("Machine learning/Supervised learning"),
        k("Machine learning/Clustering"),
        k("Machine learning/Deep learning"),
    ]
    # Only the heading's first bullet is the heading itself: a later one of its name is a child.
    assert graph.children[k("Machine learning/Deep learning")] == [
        k("Machine learning/Deep learning/Layers"),
        k("Machine learning/Deep learning/Deep learning"),
    ]
    assert graph.concepts[k("Machine learning/Deep learning")].definition == ""


def test_outline_with_stray_text(tmp_path):
    assert error(tmp_path, "- A: top\nloose words\n", name="d.md").endswith(
        "line 2: expected a `- Term: definition` bullet or a `# Heading`"
    )


def test_hierarchical_gexf_nesting_and_pid_become_parent_edges(tmp_path):
    path = tmp_path / "nested.gexf"
    path.write_text(
        gexf(
            '<node id="r" label="Root"><nodes><node id="a" label="A"><nodes><node id="a1" label="A1"/></nodes></node>'
            '<node id="b" label="B"/></nodes></node><node id="c" label="C" pid="b"/>'
        )
    )
    graph = read_deck(path)
    assert list(graph.concepts) == ["r", "a", "a1", "b", "c"]
    assert graph.children == {"r": ["a", "b"], "a": ["a1"], "a1": [], "b": ["c"], "c": []}


def test_gexf_values_go_to_the_node_or_edge_they_sit_in(tmp_path):
    """Node and edge attributes share ids here, so each value must be read with its own class's
    titles; a viz colour on an edge is not its source node's; a value after an inner node's end
    belongs to the enclosing node again (nested nodes under a namespace prefix)."""
    flat = tmp_path / "flat.gexf"
    flat.write_text(
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"><graph>'
        '<attributes class="node"><attribute id="0" title="definition"/></attributes>'
        '<attributes class="edge"><attribute id="0" title="relation"/></attributes>'
        '<nodes><node id="r" label="R"><attvalues><attvalue for="0" value="The root."/></attvalues>'
        '<viz:color r="1" g="2" b="3"/></node>'
        '<node id="a" label="A"/><node id="b" label="B"/></nodes>'
        '<edges><edge source="r" target="a"><viz:color r="200" g="0" b="0"/></edge>'
        '<edge source="r" target="b"><attvalues><attvalue for="0" value="contains"/></attvalues></edge>'
        '<edge source="a" target="b"><attvalues><attvalue for="0" value="causes"/></attvalues></edge></edges>'
        "</graph></gexf>"
    )
    graph = read_deck(flat)
    assert graph.concepts["r"].definition == "The root." and graph.concepts["r"].attrs == {}
    assert [c.color for c in graph.concepts.values()] == ["#010203", None, None]
    assert graph.children == {"r": ["a", "b"], "a": [], "b": []}
    assert graph.links == [("a", "b", "causes")]

    nested = tmp_path / "nested.gexf"
    nested.write_text(
        '<g:gexf xmlns:g="http://gexf.net/1.3"><g:graph>'
        '<g:attributes class="node"><g:attribute id="d" title="definition"/></g:attributes><g:nodes>'
        '<g:node id="r" label="R"><g:nodes><g:node id="a" label="A"/></g:nodes>'
        '<g:attvalues><g:attvalue for="d" value="Said after its child."/></g:attvalues></g:node>'
        "</g:nodes></g:graph></g:gexf>"
    )
    graph = read_deck(nested)
    assert graph.children == {"r": ["a"], "a": []}
    assert graph.concepts["r"].definition == "Said after its child." and graph.concepts["a"].definition == ""


def test_gexf_attribute_defaults_and_hex_colours(tmp_path):
    path = tmp_path / "defaults.gexf"
    path.write_text(
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"><graph>'
        '<attributes class="node"><attribute id="d" title="definition" type="string">'
        "<default>Not yet written.</default></attribute></attributes>"
        '<nodes><node id="r" label="R"><viz:color hex="#10A0ff"/></node>'
        '<node id="a" label="A"><attvalues><attvalue for="d" value="Own words."/></attvalues></node></nodes>'
        '<edges><edge source="r" target="a"/></edges></graph></gexf>'
    )
    graph = read_deck(path)
    assert graph.concepts["r"].definition == "Not yet written."
    assert graph.concepts["a"].definition == "Own words."
    assert graph.concepts["r"].color == "#10a0ff"

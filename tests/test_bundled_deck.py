"""Structural and content checks for the bundled example deck.

The deck is a GEXF 1.2draft concept map of the Scaling Hypothesis. It is the first
deck every new user studies, so these tests pin down its shape (a single tree
of exactly 149 concepts), the quality rules for its definitions, and its
colour coding by top-level branch.
"""

import math
import re
import xml.etree.ElementTree as ET
from collections import Counter, deque
from pathlib import Path

import networkx as nx
import pytest

DECK = Path(__file__).resolve().parents[1] / "decks" / "scaling-hypothesis.gexf"

GEXF_NS = "http://www.gexf.net/1.2draft"
VIZ_NS = "http://www.gexf.net/1.2draft/viz"
NS = {"g": GEXF_NS, "viz": VIZ_NS}

ROOT_ID = "scaling-hypothesis"
ROOT_LABEL = "Scaling Hypothesis"
EXPECTED_NODES = 149
MIN_DEPTH = 3
MIN_BRANCHES, MAX_BRANCHES = 8, 12
MIN_WORDS, MAX_WORDS = 12, 45
MIN_SENTENCES, MAX_SENTENCES = 1, 3
# Smallest Euclidean RGB distance for two colours to count as clearly distinct.
MIN_COLOUR_DISTANCE = 60

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def tree():
    assert DECK.is_file(), f"deck file missing: {DECK}"
    return ET.parse(DECK)


@pytest.fixture(scope="module")
def graph_el(tree):
    graph = tree.getroot().find("g:graph", NS)
    assert graph is not None, "no <graph> element in the GEXF 1.2draft namespace"
    return graph


@pytest.fixture(scope="module")
def node_els(graph_el):
    return graph_el.findall("g:nodes/g:node", NS)


@pytest.fixture(scope="module")
def edge_els(graph_el):
    return graph_el.findall("g:edges/g:edge", NS)


@pytest.fixture(scope="module")
def labels(node_els):
    return {n.get("id"): n.get("label") for n in node_els}


@pytest.fixture(scope="module")
def node_ids(node_els):
    return [n.get("id") for n in node_els]


def _attvalue(node, key):
    for av in node.findall("g:attvalues/g:attvalue", NS):
        if av.get("for") == key:
            return av.get("value")
    return None


@pytest.fixture(scope="module")
def definitions(node_els):
    return {n.get("id"): _attvalue(n, "definition") for n in node_els}


@pytest.fixture(scope="module")
def parents(edge_els):
    """Map child id -> list of parent ids."""
    result = {}
    for e in edge_els:
        result.setdefault(e.get("target"), []).append(e.get("source"))
    return result


@pytest.fixture(scope="module")
def children(edge_els):
    result = {}
    for e in edge_els:
        result.setdefault(e.get("source"), []).append(e.get("target"))
    return result


@pytest.fixture(scope="module")
def depths(children):
    depth = {ROOT_ID: 0}
    queue = deque([ROOT_ID])
    while queue:
        current = queue.popleft()
        for child in children.get(current, []):
            if child not in depth:
                depth[child] = depth[current] + 1
                queue.append(child)
    return depth


@pytest.fixture(scope="module")
def branch_of(children):
    """Map every node below the root to the top-level branch it belongs to."""
    result = {}
    for branch in children.get(ROOT_ID, []):
        stack = [branch]
        while stack:
            current = stack.pop()
            if current in result:
                continue
            result[current] = branch
            stack.extend(children.get(current, []))
    return result


@pytest.fixture(scope="module")
def colours(node_els):
    result = {}
    for n in node_els:
        c = n.find("viz:color", NS)
        if c is None:
            result[n.get("id")] = None
        else:
            result[n.get("id")] = tuple(int(c.get(k)) for k in ("r", "g", "b"))
    return result


# --------------------------------------------------------------------------- file format


def test_root_element_is_gexf_1_2draft(tree):
    # 1.2draft, not 1.3: networkx 3.4 (the last release for Python 3.10) reads no 1.3 file.
    root = tree.getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf", f"root element is {root.tag!r}"
    assert root.get("version") == "1.2", f"version attribute is {root.get('version')!r}"
    schema = "http://www.w3.org/2001/XMLSchema-instance"
    assert root.get(f"{{{schema}}}schemaLocation") == f"{GEXF_NS} {GEXF_NS}/gexf.xsd"


def test_graph_is_directed_and_static(graph_el):
    assert graph_el.get("defaultedgetype") == "directed"
    assert graph_el.get("mode") == "static"


def test_node_attributes_are_declared(graph_el):
    decl = graph_el.find("g:attributes[@class='node']", NS)
    assert decl is not None, "no <attributes class='node'> declaration"
    assert decl.get("mode") == "static"
    declared = {a.get("id"): (a.get("title"), a.get("type")) for a in decl.findall("g:attribute", NS)}
    assert declared == {
        "definition": ("definition", "string"),
        "example": ("example", "string"),
    }


def test_attvalues_only_use_declared_keys(node_els):
    bad = sorted(
        n.get("id")
        for n in node_els
        for av in n.findall("g:attvalues/g:attvalue", NS)
        if av.get("for") not in {"definition", "example"}
    )
    assert not bad, f"nodes with undeclared attvalue keys: {bad}"


def test_networkx_reads_the_file(labels):
    g = nx.read_gexf(DECK)
    assert isinstance(g, nx.DiGraph)
    assert g.number_of_nodes() == EXPECTED_NODES
    assert g.number_of_edges() == EXPECTED_NODES - 1
    assert nx.is_arborescence(g), "networkx does not see a rooted tree"
    missing = sorted(n for n, data in g.nodes(data=True) if not data.get("definition"))
    assert not missing, f"networkx sees no definition on: {missing}"
    wrong = sorted(n for n, data in g.nodes(data=True) if data.get("label") != labels[n])
    assert not wrong, f"networkx labels differ for: {wrong}"


# --------------------------------------------------------------------------- structure


def test_exactly_149_nodes(node_ids):
    assert len(node_ids) == EXPECTED_NODES, f"{len(node_ids)} nodes, expected {EXPECTED_NODES}"


def test_node_ids_are_unique(node_ids):
    dupes = sorted(i for i, k in Counter(node_ids).items() if k > 1)
    assert not dupes, f"duplicate node ids: {dupes}"


def test_node_ids_are_slugs(node_ids):
    bad = sorted(i for i in node_ids if i is None or not SLUG.fullmatch(i))
    assert not bad, f"node ids that are not lowercase slugs: {bad}"


def test_every_node_has_a_label(labels):
    bad = sorted(i for i, label in labels.items() if not label or not label.strip())
    assert not bad, f"nodes without a label: {bad}"


def test_edge_ids_are_unique_and_present(edge_els):
    ids = [e.get("id") for e in edge_els]
    assert None not in ids, "an edge has no id"
    dupes = sorted(i for i, k in Counter(ids).items() if k > 1)
    assert not dupes, f"duplicate edge ids: {dupes}"


def test_edges_join_existing_distinct_nodes(edge_els, labels):
    dangling = sorted(
        (e.get("source"), e.get("target"))
        for e in edge_els
        if e.get("source") not in labels or e.get("target") not in labels
    )
    assert not dangling, f"edges naming unknown nodes: {dangling}"
    loops = sorted(e.get("source") for e in edge_els if e.get("source") == e.get("target"))
    assert not loops, f"self-loops on: {loops}"


def test_single_root_is_scaling_hypothesis(labels, parents):
    roots = sorted(i for i in labels if i not in parents)
    assert roots == [ROOT_ID], f"nodes without a parent: {roots}"
    assert labels[ROOT_ID] == ROOT_LABEL


def test_every_other_node_has_exactly_one_parent(labels, parents):
    bad = sorted((i, parents.get(i, [])) for i in labels if i != ROOT_ID and len(parents.get(i, [])) != 1)
    assert not bad, f"nodes without exactly one parent: {bad}"


def test_every_node_reachable_from_root(labels, depths):
    unreachable = sorted(set(labels) - set(depths))
    assert not unreachable, f"nodes not reachable from {ROOT_ID}: {unreachable}"


def test_tree_is_at_least_three_levels_deep(depths):
    deepest = max(depths.values())
    assert deepest >= MIN_DEPTH, f"max depth {deepest} < {MIN_DEPTH}"


def test_top_level_branch_count(children):
    branches = children.get(ROOT_ID, [])
    assert MIN_BRANCHES <= len(branches) <= MAX_BRANCHES, f"{len(branches)} top-level branches: {branches}"


def test_nodes_listed_parents_first(node_ids, parents):
    position = {i: k for k, i in enumerate(node_ids)}
    late = sorted(i for i in node_ids if i != ROOT_ID and i in parents and position[parents[i][0]] > position[i])
    assert not late, f"nodes listed before their parent: {late}"


# --------------------------------------------------------------------------- definitions


def test_every_node_has_a_definition(definitions):
    missing = sorted(i for i, d in definitions.items() if not d or not d.strip())
    assert not missing, f"nodes without a definition: {missing}"


def test_definition_word_counts(definitions):
    bad = sorted(
        (i, len(d.split())) for i, d in definitions.items() if d and not MIN_WORDS <= len(d.split()) <= MAX_WORDS
    )
    assert not bad, f"definitions outside {MIN_WORDS}..{MAX_WORDS} words: {bad}"


def _sentences(text):
    return [s for s in SENTENCE_BREAK.split(text.strip()) if s]


def test_sentence_splitter_counts_sentences():
    assert len(_sentences("One idea. Another idea! A third?")) == 3
    assert len(_sentences("Costs about 0.69 nats per token.")) == 1


def test_definition_sentence_counts(definitions):
    bad = sorted(
        (i, len(_sentences(d)))
        for i, d in definitions.items()
        if d and not MIN_SENTENCES <= len(_sentences(d)) <= MAX_SENTENCES
    )
    assert not bad, f"definitions outside {MIN_SENTENCES}..{MAX_SENTENCES} sentences: {bad}"


def test_definitions_do_not_contain_own_label(definitions, labels):
    bad = sorted(i for i, d in definitions.items() if d and labels[i].lower() in d.lower())
    assert not bad, f"definitions that contain their node's label: {bad}"


def test_definitions_are_distinct(definitions):
    seen = {}
    for i, d in definitions.items():
        if d:
            seen.setdefault(" ".join(d.lower().split()), []).append(i)
    dupes = sorted(ids for ids in seen.values() if len(ids) > 1)
    assert not dupes, f"nodes sharing an identical definition: {dupes}"


def test_definitions_are_plain_text(definitions):
    bad = sorted(i for i, d in definitions.items() if d and re.search(r"[<>]|&\w+;", d))
    assert not bad, f"definitions containing markup or entities: {bad}"


def test_examples_are_non_empty_when_present(node_els):
    bad = sorted(
        n.get("id") for n in node_els if _attvalue(n, "example") is not None and not _attvalue(n, "example").strip()
    )
    assert not bad, f"nodes with an empty example: {bad}"


# --------------------------------------------------------------------------- colours


def test_every_node_has_a_valid_colour(colours):
    missing = sorted(i for i, c in colours.items() if c is None)
    assert not missing, f"nodes without viz:color: {missing}"
    out_of_range = sorted(i for i, c in colours.items() if any(not 0 <= v <= 255 for v in c))
    assert not out_of_range, f"nodes with colour channels outside 0..255: {out_of_range}"


def test_branch_members_share_their_branch_colour(colours, branch_of):
    bad = sorted((i, b) for i, b in branch_of.items() if colours[i] != colours[b])
    assert not bad, f"nodes whose colour differs from their branch's (node, branch): {bad}"


def test_branch_colours_are_clearly_distinct(colours, children):
    branches = children.get(ROOT_ID, [])
    too_close = sorted(
        (a, b, round(math.dist(colours[a], colours[b])))
        for k, a in enumerate(branches)
        for b in branches[k + 1 :]
        if math.dist(colours[a], colours[b]) < MIN_COLOUR_DISTANCE
    )
    assert not too_close, f"branch colours too similar (branch, branch, distance): {too_close}"


def test_root_colour_differs_from_every_branch(colours, children):
    close = sorted(
        b for b in children.get(ROOT_ID, []) if math.dist(colours[ROOT_ID], colours[b]) < MIN_COLOUR_DISTANCE
    )
    assert not close, f"branches coloured too close to the root: {close}"

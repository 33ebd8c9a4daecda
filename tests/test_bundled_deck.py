"""Structural and content checks for the bundled example deck.

The deck is a GEXF 1.2draft concept map of the Scaling Hypothesis. It is the first
deck every new user studies, so these tests pin down its shape (a single tree
of exactly 149 concepts), the quality rules for its definitions, its
colour coding by top-level branch, and the corrections of its second release
(merged near-duplicates, new concepts, moved nodes, corrected facts, cards that
no longer name their own answer, one spelling and one number notation).
"""

import json
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


# --------------------------------------------------------------------------- the review's corrections

PREVIOUS = Path(__file__).resolve().parent / "data" / "scaling-hypothesis-v1.gexf"
"""The first release of the deck (as shipped before the review), for what must carry over."""

# Merged near-duplicates: the node removed -> the node that took it in (and kept its id).
MERGED = {
    "definition": "scaling-hypothesis",
    "capability-jumps": "emergent-abilities",
    "parallel-processing": "distributed-training",
    "data-constraints": "running-out-of-data",
    "power-and-chip-supply": "running-out-of-compute",
    "energy-use": "running-out-of-compute",
    "diminishing-returns": "scaling-exponent",
    "flops": "compute",
    "weights-and-biases": "parameters",
}
# The concepts the review found missing, in its order, each under the parent it belongs to.
NEW_CONCEPTS = {
    "tokens-per-parameter": ("Tokens per Parameter", "compute-efficient-frontier"),
    "rl-reasoning-scaling": ("Scaling Reasoning with Reinforcement Learning", "pretraining-and-post-training"),
    "sample-efficiency": ("Sample Efficiency of Larger Models", "parameters"),
    "algorithmic-progress": ("Algorithmic Progress and Effective Compute", "compute"),
    "inverse-scaling": ("Inverse and U-Shaped Scaling", "emergent-abilities"),
    "downstream-prediction": ("Predicting Downstream Skills from Loss", "loss-curves"),
    "pretraining-and-post-training": ("Pretraining and Post-Training", "model-scaling"),
    "next-token-prediction": ("Next-Token Prediction", "pretraining-and-post-training"),
    "frontier-model": ("Frontier Model", "core-claims"),
}
# Misplaced nodes, moved with their ids: node -> its parent now.
MOVED = {
    "grokking": "generalization",  # a jump over training time, beside double descent
    "mirage-critique": "emergent-abilities",
    "code-generation": "applications",  # its scores climbed steadily: not an emergent ability
    "synthetic-data": "running-out-of-data",  # a response to the limit, not a limit: beside model collapse
    "reinforcement-learning": "model-scaling",  # a way networks learn, not a part of AlphaTensor
    "subconceptual-processing": "features",  # the connectionist account itself, not a critique
    "toy-models": "mechanistic-interpretability",
    "saliency-maps": "mechanistic-interpretability",
    "benchmark-contamination": "benchmarks",
    "copyright-and-consent": "data-scaling",
    "data-parallelism": "distributed-training",
    "model-parallelism": "distributed-training",
}

_STOPWORDS = {"a", "an", "the", "of", "and", "or", "to", "for", "from", "in", "on", "as", "with", "by", "at"}
_STOPWORDS |= {"per", "vs"}
_SUFFIXES = ("ization", "isation", "ations", "ation", "ities", "ity", "ings", "ing", "ers", "er", "ed", "es", "s", "ly")
_SUFFIXES += ("al", "ions", "ion", "ness", "ment")
_PREFIXES = ("over", "under", "non", "pre", "post", "sub", "multi", "self", "inter")
# Acronyms in labels and the words they stand for: a card that spells one out names its answer.
_EXPANSIONS = {
    "gpt": "generative pre-trained",
    "flops": "floating-point",
    "gpu": "graphics process",
    "log": "logarithm",
}


def _words(text):
    return [w.removesuffix("'s") for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())]


def _stem(word):
    """The word without one common suffix (tokenization -> token, values -> valu)."""
    suffix = next((s for s in _SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3), "")
    word = word[: len(word) - len(suffix)]
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _same_word(a, b):
    """Whether two words are one word or built from one (scale/scaling, attend/attention, training/overtraining)."""
    for prefix in _PREFIXES:
        if a.startswith(prefix) and len(a) - len(prefix) >= 4 and _same_word(a[len(prefix) :], b):
            return True
        if b.startswith(prefix) and len(b) - len(prefix) >= 4 and _same_word(a, b[len(prefix) :]):
            return True
    a, b = _stem(a), _stem(b)
    if a == b:
        return True
    shared = len(next((a[:k] for k in range(min(len(a), len(b)), 0, -1) if a[:k] == b[:k]), ""))
    shorter, longer = sorted((len(a), len(b)))
    return shared >= 4 and shared >= min(shorter, 5) and shorter / longer > 0.5


def _answer_words(label):
    """The label's own words; a quoted phrase in it ('Morphology of 'X'') is its subject, not its answer."""
    unquoted = re.sub(r"'[^']*'", "", label)
    return [w for w in _words(unquoted) if w not in _STOPWORDS and len(w) > 1 and not w.isdigit()]


def _acronyms(label):
    """RLHF for Reinforcement Learning from Human Feedback, and MoE for Mixture of Experts."""
    words = re.findall(r"[A-Za-z]+", label)
    if len(words) < 2:
        return set()
    plain = "".join(w[0].upper() for w in words if w.lower() not in _STOPWORDS)
    mixed = "".join(w[0] if w.lower() in _STOPWORDS else w[0].upper() for w in words)
    return {plain, mixed} if len(plain) >= 2 else set()


def giveaways(label, text):
    """The words of `text` that name its own label: the label's words, words built from them,
    an acronym's expansion or the label's acronym."""
    answer = _answer_words(label)
    found = {
        w for w in _words(text) if w not in _STOPWORDS and not w.isdigit() and any(_same_word(w, a) for a in answer)
    }
    found |= {_EXPANSIONS[a] for a in answer if a in _EXPANSIONS and _EXPANSIONS[a] in text.lower()}
    found |= {acronym for acronym in _acronyms(label) if re.search(rf"\b{acronym}\b", text)}
    return sorted(found)


def test_the_giveaway_checker_sees_a_label_word_a_derived_word_and_an_acronym():
    assert giveaways("Gradient Quantization", "Compressing gradients to fewer bits.") == ["gradients"]
    assert giveaways("Tokenization", "Splitting text into tokens.") == ["tokens"]
    assert giveaways("Compute", "The total computation a run takes.") == ["computation"]
    assert giveaways("GPU Usage", "Training on graphics processors.") == ["graphics process"]
    assert giveaways("Mixture of Experts", "A MoE layer routes each token.") == ["MoE"]
    assert giveaways("Reinforcement Learning from Human Feedback", "RLHF tunes a network.") == ["RLHF"]
    assert giveaways("Morphology of 'Scaling Hypothesis'", "'scale' plus '-ing'; hypo-, under.") == []
    assert giveaways("Data Repetition", "A few passes over the same text.") == []
    assert giveaways("Attention", "The word can attend to another.") == ["attend"]
    assert giveaways("Inference-Aware Overtraining", "Training longer than optimal.") == ["training"]
    assert giveaways("Code Generation", "Tests on generated functions.") == ["generated"]


def test_the_giveaway_checker_finds_the_leaks_the_review_found_in_the_first_release():
    old = ET.parse(PREVIOUS).getroot().find("g:graph", NS)
    found = {
        n.get("id")
        for n in old.findall("g:nodes/g:node", NS)
        if any(giveaways(n.get("label"), av.get("value")) for av in n.findall("g:attvalues/g:attvalue", NS))
    }
    named_by_review = {"flops", "gpu-usage", "log-log-plot", "curse-of-dimensionality", "power-and-chip-supply"}
    named_by_review |= {"rlhf", "gradient-quantization", "monte-carlo-tree-search", "research-taste", "induction-heads"}
    named_by_review |= {"web-scale-corpus", "early-stopping", "value-alignment", "human-mental-depth", "kaplan-laws"}
    named_by_review |= {"problems-as-games", "subconceptual-processing", "linear-probes", "parallel-processing"}
    named_by_review |= {"inference-aware-overtraining", "attention", "code-generation", "gpt-series"}
    assert named_by_review <= found, sorted(named_by_review - found)


def test_no_definition_or_example_names_its_own_label(node_els):
    bad = sorted(
        (n.get("id"), av.get("for"), found)
        for n in node_els
        for av in n.findall("g:attvalues/g:attvalue", NS)
        if (found := giveaways(n.get("label"), av.get("value")))
    )
    assert not bad, f"cards that give their answer away (node, field, words): {bad}"


def test_definitions_stand_alone_without_leaning_on_the_map(definitions):
    leaning = re.compile(r"\bthe conjecture\b|\bsuch an? (formula|law|curve)\b|\bhere\b|\bthis (map|deck)\b")
    opening = re.compile(r"^(His|Her|Its|Their|This|These|They|It)\b")
    bad = sorted(i for i, d in definitions.items() if i != ROOT_ID and (leaning.search(d) or opening.search(d)))
    assert not bad, f"definitions that need their parent to make sense: {bad}"


# British forms with an American one; words that merely end so (rise, noise, expertise) are not among them.
BRITISH = re.compile(
    r"\b(\w+is(e|es|ed|ing|ation|ations)|\w*(behaviour|colour|favour|neighbour|labour|honour)\w*|licence|defence|"
    r"\w*(centre|metre|litre|fibre)s?|\w+(elled|elling|ellers?)|catalogue|analogue|maths|programme|judgement|"
    r"artefacts?|sceptic\w*)\b",
    re.I,
)
BRITISH_LOOKALIKES = {"rise", "rises", "rising", "arise", "arises", "arising", "raise", "raised", "raising"}
BRITISH_LOOKALIKES |= {"noise", "expertise", "promise", "promises", "promising", "exercise", "exercises", "precise"}
BRITISH_LOOKALIKES |= {"supervised", "otherwise", "excelling", "surprising", "revision", "wise", "premise", "raises"}
BRITISH_LOOKALIKES |= {"advised", "spelled", "spelling"}


def test_one_spelling_convention_american(node_els, tree):
    texts = [(n.get("id"), n.get("label")) for n in node_els]
    texts += [(n.get("id"), av.get("value")) for n in node_els for av in n.findall("g:attvalues/g:attvalue", NS)]
    texts.append(("<description>", tree.getroot().find("g:meta/g:description", NS).text))
    bad = sorted(
        (i, m.group()) for i, t in texts for m in BRITISH.finditer(t) if m.group().lower() not in BRITISH_LOOKALIKES
    )
    assert not bad, f"British spellings in an American-spelled deck: {bad}"
    assert BRITISH.search("memorisation, neighbourhood and labelling") is not None


def test_one_number_notation(node_els):
    texts = [(n.get("id"), av.get("value")) for n in node_els for av in n.findall("g:attvalues/g:attvalue", NS)]
    # 1e24, 16k, 7bn, 10**24, a multiplication sign: each is written another way in this deck.
    other_notations = re.compile(r"\d[eE][+-]?\d|\d+k\b|\d\s?bn\b|\*\*|×|\b\d{5,}\b")
    bad = sorted((i, m.group()) for i, t in texts for m in other_notations.finditer(t))
    assert not bad, f"numbers not written as 3 x 10^23, 175 billion or 12,288: {bad}"
    powers = sorted({m for _, t in texts for m in re.findall(r"\d+\^\d+", t)})
    assert powers == ["10^10", "10^100", "10^12", "10^15", "10^23"]


def test_the_review_s_wrong_facts_are_corrected(definitions, node_els):
    examples = {n.get("id"): _attvalue(n, "example") for n in node_els}
    moe = definitions["mixture-of-experts"]
    assert "smaller" not in moe and "full-size copies" in moe and "arithmetic per token" in moe
    assert "memory and communication still grow" in moe
    assert "Mixtral" not in examples["mixture-of-experts"]  # the name is made from the term's first word
    frontier = definitions["compute-efficient-frontier"]
    assert "no model falls below" not in frontier and "better methods shift it" in frontier
    assert "Kaplan" in examples["compute-efficient-frontier"]
    assert "accepts" not in examples["weak-form"] and "asks whether it holds" in examples["weak-form"]
    assert "taste" in examples["weak-form"]
    assert "FLOP/s" in definitions["compute"] and "rate" in definitions["compute"]
    assert "1965" in definitions["moores-law"] and "before" in definitions["moores-law"]
    assert "1975" in definitions["moores-law"] and "2000s" in definitions["moores-law"]
    assert "up to the third" in definitions["gpt-series"]
    assert "data center" in definitions["compute-cluster"] and "shared" in definitions["compute-cluster"]
    assert "16,000 H100" in examples["compute-cluster"]
    assert "features" not in definitions["network-width"].split(";")[0]
    assert "can align" in definitions["privileged-basis"] and "superposition" in definitions["privileged-basis"]
    assert "multilayer" in examples["linear-probes"] and "mine or theirs" in examples["linear-probes"]
    assert "debated" in definitions["emergent-abilities"]
    assert "instruction tuning" in definitions["zero-shot-prompting"]
    assert "small ones fine-tuned" in definitions["chain-of-thought"]
    assert "in place of human text" in definitions["model-collapse"] and "prevents" in definitions["model-collapse"]
    assert definitions["research-taste"].startswith("In Jamie Rumbelow's view")
    assert "hardly in its strong one" in definitions["taxonomy"]
    assert "several matrix sizes" in definitions["alphatensor"] and "within days" in examples["alphatensor"]
    assert "depends on the data and the fit" in definitions["irreducible-loss"]
    assert "reducible part" in definitions["power-laws"]
    assert "idle bubble" in definitions["pipeline-parallelism"]
    six_nd = definitions["six-nd-rule"]
    assert "N, the number of parameters" in six_nd and "active per token" in six_nd
    assert "D, the number of training tokens" in six_nd
    for node in ("scaling-laws", "loss-curves", "irreducible-loss"):
        assert "error" not in definitions[node], node


def test_each_merged_node_is_gone_and_its_keeper_stays(labels):
    assert not set(MERGED) & set(labels)
    assert set(MERGED.values()) <= set(labels)


def test_the_nodes_of_the_first_release_that_were_not_merged_keep_their_ids(node_ids):
    old = {n.get("id") for n in ET.parse(PREVIOUS).getroot().iter(f"{{{GEXF_NS}}}node")}
    assert len(old) == EXPECTED_NODES
    assert old - set(MERGED) <= set(node_ids)
    assert set(node_ids) - old == set(NEW_CONCEPTS)


def test_the_missing_concepts_sit_under_their_parents(labels, parents, definitions):
    placed = {i: (labels.get(i), parents.get(i, [None])[0]) for i in NEW_CONCEPTS}
    assert placed == NEW_CONCEPTS
    assert "20" in definitions["tokens-per-parameter"]
    assert "model collapse" in definitions["synthetic-data"]
    assert "eight months" in _attvalue_of("algorithmic-progress", "example")


def _attvalue_of(node_id, key):
    node = ET.parse(DECK).getroot().find(f"g:graph/g:nodes/g:node[@id='{node_id}']", NS)
    return _attvalue(node, key)


def test_misplaced_nodes_moved_under_their_parents(parents):
    assert {i: parents[i] for i in MOVED} == {i: [p] for i, p in MOVED.items()}


def test_the_language_cards_say_they_are_about_the_phrase(labels, children):
    assert sorted(labels[i] for i in children["language-layer"]) == [
        "Etymology of 'Scaling Hypothesis'",
        "Morphology of 'Scaling Hypothesis'",
        "Semantic Field of 'Scaling Hypothesis'",
        "Synonyms of 'Scaling Hypothesis'",
        "Taxonomy of the Scaling Hypothesis",
    ]
    assert labels["human-mental-depth"] == "Mental-Depth Objection"


def test_the_deck_s_notes_explain_each_merge_and_convention(tree):
    notes = tree.getroot().find("g:meta/g:description", NS).text
    for gone, kept in MERGED.items():
        assert gone in notes and kept in notes, gone
    for phrase in ("American spelling", "10^23", "175 billion", "12,288", "no positions", "branch nodes"):
        assert phrase in notes, phrase


# Warnings the deck's notes explain: nodes whose one child belongs under them and nowhere else.
EXPLAINED_SINGLE_CHILDREN = {"resource-allocation", "tokens", "transformer", "circuits", "benchmarks"}
EXPLAINED_SINGLE_CHILDREN |= {"biology-and-health"}


def test_srs_lint_finds_no_error_and_only_the_warnings_the_notes_explain(tmp_path, tree):
    from click.testing import CliRunner

    from srs.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "srs.sqlite3"), "lint", str(DECK), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["errors"], report["warnings"]) == (0, len(EXPLAINED_SINGLE_CHILDREN))
    assert {(f["code"], f["key"]) for f in report["findings"]} == {("L403", k) for k in EXPLAINED_SINGLE_CHILDREN}
    notes = tree.getroot().find("g:meta/g:description", NS).text
    assert all(key in notes for key in EXPLAINED_SINGLE_CHILDREN)
    # The first release, for comparison: three acronyms spelled out on their own cards (FLOPs,
    # the GPT of GPT Series, the AI of AI Winters).
    first = CliRunner().invoke(cli, ["--db", str(tmp_path / "srs.sqlite3"), "lint", str(PREVIOUS), "--json"])
    assert first.exit_code == 1
    errors = {(f["code"], f["key"]) for f in json.loads(first.output)["findings"] if f["level"] == "error"}
    assert errors == {("L101", "flops"), ("L101", "gpt-series"), ("L101", "ai-winters")}

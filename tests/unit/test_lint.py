"""The linter's rules one by one, on graphs built from plain values: what each finds, and the
near misses it must leave alone."""

from __future__ import annotations

import pytest

from srs.core.graph import Concept, RawEdge, assemble
from srs.core.lint import ERROR, RULES, WARNING, lint, summary
from srs.core.lint.map_rules import similar_pairs
from srs.core.lint.words import named_in, spelled_out, stem

FILLER = "which learners meet again and again on many cards in this deck of flashcards"
"""Words that make a definition long enough (12 words at least) and name nothing."""


OTHER = Concept("z", "Other Topic", "A second branch under the root, standing in for the rest of a larger outline.")
"""A child of the root beside the nodes tested, so that the root is no branch of one node."""


def graph(*nodes, edges=None):
    """A root `r` with the nodes (key, label, definition[, example]) as its children, or the edges
    given, and `OTHER` under the root."""
    concepts = [Concept("r", "Root Topic", f"The top of a small test map, {FILLER}."), OTHER]
    concepts += [Concept(n[0], n[1], n[2], n[3] if len(n) > 3 else "") for n in nodes]
    if edges is None:
        edges = [("r", n[0]) for n in nodes]
    return assemble(concepts, [RawEdge(s, t) for s, t in [("r", "z"), *edges]])


def codes(g, key=None):
    return [(f.code, f.key) for f in lint(g) if key is None or f.key == key]


# -- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, same", [("scaling", "scale"), ("scaled", "scales"), ("computational", "compute"), ("laws", "law")]
)
def test_derived_words_share_a_stem(word, same):
    assert stem(word) == stem(same)


@pytest.mark.parametrize("word, other", [("lawn", "law"), ("outlaw", "law"), ("data", "date"), ("model", "mode")])
def test_words_that_only_contain_the_term_do_not(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize(
    "text, label, found",
    [
        ("Counted in floating-point operations per second.", "FLOPs", "floating-point operations"),
        ("A mixture of experts routes each token.", "Mixture of Experts (MoE)", "mixture of experts"),
        ("MoE layers route each token.", "Mixture of Experts (MoE)", "MoE"),
        ("Bigger models scale well.", "Scaling", "scale"),
        ("Counted in FLOPs.", "Floating-Point Operations", "FLOPs"),
        ("A generative pre-trained transformer.", "GPT", "generative pre-trained transformer"),
        ("Grass grows on a lawn.", "Law", ""),
        ("An outlaw rides on.", "Law", ""),
        ("An important idea.", "AI", ""),  # a stop word starts no acronym
        ("A floating-point number.", "FLOPs", ""),  # one word alone spells no acronym
        ("Laws of motion.", "Scaling Laws", ""),  # the whole term, not one word of it
        # An acronym among a label's words, spelled out, gives that much of the answer away.
        ("OpenAI's generative pre-trained transformers.", "GPT Series", "generative pre-trained transformers"),
        ("Chips called graphics processing units.", "GPU Usage", "graphics processing units"),
        ("Chips called graphics processors.", "GPU Usage", ""),  # two words spell no three letters
        ("The series grew.", "GPT Series", ""),  # one plain word of the label, not the term
    ],
)
def test_named_in_finds_the_term_its_derived_words_and_its_acronym(text, label, found):
    assert named_in(text, label) == found


def test_an_acronym_spelled_out_needs_each_word_in_order():
    assert spelled_out("RLHF", "trained with reinforcement learning from human feedback") == (
        "reinforcement learning from human feedback"
    )
    assert spelled_out("RLHF", "human feedback and reinforcement learning") == ""


# -- one node --------------------------------------------------------------------------------


def test_a_definition_naming_its_term_or_a_derived_word_is_circular():
    g = graph(
        ("s", "Scaling", f"Making models larger so that they scale, {FILLER}."),
        ("l", "Law", f"A rule that grass grows on every lawn, {FILLER}."),
    )
    assert codes(g) == [("L101", "s")]
    (found,) = lint(g)
    assert (found.level, found.name, found.message) == (
        ERROR,
        "circular-definition",
        "the definition names the term: 'scale'",
    )


def test_an_example_naming_its_term_is_circular():
    g = graph(
        ("m", "Mixture of Experts (MoE)", f"A router sends each token to a few subnetworks, {FILLER}.", "An MoE.")
    )
    assert [(f.code, f.message) for f in lint(g)] == [("L102", "the example names the term: 'MoE'")]


def test_a_breadcrumb_naming_a_child_the_mask_leaves_visible_gives_the_children_card_away():
    concepts = [
        Concept("r", "Compute Budgets", f"What a laboratory can spend, {FILLER}."),
        Concept("p", "Spending", f"How a budget is divided up, {FILLER}."),
        Concept("c", "Computation", f"The arithmetic a training run performs, {FILLER}."),
        Concept("m", "Memory", f"The storage a chip holds for weights, {FILLER}."),
    ]
    g = assemble(concepts, [RawEdge("r", "p"), RawEdge("p", "c"), RawEdge("p", "m")])
    assert [(f.code, f.key) for f in lint(g) if f.code == "L103"] == [("L103", "p")]
    # The child's whole label in the breadcrumb is masked on the card: nothing given away.
    masked = [concept._replace(label="Computation Budgets") if concept.key == "r" else concept for concept in concepts]
    g = assemble(masked, [RawEdge("r", "p"), RawEdge("p", "c"), RawEdge("p", "m")])
    assert [f for f in lint(g) if f.code == "L103"] == []


def test_a_missing_definition_is_an_error_and_nothing_else_is_said_of_it():
    g = graph(("a", "Alone", ""))
    assert [(f.code, f.level) for f in lint(g)] == [("L201", ERROR)]


@pytest.mark.parametrize("count, found", [(11, True), (12, False), (45, False), (46, True)])
def test_a_definition_between_12_and_45_words_is_the_right_length(count, found):
    words = " ".join(["word"] * (count - 1))
    g = graph(("a", "Thing", f"Something {words}."))
    assert codes(g) == ([("L202", "a")] if found else [])


@pytest.mark.parametrize(
    "definition, leaning",
    [
        ("What the conjecture asserts about growth", "the conjecture"),
        ("The constant in such a formula that says how fast loss falls", "such a formula"),
        ("A claim about capability; here, the view that it rises with size", "here"),
        ("Everything listed in the above about the matter", "the above"),
        ("How this approach trades memory for speed", "this approach"),
        ("The word-level study from which this map grew", "this map"),
    ],
)
def test_a_definition_that_leans_on_its_place_in_the_map(definition, leaning):
    (found,) = lint(graph(("a", "Thing", f"{definition}, {FILLER}.")))
    assert (found.code, found.message) == ("L203", f"the definition leans on its place in the map: {leaning!r}")


@pytest.mark.parametrize(
    "definition",
    [
        "The conjecture that networks keep improving with size",  # says which conjecture
        "Properties such as 'a curve is here' that a network represents",  # quoted
        "The approach of training one large model on many tasks",
    ],
)
def test_a_definition_that_stands_alone_does_not_lean(definition):
    assert codes(graph(("a", "Thing", f"{definition}, {FILLER}."))) == []


# -- nodes compared ----------------------------------------------------------------------------


def test_the_same_definition_is_an_error_at_both_nodes():
    same = f"Removing duplicated documents from a corpus, {FILLER}."
    g = graph(("a", "Dedup", same), ("b", "Cleaning", same.upper()))
    assert [(f.code, f.key, f.message) for f in lint(g)] == [
        ("L301", "a", "the same definition as 'Cleaning' (b)"),
        ("L301", "b", "the same definition as 'Dedup' (a)"),
    ]


def test_nearly_the_same_definition_is_a_warning_from_75_percent_alike():
    base = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]
    # 12 words against 12 with 2 changed: 10 shared of 14, 71%; with 1 changed: 11 of 13, 85%.
    one = " ".join(base[:-1] + ["nu"])
    two = " ".join(base[:-2] + ["nu", "xi"])
    g = graph(("a", "A Thing", " ".join(base)), ("b", "B Thing", one), edges=[("r", "a"), ("r", "b")])
    assert [(f.code, f.key) for f in lint(g)] == [("L302", "a"), ("L302", "b")]
    g = graph(("a", "A Thing", " ".join(base)), ("b", "B Thing", two))
    assert codes(g) == []


def test_similar_pairs_finds_what_comparing_every_pair_finds():
    import random

    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(60)]
    sets = [frozenset(rng.sample(vocabulary, rng.randint(3, 9))) for _ in range(300)]
    sets += [s | {"extra"} for s in sets[:40]]  # near copies
    every = [
        (i, j, len(a & b) / len(a | b))
        for i, a in enumerate(sets)
        for j, b in enumerate(sets)
        if i < j and len(a & b) / len(a | b) >= 0.75
    ]
    assert similar_pairs(sets) == every
    assert len(every) >= 40


def test_siblings_whose_labels_differ_only_in_case_or_punctuation():
    g = graph(
        ("a", "Data Mix", f"The shares of text sources, {FILLER}."),
        ("b", "data-mix", f"The proportions of sampled sources, {FILLER}."),
        ("c", "Data Mixes", f"Several blends of sources at once, {FILLER}."),
    )
    assert [(f.code, f.key, f.message) for f in lint(g)] == [
        ("L303", "b", "its label differs from its sibling 'Data Mix' (a) only in case or punctuation")
    ]


# -- the map's shape ---------------------------------------------------------------------------


def test_a_definition_that_only_lists_the_children_is_a_grouping_node():
    kids = [
        ("x", "Data Parallelism", f"Every device holds a copy of the network, {FILLER}."),
        ("y", "Tensor Parallelism", f"Each matrix is cut into pieces on devices, {FILLER}."),
    ]
    listing = "Includes data parallelism, tensor parallelism and the various kinds of expert parallelism"
    g = graph(("p", "Strategies", listing), *kids, edges=[("r", "p"), ("p", "x"), ("p", "y")])
    assert [f.code for f in lint(g) if f.key == "p"] == ["L401"]
    saying = f"Ways to spread one training run over many devices: data parallelism and tensor parallelism, {FILLER}"
    g = graph(("p", "Strategies", saying), *kids, edges=[("r", "p"), ("p", "x"), ("p", "y")])
    assert [f.code for f in lint(g) if f.key == "p"] == []


def test_a_chain_of_single_children_is_reported_at_its_top_and_a_lone_child_at_its_parent():
    d = f"A node of the test map, {FILLER}."
    chain = graph(("a", "A", d), ("b", "B", d + " "), ("c", "C", d + "  "), edges=[("r", "a"), ("a", "b"), ("b", "c")])
    assert [f.code for f in lint(chain) if f.code.startswith("L4")] == ["L402"]
    assert [f.key for f in lint(chain) if f.code == "L402"] == ["a"]


def test_a_branch_of_one_node():
    g = graph(
        ("a", "Alpha", f"The first branch of the map, {FILLER}."),
        ("b", "Beta", f"The second branch of the map, {FILLER}, and more."),
        ("c", "Gamma", f"The only concept under the first, {FILLER}."),
        edges=[("r", "a"), ("r", "b"), ("a", "c")],
    )
    assert [(f.code, f.key, f.level) for f in lint(g) if f.code.startswith("L4")] == [("L403", "a", WARNING)]


TAILS = [
    "spread across a dozen machines in a cold basement room for several long weeks",
    "gathered from public websites, scanned books and forums by a small volunteer team",
    "measured on held-out benchmarks that nobody had looked at while the network trained",
]
"""Endings that make definitions long enough and unlike one another."""


def distinct(*starts):
    """Nodes `a`, `b`, ... labelled One, Two, ... whose definitions are each start and a tail of their own."""
    labels = ["One", "Two", "Three"]
    return [(chr(ord("a") + i), labels[i], f"{start}, {TAILS[i]}.") for i, start in enumerate(starts)]


# -- conventions -------------------------------------------------------------------------------


def test_mixed_spellings_report_the_less_used_one():
    g = graph(
        ("a", "Optimizer", f"What updates the weights, {FILLER}."),
        ("b", "Normalization", f"Keeping activations steady, {FILLER}."),
        ("c", "Weight Decay", f"A form of regularisation, {FILLER}."),
        ("d", "Advice", f"Precise advise on exercise and expertise, {FILLER}."),  # -ise in every spelling
    )
    assert [(f.code, f.key, f.message) for f in lint(g)] == [
        ("L501", "c", "'regularisation' is spelt with -ise; the deck mostly uses -ize (2 nodes, -ize or -ise)")
    ]


@pytest.mark.parametrize(
    "first, second, written",
    [
        ("colour", "color", "'color' is spelt with -or; the deck mostly uses -our"),
        ("analyse", "analyze", "'analyze' is spelt with -yze; the deck mostly uses -yse"),
        ("modelling", "modeling", "'modeling' is spelt with -l-; the deck mostly uses -ll-"),
    ],
)
def test_other_spelling_conventions(first, second, written):
    g = graph(*distinct(f"Tools {first} plots", f"Painters {first} walls", f"Children {second} pictures"))
    (found,) = lint(g)
    assert (found.code, found.key) == ("L501", "c")
    assert found.message.startswith(written)


@pytest.mark.parametrize(
    "usual, other, said",
    [
        ("10^24", "1e24", "'1e24' is written like 1e24; the deck mostly writes 10^24"),
        ("10^24", "10²⁴", "'10²⁴' is written like 10²⁴; the deck mostly writes 10^24"),
        ("1,000", "5000", "'5000' is written like 1000; the deck mostly writes 1,000"),
        ("175 billion", "70B", "'70B' is written like B; the deck mostly writes billion"),
    ],
)
def test_mixed_number_notations(usual, other, said):
    g = graph(*distinct(f"About {usual} weights", f"Nearly {usual} tokens", f"Roughly {other} steps"))
    (found,) = lint(g)
    assert (found.code, found.key) == ("L502", "c")
    assert found.message.startswith(said)


def test_years_are_not_numbers_to_group():
    g = graph(*distinct("About 1,000 weights", "Work from 2020 and the 1980s"))
    assert codes(g) == []


# -- the whole ---------------------------------------------------------------------------------


def test_every_rule_has_a_level_and_a_name():
    assert {rule.level for rule in RULES.values()} == {ERROR, WARNING}
    assert [code for code, rule in RULES.items() if rule.level == ERROR] == [
        "L101",
        "L102",
        "L103",
        "L201",
        "L301",
        "L303",
    ]


def test_summary_counts_errors_and_warnings():
    g = graph(("a", "Alone", ""), ("b", "Brief", "Too short."))
    assert summary(lint(g)) == "1 error, 1 warning"
    assert summary([]) == "clean"

"""Searching a deck's text: which nodes match, how they rank and what excerpt each shows."""

from dataclasses import dataclass

from srs.core.search import Match, Tier, match, ranked, search_words


@dataclass(frozen=True)
class Node:
    label: str
    definition: str = ""
    example: str = ""
    notes: str = ""
    rank: int = 0


def test_the_words_of_a_search_are_lower_cased_and_split_at_spaces():
    assert search_words("  Data\tPARALLEL  ism ") == ["data", "parallel", "ism"]
    assert search_words(" \n ") == []


def test_every_word_must_occur_in_some_field_in_any_case():
    node = Node("Data Parallelism", "Every device holds the whole MODEL.", "Eight GPUs.", "See ZeRO.")
    assert match(["gpus", "zero"], node) == Match(Tier.OTHER_FIELD, "example", "Eight GPUs.")
    assert match(["data", "model"], node) == Match(Tier.OTHER_FIELD, "definition", "…holds the whole MODEL.")
    assert match(["data", "tpu"], node) is None
    assert match([], node) is None


def test_the_label_ranks_whole_then_start_then_anywhere():
    assert match(["data", "parallelism"], Node("Data  Parallelism")) == Match(
        Tier.WHOLE_LABEL, "label", "Data Parallelism"
    )
    assert match(["data"], Node("Data Parallelism")) == Match(Tier.LABEL_START, "label", "Data Parallelism")
    assert match(["parallel"], Node("Data Parallelism")) == Match(Tier.IN_LABEL, "label", "Data Parallelism")
    # every word in the label, in another order: anywhere in it
    assert match(["parallelism", "data"], Node("Data Parallelism")).tier is Tier.IN_LABEL
    # one word in the label, one elsewhere: a match in the other fields
    assert match(["data", "slice"], Node("Data Parallelism", "A slice each.")) == Match(
        Tier.OTHER_FIELD, "definition", "A slice each."
    )


def test_the_field_named_is_the_one_holding_most_words_the_first_on_a_tie():
    node = Node("X", definition="alpha only", example="alpha and beta", notes="beta and alpha")
    assert match(["alpha", "beta"], node).field == "example"
    assert match(["alpha"], node).field == "definition"
    assert match(["beta"], node).field == "example"


def test_an_excerpt_is_one_line_around_the_earliest_word_cut_at_spaces():
    # at most 20 characters before the word and 60 in all, cut after or before a space
    text = (
        "Scaling laws relate the loss of a language model to its size, its data and its compute,\n"
        "each a power law over several orders of magnitude."
    )
    assert match(["compute"], Node("X", text)).excerpt == "…its data and its compute, each a power law over several…"
    assert match(["scaling"], Node("X", text)).excerpt == "Scaling laws relate the loss of a language model to its…"
    assert match(["magnitude"], Node("X", text)).excerpt == "…several orders of magnitude."
    # the earliest of the words, whichever was typed first
    assert (
        match(["power", "loss"], Node("X", text)).excerpt
        == "…laws relate the loss of a language model to its size, its…"
    )
    # tabs and line breaks become single spaces; other control characters stay for the output to show
    assert match(["b"], Node("X", "a\t\tb\r\n\x1b[2J c")).excerpt == "a b \x1b[2J c"


def test_a_word_longer_than_an_excerpt_is_shown_whole():
    word = "x" * 80
    assert match([word], Node("X", f"before {word} after")).excerpt == f"before {word}…"


def test_hits_come_best_first_then_in_the_maps_order():
    nodes = [
        Node("Model scaling", rank=5),
        Node("Scaling", rank=9),
        Node("Compute", "Scaling its use.", rank=1),
        Node("Data Scaling", rank=2),
        Node("Scaling Laws", rank=7),
        Node("Data", "Nothing here.", rank=0),
        Node("Scaling laws (Kaplan)", rank=3),
    ]
    best, matching = ranked(["scaling"], nodes)
    assert matching == 6
    assert [(node.label, found.tier) for node, found in best] == [
        ("Scaling", Tier.WHOLE_LABEL),
        ("Scaling laws (Kaplan)", Tier.LABEL_START),
        ("Scaling Laws", Tier.LABEL_START),
        ("Data Scaling", Tier.IN_LABEL),
        ("Model scaling", Tier.IN_LABEL),
        ("Compute", Tier.OTHER_FIELD),
    ]
    best, matching = ranked(["scaling"], nodes, limit=2)
    assert (matching, [(node.label, found.field, found.excerpt) for node, found in best]) == (
        6,
        [("Scaling", "label", "Scaling"), ("Scaling laws (Kaplan)", "label", "Scaling laws (Kaplan)")],
    )

"""The Socratic prompt of a branch's card, and the rules of a journal entry (`srs.core.reflection`)."""

import pytest

from srs.core.cards import build_cards
from srs.core.graph import Concept, RawEdge, assemble
from srs.core.reflection import JournalError, journal_text, prompt_kind, socratic_prompt


def contents():
    """The cards of a three-level map, by (node key, kind)."""
    concepts = [
        Concept("root", "Scaling", "Growing models, data and compute together."),
        Concept("dist", "Distributed Training", "Spreading one training run over many devices."),
        Concept("data", "Data Parallelism", "Each device takes a slice of each batch."),
        Concept("model", "Model Parallelism", "The model is split across devices."),
        Concept("zero", "ZeRO", "Optimizer state sharded."),
        Concept("zero-1", "ZeRO-1", "Stage one."),
        Concept("zero-2", "ZeRO-2", "Stage two."),
        Concept("zero-3", "ZeRO-3", "Stage three."),
        Concept("zero-inf", "ZeRO-Infinity", "Offload to NVMe."),
        Concept("laws", "Scaling Laws", "Loss falls as a power of size."),
    ]
    edges = [
        RawEdge("root", "dist"),
        RawEdge("root", "laws"),
        RawEdge("dist", "data"),
        RawEdge("dist", "model"),
        RawEdge("dist", "zero"),
        *(RawEdge("zero", key) for key in ("zero-1", "zero-2", "zero-3", "zero-inf")),
    ]
    return {(card.node_key, card.kind.value): card.content for card in build_cards(assemble(concepts, edges))}


def test_the_four_questions_come_in_turn_with_the_review_count():
    assert [prompt_kind(n) for n in range(9)] == [
        "represents",
        "matters",
        "connects",
        "changes",
        "represents",
        "matters",
        "connects",
        "changes",
        "represents",
    ]


def test_a_branch_under_the_root_is_asked_about_its_parent_and_children():
    card = contents()[("dist", "definition")]
    assert [socratic_prompt(card, n) for n in range(5)] == [
        "What does Distributed Training represent, in your own words, beyond its definition?",
        "Why does Distributed Training matter for Scaling as a whole?",
        "How does Distributed Training connect Scaling above it to Data Parallelism, Model Parallelism and ZeRO"
        " below it?",
        "If Distributed Training changed or were absent, what would change for Scaling, and for Data Parallelism,"
        " Model Parallelism and ZeRO?",
        "What does Distributed Training represent, in your own words, beyond its definition?",
    ]


def test_a_deeper_branch_names_the_root_and_its_parent_and_counts_the_children_past_three():
    card = contents()[("zero", "definition")]
    assert (
        socratic_prompt(card, 1)
        == "Why does ZeRO matter for Scaling as a whole, and not only for Distributed Training?"
    )
    assert socratic_prompt(card, 2) == (
        "How does ZeRO connect Distributed Training above it to ZeRO-1, ZeRO-2, ZeRO-3 and 1 more below it?"
    )


def test_the_root_is_asked_about_what_it_holds():
    card = contents()[("root", "definition")]
    assert [socratic_prompt(card, n) for n in range(4)] == [
        "What does Scaling represent, in your own words, beyond its definition?",
        "Why does Scaling matter as the whole that Distributed Training and Scaling Laws belong to?",
        "How do Distributed Training and Scaling Laws connect to Scaling, and to each other?",
        "If Scaling changed or were absent, what would become of Distributed Training and Scaling Laws?",
    ]


def test_only_a_branchs_definition_card_asks():
    cards = contents()
    assert [socratic_prompt(cards[("data", "definition")], n) for n in range(4)] == [None] * 4  # a leaf
    assert [socratic_prompt(cards[("dist", "children")], n) for n in range(4)] == [None] * 4


def test_a_journal_entry_is_one_clean_line():
    assert journal_text("  Loss falls\r\nas a power\n ") == "Loss falls as a power"
    assert journal_text("red \x1b[31m text\x9b") == "red ␛[31m text\ufffd"
    assert journal_text("x" * 1000) == "x" * 1000
    for bad, message in [
        ("", "a journal entry needs some text"),
        (" \n\t ", "a journal entry needs some text"),
        ("x" * 1001, "a journal entry is at most 1000 characters, not 1001"),
    ]:
        with pytest.raises(JournalError) as raised:
            journal_text(bad)
        assert str(raised.value) == message

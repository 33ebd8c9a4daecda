from srs.core.cards import MASK, CardContent, back_lines, build_cards, front_lines, gloss, mask
from srs.core.graph import Concept, RawEdge, assemble


def graph():
    cs = [
        Concept("root", "Scaling", "Growing models, data and compute together."),
        Concept("dist", "Distributed Training", "Spreading one training run over many devices. It needs fast links."),
        Concept(
            "data-par",
            "Data Parallelism",
            "Every device holds the whole model and takes a slice of each batch.",
            example="Eight GPUs, eight slices.",
        ),
        Concept("model-par", "Model Parallelism", "The model itself is split across devices."),
        Concept("pipe", "Pipeline"),
        Concept("laws", "Scaling Laws", "Loss falls as a power of size."),
    ]
    edges = [
        RawEdge("root", "dist"),
        RawEdge("root", "laws"),
        RawEdge("dist", "data-par"),
        RawEdge("dist", "model-par"),
        RawEdge("dist", "pipe"),
    ]
    return assemble(cs, edges)


def by_key(cards):
    return {(c.node_key, c.kind.value): c.content for c in cards}


def test_card_kinds_per_node():
    cards = by_key(build_cards(graph()))
    assert sorted(cards) == [
        ("data-par", "definition"),
        ("dist", "children"),
        ("dist", "definition"),
        ("laws", "definition"),
        ("model-par", "definition"),
        ("pipe", "placement"),
        ("root", "children"),
        ("root", "definition"),
    ]


def test_cards_come_parents_first():
    assert [(c.node_key, c.kind.value) for c in build_cards(graph())][:4] == [
        ("root", "definition"),
        ("root", "children"),
        ("dist", "definition"),
        ("dist", "children"),
    ]


def test_definition_card_carries_its_context():
    card = by_key(build_cards(graph()))[("data-par", "definition")]
    assert card.question == "What is Data Parallelism?"
    assert card.path == ("Scaling", "Distributed Training")
    assert card.parent.label == "Distributed Training"
    assert card.parent.gloss == "Spreading one training run over many devices."
    assert [(s.label, s.gloss) for s in card.siblings] == [
        ("Model Parallelism", "The model itself is split across devices."),
        ("Pipeline", ""),
    ]
    assert front_lines(card) == ["Scaling › Distributed Training", "What is Data Parallelism?"]
    assert back_lines(card) == [
        "Every device holds the whole model and takes a slice of each batch.",
        "Example: Eight GPUs, eight slices.",
        "Part of: Distributed Training — Spreading one training run over many devices.",
        "Not to be confused with:",
        "  Model Parallelism — The model itself is split across devices.",
        "  Pipeline",
    ]


def test_children_card_asks_for_the_concepts_under_it_and_masks_them_in_the_hint():
    card = by_key(build_cards(graph()))[("dist", "children")]
    assert card.question == "Name the 3 concepts under Distributed Training."
    assert [c.label for c in card.children] == ["Data Parallelism", "Model Parallelism", "Pipeline"]
    g = assemble(
        [
            Concept("r", "Parallelism", "Either Data Parallelism or Model Parallelism."),
            Concept("d", "Data Parallelism"),
            Concept("m", "Model Parallelism"),
        ],
        [RawEdge("r", "d"), RawEdge("r", "m")],
    )
    hint = by_key(build_cards(g))[("r", "children")].hint
    assert hint == f"Either {MASK} or {MASK}."


def test_breadcrumb_that_contains_the_term_is_masked_on_the_front():
    g = assemble(
        [
            Concept("a", "Overfitting", "Fitting noise."),
            Concept("b", "Overfitting Remedies", "Ways out."),
            Concept("c", "Dropout", "Zeroing units at random."),
            Concept("d", "Overfitting", "Here the same word again."),
        ],
        [RawEdge("a", "b"), RawEdge("b", "c"), RawEdge("b", "d")],
    )
    card = by_key(build_cards(g))[("d", "definition")]
    assert card.path == (MASK, f"{MASK} Remedies")


def test_a_breadcrumb_is_masked_only_where_it_holds_the_term_as_a_word():
    g = assemble(
        [
            Concept("top", "Python Errors", "What can go wrong."),
            Concept("base", "BaseException", "The root of every exception class."),
            Concept("exc", "Exception", "The base of the errors a program is meant to catch."),
            Concept("many", "Exceptions in Practice", "How code raises and handles them."),
            Concept("tip", "Exception", "Catch the narrowest one."),
        ],
        [RawEdge("top", "base"), RawEdge("base", "exc"), RawEdge("top", "many"), RawEdge("many", "tip")],
    )
    cards = by_key(build_cards(g))
    assert cards[("exc", "definition")].path == ("Python Errors", "BaseException")
    assert cards[("tip", "definition")].path == ("Python Errors", f"{MASK} in Practice")  # a plural too
    assert mask("C++ or C++s, not C++11", ["C++"]) == f"{MASK} or {MASK}, not C++11"


def test_placement_card_answers_with_the_path():
    card = by_key(build_cards(graph()))[("pipe", "placement")]
    assert front_lines(card) == ["Where does Pipeline sit in the map?"]
    assert back_lines(card)[0] == "Scaling › Distributed Training › Pipeline"


def test_content_round_trips_through_json_values():
    for spec in build_cards(graph()):
        assert CardContent.from_dict(spec.content.to_dict()) == spec.content


def test_gloss_is_the_first_sentence_cut_at_a_word():
    assert gloss("One. Two.") == "One."
    long = "word " * 40
    assert gloss(long, 20) == "word word word word…"
    assert mask("Data data DATA", ["data"]) == f"{MASK} {MASK} {MASK}"


def animals(kinds):
    """Animal with Dog, Cat and Tail under it, by edges of the given kinds (Dog's, Cat's, Tail's)."""
    cs = [Concept("a", "Animal", "A living thing."), Concept("d", "Dog", "Barks."), Concept("c", "Cat", "Purrs.")]
    cs.append(Concept("t", "Tail", "Wags."))
    return assemble(cs, [RawEdge(child, "a", kind) for child, kind in zip("dct", kinds, strict=True)])


def test_children_are_named_as_their_edges_say():
    up_kinds = animals(["is-a", "Subclass-Of", "instance_of"])
    card = by_key(build_cards(up_kinds))[("a", "children")]
    assert card.question == "Name the 3 kinds of Animal."
    assert back_lines(card) == ["  Dog — Barks.", "  Cat — Purrs.", "  Tail — Wags."]
    assert back_lines(by_key(build_cards(up_kinds))[("a", "definition")])[-1] == "Kinds of Animal: Dog, Cat, Tail"
    assert back_lines(by_key(build_cards(up_kinds))[("d", "definition")])[1] == "Kind of: Animal — A living thing."
    parts = by_key(build_cards(animals(["part-of", "part_of", "PART-OF"])))
    assert parts[("a", "children")].question == "Name the 3 parts of Animal."
    assert back_lines(parts[("d", "definition")])[1] == "Part of: Animal — A living thing."
    mixed = by_key(build_cards(animals(["is-a", "part-of", "broader"])))[("a", "children")]
    assert mixed.question == "Name the 3 concepts under Animal: 1 kind, 1 part, 1 other."
    assert back_lines(mixed) == [
        "Kinds of Animal:",
        "  Dog — Barks.",
        "Parts of Animal:",
        "  Cat — Purrs.",
        "Concepts under Animal:",
        "  Tail — Wags.",
    ]
    assert CardContent.from_dict(mixed.to_dict()) == mixed


def test_a_card_knows_its_place_among_its_siblings():
    cards = by_key(build_cards(graph()))
    places = {
        key: cards[(key, "definition" if key != "pipe" else "placement")].place
        for key in ("data-par", "model-par", "pipe", "laws")
    }
    assert places == {"data-par": 0, "model-par": 1, "pipe": 2, "laws": 1}
    assert cards[("root", "definition")].place == 0

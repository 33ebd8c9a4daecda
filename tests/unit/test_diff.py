from srs.core.diff import NodeRecord, Removal, diff_graph
from srs.core.graph import Concept, RawEdge, assemble


def stored_from(graph):
    return {k: NodeRecord(c, tuple(graph.parents[k])) for k, c in graph.concepts.items()}


BASE = assemble(
    [
        Concept("r", "Root", "Top."),
        Concept("a", "Alpha", "First."),
        Concept("b", "Beta", "Second."),
        Concept("c", "Gamma", "Third."),
    ],
    [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "c")],
)


def test_the_same_graph_changes_nothing():
    diff = diff_graph(stored_from(BASE), BASE)
    assert diff.is_empty
    assert diff.matched == {"r": "r", "a": "a", "b": "b", "c": "c"}


def test_each_kind_of_change_is_named():
    edited = assemble(
        [
            Concept("r", "Root", "Top."),
            Concept("a", "Alpha", "First, edited."),
            Concept("b", "Beta Prime", "Second."),
            Concept("c", "Gamma", "Third."),
            Concept("d", "Delta", "New."),
        ],
        [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("b", "c"), RawEdge("r", "d")],
    )
    stored = stored_from(BASE)
    diff = diff_graph(stored, edited)
    assert diff.added == ["d"]
    assert diff.changed == {"a": ["definition"]}
    assert diff.renamed == {"b": "Beta"}
    assert diff.moved == {"c": ("a",)}
    assert diff.removed == []


def test_removed_nodes_are_listed_once_and_restored_when_back():
    smaller = assemble([Concept("r", "Root", "Top."), Concept("a", "Alpha", "First.")], [RawEdge("r", "a")])
    stored = stored_from(BASE)
    assert diff_graph(stored, smaller).removed == ["b", "c"]
    stored["b"] = NodeRecord(Concept("b", "Beta", "Second."), parents=("r",), retired=True)
    stored["c"] = NodeRecord(Concept("c", "Gamma", "Third."), parents=("a",), retired=True)
    assert diff_graph(stored, smaller).removed == []
    assert diff_graph(stored, BASE).restored == ["b", "c"]


def test_regenerated_ids_fall_back_to_labels_then_paths():
    renumbered = assemble(
        [
            Concept("n0", "Root", "Top."),
            Concept("n1", "Alpha", "First."),
            Concept("n2", "Beta", "Second."),
            Concept("n3", "Gamma", "Third."),
        ],
        [RawEdge("n0", "n1"), RawEdge("n0", "n2"), RawEdge("n1", "n3")],
    )
    diff = diff_graph(stored_from(BASE), renumbered)
    assert diff.matched == {"n0": "r", "n1": "a", "n2": "b", "n3": "c"}
    assert diff.matched_by == {"n0": "label", "n1": "label", "n2": "label", "n3": "label"}
    assert diff.added == [] and diff.removed == [] and diff.moved == {}


def test_stored_paths_follow_first_parents():
    from srs.core.diff import stored_paths

    assert stored_paths(stored_from(BASE)) == {
        "r": "Root",
        "a": "Root/Alpha",
        "b": "Root/Beta",
        "c": "Root/Alpha/Gamma",
    }


def test_regenerated_ids_and_duplicate_labels_fall_back_to_paths():
    base = assemble(
        [
            Concept("r", "Root"),
            Concept("a", "A", "x"),
            Concept("b", "B", "x"),
            Concept("a-l", "Leaf", "1"),
            Concept("b-l", "Leaf", "2"),
        ],
        [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "a-l"), RawEdge("b", "b-l")],
    )
    renumbered = assemble(
        [
            Concept("1", "Root"),
            Concept("2", "A", "x"),
            Concept("3", "B", "x"),
            Concept("4", "Leaf", "1"),
            Concept("5", "Leaf", "2"),
        ],
        [RawEdge("1", "2"), RawEdge("1", "3"), RawEdge("2", "4"), RawEdge("3", "5")],
    )
    diff = diff_graph(stored_from(base), renumbered)
    assert diff.matched == {"1": "r", "2": "a", "3": "b", "4": "a-l", "5": "b-l"}
    assert diff.matched_by["4"] == "path" and diff.matched_by["2"] == "label"


def test_an_empty_note_in_the_file_is_not_a_change():
    stored = stored_from(BASE)
    stored["a"] = NodeRecord(Concept("a", "Alpha", "First.", notes="my note"), parents=("r",))
    assert diff_graph(stored, BASE).is_empty


def test_retiring_more_than_half_of_the_live_nodes_needs_a_yes():
    assert not Removal(live=10, retired=5).needs_confirmation  # half: not more than half
    assert Removal(live=10, retired=6).needs_confirmation
    assert Removal(live=1, retired=1).needs_confirmation
    assert not Removal(live=0, retired=0).needs_confirmation  # a new deck
    assert not Removal(live=149, retired=0).needs_confirmation


def test_deleting_any_node_needs_a_yes():
    assert Removal(live=149, retired=0, deleted=1).needs_confirmation
    assert not Removal(live=149, retired=0, deleted=0).needs_confirmation


def test_a_yes_stands_for_that_removal_or_a_smaller_one_only():
    agreed = Removal(live=149, retired=80)
    assert Removal(live=149, retired=80).confirmed_by(agreed)
    assert Removal(live=150, retired=79).confirmed_by(agreed)
    assert not Removal(live=149, retired=81).confirmed_by(agreed)
    assert not Removal(live=149, retired=80).confirmed_by(None)
    assert Removal(live=149, retired=3).confirmed_by(None)  # nothing to ask
    assert not Removal(live=10, retired=0, deleted=2).confirmed_by(Removal(live=10, retired=0, deleted=1))
    assert Removal(live=10, retired=0, deleted=1).confirmed_by(Removal(live=10, retired=0, deleted=2))


def test_a_renamed_node_with_a_new_id_is_matched_by_a_nearly_equal_definition_alone():
    stored = stored_from(
        assemble(
            [Concept("r", "Root", "Top."), Concept("a", "Alpha", "The first letter of the Greek alphabet.")],
            [RawEdge("r", "a")],
        )
    )

    def renamed(definition):
        return assemble([Concept("R", "Root", "Top."), Concept("A", "Alef", definition)], [RawEdge("R", "A")])

    # 0.99 alike (a letter added): matched, and the root by its label.
    near = diff_graph(stored, renamed("The first letter of the Greek alphabets."))
    assert near.matched == {"R": "r", "A": "a"}
    assert near.matched_by == {"R": "label", "A": "definition"}
    assert near.renamed == {"A": "Alpha"}
    assert near.changed == {"A": ["definition"]} and not near.moved and not near.added
    # 0.78 alike, under 0.85: a new node, and the old one retired.
    far = diff_graph(stored, renamed("The first letter of the Hebrew script."))
    assert (far.added, far.removed, far.renamed) == (["A"], ["a"], {})

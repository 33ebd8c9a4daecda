"""The class's hardest nodes: by lapse rate, then by lapses, then by lower mastery."""

from srs.core.classes import ClassNode, hardest


def node(key, reviews, lapses, mastery=0.0):
    return ClassNode(key, key.upper(), 4, 2, mastery, reviews, lapses)


def test_lapse_rate_is_lapses_per_review_and_none_before_a_review():
    assert node("a", 8, 2).lapse_rate == 0.25
    assert node("b", 0, 0).lapse_rate is None


def test_hardest_orders_by_lapse_rate_then_lapses_then_mastery_and_leaves_out_nodes_without_lapses():
    found = [
        node("never", 0, 0),
        node("easy", 10, 0),
        node("half", 4, 2, mastery=0.5),
        node("half-more", 8, 4, mastery=0.9),
        node("half-weaker", 4, 2, mastery=0.1),
        node("most", 3, 3),
    ]
    assert [n.key for n in hardest(found)] == ["most", "half-more", "half-weaker", "half"]
    assert [n.key for n in hardest(found, limit=2)] == ["most", "half-more"]

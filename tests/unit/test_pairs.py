"""The core's rule of which pairs get a contrast card, and what a pair card shows."""

from datetime import date

import pytest

from srs.core.cards import back_lines, front_lines
from srs.core.pairs import (
    Lapse,
    NotSiblingsError,
    Side,
    confusion,
    contrast_content,
    contrast_pair,
    contrasts_after,
    relation_content,
)

TODAY = date(2026, 11, 23)
YESTERDAY = date(2026, 11, 22)
# 1 is the root; 2, 3, 4 are its children; 5 and 6 are 2's; 7 is under 3 and 2 both.
PARENTS = {1: [], 2: [1], 3: [1], 4: [1], 5: [2], 6: [2], 7: [3, 2]}


def test_a_lapse_pairs_with_each_sibling_that_lapsed_the_same_day_in_one_order():
    lapses = [Lapse(3, TODAY), Lapse(5, TODAY), Lapse(4, YESTERDAY), Lapse(2, TODAY)]
    assert contrasts_after(Lapse(4, TODAY), lapses, PARENTS, TODAY) == [(3, 4), (2, 4)]
    assert contrasts_after(Lapse(2, TODAY), lapses, PARENTS, TODAY) == [(2, 3)]
    # A sibling by a second parent is a sibling too.
    assert contrasts_after(Lapse(7, TODAY), [Lapse(5, TODAY), Lapse(1, TODAY)], PARENTS, TODAY) == [(5, 7)]


def test_no_pair_for_another_day_a_non_sibling_itself_or_a_pair_that_has_its_card():
    assert contrasts_after(Lapse(4, YESTERDAY), [Lapse(3, YESTERDAY)], PARENTS, TODAY) == []
    assert contrasts_after(Lapse(4, TODAY), [Lapse(3, YESTERDAY)], PARENTS, TODAY) == []
    assert contrasts_after(Lapse(4, TODAY), [Lapse(5, TODAY), Lapse(1, TODAY), Lapse(4, TODAY)], PARENTS, TODAY) == []
    assert contrasts_after(Lapse(4, TODAY), [Lapse(3, TODAY)], PARENTS, TODAY, existing={(3, 4)}) == []


def test_a_confusion_is_the_canonical_pair_of_two_siblings_or_refused():
    assert contrast_pair(6, 5) == contrast_pair(5, 6) == (5, 6)
    assert confusion(6, 5, PARENTS, {}) == (5, 6)
    with pytest.raises(NotSiblingsError, match="^'Tool' is not a sibling of 'Apple': a node can be confused only"):
        confusion(5, 3, PARENTS, {5: "Apple", 3: "Tool"})
    with pytest.raises(NotSiblingsError):
        confusion(5, 5, PARENTS, {})


def test_pair_cards_show_their_question_and_both_definitions():
    apple, pear = Side("Apple", "A round fruit."), Side("Pear", "")
    contrast = contrast_content(apple, pear, ("Root", "Fruit"))
    assert front_lines(contrast) == ["Root › Fruit", "How does Apple differ from Pear?"]
    assert back_lines(contrast) == ["Apple: A round fruit.", "Pear"]
    relation = relation_content(Side("Rain", "Water falling."), Side("Flood", "Water over land."), "causes", ())
    assert front_lines(relation) == ["How does Rain relate to Flood?"]
    assert back_lines(relation) == ["Rain — causes → Flood", "Rain: Water falling.", "Flood: Water over land."]

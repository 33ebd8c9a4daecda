"""The leech rule, the answers that make a leech, the hints, and the siblings a card shows."""

import pytest

from srs.core.answer import Schedule
from srs.core.cards import CardContent, Neighbour, closest_siblings, names
from srs.core.leech import FailedBeside, LeechHints, LeechRule, is_leech, leech_hints, made_leech
from srs.core.mastery import CardState


@pytest.mark.parametrize("lapses, threshold, leech", [(7, 8, False), (8, 8, True), (9, 8, True), (0, 1, False)])
def test_a_card_is_a_leech_from_the_threshold_on(lapses, threshold, leech):
    assert is_leech(lapses, threshold) is leech


def test_only_the_lapse_that_reaches_the_threshold_makes_a_leech():
    at = {n: Schedule(lapses=n) for n in range(10)}
    assert made_leech(at[7], at[8], 8)
    assert not made_leech(at[6], at[7], 8)
    assert not made_leech(at[8], at[9], 8)  # a leech already
    assert not made_leech(at[8], at[8], 8)  # a drill
    assert LeechRule(8, suspend=True).suspends(at[7], at[8])
    assert not LeechRule(8, suspend=False).suspends(at[7], at[8])
    assert not LeechRule(8, suspend=True).suspends(at[8], at[9])


@pytest.mark.parametrize(
    "text, term, named",
    [
        ("A gamma is the third model.", "Gamma", True),
        ("GAMMAS come third.", "Gamma", True),  # a plural, in any case, as the breadcrumb masks it
        ("Unlike the Betamax tape.", "Beta", False),  # inside another word
        ("Raised to a power.", "Power Laws", False),
        ("Power laws: y = a x^k.", "Power Laws", True),
        ("", "Anything", False),
    ],
)
def test_a_text_names_a_term_where_the_breadcrumb_would_mask_it(text, term, named):
    assert names(text, term) is named


def test_the_hints_of_a_leech():
    hints = leech_hints(
        "Gamma",
        "A gamma is the third model.",
        [("Models", CardState.LEARNING), ("Things", CardState.MATURE), ("Sets", CardState.NEW)],
        [("Alpha", 1), ("Beta", 0), ("Delta", 3)],
    )
    assert hints == LeechHints(
        parents_not_learned=(("Models", CardState.LEARNING), ("Sets", CardState.NEW)),
        failed_beside=(FailedBeside("Delta", 3), FailedBeside("Alpha", 1)),
        names_itself=True,
    )
    none = leech_hints("Root", "The top.", [], [("Alpha", 0)])
    assert none == LeechHints() and not none


def test_siblings_shown_are_the_closest_five_in_the_parents_order():
    kin = tuple(Neighbour(str(n)) for n in range(10))  # the parent's other children, 0 to 9

    def shown(place, siblings=kin):
        listed, more = closest_siblings(CardContent("definition", "X", "?", siblings=siblings, place=place))
        return [n.label for n in listed], more

    assert shown(0) == (["0", "1", "2", "3", "4"], 5)
    assert shown(5) == (["3", "4", "5", "6", "7"], 5)  # two before the node, three after
    assert shown(10) == (["5", "6", "7", "8", "9"], 5)
    assert shown(3, kin[:6]) == (["0", "1", "2", "3", "4", "5"], 0)  # one more would hide one: all shown
    assert shown(3, kin[:7]) == (["1", "2", "3", "4", "5"], 2)

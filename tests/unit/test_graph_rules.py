"""The graph-aware rules of the core: progressive layering and its frontier, the day a layer
opens, parent checks, siblings kept apart in a session, and the deck options."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srs.core import options
from srs.core.answer import SM2, Schedule, answer
from srs.core.queue import (
    CheckCandidate,
    LayerNode,
    ParentCard,
    StudyQueue,
    frontier,
    holds_back,
    needs_check,
    reaches,
    siblings_apart,
    unlearned,
    waits_for,
)
from srs.errors import OptionError

TODAY = date(2026, 11, 23)


# -- graphs with the shapes that could lock a node forever --------------------------------------


@st.composite
def graphs(draw):
    """Nodes 0..n-1 in a random parents-first rank order, each with up to three parents drawn from
    anywhere (earlier ones as in a DAG, later ones as a cycle's edge back up), each own card
    live or not (suspended, retired, none), new or at some interval, with or without new cards."""
    n = draw(st.integers(1, 12))
    ranks = draw(st.permutations(range(n)))
    cards = []
    for node in range(n):
        live = draw(st.booleans()) or draw(st.booleans())
        reviews = draw(st.integers(0, 3))
        interval = draw(st.integers(1, 40)) if reviews else 0
        cards.append(ParentCard(node, ranks[node], live, reviews, interval, TODAY if reviews else None))
    nodes = []
    for node in range(n):
        parents = draw(st.lists(st.integers(0, n - 1).filter(lambda p, node=node: p != node), max_size=3, unique=True))
        # A node whose own card is live and new has a new card; others may or may not.
        has_new = (cards[node].live and cards[node].reviews == 0) or draw(st.booleans())
        nodes.append(LayerNode(node, ranks[node], tuple(cards[p] for p in parents), cards[node], has_new))
    return nodes


@given(graphs(), st.integers(0, 30))
def test_the_frontier_is_never_empty_while_a_node_is_unlearned(nodes, days):
    found = frontier(nodes, days)
    if any(unlearned(node, days) for node in nodes):
        assert found.ready
    # Every unlearned node is either ready or locked, never both; a learned one is neither.
    listed = list(found.ready) + [node for node, _waiting in found.locked]
    assert sorted(listed) == sorted(node.id for node in nodes if unlearned(node, days))


@given(graphs(), st.integers(1, 30))
def test_a_locked_node_waits_only_for_live_earlier_parents_below_the_interval(nodes, days):
    by_id = {node.id: node for node in nodes}
    for node, waiting in frontier(nodes, days).locked:
        assert waiting
        for parent in waiting:
            assert parent.live and parent.rank < by_id[node].rank
            assert parent.reviews == 0 or parent.interval < days


def test_layering_off_locks_nothing():
    parent = ParentCard(1, 0, True, 0, 0)
    assert not holds_back(parent, 5, 0)
    assert waits_for([parent], 5, 0) == []


def test_a_parent_that_can_never_reach_the_interval_locks_nothing():
    suspended = ParentCard(1, 0, live=False)
    below = ParentCard(2, 0, True, 3, 2, TODAY)
    later = ParentCard(3, 9, True, 0, 0)  # after the child: an edge back up a cycle
    assert waits_for([suspended, below, later], 5, 7) == [below]


def test_every_parent_must_hold_the_interval():
    held = ParentCard(1, 0, True, 4, 7, TODAY)
    short = ParentCard(2, 1, True, 2, 6, TODAY)
    assert waits_for([held, short], 5, 7) == [short]
    assert waits_for([held, replace(short, interval=7)], 5, 7) == []


# -- introducing new cards over days --------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(1, 15))
def test_no_node_is_introduced_while_a_parent_is_below_the_unlock_interval(data, days):
    """A learner who studies every day, introducing what the rule allows and grading at random:
    each new card introduced has every live earlier parent at the interval on that day."""
    n = data.draw(st.integers(2, 10))
    parents = {
        node: data.draw(st.lists(st.integers(0, node - 1), max_size=2, unique=True)) if node else []
        for node in range(n)
    }
    live = {node: data.draw(st.booleans()) or node == 0 for node in range(n)}
    schedules = {node: Schedule() for node in range(n)}
    day = TODAY
    for _ in range(40):

        def card(node):
            s = schedules[node]
            return ParentCard(node, node, live[node], s.reviews, s.interval, s.due)

        for node in range(n):
            if not live[node]:
                continue
            s = schedules[node]
            if s.reviews == 0:
                waiting = waits_for([card(p) for p in parents[node]], node, days)
                if waiting:
                    continue
                for p in parents[node]:
                    assert not live[p] or (schedules[p].reviews and schedules[p].interval >= days)
            elif s.due is None or s.due > day:
                continue
            schedules[node], _ = answer(s, data.draw(st.sampled_from([1, 3, 4, 5])), day, SM2)
        day += timedelta(days=1)


# -- when the next layer opens -------------------------------------------------------------------


def test_a_layer_opens_when_the_parent_answered_good_on_its_due_days_reaches_the_interval():
    new = Schedule()
    assert reaches(new, 1, TODAY, SM2) == TODAY  # answered today: 1 day
    assert reaches(new, 6, TODAY, SM2) == TODAY + timedelta(days=1)  # then 6 days
    assert reaches(new, 7, TODAY, SM2) == TODAY + timedelta(days=7)  # then 15 days
    learning, _ = answer(new, 4, TODAY - timedelta(days=3), SM2)  # due 2 days ago
    assert reaches(learning, 6, TODAY, SM2) == TODAY  # overdue: answered today


# -- parent checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "checked"),
    [
        (CheckCandidate(True, 2, 6, TODAY + timedelta(days=3), TODAY - timedelta(days=3)), True),
        (CheckCandidate(True, 5, 21, TODAY + timedelta(days=9), TODAY - timedelta(days=12)), False),  # mature
        (CheckCandidate(True, 0, 0, None, None), False),  # new: it waits to be introduced
        (CheckCandidate(False, 2, 6, TODAY + timedelta(days=3), TODAY - timedelta(days=3)), False),  # suspended
        (CheckCandidate(True, 2, 6, TODAY, TODAY - timedelta(days=6)), False),  # due today anyway
        (CheckCandidate(True, 2, 6, TODAY + timedelta(days=6), TODAY), False),  # answered today
    ],
)
def test_a_lapse_checks_a_parent_learned_but_not_mature_and_not_asked_today(card, checked):
    assert needs_check(card, TODAY) is checked


def test_a_check_joins_the_chunk_next_and_undo_takes_it_out_again():
    session = StudyQueue([1, 2, 3, 4], chunk_size=3)
    session.start_chunk()
    session.answer(1, checks=[9, 3])  # 3 is in the session already: it stays where it is
    assert (session.current, list(session._chunk), session.chunk_total) == (9, [9, 2, 3, 1], 4)
    assert session.cards == [1, 2, 3, 9, 4]
    session.undo()
    assert (session.current, session.chunk_total, session.cards) == (1, 3, [1, 2, 3, 4])


# -- siblings apart ------------------------------------------------------------------------------


def test_siblings_come_apart_and_parents_stay_first():
    # Root's two cards, X1 (with children Y1, Y2) and its siblings X2, X3.
    family = {1: None, 2: None, 3: 10, 4: 10, 5: 10, 6: 10, 7: 30, 8: 30}
    node = {1: 10, 2: 10, 3: 30, 4: 30, 5: 50, 6: 60, 7: 70, 8: 80}
    assert siblings_apart([1, 2, 3, 4, 5, 6, 7, 8], family, node) == [1, 3, 2, 4, 7, 5, 8, 6]


@given(st.lists(st.integers(0, 4), max_size=30))
def test_no_siblings_side_by_side_where_an_order_exists(families):
    cards = list(range(len(families)))
    family = dict(enumerate(families))
    out = siblings_apart(cards, family)
    assert sorted(out) == cards
    most = max((families.count(f) for f in set(families)), default=0)
    if most <= (len(cards) + 1) // 2:
        assert all(family[a] != family[b] for a, b in zip(out, out[1:], strict=False))


# -- the options ---------------------------------------------------------------------------------


def test_the_options_have_their_defaults_and_types_in_one_place():
    assert [o.key for o in options.OPTIONS] == [
        "unlock_after_days",
        "parent_checks",
        "sibling_spacing",
        "contrast_cards",
        "relation_cards",
        "implicit_credit",
        "socratic_prompts",
        "journal",
    ]
    assert options.deck_options({}) == options.DeckOptions(0, False, False, False, False, False, False, False)
    assert options.deck_options({"unlock_after_days": 7, "later_option": 1, "parent_checks": "yes"}) == (
        # a later version's key left alone, a bad value its default
        options.DeckOptions(7, False, False, False, False, False, False, False)
    )
    assert options.deck_options({"socratic_prompts": True, "journal": True}) == (
        options.DeckOptions(0, False, False, False, False, False, True, True)
    )
    assert options.parse("implicit-credit", "on") is True
    assert options.parse("unlock-after-days", " 14 ") == 14
    assert options.parse("parent_checks", "ON") is True
    assert options.parse("sibling_spacing", "off") is False


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("unlock_after_day", "3", "no deck option 'unlock_after_day'; did you mean 'unlock_after_days'?"),
        (
            "colour",
            "3",
            "no deck option 'colour'; options: unlock_after_days, parent_checks, sibling_spacing, contrast_cards,"
            " relation_cards, implicit_credit, socratic_prompts, journal",
        ),
        ("unlock_after_days", "soon", "unlock_after_days is a whole number of days, not 'soon'"),
        ("unlock_after_days", "-1", "unlock_after_days is between 0 and 3650 days, not -1"),
        ("parent_checks", "maybe", "parent_checks is on or off, not 'maybe'"),
    ],
)
def test_a_bad_option_or_value_is_one_clear_error(key, text, message):
    with pytest.raises(OptionError) as raised:
        options.parse(key, text)
    assert str(raised.value) == message

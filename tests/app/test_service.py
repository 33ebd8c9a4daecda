"""The app's reads and plain helpers, without a screen: streaks, branch colours, the next branch
with work, and how times and dates are put into words."""

from __future__ import annotations

from datetime import date

import pytest
from app_support import DECK, FIXTURES, answer_on, import_deck

from srs.core.mastery import CardState
from srs.errors import NotFoundError, SrsError
from srs.service import decks as deck_service
from srs.service import nodes as node_service
from srs.service import study as study_service
from srs.storage import answers, decks
from srs.tui.text import day_name, duration, plural, short_date

TODAY = date(2026, 11, 23)


def streak(env, deck: str | None = DECK) -> int:
    with env.connection() as conn:
        return answers.study_streak(conn, TODAY, decks.find_deck(conn, deck, env.learner_id) if deck else None)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], 0),
        (["2026-11-23"], 1),
        (["2026-11-22", "2026-11-21"], 2),  # not yet today: the streak still stands
        (["2026-11-21"], 0),  # a whole day without study ends it
        (["2026-11-23", "2026-11-22", "2026-11-20", "2026-11-19"], 2),
        (["2026-11-23", "2026-11-23", "2026-11-22"], 2),  # several answers a day count once
    ],
)
def test_study_streak(env, days, expected):
    for day in days:
        answer_on(env, "Chinchilla", day, 4)
    assert streak(env) == expected


def test_study_streak_counts_one_deck_or_all(env):
    import_deck(env, FIXTURES / "scaling.gexf", name="Other")
    answer_on(env, "Chinchilla", "2026-11-22", 4)  # the first deck's Chinchilla
    assert streak(env) == 1
    assert streak(env, "Other") == 0
    assert streak(env, None) == 1


@pytest.mark.parametrize(
    ("learned", "mastery", "state"),
    [
        (0, 0.0, CardState.NEW),
        (1, 0.0, CardState.LEARNING),
        (3, 5 / 21, CardState.LEARNING),
        (3, 6 / 21, CardState.YOUNG),
        (3, 0.9, CardState.YOUNG),
        (3, 1.0, CardState.MATURE),
    ],
)
def test_branch_state(learned, mastery, state):
    assert deck_service.branch_state(learned, mastery) is state


def test_the_map_of_a_studied_deck(studied_env):
    deck_map = deck_service.load_map(studied_env, None)
    assert deck_map.deck == DECK and deck_map.today == TODAY and deck_map.streak == 2
    assert (deck_map.counts.due, deck_map.counts.new) == (2, 12)
    by_label = {node.label: node for node in deck_map.nodes.values()}
    laws = by_label["Scaling Laws"]
    assert (laws.due, laws.new, laws.learned, laws.cards) == (0, 2, 2, 4)
    # The mean over its nodes: Scaling Laws itself (2 new cards) 0, Chinchilla 1, Kaplan Laws 6/21.
    assert laws.mastery == pytest.approx((0 + 1 + 6 / 21) / 3)
    assert laws.state is CardState.YOUNG  # a mastery of 0.43 is that of a 9-day card
    labels = [deck_map.nodes[nid].label for nid in deck_map.path(by_label["Model Parallelism"].id)]
    assert labels == ["Scaling Hypothesis", "Computational Scaling", "Distributed Training", "Model Parallelism"]


def test_the_next_branch_with_work(env):
    deck_map = deck_service.load_map(env, None)
    by_label = {node.label: node for node in deck_map.nodes.values()}
    after = lambda label, new=True: deck_map.next_branch_with_work(by_label[label].id if label else None, new)  # noqa: E731
    assert after(None).label == "Computational Scaling"
    assert after("Computational Scaling").label == "Data Scaling"
    assert after("Distributed Training").label == "GPU Usage"  # its siblings come before other branches
    assert after("Kaplan Laws").label == "Computational Scaling"  # wraps round, skipping its ancestors
    assert after(None, new=False) is None  # nothing is due, and new cards are not allowed


def test_words_for_times_and_dates():
    assert [duration(ms) for ms in (400, 5_000, 59_499, 60_000, 134_000, 3_600_000, 3_725_000)] == [
        "0s",
        "5s",
        "59s",
        "1m 00s",
        "2m 14s",
        "1h 00m",
        "1h 02m",
    ]
    assert [day_name(date(2026, 11, d), TODAY) for d in (21, 22, 23, 24, 29)] == [
        "2 days overdue",
        "1 day overdue",
        "today",
        "tomorrow",
        "in 6 days",
    ]
    assert day_name(None, TODAY) == "not scheduled"
    assert short_date(date(2026, 11, 24), TODAY) == "Tue 24 Nov"
    assert short_date(date(2027, 1, 4), TODAY) == "Mon 4 Jan 2027"
    assert (plural(1, "card"), plural(2, "card"), plural(0, "day")) == ("1 card", "2 cards", "0 days")


def test_notes_are_saved_and_a_vanished_concept_is_one_clear_error(env, look):
    node_id = look.node_id("Chinchilla")
    deck_service.save_notes(env, node_id, "Compute-optimal: 20 tokens a parameter.", "C for compute")
    detail = node_service.load_node(env, node_id)
    assert (detail.notes, detail.mnemonic) == ("Compute-optimal: 20 tokens a parameter.", "C for compute")
    with pytest.raises(NotFoundError, match="no longer in the deck"):
        deck_service.save_notes(env, 10_000, "lost", "")
    with pytest.raises(NotFoundError, match="no longer in the deck"):
        study_service.load_card(env, 10_000)


def test_the_map_names_the_branch_asked_for(env):
    whole = deck_service.load_map(env, DECK)
    assert whole.branch == whole.root and whole.nodes[whole.root].label == DECK
    branch = deck_service.load_map(env, DECK, "Computational Scaling/Distributed Training")
    assert branch.nodes[branch.branch].label == "Distributed Training"
    assert branch.nodes[branch.branch].key == whole.nodes[branch.branch].key
    with pytest.raises(NotFoundError, match="no node 'Nowhere' in deck 'Scaling Hypothesis'"):
        deck_service.load_map(env, DECK, "Nowhere")


def test_limits_are_read_changed_and_a_refused_change_leaves_them(env):
    assert deck_service.set_limits(env, DECK) == deck_service.DeckLimits(DECK, 20, 200)
    assert deck_service.set_limits(env, None, reviews_per_day=50) == deck_service.DeckLimits(DECK, 20, 50)
    with pytest.raises(SrsError, match="^a daily limit cannot be negative$"):
        deck_service.set_limits(env, DECK, new_per_day=5, reviews_per_day=-1)
    assert deck_service.set_limits(env, DECK) == deck_service.DeckLimits(DECK, 20, 50)


def test_the_deck_list_counts_each_deck_and_names_its_retired_nodes(env):
    from srs.core.graph import assemble
    from srs.readers import read_deck
    from srs.storage.importing import import_graph

    graph = read_deck(FIXTURES / "scaling.gexf")
    with env.connection(write=True) as conn:  # "Other": the same root, all else gone from the file
        import_graph(conn, "Other", graph, "test", env.clock.now())
        import_graph(conn, "Other", assemble([graph.concepts[graph.root]], []), "test", env.clock.now(), yes=True)
    summaries = deck_service.deck_summaries(env, with_retired=True)
    assert [(s.name, s.nodes, s.retired_nodes, s.cards, s.due, s.new) for s in summaries] == [
        ("Other", 1, 11, 1, 0, 1),
        (DECK, 12, 0, 16, 0, 16),
    ]
    assert summaries[0].retired == tuple(sorted(c.label for k, c in graph.concepts.items() if k != graph.root))
    assert summaries[1].retired == ()
    assert deck_service.deck_choices(env) == [
        deck_service.DeckChoice("Other", 0, 1),
        deck_service.DeckChoice(DECK, 0, 16),
    ]


def test_a_review_with_nothing_due_starts_on_the_new_cards_and_one_with_cards_due_keeps_to_them(env):
    review = study_service.branch_scope(env, DECK, None, new_cards=False)
    scope, cards = study_service.start_session(env, review)
    assert scope == study_service.Scope(DECK, None, DECK, new_cards=True)
    assert cards == study_service.session_cards(env, scope) and len(cards) == 16
    # Once a card is due, the review is of the due cards alone.
    answer_on(env, "Chinchilla", "2026-11-20", 4)  # one day: due again on the 21st
    scope, cards = study_service.start_session(env, review)
    assert (scope, len(cards)) == (review, 1)


def test_a_session_with_nothing_left_today_stays_as_asked(env):
    with env.connection(write=True) as conn:
        decks.set_limits(conn, decks.find_deck(conn, DECK, env.learner_id), new_per_day=0)
    review = study_service.branch_scope(env, DECK, None, new_cards=False)
    assert study_service.start_session(env, review) == (review, [])

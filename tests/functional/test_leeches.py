"""Leeches: a card whose lapses reach `leech_threshold`, marked by `srs show`, suspended with the
answer that makes it one where `leech_suspend` says so (and unsuspended by its undo), and listed
by `srs leeches` with what the graph suggests about each."""

import json
from dataclasses import replace
from datetime import timezone

import pytest
from sqlalchemy import select, update

from srs.config import Setting
from srs.core.leech import is_leech
from srs.service import study as study_service
from srs.storage import decks
from srs.storage import leeches as leech_storage
from srs.storage.tables import cards, nodes, voids

OUTLINE = """\
- Root: The top.
  - Models: Ways to learn.
    - Alpha: A first model.
    - Beta: A second model.
    - Gamma: A gamma is the third model.
  - Bare
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


def settings(env, **values):
    """The learner's settings with `values`, as a config file would give them."""
    env.config = replace(env.config, **{key: Setting(value, "file test") for key, value in values.items()})


def card(env, label, kind="definition"):
    """(lapses, suspended) of a node's card."""
    with env.connection() as conn:
        row = conn.execute(
            select(cards.c.lapses, cards.c.suspended)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == kind)
        ).one()
    return row.lapses, bool(row.suspended)


def shown_leech(run, label):
    return [c["leech"] for c in json.loads(run("show", label, "--json"))["cards"]]


def test_a_card_is_a_leech_once_its_lapses_reach_the_threshold(run, env, now, deck):
    settings(env, leech_threshold=3)
    for _ in range(2):
        run("answer", "Alpha", "1")
        run("answer", "Alpha", "1")  # a drill: logged, no lapse
        now.advance(days=1)
    assert card(env, "Alpha") == (2, False)
    assert shown_leech(run, "Alpha") == [False]
    assert run("leeches") == "No leeches in deck 'Deck': no card has 3 lapses or more.\n"
    out = run("answer", "Alpha", "2")
    assert out == "Alpha (definition card): review graded 2; again today, then due 2026-11-26; a leech now (3 lapses)\n"
    assert card(env, "Alpha") == (3, False)  # leech_suspend is off by default
    assert shown_leech(run, "Alpha") == [True]
    assert (
        run("show", "Alpha").splitlines()[2]
        == "── definition card · learning · due 2026-11-26 · EF 2.50 · 1 d · leech (3 lapses)"
    )
    # A later lapse is no new leech: the answer says nothing more.
    now.advance(days=1)
    assert run("answer", "Alpha", "0").endswith("due 2026-11-27\n")
    settings(env, leech_threshold=5)
    assert shown_leech(run, "Alpha") == [False]
    assert run("leeches") == "No leeches in deck 'Deck': no card has 5 lapses or more.\n"


def test_the_storage_condition_and_the_core_rule_agree(env, deck):
    with env.connection(write=True) as conn:
        for lapses, label in enumerate(("Root", "Models", "Alpha", "Beta", "Gamma")):
            node_id = conn.scalar(select(nodes.c.id).where(nodes.c.label == label))
            conn.execute(update(cards).where(cards.c.node_id == node_id).values(lapses=lapses))
    with env.connection() as conn:
        deck_row = decks.find_deck(conn, "Deck", env.learner_id)
        every = sorted(conn.scalars(select(cards.c.lapses)), reverse=True)
        assert every == [4, 3, 2, 1, 1, 0, 0, 0]
        for threshold in range(1, 6):
            listed = [row.lapses for row in leech_storage.leech_cards(conn, deck_row, threshold)]
            assert listed == [lapses for lapses in every if is_leech(lapses, threshold)]


def utc(at):
    # SQLite gives the time back without its zone (UTC, as written); PostgreSQL in its own.
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def test_leech_suspend_suspends_with_the_answer_and_srs_undo_lifts_it(run, env, now, deck):
    settings(env, leech_threshold=2, leech_suspend=True)
    run("answer", "Beta", "1")
    assert card(env, "Beta") == (1, False)
    now.advance(days=1)
    out = run("answer", "Beta", "0")
    assert out.endswith("; a leech now (2 lapses, suspended)\n")
    assert card(env, "Beta") == (2, True)
    now.advance(hours=2)
    assert run("undo").startswith("Took back the review of Beta (definition card) graded 0 on 2026-11-24")
    assert card(env, "Beta") == (1, False)
    # The lifted suspension and the void are stamped by the learner's clock, as a sync orders them.
    with env.connection() as conn:
        lifted_at = conn.scalar(
            select(cards.c.suspended_at)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == "Beta", cards.c.kind == "definition")
        )
        (voided_at,) = conn.scalars(select(voids.c.voided_at)).all()
    assert {utc(lifted_at), utc(voided_at)} == {now()}
    # Given again, it is suspended again; a drill after it is no new leech, and its undo keeps it suspended.
    run("answer", "Beta", "2")
    run("answer", "Beta", "4")
    assert card(env, "Beta") == (2, True)
    run("undo")
    assert card(env, "Beta") == (2, True)


def test_the_apps_answer_and_undo_suspend_and_lift_together(env, now, deck):
    settings(env, leech_threshold=2, leech_suspend=True)
    with env.connection() as conn:
        card_id = conn.scalar(
            select(cards.c.id).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.label == "Gamma")
        )
    first = study_service.record(env, card_id, 2, 3000)
    assert (first.lapses, first.made_leech, first.suspended) == (1, False, False)
    now.advance(days=1)
    second = study_service.record(env, card_id, 1, 3000)
    assert (second.lapses, second.made_leech, second.suspended) == (2, True, True)
    assert card(env, "Gamma") == (2, True)
    study_service.take_back(env, second.review_id)
    assert card(env, "Gamma") == (1, False)


def test_without_leech_suspend_a_leech_stays_in_the_queue_and_undo_leaves_a_suspension_alone(env, now, deck):
    settings(env, leech_threshold=1)
    with env.connection() as conn:
        card_id = conn.scalar(
            select(cards.c.id).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.label == "Gamma")
        )
    answer = study_service.record(env, card_id, 0, 3000)
    assert (answer.made_leech, answer.suspended) == (True, False)
    assert card(env, "Gamma") == (1, False)
    with env.connection(write=True) as conn:  # the learner suspends it by hand
        conn.execute(update(cards).where(cards.c.id == card_id).values(suspended=True))
    study_service.take_back(env, answer.review_id)
    assert card(env, "Gamma") == (0, True)


def study(run, now):
    """Four days of study: Gamma lapses on all four, Alpha on the first three, Beta on the first
    (and fails a drill on the second), Root on the last three; Models is answered on the last."""
    days = [
        [("Alpha", "1"), ("Beta", "2"), ("Gamma", "0")],
        [("Alpha", "1"), ("Beta", "3"), ("Beta", "2"), ("Gamma", "0"), ("Root", "1")],
        [("Alpha", "1"), ("Gamma", "0"), ("Root", "2")],
        [("Gamma", "1"), ("Models", "4"), ("Root", "0")],
    ]
    for answers in days:
        for label, grade in answers:
            run("answer", label, grade)
        now.advance(days=1)


def test_srs_leeches_lists_them_most_lapses_first_with_the_graphs_hints(run, env, now, deck):
    settings(env, leech_threshold=3)
    study(run, now)
    assert run("leeches").splitlines() == [
        "3 leeches in deck 'Deck' (3 lapses or more), most lapses first:",
        "",
        "Root/Models/Gamma  (definition card, 4 lapses)",
        "  its parent is not learned yet: Models (learning)",
        "  failed beside Alpha on 3 days it lapsed",
        "  failed beside Beta on 2 days it lapsed",
        "  its definition names its own term",
        "",
        "Root  (definition card, 3 lapses)",
        "  nothing in the graph stands out: the card's own text may need work",
        "",
        "Root/Models/Alpha  (definition card, 3 lapses)",
        "  its parent is not learned yet: Models (learning)",
        "  failed beside Gamma on 3 days it lapsed",
        "  failed beside Beta on 2 days it lapsed",
    ]
    assert (
        run("leeches", "Models").splitlines()[0]
        == "2 leeches in 'Models' of deck 'Deck' (3 lapses or more), most lapses first:"
    )
    assert run("leeches", "Bare") == "No leeches in 'Bare' of deck 'Deck': no card has 3 lapses or more.\n"


def test_srs_leeches_json(run, env, now, deck):
    settings(env, leech_threshold=3)
    study(run, now)
    # A parent learned well (young) is no hint; a suspended leech is still listed.
    for _ in range(2):
        run("answer", "Models", "5")
        now.advance(days=6)
    with env.connection(write=True) as conn:
        conn.execute(update(cards).where(cards.c.lapses == 4).values(suspended=True))
    found = json.loads(run("leeches", "Models", "--json"))
    assert found == {
        "deck": "Deck",
        "branch": "Models",
        "threshold": 3,
        "leeches": [
            {
                "key": found["leeches"][0]["key"],
                "label": "Gamma",
                "path": "Root/Models/Gamma",
                "kind": "definition",
                "state": "learning",
                "lapses": 4,
                "reviews": 4,
                "suspended": True,
                "hints": {
                    "parents_not_learned": [],
                    "failed_beside": [{"label": "Alpha", "days": 3}, {"label": "Beta", "days": 2}],
                    "names_itself": True,
                },
            },
            {
                "key": found["leeches"][1]["key"],
                "label": "Alpha",
                "path": "Root/Models/Alpha",
                "kind": "definition",
                "state": "learning",
                "lapses": 3,
                "reviews": 3,
                "suspended": False,
                "hints": {
                    "parents_not_learned": [],
                    "failed_beside": [{"label": "Gamma", "days": 3}, {"label": "Beta", "days": 2}],
                    "names_itself": False,
                },
            },
        ],
    }
    assert [leech["key"] for leech in found["leeches"]] == [
        json.loads(run("show", label, "--json"))["id"] for label in ("Gamma", "Alpha")
    ]
    settings(env, leech_threshold=9)
    assert json.loads(run("leeches", "--json")) == {"deck": "Deck", "branch": None, "threshold": 9, "leeches": []}

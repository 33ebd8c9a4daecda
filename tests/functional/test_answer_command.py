"""`srs answer` and `srs undo`: answers from scripts, with the app's rules, stored exactly."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from srs.core.graph import path_key
from srs.service import study as study_service
from srs.storage.tables import cards, nodes, reviews

TODAY = date(2026, 11, 23)
DAY = timedelta(days=1)

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare
"""

SCHEDULE = ("easiness", "repetitions", "interval", "due", "reviews", "lapses", "last_day", "last_grade")
NEW = (250, 0, 0, None, 0, 0, None, None)
LOGGED = (
    "day",
    "grade",
    "drill",
    "duration_ms",
    "easiness_before",
    "repetitions_before",
    "interval_before",
    "due_before",
    "lapses_before",
    "last_day_before",
    "last_grade_before",
    "easiness_after",
    "repetitions_after",
    "interval_after",
    "due_after",
)


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


def schedule(env, label, kind="definition"):
    with env.connection() as conn:
        row = conn.execute(
            select(*(cards.c[name] for name in SCHEDULE))
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == kind)
        ).one()
    return tuple(row)


def log(env):
    """Every answer in the order given: (label, kind, *the logged columns)."""
    with env.connection() as conn:
        rows = conn.execute(
            select(nodes.c.label, cards.c.kind, *(reviews.c[name] for name in LOGGED))
            .join(cards, cards.c.id == reviews.c.card_id)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .order_by(reviews.c.id)
        ).all()
    return [tuple(row) for row in rows]


def test_an_answer_is_a_review_that_moves_the_schedule(run, env, now, deck):
    assert run("answer", "Part A", "4") == "Part A (definition card): review graded 4; next due 2026-11-24\n"
    assert schedule(env, "Part A") == (250, 1, 1, TODAY + DAY, 1, 0, TODAY, 4)
    assert log(env) == [
        ("Part A", "definition", TODAY, 4, False, 0, 250, 0, 0, None, 0, None, None, 250, 1, 1, TODAY + DAY)
    ]
    now.advance(days=1)
    assert run("answer", "part a", "5") == "Part A (definition card): review graded 5; next due 2026-11-30\n"
    assert schedule(env, "Part A") == (260, 2, 6, TODAY + 7 * DAY, 2, 0, TODAY + DAY, 5)
    assert log(env)[1] == (
        "Part A",
        "definition",
        TODAY + DAY,
        5,
        False,
        0,
        250,
        1,
        1,
        TODAY + DAY,
        0,
        TODAY,
        4,
        260,
        2,
        6,
        TODAY + 7 * DAY,
    )


def test_a_card_answered_early_every_day_stops_at_a_hundred_years(run, env, now, deck):
    # Each day's answer multiplies the interval by the easiness: past the calendar within a month
    # were it not held to SM-2's longest interval.
    for day in range(30):
        if day:
            now.advance(days=1)
        out = run("answer", "Part A", "5")
    last = TODAY + 29 * DAY
    assert out == f"Part A (definition card): review graded 5; next due {last + 36_500 * DAY}\n"
    assert schedule(env, "Part A")[2:4] == (36_500, last + 36_500 * DAY)
    # The log replays to the same schedule under either scheduler, and back.
    run("scheduler", "fsrs")
    run("scheduler", "sm2")
    assert schedule(env, "Part A")[2:4] == (36_500, last + 36_500 * DAY)


def test_below_4_the_card_comes_back_today_and_later_answers_are_drills(run, env, deck):
    assert (
        run("answer", "Part B", "2") == "Part B (definition card): review graded 2; again today, then due 2026-11-24\n"
    )
    after_review = (250, 0, 1, TODAY + DAY, 1, 1, TODAY, 2)  # a lapse: SM-2 keeps the EF below 3
    assert schedule(env, "Part B") == after_review
    assert (
        run("answer", "Part B", "3") == "Part B (definition card): drill graded 3; again today, then due 2026-11-24\n"
    )
    assert run("answer", "Part B", "5") == "Part B (definition card): drill graded 5; next due 2026-11-24\n"
    # The drills move nothing but the last answer.
    assert schedule(env, "Part B") == (*after_review[:7], 5)
    drilled = (250, 0, 1, TODAY + DAY, 1, TODAY)
    assert log(env) == [
        ("Part B", "definition", TODAY, 2, False, 0, 250, 0, 0, None, 0, None, None, 250, 0, 1, TODAY + DAY),
        ("Part B", "definition", TODAY, 3, True, 0, *drilled, 2, 250, 0, 1, TODAY + DAY),
        ("Part B", "definition", TODAY, 5, True, 0, *drilled, 3, 250, 0, 1, TODAY + DAY),
    ]


def test_the_card_answered_is_the_definition_the_placement_or_the_kind_named(run, env, deck):
    assert run("answer", "Parent", "4") == "Parent (definition card): review graded 4; next due 2026-11-24\n"
    assert run("answer", "Parent", "3", "--kind", "children") == (
        "Parent (children card): review graded 3; again today, then due 2026-11-24\n"
    )
    assert run("answer", "Bare", "5") == "Bare (placement card): review graded 5; next due 2026-11-24\n"
    assert schedule(env, "Parent", "children")[:6] == (236, 1, 1, TODAY + DAY, 1, 0)
    assert schedule(env, "Parent")[:6] == (250, 1, 1, TODAY + DAY, 1, 0)
    assert schedule(env, "Bare", "placement")[:6] == (260, 1, 1, TODAY + DAY, 1, 0)
    assert [(label, kind) for label, kind, *_ in log(env)] == [
        ("Parent", "definition"),
        ("Parent", "children"),
        ("Bare", "placement"),
    ]


def test_a_wrong_card_is_one_line_and_nothing_is_stored(run, env, deck):
    assert (
        run("answer", "Bare", "5", "--kind", "definition", code=2)
        == "Error: 'Bare' has no definition card; its cards: 'placement'\n"
    )
    assert (
        run("answer", "Part A", "4", "--kind", "children", code=2)
        == "Error: 'Part A' has no children card; its cards: 'definition'\n"
    )
    assert run("answer", "Nowhere", "4", code=2) == "Error: no node 'Nowhere' in deck 'Deck'\n"
    assert "Invalid value for 'GRADE': 6 is not in the range 0<=x<=5." in run("answer", "Part A", "6", code=2)
    assert log(env) == [] and schedule(env, "Part A") == NEW


def test_answer_as_json(run, deck):
    assert json.loads(run("answer", "Part A", "3", "--json")) == {
        "deck": "Deck",
        "node": path_key("Root/Parent/Part A"),
        "label": "Part A",
        "kind": "definition",
        "grade": 3,
        "drill": False,
        "due": "2026-11-24",
        "again_today": True,
        "interval": 1,
        "easiness": 2.36,
        "check": False,  # an answer to a parent check says so (the deck's parent_checks)
        "checks": [],  # and a lapse names the parents it brings in as checks
        "credits": [],  # and a pass the ancestors' cards it credits (the deck's implicit_credit)
        "contrasts": [],  # and the siblings it made contrast cards with (the deck's contrast_cards)
    }


def test_undo_takes_back_the_decks_last_answers_one_by_one(run, env, now, deck):
    run("answer", "Part A", "4")
    after_first = schedule(env, "Part A")
    now.advance(days=1)
    run("answer", "Part A", "1")
    assert (
        run("undo")
        == "Took back the review of Part A (definition card) graded 1 on 2026-11-24; the card is due 2026-11-24\n"
    )
    assert schedule(env, "Part A") == after_first
    assert [row[3] for row in log(env)] == [4]
    assert (
        run("undo")
        == "Took back the review of Part A (definition card) graded 4 on 2026-11-23; the card is new again\n"
    )
    assert schedule(env, "Part A") == NEW and log(env) == []
    assert run("undo", code=2) == "Error: nothing to undo: deck 'Deck' has no answers\n"


def test_undo_of_a_drill_and_of_an_answer_given_in_the_app(run, env, deck):
    run("answer", "Part B", "2")
    run("answer", "Part B", "3")
    after_review = schedule(env, "Part B")[:7]
    assert run("undo") == (
        "Took back the drill of Part B (definition card) graded 3 on 2026-11-23; "
        "the card is asked again today, then due 2026-11-24\n"
    )
    assert schedule(env, "Part B") == (*after_review, 2)
    with env.connection() as conn:
        part_a = conn.scalar(
            select(cards.c.id).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.label == "Part A")
        )
    study_service.record(env, part_a, 5, 2500)  # as the study screen records it
    assert (
        run("undo")
        == "Took back the review of Part A (definition card) graded 5 on 2026-11-23; the card is new again\n"
    )
    assert [(row[0], row[3], row[4]) for row in log(env)] == [("Part B", 2, False)]


def test_undo_is_per_deck(run, env, deck, data):
    run("import", str(data / "small.gexf"))
    run("answer", "Part A", "4", "--deck", "Deck")
    run("answer", "Compute", "4", "--deck", "Scaling")
    assert run("undo", code=2) == "Error: there are several decks, choose one with --deck: 'Deck', 'Scaling'\n"
    assert (
        run("undo", "--deck", "Deck")
        == "Took back the review of Part A (definition card) graded 4 on 2026-11-23; the card is new again\n"
    )
    assert [row[0] for row in log(env)] == ["Compute"]

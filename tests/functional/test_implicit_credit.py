"""Implicit credit through the command line and the service, on SQLite and PostgreSQL: a pass
moves the ancestors' definition cards' due days, logged as credit events that undo takes back
with their answer, that a scheduler switch replays, and that no statistic counts."""

import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from srs.core.answer import Schedule
from srs.core.credit import credit_days
from srs.errors import SrsError
from srs.service import scheduler as scheduler_service
from srs.service import study
from srs.storage import answers, history
from srs.storage.tables import cards, decks, nodes, reviews

TODAY = date(2026, 11, 23)

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Child: A part with parts.
      - Leaf: The smallest part.
      - Other leaf: Another small part.
  - Side: Beside the parent.
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


def set_card(env, label, deck="Deck", **values):
    """Give the node's definition card these column values (a schedule the test needs)."""
    with env.connection(write=True) as conn:
        deck_id = conn.scalar(select(decks.c.id).where(decks.c.name == deck))
        node = select(nodes.c.id).where(nodes.c.label == label, nodes.c.deck_id == deck_id)
        conn.execute(
            update(cards)
            .where(cards.c.node_id.in_(node.scalar_subquery()), cards.c.kind == "definition")
            .values(values)
        )


def learned(env, label, interval, due_in, deck="Deck"):
    """The node's definition card reviewed before, `interval` days long, due `due_in` days on."""
    set_card(
        env,
        label,
        deck,
        reviews=3,
        repetitions=3,
        interval=interval,
        due=TODAY + timedelta(days=due_in),
        last_day=TODAY - timedelta(days=interval - due_in),
        last_grade=4,
    )


def dues(env) -> dict[str, date | None]:
    with env.connection() as conn:
        return dict(
            conn.execute(
                select(nodes.c.label, cards.c.due)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .where(cards.c.kind == "definition")
            ).all()
        )


def ancestors_due(env) -> dict[str, date | None]:
    return {label: due for label, due in dues(env).items() if label in ("Root", "Parent", "Child")}


def logged(env) -> list[tuple[str, str, int, date | None, date | None]]:
    """The log: (node, kind, grade, due before, due after) of each event in order."""
    with env.connection() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(nodes.c.label, reviews.c.kind, reviews.c.grade, reviews.c.due_before, reviews.c.due_after)
                .join(cards, cards.c.id == reviews.c.card_id)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .order_by(reviews.c.id)
            )
        ]


def rows(env):
    """Every row of `cards` and of `reviews`, by id."""
    with env.connection() as conn:
        return tuple(
            tuple(tuple(row) for row in conn.execute(select(table).order_by(table.c.id))) for table in (cards, reviews)
        )


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def three_up(env, deck):
    """Leaf's ancestors learned: Child (level 1) 60 days, due in 6; Parent (2) 30, due in 10;
    Root (3) 40, due in 10."""
    learned(env, "Child", 60, 6)
    learned(env, "Parent", 30, 10)
    learned(env, "Root", 40, 10)


def test_a_pass_credits_the_ancestors_definition_cards_and_says_so(run, env, three_up):
    assert run("answer", "Leaf", "4") == "Leaf (definition card): review graded 4; next due 2026-11-24\n"
    assert dues(env)["Child"] == day(6)  # off by default: nothing moves
    run("undo")

    run("options", "implicit_credit", "on")
    assert run("answer", "Leaf", "4") == (
        "Leaf (definition card): review graded 4; next due 2026-11-24\n"
        # 0.1 * 54 days gone by; 0.05 * 20; 0.025 * 30 rounded
        "Credited 3 ancestor cards: Child +5 d, Parent +1 d, Root +1 d\n"
    )
    assert {label: due for label, due in dues(env).items() if label != "Leaf"} == {
        "Root": day(11),
        "Parent": day(11),
        "Child": day(11),
        "Other leaf": None,
        "Side": None,
    }
    assert logged(env) == [
        ("Leaf", "answer", 4, None, day(1)),
        ("Child", "credit", -1, day(6), day(11)),  # a credit's grade is minus its level
        ("Parent", "credit", -2, day(10), day(11)),
        ("Root", "credit", -3, day(10), day(11)),
    ]
    assert "  latest answers and credits: [+5 d credit]\n" in run("show", "Child")
    assert "latest answers and credits" not in run("show", "Leaf")
    # A second pass the same day credits again, from what is left of each interval: 49 days of
    # Child's are gone by now, so its due day never passes today plus its interval.
    key = {label: json.loads(run("show", label, "--json"))["id"] for label in ("Child", "Parent", "Root")}
    assert json.loads(run("answer", "Other leaf", "5", "--json"))["credits"] == [
        {"node": key["Child"], "label": "Child", "level": 1, "due_before": "2026-12-04", "due": "2026-12-09"},
        {"node": key["Parent"], "label": "Parent", "level": 2, "due_before": "2026-12-04", "due": "2026-12-05"},
        {"node": key["Root"], "label": "Root", "level": 3, "due_before": "2026-12-04", "due": "2026-12-05"},
    ]


def test_no_credit_for_a_fail_a_drill_or_a_new_suspended_retired_buried_or_answered_ancestor(run, env, three_up):
    run("options", "implicit_credit", "on")
    before = ancestors_due(env)
    assert run("answer", "Leaf", "2") == "Leaf (definition card): review graded 2; again today, then due 2026-11-24\n"
    assert run("answer", "Leaf", "5") == "Leaf (definition card): drill graded 5; next due 2026-11-24\n"
    assert ancestors_due(env) == before
    assert {kind for _label, kind, *_rest in logged(env)} == {"answer"}

    # Child new, Parent suspended, Root retired: Other leaf's pass credits none of them.
    set_card(env, "Child", reviews=0, repetitions=0, interval=0, due=None, last_day=None, last_grade=None)
    set_card(env, "Parent", suspended=True)
    set_card(env, "Root", retired=True)
    before = ancestors_due(env)
    assert run("answer", "Other leaf", "4") == "Other leaf (definition card): review graded 4; next due 2026-11-24\n"
    assert ancestors_due(env) == before

    # Parent buried today, Root answered today: Side's pass credits nothing either.
    learned(env, "Parent", 30, 10)
    set_card(env, "Parent", suspended=False, buried_on=TODAY)
    set_card(env, "Root", retired=False, last_day=TODAY)
    run("answer", "Side", "4")
    assert ancestors_due(env) == {**before, "Parent": day(10)}
    # Root not answered today, Side's review taken back and given again credits it: 0.1 * 30 days.
    set_card(env, "Root", last_day=TODAY - timedelta(days=30))
    run("undo")
    run("answer", "Side", "4")
    assert logged(env)[-1] == ("Root", "credit", -1, day(10), day(13))
    assert {kind for _label, kind, *_rest in logged(env)[:-1]} == {"answer"}


def test_undo_takes_back_an_answer_with_its_credits_and_nothing_else(run, env, now, three_up):
    run("options", "implicit_credit", "on")
    run("answer", "Leaf", "4")
    after_leaf = rows(env)
    run("answer", "Other leaf", "4")
    assert len(rows(env)[1]) == len(after_leaf[1]) + 4
    assert run("undo") == (
        "Took back the review of Other leaf (definition card) graded 4 on 2026-11-23; the card is new again\n"
        "and its credit to 3 ancestor cards\n"
    )
    assert rows(env) == after_leaf  # Leaf's credits stay

    # The app's undo takes back an answer by its id, its credits with it.
    with env.connection() as conn:
        leaf_card = conn.scalar(select(reviews.c.card_id).order_by(reviews.c.id).limit(1))
    answered = study.record(env, leaf_card, 5, 1000)  # a drill: no credit
    assert answered.credits == ()
    study.take_back(env, answered.review_id)
    assert rows(env) == after_leaf

    # A card this answer credited has been answered since: that answer goes first.
    run("answer", "Child", "4")
    with env.connection() as conn:
        leaf_answer = conn.scalar(select(reviews.c.id).where(reviews.c.card_id == leaf_card))
    with pytest.raises(SrsError, match="a card this answer credited was answered since"):
        study.take_back(env, leaf_answer)
    with (
        pytest.raises(SrsError, match="a credit is taken back with the answer that earned it"),
        env.connection(write=True) as conn,
    ):
        answers.undo_answer(conn, leaf_answer + 1)
    assert run("undo").startswith("Took back the review of Child (definition card) graded 4")
    assert rows(env) == after_leaf
    run("undo")
    with env.connection() as conn:
        assert conn.execute(select(reviews)).all() == []
    assert dues(env) == {
        "Root": day(10),
        "Parent": day(10),
        "Child": day(6),
        "Leaf": None,
        "Other leaf": None,
        "Side": None,
    }


def study_days(run, now, deck, labels, days, seed):
    """`days` days of answers to random cards of `labels`, drills and lapses among them."""
    rng = random.Random(seed)
    for _ in range(days):
        for label in rng.sample(labels, 3):
            grade = rng.choices(range(6), (1, 1, 2, 3, 5, 3))[0]
            run("answer", label, str(grade), "--deck", deck)
            while grade < 4 and rng.random() < 0.6:
                grade = rng.choices(range(6), (1, 1, 1, 2, 4, 2))[0]
                run("answer", label, str(grade), "--deck", deck)
        now.advance(days=rng.choice((1, 1, 2, 3)))


LABELS = ("Root", "Parent", "Child", "Leaf", "Other leaf", "Side")


def test_the_statistics_leeches_and_fsrs_log_are_the_same_with_the_option_on(run, env, now, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    figures = {}
    start = now.value
    for name, on in (("Off", "off"), ("On", "on")):
        run("import", str(path), "--deck", name)
        run("options", "implicit_credit", on, "--deck", name)
        now.value = start
        study_days(run, now, name, LABELS, 60, seed=5)
        stats = json.loads(run("stats", "--json", "--deck", name))
        for row in (*stats["branches"]["rows"], stats["branches"]["total"]):
            del row["due"]  # the due days are what the option moves
        del stats["deck"], stats["forecast"], stats["branches"]["attention"]
        found = json.loads(run("leeches", "--json", "--deck", name))
        del found["deck"]
        with env.connection() as conn:
            deck = conn.execute(select(decks).where(decks.c.name == name)).one()
            log = [(r.day, r.grade) for r in history.reviews_in_order(conn, env.learner_id, deck)]
            kinds = set(conn.scalars(select(reviews.c.kind).where(reviews.c.deck_id == deck.id)))
        text = run("stats", "--deck", name)
        figures[name] = (stats, found, log, text[text.index("\nRetention") :].split("\n  branch")[0])
        assert kinds == ({"answer", "credit"} if on == "on" else {"answer"})
    assert figures["On"] == figures["Off"]
    assert figures["On"][0]["retention"]["reviews"] > 50


GAPS = (0, 0, 1, 1, 2, 4, 9)
"""Days between two answers of a generated history: most the same day or the next."""

CREDITED_PREFIX = [("Parent", 5, 0), ("Parent", 5, 1), ("Parent", 5, 6), ("Child", 4, 13)]
"""Parent learned to 17 days, then Child passed 13 days in: Parent is credited a day."""


def deck_rows(env, deck_id):
    """The deck's cards and its log, by id."""
    with env.connection() as conn:
        return tuple(
            tuple(
                tuple(row) for row in conn.execute(select(table).where(table.c.deck_id == deck_id).order_by(table.c.id))
            )
            for table in (cards, reviews)
        )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.lists(st.tuples(st.sampled_from(LABELS), st.integers(0, 5), st.sampled_from(GAPS)), max_size=40),
    data=st.data(),
)
def test_credits_replay_through_a_switch_to_fsrs_and_back(run, env, now, tmp_path, suffix, data):
    name = f"Deck {data.draw(st.uuids()).hex[:12]}"
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", name)
    run("options", "implicit_credit", "on", "--deck", name)
    for label, grade, gap in CREDITED_PREFIX + suffix:
        now.advance(days=gap)
        study.answer_node(env, name, label, grade)
    with env.connection() as conn:
        deck_id = conn.scalar(select(decks.c.id).where(decks.c.name == name))
    before = deck_rows(env, deck_id)
    credit_rows = [row for row in before[1] if row[column("kind")] == "credit"]
    assert credit_rows

    scheduler_service.switch(env, name, "fsrs")
    switched = deck_rows(env, deck_id)
    # Every credit is still in its place, its move the rule's on the schedule FSRS replayed.
    assert [row[column("id")] for row in switched[1] if row[column("kind")] == "credit"] == [
        row[column("id")] for row in credit_rows
    ]
    for row in switched[1]:
        if row[column("kind")] == "credit":
            replayed = Schedule(
                interval=row[column("interval_before")],
                due=row[column("due_before")],
                reviews=1,  # a credited card was reviewed before
                last_day=row[column("last_day_before")],
            )
            moved = (row[column("due_after")] - row[column("due_before")]).days
            assert moved == credit_days(replayed, -row[column("grade")], row[column("day")])

    scheduler_service.switch(env, name, "sm2")
    assert deck_rows(env, deck_id) == before


def column(name):
    return reviews.c.keys().index(name)

"""`srs fsrs optimize`, `srs fsrs parameters` and `srs evaluate` on a real log: a learner
simulated answering a few hundred cards over months, each answer recorded as the app records it."""

from __future__ import annotations

import json
import math
import random

import pytest
from click.testing import CliRunner
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import func, select, text

from srs.cli import cli
from srs.core.answer import SM2, Schedule, replay
from srs.core.fsrs import FsrsScheduler
from srs.storage.answers import record_answer
from srs.storage.tables import cards, decks, fsrs_parameters, nodes, reviews

CONCEPTS = 80


def outline(name: str, count: int) -> str:
    return f"- {name}: The top.\n" + "".join(f"  - {name} {i}: Definition {i}.\n" for i in range(count))


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(outline("Deck", CONCEPTS))
    run("import", str(path), "--deck", "Deck")
    return "Deck"


def simulate(env, now, deck: str, days: int = 60, new_per_day: int = 16, seed: int = 5) -> None:
    """A learner who studies the deck every day for `days` days: today's due cards (each put off
    a day now and then), then new ones. Whether a card is recalled follows a forgetting curve of
    its own (stability grows with each recall, shrinks with each lapse), so the log has the
    shape a real one has; a card forgotten is drilled once the same day, as the app asks."""
    rng = random.Random(seed)
    with env.connection() as conn:
        ids = list(
            conn.scalars(select(cards.c.id).join(decks, decks.c.id == cards.c.deck_id).where(decks.c.name == deck))
        )
    new, due, last, stability = list(ids), {}, {}, {}
    for _ in range(days):
        today = env.clock.today()
        todays = [card for card in ids if card in due and due[card] <= today and rng.random() > 0.15]
        todays += [new.pop(0) for _ in range(min(new_per_day, len(new)))]
        with env.connection(write=True) as conn:
            for card in todays:
                if card in last:
                    recalled = rng.random() < 0.9 ** ((today - last[card]).days / stability[card])
                    stability[card] *= rng.uniform(2.0, 3.5) if recalled else 0.3
                else:
                    recalled = rng.random() < 0.6
                    stability[card] = rng.uniform(1.5, 4.0) if recalled else 0.8
                grade = rng.choice((3, 4, 4, 5)) if recalled else rng.choice((0, 1, 2))
                given = record_answer(conn, card, grade, now(), today, scheduler=SM2)
                if grade < 3:
                    record_answer(conn, card, 4, now(), today, scheduler=SM2)  # a drill: FSRS learns from it
                due[card], last[card] = given.entry.after.due, today
        now.advance(days=1)


def fits(env) -> list[tuple]:
    with env.connection() as conn:
        return [tuple(row) for row in conn.execute(select(fsrs_parameters.c.weights, fsrs_parameters.c.reviews))]


def reviews_with_history(env) -> int:
    """Answers a day or more after their card's previous answer, a drill or not (the log has drills,
    each the same day as its card's previous answer, so never counted)."""
    with env.connection() as conn:
        assert conn.scalar(select(func.count()).where(reviews.c.drill.is_(True))) > 0
        rows = conn.execute(select(reviews.c.card_id, reviews.c.day).order_by(reviews.c.id)).all()
    last, count = {}, 0
    for card, day in rows:
        count += card in last and day > last[card]
        last[card] = day
    return count


def test_optimize_below_the_minimum_says_so_and_stores_nothing(run, env, now, deck):
    simulate(env, now, deck, days=3, new_per_day=10)
    have = reviews_with_history(env)
    assert 0 < have < 64
    out = run("fsrs", "optimize")
    assert out == (
        f"Not enough reviews to fit FSRS: {have} reviews of cards seen on an earlier day (every deck's log), "
        "64 needed. FSRS keeps the parameters it has; nothing was stored.\n"
    )
    assert json.loads(run("fsrs", "optimize", "--deck", "Deck", "--json")) == {
        "deck": "Deck",
        "reviews": have,
        "needed": 64,
        "stored": False,
        "weights": list(DEFAULT_PARAMETERS),
        "rescheduled": [],
        "moved": 0,
    }
    assert fits(env) == []
    assert json.loads(run("fsrs", "parameters", "--json")) == {
        "source": "defaults",
        "reviews": None,
        "fitted_at": None,
        "weights": list(DEFAULT_PARAMETERS),
    }


def test_optimize_stores_a_fit_that_the_next_fsrs_answer_uses(run, env, now, deck, tmp_path):
    simulate(env, now, deck)
    have = reviews_with_history(env)
    assert have > 6 * 64
    fitted = json.loads(run("fsrs", "optimize", "--json"))
    weights = fitted["weights"]
    assert fitted == {
        "deck": None,
        "reviews": have,
        "needed": 64,
        "stored": True,
        "weights": weights,
        "rescheduled": [],
        "moved": 0,
    }
    assert len(weights) == 21 and weights != list(DEFAULT_PARAMETERS)
    assert fits(env) == [(weights, have)]
    # The same log fits the same again, stored as the latest fit.
    assert run("fsrs", "optimize") == (
        f"Fitted FSRS's parameters to {have:,} reviews (every deck's log); FSRS decks use them from now on:\n"
        f"  {' '.join(f'{w:.4f}' for w in weights)}\n"
    )
    assert fits(env) == [(weights, have), (weights, have)]
    shown = json.loads(run("fsrs", "parameters", "--json"))
    assert shown == {"source": "fitted", "reviews": have, "fitted_at": now().isoformat(), "weights": weights}
    assert run("fsrs", "parameters") == (
        f"Fitted to {have:,} reviews on {now():%Y-%m-%d} 12:00 UTC (srs fsrs optimize):\n"
        f"  {' '.join(f'{w:.4f}' for w in weights)}\n"
    )

    # A deck switched to FSRS before its first answer schedules with the learner's fit.
    other = tmp_path / "other.md"
    other.write_text(outline("Other", 2))
    run("import", str(other), "--deck", "Other")
    with env.engine().begin() as conn:
        conn.execute(text("UPDATE decks SET scheduler = 'fsrs' WHERE name = 'Other'"))
    run("answer", "Other 0", "4", "--deck", "Other")
    with env.connection() as conn:
        stability, difficulty = conn.execute(
            select(cards.c.stability, cards.c.difficulty)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == "Other 0", cards.c.kind == "definition")
        ).one()
    expected = FsrsScheduler(0.9, weights).review(Schedule(), 4, env.clock.today())
    assert (stability, difficulty) == (expected.stability, expected.difficulty)
    assert stability != FsrsScheduler().review(Schedule(), 4, env.clock.today()).stability


def test_a_fit_replays_every_fsrs_deck_with_it_at_once(run, env, now, deck):
    simulate(env, now, deck)
    run("scheduler", "fsrs", "--deck", deck)

    def stored():
        with env.connection() as conn:
            return {
                row.id: row
                for row in conn.execute(
                    select(cards.c.id, cards.c.due, cards.c.stability, cards.c.difficulty).where(cards.c.reviews > 0)
                )
            }

    def replayed(scheduler):
        out = {}
        with env.connection() as conn:
            for card_id in stored():
                log = conn.execute(
                    select(reviews.c.day, reviews.c.grade).where(reviews.c.card_id == card_id).order_by(reviews.c.id)
                ).all()
                out[card_id] = replay([tuple(answer) for answer in log], scheduler)
        return out

    before = stored()
    assert all(
        (row.stability, row.difficulty) == (s.stability, s.difficulty)
        for row, s in zip(before.values(), replayed(FsrsScheduler()).values(), strict=True)
    )
    fitted = json.loads(run("fsrs", "optimize", "--json"))
    after, expected = stored(), replayed(FsrsScheduler(0.9, fitted["weights"]))
    assert {card_id: (row.due, row.stability, row.difficulty) for card_id, row in after.items()} == {
        card_id: (schedule.due, schedule.stability, schedule.difficulty) for card_id, schedule in expected.items()
    }
    moved = sum(after[card_id].due != before[card_id].due for card_id in after)
    assert moved > 0 and (fitted["rescheduled"], fitted["moved"]) == (["Deck"], moved)
    # The text says the same; a second fit of the same log moves nothing more.
    assert run("fsrs", "optimize").splitlines()[2:] == [
        "Replayed the log of 'Deck' with them: 0 cards now due on another day."
    ]


def test_optimize_reads_one_deck_alone_with_deck(run, env, now, deck, tmp_path):
    simulate(env, now, deck, days=10)
    other = tmp_path / "other.md"
    other.write_text(outline("Other", 3))
    run("import", str(other), "--deck", "Other")
    run("answer", "Other 0", "4", "--deck", "Other")
    now.advance(days=2)
    run("answer", "Other 0", "4", "--deck", "Other")
    assert json.loads(run("fsrs", "optimize", "--deck", "Other", "--json"))["reviews"] == 1
    assert fits(env) == []


def test_evaluate_scores_each_scheduler_the_same_way_twice(run, env, now, deck):
    simulate(env, now, deck)
    first = json.loads(run("evaluate", "--json"))
    assert set(first) == {"deck", "reviews", "folds", "folds_fitted", "needed", "sm2", "fsrs_defaults", "fsrs_fitted"}
    have = reviews_with_history(env)
    assert (first["deck"], first["folds"], first["needed"]) == (None, 5, 64)
    assert first["reviews"] == 5 * (have // 6)
    assert first["folds_fitted"] == 5  # the first fold learns from a sixth of the log: over 64 reviews
    for name in ("sm2", "fsrs_defaults", "fsrs_fitted"):
        assert set(first[name]) == {"log_loss", "rmse_bins"}
        assert math.isfinite(first[name]["log_loss"]) and first[name]["log_loss"] > 0
        assert 0 < first[name]["rmse_bins"] < 1
    assert json.loads(run("evaluate", "--json")) == first
    lines = run("evaluate").splitlines()
    assert lines[0] == (
        f"{first['reviews']:,} reviews predicted (every deck's log), in 5 folds, each from the reviews before it:"
    )
    assert lines[1] == "  scheduler         log loss  RMSE (bins)"
    assert lines[2:5] == [
        f"  {label:<16} {first[name]['log_loss']:>9.4f} {first[name]['rmse_bins']:>12.4f}"
        for label, name in (("SM-2", "sm2"), ("FSRS (defaults)", "fsrs_defaults"), ("FSRS (fitted)", "fsrs_fitted"))
    ]
    assert lines[5:] == ["Lower is better for both."]
    with env.connection() as conn:  # evaluating stores nothing
        assert conn.scalar(select(func.count()).select_from(fsrs_parameters)) == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("evaluate",), "Error: the log has 0 reviews of cards seen on an earlier day; evaluating needs at least 6\n"),
        (
            ("evaluate", "--deck", "Deck"),
            "Error: the log of deck 'Deck' has 0 reviews of cards seen on an earlier day; "
            "evaluating needs at least 6\n",
        ),
        (("evaluate", "--deck", "Dekc"), "Error: no deck named 'Dekc'; did you mean 'Deck'?\n"),
        (("fsrs", "optimize", "--deck", "Dekc"), "Error: no deck named 'Dekc'; did you mean 'Deck'?\n"),
    ],
)
def test_bad_input_gets_one_line_and_exit_code_2(env, deck, args, message):
    result = CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert fits(env) == []


def test_evaluate_needs_six_reviews_to_predict(run, env, now, deck):
    def study_a_week_later():
        now.advance(days=7)
        run("answer", "Deck 0", "4")
        run("answer", "Deck 1", "4")

    run("answer", "Deck 0", "4")
    run("answer", "Deck 1", "4")
    study_a_week_later()
    study_a_week_later()
    result = CliRunner().invoke(cli, ["evaluate"], obj=env, catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: the log has 4 reviews of cards seen on an earlier day; evaluating needs at least 6\n",
    )
    study_a_week_later()
    scores = json.loads(run("evaluate", "--json"))
    assert (scores["reviews"], scores["folds_fitted"], scores["fsrs_fitted"]) == (5, 0, None)
    assert run("evaluate").splitlines()[-1] == "FSRS (fitted) needs 64 reviews before a fold; no fold had as many."

"""`srs review --ahead / --extra-new / --cram`: the real command opens the real app (driven
headless here, as a learner at a terminal would), on SQLite and PostgreSQL, and what each session
brings and stores is read back from the database."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import srs.cli
from srs.cli import cli
from srs.storage.tables import cards, cram_answers, nodes, reviews
from srs.tui.app import SrsApp
from srs.tui.screens.study import StudyScreen

TODAY = date(2026, 11, 23)
DAY = timedelta(days=1)

OUTLINE = """\
- Root: The top.
  - A: The first.
  - B: The second.
  - C: The third.
  - D: The fourth.
  - E: The fifth.
  - F: The sixth.
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


@pytest.fixture
def answered_before(run, now, deck):
    """B overdue since T-2, A due today, E due T+2, C due T+4, D due T+5; F and Root new."""
    plan = {-3: ["B", "C"], -2: ["C", "D"], -5: ["E"], -4: ["E"], -1: ["A", "D"]}
    start = now.value
    for offset in sorted(plan):
        now.value = start + offset * DAY
        for label in plan[offset]:
            run("answer", label, "4")
    now.value = start
    return deck


class Learner:
    """Runs `srs review ...` as at a terminal: the app it opens is driven headless, each card
    shown is recorded (as (label, kind)) and answered with the grade `grade(label, kind, n)`
    gives for its n-th showing, until the session ends or `stop_after` answers, then `then` keys."""

    def __init__(self, env, monkeypatch) -> None:
        self.env = env
        self.shown: list[tuple[str, str]] = []
        self.headers: list[str] = []
        self.grade = lambda label, kind, n: 4
        self.stop_after: int | None = None
        self.then: tuple[str, ...] = ()
        monkeypatch.setattr(srs.cli, "_in_terminal", lambda: True)
        monkeypatch.setattr(SrsApp, "run", lambda app, *a, **k: asyncio.run(self._drive(app)))

    def review(self, *args: str) -> list[tuple[str, str]]:
        self.shown = []
        result = CliRunner().invoke(cli, ["review", *args, "--chunk", "50"], obj=self.env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return self.shown

    async def _drive(self, app: SrsApp) -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, StudyScreen) and app.screen.card is not None:
                if self.stop_after is not None and len(self.shown) == self.stop_after:
                    break
                screen = app.screen
                card = self._card(screen.card.id)
                self.headers.append(str(screen.query_one("#study-title").render()))
                self.shown.append(card)
                await pilot.press("space", str(self.grade(*card, self.shown.count(card))))
                await pilot.pause()
            await pilot.press(*self.then, "escape")
            await pilot.pause()

    def _card(self, card_id: int) -> tuple[str, str]:
        with self.env.connection() as conn:
            row = conn.execute(
                select(nodes.c.label, cards.c.kind)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .where(cards.c.id == card_id)
            ).one()
        return (row.label, row.kind)


@pytest.fixture
def learner(env, monkeypatch):
    return Learner(env, monkeypatch)


def schedule(env, label, kind="definition"):
    with env.connection() as conn:
        row = conn.execute(
            select(cards.c.easiness, cards.c.repetitions, cards.c.interval, cards.c.due, cards.c.reviews)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == kind)
        ).one()
    return tuple(row)


def card_rows(env):
    with env.connection() as conn:
        return [tuple(row) for row in conn.execute(select(cards).order_by(cards.c.id))]


def review_rows(env):
    with env.connection() as conn:
        return [tuple(row) for row in conn.execute(select(reviews).order_by(reviews.c.id))]


def cram_log(env):
    with env.connection() as conn:
        rows = conn.execute(
            select(nodes.c.label, cards.c.kind, cram_answers.c.day, cram_answers.c.grade)
            .join(cards, cards.c.id == cram_answers.c.card_id)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .order_by(cram_answers.c.id)
        ).all()
    return [tuple(row) for row in rows]


# -- ahead ----------------------------------------------------------------------------------------


def test_without_ahead_a_review_takes_todays_due_cards(learner, answered_before):
    assert learner.review() == [("B", "definition"), ("A", "definition")]


def test_ahead_takes_exactly_the_cards_due_within_the_days(learner, answered_before):
    assert learner.review("--ahead", "4") == [
        ("B", "definition"),  # overdue first
        ("A", "definition"),
        ("E", "definition"),  # due in 2 days
        ("C", "definition"),  # due in 4 days; D, due in 5, stays
    ]
    assert schedule(learner.env, "D") == (250, 2, 6, TODAY + 5 * DAY, 2)


def test_a_card_answered_ahead_is_scheduled_from_the_day_it_was_answered(learner, answered_before, run):
    assert schedule(learner.env, "C") == (250, 2, 6, TODAY + 4 * DAY, 2)
    learner.review("Root", "--ahead", "4")
    # SM-2's third interval, 6 x 2.5 = 15 days, counted from today rather than from the due day.
    assert schedule(learner.env, "C") == (250, 3, 15, TODAY + 15 * DAY, 3)
    assert json.loads(run("due", "--json"))["done"] == 4 + 3  # an ordinary review of today


def test_ahead_on_a_branch_brings_its_new_cards_after_the_due_ones(learner, answered_before):
    assert learner.review("Root", "--ahead", "2") == [
        ("B", "definition"),
        ("A", "definition"),
        ("E", "definition"),
        ("Root", "definition"),
        ("Root", "children"),
        ("F", "definition"),
    ]


# -- extra new ------------------------------------------------------------------------------------


def test_extra_new_introduces_exactly_n_more_new_cards_today_only(learner, deck, run, now):
    run("limits", "--new", "2")
    assert json.loads(run("due", "--json"))["new"] == 2
    assert learner.review("--extra-new", "3") == [
        ("Root", "definition"),
        ("Root", "children"),
        ("A", "definition"),
        ("B", "definition"),
        ("C", "definition"),
    ]
    assert [schedule(learner.env, label)[4] for label in "ABCDEF"] == [1, 1, 1, 0, 0, 0]
    assert json.loads(run("limits", "--json"))["new_per_day"] == 2
    assert json.loads(run("due", "--json"))["new"] == 0
    now.advance(days=1)
    assert json.loads(run("due", "--json"))["new"] == 2  # tomorrow is as before
    assert learner.review("Root") == [
        ("Root", "definition"),
        ("Root", "children"),
        ("A", "definition"),
        ("B", "definition"),
        ("C", "definition"),
        ("D", "definition"),
        ("E", "definition"),
    ]


def test_extra_new_after_the_limit_is_used_up_brings_n(learner, deck, run):
    run("limits", "--new", "2")
    assert learner.review("Root") == [("Root", "definition"), ("Root", "children")]
    assert learner.review("Root", "--extra-new", "2") == [("A", "definition"), ("B", "definition")]


# -- cram -----------------------------------------------------------------------------------------


def test_cram_takes_every_live_card_in_rank_order_and_leaves_every_card_row(learner, answered_before, run):
    before_cards, before_log = card_rows(learner.env), review_rows(learner.env)
    stats_before = run("stats", "--json")
    learner.grade = lambda label, kind, n: 2 if (label, n) == ("C", 1) else 5
    assert learner.review("Root", "--cram") == [
        ("Root", "definition"),
        ("Root", "children"),
        ("A", "definition"),
        ("B", "definition"),
        ("C", "definition"),
        ("D", "definition"),
        ("E", "definition"),
        ("F", "definition"),
        ("C", "definition"),  # answered 2: asked again three cards later, as in any session
    ]
    assert card_rows(learner.env) == before_cards
    assert review_rows(learner.env) == before_log
    assert run("stats", "--json") == stats_before
    assert cram_log(learner.env) == [
        ("Root", "definition", TODAY, 5),
        ("Root", "children", TODAY, 5),
        ("A", "definition", TODAY, 5),
        ("B", "definition", TODAY, 5),
        ("C", "definition", TODAY, 2),
        ("D", "definition", TODAY, 5),
        ("E", "definition", TODAY, 5),
        ("F", "definition", TODAY, 5),
        ("C", "definition", TODAY, 5),
    ]
    assert set(learner.headers) == {"Cram: Root"}


def test_cram_of_a_branch_takes_its_cards_alone(learner, run, tmp_path):
    path = tmp_path / "nested.md"
    path.write_text("- Top: t\n  - Left: l\n    - L1: a\n    - L2: b\n  - Right: r\n")
    run("import", str(path), "--deck", "Nested")
    assert learner.review("Left", "--deck", "Nested", "--cram") == [
        ("Left", "definition"),
        ("Left", "children"),
        ("L1", "definition"),
        ("L2", "definition"),
    ]


def test_undo_in_a_cram_session_removes_the_cram_answer(learner, answered_before):
    before_cards = card_rows(learner.env)
    learner.stop_after = 3
    learner.then = ("u",)
    assert learner.review("Root", "--cram") == [("Root", "definition"), ("Root", "children"), ("A", "definition")]
    assert cram_log(learner.env) == [("Root", "definition", TODAY, 4), ("Root", "children", TODAY, 4)]
    assert card_rows(learner.env) == before_cards


@pytest.mark.parametrize("extra", [["--ahead", "3"], ["--extra-new", "5"]])
def test_cram_goes_alone(env, deck, extra):
    result = CliRunner().invoke(cli, ["review", "--cram", *extra], obj=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: --cram takes every card already: it goes without --ahead and --extra-new"
    ]
    assert cram_log(env) == []


def test_ahead_and_extra_new_take_whole_numbers(env, deck):
    result = CliRunner().invoke(cli, ["review", "--ahead", "-1"], obj=env)
    assert result.exit_code == 2
    assert "Invalid value for '--ahead'" in result.stderr


def test_extra_new_adds_to_what_the_limit_still_leaves(learner, deck, run):
    run("limits", "--new", "4")
    run("answer", "A", "4")  # one of today's four new cards
    assert learner.review("Root", "--extra-new", "2") == [
        ("Root", "definition"),
        ("Root", "children"),
        ("B", "definition"),
        ("C", "definition"),
        ("D", "definition"),
    ]

"""Studying beyond the day's plan in the app: the nothing-due screen's `a`, `x` and `c`, the
command palette's study commands, and a cram session's screen (no intervals on the grade keys)."""

from __future__ import annotations

import re

from app_support import DECK
from sqlalchemy import select
from textual.command import CommandList, CommandPalette

from srs.core.queue import Beyond
from srs.storage import answers, decks, queue
from srs.storage.tables import cards, cram_answers, nodes
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.nothing_due import NothingDueScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.widgets.concept_tree import ConceptTree


def finish_branch(env, *labels: str) -> None:
    """Answer every card of the nodes 5 today: nothing left of them today, all due tomorrow."""
    for label in labels:
        with env.connection(write=True) as conn:
            node_id = conn.scalar(select(nodes.c.id).where(nodes.c.label == label))
            for card in queue.node_cards(conn, decks.get_node(conn, node_id, env.learner_id)):
                answers.record_answer(conn, card.id, 5, env.clock.now(), env.clock.today(), 1000)


def session_terms(env, app) -> list[str]:
    """The terms of the session's cards, in its order."""
    with env.connection() as conn:
        term = {card.id: node.label for card, node in queue.cards_with_nodes(conn, app.screen.queue.cards)}
    return [term[card_id] for card_id in app.screen.queue.cards]


async def until(pilot, condition) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)


async def palette_choose(pilot, text: str) -> list[str]:
    """Open the command palette, type `text`, and choose the first command listed; the
    commands it listed."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*["space" if c == " " else c for c in text])
    command_list = pilot.app.screen.query_one(CommandList)
    await until(pilot, lambda: command_list.option_count > 0)
    await pilot.pause(0.2)
    shown = [command_list.get_option_at_index(i).prompt.plain.split("\n")[0] for i in range(command_list.option_count)]
    await pilot.press("enter")
    await pilot.pause()
    return shown


async def test_a_finished_branch_offers_the_cards_due_within_a_week_and_a_cram(env, make_app, look):
    finish_branch(env, "Data Scaling", "Data Quality")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        assert look.words(app, "#nothing-beyond") == (
            "Beyond today's plan: a the 2 cards due within 7 days c cram all 2 cards: answers move no schedule"
        )
        footer = look.words(app, "Footer")
        assert "a Ahead 7 days" in footer and "c Cram" in footer and "extra new" not in footer
        await pilot.press("x")  # no new card held back: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.scope.beyond == Beyond(ahead=7)
        assert session_terms(env, app) == ["Data Scaling", "Data Quality"]
        assert "Study: Data Scaling" in look.screen(app)


async def test_c_crams_the_branch_with_no_intervals_on_the_grade_keys(env, make_app, look):
    finish_branch(env, "Data Scaling", "Data Quality")
    with env.connection() as conn:
        before = conn.execute(select(cards).order_by(cards.c.id)).all()
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert session_terms(env, app) == ["Data Scaling", "Data Quality"]
        await pilot.press("space")
        await pilot.pause()
        text = look.screen(app)
        assert "Cram: Data Scaling" in text and "cram: the schedule stays as it is" in text
        grades = look.words(app, "#grades")
        assert grades.startswith("0 blackout") and not re.search(r"\d d\b|today", grades)
        await pilot.press("4")
        await pilot.pause()
    with env.connection() as conn:
        assert conn.execute(select(cards).order_by(cards.c.id)).all() == before
        assert [tuple(r) for r in conn.execute(select(cram_answers.c.grade, cram_answers.c.day))] == [
            (4, env.clock.today())
        ]


async def test_an_ordinary_session_keeps_its_intervals_on_the_grade_keys(make_app, look):
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert re.search(r"\d d\b", look.words(app, "#grades"))


async def test_x_brings_ten_new_cards_past_a_used_up_limit(env, make_app, look):
    with env.connection(write=True) as conn:
        decks.set_limits(conn, decks.find_deck(conn, DECK, env.learner_id), new_per_day=0)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        assert look.words(app, "#nothing-beyond") == (
            "Beyond today's plan: x 10 extra new cards, past today's limit "
            "c cram all 16 cards: answers move no schedule"
        )
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert len(app.screen.queue.cards) == 10
        assert "0 / 10" in look.screen(app)
    with env.connection() as conn:
        assert decks.find_deck(conn, DECK, env.learner_id).new_per_day == 0


async def test_the_palette_crams_the_highlighted_branch(env, make_app, look):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        assert app.screen.query_one(ConceptTree).current.label == "Data Scaling"
        shown = await palette_choose(pilot, "cram")
        assert shown[0] == "Cram: Data Scaling"
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.scope.cram and app.screen.scope.title == "Data Scaling"
        assert session_terms(env, app) == ["Data Scaling", "Data Quality"]


async def test_the_palette_lists_the_three_sessions_beyond_the_plan(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = await palette_choose(pilot, "scaling hypothesis")
        assert shown[:3] == [
            "Study ahead: Scaling Hypothesis",
            "Extra new cards: Scaling Hypothesis",
            "Cram: Scaling Hypothesis",
        ]


async def test_the_palette_on_the_nothing_due_screen_studies_ahead(env, make_app, look):
    finish_branch(env, "Data Scaling", "Data Quality")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        shown = await palette_choose(pilot, "study ahead")
        assert shown[0] == "Study ahead: Data Scaling"
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.scope.beyond == Beyond(ahead=7)
        assert len(app.screen.queue.cards) == 2
        await pilot.press("escape")  # nothing answered: back to the map
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

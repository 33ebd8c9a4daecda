"""Reflecting on a branch in the app: the question under a branch card's answer
(`socratic_prompts`), the line for the branch's journal at the end of a session on it
(`journal`), and the journal's latest entries in the map's detail pane."""

from __future__ import annotations

from app_support import answer_on
from sqlalchemy import select
from textual.widgets import Input

from srs.service import journal as journal_service
from srs.service import options as options_service
from srs.storage.tables import journal, nodes
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.screens.summary import SummaryScreen

DECK = "Scaling Hypothesis"


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def type_line(pilot, line: str) -> None:
    await press(pilot, *("space" if c == " " else c for c in line))


def stored(env) -> list[tuple[str, str, str]]:
    """(node label, day, text) of every journal row, oldest first."""
    with env.connection() as conn:
        return [
            (label, day.isoformat(), text)
            for label, day, text in conn.execute(
                select(nodes.c.label, journal.c.day, journal.c.text)
                .join(nodes, nodes.c.id == journal.c.node_id)
                .order_by(journal.c.id)
            )
        ]


def shown(app) -> tuple[str, str]:
    assert isinstance(app.screen, StudyScreen), app.screen
    return app.screen.card.content.term, app.screen.card.content.kind


# -- the Socratic prompts ------------------------------------------------------------------------


async def test_a_branch_card_asks_a_question_after_its_answer_and_a_leaf_card_none(make_app, env, timer, look):
    options_service.set_option(env, DECK, "socratic_prompts", True)
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Data Scaling", "definition")
        assert "Think:" not in look.screen(app)  # not before the answer shows
        await press(pilot, "space")
        assert "Think: What does Data Scaling represent, in your own words, beyond its definition?" in (
            look.words(app, "#card")
        )
        timer.advance(2)
        await press(pilot, "4")
        assert shown(app) == ("Data Quality", "definition")  # a leaf
        await press(pilot, "space")
        assert "Think:" not in look.screen(app)


async def test_the_next_review_of_the_card_asks_the_next_question(make_app, env, look):
    options_service.set_option(env, DECK, "socratic_prompts", True)
    answer_on(env, "Data Scaling", "2026-11-22", 4)  # one review: due again today
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Data Scaling", "definition")
        await press(pilot, "space")
        assert "Think: Why does Data Scaling matter for Scaling Hypothesis as a whole?" in look.words(app, "#card")


async def test_with_the_option_off_no_card_asks(make_app, look):
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Data Scaling", "definition")
        await press(pilot, "space")
        assert "Data Quality" in look.words(app, "#card")  # the back is shown
        assert "Think:" not in look.screen(app)


# -- the journal at the end of a branch session --------------------------------------------------


async def finish_session(pilot, app, timer) -> None:
    while isinstance(app.screen, StudyScreen):
        timer.advance(2)
        await press(pilot, "space", "4")


async def test_the_end_of_a_branch_session_keeps_exactly_the_line_typed(make_app, env, timer, look):
    options_service.set_option(env, DECK, "journal", True)
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await finish_session(pilot, app, timer)
        assert isinstance(app.screen, SummaryScreen)
        assert "What did this branch teach you?" in look.screen(app)
        assert isinstance(app.focused, Input)
        await type_line(pilot, "quality beats quantity u q")  # u and q type: no undo, no quit
        assert isinstance(app.screen, SummaryScreen)
        assert stored(env) == []
        await press(pilot, "enter")
        assert stored(env) == [("Data Scaling", "2026-11-23", "quality beats quantity u q")]
        assert "Kept in the journal: quality beats quantity u q" in look.screen(app)
        assert len(app.screen.query(Input)) == 0
        await press(pilot, "u")  # the summary's own keys again: back to the last card
        assert shown(app) == ("Data Quality", "definition")
        timer.advance(2)
        await press(pilot, "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        assert "What did this branch teach you?" not in look.screen(app)  # kept once, not asked again
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert stored(env) == [("Data Scaling", "2026-11-23", "quality beats quantity u q")]


async def test_escape_or_an_empty_line_skips_the_journal_and_stores_nothing(make_app, env, timer, look):
    options_service.set_option(env, DECK, "journal", True)
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await finish_session(pilot, app, timer)
        await type_line(pilot, "half a thought")
        await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)  # escape skipped the line, not the summary
        assert "What did this branch teach you? Skipped." in look.words(app, "#summary-box")
        assert stored(env) == []
        await press(pilot, "u")  # the summary's keys are back: the last answer is taken back
        assert shown(app) == ("Data Quality", "definition")
        timer.advance(2)
        await press(pilot, "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        assert isinstance(app.focused, Input)  # nothing kept yet: asked again
        await press(pilot, "space", "space", "enter")
        assert "Skipped." in look.screen(app)
        assert stored(env) == []


async def test_a_session_of_the_whole_deck_or_with_the_option_off_asks_nothing(make_app, env, timer, look):
    app = make_app(branch="Data Scaling", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await finish_session(pilot, app, timer)
        assert isinstance(app.screen, SummaryScreen)
        assert "What did this branch teach you?" not in look.screen(app)
        assert len(app.screen.query(Input)) == 0
    options_service.set_option(env, DECK, "journal", True)
    app = make_app(review=True, chunk_size=2)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        timer.advance(2)
        await press(pilot, "space", "4", "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "What did this branch teach you?" not in look.screen(app)
    assert stored(env) == []


# -- the detail pane -----------------------------------------------------------------------------


async def test_the_detail_pane_shows_a_branchs_latest_entries_with_their_days(make_app, env, clock, look):
    for line in ("first", "second", "third", "fourth \x1b[31m red"):
        journal_service.add(env, DECK, "Data Scaling", line)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "Journal" not in look.words(app, "#detail")  # the root has none
        await press(pilot, "down", "down")
        text = look.words(app, "#detail")
        assert "Journal 2026-11-23 fourth ␛[31m red 2026-11-23 third 2026-11-23 second Schedule" in text
        assert "first" not in text

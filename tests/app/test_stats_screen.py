"""The statistics screen: `s` from the map opens it on the deck, `escape` goes back, and it shows
the same figures as `srs stats`.

The studied deck's log (see conftest.py): Chinchilla answered on 1, 2 and 8 October and on
25 October (intervals 1, 6, 17 before the last three), Data Quality on 10 and 11 November,
Kaplan Laws on 21 and 22 November, GPU Usage on 22 November; four seconds an answer.
"""

from __future__ import annotations

from app_support import Look
from textual.widgets import DataTable, Sparkline

from srs.tui.app import SrsApp
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.stats import StatsScreen


async def shown(pilot, selector: str) -> str:
    """The words of a panel, scrolled into view first, as `Look.words` reads them."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await pilot.pause()
    return Look.words(pilot.app, selector)


async def test_s_opens_the_statistics_and_escape_goes_back(studied_env, make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        text = look.screen(app)
        assert "Scaling Hypothesis · statistics" in text.splitlines()[0]
        assert "Mon 23 Nov · streak 2 days" in text.splitlines()[0]
        assert "answers 6 on 5 days, 0 drills" in look.words(app, "#activity-panel")
        assert "time 24s, 4.0 s a card" in look.words(app, "#activity-panel")
        assert "Sun 25 Oct Mon 23 Nov" in look.words(app, "#activity-panel")
        assert "due 4 cards, 1 overdue" in look.words(app, "#forecast-panel")
        assert "9 answers on 8 days" in look.words(app, "#year-panel")

        # The plots hold one value a day: answers on 25 Oct, 10, 11, 21 Nov and two on 22 Nov;
        # due today (one of them overdue), on 28 Nov (Kaplan Laws) and 12 Dec (Chinchilla).
        answers = app.screen.query_one("#answers-line", Sparkline).data
        assert {i: n for i, n in enumerate(answers) if n} == {0: 1, 16: 1, 17: 1, 27: 1, 28: 2}
        assert app.screen.query_one("#time-line", Sparkline).data == [n * 4000 for n in answers]
        forecast = app.screen.query_one("#forecast-line", Sparkline).data
        assert len(forecast) == 30 and {i: n for i, n in enumerate(forecast) if n} == {0: 2, 5: 1, 19: 1}

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_retention_spreads_and_branches(studied_env, make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        retention = await shown(pilot, "#retention-panel")
        assert "all reviews 5/5 100.0%" in retention
        assert "1 day 3/3 100.0%" in retention and "2–7 days 1/1 100.0%" in retention
        assert "8–21 days 1/1 100.0%" in retention and "over 21 days 0/0 —" in retention
        assert "2.30–2.49 1" in await shown(pilot, "#easiness-panel")
        assert "6–10 days 2" in await shown(pilot, "#intervals-panel")

        table = app.screen.query_one("#branch-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["Computational S…", "8", "7", "1", "0", "0", "0%", "1", "0"],
            ["Data Scaling", "2", "1", "0", "1", "0", "14%", "1", "0"],
            ["Scaling Laws", "4", "2", "0", "1", "1", "43%", "0", "0"],
            ["all of Scaling …", "16", "12", "1", "2", "1", "13%", "2", "0"],
        ]
        assert "Needs attention: Data Scaling — 1 due and 0 lapses over 2 cards, mastery 14%" in await shown(
            pilot, "#branches-panel"
        )


async def test_a_deck_never_studied_shows_zeros(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "answers 0 on 0 days, 0 drills" in look.words(app, "#activity-panel")
        assert "time 0s" in look.words(app, "#activity-panel")
        assert "due 0 cards" in look.words(app, "#forecast-panel")
        assert "all reviews 0/0 —" in await shown(pilot, "#retention-panel")
        assert "none of these branches has been studied yet" in await shown(pilot, "#branches-panel")


async def test_no_statistics_without_a_deck(empty_env, timer):
    app = SrsApp(empty_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "No decks yet" in Look.words(app, "#detail")

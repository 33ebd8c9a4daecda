"""What the app looks like at 80x24: the map, a card's front and back, a session's summary and
the statistics.

The SVGs in __snapshots__/ are the accepted screens; after a deliberate change to the look,
regenerate them with `pytest tests/app/test_snapshots.py --snapshot-update` and look at them.
"""

from __future__ import annotations

from srs.tui.screens.pause import ChunkPauseScreen

SIZE = (80, 24)


def test_home_with_a_studied_deck(studied_env, make_app, snap_compare):
    """The map with every top branch open: grey new, red learning, yellow young, green mature."""
    opening = ["down", "right", "down", "down", "down", "right", "down", "down", "right"]
    assert snap_compare(make_app(), press=opening, terminal_size=SIZE)


def test_card_front(make_app, snap_compare):
    assert snap_compare(make_app(branch="Distributed Training", review=True, chunk_size=3), terminal_size=SIZE)


def test_card_back(make_app, snap_compare):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    assert snap_compare(app, press=["space"], terminal_size=SIZE)


def test_summary(make_app, timer, snap_compare):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)

    async def study(pilot) -> None:
        for seconds, grade in [(5, 4), (3, 2), (2.5, 5), (1.5, 4), (4, 3), (2, 5), (1, 4)]:
            timer.advance(seconds)
            await pilot.press("space", str(grade))
            await pilot.pause()
            if isinstance(pilot.app.screen, ChunkPauseScreen):
                await pilot.press("enter")
                await pilot.pause()

    assert snap_compare(app, run_before=study, terminal_size=SIZE)


def test_statistics(studied_env, make_app, snap_compare):
    """Answers and time over 30 days, the forecast and the year, as `s` opens them from the map."""
    assert snap_compare(make_app(), press=["s"], terminal_size=SIZE)

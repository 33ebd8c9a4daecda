"""What the app looks like at 80x24: the map, a card's front and back (also under FSRS), a
session's summary and the statistics; and a leech's card on a wide terminal.

The SVGs in __snapshots__/ are the accepted screens; after a deliberate change to the look,
regenerate them with `pytest tests/app/test_snapshots.py --snapshot-update` and look at them.
"""

from __future__ import annotations

from app_support import answer_on, import_deck
from sqlalchemy import update

from srs.storage.tables import decks
from srs.tui.screens.pause import ChunkPauseScreen

SIZE = (80, 24)


async def lint_read(pilot) -> None:
    """Wait for the deck's lint, read beside the app, so that the detail pane shows its lines."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home_with_a_studied_deck(studied_env, make_app, snap_compare):
    """The map with every top branch open: grey new, red learning, yellow young, green mature;
    the highlighted node's lint findings on its detail pane."""
    opening = ["down", "right", "down", "down", "down", "right", "down", "down", "right"]
    assert snap_compare(make_app(), press=opening, terminal_size=SIZE, run_before=lint_read)


def test_card_front(make_app, snap_compare):
    assert snap_compare(make_app(branch="Distributed Training", review=True, chunk_size=3), terminal_size=SIZE)


def test_card_back(make_app, snap_compare):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    assert snap_compare(app, press=["space"], terminal_size=SIZE)


def test_leech_card_back_on_a_wide_terminal(env, make_app, tmp_path, snap_compare):
    """The card keeps 100 columns, centred; a leech says so at its top right; of nine siblings
    the five closest show, and how many more there are."""
    trees = ["Oak", "Elm", "Ash", "Fir", "Yew", "Pine", "Birch", "Cedar", "Maple", "Willow"]
    path = tmp_path / "trees.md"
    path.write_text("- Trees: Woody plants.\n" + "".join(f"  - {name}: A kind of tree.\n" for name in trees))
    import_deck(env, path)
    for day in range(15, 23):
        answer_on(env, "Birch", f"2026-11-{day}", 1)
    app = make_app(deck="Trees", branch="Birch", review=True)
    assert snap_compare(app, press=["space"], terminal_size=(140, 30))


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


def test_card_back_under_fsrs(env, make_app, snap_compare):
    """A card of a deck that follows FSRS: its stability, difficulty and recall today at the
    card's bottom right."""
    with env.connection(write=True) as conn:
        conn.execute(update(decks).values(scheduler="fsrs"))
    for day, grade in (("2026-11-10", 4), ("2026-11-13", 3)):
        answer_on(env, "Scaling Hypothesis", day, grade)
    app = make_app(branch="Scaling Hypothesis", review=True, chunk_size=3)
    assert snap_compare(app, press=["space"], terminal_size=SIZE)

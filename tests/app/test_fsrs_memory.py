"""A deck that follows FSRS in the app: the detail pane and the study screen's card show each
card's stability, difficulty and recall today, the grade keys the intervals FSRS gives, and the
statistics FSRS's figures instead of the easiness; an SM-2 deck's look is the snapshots'
(tests/app/test_snapshots.py)."""

from __future__ import annotations

from datetime import date

from app_support import DECK, NOW, Look, answer_on
from sqlalchemy import update

from srs.core.answer import Schedule, answer, days_to_next
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.stats import DIFFICULTY_BUCKETS, STABILITY_BUCKETS
from srs.core.text import days_text, plural
from srs.storage.tables import decks
from srs.tui.screens.stats import StatsScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.text import day_name

TODAY = NOW.date()
ROOT_ANSWERS = (("2026-11-10", 4), ("2026-11-13", 3))
"""The root's definition card, answered on two past days: overdue today under FSRS."""


async def shown(pilot, selector: str) -> str:
    """The words of a panel, scrolled into view first."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await pilot.pause()
    return Look.words(pilot.app, selector)


def follow_fsrs(env) -> None:
    """Set the deck to FSRS before any answer, so its answers follow FSRS."""
    with env.connection(write=True) as conn:
        conn.execute(update(decks).where(decks.c.name == DECK).values(scheduler="fsrs"))


def root_schedule() -> Schedule:
    """The root's definition card after ROOT_ANSWERS, as the core's FSRS schedules it."""
    schedule = Schedule()
    for day, grade in ROOT_ANSWERS:
        schedule, _ = answer(schedule, grade, date.fromisoformat(day), FsrsScheduler())
    return schedule


def studied(env) -> Schedule:
    follow_fsrs(env)
    for day, grade in ROOT_ANSWERS:
        answer_on(env, DECK, day, grade)
    return root_schedule()


def figures(schedule: Schedule) -> str:
    recall = retrievability(schedule, TODAY, FsrsScheduler())
    return f"stability {schedule.stability:.1f} d · difficulty {schedule.difficulty:.1f} · recall {recall:.0%}"


async def test_the_detail_pane_shows_fsrs_figures_instead_of_the_easiness(env, make_app, look):
    schedule = studied(env)
    assert schedule.due is not None and schedule.due < TODAY  # overdue: recall below 90%
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = look.words(app, "#detail")  # the root, highlighted first
        line = (
            f"definition card · young · {figures(schedule)} · {plural(schedule.interval, 'day')}"
            f" · due {day_name(schedule.due, TODAY)} ({schedule.due.isoformat()}) · 2 reviews, 0 lapses"
            " · last answers 3 4"
        )
        assert line in text, text
        assert "EF " not in text
        assert "children card · new" in text


async def test_the_study_card_shows_its_memory_and_the_grades_fsrs_intervals(env, make_app, look):
    schedule = studied(env)
    app = make_app(branch=DECK, review=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen) and app.screen.card.content.term == DECK
        assert figures(schedule) in look.screen(app)  # on the card's bottom border
        await pilot.press("space")
        await pilot.pause()
        preview = days_to_next(schedule, TODAY, FsrsScheduler())
        assert preview[4] > 1 and preview[4] != preview[5]  # FSRS's days, not SM-2's 1-6-EF steps
        grades = look.words(app, "#grades")
        for grade, meaning in ((3, "right, with difficulty"), (4, "right, after a pause"), (5, "perfect")):
            assert f"{grade} {meaning} {days_text(preview[grade])}" in grades, grades
        assert "0 blackout today" in grades


async def test_a_new_card_under_fsrs_has_no_figures_yet(env, make_app, look):
    follow_fsrs(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert "stability" not in look.screen(app)
        await pilot.press("space")
        await pilot.pause()
        preview = days_to_next(Schedule(), TODAY, FsrsScheduler())
        assert f"5 perfect {days_text(preview[5])}" in look.words(app, "#grades")


def bucket_of(value: float, buckets) -> str:
    """The label of the bucket holding `value`: from its low up to, not including, its high."""
    return next(label for label, low, high in buckets if value >= low and (high is None or value < high))


async def test_the_statistics_of_an_fsrs_deck_show_stability_difficulty_and_recall(env, make_app, look):
    schedule = studied(env)
    recall = retrievability(schedule, TODAY, FsrsScheduler())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        panel = app.screen.query_one("#easiness-panel")
        assert panel.border_title == "Stability"
        assert f"{bucket_of(schedule.stability, STABILITY_BUCKETS)} 1" in await shown(pilot, "#easiness-panel")
        assert f"{bucket_of(schedule.difficulty, DIFFICULTY_BUCKETS)} 1" in await shown(pilot, "#difficulty-panel")
        assert f"{recall:.1%} on average over 1 reviewed card" in await shown(pilot, "#recall-panel")
        assert "2.50–2.69" not in look.words(app, "#easiness-panel")

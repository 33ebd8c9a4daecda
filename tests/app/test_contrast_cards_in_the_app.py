"""Contrast cards in the terminal app, driven headless: two sibling lapses in a session make one
and the message line says so, `c` after a lapse marks a confusion with a sibling, and a pair
card's back shows its two nodes side by side on a wide terminal, one after the other at 80."""

from __future__ import annotations

from sqlalchemy import select

from srs.service import options as options_service
from srs.service import study as study_service
from srs.storage.tables import cards, nodes
from srs.tui.screens.confused import ConfusedDialog
from srs.tui.screens.study import StudyScreen

DECK = "Scaling Hypothesis"


def contrasts(env) -> list[tuple[str, str]]:
    first, second = nodes.alias("first"), nodes.alias("second")
    with env.connection() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(first.c.label, second.c.label)
                .select_from(cards)
                .join(first, first.c.id == cards.c.node_id)
                .join(second, second.c.id == cards.c.partner_id)
                .where(cards.c.kind == "contrast", cards.c.retired.is_(False))
                .order_by(cards.c.id)
            )
        ]


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def answer_until(pilot, app, timer, grades: dict[str, int], stop: str) -> None:
    """Answer the session's cards (4 unless `grades` says otherwise for a term) until `stop`'s
    card is answered."""
    while isinstance(app.screen, StudyScreen):
        term = app.screen.card.content.term
        timer.advance(2)
        await pilot.press("space", str(grades.get(term, 4)))
        await pilot.pause()
        if term == stop:
            return
    raise AssertionError(f"{stop} never came")


async def test_two_sibling_lapses_in_a_session_make_a_contrast_card(make_app, env, timer):
    from app_support import answer_on

    options_service.set_option(env, DECK, "contrast_cards", True)
    answer_on(env, "Data Parallelism", "2026-11-22", 4)
    answer_on(env, "Model Parallelism", "2026-11-22", 4)  # both due today
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await answer_until(pilot, app, timer, {"Data Parallelism": 1, "Model Parallelism": 2}, "Model Parallelism")
        assert contrasts(env) == [("Data Parallelism", "Model Parallelism")]
        assert "New contrast card: how does Model Parallelism differ from Data Parallelism?" in messages(app)
        assert "Model Parallelism lapsed: c marks it as confused with a sibling" in messages(app)


async def test_c_after_a_lapse_picks_the_sibling_it_was_confused_with(make_app, env, timer):
    options_service.set_option(env, DECK, "contrast_cards", True)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")  # nothing lapsed yet
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await answer_until(pilot, app, timer, {"Data Parallelism": 1}, "Data Parallelism")
        assert contrasts(env) == []
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfusedDialog)
        assert [label for _id, label in dialog.choices] == ["Model Parallelism", "Pipeline Parallelism"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert contrasts(env) == [("Data Parallelism", "Pipeline Parallelism")]
        assert "New contrast card: how does Data Parallelism differ from Pipeline Parallelism?" in messages(app)


async def test_without_contrast_cards_c_does_nothing(make_app, env, timer):
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await answer_until(pilot, app, timer, {"Data Parallelism": 1, "Model Parallelism": 1}, "Model Parallelism")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert contrasts(env) == []


def _made_contrast(env) -> None:
    options_service.set_option(env, DECK, "contrast_cards", True)
    study_service.answer_node(env, DECK, "Data Parallelism", 1, confused_with="Model Parallelism")


async def test_a_contrast_card_shows_its_two_nodes_side_by_side_where_the_width_allows(make_app, env, look):
    _made_contrast(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while app.screen.card.content.kind != "contrast":
            await pilot.press("space", "4")
            await pilot.pause()
        screen = look.screen(app)
        assert "Computational Scaling › Distributed Training" in screen
        assert "How does Data Parallelism differ from Model Parallelism?" in screen
        await pilot.press("space")
        await pilot.pause()
        rows = look.screen(app).splitlines()
        assert any("Data Parallelism" in row and "Model Parallelism" in row and "How" not in row for row in rows)


async def test_at_80_columns_a_contrast_cards_nodes_come_one_after_the_other(make_app, env, look):
    _made_contrast(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        while app.screen.card.content.kind != "contrast":
            await pilot.press("space", "4")
            await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        rows = [row.strip(" │") for row in look.screen(app).splitlines()]
        first = rows.index("Data Parallelism")
        assert "Model Parallelism" in rows[first + 1 :]

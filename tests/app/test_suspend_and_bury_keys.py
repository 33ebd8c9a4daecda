"""Suspending (`@`) and burying (`-`) in a study session, driven through the real app: the cards
leave the session and the queues, and `u` takes back the session's last step, whatever it was,
leaving every card row as it was before it."""

from __future__ import annotations

from datetime import date, datetime, timezone

import dateutil.tz
from sqlalchemy import select

from srs.core.day import Clock
from srs.env import Env
from srs.service import study as study_service
from srs.storage.tables import cards, nodes
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.pause import ChunkPauseScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.screens.summary import SummaryScreen

TODAY = date(2026, 11, 23)


def card_rows(env) -> dict[tuple[str, str], dict]:
    """Every card row, whole, by (node label, kind)."""
    with env.connection() as conn:
        rows = conn.execute(select(nodes.c.label, cards).join(nodes, nodes.c.id == cards.c.node_id)).all()
    # Less the stamp of the card's last suspend or unsuspend, which every change moves on (a sync
    # takes the later of two devices' changes): the row is otherwise exactly as it was.
    return {
        (row.label, row.kind): {k: v for k, v in row._mapping.items() if k not in ("label", "suspended_at")}
        for row in rows
    }


def marks(env) -> dict[tuple[str, str], tuple[bool, date | None]]:
    """(suspended, buried_on) of the cards that have either."""
    return {
        key: (row["suspended"], row["buried_on"])
        for key, row in card_rows(env).items()
        if row["suspended"] or row["buried_on"] is not None
    }


def shown(app) -> tuple[str, str]:
    screen = app.screen
    assert isinstance(screen, StudyScreen), screen
    return screen.card.content.term, screen.card.content.kind


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def test_at_suspends_the_card_shown_and_u_takes_it_back(make_app, env, look):
    before = card_rows(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Distributed Training", "definition")
        assert "0 / 5" in look.screen(app)

        await press(pilot, "@")
        assert shown(app) == ("Distributed Training", "children")
        assert "0 / 4" in look.screen(app)
        assert marks(env) == {("Distributed Training", "definition"): (True, None)}
        assert look.reviews() == []

        await press(pilot, "u")
        assert shown(app) == ("Distributed Training", "definition")
        assert "0 / 5" in look.screen(app)
        assert card_rows(env) == before


async def test_minus_buries_the_nodes_cards_which_leave_the_session_until_tomorrow(make_app, env, look, clock):
    before = card_rows(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "space", "-")
        # both cards of the node leave the session: the next is the first child's
        assert shown(app) == ("Data Parallelism", "definition")
        assert "0 / 3" in look.screen(app)
        assert marks(env) == {
            ("Distributed Training", "definition"): (False, TODAY),
            ("Distributed Training", "children"): (False, TODAY),
        }
        scope = app.screen.scope
        assert study_service.session_cards(env, scope) == [
            card_rows(env)[(label, "definition")]["id"]
            for label in ("Data Parallelism", "Model Parallelism", "Pipeline Parallelism")
        ]
        # the next learner's day they are back, their schedules as they were
        tomorrow = Clock(now=lambda: datetime(2026, 11, 24, 12, tzinfo=timezone.utc), tz=dateutil.tz.UTC)
        later = Env(env.url, tomorrow, seed_bundled=False)
        try:
            assert len(study_service.session_cards(later, scope)) == 5
        finally:
            later.close()

        await press(pilot, "u")
        assert shown(app) == ("Distributed Training", "definition")
        assert "0 / 5" in look.screen(app)
        assert card_rows(env) == before

        # buried, then the session ended: the map counts without them
        await press(pilot, "-", "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "Set aside" in look.screen(app) and "2 cards buried until tomorrow" in look.screen(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "due 0 · new 14 · done 0" in look.screen(app)


async def test_u_takes_back_the_sessions_steps_one_by_one_whatever_they_were(make_app, env, timer, look):
    fresh = card_rows(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timer.advance(2)
        await press(pilot, "space", "4")  # Distributed Training, definition: answered
        answered = card_rows(env)
        await press(pilot, "@")  # its children card: suspended
        suspended = card_rows(env)
        assert shown(app) == ("Data Parallelism", "definition")
        await press(pilot, "space", "2")  # Data Parallelism: a lapse, back later as a drill
        lapsed = card_rows(env)
        assert shown(app) == ("Model Parallelism", "definition")
        await press(pilot, "-")  # Model Parallelism: buried
        assert shown(app) == ("Pipeline Parallelism", "definition")
        assert marks(env) == {
            ("Distributed Training", "children"): (True, None),
            ("Model Parallelism", "definition"): (False, TODAY),
        }
        assert [r[:3] for r in look.reviews()] == [
            ("Distributed Training", "definition", 4),
            ("Data Parallelism", "definition", 2),
        ]

        await press(pilot, "u")  # the bury
        assert shown(app) == ("Model Parallelism", "definition")
        assert card_rows(env) == lapsed
        await press(pilot, "u")  # the lapse
        assert shown(app) == ("Data Parallelism", "definition")
        assert card_rows(env) == suspended
        await press(pilot, "u")  # the suspend
        assert shown(app) == ("Distributed Training", "children")
        assert card_rows(env) == answered
        await press(pilot, "u")  # the first answer
        assert shown(app) == ("Distributed Training", "definition")
        assert card_rows(env) == fresh
        assert look.reviews() == []
        await press(pilot, "u")  # nothing left: nothing moves
        assert shown(app) == ("Distributed Training", "definition")
        assert card_rows(env) == fresh


async def test_a_chunk_whose_cards_are_all_set_aside_goes_straight_on(make_app, env, look):
    before = card_rows(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "chunk 1 of 5" in look.screen(app)
        await press(pilot, "@")
        assert not isinstance(app.screen, ChunkPauseScreen)  # nothing answered to pause over
        assert shown(app) == ("Distributed Training", "children")
        assert "chunk 2 of 5" in look.screen(app)
        await press(pilot, "u")
        assert shown(app) == ("Distributed Training", "definition")
        assert "chunk 1 of 5" in look.screen(app)
        assert card_rows(env) == before


async def test_u_on_the_summary_takes_back_the_last_answer_and_returns_to_its_card(make_app, env, timer, look):
    app = make_app(branch="Data Scaling", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timer.advance(3)
        await press(pilot, "space", "5")
        assert shown(app) == ("Data Quality", "definition")
        before_last = card_rows(env)
        timer.advance(4)
        await press(pilot, "space", "4")
        assert isinstance(app.screen, SummaryScreen)
        assert "2 cards (2 new) · 2 answers" in look.screen(app)

        await press(pilot, "u")
        assert shown(app) == ("Data Quality", "definition")
        assert card_rows(env) == before_last
        assert [r[:3] for r in look.reviews()] == [("Data Scaling", "definition", 5)]

        await press(pilot, "space", "5")  # answered again: the summary counts this answer
        assert isinstance(app.screen, SummaryScreen)
        assert "2 cards (2 new) · 2 answers" in look.screen(app)
        assert [r[:3] for r in look.reviews()] == [("Data Scaling", "definition", 5), ("Data Quality", "definition", 5)]
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "done 2" in look.screen(app)


async def test_u_on_the_summary_takes_back_a_bury_that_ended_the_session(make_app, env, timer, look):
    before = card_rows(env)
    app = make_app(branch="Data Quality", review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "-")  # the session's one card: buried, and the session is over
        assert isinstance(app.screen, SummaryScreen)
        assert "1 card buried until tomorrow" in look.screen(app)
        await press(pilot, "u")
        assert shown(app) == ("Data Quality", "definition")
        assert card_rows(env) == before
        await press(pilot, "escape")  # ends the session with nothing done: straight to the map
        assert isinstance(app.screen, HomeScreen)


async def test_the_keys_panel_and_the_footer_name_suspend_and_bury(make_app, look):
    app = make_app(branch="Distributed Training", review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        footer = look.screen(app).splitlines()[-1]
        assert "@ Suspend" in footer and "- Bury" in footer
        await press(pilot, "question_mark")
        panel = look.words(app, "HelpPanel")
        assert "@ Suspend" in panel and "- Bury" in panel


# -- e: editing the card's node ----------------------------------------------------------------


def node_text(env, label: str) -> tuple[str, str, list[tuple[str, str]]]:
    """A node's (definition, notes) and its edit rows' (field, file text)."""
    from srs.storage.tables import node_edits

    with env.connection() as conn:
        node = conn.execute(select(nodes).where(nodes.c.label == label)).one()
        edits = conn.execute(
            select(node_edits.c.field, node_edits.c.file_text).where(node_edits.c.node_id == node.id)
        ).all()
    return node.definition, node.notes, [tuple(row) for row in edits]


async def test_e_edits_the_cards_node_in_place_and_u_takes_the_edit_back(make_app, env, look):
    from textual.widgets import TextArea

    from srs.tui.screens.notes import EditDialog

    definition, notes, _ = node_text(env, "Distributed Training")
    rows = card_rows(env)
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await press(pilot, "space", "e")
        assert isinstance(app.screen, EditDialog)
        assert app.screen.query_one("#definition-text", TextArea).text == definition
        app.screen.query_one("#definition-text", TextArea).text = "Training spread over many [b]devices[/b]."
        await press(pilot, "ctrl+s")
        # the same card, still showing its back, with the learner's text
        assert shown(app) == ("Distributed Training", "definition")
        assert "Training spread over many [b]devices[/b]." in look.screen(app)
        assert node_text(env, "Distributed Training") == (
            "Training spread over many [b]devices[/b].",
            notes,
            [("definition", definition)],
        )

        await press(pilot, "4")  # answered: the next card
        assert shown(app) == ("Distributed Training", "children")
        await press(pilot, "u")  # the answer first
        assert shown(app) == ("Distributed Training", "definition")
        assert look.reviews() == []
        assert node_text(env, "Distributed Training")[0] == "Training spread over many [b]devices[/b]."
        await press(pilot, "u")  # then the edit
        assert shown(app) == ("Distributed Training", "definition")
        assert node_text(env, "Distributed Training") == (definition, notes, [])
        assert card_rows(env) == rows
        assert "[b]devices[/b]" not in look.screen(app)
        await press(pilot, "u")
        assert "Nothing to undo yet." in look.screen(app)


async def test_an_edit_that_changes_nothing_is_no_step(make_app, env, look):
    app = make_app(branch="Distributed Training", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await press(pilot, "e", "ctrl+s")
        assert shown(app) == ("Distributed Training", "definition")
        assert "Nothing changed." in look.screen(app)
        assert node_text(env, "Distributed Training")[2] == []
        assert isinstance(app.screen, StudyScreen) and app.screen.steps == []

"""A study session driven through the real app, with the database checked after every step."""

from __future__ import annotations

import re
from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from srs import cli
from srs.core.queue import Beyond
from srs.core.sm2 import GRADE_MEANINGS
from srs.storage import decks
from srs.storage.tables import nodes
from srs.tui.app import SrsApp
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.pause import ChunkPauseScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.screens.summary import SummaryScreen

TODAY = date(2026, 11, 23)
TOMORROW = date(2026, 11, 24)


def shown(app) -> tuple[str, str, bool]:
    """(term, card kind, revealed) of the card on the study screen."""
    screen = app.screen
    assert isinstance(screen, StudyScreen)
    return screen.card.content.term, screen.card.content.kind, screen.revealed


def grade_chart(text: str) -> dict[int, int]:
    """The counts of the grade chart on a pause or summary screen."""
    counts = {}
    for grade, meaning in GRADE_MEANINGS.items():
        cell = next(cell for line in text.splitlines() for cell in line.split("│") if f" {grade} {meaning} " in cell)
        counts[grade] = int(cell.split()[-1])
    return counts


async def answer(pilot, timer, seconds: float, grade: int) -> None:
    timer.advance(seconds)
    await pilot.press("space", str(grade))
    await pilot.pause()


async def test_a_whole_session_on_a_branch(make_app, timer, look):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The branch has five new cards: chunks of 3 and 2, parents first.
        assert shown(app) == ("Distributed Training", "definition", False)
        text = look.screen(app)
        assert "Study: Distributed Training" in text
        assert "Scaling Hypothesis › Computational Scaling" in text
        assert "What is Distributed Training?" in text
        assert "chunk 1 of 2" in text and "0 / 3" in text and "0 / 5" in text
        assert "Spreading one training run" not in text  # the back is hidden

        # Grading is only possible once the answer shows.
        await pilot.press("4")
        assert look.reviews() == []
        assert shown(app) == ("Distributed Training", "definition", False)

        timer.advance(5)
        await pilot.press("space")
        text = look.screen(app)
        assert "Spreading one training run over many devices." in text
        assert "Part of: Computational Scaling — Growing the compute spent on training." in text
        assert "GPU Usage — How well the accelerators are kept busy." in text
        assert "Concepts under Distributed Training: Data Parallelism, Model" in text
        assert "4  right, after a pause" in text

        await pilot.press("4")
        assert look.reviews() == [("Distributed Training", "definition", 4, False, 5000)]
        assert look.card("Distributed Training") == {
            "easiness": 250,
            "repetitions": 1,
            "interval": 1,
            "due": TOMORROW,
            "reviews": 1,
            "lapses": 0,
            "last_day": TODAY,
            "last_grade": 4,
        }
        assert shown(app) == ("Distributed Training", "children", False)
        assert "1 / 3" in look.screen(app)

        # A 2 is a lapse: the card restarts and comes back later in the chunk.
        await answer(pilot, timer, 3, 2)
        children = look.card("Distributed Training", "children")
        assert children == {
            "easiness": 250,
            "repetitions": 0,
            "interval": 1,
            "due": TOMORROW,
            "reviews": 1,
            "lapses": 1,
            "last_day": TODAY,
            "last_grade": 2,
        }
        assert shown(app) == ("Data Parallelism", "definition", False)

        await answer(pilot, timer, 2.5, 5)
        assert look.card("Data Parallelism") == {
            "easiness": 260,
            "repetitions": 1,
            "interval": 1,
            "due": TOMORROW,
            "reviews": 1,
            "lapses": 0,
            "last_day": TODAY,
            "last_grade": 5,
        }

        # The lapsed card is back, as a drill: logged, schedule unmoved.
        assert shown(app) == ("Distributed Training", "children", False)
        assert "again: answered below 4 today" in look.screen(app)
        await answer(pilot, timer, 1, 1)
        assert look.reviews()[-1] == ("Distributed Training", "children", 1, True, 1000)
        assert look.card("Distributed Training", "children") == children | {"last_grade": 1}
        assert shown(app) == ("Distributed Training", "children", False)

        # u takes the drill back: the log and the card exactly as before it.
        await pilot.press("u")
        assert len(look.reviews()) == 3
        assert look.card("Distributed Training", "children") == children
        assert shown(app) == ("Distributed Training", "children", False)

        await answer(pilot, timer, 2, 4)
        assert look.reviews()[-1] == ("Distributed Training", "children", 4, True, 2000)
        assert look.card("Distributed Training", "children") == children | {"last_grade": 4}

        # The chunk is over: the pause says how it went; u from there takes the last answer back.
        assert isinstance(app.screen, ChunkPauseScreen)
        assert "Chunk 1 of 2 done" in look.screen(app)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert len(look.reviews()) == 3
        assert look.card("Distributed Training", "children") == children
        assert shown(app) == ("Distributed Training", "children", False)

        await answer(pilot, timer, 1.5, 4)
        assert isinstance(app.screen, ChunkPauseScreen)
        text = look.screen(app)
        assert "3 cards (3 new) · 4 answers, 1 drill · 12s (3s an answer)" in text
        assert grade_chart(text) == {5: 1, 4: 2, 3: 0, 2: 1, 1: 0, 0: 0}
        assert "Next chunk (2 of 2)" in text

        await pilot.press("enter")
        await pilot.pause()
        assert shown(app) == ("Model Parallelism", "definition", False)
        text = look.screen(app)
        assert "chunk 2 of 2" in text and "0 / 2" in text and "3 / 5" in text

        await answer(pilot, timer, 4, 3)
        assert look.card("Model Parallelism") == {
            "easiness": 236,
            "repetitions": 1,
            "interval": 1,
            "due": TOMORROW,
            "reviews": 1,
            "lapses": 0,
            "last_day": TODAY,
            "last_grade": 3,
        }
        await answer(pilot, timer, 2, 5)
        assert shown(app) == ("Model Parallelism", "definition", False)
        await answer(pilot, timer, 1, 4)

        assert look.reviews() == [
            ("Distributed Training", "definition", 4, False, 5000),
            ("Distributed Training", "children", 2, False, 3000),
            ("Data Parallelism", "definition", 5, False, 2500),
            ("Distributed Training", "children", 4, True, 1500),
            ("Model Parallelism", "definition", 3, False, 4000),
            ("Pipeline Parallelism", "definition", 5, False, 2000),
            ("Model Parallelism", "definition", 4, True, 1000),
        ]
        assert look.card("Model Parallelism")["easiness"] == 236
        assert look.card("Pipeline Parallelism")["easiness"] == 260

        # The summary: cards, grades, time, and when they come back.
        assert isinstance(app.screen, SummaryScreen)
        text = look.screen(app)
        assert "Session done · Distributed Training" in text
        assert "5 cards (5 new) · 7 answers, 2 drills · 19s (3s an answer)" in text
        assert grade_chart(text) == {5: 2, 4: 3, 3: 1, 2: 1, 1: 0, 0: 0}
        assert "Tue 24 Nov   tomorrow         5 cards" in text

        # Leaving the summary goes to the map, with today's work counted.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "due 0 · new 11 · done 5 · streak 1 day" in look.screen(app)


async def test_escape_ends_the_session_early(make_app, timer, look):
    app = make_app(branch="Scaling Laws", review=True, chunk_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Scaling Laws", "definition", False)
        await answer(pilot, timer, 6, 5)
        await answer(pilot, timer, 4, 2)  # comes back today, and its schedule says tomorrow
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = look.screen(app)
        assert "2 cards (2 new) · 2 answers · 10s (5s an answer)" in text
        # The failed card is asked again today, before the day its schedule names.
        assert "Mon 23 Nov   today            1 card" in text
        assert "Tue 24 Nov   tomorrow         1 card" in text
        assert [r[:3] for r in look.reviews()] == [("Scaling Laws", "definition", 5), ("Scaling Laws", "children", 2)]


async def test_escape_before_any_answer_goes_back_to_the_map(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # study the root: the whole deck's new cards
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert "0 / 16" in look.screen(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_session_from_the_map_goes_back_to_that_map_with_its_work_counted(make_app, timer, look):
    app = make_app(branch="Distributed Training")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert "due 0 · new 16 · done 0" in look.screen(app)
        await pilot.press("enter")  # study the branch under the cursor
        await pilot.pause()
        await answer(pilot, timer, 5, 4)
        await pilot.press("escape", "escape")  # end the session, then leave its summary
        await pilot.pause()
        # The same map, the cursor where it was, its header and branch counts read again.
        assert app.screen is home
        assert "due 0 · new 15 · done 1" in look.screen(app)
        detail = look.words(app, "#detail")
        assert detail.startswith("Scaling Hypothesis › Computational Scaling › Distributed Training")
        assert "1 review, 0 lapses" in detail


async def test_stop_here_between_chunks(make_app, timer, look):
    app = make_app(branch="Scaling Laws", review=True, chunk_size=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer(pilot, timer, 1, 4)
        assert isinstance(app.screen, ChunkPauseScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert len(look.reviews()) == 1


async def test_undo_reaches_back_into_the_previous_chunk(make_app, timer, look):
    app = make_app(branch="Scaling Laws", review=True, chunk_size=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fresh = look.card("Scaling Laws")
        await pilot.press("u")  # nothing to take back yet: nothing happens
        assert shown(app) == ("Scaling Laws", "definition", False)

        await answer(pilot, timer, 1, 5)
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app) == ("Scaling Laws", "children", False)
        assert "chunk 2 of 4" in look.screen(app)

        await pilot.press("u")
        assert shown(app) == ("Scaling Laws", "definition", False)
        assert "chunk 1 of 4" in look.screen(app)
        assert look.reviews() == []
        assert (
            look.card("Scaling Laws")
            == fresh
            == {
                "easiness": 250,
                "repetitions": 0,
                "interval": 0,
                "due": None,
                "reviews": 0,
                "lapses": 0,
                "last_day": None,
                "last_grade": None,
            }
        )


async def test_time_in_the_notes_dialog_is_not_answer_time(make_app, timer, look):
    app = make_app(branch="Chinchilla", review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        timer.advance(2)
        await pilot.press("space", "n")
        timer.advance(30)
        await pilot.press("n", "o", "t", "e", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen) and app.screen.revealed
        assert "Notes: note" in look.words(app, "#card")
        timer.advance(1)
        await pilot.press("4")
        assert look.reviews() == [("Chinchilla", "definition", 4, False, 3000)]


async def test_srs_review_opens_a_session_that_grades_undoes_and_keeps_notes(env, look, monkeypatch):
    # The command itself, its checks and the app it opens, as a learner runs `srs review BRANCH`.
    opened = {}
    monkeypatch.setattr(cli, "_in_terminal", lambda: True)
    monkeypatch.setattr(cli, "_run_app", lambda env, **options: opened.update(env=env, **options))
    result = CliRunner().invoke(cli.cli, ["review", "Data Scaling"], obj=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert {k: v for k, v in opened.items() if k != "env"} == {
        "deck": "Scaling Hypothesis",
        "branch": "Data Scaling",
        "review": True,
        "chunk_size": 10,
        "beyond": Beyond(),
    }
    app = SrsApp(opened.pop("env"), **opened, timer=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.screen.card.content.term
        await pilot.press("space", "4", "space", "2", "u")
        await pilot.pause()
        second = app.screen.card.content.term
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), app.screen
    assert (first, second) == ("Data Scaling", "Data Quality")
    assert look.reviews() == [("Data Scaling", "definition", 4, False, 0)]
    with env.connection() as conn:
        node = conn.scalar(select(nodes.c.id).where(nodes.c.label == "Data Quality"))
        assert decks.get_node(conn, node, env.learner_id).notes == "x"


async def test_enter_shows_the_answer_as_space_does(make_app, timer, look):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app) == ("Distributed Training", "definition", False)
        await pilot.press("enter")
        assert shown(app) == ("Distributed Training", "definition", True)
        assert "Spreading one training run over many devices." in look.screen(app)
        await pilot.press("enter")  # a second enter grades nothing and moves nothing
        assert look.reviews() == []
        timer.advance(3)
        await pilot.press("5")
        assert look.reviews() == [("Distributed Training", "definition", 5, False, 3000)]


async def test_question_mark_shows_every_key_of_the_screen_and_hides_them_again(make_app, look):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = look.screen(app)
        for words in ("Show answer", "0 blackout", "5 perfect", "u Undo", "esc End session"):
            assert words in text, words
        await pilot.press("question_mark")
        await pilot.pause()
        assert "0 blackout" not in look.screen(app)
        assert shown(app) == ("Distributed Training", "definition", False)  # nothing else moved


async def test_on_a_wide_terminal_each_grade_says_when_it_brings_the_card_back(make_app, timer, look):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        text = look.words(app, "#grades")
        assert "0 blackout today" in text and "3 right, with difficulty today" in text
        assert "4 right, after a pause 1 d" in text and "5 perfect 1 d" in text  # a new card: one day
        await answer(pilot, timer, 2, 4)
        await pilot.press("space")
        assert "4 right, after a pause 1 d" in look.words(app, "#grades")  # the next new card
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24)) as pilot:  # no room: the meanings alone, on two rows
        await pilot.pause()
        await pilot.press("space")
        text = look.words(app, "#grades")
        assert "4 right, after a pause" in text
        assert re.search(r"\d d\b|today", text) is None

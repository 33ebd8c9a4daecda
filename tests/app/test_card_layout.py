"""The card on the study screen, through the real app: a leech's mark and the notice of the answer
that makes one, the card's measure on a wide terminal, and a long list of siblings cut short."""

from __future__ import annotations

from dataclasses import replace

import pytest
from app_support import answer_on, import_deck
from sqlalchemy import select
from textual.geometry import Region

from srs.config import Setting
from srs.storage.tables import cards, nodes
from srs.tui.screens.study import StudyScreen
from srs.tui.widgets.card_view import CardView

TREES = ["Oak", "Elm", "Ash", "Fir", "Yew", "Pine", "Birch", "Cedar", "Maple", "Willow"]


def lapse_daily(env, label: str, days: int) -> None:
    """`days` lapses of the node's definition card, one a day up to yesterday: due today."""
    for day in range(23 - days, 23):
        answer_on(env, label, f"2026-11-{day:02d}", 1)


def suspended(env, label: str) -> bool:
    with env.connection() as conn:
        return conn.scalar(
            select(cards.c.suspended)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == "definition")
        )


@pytest.fixture
def trees(env, tmp_path):
    """A deck whose root has ten children, a sibling list too long to show whole."""
    path = tmp_path / "trees.md"
    path.write_text("- Trees: Woody plants.\n" + "".join(f"  - {name}: A kind of tree.\n" for name in TREES))
    import_deck(env, path)
    return "Trees"


def top_border(app) -> str:
    view = app.screen.query_one(CardView)
    return app.screen._compositor.render_strips()[view.region.y].text


async def test_a_leech_is_marked_on_its_card(make_app, env, look):
    lapse_daily(env, "Distributed Training", 8)
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.card.content.term == "Distributed Training"
        border = top_border(app)
        assert "leech · 8 lapses" in border
        assert border.index("leech") > 60  # at the right, under the heading's card status
        await pilot.press("space", "5")
        await pilot.pause()
        # The node's children card: new, no leech.
        assert (app.screen.card.content.term, app.screen.card.content.kind) == ("Distributed Training", "children")
        assert "leech" not in look.screen(app)


async def test_the_answer_that_makes_a_leech_says_so_and_with_leech_suspend_suspends_it(make_app, env, look):
    lapse_daily(env, "Distributed Training", 7)
    env.config = replace(env.config, leech_suspend=Setting(True, "file test"))
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "leech" not in look.screen(app)
        await pilot.press("space", "4")  # not a lapse: no leech
        await pilot.pause()
        assert not app._notifications
        assert not suspended(env, "Distributed Training")
        await pilot.press("u")  # taken back, to be answered again
        await pilot.pause()
        await pilot.press("space", "1")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "Distributed Training is a leech now and suspended: 8 lapses. `srs leeches` says what the graph suggests."
        ]
        assert [n.severity for n in app._notifications] == ["warning"]
        assert suspended(env, "Distributed Training")
        await pilot.press("u")  # the undo of that answer lifts the suspension
        await pilot.pause()
        assert not suspended(env, "Distributed Training")
        assert app.screen.card.content.term == "Distributed Training"


async def test_a_leech_suspended_by_its_answer_does_not_come_back_as_a_drill(make_app, env, look):
    lapse_daily(env, "Distributed Training", 7)
    env.config = replace(env.config, leech_suspend=Setting(True, "file test"))
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "1")
        await pilot.pause()
        seen = []
        while isinstance(app.screen, StudyScreen) and app.screen.card is not None:
            seen.append((app.screen.card.content.term, app.screen.card.content.kind))
            await pilot.press("space", "4")
            await pilot.pause()
        assert seen == [("Distributed Training", "children"), ("Data Parallelism", "definition")]
        assert suspended(env, "Distributed Training")


@pytest.mark.parametrize(
    "size, card",
    [((160, 40), Region(30, 2, 100, 35)), ((80, 24), Region(0, 2, 80, 19)), ((101, 30), Region(0, 2, 100, 25))],
)
async def test_on_a_wide_terminal_the_card_keeps_a_measure_of_100_columns_centred(make_app, look, size, card):
    app = make_app(branch="Distributed Training", review=True, chunk_size=3)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.query_one(CardView).region == card
        # The bars above and below still span the terminal.
        assert app.screen.query_one("#study-top").region.width == size[0]
        assert app.screen.query_one("#grades").region.width == size[0]
        text = look.screen(app)
        assert "Spreading one training run over many devices." in text
        assert "0  blackout" in text and "u Undo" in text


@pytest.mark.parametrize(
    "term, listed, left_out",
    [
        ("Birch", ["Yew", "Pine", "Cedar", "Maple", "Willow"], ["Oak", "Elm", "Ash", "Fir"]),
        ("Oak", ["Elm", "Ash", "Fir", "Yew", "Pine"], ["Birch", "Cedar", "Maple", "Willow"]),
        ("Elm", ["Oak", "Ash", "Fir", "Yew", "Pine"], ["Birch", "Cedar", "Maple", "Willow"]),
    ],
)
async def test_a_long_list_of_siblings_shows_the_closest_five_and_how_many_more(
    make_app, trees, look, term, listed, left_out
):
    app = make_app(deck=trees, branch=term, review=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.card.content.term == term
        await pilot.press("space")
        await pilot.pause()
        back = look.words(app, "#card-back")
        assert "Not to be confused with: " + " ".join(f"{name} — A kind of tree." for name in listed) in back
        assert back.endswith(" and 4 more")
        for name in left_out:
            assert f"{name} —" not in back

"""Graph-aware learning in the app: locked nodes on the map, and the deck's options dialog."""

from __future__ import annotations

from app_support import DECK
from textual.widgets import Input, Switch

from srs.service import options as options_service
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.options import OptionsDialog
from srs.tui.screens.study import StudyScreen
from srs.tui.widgets.concept_tree import ConceptTree


def tree_line(text: str, label: str) -> str:
    line = next(line for line in text.splitlines() if f" {label} " in line)
    return " ".join(line.split("││")[0].strip("│").split())


async def test_the_map_shows_locked_nodes_dimmed_with_a_lock_mark(make_app, look, env):
    options_service.set_option(env, DECK, "unlock_after_days", 7)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = look.screen(app)
        # The root is ready to learn; each branch below it waits for the root's definition card.
        assert tree_line(text, "Computational") == "├─ ▶ ▌ ⊘ Computational Scal… 0 · 8"  # one cell more
        assert tree_line(text, "Scaling Laws") == "└─ ▶ ▌ ⊘ Scaling Laws 0 · 4"
        assert "due 0 · new 2 · done 0" in text  # the root's two cards alone can be introduced
        assert "⊘ Scaling Hypothesis" not in text
        tree = app.screen.query_one(ConceptTree)
        line = next(node for node in tree.root.children if node.label.plain == "Computational Scaling")
        drawn = tree.render_label(line, tree.rich_style, tree.rich_style)
        assert any(span.style.dim for span in drawn.spans if hasattr(span.style, "dim"))


async def test_without_layering_no_node_is_marked(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "⊘" not in look.screen(app)


async def test_o_shows_the_decks_options_and_sets_them(make_app, look, env):
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OptionsDialog)
        text = look.screen(app)
        for words in ("unlock_after_days", "parent_checks", "sibling_spacing", "a lapse puts the node's parent"):
            assert words in text
        assert dialog.query_one("#option-unlock_after_days", Input).value == "0"
        assert dialog.query_one("#option-parent_checks", Switch).value is False
        dialog.query_one("#option-unlock_after_days", Input).value = "7"
        dialog.query_one("#option-parent_checks", Switch).value = True
        dialog.query_one("#save").scroll_visible(animate=False)  # below the options, on a short terminal
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Options set: unlock_after_days, parent_checks" in [n.message for n in app._notifications]
        shown = options_service.show(env, DECK)
        assert (shown.value("unlock_after_days"), shown.value("parent_checks")) == (7, True)
        await pilot.pause()
        assert "⊘ Data Scaling" in look.screen(app)  # the map marks what the new option locks


async def test_a_bad_value_keeps_the_dialog_open_and_changes_nothing(make_app, env):
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#option-unlock_after_days", Input).value = "99999"
        app.screen.query_one("#save").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, OptionsDialog)
        assert "unlock_after_days is between 0 and 3650 days, not 99999" in [n.message for n in app._notifications]
        assert options_service.show(env, DECK).value("unlock_after_days") == 0


async def test_a_branch_session_says_when_its_next_layer_opens(make_app, env, look, timer):
    from app_support import answer_on

    options_service.set_option(env, DECK, "unlock_after_days", 6)
    answer_on(env, "Scaling Hypothesis", "2026-11-21", 4)
    answer_on(env, "Scaling Hypothesis", "2026-11-22", 4)  # 6 days: its branches open
    app = make_app(branch="Scaling Laws", review=True, chunk_size=10)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        terms = []
        while isinstance(app.screen, StudyScreen):
            terms.append((app.screen.card.content.term, app.screen.card.content.kind))
            timer.advance(2)
            await pilot.press("space", "4")
            await pilot.pause()
        # The branch's own cards; the nodes below it wait for its definition card's 6 days.
        assert terms == [("Scaling Laws", "definition"), ("Scaling Laws", "children")]
        text = look.screen(app)
        assert "Next layer" in text
        assert "opens Tue 24 Nov (tomorrow): 2 of 2 locked nodes" in text

"""The detail pane shows what the linter found in the highlighted node, as literal text."""

from __future__ import annotations

import pytest
from app_support import Look, import_deck

from srs.tui.app import SrsApp
from srs.tui.screens.home import HomeScreen
from srs.tui.widgets.concept_tree import ConceptTree


async def show(pilot, label: str) -> None:
    """Wait for the deck's lint (read beside the app), then put the cursor on `label`."""
    for _ in range(2):  # the counts' worker, then the lint's it starts
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    tree = pilot.app.screen.query_one(ConceptTree)
    tree.go_to(next(n.id for n in tree.deck_map.nodes.values() if n.label == label))
    await pilot.pause()


@pytest.mark.parametrize("counted_later", [False, True], ids=["small deck", "large deck"])
async def test_a_nodes_findings_show_on_its_detail_pane(make_app, look, monkeypatch, counted_later):
    if counted_later:  # a large deck's counts are read in the background: its lint comes after them
        monkeypatch.setattr(HomeScreen, "COUNT_IN_BACKGROUND_FROM", 0)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await show(pilot, "Data Scaling")
        text = look.words(app, "#detail")
        assert text.startswith(
            "Scaling Hypothesis › Data Scaling Growing the training data. "
            "Lint: L202 definition-length (warning): the definition has 4 words (a card's answer reads best in "
            "12 to 45) "
            "Lint: L403 single-child-branch (warning): a branch of one node: its only child is 'Data Quality' "
            "(quality), so it has no children card; merge the two or give the child siblings "
            "Notes: —"
        )
        await show(pilot, "Scaling Hypothesis")  # the root: nothing found
        assert "Lint:" not in look.words(app, "#detail")


async def test_a_finding_quoting_deck_text_shows_it_as_typed(empty_env, tmp_path, timer):
    outline = tmp_path / "markup.md"
    outline.write_text(
        "- Markup map: The top of a map whose labels hold markup, written to see it shown as typed.\n"
        "  - [b]Bold[/b] claim: A claim that says [b]bold[/b] claim loudly, so that the card gives its own "
        "answer away.\n"
        "  - Plain claim: A claim without any markup in it at all, written long enough to read well on a card.\n"
    )
    import_deck(empty_env, outline)
    app = SrsApp(empty_env, timer=timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await show(pilot, "[b]Bold[/b] claim")
        text = Look.words(app, "#detail")
        assert "Lint: L101 circular-definition (error): the definition names the term: 'b]bold[/b] claim'" in text

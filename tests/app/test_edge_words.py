"""The app names a node's parent and children as the file's edges do (is-a: kinds, part-of: parts)."""

from __future__ import annotations

from app_support import Look, import_deck

from srs.tui.app import SrsApp

ANIMALS = """source,target,kind
dog,animal,is-a
cat,animal,is-a
animal,tail,has-part
"""


async def test_the_detail_pane_and_the_card_say_kinds_and_parts(empty_env, timer, tmp_path):
    deck = tmp_path / "animals.csv"
    deck.write_text(ANIMALS)
    import_deck(empty_env, deck)
    app = SrsApp(empty_env, timer=timer)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = Look.words(app, "#detail")
        assert "Kinds of animal dog cat Parts of animal tail" in text
        await pilot.press("down")  # dog
        assert "Kind of animal" in Look.words(app, "#detail")
    app = SrsApp(empty_env, timer=timer, branch="animal", review=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        screen = Look.screen(app)
        assert "Name the 3 concepts under animal: 2 kinds, 1 part." in screen
        assert "Kinds of animal:" in screen and "Parts of animal:" in screen

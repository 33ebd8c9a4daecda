"""Deck text is data: markup in it shows as typed, control characters as visible stand-ins,
and long or wide (CJK, emoji) text wraps and scrolls at 80x24."""

from __future__ import annotations

from app_support import Look, import_deck
from rich.cells import cell_len
from rich.style import Style

from srs.tui.app import SrsApp
from srs.tui.screens.study import StudyScreen
from srs.tui.text import clean, literal
from srs.tui.widgets.card_view import CardView
from srs.tui.widgets.concept_tree import ConceptTree

ESC = "\x1b"
LONG = " ".join(["Jeder Rechner hält eine vollständige Kopie des Modells und sieht einen Teil des Stapels."] * 12)
OUTLINE = f"""\
- Markup [b]deck[/b]: The root, with [i]markup[/i] in it.
  - [bold]Bold[/bold] claim: Says [red]x[/red] and {ESC}[31mred{ESC}[0m plain; a bell \x07 too.
  - データ並列 🚀: {LONG}
  - Esc{ESC}ape hatch: A label with an escape in it.
"""
DECK = "Markup [b]deck[/b]"


def test_clean_makes_control_characters_visible():
    assert clean(f"a{ESC}[31mb\x07c\x00d\x7fe\x9bf") == "a␛[31mb␇c␀d␡e\ufffdf"
    assert clean("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree four"
    assert clean("one\ntwo", one_line=True) == "one two"
    text = literal("[bold]x[/bold]")
    assert text.plain == "[bold]x[/bold]" and not text.spans


def hostile_app(empty_env, tmp_path, timer) -> SrsApp:
    # A deck file may no longer hold control characters, but a database an earlier version
    # wrote may: they go in after the import, where the file had stand-ins for them.
    path = tmp_path / "hostile.md"
    path.write_text(OUTLINE.replace(ESC, "<ESC>").replace("\x07", "<BEL>"), encoding="utf-8")
    import_deck(empty_env, path)
    with empty_env.connection(write=True) as conn:
        for column in ("label", "definition"):
            conn.exec_driver_sql(
                f"UPDATE nodes SET {column} = replace(replace({column}, '<ESC>', char(27)), '<BEL>', char(7))"
            )
    return SrsApp(empty_env, timer=timer)


async def go_to(pilot, label: str) -> None:
    tree = pilot.app.screen.query_one(ConceptTree)
    node = next(n for n in tree.deck_map.nodes.values() if n.label == label)
    tree.go_to(node.id)
    await pilot.pause()


async def test_markup_and_escapes_in_a_deck_show_literally(empty_env, tmp_path, timer):
    app = hostile_app(empty_env, tmp_path, timer)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = Look.screen(app)
        assert ESC not in screen and "\x07" not in screen
        assert screen.splitlines()[0].startswith(" Markup [b]deck[/b] ")
        assert "[bold]Bold[/bold] claim" in screen
        assert "Esc␛ape hatch" in screen
        assert "データ並列 🚀" in screen

        # The map draws the label as plain text: no style from the brackets.
        tree = app.screen.query_one(ConceptTree)
        bold_node = next(n for n in tree.root.children if "claim" in str(n.label))
        label = tree.render_label(bold_node, Style(), Style())
        assert "[bold]Bold[/bold] claim" in label.plain
        styles = [span.style if isinstance(span.style, Style) else Style.parse(span.style) for span in label.spans]
        assert not any(style.bold or style.color is not None for style in styles)

        await go_to(pilot, "[bold]Bold[/bold] claim")
        detail = Look.words(app, "#detail")
        assert "Says [red]x[/red] and ␛[31mred␛[0m plain; a bell ␇ too." in detail
        assert detail.startswith("Markup [b]deck[/b] › [bold]Bold[/bold] claim")

        # The finder lists it as typed.
        await pilot.press("slash", "b", "o", "l", "d")
        for _ in range(5):
            await pilot.pause(0.05)
        assert "[bold]Bold[/bold] claim" in Look.screen(app)
        await pilot.press("escape")
        await pilot.pause()

        # A notification quoting the label shows it as typed too.
        await pilot.press("n", "tab", "tab", "o", "k", "ctrl+s")
        await pilot.pause()
        assert "Saved the notes of [bold]Bold[/bold] claim." in Look.words(app, "Toast")

        # And so do the card's front and back.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert "Study: [bold]Bold[/bold] claim" in Look.screen(app)
        assert "What is [bold]Bold[/bold] claim?" in Look.screen(app)
        await pilot.press("space")
        card = Look.words(app, "#card")
        assert "Says [red]x[/red] and ␛[31mred␛[0m plain; a bell ␇ too." in card
        assert "Part of: Markup [b]deck[/b] — The root, with [i]markup[/i] in it." in card
        assert "Notes: ok" in card
        assert ESC not in Look.screen(app)


async def test_long_wide_text_wraps_and_scrolls(empty_env, tmp_path, timer):
    app = hostile_app(empty_env, tmp_path, timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to(pilot, "データ並列 🚀")
        await pilot.press("enter", "space")
        await pilot.pause()
        view = app.screen.query_one(CardView)
        assert view.max_scroll_y > 0  # longer than the screen: it scrolls
        lines = Look.screen(app).splitlines()
        assert len(lines) == 24 and all(cell_len(line) == 80 for line in lines)
        assert "Jeder Rechner hält eine vollständige Kopie" in Look.words(app, "#card")
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert "Part of: Markup [b]deck[/b]" in Look.words(app, "#card")

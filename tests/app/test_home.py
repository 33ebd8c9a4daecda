"""The home screen: the map, the detail pane, the finder, the edit dialog, and what it says
when there is nothing to study or nothing to show."""

from __future__ import annotations

import threading

from app_support import DECK, FIXTURES, Look, import_deck
from rich.style import Style
from sqlalchemy import select
from textual.widgets import OptionList, TextArea

from srs.config import load_config
from srs.core.edits import EDITABLE
from srs.core.mastery import CardState
from srs.env import Env
from srs.service import decks as deck_service
from srs.storage import answers, decks, queue
from srs.storage.tables import learner_notes, node_edits, nodes
from srs.tui.app import SrsApp
from srs.tui.screens.home import HomeScreen
from srs.tui.screens.notes import EditDialog
from srs.tui.screens.nothing_due import NothingDueScreen
from srs.tui.screens.study import StudyScreen
from srs.tui.widgets.concept_tree import ConceptTree
from srs.tui.widgets.node_detail import NodeDetailPane


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def tree_line(text: str, label: str) -> str:
    """The map's line for a label, from its first character to the end of the counts."""
    line = next(line for line in text.splitlines() if f" {label} " in line)
    return " ".join(line.split("││")[0].strip("│").split())


async def test_the_map_shows_counts_and_the_detail_follows_the_cursor(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = look.screen(app)
        assert f" {DECK} " in text.splitlines()[0]
        assert "Mon 23 Nov · due 0 · new 16 · done 0 · streak 0 days" in text
        assert tree_line(text, "Computational Scaling") == "├─ ▶ ▌ Computational Scaling 0 · 8"
        assert tree_line(text, "Data Scaling") == "├─ ▶ ▌ Data Scaling 0 · 2"
        assert tree_line(text, "Scaling Laws") == "└─ ▶ ▌ Scaling Laws 0 · 4"
        assert "Bigger models trained on more data" in text

        await pilot.press("down")
        text = look.words(app, "#detail")
        assert text.startswith("Scaling Hypothesis › Computational Scaling Growing the compute spent on training.")
        assert "Notes: — Mnemonic: — Schedule 0 due · 8 new · 0 of 8 cards learned · mastery 0% (new)" in text
        assert "definition card · new children card · new" in text

        await pilot.press("tab", "end")  # into the detail pane, down to its foot
        text = look.words(app, "#detail")
        assert "Siblings Data Scaling — Growing the training data." in text
        under = "Concepts under Computational Scaling Distributed Training — Spreading one training run over many"
        assert under in text

        await pilot.press("shift+tab", "right", "down")  # back to the map: open the branch, step in
        assert app.screen.query_one(ConceptTree).current.label == "Distributed Training"
        assert "Spreading one training run over many devices." in look.words(app, "#detail")


async def test_a_node_shown_in_the_detail_pane_starts_at_its_top(make_app):
    """At once, not after the next redraw: else the new node is drawn, for a moment, at the old
    node's scroll position (where the first lines are out of sight)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "tab", "end")  # into the detail pane, down to its foot
        await pilot.pause()
        pane = app.screen.query_one(NodeDetailPane)
        assert pane.scroll_y > 0
        pane.show(app.screen.detail, app.screen.query_one(ConceptTree).current, app.screen.deck_map.today)
        assert pane.scroll_y == 0


async def test_the_map_is_coloured_by_mastery(studied_env, make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ConceptTree)
        nodes = {node.label: node for node in tree.deck_map.nodes.values()}
        assert nodes["Chinchilla"].state is CardState.MATURE
        assert nodes["Data Quality"].state is CardState.YOUNG
        assert nodes["GPU Usage"].state is CardState.LEARNING
        assert nodes["Model Parallelism"].state is CardState.NEW

        tree.go_to(nodes["Chinchilla"].id)
        await pilot.pause()
        label = tree.render_label(tree.cursor_node, Style(), Style())
        mature = tree.get_component_rich_style("concept-tree--mature", partial=True)
        assert mature.color is not None
        start = label.plain.index("Chinchilla")
        assert any(span.start <= start < span.end and span.style == mature for span in label.spans)

        assert "due 2 · new 12 · done 0 · streak 2 days" in look.screen(app)
        text = look.words(app, "#detail")
        assert "EF 2.90 · 48 days · due in 19 days (2026-12-12)" in text
        assert "last answers 5 5 5 5" in text


async def test_without_colour_mastery_still_shows(studied_env, timer, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = SrsApp(studied_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        tree = app.screen.query_one(ConceptTree)
        assert tree.get_component_rich_style("concept-tree--mature", partial=True).bold
        assert tree.get_component_rich_style("concept-tree--learning", partial=True).italic


DP_DEFINITION = (
    "Copies the whole model to every device and splits each batch between them; after every step the "
    "gradients are averaged so that all the copies stay identical."
)


def dialog_texts(dialog) -> dict[str, str]:
    return {name: dialog.query_one(f"#{name}-text", TextArea).text for name in EDITABLE}


async def test_the_edit_dialog_saves_a_concepts_text_as_the_learners_own(make_app, look, env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right", "down", "right", "down")
        assert app.screen.query_one(ConceptTree).current.label == "Data Parallelism"
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, EditDialog)
        assert dialog_texts(dialog) == {
            "definition": DP_DEFINITION,
            "example": "Eight GPUs each take 32 of a batch of 256 examples.",
            "notes": "",
            "mnemonic": "",
        }
        assert dialog.focused is dialog.query_one("#definition-text")
        # In 80 x 24 the fields (which scroll where they do not fit) and the buttons are in view.
        screen = look.screen(app)
        for seen in ("Edit · Data Parallelism", "Definition", "Example", "Notes", "Mnemonic", "Save", "Cancel"):
            assert seen in screen
        await pilot.press("f7", "backspace")  # select all, delete
        await type_text(pilot, "Copies the model to every device")
        await pilot.press("tab", "tab")  # past the example, into the notes
        await type_text(pilot, "Like photocopies")
        await pilot.press("tab")
        await type_text(pilot, "DP copies the model")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        with env.connection() as conn:
            node = conn.execute(select(nodes).where(nodes.c.label == "Data Parallelism")).first()
            # The definition is the deck's; the notes and mnemonic the learner's own.
            assert (node.definition, node.notes, node.mnemonic) == ("Copies the model to every device", "", "")
            rows = conn.execute(
                select(node_edits.c.field, node_edits.c.file_text).where(node_edits.c.node_id == node.id)
            ).all()
            own = conn.execute(
                select(learner_notes.c.field, learner_notes.c.text).where(
                    learner_notes.c.node_id == node.id, learner_notes.c.learner_id == env.learner_id
                )
            ).all()
        assert rows == [("definition", DP_DEFINITION)]
        assert sorted(own) == [("mnemonic", "DP copies the model"), ("notes", "Like photocopies")]
        text = look.words(app, "#detail")
        assert "Copies the model to every device (edited)" in text
        assert "Notes: Like photocopies (edited) Mnemonic: DP copies the model (edited)" in text
        assert "Eight GPUs each take 32 of a batch of 256 examples. (edited)" not in text

        # Opened again, the dialog holds the learner's text and marks the fields edited.
        await pilot.press("n")
        titles = [area.border_title for area in app.screen.query(TextArea)]
        assert titles == ["Definition (edited)", "Example", "Notes (edited)", "Mnemonic (edited)"]
        # Cancelling changes nothing.
        await type_text(pilot, "scribble")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        with env.connection() as conn:
            assert conn.scalar(select(nodes.c.definition).where(nodes.c.label == "Data Parallelism")) == (
                "Copies the model to every device"
            )

        # The learner's text is on the back of the node's cards.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("space")
        assert "Copies the model to every device" in look.words(app, "#card")
        await pilot.press("end")
        assert "Notes: Like photocopies Mnemonic: DP copies the model" in look.words(app, "#card")


async def test_find_a_concept_with_the_palette(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "chinch")
        for _ in range(5):
            await pilot.pause(0.05)
        assert "Scaling Hypothesis › Scaling Laws" in look.screen(app)  # the hit's path
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(ConceptTree).current.label == "Chinchilla"
        assert "Compute-optimal training: about 20 tokens per parameter" in look.words(app, "#detail")


async def test_review_with_nothing_due_starts_on_the_new_cards(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()  # the note is shown once the session's screen is up
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.scope.new_cards is True
        text = look.screen(app)
        assert "Study: Scaling Hypothesis" in text and "0 / 16" in text
        assert "Nothing is due today: here are the new cards." in look.words(app, "Toast")


async def test_a_finished_branch_offers_the_next_branch_with_work(env, make_app, look):
    for label in ("Data Scaling", "Data Quality"):
        with env.connection(write=True) as conn:
            node_id = conn.scalar(select(nodes.c.id).where(nodes.c.label == label))
            for card in queue.node_cards(conn, decks.get_node(conn, node_id, env.learner_id)):
                answers.record_answer(conn, card.id, 5, env.clock.now(), env.clock.today(), 1000)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        text = look.screen(app)
        assert "Nothing due or new in Data Scaling today." in text
        assert "Learn" not in text
        await pilot.press("enter")  # "Study Scaling Laws · 0 due · 4 new"
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert "Study: Scaling Laws" in look.screen(app)


async def test_the_new_card_limit_is_explained(env, make_app, look):
    with env.connection(write=True) as conn:
        decks.set_limits(conn, decks.find_deck(conn, DECK, env.learner_id), new_per_day=0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        text = look.words(app, "#nothing-box")
        assert "Today's limit of 0 new cards is reached; raise it with `srs limits --new N`." in text
        assert "Learn" not in text and "Study " not in text
        await pilot.press("enter")  # the only button: back to the map
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_no_deck_yet(empty_env, timer):
    app = SrsApp(empty_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No decks yet. Import one with: srs import FILE" in Look.words(app, "#detail")
        await pilot.press("r", "slash", "n")  # nothing to review, find or annotate: no crash
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_branch_that_does_not_exist_is_a_notification(make_app, look):
    app = make_app(branch="No Such Branch", review=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "no node 'No Such Branch' in deck 'Scaling Hypothesis'" in look.words(app, "Toast")


async def test_a_deck_that_does_not_exist_is_a_message(make_app, look):
    app = make_app(deck="Nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no deck named 'Nope'; decks: 'Scaling Hypothesis'" in look.words(app, "#detail")


async def test_with_several_decks_the_learner_chooses_one_and_can_switch(env, make_app, look):
    import_deck(env, FIXTURES / "scaling.gexf", name="Another deck")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = look.screen(app)
        # Each deck with its due and new counts, under the map's own column heading.
        assert "Choose a deck." in text and "─ Decks ─" in text and "due · new" in text
        assert "│                             due · new│" in text
        assert "│Another deck                   0 ·  16│" in text and f"│{DECK}             0 ·  16│" in text
        assert "Decks" not in look.words(app, "Footer")  # the list is already open
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.deck_name == DECK
        assert "Mon 23 Nov · due 0 · new 16" in look.screen(app)
        # The detail pane shows the map's root, not the deck list's prompt.
        assert "Choose a deck." not in look.words(app, "#detail") and DECK in look.words(app, "#detail")
        # One key more than with one deck, and still every key in 80 columns.
        assert (
            look.screen(app)
            .splitlines()[-1]
            .startswith("⏎ Study r Review due / Find n Edit s Stats e Export d Decks q Quit  ▏^p palette")
        )

        # `d` opens the list on the deck already open; escape goes back to it.
        await pilot.press("d")
        await pilot.pause()
        deck_list = app.screen.query_one("#deck-list", OptionList)
        assert deck_list.display and deck_list.highlighted == 1
        assert "esc Back to the map" in look.words(app, "Footer") and "Stats" not in look.words(app, "Footer")
        await pilot.press("s")  # the map's keys wait until a deck is open again
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not deck_list.display and app.screen.query_one(ConceptTree).has_focus
        assert app.screen.deck_name == DECK and DECK in look.words(app, "#detail")

        # Another deck from the list: its map, header and root.
        await pilot.press("d", "up", "enter")
        await pilot.pause()
        assert app.screen.deck_name == "Another deck"
        assert look.screen(app).startswith(" Another deck")
        assert "─ Concepts ─" in look.screen(app)


async def test_with_one_deck_there_is_no_deck_list(make_app, look):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Decks" not in look.words(app, "Footer")
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query_one("#deck-list", OptionList).display


async def test_the_map_follows_the_theme(studied_env, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ConceptTree)
        colours = {}
        for theme in ("textual-dark", "textual-light", "gruvbox"):
            app.theme = theme
            await pilot.pause()
            colours[theme] = tree.get_component_rich_style("concept-tree--mature", partial=True).color
        assert len(set(colours.values())) == 3, colours


async def open_every_branch(pilot) -> ConceptTree:
    """Open every branch of the map, each as the learner would (its children are read as it opens)."""
    tree = pilot.app.screen.query_one(ConceptTree)
    closed = [tree.root]
    while closed:
        for node in closed:
            node.expand()
        await pilot.pause()
        closed = [node for node in _shown(tree.root) if node.allow_expand and not node.is_expanded]
    return tree


def _shown(node):
    for child in node.children:
        yield child
        yield from _shown(child)


def drawn_map(tree: ConceptTree) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Every line of the map as drawn: its text (label, counts) and its styles (the mastery colours)."""
    lines = []
    for node in [tree.root, *_shown(tree.root)]:
        label = tree.render_label(node, Style(), Style())
        lines.append((" ".join(label.plain.split()), [(s.start, s.end, str(s.style)) for s in label.spans]))
    return lines


async def test_a_large_decks_map_shows_its_top_first_then_the_same_counts_at_every_level(
    studied_env, make_app, look, monkeypatch
):
    """A deck from `COUNT_IN_BACKGROUND_FROM` nodes (here: any deck) first draws its root and
    branches without counts, then, once they are read in the background, the very map a small
    deck draws at once: the same counts, colours and detail at every level opened."""
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        expected = drawn_map(await open_every_branch(pilot))
        expected_detail = look.words(app, "#detail")
    assert len(expected) == 12
    assert expected[0][0] == "▼ Scaling Hypothesis 2 · 12"
    assert "Schedule 2 due · 12 new · 4 of 16 cards learned" in expected_detail, expected_detail

    monkeypatch.setattr(HomeScreen, "COUNT_IN_BACKGROUND_FROM", 0)
    read = threading.Event()
    load_map = deck_service.load_map

    def held_load_map(*args, **kwargs):
        read.wait(10)
        return load_map(*args, **kwargs)

    monkeypatch.setattr(deck_service, "load_map", held_load_map)
    app = make_app()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        text = look.screen(app)
        assert "due 2 · new 12 · done 0 · streak 2 days" in text
        assert tree_line(text, "Computational Scaling") == "├─ ▶ ▌ Computational Scaling … · …"
        assert tree_line(text, "Scaling Laws") == "└─ ▶ ▌ Scaling Laws … · …"
        assert "Bigger models trained on more data" in look.words(app, "#detail")
        assert "Schedule" in look.words(app, "#detail") and "due ·" not in look.words(app, "#detail")
        await pilot.press("down", "right")  # a branch opened now shows its parts with the counts
        await pilot.pause()
        tree = app.screen.query_one(ConceptTree)
        assert tree.cursor_node.is_expanded and not tree.cursor_node.children
        read.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [child.data for child in tree.cursor_node.children] == tree.current.children
        await pilot.press("up")
        assert look.words(app, "#detail") == expected_detail
        assert drawn_map(await open_every_branch(pilot)) == expected


async def test_the_header_names_the_learner_once_the_database_holds_several(make_app, look, env, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert (
            look.screen(app).splitlines()[0].split()
            == f"{DECK} Mon 23 Nov · due 0 · new 16 · done 0 · streak 0 days".split()
        )
    other = Env(
        url=env.url,
        clock=env.clock,
        seed_bundled=False,
        config=load_config({"HOME": str(tmp_path), "SRS_LEARNER": "bob"}),
    )
    assert other.learner_id != env.learner_id  # bob is made, with the deck's cards
    other.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = look.screen(app).splitlines()[0]
        assert f"{env.learner} · Mon 23 Nov · due 0 · new 16 · done 0 · streak 0 days" in header

"""The edit dialog as any screen opens it: what it is dismissed with goes straight into
`edit_node`, and `undo_edit` takes that edit back."""

from __future__ import annotations

from textual.app import App

from srs.service import nodes as node_service
from srs.tui.screens.notes import EditDialog, NotesDialog


class DialogApp(App[None]):
    """A bare app that opens one dialog and keeps what it was dismissed with."""

    def __init__(self, dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


async def test_the_dialogs_result_is_an_edit_and_undo_takes_it_back(env, look):
    node_id = look.node_id("Chinchilla")
    before = node_service.load_node(env, node_id)
    app = DialogApp(EditDialog.of(before))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f7", "backspace", "C", "tab", "E", "tab", "tab", "M", "ctrl+s")
        await pilot.pause()
    assert app.results == [{"definition": "C", "example": "E", "notes": "", "mnemonic": "M"}]
    edit = node_service.edit_node(env, node_id, app.results[0])
    assert [change.field for change in edit.fields] == ["definition", "example", "mnemonic"]
    after = node_service.load_node(env, node_id)
    assert (after.definition, after.example, after.mnemonic) == ("C", "E" + before.example, "M")
    assert after.edited == frozenset({"definition", "example", "mnemonic"})
    node_service.undo_edit(env, edit)
    assert node_service.load_node(env, node_id) == before


async def test_escape_cancels_and_the_notes_dialog_gives_the_pair(env, look):
    app = DialogApp(EditDialog("Chinchilla", {"definition": "D"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
    assert app.results == [None]
    notes = DialogApp(NotesDialog("Chinchilla", "old", ""))
    async with notes.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("N", "tab", "M", "ctrl+s")
        await pilot.pause()
    assert notes.results == [("Nold", "M")]

"""The dialog for a node's notes and mnemonic."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from srs.tui.text import literal


class NotesDialog(ModalScreen[tuple[str, str] | None]):
    """Edit a node's notes and mnemonic. Dismissed with `(notes, mnemonic)`, or None to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, label: str, notes: str, mnemonic: str) -> None:
        super().__init__()
        self.label = label
        self.notes = notes
        self.mnemonic = mnemonic

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-box") as box:
            box.border_title = Text.assemble("Notes · ", literal(self.label, one_line=True))
            yield Label("Notes", classes="field-label")
            yield TextArea(self.notes, id="notes-text")
            yield Label("Mnemonic", classes="field-label")
            yield TextArea(self.mnemonic, id="mnemonic-text")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Label("ctrl+s save · esc cancel · tab next field", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#notes-text", TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss((self.query_one("#notes-text", TextArea).text, self.query_one("#mnemonic-text", TextArea).text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

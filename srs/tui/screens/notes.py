"""The dialog for a node's text: its definition, example, notes and mnemonic.

`EditDialog` edits all four; any screen opens it and hands what it is dismissed with to
`srs.service.nodes.edit_node`, which returns the `NodeEdit` that `undo_edit` takes back:

    def save(texts: dict[str, str] | None) -> None:
        if texts is not None:
            edit = node_service.edit_node(env, node_id, texts)  # keep `edit` for an undo step

    app.push_screen(EditDialog.of(node_service.load_node(env, node_id)), save)

`NotesDialog` is the same dialog with the notes and the mnemonic alone, dismissed with the pair.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from srs.core.edits import EDITABLE
from srs.tui.text import literal

if TYPE_CHECKING:
    from srs.service.nodes import NodeDetail

FIELD_NAMES = {"definition": "Definition", "example": "Example", "notes": "Notes", "mnemonic": "Mnemonic"}

Result = TypeVar("Result")


class FieldsDialog(ModalScreen[Result]):
    """Some of a node's text fields, each in a text area: ctrl+s saves, escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    TITLE = "Edit"

    def __init__(
        self, label: str, texts: Mapping[str, str], fields: Sequence[str], edited: Collection[str] = ()
    ) -> None:
        super().__init__()
        self.label = label
        self.texts = {name: texts.get(name, "") for name in fields}
        self.edited = frozenset(edited)

    def compose(self) -> ComposeResult:
        # The fields scroll where the terminal is too short for them all; the buttons stay in view.
        with VerticalScroll(id="edit-box") as box:
            box.border_title = Text.assemble(f"{self.TITLE} · ", literal(self.label, one_line=True))
            with Vertical(id="edit-keys"):
                with Horizontal(classes="buttons"):
                    yield Button("Save", id="save", variant="primary")
                    yield Button("Cancel", id="cancel")
                yield Label("ctrl+s save · esc cancel · tab next field", classes="muted")
            for name, text in self.texts.items():
                area = TextArea(text, id=f"{name}-text", classes=f"field-text {name}")
                # The field's name in the area's own border: it scrolls into view with the area.
                area.border_title = FIELD_NAMES[name] + (" (edited)" if name in self.edited else "")
                yield area

    def on_mount(self) -> None:
        self.query(TextArea).first().focus()

    def written(self) -> dict[str, str]:
        """What each field's text area holds now, by field."""
        return {name: self.query_one(f"#{name}-text", TextArea).text for name in self.texts}

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.result())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def result(self) -> Result:
        raise NotImplementedError


class EditDialog(FieldsDialog[dict[str, str] | None]):
    """Edit a node's definition, example, notes and mnemonic (a field the learner edited before
    is marked so). Dismissed with every field's text by name, for `edit_node`; None to cancel."""

    def __init__(self, label: str, texts: Mapping[str, str], edited: Collection[str] = ()) -> None:
        super().__init__(label, texts, EDITABLE, edited)

    @classmethod
    def of(cls, detail: NodeDetail) -> EditDialog:
        """The dialog for a node as `srs.service.nodes.load_node` gives it."""
        texts = {name: getattr(detail, name) for name in EDITABLE}
        return cls(detail.label, texts, detail.edited)

    def result(self) -> dict[str, str] | None:
        return self.written()


class NotesDialog(FieldsDialog[tuple[str, str] | None]):
    """Edit a node's notes and mnemonic. Dismissed with `(notes, mnemonic)`, or None to cancel."""

    TITLE = "Notes"

    def __init__(self, label: str, notes: str, mnemonic: str) -> None:
        super().__init__(label, {"notes": notes, "mnemonic": mnemonic}, ("notes", "mnemonic"))

    def result(self) -> tuple[str, str] | None:
        written = self.written()
        return written["notes"], written["mnemonic"]

"""The pick of the sibling a lapsed node was confused with (`c` after a lapse in a session)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from srs.tui.text import literal


class ConfusedDialog(ModalScreen[int | None]):
    """The node's siblings to choose from; dismissed with the chosen one's id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, term: str, siblings: tuple[tuple[int, str], ...]) -> None:
        super().__init__()
        self.term = term
        self.choices = siblings

    def compose(self) -> ComposeResult:
        with Vertical(id="confused-box") as box:
            box.border_title = Text.assemble("Confused ", literal(self.term, one_line=True), " with…")
            yield OptionList(
                *(Option(literal(label, one_line=True), id=str(node_id)) for node_id, label in self.choices),
                id="confused-list",
                markup=False,
            )
            yield Label("enter picks · esc cancels", classes="muted")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#confused-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id is not None else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

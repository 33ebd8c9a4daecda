"""The dialog that shows a deck's options and sets them (as `srs options` does)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Switch

from srs.env import Env
from srs.errors import SrsError
from srs.service import options as options_service
from srs.tui.text import literal, tell


class OptionsDialog(ModalScreen[str | None]):
    """A deck's options, one line each: a switch for a flag, a field for a number of days.
    Saving sets those changed; dismissed with the message shown."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, env: Env, deck: str) -> None:
        super().__init__()
        self.env = env
        self.deck = deck
        self.shown = options_service.show(env, deck)

    def compose(self) -> ComposeResult:
        with Vertical(id="options-box") as box:
            box.border_title = Text.assemble("Options · ", literal(self.deck, one_line=True))
            for option in self.shown.options:
                with Horizontal(classes="option-row"):
                    if isinstance(option.value, bool):
                        yield Switch(option.value, id=f"option-{option.key}")
                    else:
                        yield Input(str(option.value), id=f"option-{option.key}", type="integer")
                    yield Label(option.key, classes="option-key")
                yield Label(option.help, classes="muted option-help")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Label("tab moves · space switches · esc cancel", classes="muted")

    def values(self) -> dict[str, str | bool]:
        """What the dialog's fields say now, by option: a switch's flag, a field's text."""
        out: dict[str, str | bool] = {}
        for option in self.shown.options:
            field = self.query_one(f"#option-{option.key}")
            if isinstance(field, (Switch, Input)):
                out[option.key] = field.value
        return out

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        changed = []
        try:
            for key, value in self.values().items():
                if isinstance(value, str) or value != self.shown.value(key):
                    before = self.shown.value(key)
                    self.shown, _was = options_service.set_option(self.env, self.deck, key, value)
                    if self.shown.value(key) != before:
                        changed.append(key)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self.dismiss(f"Options set: {', '.join(changed)}" if changed else "No option changed")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

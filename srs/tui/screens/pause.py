"""The pause between two chunks: how the chunk went, then go on or stop."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from srs.service.study import Answer
from srs.tui.widgets.results import answer_line, grade_chart

PauseChoice = Literal["next", "stop", "undo"]


class ChunkPauseScreen(ModalScreen[PauseChoice]):
    """Dismissed with "next" (the next chunk), "stop" (to the summary) or "undo" (the
    session's last step: an answer, a suspend, a bury)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('stop')", "Stop here"),
        Binding("s", "choose('stop')", "Stop here", show=False),
        Binding("u", "choose('undo')", "Undo last step"),
    ]

    def __init__(self, number: int, count: int, answers: list[Answer]) -> None:
        super().__init__()
        self.number = number
        self.count = count
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(id="pause-box") as box:
            box.border_title = f"Chunk {self.number} of {self.count} done"
            yield Static(answer_line(self.answers), id="pause-counts")
            yield Static(grade_chart(a.grade for a in self.answers), id="pause-grades")
            with Horizontal(classes="buttons"):
                yield Button(f"Next chunk ({self.number + 1} of {self.count})", id="next", variant="primary")
                yield Button("Stop here", id="stop")
            yield Static(Text("enter next chunk · esc stop here · u undo the last step"), classes="muted")

    def on_mount(self) -> None:
        self.query_one("#next", Button).focus()

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        self.dismiss("next")

    @on(Button.Pressed, "#stop")
    def _stop(self) -> None:
        self.dismiss("stop")

    def action_choose(self, choice: PauseChoice) -> None:
        self.dismiss(choice)

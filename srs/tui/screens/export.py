"""The dialog that writes the highlighted branch to an Anki package, with its progress."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar

from srs.env import Env
from srs.errors import SrsError
from srs.service import export as export_service
from srs.tui.text import literal, tell


def default_path(label: str, folder: Path | None = None) -> Path:
    """Where an export goes unless the learner says otherwise: `<label slug>.apkg` in `folder`."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "deck"
    return (folder or Path.cwd()) / f"{slug}.apkg"


class ExportDialog(ModalScreen[str | None]):
    """Export one branch (or the whole deck, from its root) to Anki. Dismissed with the message shown."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, env: Env, node_id: int, label: str, folder: Path | None = None) -> None:
        super().__init__()
        self.env = env
        self.node_id = node_id
        self.label = label
        self.folder = folder
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = Text.assemble("Export to Anki · ", literal(self.label, one_line=True))
            yield Label("File", classes="field-label")
            yield Input(str(default_path(self.label, self.folder)), id="export-path")
            yield ProgressBar(id="export-progress", show_eta=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Label("enter export · esc cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False  # shown once the export starts
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.query_one("#export", Button).disabled = True
        self.query_one("#export-progress", ProgressBar).display = True
        self.export(Path(self.query_one("#export-path", Input).value).expanduser())

    @work(thread=True, exclusive=True)
    def export(self, path: Path) -> None:
        bar = self.query_one("#export-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            report = export_service.export_branch(self.env, self.node_id, path, progress)
        except SrsError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        message = f"Wrote {report.notes} notes and {report.cards} cards to {report.path}"
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#export", Button).disabled = False
        tell(self, message, "error")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)

"""How far a study session has come: the current chunk and the whole session."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class SessionProgress(Horizontal):
    """`chunk 1 of 3 ▰▰▰▱▱ 4 / 10   session ▰▱▱▱▱ 4 / 30`."""

    def compose(self) -> ComposeResult:
        yield Label(id="chunk-label")
        yield ProgressBar(id="chunk-bar", show_percentage=False, show_eta=False)
        yield Label(id="chunk-count", classes="count")
        yield Label("session", id="session-label")
        yield ProgressBar(id="session-bar", show_percentage=False, show_eta=False)
        yield Label(id="session-count", classes="count")

    def show(self, chunk_number: int, chunk_count: int, chunk_done: int, chunk_total: int,
             session_done: int, session_total: int) -> None:
        self.query_one("#chunk-label", Label).update(f"chunk {chunk_number} of {chunk_count}")
        self.query_one("#chunk-bar", ProgressBar).update(total=max(chunk_total, 1), progress=chunk_done)
        self.query_one("#chunk-count", Label).update(f"{chunk_done} / {chunk_total}")
        self.query_one("#session-bar", ProgressBar).update(total=max(session_total, 1), progress=session_done)
        self.query_one("#session-count", Label).update(f"{session_done} / {session_total}")

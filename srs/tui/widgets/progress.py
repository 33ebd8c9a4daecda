"""How far a study session has come: the current chunk and the whole session, on one line."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

BAR_WIDTH = 14
COUNT_WIDTH = 9


def bar(done: int, total: int, width: int, done_style: Style | str, todo_style: Style | str) -> Text:
    """A bar `width` cells long, filled in half-cell steps for `done` of `total` (as Textual's
    progress bar draws it: `━━━━╸━━━━` or `━━━━╺━━━`)."""
    halves = round(2 * width * min(done, total) / total) if total > 0 else 0
    full, half = divmod(halves, 2)
    text = Text(end="").append("━" * full, done_style)
    if half:
        text.append("╸", done_style)
    elif 0 < full < width:
        text.append("╺", todo_style)
    else:  # empty or full: no half cell at the joint
        return text.append("━" * (width - full), todo_style)
    return text.append("━" * (width - full - 1), todo_style)


class SessionProgress(Widget):
    """`chunk 1 of 3 ━━━━╺━━━━━━━━━ 4 / 10    session ━╺━━━━━━━━━━━━ 4 / 30`.

    One widget drawing one line: a session redraws it after every answer.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "session-progress--done",
        "session-progress--todo",
        "session-progress--complete",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figures = (1, 1, 0, 0, 0, 0)
        """(chunk number, chunks, done in the chunk, cards in the chunk, done in the session, cards in it)."""

    def show(
        self,
        chunk_number: int,
        chunk_count: int,
        chunk_done: int,
        chunk_total: int,
        session_done: int,
        session_total: int,
    ) -> None:
        figures = (chunk_number, chunk_count, chunk_done, chunk_total, session_done, session_total)
        if figures != self.figures:
            self.figures = figures
            self.refresh()

    def render(self) -> Text:
        chunk_number, chunk_count, chunk_done, chunk_total, session_done, session_total = self.figures
        text = Text(f"chunk {chunk_number} of {chunk_count} ", end="")
        text.append_text(self._bar(chunk_done, chunk_total))
        text.append(f" {f'{chunk_done} / {chunk_total}':<{COUNT_WIDTH}} session ")
        text.append_text(self._bar(session_done, session_total))
        text.append(f" {session_done} / {session_total}")
        return text

    def _bar(self, done: int, total: int) -> Text:
        todo = self.get_component_rich_style("session-progress--todo", partial=True)
        filled = "session-progress--complete" if total and done >= total else "session-progress--done"
        return bar(done, total, BAR_WIDTH, self.get_component_rich_style(filled, partial=True), todo)

"""The study session: one card at a time, in chunks, each answer committed as it is given."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from srs.core.mastery import CardState
from srs.core.queue import StudyQueue
from srs.core.sm2 import GRADE_MEANINGS
from srs.env import Env
from srs.errors import SrsError
from srs.service import decks as deck_service
from srs.service import study as study_service
from srs.tui.messages import MapRequested
from srs.tui.screens.pause import ChunkPauseScreen, PauseChoice
from srs.tui.screens.summary import SummaryScreen
from srs.tui.text import literal, tell
from srs.tui.widgets.card_view import CardView
from srs.tui.widgets.grade_bar import GradeBar
from srs.tui.widgets.progress import SessionProgress


class StudyScreen(Screen[None]):
    """Shows a card's front; space shows its back; 0-5 grade it; u takes the last answer back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The grade bar says what space does; the footer stays the same from card to card (a
        # footer whose keys change is rebuilt, which is a third of the time from grade to card).
        Binding("space,enter", "reveal", "Show answer", show=False),
        *(Binding(str(grade), f"grade({grade})", meaning, show=False) for grade, meaning in GRADE_MEANINGS.items()),
        Binding("u", "undo", "Undo"),
        Binding("n", "notes", "Notes"),
        Binding("escape", "end", "End session"),
    ]

    def __init__(
        self, env: Env, scope: study_service.Scope, cards: list[int], chunk_size: int, timer: Callable[[], float]
    ) -> None:
        """
        Args:
            env: The database and clock to use.
            scope: What the session studies.
            cards: The session's cards, in the order they are asked.
            chunk_size: Cards a chunk.
            timer: Seconds, for how long each answer took.
        """
        super().__init__()
        self.env = env
        self.timer = timer
        self.scope = scope
        self.queue = StudyQueue(cards, chunk_size)
        self.answers: list[tuple[int, study_service.Answer]] = []
        """Every answer of the session, with the chunk it was given in, oldest first."""
        self.card: study_service.StudyCard | None = None
        self.revealed = False
        self._shown_at = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(id="study-top"):
            with Horizontal(id="study-heading"):
                yield Static(
                    Text.assemble(("Study: ", "bold"), literal(self.scope.title, "bold", one_line=True)),
                    id="study-title",
                )
                yield Static(id="card-status")
            yield SessionProgress(id="progress")
        yield CardView(id="card")
        yield GradeBar(id="grades")
        yield Footer()

    def on_mount(self) -> None:
        self.queue.start_chunk()
        self.show_current()

    # -- showing ------------------------------------------------------------------------------

    def show_current(self) -> None:
        """Show the front of the queue's current card and start timing the answer."""
        card_id = self.queue.current
        if card_id is None:
            return
        try:
            self.card = study_service.load_card(self.env, card_id)
        except SrsError as exc:
            # The database changed under the session (another window re-imported the deck).
            tell(self, str(exc), "error")
            self.card = None
            self.finish()
            return
        self.revealed = False
        view = self.query_one(CardView)
        view.show(self.card)
        view.focus()
        grades = self.query_one(GradeBar)
        grades.days_to_next = self.card.days_to_next
        grades.revealed = False
        self.query_one("#card-status", Static).update(self._status(self.card))
        self._show_progress()
        self._shown_at = self.timer()

    def _status(self, card: study_service.StudyCard) -> Text:
        if self.queue.is_drill or card.answered_today:
            return Text("again: answered below 4 today", style="italic")
        if card.state is CardState.NEW:
            return Text("new card")
        return Text(f"{card.state.value} card")

    def _show_progress(self) -> None:
        q = self.queue
        self.query_one(SessionProgress).show(
            q.chunk_number, q.chunk_count, q.chunk_done, q.chunk_total, q.session_done, len(q.cards)
        )

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action == "notes":
            return self.card is not None
        return True

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        self.query_one(CardView).reveal()
        self.query_one(GradeBar).revealed = True

    def action_grade(self, grade: int) -> None:
        """Record the answer (committed at once), then show the next card or the chunk's end."""
        if self.card is None:
            return
        if not self.revealed:
            tell(self, "Show the answer first: press space.", timeout=2)
            return
        duration_ms = max(0, round((self.timer() - self._shown_at) * 1000))
        try:
            answer = study_service.record(self.env, self.card.id, grade, duration_ms)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        if answer.made_leech:
            suspended = " and suspended" if answer.suspended else ""
            tell(
                self,
                f"{self.card.content.term} is a leech now{suspended}: {answer.lapses} lapses. "
                "`srs leeches` says what the graph suggests.",
                "warning",
            )
        self.queue.answer(grade)
        self.answers.append((self.queue.chunk_number, answer))
        self._next()

    def _next(self) -> None:
        if self.queue.current is not None:
            self.show_current()
            return
        self._show_progress()
        if not self.queue.has_next_chunk():
            self.finish()
            return
        number = self.queue.chunk_number
        chunk = [answer for n, answer in self.answers if n == number]
        self.app.push_screen(ChunkPauseScreen(number, self.queue.chunk_count, chunk), self._after_pause)

    def _after_pause(self, choice: PauseChoice | None) -> None:
        if choice == "next":
            self.queue.start_chunk()
            self.show_current()
        elif choice == "undo":
            self.action_undo()
        else:
            self.finish()

    def action_undo(self) -> None:
        """Take back the last answer: the card's schedule and the log as they were; show it again."""
        if not self.answers:
            tell(self, "Nothing to undo yet.", timeout=2)
            return
        _, answer = self.answers[-1]
        try:
            study_service.take_back(self.env, answer.review_id)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self.answers.pop()
        while not self.queue.can_undo_answer():
            if not self.queue.undo():  # back past the start of this chunk
                break
        self.queue.undo()
        self.show_current()

    def action_notes(self) -> None:
        card = self.card
        if card is None:
            return
        opened = self.timer()

        def save(result: tuple[str, str] | None) -> None:
            # Time spent writing notes is not time spent answering.
            self._shown_at += self.timer() - opened
            if result is None:
                return
            try:
                deck_service.save_notes(self.env, card.node_id, *result)
                fresh = study_service.load_card(self.env, card.id)
            except SrsError as exc:
                tell(self, str(exc), "error")
                return
            self.card = fresh
            view = self.query_one(CardView)
            view.show(fresh)
            if self.revealed:
                view.reveal()
            tell(self, "Notes saved.", timeout=2)

        from srs.tui.screens.notes import NotesDialog  # an editor a session rarely opens: loaded when it does

        self.app.push_screen(NotesDialog(card.content.term, card.notes, card.mnemonic), save)

    def action_end(self) -> None:
        self.finish()

    def finish(self) -> None:
        """End the session: the summary if anything was answered, else straight back home."""
        answers = [answer for _, answer in self.answers]
        if not answers:
            self.post_message(MapRequested(self.scope.deck))  # nothing answered, or all taken back: the counts stand
            return
        self.app.switch_screen(SummaryScreen(self.env, self.scope, answers))

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
from srs.core.text import plural
from srs.env import Env
from srs.errors import SrsError
from srs.service import nodes as node_service
from srs.service import set_aside as set_aside_service
from srs.service import study as study_service
from srs.tui import steps
from srs.tui.messages import MapRequested
from srs.tui.screens.pause import ChunkPauseScreen, PauseChoice
from srs.tui.screens.summary import SummaryChoice, SummaryScreen
from srs.tui.text import literal, tell
from srs.tui.widgets.card_view import CardView
from srs.tui.widgets.grade_bar import GradeBar
from srs.tui.widgets.progress import SessionProgress


class StudyScreen(Screen[None]):
    """Shows a card's front; space shows its back; 0-5 grade it; @ suspends it, - buries its
    node's cards; u takes the last of these steps back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The grade bar says what space does; the footer stays the same from card to card (a
        # footer whose keys change is rebuilt, which is a third of the time from grade to card).
        Binding("space,enter", "reveal", "Show answer", show=False),
        *(Binding(str(grade), f"grade({grade})", meaning, show=False) for grade, meaning in GRADE_MEANINGS.items()),
        Binding("u", "undo", "Undo"),
        Binding("at", "suspend", "Suspend", key_display="@"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("e", "edit", "Edit"),
        Binding("n", "notes", "Notes"),
        # Only after a lapse of a deck with contrast cards: the message line says so then.
        Binding("c", "confused", "Confused with…", show=False),
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
        self.steps: list[steps.Step] = []
        """What the learner did in the session (answers, suspends, burials), oldest first: `u`
        takes back the last."""
        self.card: study_service.StudyCard | None = None
        self.revealed = False
        self._shown_at = 0.0
        self.lapsed: tuple[int, str, tuple[tuple[int, str], ...]] | None = None
        """The last answer's lapse, while `c` may mark it confused with a sibling: (its card,
        its node's label, the siblings to pick from)."""
        self._summary: SummaryScreen | None = None
        self.journal_kept = False
        """The session's summary kept a line in the branch's journal."""

    def compose(self) -> ComposeResult:
        with Vertical(id="study-top"):
            with Horizontal(id="study-heading"):
                yield Static(
                    Text.assemble(
                        ("Cram: " if self.scope.cram else "Study: ", "bold"),
                        literal(self.scope.title, "bold", one_line=True),
                    ),
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
        # A cram answer moves no schedule: no grade brings the card back on another day.
        grades.days_to_next = () if self.scope.cram else self.card.days_to_next
        grades.revealed = False
        self.query_one("#card-status", Static).update(self._status(self.card))
        self._show_progress()
        self._shown_at = self.timer()

    def _status(self, card: study_service.StudyCard) -> Text:
        if self.scope.cram:
            return Text("cram: the schedule stays as it is", style="italic")
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
        if action in ("edit", "notes", "suspend", "bury"):
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
            answer = study_service.record(self.env, self.card.id, grade, duration_ms, cram=self.scope.cram)
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
        if answer.credits:
            tell(self, f"Credited {plural(len(answer.credits), 'ancestor card')}: due a little later.", timeout=2)
        self._tell_contrasts(answer)
        self.queue.answer(grade, stays=not answer.suspended, checks=answer.checks)
        self.steps.append(steps.Answered(self.queue.chunk_number, answer))
        self._next()

    def _tell_contrasts(self, answer: study_service.Answer) -> None:
        """Say which contrast cards the answer made, and after a lapse that `c` marks it
        confused with a sibling (where the deck has contrast cards)."""
        term = self.card.content.term if self.card is not None else ""
        for other in answer.contrasts:
            tell(self, f"New contrast card: how does {term} differ from {other}?", timeout=4)
        siblings = study_service.confusable(self.env, answer.card_id) if answer.lapse and not answer.drill else ()
        self.lapsed = (answer.card_id, term, siblings) if siblings else None
        if siblings:
            tell(self, f"{term} lapsed: c marks it as confused with a sibling", timeout=4)

    def action_confused(self) -> None:
        """After a lapse: pick the sibling it was confused with; the pair gets a contrast card."""
        if self.lapsed is None:
            tell(self, "c marks a lapse as confused with a sibling: answer a card below 3 first.", timeout=2)
            return
        card_id, term, siblings = self.lapsed
        from srs.tui.screens.confused import ConfusedDialog  # rarely opened: loaded when it is

        def picked(other_id: int | None) -> None:
            if other_id is None:
                return
            try:
                made = study_service.confuse(self.env, card_id, other_id)
            except SrsError as exc:
                tell(self, str(exc), "error")
                return
            self.lapsed = None
            if made.made:
                tell(self, f"New contrast card: how does {term} differ from {made.label}?", timeout=4)
            else:
                tell(self, f"{term} and {made.label} have a contrast card already.", timeout=3)

        self.app.push_screen(ConfusedDialog(term, siblings), picked)

    def action_suspend(self) -> None:
        """Suspend the card shown (out of every queue until unsuspended) and go on."""
        if self.card is None:
            return
        try:
            cards = set_aside_service.suspend_card(self.env, self.card.id)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self._set_aside(steps.Suspended(self.queue.chunk_number, cards), "Suspended")

    def action_bury(self) -> None:
        """Bury the card shown and its node's other cards until tomorrow, and go on."""
        if self.card is None:
            return
        try:
            cards = set_aside_service.bury_card(self.env, self.card.id)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self._set_aside(steps.Buried(self.queue.chunk_number, cards), "Buried until tomorrow")

    def _set_aside(self, step: steps.SetAside, done: str) -> None:
        term = self.card.content.term if self.card is not None else ""
        self.queue.set_aside(step.cards.leaving)
        self.steps.append(step)
        tell(self, f"{done}: {term} (u takes it back)", timeout=3)
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
        chunk = steps.answers(self.steps, number)
        if not chunk:  # every card of the chunk was set aside: nothing to pause over
            self.queue.start_chunk()
            self.show_current()
            return
        self.app.push_screen(ChunkPauseScreen(number, self.queue.chunk_count, chunk), self._after_pause)

    def _after_pause(self, choice: PauseChoice | None) -> None:
        if choice == "next":
            self.queue.start_chunk()
            self.show_current()
        elif choice == "undo":
            self.action_undo()
        else:
            self.finish()

    def action_undo(self) -> bool:
        """Take back the session's last step (an answer, a suspend, a bury): the cards exactly
        as they were before it; show its card again. Whether a step was taken back."""
        if not self.steps:
            tell(self, "Nothing to undo yet.", timeout=2)
            return False
        try:
            self.steps[-1].undo(self.env, self.queue)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return False
        self.steps.pop()
        self.lapsed = None
        if self.queue.current is None:  # an edit taken back at a chunk's end: the pause again
            self._next()
        else:
            self.show_current()
        return True

    def action_edit(self) -> None:
        """Edit the definition, example, notes and mnemonic of the card's node."""
        if self.card is None:
            return
        from srs.tui.screens.notes import EditDialog  # an editor a session rarely opens: loaded when it does

        try:
            detail = node_service.load_node(self.env, self.card.node_id)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self._edit(EditDialog.of(detail), lambda texts: texts, "Saved")

    def action_notes(self) -> None:
        """Edit the notes and mnemonic of the card's node."""
        card = self.card
        if card is None:
            return
        from srs.tui.screens.notes import NotesDialog

        dialog = NotesDialog(card.content.term, card.notes, card.mnemonic)
        self._edit(dialog, lambda pair: {"notes": pair[0], "mnemonic": pair[1]}, "Notes saved")

    def _edit(self, dialog, changes: Callable, done: str) -> None:
        """Open `dialog` on the card shown; what it is dismissed with, through `changes`, is the
        learner's edit of the node (one undoable step), and the card shows it."""
        card = self.card
        if card is None:
            return
        opened = self.timer()

        def save(result) -> None:
            # Time spent writing is not time spent answering.
            self._shown_at += self.timer() - opened
            if result is None:
                return
            try:
                edit = node_service.edit_node(self.env, card.node_id, changes(result))
                fresh = study_service.load_card(self.env, card.id)
            except SrsError as exc:
                tell(self, str(exc), "error")
                return
            if edit.changed:
                self.steps.append(steps.Edited(self.queue.chunk_number, edit))
            self.card = fresh
            view = self.query_one(CardView)
            view.show(fresh)
            if self.revealed:
                view.reveal()
            tell(self, f"{done} (u takes it back)." if edit.changed else "Nothing changed.", timeout=2)

        self.app.push_screen(dialog, save)

    def action_end(self) -> None:
        self.finish()

    def finish(self) -> None:
        """End the session: its summary if anything was done, else straight back home."""
        if not self.steps:
            self.post_message(MapRequested(self.scope.deck))  # nothing done, or all taken back: the counts stand
            return
        suspended = sum(len(s.cards.before) for s in self.steps if isinstance(s, steps.Suspended))
        buried = sum(len(s.cards.before) for s in self.steps if isinstance(s, steps.Buried))
        journal = not self.journal_kept and study_service.asks_journal(self.env, self.scope)
        summary = SummaryScreen(self.env, self.scope, steps.answers(self.steps), suspended, buried, journal)
        self._summary = summary
        # Above this screen, so that `u` there comes back here to the step's card.
        self.app.push_screen(summary, self._after_summary)

    def _after_summary(self, choice: SummaryChoice | None) -> None:
        # A line kept there is not asked for again when `u` resumes the session.
        self.journal_kept = self.journal_kept or (self._summary is not None and self._summary.journal_kept)
        if choice == "undo" and self.action_undo():
            return
        if choice == "undo":  # it could not be taken back: the session stays over
            self.finish()
            return
        self.post_message(MapRequested(self.scope.deck, answered=True))

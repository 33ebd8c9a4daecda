"""The end of a session: what was answered, how, how long it took, when cards come back, and
what was set aside."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from srs.core.reflection import JOURNAL_LENGTH, JOURNAL_QUESTION
from srs.env import Env
from srs.errors import SrsError
from srs.service import study as study_service
from srs.tui.text import day_name, literal, plural, short_date, tell
from srs.tui.widgets.results import answer_line, grade_chart

NEXT_DUE_LINES = 6
"""How many of the coming due dates the summary lists."""

SummaryChoice = Literal["back", "undo"]


class JournalLine(Input):
    """The one line of the branch's journal: Enter keeps it (an empty line skips), Escape skips
    it; either way the summary's own keys work again."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", "Skip the journal")]

    def action_skip(self) -> None:
        self.post_message(self.Submitted(self, ""))


class SummaryScreen(Screen[SummaryChoice]):
    """A finished (or stopped) session, shown above its study screen. Dismissed with "back" (to
    the map) or "undo" (take back the session's last step and return to its card)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the map"),
        Binding("u", "undo", "Undo last step"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        env: Env,
        scope: study_service.Scope,
        answers: list[study_service.Answer],
        suspended: int = 0,
        buried: int = 0,
        journal: bool = False,
    ) -> None:
        """
        Args:
            env: The database and clock to use.
            scope: What the session studied.
            answers: The session's answers, oldest first.
            suspended: Cards the session suspended.
            buried: Cards the session buried until tomorrow.
            journal: Ask for a line for the branch's journal (the deck's `journal` option).
        """
        super().__init__()
        self.env = env
        self.scope = scope
        self.answers = answers
        self.suspended = suspended
        self.buried = buried
        self.journal = journal and scope.branch_id is not None
        self.journal_kept = False
        """An entry was written here (so that the session, resumed by `u`, asks no more)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-box") as box:
            box.border_title = Text.assemble("Session done · ", literal(self.scope.title, one_line=True))
            yield Static(answer_line(self.answers), id="summary-counts")
            yield Static(grade_chart(a.grade for a in self.answers), id="summary-grades")
            yield Static(id="summary-next")
            yield Static(id="summary-layer")
            if self.suspended or self.buried:
                yield Static(self._set_aside(), id="summary-set-aside")
            if self.journal:
                yield Static(Text(JOURNAL_QUESTION, style="bold"), id="journal-question")
                yield JournalLine(
                    placeholder="one line · enter keeps it · esc skips",
                    max_length=JOURNAL_LENGTH,
                    id="journal-line",
                )
            with Vertical(classes="buttons"):
                yield Button("Back to the map", id="back", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-next", Static).update(self._next_reviews())
        layer = self._next_layer()
        self.query_one("#summary-layer", Static).update(layer)
        self.query_one("#summary-layer", Static).display = bool(layer)
        if self.journal:
            self.query_one(JournalLine).focus()
        else:
            self.query_one("#back", Button).focus()

    @on(Input.Submitted, "#journal-line")
    def _journal_line(self, event: Input.Submitted) -> None:
        """Keep the line in the branch's journal (an empty one skips), then give the keys back."""
        from srs.service import journal as journal_service

        event.stop()
        line = event.value
        said = Text("Skipped.", style="italic")
        if line.strip() and self.scope.branch_id is not None:
            try:
                kept = journal_service.add_for_node(self.env, self.scope.branch_id, line)
            except SrsError as exc:
                tell(self, str(exc), "error")
                return
            self.journal_kept = True
            said = Text.assemble(("Kept in the journal: ", "italic"), literal(kept.text, one_line=True))
        self.query_one(JournalLine).remove()
        self.query_one("#journal-question", Static).update(Text.assemble((JOURNAL_QUESTION, "bold"), "\n  ", said))
        self.query_one("#back", Button).focus()

    def _set_aside(self) -> Text:
        parts = []
        if self.suspended:
            parts.append(f"{plural(self.suspended, 'card')} suspended")
        if self.buried:
            parts.append(f"{plural(self.buried, 'card')} buried until tomorrow")
        return Text.assemble(("Set aside", "bold"), "\n  ", " · ".join(parts))

    def _next_reviews(self) -> Text:
        today = self.env.clock.today()
        try:
            dues = study_service.due_dates(self.env, list(dict.fromkeys(a.card_id for a in self.answers)))
        except SrsError as exc:
            return literal(str(exc))
        by_day = Counter(d for d in dues.values() if d is not None)
        text = Text.assemble(("Next reviews", "bold"))
        for day in sorted(by_day)[:NEXT_DUE_LINES]:
            text.append(f"\n  {short_date(day, today):<12} {day_name(day, today):<16} {plural(by_day[day], 'card')}")
        if len(by_day) > NEXT_DUE_LINES:
            later = sum(by_day[d] for d in sorted(by_day)[NEXT_DUE_LINES:])
            text.append(f"\n  later: {plural(later, 'card')}")
        return text

    def _next_layer(self) -> Text:
        """When the scope's next layer opens, under progressive layering: the earliest day a
        locked node's parents reach the interval, if answered good on their due days (and how
        many of the locked nodes open that day)."""
        from srs.service.frontier import frontier_of_scope

        try:
            shown = frontier_of_scope(self.env, self.scope.deck, self.scope.branch_id)
        except SrsError as exc:
            return literal(str(exc))
        opens = shown.next_layer
        if opens is None:
            return Text()
        today = self.env.clock.today()
        waiting = sum(1 for node in shown.locked if node.opens == opens)
        return Text.assemble(
            ("Next layer", "bold"),
            f"\n  opens {short_date(opens, today)} ({day_name(opens, today)}): "
            f"{waiting} of {plural(len(shown.locked), 'locked node')}",
        )

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss("back")

    def action_undo(self) -> None:
        self.dismiss("undo")

"""When a session would be empty: say so, and offer new cards or another branch with work, or to
study beyond the day's plan: `a` the cards due within a week, `x` ten extra new cards, `c` a cram
of every card of the branch (also in the command palette)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from srs.core.queue import Beyond
from srs.service import study as study_service
from srs.tui.messages import MapRequested, StudyRequested
from srs.tui.text import literal, plural
from srs.tui.widgets.study_commands import StudyBeyondCommands


class NothingDueScreen(Screen[None]):
    """Nothing to study in the scope today, and what could be studied instead."""

    COMMANDS = {StudyBeyondCommands}
    """The command palette (ctrl+p) offers the same sessions beyond the plan as the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "ahead", f"Ahead {study_service.AHEAD_DAYS} days"),
        Binding("x", "extra_new", f"{study_service.EXTRA_NEW} extra new"),
        Binding("c", "cram", "Cram"),
        Binding("escape", "back", "Back to the map"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, scope: study_service.Scope, offer: study_service.NothingDue) -> None:
        super().__init__()
        self.scope = scope
        self.offer = offer

    def compose(self) -> ComposeResult:
        offer = self.offer
        with Vertical(id="nothing-box") as box:
            box.border_title = literal(self.scope.title, one_line=True)
            what = "due" if not self.scope.new_cards else "due or new"
            message = Text.assemble(f"Nothing {what} in ", literal(self.scope.title, "bold", one_line=True), " today.")
            if offer.new_limit_reached:
                message.append(
                    f"\nToday's limit of {plural(offer.new_per_day, 'new card')} is reached; "
                    "raise it with `srs limits --new N`."
                )
            yield Static(message, id="nothing-message")
            beyond = self._beyond_lines()
            if beyond.plain:
                yield Static(beyond, id="nothing-beyond")
            with Vertical(classes="buttons"):
                branch = offer.next_branch
                if branch is not None:
                    label = Text.assemble(
                        "Study ", literal(branch.label, one_line=True), f" · {branch.due} due · {branch.new} new"
                    )
                    yield Button(label, id="next-branch", variant="primary")
                yield Button("Back to the map", id="back")
        yield Footer()

    def _beyond_lines(self) -> Text:
        """What studying beyond the day's plan would bring, each with its key."""
        offer, lines = self.offer, []
        if offer.due_ahead:
            lines.append(("a", f"the {plural(offer.due_ahead, 'card')} due within {offer.ahead_days} days"))
        if offer.new_beyond:
            extra = min(study_service.EXTRA_NEW, offer.new_beyond)
            lines.append(("x", f"{plural(extra, 'extra new card')}, past today's limit"))
        if offer.cards:
            lines.append(("c", f"cram all {plural(offer.cards, 'card')}: answers move no schedule"))
        text = Text()
        for key, what in lines:
            text.append("\n" if text else "Beyond today's plan:\n")
            text.append(f" {key} ", "reverse").append(f" {what}")
        return text

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only what would bring cards: a session of none would show this screen again.
        if action == "ahead":
            return self.offer.due_ahead > 0
        if action == "extra_new":
            return self.offer.new_beyond > 0
        if action == "cram":
            return self.offer.cards > 0
        return True

    def study_scope(self) -> study_service.Scope:
        """The scope this screen found nothing in: what the palette's study commands study."""
        return self.scope

    def study_beyond(self, beyond: Beyond) -> None:
        """Study the scope beyond the day's plan, in place of this screen."""
        self.post_message(StudyRequested(replace(self.scope, beyond=beyond), replace=True))

    def action_ahead(self) -> None:
        """Study the cards due within the next days too, as before an exam."""
        self.study_beyond(Beyond(ahead=self.offer.ahead_days))

    def action_extra_new(self) -> None:
        """Learn more new cards than today's limit leaves (the limit itself stays)."""
        self.study_beyond(Beyond(extra_new=study_service.EXTRA_NEW))

    def action_cram(self) -> None:
        """Go through every card of the scope, due or not; answers move no schedule."""
        self.study_beyond(Beyond(cram=True))

    @on(Button.Pressed, "#next-branch")
    def _next_branch(self) -> None:
        branch = self.offer.next_branch
        assert branch is not None
        self.post_message(StudyRequested(study_service.Scope(self.scope.deck, branch.id, branch.label), replace=True))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.post_message(MapRequested(self.scope.deck))

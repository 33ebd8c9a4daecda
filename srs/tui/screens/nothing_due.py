"""When a session would be empty: say so, and offer new cards or another branch with work."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from srs.service import study as study_service
from srs.tui.messages import MapRequested, StudyRequested
from srs.tui.text import literal, plural


class NothingDueScreen(Screen[None]):
    """Nothing to study in the scope today, and what could be studied instead."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
            with Vertical(classes="buttons"):
                branch = offer.next_branch
                if branch is not None:
                    label = Text.assemble(
                        "Study ", literal(branch.label, one_line=True), f" · {branch.due} due · {branch.new} new"
                    )
                    yield Button(label, id="next-branch", variant="primary")
                yield Button("Back to the map", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed, "#next-branch")
    def _next_branch(self) -> None:
        branch = self.offer.next_branch
        assert branch is not None
        self.post_message(StudyRequested(study_service.Scope(self.scope.deck, branch.id, branch.label), replace=True))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.post_message(MapRequested(self.scope.deck))

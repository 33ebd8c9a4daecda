"""The terminal app. The command line and the tests build it the same way: `SrsApp(env, ...)`."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from srs.bulk import resume_after_startup
from srs.core.queue import PLAN, Beyond
from srs.env import Env
from srs.errors import SrsError
from srs.service import study as study_service
from srs.tui.messages import MapRequested, StudyRequested
from srs.tui.screens.study import StudyScreen
from srs.tui.text import tell

if TYPE_CHECKING:
    from srs.tui.screens.home import HomeScreen

DEFAULT_CHUNK = 10


# The map and the nothing-due screen are imported when first shown: `srs review` opens straight
# into a session and need not load the map's widgets before its first card.


def _home_screen() -> type[HomeScreen]:
    from srs.tui.screens.home import HomeScreen

    return HomeScreen


class SrsApp(App[None]):
    """Explore a deck's concept map and study it, a branch and a chunk at a time."""

    CSS_PATH = "srs.tcss"
    TITLE = "srs"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("question_mark", "toggle_keys", "Keys", show=False)]

    def __init__(
        self,
        env: Env,
        deck: str | None = None,
        branch: str | None = None,
        *,
        review: bool = False,
        chunk_size: int = DEFAULT_CHUNK,
        beyond: Beyond = PLAN,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        """
        Args:
            env: The database and clock to use.
            deck: The deck's name; None for the only deck there is (the app asks if there are several).
            branch: A node id, label or label path: the branch to study (with `review`) or to open
                the map at.
            review: Open straight into a study session: of `branch` (due and new cards) or, without
                a branch, of every card due in the deck.
            chunk_size: Cards a chunk, at least 1.
            beyond: With `review`, what the session takes beyond the day's plan (cards due
                ahead, extra new cards, or a cram).
            timer: Seconds, for how long each answer took (tests pass a fake one).
        """
        super().__init__()
        if chunk_size < 1:
            raise ValueError("a chunk holds at least one card")
        self.env = env
        self.deck_name = deck
        """The deck asked for at the start (the map keeps the one it shows)."""
        self.start_branch = branch
        self.start_review = review
        self.chunk_size = chunk_size
        self.beyond = beyond
        self.timer = timer

    def on_mount(self) -> None:
        self.call_after_refresh(resume_after_startup)
        if not self.start_review:
            self.push_screen(_home_screen()(self.env, self.deck_name, go_to=self.start_branch))
            return
        try:
            scope = study_service.branch_scope(
                self.env, self.deck_name, self.start_branch, new_cards=self.start_branch is not None
            )
        except SrsError as exc:
            self.push_screen(_home_screen()(self.env, self.deck_name))
            # Once the home screen is up: a notification goes to the screen showing at the time.
            self.call_after_refresh(tell, self, str(exc), "error")
            return
        self.study(dataclasses.replace(scope, beyond=self.beyond))

    def study(self, scope: study_service.Scope, replace: bool = False) -> None:
        """Start a session on the scope, or say there is nothing to study and offer what there is."""
        try:
            asked = scope
            scope, cards = study_service.start_session(self.env, scope)
            screen: Screen[None]
            if cards:
                screen = StudyScreen(self.env, scope, cards, self.chunk_size, self.timer)
            else:
                from srs.tui.screens.nothing_due import NothingDueScreen

                screen = NothingDueScreen(scope, study_service.nothing_due(self.env, scope))
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if scope != asked:  # once the session's screen is up, so the note shows on it
            self.call_after_refresh(tell, self, "Nothing is due today: here are the new cards.")

    def action_toggle_keys(self) -> None:
        """`?`: show every key of the screen (Textual's keys panel), or hide it again."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def on_study_requested(self, message: StudyRequested) -> None:
        self.study(message.scope, replace=message.replace)

    def on_map_requested(self, message: MapRequested) -> None:
        """Back to the map: the home screen under this one, or a new one if the app began elsewhere."""
        home = _home_screen()
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, home):
            self.pop_screen()
            if message.answered:
                below.refresh_counts()
        else:
            self.switch_screen(home(self.env, message.deck))

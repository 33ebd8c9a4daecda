"""The terminal app. The command line and the tests build it the same way: `SrsApp(env, ...)`."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from srs.bulk import resume_after_startup
from srs.env import Env
from srs.errors import SrsError
from srs.service import study as study_service
from srs.tui.screens.study import StudyScreen
from srs.tui.text import clean

DEFAULT_CHUNK = 10


# The map and the nothing-due screen are imported when first shown: `srs review` opens straight
# into a session and need not load the map's widgets before its first card.


def _home_screen():
    from srs.tui.screens.home import HomeScreen

    return HomeScreen


class SrsApp(App[None]):
    """Explore a deck's concept map and study it, a branch and a chunk at a time."""

    CSS_PATH = "srs.tcss"
    TITLE = "srs"

    def __init__(
        self,
        env: Env,
        deck: str | None = None,
        branch: str | None = None,
        *,
        review: bool = False,
        chunk_size: int = DEFAULT_CHUNK,
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
            timer: Seconds, for how long each answer took (tests pass a fake one).
        """
        super().__init__()
        if chunk_size < 1:
            raise ValueError("a chunk holds at least one card")
        self.env = env
        self.deck_name = deck
        self.start_branch = branch
        self.start_review = review
        self.chunk_size = chunk_size
        self.timer = timer
        self.answers_given = 0
        """Answers recorded or taken back since the app started: screens that show counts
        compare it with what they last drew."""

    def on_mount(self) -> None:
        self.call_after_refresh(resume_after_startup)
        if not self.start_review:
            self.push_screen(_home_screen()())
            return
        try:
            scope = study_service.branch_scope(
                self.env, self.deck_name, self.start_branch, new_cards=self.start_branch is not None
            )
        except SrsError as exc:
            self.push_screen(_home_screen()())
            # Once the home screen is up: a notification goes to the screen showing at the time.
            self.call_after_refresh(self.tell, str(exc), "error")
            return
        self.deck_name = scope.deck
        self.study(scope)

    def study(self, scope: study_service.Scope, replace: bool = False) -> None:
        """Start a session on the scope, or say there is nothing to study and offer what there is."""
        try:
            cards = study_service.session_cards(self.env, scope)
            screen: Screen[None]
            if cards:
                screen = StudyScreen(scope, cards, self.chunk_size)
            else:
                from srs.tui.screens.nothing_due import NothingDueScreen

                screen = NothingDueScreen(scope, study_service.nothing_due(self.env, scope))
        except SrsError as exc:
            self.tell(str(exc), "error")
            return
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_home(self) -> None:
        """Back to the map: the home screen under this one, or a new one if the app began elsewhere."""
        home = _home_screen()
        if len(self.screen_stack) > 1 and isinstance(self.screen_stack[-2], home):
            self.pop_screen()
        else:
            self.switch_screen(home())

    def tell(self, message: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """A notification whose text is shown literally (it may quote deck text)."""
        self.notify(clean(message, one_line=True), severity=severity, timeout=timeout, markup=False)

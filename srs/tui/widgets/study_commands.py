"""The command palette's sessions beyond the day's plan, for the scope of the screen it opens
over: study the cards due within a week too, ten extra new cards, or a cram of every card.

The screen must offer `study_scope()` (the scope the commands name, or None) and
`study_beyond(beyond)` (start that session); the home screen and the nothing-due screen do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from srs.core.queue import Beyond
from srs.core.text import clean
from srs.service import study as study_service
from srs.tui.text import literal


class StudyBeyondScreen(Protocol):
    """What a screen that offers the study commands has."""

    def study_scope(self) -> study_service.Scope | None: ...

    def study_beyond(self, beyond: Beyond) -> None: ...


def beyond_commands(title: str) -> list[tuple[str, Beyond, str]]:
    """(the command's name, the session it starts, what it does) for a scope named `title`."""
    days, extra = study_service.AHEAD_DAYS, study_service.EXTRA_NEW
    return [
        (f"Study ahead: {title}", Beyond(ahead=days), f"today's cards and those due within {days} days"),
        (f"Extra new cards: {title}", Beyond(extra_new=extra), f"{extra} more new cards than today's limit leaves"),
        (f"Cram: {title}", Beyond(cram=True), "every card in the order taught; answers move no schedule"),
    ]


class StudyBeyondCommands(Provider):
    """Sessions beyond the day's plan on the screen's scope. Deck text in a command's name is
    shown as literal text, never read as markup."""

    def _commands(self) -> list[tuple[str, Callable[[], None], str]]:
        screen = cast(StudyBeyondScreen, self.screen)
        finder = getattr(screen, "study_scope", None)
        scope = finder() if finder is not None else None
        if scope is None:
            return []
        commands = beyond_commands(clean(scope.title, one_line=True))
        return [(name, partial(screen.study_beyond, beyond), what) for name, beyond, what in commands]

    async def discover(self) -> Hits:
        for name, start, what in self._commands():
            yield DiscoveryHit(literal(name), start, text=name, help=what)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, start, what in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, literal(name), start, text=name, help=what)

"""Finding a concept by name: a command-palette provider over the labels and paths of the map."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from srs.tui.text import clean

MATCH_STYLE = "bold underline"
PATH_WEIGHT = 0.6
"""A match in a concept's path counts for less than one in its own label."""
DISCOVER = 30
"""How many concepts the finder lists before anything is typed."""


@dataclass(frozen=True)
class FindEntry:
    """A concept the finder can go to."""

    node_id: int
    label: str
    path: str
    """The labels above it, joined by ›."""


class ConceptFinder(Provider):
    """Concepts of the map that match what is typed; choosing one moves the map's cursor to it.

    The calling screen must offer `find_entries()` and `go_to(node_id)` (the home screen does).
    Deck text is shown as literal `Text`, never as markup: Textual's own highlighter parses
    markup, so the matched letters are marked here instead.
    """

    def _entries(self):
        finder = getattr(self.screen, "find_entries", None)
        return finder() if finder is not None else []

    async def discover(self) -> Hits:
        for entry in self._entries()[:DISCOVER]:
            yield DiscoveryHit(
                Text(clean(entry.label, one_line=True)), partial(self.screen.go_to, entry.node_id),
                text=entry.label, help=_help(entry),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        fuzzy = matcher.fuzzy_search
        for entry in self._entries():
            label = clean(entry.label, one_line=True)
            score, offsets = fuzzy.match(query, label)
            if not score and entry.path:
                score = fuzzy.match(query, f"{clean(entry.path, one_line=True)} › {label}")[0] * PATH_WEIGHT
                offsets = ()
            if not score:
                continue
            display = Text(label)
            for offset in offsets:
                display.stylize(MATCH_STYLE, offset, offset + 1)
            yield Hit(score, display, partial(self.screen.go_to, entry.node_id), text=entry.label, help=_help(entry))


def _help(entry: FindEntry) -> Content | None:
    # A Content is shown as it is; a str would be read as markup.
    return Content(clean(entry.path, one_line=True)) if entry.path else None

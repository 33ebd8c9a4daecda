"""Finding a concept: a command-palette provider over the labels, paths and texts of the map.

A map may hold a few hundred thousand concepts, and the finder searches again at every key. So
the labels and paths are cleaned and lower-cased once, into an index of long strings that
Python's string search and regular expressions scan in C; a query looks for the best kinds of
match first (the whole label, its start, the start of a word, anywhere in it, its letters in
order, then the words along the path), then for the concepts whose definition, example or notes
hold every word, ranked as `srs search` ranks them (`srs.core.search`), and stops at the first
`SHOWN` concepts.

The index is made and searched a slice at a time, with a pause for the app in between: keys
are read while a search runs, so a newer query (Textual's palette then cancels the older
search) or escape takes effect at once, whatever the size of the map.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, islice
from typing import Protocol, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from srs.core.search import Tier, match
from srs.tui.text import SEPARATOR, clean

MATCH_STYLE = "bold underline"
DISCOVER = 30
"""How many concepts the finder lists before anything is typed."""
SHOWN = 40
"""How many concepts a query lists at most: typing more narrows them."""
SLICE = 4_000
"""Concepts made ready, or searched, between two pauses for the app (some milliseconds' work)."""


@dataclass(frozen=True)
class Found:
    """A concept that matches a query, as the finder shows it."""

    node_id: int
    label: str
    """Control characters made visible, on one line; so is `path`."""
    path: str
    """The labels above it, joined by ›."""
    offsets: tuple[int, ...] = ()
    """The letters of the label that match."""
    field: str = "label"
    """Where the query matched: label, or (every word somewhere in the concept's texts)
    definition, example or notes."""
    excerpt: str = ""
    """For a match outside the label: that field's text around it, on one line, as shown."""


class NodeTexts(Protocol):
    """A concept's texts beside its label, as the finder searches them."""

    @property
    def definition(self) -> str: ...
    @property
    def example(self) -> str: ...
    @property
    def notes(self) -> str: ...


TextReader = Callable[[list[int]], Mapping[int, NodeTexts]]
"""Reads the texts of the concepts with the ids given (a slice of them at a time)."""


@dataclass(frozen=True)
class _Searched:
    """A concept as `srs.core.search` reads it."""

    label: str
    definition: str
    example: str
    notes: str
    rank: int


class _Slice:
    """Up to SLICE concepts: their ids, labels and paths as shown, and their lower-cased labels
    (and, once a query of several words needs them, paths with the label) as lines of one string."""

    def __init__(self, concepts: list[tuple[int, str, str]], read_texts: TextReader | None = None) -> None:
        self.node_ids = [node_id for node_id, _, _ in concepts]
        self.labels = [_shown(label) for _, label, _ in concepts]
        self.paths = [_shown(path) for _, _, path in concepts]
        self.label_text, self.label_starts = _joined([label.lower() for label in self.labels])
        self._path_text: tuple[str, list[int]] | None = None
        self._read_texts = read_texts
        self._texts: tuple[str, list[int], list[_Searched]] | None = None

    def path_text(self) -> tuple[str, list[int]]:
        if self._path_text is None:
            self._path_text = _joined(
                [
                    f"{path}{SEPARATOR}{label}".lower() if path else label.lower()
                    for label, path in zip(self.labels, self.paths, strict=True)
                ]
            )
        return self._path_text

    def texts(self) -> tuple[str, list[int], list[_Searched]]:
        """Each concept's label, definition, example and notes lower-cased on one line (tabs
        between them and in place of line breaks: no word of a query holds either), where each
        line starts, and the concepts as the search core reads them. Read when first needed."""
        if self._texts is None:
            read = self._read_texts(self.node_ids) if self._read_texts is not None else {}
            searched = []
            for line, (node_id, label) in enumerate(zip(self.node_ids, self.labels, strict=True)):
                texts = read.get(node_id)
                searched.append(
                    _Searched(label, texts.definition, texts.example, texts.notes, line)
                    if texts is not None
                    else _Searched(label, "", "", "", line)
                )
            lines = [
                "\t".join((n.label, n.definition, n.example, n.notes)).lower().replace("\n", "\t") for n in searched
            ]
            self._texts = (*_joined(lines), searched)
        return self._texts

    def found(self, line: int, offsets: tuple[int, ...] = (), field: str = "label", excerpt: str = "") -> Found:
        return Found(self.node_ids[line], self.labels[line], self.paths[line], offsets, field, excerpt)


def _shown(text: str) -> str:
    # `clean`, on one line. It only changes characters that are not printable, which most labels
    # do not hold: the test is much quicker than the cleaning.
    return text if text.isprintable() else clean(text, one_line=True)


def _joined(lines: list[str]) -> tuple[str, list[int]]:
    """The lines as one string, each between two line breaks, and where each one starts."""
    return "\n" + "\n".join(lines) + "\n", list(accumulate((len(line) + 1 for line in lines[:-1]), initial=1))


class FinderIndex:
    """Every concept of a map, made ready to search as it is first needed, a slice at a time."""

    def __init__(self, concepts: Iterable[tuple[int, str, str]], read_texts: TextReader | None = None) -> None:
        """`concepts`: (node id, label, the labels above it joined by ›), in the map's order;
        `read_texts`: where their definitions, examples and notes come from (none: labels only)."""
        self._concepts = iter(concepts)
        self._read_texts = read_texts
        self._slices: list[_Slice] = []
        self._complete = False

    def slices(self) -> Iterator[_Slice]:
        """The slices in order, each made when first reached."""
        number = 0
        while number < len(self._slices) or self._make_slice():
            yield self._slices[number]
            number += 1

    def _make_slice(self) -> bool:
        concepts = [] if self._complete else list(islice(self._concepts, SLICE))
        if not concepts:
            self._complete = True
            return False
        self._slices.append(_Slice(concepts, self._read_texts))
        return True

    def first(self, count: int) -> list[Found]:
        """The first `count` concepts, in the map's order."""
        found: list[Found] = []
        for piece in self.slices():
            found += (piece.found(line) for line in range(min(count - len(found), len(piece.node_ids))))
            if len(found) == count:
                break
        return found

    def search(self, query: str, limit: int = SHOWN) -> Iterator[list[Found]]:
        """Search for `query` a slice at a time: after each slice, the best `limit` matches so far
        (the last is the answer).

        Best are the labels that are the query, then those that start with it, have a word that
        starts with it, hold it, hold its letters in order, then (for a query of several words)
        the concepts whose path down to them holds the words in order, and last the concepts
        that hold every word in their label, definition, example or notes, ranked by
        `srs.core.search` (label matches first); within each kind, the map's order. A kind is no
        longer looked for once the better ones fill the list.
        """
        query = query.strip().lower()
        if not query:
            return
        kinds: list[tuple[str | re.Pattern, bool]] = [
            (f"\n{query}\n", False),
            (f"\n{query}", False),
            (f" {query}", False),
            (query, False),
            (_in_order(query), False),
        ]
        words = query.split()
        if len(words) > 1:
            kinds.append((re.compile("[^\n]*?".join(re.escape(word) for word in words)), True))
        found: list[list[Found]] = [[] for _ in kinds]
        in_texts: list[tuple[Tier, int, Found]] = []  # (rank, order found, the concept)
        for piece in self.slices():
            taken: set[int] = set()  # lines of this slice that a better kind found
            better = 0
            for (pattern, along_path), of_kind in zip(kinds, found, strict=True):
                room = limit - better - len(of_kind)
                for line, start in _lines_holding(piece, pattern, along_path) if room > 0 else ():
                    if line in taken:
                        continue
                    taken.add(line)
                    offsets = () if along_path else _offsets(piece.labels[line], query, isinstance(pattern, str), start)
                    of_kind.append(piece.found(line, offsets))
                    room -= 1
                    if not room:
                        break
                better += len(of_kind)
            room = limit - better - len(in_texts)
            for line in _lines_with_words(piece, words) if room > 0 and self._read_texts is not None else ():
                if line in taken:
                    continue
                hit = match(words, piece.texts()[2][line])
                if hit is None:  # cannot be: the line holds every word
                    continue
                excerpt = _shown(hit.excerpt) if hit.tier is Tier.OTHER_FIELD else ""
                in_texts.append((hit.tier, len(in_texts), piece.found(line, (), hit.field, excerpt)))
                room -= 1
                if not room:
                    break
            by_label = [hit for of_kind in found for hit in of_kind]
            yield (by_label + [hit for _, _, hit in sorted(in_texts, key=lambda t: t[:2])])[:limit]


def _in_order(query: str) -> re.Pattern:
    """The query's letters in order within one line, each the first one after the one before.

    The look-ahead and back-reference stand in for an atomic group: no going back, so one scan
    of a line however long it is (an in-order match exists if the first-found one does).
    """
    parts = [re.escape(query[0])]
    for i, letter in enumerate(query[1:], 1):
        letter = re.escape(letter)
        parts.append(f"(?=(?P<g{i}>[^{letter}\n]*))(?P=g{i}){letter}")
    return re.compile("".join(parts))


def _lines_holding(piece: _Slice, pattern: str | re.Pattern, along_path: bool) -> Iterator[tuple[int, int]]:
    """The lines of a slice that hold `pattern`: (line, where the match starts in its label)."""
    text, starts = piece.path_text() if along_path else (piece.label_text, piece.label_starts)
    if isinstance(pattern, re.Pattern):
        for match in pattern.finditer(text):
            line = bisect_right(starts, match.start()) - 1
            yield line, match.start() - starts[line]
        return
    # Plain text: the fast string search. A pattern that starts with a line break or a space
    # matches from the character after it.
    skip = 1 if pattern[0] in "\n " else 0
    at = text.find(pattern)
    while at != -1:
        line = bisect_right(starts, at + skip) - 1
        yield line, at + skip - starts[line]
        # On from the line break that ends this line: the next line's match may start with it.
        at = text.find(pattern, starts[line + 1] - 1 if line + 1 < len(starts) else len(text) - 1)


def _lines_with_words(piece: _Slice, words: list[str]) -> Iterator[int]:
    """The lines of a slice whose texts hold every one of `words`, in order."""
    text, starts, _ = piece.texts()
    rarest = max(words, key=len)  # the longest word: likely the fewest places to check
    at = text.find(rarest)
    while at != -1:
        line = bisect_right(starts, at) - 1
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text) - 1
        held = text[starts[line] : end]
        if all(word in held for word in words):
            yield line
        at = text.find(rarest, end)


def _offsets(label: str, query: str, contiguous: bool, start: int) -> tuple[int, ...]:
    """The letters of `label` to mark, where lower-casing kept its length (it nearly always does)."""
    lowered = label.lower()
    if len(lowered) != len(label):
        return ()
    if contiguous:
        return tuple(range(start, start + len(query)))
    offsets = []
    at = start
    for letter in query:
        at = lowered.find(letter, at)
        offsets.append(at)
        at += 1
    return tuple(offsets)


async def _let_app_run() -> None:
    """A search's pause between two slices, for the app to read keys and draw (the tests hold it)."""
    await asyncio.sleep(0)


async def prepare(index: FinderIndex) -> None:
    """Make the whole index ready, labels first, then paths, then texts, pausing for the app
    between slices."""
    for _ in index.slices():
        await asyncio.sleep(0)
    for piece in index.slices():
        piece.path_text()
        await asyncio.sleep(0)
    for piece in index.slices():
        piece.texts()
        await asyncio.sleep(0)


class FinderScreen(Protocol):
    """What the screen that opens the finder offers it."""

    def find_index(self) -> FinderIndex: ...

    def go_to(self, node_id: int) -> None: ...


class ConceptFinder(Provider):
    """Concepts of the map that match what is typed; choosing one moves the map's cursor to it.

    The calling screen must offer `find_index()` and `go_to(node_id)` (the home screen does).
    Deck text is shown as literal `Text`, never as markup: Textual's own highlighter parses
    markup, so the matched letters are marked here instead.
    """

    def _go_to(self, node_id: int) -> None:
        cast(FinderScreen, self.screen).go_to(node_id)

    def _index(self) -> FinderIndex:
        finder = getattr(self.screen, "find_index", None)
        return finder() if finder is not None else FinderIndex([])

    async def discover(self) -> Hits:
        for found in self._index().first(DISCOVER):
            yield DiscoveryHit(
                Text(found.label),
                partial(self._go_to, found.node_id),
                text=found.label,
                help=_help(found),  # type: ignore[arg-type]  # see _help
            )

    async def search(self, query: str) -> Hits:
        hits: list[Found] = []
        for found_so_far in self._index().search(query):
            hits = found_so_far  # each step yields every hit found so far: the last is all of them
            # A newer query cancels this search here; escape closes the finder meanwhile.
            await _let_app_run()
        for rank, found in enumerate(hits):
            display = Text(found.label)
            for offset in found.offsets:
                display.stylize(MATCH_STYLE, offset, offset + 1)
            # The palette lists hits by score: here, in the order found.
            yield Hit(
                1 - rank / (len(hits) + 1),
                display,
                partial(self._go_to, found.node_id),
                text=found.label,
                help=_help(found),  # type: ignore[arg-type]  # see _help
            )


def _help(found: Found) -> Content | None:
    """The hit's path, and under it, for a match in its texts, where: `definition: …text…`."""
    # A Content is shown as it is; a str would be read as markup. (Textual types a hit's `help`
    # as str, but the palette shows it through `Content.from_markup`, which takes a Content too.)
    lines = [found.path] if found.path else []
    if found.excerpt:
        lines.append(f"{found.field}: {found.excerpt}")
    return Content("\n".join(lines)) if lines else None

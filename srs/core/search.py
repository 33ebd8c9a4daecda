"""Searching a deck's text: which field of a node a search matches, how well, and the excerpt
that shows it.

A search is one or more words; a node matches when every word occurs, in any case, in its
label, definition, example or notes (not necessarily all in the same one). Label matches come
first: the whole label, then the label's start, then every word somewhere in the label; then
matches in the other fields. Within each, the map's order (a node's `rank`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol, TypeVar

FIELDS = ("label", "definition", "example", "notes")
"""The texts of a node a search looks in, in the order a hit names them."""

EXCERPT = 60
"""Characters an excerpt holds at most (the match itself apart, should it be longer)."""
BEFORE = 20
"""Characters an excerpt shows before the match, at most."""

_SPACES = re.compile(r"[ \t\r\n]+")
"""Runs of spaces, tabs and line breaks: an excerpt is one line, each run one space. (Not
`str.split`, which would also swallow control characters that the output shows as stand-ins.)"""


class Tier(IntEnum):
    """How well a node matches, best first."""

    WHOLE_LABEL = 0
    LABEL_START = 1
    IN_LABEL = 2
    OTHER_FIELD = 3


class Searchable(Protocol):
    """A node as a search reads it (a stored row will do)."""

    @property
    def label(self) -> str: ...
    @property
    def definition(self) -> str: ...
    @property
    def example(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def rank(self) -> int: ...


N = TypeVar("N", bound=Searchable)


@dataclass(frozen=True)
class Match:
    """Where and how well a search matches one node."""

    tier: Tier
    field: str
    """One of `FIELDS`."""
    excerpt: str
    """The field's text around the match, on one line, `…` where it was cut."""


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased; none for text that is only spaces."""
    return text.lower().split()


def tier(words: list[str], node: Searchable) -> Tier | None:
    """How well `node` matches the search `words` (from `search_words`); None where some word is
    in none of its fields."""
    if not words:
        return None
    label, phrase = _one_line(node.label).lower(), " ".join(words)
    if label == phrase:
        return Tier.WHOLE_LABEL
    if label.startswith(phrase):
        return Tier.LABEL_START
    if all(word in label for word in words):
        return Tier.IN_LABEL
    others = [getattr(node, name).lower() for name in FIELDS[1:]]
    if all(word in label or any(word in text for text in others) for word in words):
        return Tier.OTHER_FIELD
    return None


def match(words: list[str], node: Searchable) -> Match | None:
    """How and where `node` matches the search `words`, with the excerpt that shows it; None
    where some word is in none of its fields."""
    found = tier(words, node)
    return None if found is None else _located(found, words, node)


def _located(found: Tier, words: list[str], node: Searchable) -> Match:
    """The match of a node known to match as `found`: the field it names and the excerpt."""
    texts = {name: _one_line(getattr(node, name)) for name in FIELDS}
    lowered = {name: text.lower() for name, text in texts.items()}
    if found is not Tier.OTHER_FIELD:
        if found is Tier.IN_LABEL:
            return Match(found, "label", _first_word(texts["label"], lowered["label"], words))
        return Match(found, "label", _excerpt(texts["label"], 0, len(" ".join(words))))
    # The other field holding the most of the words, the first of them on a tie.
    field = max(FIELDS[1:], key=lambda name: sum(word in lowered[name] for word in words))
    return Match(found, field, _first_word(texts[field], lowered[field], words))


def ranked(words: list[str], nodes: Iterable[N], limit: int | None = None) -> tuple[list[tuple[N, Match]], int]:
    """The best `limit` (else all) of the nodes that match the search `words`, each with its
    match, best first and then in the map's order; and how many match in all."""
    found = [(found, node.rank, i, node) for i, node in enumerate(nodes) if (found := tier(words, node)) is not None]
    found.sort(key=lambda hit: hit[:3])
    best = found if limit is None else found[:limit]
    # Excerpts for the nodes listed alone (bench_search, 64k of 100k nodes matching: 0.7 s, not 1.9 s).
    return [(node, _located(t, words, node)) for t, _, _, node in best], len(found)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ")


def _first_word(text: str, lowered: str, words: list[str]) -> str:
    """The excerpt around the earliest place any of `words` occurs in `text` (`lowered`, lower-cased)."""
    start, word = min((lowered.find(word), word) for word in words if word in lowered)
    return _excerpt(text, start, start + len(word))


def _excerpt(text: str, start: int, end: int) -> str:
    """`text` around `text[start:end]`: up to BEFORE characters before it, EXCERPT in all, cut at
    spaces where it can be and marked `…` where it is cut."""
    begin = max(0, start - BEFORE)
    if begin > 0:
        space = text.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    stop = max(end, begin + EXCERPT)
    if stop < len(text):
        space = text.rfind(" ", end, stop + 1)
        stop = space if space != -1 else stop
    else:
        stop = len(text)
    return ("…" if begin > 0 else "") + text[begin:stop].strip(" ") + ("…" if stop < len(text) else "")

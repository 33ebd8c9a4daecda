"""Markdown outline decks: `- Term: definition` bullets, nesting by indentation."""

from __future__ import annotations

import re
from pathlib import Path

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import files
from srs.readers.validate import PathKeyed

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s+(?P<text>.*\S)\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*\S)\s*$")
_SPLITTERS = (re.compile(r"^(.+?):\s+(.*)$"), re.compile(r"^(.+?)\s+[—–]\s+(.*)$"), re.compile(r"^(.+?)\s+-\s+(.*)$"))


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """An indented Markdown outline: `- Term: definition`, nesting is the hierarchy.

    `# Headings` are levels above the bullets; an indented line that is not a bullet continues
    the definition above it. A heading's first bullet naming the heading's own term (`# Topic`,
    then `- Topic: what it is`) is that concept, not a child of the same name. Keys are label
    paths, fixed once the hierarchy is known.
    """
    text = files.text(path, data)
    concepts = PathKeyed()
    edges: list[RawEdge] = []
    stack: list[tuple[int, str]] = []  # (level, key)
    labels: dict[str, str] = {}
    definitions: dict[str, list[str]] = {}
    parents: set[str] = set()
    last_key = None
    count = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        heading = _HEADING.match(raw)
        bullet = _BULLET.match(raw)
        if heading:
            level = len(heading["hashes"]) - 7  # every heading sits above every bullet
            body = heading["text"]
        elif bullet:
            level = len(bullet["indent"].expandtabs(4))
            body = bullet["text"]
        elif last_key is not None and raw[:1] in " \t":
            definitions[last_key].append(raw.strip())
            continue
        else:
            raise DeckFileError(path, "expected a `- Term: definition` bullet or a `# Heading`", f"line {number}")
        term, definition = _split_term(body)
        if not term:
            raise DeckFileError(path, "a bullet without a term", f"line {number}")
        while stack and stack[-1][0] >= level:
            stack.pop()
        above = stack[-1][1] if stack else None
        if (
            bullet
            and above is not None
            and stack[-1][0] < 0
            and above not in parents
            and labels[above].casefold() == term.casefold()
        ):
            if definition:
                definitions[above].append(definition)
            stack.append((level, above))  # what is indented under the bullet goes under the heading
            last_key = above
            continue
        count += 1
        key = f"#{count}"  # provisional: replaced by the label-path key
        labels[key] = term
        concepts.lines[key] = number
        definitions[key] = [definition] if definition else []
        if above is not None:
            edges.append(RawEdge(above, key))
            parents.add(above)
        stack.append((level, key))
        last_key = key
    if not labels:
        raise DeckFileError(path, "no `- Term: definition` lines")
    for key, label in labels.items():
        concepts.append(Concept(key=key, label=label, definition=" ".join(definitions[key])))
    return concepts, edges


def _split_term(body: str) -> tuple[str, str]:
    for pattern in _SPLITTERS:
        match = pattern.match(body)
        if match:
            return _plain(match[1]), match[2].strip()
    return _plain(body), ""


def _plain(term: str) -> str:
    term = term.strip()
    for mark in ("**", "__", "*", "_", "`"):
        if len(term) > 2 * len(mark) and term.startswith(mark) and term.endswith(mark):
            term = term[len(mark) : -len(mark)].strip()
    return term

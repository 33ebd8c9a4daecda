"""OPML 2.0 outlines, as outliners export them, read in one streaming pass with expat."""

from __future__ import annotations

from pathlib import Path

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import xml_safety
from srs.readers.fields import concept_of
from srs.readers.validate import PathKeyed

_NOTE_NAMES = ("_note", "description")
"""Where an outline's definition is: `_note` (the outliners' convention), else `description`."""


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """The nested `<outline text=...>` elements of an OPML file's body, keyed by label path.

    An outline's definition is its `_note` (or `description`); its other attributes are kept.
    A body of several top-level outlines hangs them under the head's `<title>`, where there is one.
    """
    parser = xml_safety.expat_parser()
    reader = _OpmlReader(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    xml_safety.parse(path, parser, data)
    if reader.root_tag != "opml":
        raise DeckFileError(path, f"not OPML: the root element is <{reader.root_tag}>")
    if not reader.saw_body:
        raise DeckFileError(path, "no <body> element")
    concepts, edges = reader.concepts, reader.edges
    title = " ".join("".join(reader.title).split())
    if len(reader.tops) > 1 and title:
        key = "#0"
        concepts.insert(0, Concept(key, title))
        concepts.lines[key] = reader.title_line
        edges[:0] = [RawEdge(key, top) for top in reader.tops]
    return concepts, edges


class _OpmlReader:
    """Expat handlers that collect the outlines of the body and the head's title."""

    def __init__(self, parser) -> None:
        self.parser = parser
        self.root_tag: str | None = None
        self.saw_body = False
        self.concepts = PathKeyed()
        self.edges: list[RawEdge] = []
        self.tops: list[str] = []
        self.title: list[str] = []
        self.title_line = 0
        self._in = {"head": False, "body": False, "title": False}
        self._open: list[str] = []  # keys of the outlines being read, outermost first

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rsplit("}", 1)[-1]
        if self.root_tag is None:
            self.root_tag = tag
        if tag == "outline" and self._in["body"]:
            key = f"#{len(self.concepts) + 1}"  # provisional: replaced by the label-path key
            values = {"label": attrs.get("text", "")}
            values["definition"] = next((attrs[n] for n in _NOTE_NAMES if attrs.get(n)), "")
            values.update((n, v) for n, v in attrs.items() if n not in ("text", *_NOTE_NAMES))
            self.concepts.append(concept_of(key, values))
            self.concepts.lines[key] = self.parser.CurrentLineNumber
            if self._open:
                self.edges.append(RawEdge(self._open[-1], key))
            else:
                self.tops.append(key)
            self._open.append(key)
        elif tag in ("head", "body") and len(self._open) == 0:
            self._in[tag] = True
            self.saw_body = self.saw_body or tag == "body"
        elif tag == "title" and self._in["head"]:
            self._in["title"] = True
            self.title_line = self.parser.CurrentLineNumber

    def end(self, name: str) -> None:
        tag = name.rsplit("}", 1)[-1]
        if tag == "outline" and self._open:
            self._open.pop()
        elif tag in self._in:
            self._in[tag] = False

    def text(self, data: str) -> None:
        if self._in["title"]:
            self.title.append(data)

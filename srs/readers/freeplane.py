"""Freeplane and FreeMind mind maps (`.mm`), read into an element tree (see `xml_safety`)."""

from __future__ import annotations

import html.entities
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from srs.core.graph import Concept, RawEdge, path_key
from srs.errors import DeckFileError
from srs.readers import xml_safety
from srs.readers.fields import concept_of
from srs.readers.validate import short

LINK_KIND = "related"
"""The kind of an arrow link (a connector) without a label: a plain link, outside the hierarchy."""

_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIPPED = frozenset({"head", "style", "script"})
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """The nested `<node>`s of a Freeplane or FreeMind map, keyed by their `ID`.

    A node's label is its `TEXT` (or its `richcontent TYPE="NODE"`), its definition the
    `richcontent TYPE="DETAILS"`, else the `TYPE="NOTE"` (which is the node's notes where both
    are there); HTML is reduced to plain text, a line per paragraph. `<attribute>`s are read as
    a node's attributes in the other formats are. An `arrowlink` is a plain link to its
    `DESTINATION`, of the kind its label says. A node without an `ID` (old FreeMind maps) is
    keyed by its label path.
    """
    top = xml_safety.parse_tree(path, _html_entities_as_numbers(data))
    if top.tag != "map":
        raise DeckFileError(path, f"not a Freeplane or FreeMind map: the root element is <{top.tag}>")
    first = top.find("node")
    if first is None:
        raise DeckFileError(path, "the map has no <node>")
    concepts: list[Concept] = []
    keys: dict[str, str] = {}  # key -> where it is, for messages
    edges: list[RawEdge] = []
    arrows: list[tuple[str, str, str, str]] = []  # (source key, destination id, kind, where)
    todo: list[tuple[Element, tuple[str, str] | None]] = [(first, None)]  # node, (parent key, its path text)
    while todo:
        element, above = todo.pop()
        if _is_group_start(element):
            todo.extend((child, above) for child in reversed(element.findall("node")))
            continue
        label, definition, notes = _texts(element)
        ident = element.get("ID", "")
        path_text = ident or (f"{above[1]}/{label}" if above else label)
        key = ident or path_key(path_text)
        where = f"node {ident}" if ident else f"node {short(path_text)}"
        if key in keys:
            what = f"the ID {short(ident)}" if ident else f"the label path {short(path_text)}"
            raise DeckFileError(path, f"{what} is given to two nodes", where)
        keys[key] = where
        values = {a.get("NAME", ""): a.get("VALUE", "") for a in element.findall("attribute") if a.get("NAME")}
        concepts.append(concept_of(key, {"label": label, "definition": definition, "notes": notes, **values}))
        if above is not None:
            edges.append(RawEdge(above[0], key))
        for arrow in element.findall("arrowlink"):
            destination = arrow.get("DESTINATION", "")
            kind = (arrow.get("MIDDLE_LABEL") or "").strip() or LINK_KIND
            arrows.append((key, destination, kind, where))
        todo.extend((child, (key, path_text)) for child in reversed(element.findall("node")))
    for source, destination, kind, where in arrows:
        if destination not in keys:
            raise DeckFileError(path, f"an arrow link points to {short(destination)}, which is no node", where)
        edges.append(RawEdge(source, destination, kind))
    return concepts, edges


def _html_entities_as_numbers(data: bytes) -> bytes:
    """`data` with HTML's named entities (`&nbsp;`, which Freeplane's rich text holds) written as
    character references, which XML reads without a DTD; the XML's own five stay."""

    def number(found: re.Match[bytes]) -> bytes:
        name = found[1]
        code = html.entities.name2codepoint.get(name.decode("ascii"))
        return found[0] if code is None or name in _XML_ENTITIES else b"&#%d;" % code

    return _NAMED_ENTITY.sub(number, data) if b"&" in data else data


def _is_group_start(element: Element) -> bool:
    """Freeplane's empty node that marks where a summary's group begins: not a concept."""
    return not element.get("TEXT") and any(h.get("NAME") == "FirstGroupNode" for h in element.findall("hook"))


def _texts(element: Element) -> tuple[str, str, str]:
    """A node's label, definition and notes."""
    rich = {r.get("TYPE", ""): _rich_text(r) for r in element.findall("richcontent")}
    label = element.get("TEXT") or rich.get("NODE") or element.get("LOCALIZED_TEXT") or ""
    details, note = rich.get("DETAILS", ""), rich.get("NOTE", "")
    return label, details or note, note if details else ""


def _rich_text(element: Element) -> str:
    """The plain text of a `richcontent`: its HTML reduced, its `<text>` (Freeplane's plain and
    Markdown content), or what it holds itself."""
    page = element.find("html")
    if page is not None:
        return plain_text(page)
    text = element.find("text")
    return ((text.text if text is not None else element.text) or "").strip()


def plain_text(page: Element) -> str:
    """HTML as plain text: a line for each paragraph, line break or list item, spaces collapsed."""
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    todo: list[tuple[Element, bool]] = [(page, False)]  # (element, whether its children are done)
    while todo:
        element, done = todo.pop()
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if done:
            if tag in _BLOCKS:
                end_line()
            if element is not page and element.tail:
                current.append(element.tail)
            continue
        if tag in _BLOCKS:
            end_line()
        todo.append((element, True))
        if tag in _SKIPPED:
            continue
        if element.text:
            current.append(element.text)
        todo.extend((child, False) for child in reversed(element))
    end_line()
    return "\n".join(lines)

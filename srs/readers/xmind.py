"""XMind workbooks (`.xmind`): XMind Zen and 2020+ (`content.json`) and XMind 8 (`content.xml`),
the first sheet read, from a zip archive held in memory (see `zip_safety`)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import Element

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import files, xml_safety, zip_safety
from srs.readers.fields import concept_of
from srs.readers.validate import values_checked

LINK_KIND = "related"
"""The kind of a relationship without a title: a plain link, outside the hierarchy."""


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """The topics of the workbook's first sheet, keyed by topic id.

    A topic's title is its label and its plain notes its definition; attached topics are its
    children, and so are its detached (floating) topics, which a deck can hold only inside the
    hierarchy. A relationship is a plain link between its two topics, of the kind its title says.
    XMind Zen's `content.json` is read where there is one (its `content.xml` only tells XMind 8
    that it cannot open the file).
    """
    archive = zip_safety.open_archive(path, data, "an XMind file")
    names = set(archive.namelist())
    if "content.json" in names:
        concepts, edges = _zen(path, zip_safety.member(path, archive, "content.json"))
    elif "content.xml" in names:
        concepts, edges = _xmind8(path, zip_safety.member(path, archive, "content.xml"))
    else:
        raise DeckFileError(path, "not an XMind file: the archive holds neither content.json nor content.xml")
    values_checked(path, concepts, edges)
    return concepts, edges


def _zen(path: Path, data: bytes) -> tuple[list[Concept], list[RawEdge]]:
    member = "content.json"
    try:
        sheets = json.loads(files.text(path, data))
    except json.JSONDecodeError as exc:
        raise DeckFileError(
            path, f"not valid JSON: {exc.msg}", f"{member} line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise DeckFileError(path, "the topics nest too deep for Python's JSON parser", member) from None
    except DeckFileError as exc:
        raise DeckFileError(path, exc.what, f"{member} {exc.where}" if exc.where else member) from None
    if not isinstance(sheets, list) or not sheets or not isinstance(sheets[0], dict):
        raise DeckFileError(path, "content.json is not a list of sheets", member)
    sheet = sheets[0]
    concepts: list[Concept] = []
    edges: list[RawEdge] = []
    todo: list[tuple[object, str | None, str]] = [(sheet.get("rootTopic"), None, f"{member} [0].rootTopic")]
    while todo:
        topic, parent, where = todo.pop()
        if not isinstance(topic, dict) or not isinstance(topic.get("id"), str):
            raise DeckFileError(path, 'a topic is not an object with an "id"', where)
        key = topic["id"]
        notes = topic.get("notes")
        plain = notes.get("plain") if isinstance(notes, dict) else None
        definition = plain.get("content") if isinstance(plain, dict) else None
        title = topic.get("title")
        concepts.append(
            concept_of(
                key,
                {"label": title if isinstance(title, str) else "", "definition": definition or ""},
            )
        )
        if parent is not None:
            edges.append(RawEdge(parent, key))
        children = topic.get("children", {})
        if not isinstance(children, dict):
            raise DeckFileError(path, '"children" is not an object', where)
        below: list[tuple[object, str | None, str]] = []
        for group in ("attached", "detached"):
            topics = children.get(group, [])
            if not isinstance(topics, list):
                raise DeckFileError(path, f'"{group}" is not a list', f"{where}.children")
            below.extend((topic, key, f"{where}.children.{group}[{index}]") for index, topic in enumerate(topics))
        todo.extend(reversed(below))
    relationships = sheet.get("relationships", [])
    if not isinstance(relationships, list):
        raise DeckFileError(path, '"relationships" is not a list', f"{member} [0]")
    keys = {c.key for c in concepts}
    for index, link in enumerate(relationships):
        where = f"{member} [0].relationships[{index}]"
        if not isinstance(link, dict):
            raise DeckFileError(path, "a relationship is not an object", where)
        ends = (link.get("end1Id"), link.get("end2Id"))
        title = link.get("title")
        edges.append(_relationship(path, ends, title if isinstance(title, str) else "", keys, where))
    return concepts, edges


_NS = "{urn:xmind:xmap:xmlns:content:2.0}"


def _xmind8(path: Path, data: bytes) -> tuple[list[Concept], list[RawEdge]]:
    member = "content.xml"
    try:
        top = xml_safety.parse_tree(path, data)
    except DeckFileError as exc:
        raise DeckFileError(path, exc.what, f"{member} {exc.where}" if exc.where else member) from None
    if top.tag != f"{_NS}xmap-content":
        raise DeckFileError(path, f"not XMind 8 content: the root element is <{top.tag.rsplit('}', 1)[-1]}>", member)
    sheet = top.find(f"{_NS}sheet")
    root = sheet.find(f"{_NS}topic") if sheet is not None else None
    if sheet is None or root is None:
        raise DeckFileError(path, "the first sheet has no topic", member)
    concepts: list[Concept] = []
    edges: list[RawEdge] = []
    todo: list[tuple[Element, str | None]] = [(root, None)]
    while todo:
        topic, parent = todo.pop()
        key = topic.get("id")
        if not key:
            above = f"under topic {parent}" if parent else "the sheet's central topic"
            raise DeckFileError(path, f"a topic has no id ({above})", member)
        plain = topic.find(f"{_NS}notes/{_NS}plain")
        values = {"label": _text(topic.find(f"{_NS}title")), "definition": _text(plain)}
        concepts.append(concept_of(key, values))
        if parent is not None:
            edges.append(RawEdge(parent, key))
        children: list[Element] = []
        for topics in topic.findall(f"{_NS}children/{_NS}topics"):
            if topics.get("type") in ("attached", "detached"):
                children.extend(topics.findall(f"{_NS}topic"))
        todo.extend((child, key) for child in reversed(children))
    keys = {c.key for c in concepts}
    for index, link in enumerate(sheet.findall(f"{_NS}relationships/{_NS}relationship")):
        where = f"{member} relationship {link.get('id') or index + 1}"
        ends = (link.get("end1"), link.get("end2"))
        edges.append(_relationship(path, ends, _text(link.find(f"{_NS}title")), keys, where))
    return concepts, edges


def _text(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _relationship(path: Path, ends: tuple[object, object], title: str, keys: set[str], where: str) -> RawEdge:
    for end in ends:
        if not isinstance(end, str) or end not in keys:
            shown = repr(end) if isinstance(end, str) else "nothing"
            raise DeckFileError(path, f"a relationship ends at {shown}, which is no topic of the sheet", where)
    source, target = ends
    return RawEdge(str(source), str(target), title.strip() or LINK_KIND)

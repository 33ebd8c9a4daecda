"""GraphML, read into an element tree (see `xml_safety`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import xml_safety
from srs.readers.fields import EDGE_KIND_NAMES, concept_of


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """Concepts and edges of a GraphML file (node ids kept as keys)."""
    top = xml_safety.parse_tree(path, data)
    if _local(top.tag) != "graphml":
        raise DeckFileError(path, f"not GraphML: the root element is <{_local(top.tag)}>")
    names: dict[str, str] = {}
    defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for key in _children(top, "key"):
        ident = key.get("id", "")
        name = key.get("attr.name") or ident
        names[ident] = name
        default = _child(key, "default")
        if default is not None and default.text:
            defaults.setdefault(key.get("for", "node"), {})[name] = default.text
    graph = _child(top, "graph")
    if graph is None:
        raise DeckFileError(path, "no <graph> element")
    default_directed = graph.get("edgedefault", "directed") == "directed"
    concepts: list[Concept] = []
    edges: list[RawEdge] = []
    for number, element in enumerate(graph, 1):
        tag = _local(element.tag)
        values = {}
        for data_el in _children(element, "data"):
            values[names.get(data_el.get("key", ""), data_el.get("key", ""))] = "".join(data_el.itertext())
        if tag == "node":
            node_id = element.get("id")
            if node_id is None:
                raise DeckFileError(path, "a <node> has no id", f"element {number}")
            concepts.append(concept_of(node_id, {**defaults["node"], **values}))
        elif tag == "edge":
            source, target = element.get("source"), element.get("target")
            if source is None or target is None:
                raise DeckFileError(path, "an <edge> lacks its source or target", f"edge {element.get('id', number)}")
            values = {**defaults["edge"], **values}
            kind = next((values[k] for k in values if k.lower() in EDGE_KIND_NAMES), "")
            directed = element.get("directed")
            edges.append(RawEdge(source, target, kind, default_directed if directed is None else directed == "true"))
    return concepts, edges


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if _local(child.tag) == name:
            yield child


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)

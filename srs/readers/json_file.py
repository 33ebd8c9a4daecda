"""JSON decks: networkx node-link JSON, or a nested tree of `{"label", "children"}` objects.

(Not `json.py`: that would read as the standard library's module.)
"""

from __future__ import annotations

import json
from pathlib import Path

from srs.core.graph import Concept, RawEdge, path_key
from srs.errors import DeckFileError
from srs.readers import files
from srs.readers.fields import EDGE_KIND_NAMES, concept_of
from srs.readers.validate import PathKeyed, values_checked


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """networkx node-link JSON (`nodes` and `links` or `edges`), or a nested tree of
    `{"label": ..., "children": [...]}` objects."""
    try:
        deck = json.loads(files.text(path, data))
    except json.JSONDecodeError as exc:
        raise DeckFileError(path, f"not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        # Python's JSON parser recurses once per level of nesting; node-link JSON has none.
        raise DeckFileError(
            path,
            "the JSON nests too deep for Python's JSON parser (it stops near 1,000 levels); write a tree that deep "
            'as node-link JSON ("nodes" and "links"), an outline or a CSV table',
        ) from None
    if isinstance(deck, dict) and "nodes" in deck:
        concepts, edges = _node_link(path, deck)
    elif isinstance(deck, dict) and ("children" in deck or "label" in deck or "name" in deck):
        concepts, edges = _nested(path, deck)
    else:
        raise DeckFileError(
            path, 'JSON, but neither node-link ("nodes" and "links") nor a tree ("label" and "children")'
        )
    values_checked(path, concepts, edges)
    return concepts, edges


def _scalar_values(item: dict) -> dict[str, str]:
    return {str(k): _as_text(v) for k, v in item.items() if v is not None and not isinstance(v, (dict, list))}


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _node_link(path: Path, data: dict) -> tuple[list[Concept], list[RawEdge]]:
    directed = bool(data.get("directed", True))
    concepts = []
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        raise DeckFileError(path, '"nodes" is not a list')
    for number, item in enumerate(nodes, 1):
        if not isinstance(item, dict) or "id" not in item:
            raise DeckFileError(path, 'a node is not an object with an "id"', f"nodes[{number - 1}]")
        values = _scalar_values(item)
        key = values.pop("id")
        concepts.append(concept_of(key, values))
    edges = []
    links = data.get("links", data.get("edges", []))
    if not isinstance(links, list):
        raise DeckFileError(path, '"links" is not a list')
    for number, item in enumerate(links):
        if not isinstance(item, dict) or "source" not in item or "target" not in item:
            raise DeckFileError(path, 'a link is not an object with "source" and "target"', f"links[{number}]")
        kind = next((_as_text(item[k]) for k in item if k.lower() in EDGE_KIND_NAMES), "")
        edges.append(RawEdge(_as_text(item["source"]), _as_text(item["target"]), kind, directed))
    return concepts, edges


def _nested(path: Path, data: dict) -> tuple[list[Concept], list[RawEdge]]:
    # A tree whose root has no id is keyed by label path (keys here are provisional). Under a
    # root with an id, a node without one is keyed by a digest of its parent's key text, a slash
    # and its label, short at any depth.
    keyed_by_id = "id" in data
    concepts: list[Concept] = [] if keyed_by_id else PathKeyed()
    edges: list[RawEdge] = []
    todo: list[tuple[dict, str | None, str, str]] = [(data, None, "", "$")]  # item, parent key, parent text, where
    while todo:
        item, parent, above, where = todo.pop()
        if not isinstance(item, dict):
            raise DeckFileError(path, "a node is not an object", where)
        values = _scalar_values(item)
        ident = values.pop("id", None)
        label = values.get("label") or values.get("name") or values.get("term")
        if not label:
            raise DeckFileError(path, 'a node has no "label"', where)
        if not keyed_by_id:
            key = text = f"#{len(concepts)}"
        elif ident is not None:
            key = text = ident
        else:
            text = f"{above}/{label}"
            key = path_key(text)
        concepts.append(concept_of(key, values))
        if parent is not None:
            edges.append(RawEdge(parent, key))
        children = item.get("children", [])
        if not isinstance(children, list):
            raise DeckFileError(path, '"children" is not a list', where)
        for i in reversed(range(len(children))):
            todo.append((children[i], key, text, f"{where}.children[{i}]"))
    return concepts, edges

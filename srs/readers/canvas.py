"""JSON Canvas 1.0 (`.canvas`, as Obsidian writes it): nodes and groups as concepts, edges as the
hierarchy."""

from __future__ import annotations

import json
import re
from pathlib import Path

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import files
from srs.readers.fields import color
from srs.readers.validate import values_checked

_HEADING = re.compile(r"^#{1,6}\s+")
_KINDS = ("text", "file", "link", "group")


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """The nodes and edges of a JSON Canvas, node ids kept as keys.

    A text node's first line is its label (heading marks dropped) and the rest its definition;
    a group's `label` is its label (a group without one is only a box: no concept); a file or
    link node is named by its path or URL. An edge `fromNode -> toNode` is parent -> child,
    turned round where only its `fromEnd` has the arrow and undirected where neither or both
    ends have one; its `label` is its kind. A node that no edge leads to, inside a group's
    rectangle, is a child of the smallest group around it.
    """
    canvas = _parsed(path, data)
    if not isinstance(canvas, dict):
        raise DeckFileError(path, "not a JSON Canvas: the file is not a JSON object")
    nodes = _list(path, canvas, "nodes")
    concepts: list[Concept] = []
    boxes: dict[str, tuple[float, float, float, float]] = {}  # key -> x, y, width, height
    groups: list[str] = []
    boxes_only: set[str] = set()  # groups without a label
    for number, node in enumerate(nodes):
        where = f"nodes[{number}]"
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            raise DeckFileError(path, 'a node is not an object with an "id"', where)
        kind = node.get("type")
        if kind not in _KINDS:
            raise DeckFileError(path, f"a node of type {kind!r} (a canvas has {', '.join(_KINDS)})", where)
        box = tuple(node.get(name) for name in ("x", "y", "width", "height"))
        if not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in box):
            raise DeckFileError(path, 'a node needs numbers for "x", "y", "width" and "height"', where)
        key = node["id"]
        boxes[key] = box  # type: ignore[assignment]
        if kind == "group":
            groups.append(key)
            if not _string(node, "label").strip():
                boxes_only.add(key)
                continue
        label, definition = _naming(path, node, kind, where)
        concepts.append(Concept(key, label, definition, color=color(_string(node, "color"))))
    edges: list[RawEdge] = []
    led_to: set[str] = set()
    for number, edge in enumerate(_list(path, canvas, "edges")):
        where = f"edges[{number}]"
        if not isinstance(edge, dict) or not all(isinstance(edge.get(n), str) for n in ("fromNode", "toNode")):
            raise DeckFileError(path, 'an edge is not an object with a "fromNode" and a "toNode"', where)
        source, target = edge["fromNode"], edge["toNode"]
        for end in (source, target):
            if end not in boxes:
                raise DeckFileError(path, f"the edge ends at {end!r}, which is no node", where)
            if end in boxes_only:
                raise DeckFileError(path, f"the edge ends at the group {end!r}, which has no label", where)
        from_arrow = edge.get("fromEnd", "none") == "arrow"
        to_arrow = edge.get("toEnd", "arrow") == "arrow"
        if from_arrow and not to_arrow:
            source, target = target, source
        directed = from_arrow != to_arrow
        led_to.update((target,) if directed else (source, target))
        edges.append(RawEdge(source, target, _string(edge, "label").strip(), directed))
    labelled = [g for g in groups if g not in boxes_only]
    place = {g: i for i, g in enumerate(groups)}
    for key in boxes:
        if key in led_to or key in boxes_only:
            continue
        group = _smallest_group_around(key, labelled, boxes, place)
        if group is not None:
            edges.append(RawEdge(group, key))
    values_checked(path, concepts, edges)
    return concepts, edges


def _parsed(path: Path, data: bytes) -> object:
    try:
        return json.loads(files.text(path, data))
    except json.JSONDecodeError as exc:
        raise DeckFileError(path, f"not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise DeckFileError(path, "the JSON nests too deep for Python's JSON parser (a canvas is flat)") from None


def _list(path: Path, canvas: dict, name: str) -> list:
    items = canvas.get(name, [])
    if not isinstance(items, list):
        raise DeckFileError(path, f'"{name}" is not a list')
    return items


def _string(item: dict, name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else ""


def _naming(path: Path, node: dict, kind: str, where: str) -> tuple[str, str]:
    """A node's label and definition."""
    if kind == "text":
        first, _, rest = _string(node, "text").strip().partition("\n")
        return " ".join(_HEADING.sub("", first).split()), rest.strip()
    if kind == "group":
        return " ".join(_string(node, "label").split()), ""
    named = _string(node, "file") + _string(node, "subpath") if kind == "file" else _string(node, "url")
    if not named.strip():
        raise DeckFileError(path, f'a {kind} node without its "{"file" if kind == "file" else "url"}"', where)
    return named.strip(), ""


def _smallest_group_around(key: str, groups: list[str], boxes: dict, place: dict[str, int]) -> str | None:
    """The group of least area whose rectangle holds the node's, other than itself. A group is
    only ever inside a larger one, or one of the same size given before it, so no group holds
    another round in a circle."""
    x, y, width, height = boxes[key]
    area = width * height
    best: tuple[float, int, str] | None = None
    for group in groups:
        gx, gy, gw, gh = boxes[group]
        if group == key or not (gx <= x and gy <= y and x + width <= gx + gw and y + height <= gy + gh):
            continue
        size = gw * gh
        if key in place and not (size > area or (size == area and place[group] < place[key])):
            continue
        if best is None or (size, place[group]) < best[:2]:
            best = (size, place[group], group)
    return best[2] if best else None

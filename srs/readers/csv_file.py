"""CSV decks: an edge list with an optional nodes file, or one table of nodes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import files
from srs.readers.fields import EDGE_KIND_NAMES, concept_of
from srs.readers.validate import Lined, PathKeyed, short


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """An edge list (`parent,child` or `source,target`, with an optional nodes file), or a node
    table (`label`, optional `id`, `parent`, `definition`, ...; several parents split by `|`)."""
    nodes_text = files.text(nodes_file, files.read_bytes(nodes_file, None)) if nodes_file else None
    text = files.text(path, data)
    rows, header = _csv_rows(path, text)
    names = [h.strip().lower() for h in header]
    pairs = (("parent", "child"), ("source", "target"))
    for a, b in pairs:
        if a in names and b in names:
            # A `parent,child` header says which end is the parent, whatever a row's kind says.
            return _edge_list(path, rows, header, names.index(a), names.index(b), nodes_text, a == "parent")
    if not {"label", "name", "term", "id"} & set(names):
        raise DeckFileError(
            path,
            "a CSV deck needs a header: `parent,child` for an edge list, or `label,definition,parent` for a node table",
            "line 1",
        )
    return _node_table(path, rows, header)


def _csv_rows(path: Path, text: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    try:
        reader = csv.reader(io.StringIO(text))
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise DeckFileError(path, f"not valid CSV: {exc}") from None
    if not rows:
        raise DeckFileError(path, "the file is empty")
    return rows[1:], [h.strip() for h in rows[0][1]]


def _edge_list(path, rows, header, a, b, nodes_text, parent_first) -> tuple[list[Concept], list[RawEdge]]:
    extra = [i for i in range(len(header)) if i not in (a, b)]
    kind_col = next((i for i in extra if header[i].lower() in EDGE_KIND_NAMES), None)
    order: dict[str, int] = {}  # key -> the first line naming it
    edges = []
    for line, row in rows:
        if len(row) <= max(a, b) or not row[a].strip() or not row[b].strip():
            raise DeckFileError(path, "a row lacks its parent or child", f"line {line}")
        parent, child = row[a].strip(), row[b].strip()
        order.setdefault(parent, line)
        order.setdefault(child, line)
        kind = row[kind_col].strip() if kind_col is not None and kind_col < len(row) else ""
        edges.append(RawEdge(parent, child, kind, True, parent_first))
    known: dict[str, dict[str, str]] = {}
    if nodes_text is not None:
        node_rows, node_header = _csv_rows(path, nodes_text)
        lowered = [h.lower() for h in node_header]
        key_col = next((lowered.index(n) for n in ("id", "key", "name", "label") if n in lowered), None)
        if key_col is None:
            raise DeckFileError(path, "the nodes file needs an `id` or `label` column", "nodes file line 1")
        for line, row in node_rows:
            values = {
                node_header[i]: cell.strip() for i, cell in enumerate(row) if i != key_col and i < len(node_header)
            }
            if lowered[key_col] != "id" and "label" not in {k.lower() for k in values}:
                values["label"] = row[key_col].strip()
            known[row[key_col].strip()] = values
            order.setdefault(row[key_col].strip(), line)
    concepts = Lined()
    concepts.extend(concept_of(key, known.get(key, {})) for key in order)
    concepts.lines.update(order)
    return concepts, edges


def _node_table(path, rows, header) -> tuple[list[Concept], list[RawEdge]]:
    lowered = [h.lower() for h in header]
    has_id = "id" in lowered
    parent_col = lowered.index("parent") if "parent" in lowered else None
    concepts = Lined() if has_id else PathKeyed()
    edges: list[RawEdge] = []
    parents_of: list[tuple[int, str, str]] = []
    for line, row in rows:
        values = {header[i]: cell.strip() for i, cell in enumerate(row) if i < len(header) and i != parent_col}
        key = values.pop(header[lowered.index("id")]) if has_id else None
        concept = concept_of(key or "", values)
        if not has_id:
            concept = concept._replace(key=concept.label)
        if not concept.key:
            raise DeckFileError(path, "a row has no id or label", f"line {line}")
        if concept.key in concepts.lines:
            first = concepts.lines[concept.key]
            what = (
                f"the id {short(concept.key)}"
                if has_id
                else f"the term {short(concept.label)}, which names a parent in a table without ids,"
            )
            raise DeckFileError(path, f"{what} is on line {first} as well", f"line {line}")
        concepts.lines[concept.key] = line
        concepts.append(concept)
        if parent_col is not None and parent_col < len(row):
            for parent in row[parent_col].split("|"):
                if parent.strip():
                    parents_of.append((line, parent.strip(), concept.key))
    keys = {c.key for c in concepts}
    by_label: dict[str, list[str]] = {}
    for c in concepts:
        by_label.setdefault(c.label.casefold(), []).append(c.key)
    for line, parent, child in parents_of:
        if parent not in keys:
            matches = by_label.get(parent.casefold(), [])
            if len(matches) != 1:
                what = "names no node" if not matches else "matches several labels"
                raise DeckFileError(path, f"parent {parent!r} {what}", f"line {line}")
            parent = matches[0]
        edges.append(RawEdge(parent, child))
    return concepts, edges

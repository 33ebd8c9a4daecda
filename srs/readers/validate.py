"""What a reader found, turned into one validated `ConceptGraph`.

`graph_of` checks each concept's id, label and text against the limits, assembles the graph
(one root, no cycle, every edge between known nodes) and keys a format without ids by label
path. Each problem is a `DeckFileError` naming the file and the line, where the format has
lines, else the node.
"""

from __future__ import annotations

from pathlib import Path

from srs.core.graph import DEFAULT_KINDS, Concept, ConceptGraph, EdgeKinds, RawEdge, assemble, path_keys
from srs.errors import DeckFileError, GraphError
from srs.readers.files import NOT_TEXT, not_text

MAX_TEXT = 20_000
"""Longest definition, example, note or mnemonic accepted, in characters."""
MAX_LABEL = 500
MAX_KEY = 500
"""Longest node id accepted, in characters (the database column's size)."""


class Lined(list):
    """A list of concepts with the line each was read from (`lines`, by key), for messages."""

    keyed_by_path = False

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


class PathKeyed(Lined):
    """A list of concepts whose keys are provisional, to be replaced by label-path keys."""

    keyed_by_path = True


def graph_of(
    path: Path, concepts: list[Concept], edges: list[RawEdge], root: str | None, kinds: EdgeKinds = DEFAULT_KINDS
) -> ConceptGraph:
    """The validated graph of what a reader found in the file at `path`, rooted at `root` if given,
    its hierarchy made of the edges whose kind is one of `kinds`."""
    by_path = getattr(concepts, "keyed_by_path", False)
    lines: dict[str, int] = getattr(concepts, "lines", {})
    try:
        graph = assemble([_checked(path, c, lines, by_path) for c in concepts], edges, root=root, kinds=kinds)
        return rekey_by_path(graph) if by_path else graph
    except GraphError as exc:
        raise DeckFileError(path, str(exc), _lines_of(exc.keys, lines)) from None


def _lines_of(keys, lines: dict[str, int]) -> str | None:
    """`line 3` or `lines 3, 8` for the nodes `keys`, where the format has lines."""
    found = sorted({lines[k] for k in keys if k in lines})
    if not found:
        return None
    return f"line {found[0]}" if len(found) == 1 else f"lines {', '.join(map(str, found))}"


def short(text: str, limit: int = 60) -> str:
    """A term as an error message quotes it: cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def values_checked(path: Path, concepts: list[Concept], edges: list[RawEdge]) -> None:
    """Refuse, naming the node, a character deck text cannot hold that an escape put in a value."""
    for concept in concepts:
        values = (concept.key, concept.label, concept.definition, concept.example, concept.notes, concept.mnemonic)
        for value in (*values, *concept.attrs.keys(), *concept.attrs.values()):
            found = NOT_TEXT.search(value)
            if found is not None:
                named = (
                    short(concept.label)
                    if getattr(concepts, "keyed_by_path", False)
                    else f"{concept.key!r} ({short(concept.label)})"
                )
                raise DeckFileError(path, not_text(found[0]), f"node {named}")
    for number, edge in enumerate(edges):
        found = NOT_TEXT.search(edge.kind)
        if found is not None:
            raise DeckFileError(path, not_text(found[0]), f"links[{number}]")


def _checked(path: Path, concept: Concept, lines: dict[str, int], by_path: bool = False) -> Concept:
    key, label = concept.key, concept.label
    # Where the format has lines, the line and the term; else the node id the file gives (its
    # label where the key is only a reader's provisional one).
    where = f"line {lines[key]}" if key in lines else f"node {short(label)}" if by_path else f"node {key!r}"
    of = f" of {short(label)}" if key in lines else ""
    if not key.strip():
        raise DeckFileError(path, "a node has an empty id", where if key in lines else None)
    if len(key) > MAX_KEY:
        raise DeckFileError(
            path, f"the node id is {len(key):,} characters; the limit is {MAX_KEY:,}", f"node {short(key)}"
        )
    if not label.strip():
        raise DeckFileError(path, "the node has no label", where)
    if len(label) > MAX_LABEL:
        raise DeckFileError(
            path, f"the label {short(label)} is {len(label):,} characters; the limit is {MAX_LABEL:,}", where
        )
    if max(len(concept.definition), len(concept.example), len(concept.notes), len(concept.mnemonic)) > MAX_TEXT:
        for name in ("definition", "example", "notes", "mnemonic"):
            value = getattr(concept, name)
            if len(value) > MAX_TEXT:
                raise DeckFileError(
                    path, f"the {name}{of} is {len(value):,} characters; the limit is {MAX_TEXT:,}", where
                )
    return concept


def rekey_by_path(graph: ConceptGraph) -> ConceptGraph:
    """The same graph with every key replaced by the key of the node's label path (`A/B/C`, see
    `path_key`). For formats without ids. Two siblings with the same label would collide; that is
    an error.
    """
    paths = path_keys(graph)
    seen: dict[str, str] = {}
    for key, new in paths.items():
        if new in seen:
            shown = "/".join(graph.label(k) for k in graph.path(key))
            raise GraphError(
                f"two nodes have the same label path {short(shown)}; give them different labels", (seen[new], key)
            )
        seen[new] = key
    concepts = {paths[k]: c._replace(key=paths[k]) for k, c in graph.concepts.items()}
    children = {paths[k]: [paths[c] for c in v] for k, v in graph.children.items()}
    parents = {paths[k]: [paths[p] for p in v] for k, v in graph.parents.items()}
    links = [(paths[a], paths[b], kind) for a, b, kind in graph.links]
    relations = {(paths[a], paths[b]): word for (a, b), word in graph.relations.items()}
    return ConceptGraph(
        root=paths[graph.root], concepts=concepts, children=children, parents=parents, links=links, relations=relations
    )

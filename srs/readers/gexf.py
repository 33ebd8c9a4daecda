"""GEXF 1.1 to 1.3, as Gephi and networkx write it, read in one streaming pass with expat."""

from __future__ import annotations

import re
from pathlib import Path

from srs.core.graph import Concept, RawEdge
from srs.errors import DeckFileError
from srs.readers import xml_safety
from srs.readers.fields import EDGE_KIND_NAMES, color, concept_of


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """Concepts and edges of a GEXF file (node ids kept as keys).

    Reads attributes declared by id (with defaults), `viz:color` as r/g/b or hex, per-edge
    `type`, and hierarchical GEXF (nodes nested in a node, or a `pid`), whose nesting becomes
    parent->child edges. No element tree is built.
    """
    parser = xml_safety.expat_parser()
    reader = _GexfReader(parser, nested=_nests_nodes(data))
    parser.StartElementHandler = reader.start
    try:
        xml_safety.parse(path, parser, data)
    except _GexfProblem as exc:
        raise DeckFileError(path, exc.args[0], f"line {parser.CurrentLineNumber}") from None
    if reader.root_tag != "gexf":
        raise DeckFileError(path, f"not GEXF: the root element is <{reader.root_tag}>")
    if not reader.saw_graph:
        raise DeckFileError(path, "no <graph> element")
    own_colors = any(t.lower() in ("color", "colour") for t in reader.titles["node"].values())
    concepts = []
    for key, values, viz in reader.nodes:
        if viz is not None and not own_colors and "color" not in values:
            values["color"] = viz
        concepts.append(concept_of(key, values))
    return concepts, reader.edges()


class _GexfProblem(Exception):
    """A node or edge the file gives without what it needs, raised while the parser is at its line."""


class _GexfReader:
    """Expat handlers that collect a GEXF file's nodes and edges as they stream past.

    An attribute value belongs to the node or edge opened last, so a flat file (one <nodes>
    list, the usual kind) is read from start tags alone: the parser calls `end` only inside
    <attributes>, for the defaults. A file with nodes nested in nodes has `end` called for
    every element, to know which node an inner one sits in and which a later value belongs to.
    """

    def __init__(self, parser, nested: bool) -> None:
        self.parser = parser
        """The parser feeding it: it asks for character data only inside <default>, where it is needed."""
        self.nested = nested
        self.root_tag: str | None = None
        self.saw_graph = False
        self.default_type = "directed"
        self.titles: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
        self.defaults: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
        self.nodes: list[list] = []  # [key, values, viz colour], in the order nodes open
        self.links: list = []  # a RawEdge for a nesting or a `pid`; [source, target, type, values] for an <edge>
        self._class = "node"
        self._attribute: str | None = None
        self._in_default = False
        self._default_text: list[str] = []
        self._open: list[int] = []  # nested files: indexes into self.nodes of the nodes being read, outermost first
        self._values: dict[str, str] | None = None  # where an attribute value goes: the last node's or edge's
        self._node: list | None = None  # the node a viz colour goes to (None after an edge)
        self._edge_count = 0
        self._tags: dict[str, str] = {}  # expat's `namespace}name` -> name, once per name
        if nested:
            parser.EndElementHandler = self.end

    def _tag(self, name: str) -> str:
        tag = self._tags[name] = name.rsplit("}", 1)[-1]
        return tag

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self._tags.get(name) or self._tag(name)
        if self.root_tag is None:
            self.root_tag = tag
        if tag == "node":
            key = attrs.get("id")
            if key is None:
                raise _GexfProblem("a <node> has no id")
            values = dict(self.defaults["node"])
            if "label" in attrs:
                values["label"] = attrs["label"]
            parent = attrs.get("pid") or (self.nodes[self._open[-1]][0] if self._open else None)
            if parent is not None:
                self.links.append(RawEdge(parent, key))
            if self.nested:
                self._open.append(len(self.nodes))
            self._node = [key, values, None]
            self._values = values
            self.nodes.append(self._node)
        elif tag == "attvalue":
            if self._values is not None:
                ident = attrs.get("for") or attrs.get("id") or ""
                titles = self.titles["node" if self._node is not None else "edge"]
                self._values[titles.get(ident, ident)] = attrs.get("value", "")
        elif tag == "edge":
            self._edge_count += 1
            source, target = attrs.get("source"), attrs.get("target")
            if source is None or target is None:
                raise _GexfProblem(f"edge {attrs.get('id', self._edge_count)} lacks its source or target")
            self._values = dict(self.defaults["edge"])
            self._node = None
            self.links.append([source, target, attrs.get("type"), self._values])
        elif tag == "color" and self._node is not None and "viz" in name:
            self._node[2] = _viz_color(attrs)
        elif tag == "attributes":
            self._class = attrs.get("class", "node")
            self.parser.EndElementHandler = self.end
        elif tag == "attribute":
            ident = attrs.get("id", "")
            self._attribute = attrs.get("title") or ident
            self.titles.setdefault(self._class, {})[ident] = self._attribute
        elif tag == "default" and self._attribute is not None:
            self._in_default = True
            self._default_text = []
            self.parser.CharacterDataHandler = self.text
        elif tag == "graph":
            self.saw_graph = True
            self.default_type = attrs.get("defaultedgetype", "directed")

    def end(self, name: str) -> None:
        tag = self._tags.get(name) or self._tag(name)
        if tag == "node":
            self._open.pop()
            # A value after an inner node's end is the enclosing node's again.
            self._node = self.nodes[self._open[-1]] if self._open else None
            self._values = self._node[1] if self._node is not None else None
        elif tag == "edge":
            self._values = self._node = None
        elif tag == "default" and self._in_default and self._attribute is not None:
            self.defaults.setdefault(self._class, {})[self._attribute] = "".join(self._default_text)
            self._in_default = False
            self.parser.CharacterDataHandler = None
        elif tag == "attribute":
            self._attribute = None
        elif tag == "attributes" and not self.nested:
            self.parser.EndElementHandler = None

    def text(self, data: str) -> None:
        if self._in_default:
            self._default_text.append(data)

    def edges(self) -> list[RawEdge]:
        """Every edge in the file's order: nestings and `pid`s as they came, <edge>s with their kind."""
        out = []
        for link in self.links:
            if type(link) is list:
                source, target, edge_type, values = link
                kind = next((values[k] for k in values if k.lower() in EDGE_KIND_NAMES), "") if values else ""
                link = RawEdge(source, target, kind, (edge_type or self.default_type) == "directed")
            out.append(link)
        return out


_NODES_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?nodes[\s/>]")


def _nests_nodes(data: bytes) -> bool:
    """Whether a GEXF file may hold nodes inside nodes: it has more than one <nodes> element."""
    found = _NODES_TAG.search(data)
    return found is not None and _NODES_TAG.search(data, found.end()) is not None


def _viz_color(attrs: dict[str, str]) -> str | None:
    """`#rrggbb` from the attributes of a viz:color element."""
    if attrs.get("hex"):
        return color(attrs.get("hex"))
    try:
        r, g, b = (int(float(attrs.get(c, "0"))) for c in "rgb")
    except ValueError:
        return None
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(part, 255)) for part in (r, g, b)))

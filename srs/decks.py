"""Reading deck files into a validated concept graph.

Formats: GEXF (1.1 to 1.3, as Gephi and networkx write it), GraphML, networkx node-link JSON
(and a nested `{"label", "children"}` tree), CSV (an edge list or a node table) and an indented
Markdown outline. XML is parsed with DTDs and entities refused, so a "billion laughs" file fails
at once. Every problem is a `DeckFileError` naming the file and the place in it.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from pathlib import Path
from typing import Callable, Iterator
from xml.etree.ElementTree import Element, ParseError

from srs.bulk import collector_paused
from srs.core.graph import Concept, ConceptGraph, RawEdge, assemble, path_key, path_keys
from srs.errors import DeckFileError, GraphError

FORMATS = ("gexf", "graphml", "json", "csv", "outline")
EXTENSIONS = {
    ".gexf": "gexf",
    ".graphml": "graphml",
    ".json": "json",
    ".csv": "csv",
    ".md": "outline",
    ".markdown": "outline",
    ".txt": "outline",
    ".outline": "outline",
}
MAX_TEXT = 20_000
"""Longest definition, example, note or mnemonic accepted, in characters."""
MAX_LABEL = 500
MAX_KEY = 500
"""Longest node id accepted, in characters (the database column's size)."""
CHUNK = 1 << 20

FIELD_ALIASES = {
    "label": "label",
    "name": "label",
    "term": "label",
    "title": "label",
    "definition": "definition",
    "description": "definition",
    "gloss": "definition",
    "desc": "definition",
    "example": "example",
    "examples": "example",
    "notes": "notes",
    "note": "notes",
    "annotation": "notes",
    "mnemonic": "mnemonic",
    "color": "color",
    "colour": "color",
}
STATE_PREFIX = "srs_"
"""Attributes the GEXF export writes about learning state; read back, they are not deck data."""
EDGE_KIND_NAMES = ("kind", "relation", "edge_kind", "edgetype", "edge type")

Progress = Callable[[int, int], None]
"""Called with (bytes read, total bytes) while a large file is read."""


@collector_paused()
def read_deck(
    path: str | Path,
    fmt: str | None = None,
    root: str | None = None,
    nodes_file: str | Path | None = None,
    progress: Progress | None = None,
) -> ConceptGraph:
    """Read the deck file at `path` into a validated `ConceptGraph`."""
    path = Path(path)
    data = _read_bytes(path, progress)
    fmt = fmt or detect_format(path, data)
    if fmt not in FORMATS:
        raise DeckFileError(path, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "gexf":
        concepts, edges = parse_gexf(path, data)
    elif fmt == "graphml":
        concepts, edges = parse_graphml(path, data)
    elif fmt == "json":
        concepts, edges = parse_json(path, _characters_checked(path, _text(path, data)))
    elif fmt == "csv":
        extra = _read_bytes(Path(nodes_file), None) if nodes_file else None
        nodes_text = _characters_checked(Path(nodes_file), _text(Path(nodes_file), extra)) if extra is not None else None
        concepts, edges = parse_csv(path, _characters_checked(path, _text(path, data)), nodes_text)
    else:
        concepts, edges = parse_outline(path, _characters_checked(path, _text(path, data)))
    by_path = getattr(concepts, "keyed_by_path", False)
    lines: dict[str, int] = getattr(concepts, "lines", {})
    try:
        graph = assemble([_checked(path, c, lines, by_path) for c in concepts], edges, root=root)
        return rekey_by_path(graph) if by_path else graph
    except GraphError as exc:
        raise DeckFileError(path, str(exc), _lines_of(exc.keys, lines)) from None


class _Lined(list):
    """A list of concepts with the line each was read from (`lines`, by key), for messages."""

    keyed_by_path = False

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


class _PathKeyed(_Lined):
    """A list of concepts whose keys are provisional, to be replaced by label-path keys."""

    keyed_by_path = True


def _lines_of(keys, lines: dict[str, int]) -> str | None:
    """`line 3` or `lines 3, 8` for the nodes `keys`, where the format has lines."""
    found = sorted({lines[k] for k in keys if k in lines})
    if not found:
        return None
    return f"line {found[0]}" if len(found) == 1 else f"lines {', '.join(map(str, found))}"


def _short(text: str, limit: int = 60) -> str:
    """A term as an error message quotes it: cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def detect_format(path: Path, data: bytes) -> str:
    """The format of a deck file, from its extension, else from its first characters."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    if by_ext:
        return by_ext
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        text = head.decode("utf-8", "replace")
        if "<gexf" in text:
            return "gexf"
        if "<graphml" in text:
            return "graphml"
        raise DeckFileError(path, "XML, but neither GEXF nor GraphML")
    if head[:1] in (b"{", b"["):
        return "json"
    first = head.split(b"\n", 1)[0].strip()
    if re.match(rb"^([-*+]|\d+[.)])\s", first) or first.startswith(b"#"):
        return "outline"
    if b"," in first:
        return "csv"
    raise DeckFileError(path, "unknown format: name it .gexf, .graphml, .json, .csv or .md")


def _read_bytes(path: Path, progress: Progress | None) -> bytes:
    try:
        if path.is_dir():
            raise DeckFileError(path, "is a folder, not a deck file")
        with path.open("rb") as f:
            total = path.stat().st_size
            parts = []
            done = 0
            while chunk := f.read(CHUNK):
                parts.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except FileNotFoundError:
        raise DeckFileError(path, "no such file") from None
    except PermissionError:
        raise DeckFileError(path, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise DeckFileError(path, f"cannot read the file: {exc.strerror or exc}") from None
    data = b"".join(parts)
    if not data.strip():
        raise DeckFileError(path, "the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DeckFileError(path, "a binary file, not a concept graph")
    return data


def _text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckFileError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", f"line {line}") from None


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What deck text cannot hold: the control characters but tab and line breaks, U+FFFE, U+FFFF
and lone surrogates, as XML 1.0 (and so a GEXF export) refuses them; PostgreSQL refuses NUL too."""


def _not_text(char: str) -> str:
    kind = "a control character" if ord(char) < 0x20 else "not a character"
    return f"holds U+{ord(char):04X} ({kind}), which deck text cannot hold"


def _characters_checked(path: Path, text: str) -> str:
    """`text`, refused at the line of its first character that deck text cannot hold."""
    found = _NOT_TEXT.search(text)
    if found is not None:
        raise DeckFileError(path, _not_text(found[0]), f"line {text.count(chr(10), 0, found.start()) + 1}")
    return text


def _values_checked(path: Path, concepts: list[Concept], edges: list[RawEdge]) -> None:
    """Refuse, naming the node, a character deck text cannot hold that an escape put in a value."""
    for concept in concepts:
        values = (concept.key, concept.label, concept.definition, concept.example, concept.notes, concept.mnemonic)
        for value in (*values, *concept.attrs.keys(), *concept.attrs.values()):
            found = _NOT_TEXT.search(value)
            if found is not None:
                named = _short(concept.label) if getattr(concepts, "keyed_by_path", False) else f"{concept.key!r} ({_short(concept.label)})"
                raise DeckFileError(path, _not_text(found[0]), f"node {named}")
    for number, edge in enumerate(edges):
        found = _NOT_TEXT.search(edge.kind)
        if found is not None:
            raise DeckFileError(path, _not_text(found[0]), f"links[{number}]")


def _checked(path: Path, concept: Concept, lines: dict[str, int], by_path: bool = False) -> Concept:
    key, label = concept.key, concept.label
    # Where the format has lines, the line and the term; else the node id the file gives (its
    # label where the key is only a reader's provisional one).
    where = f"line {lines[key]}" if key in lines else f"node {_short(label)}" if by_path else f"node {key!r}"
    of = f" of {_short(label)}" if key in lines else ""
    if not key.strip():
        raise DeckFileError(path, "a node has an empty id", where if key in lines else None)
    if len(key) > MAX_KEY:
        raise DeckFileError(path, f"the node id is {len(key):,} characters; the limit is {MAX_KEY:,}", f"node {_short(key)}")
    if not label.strip():
        raise DeckFileError(path, "the node has no label", where)
    if len(label) > MAX_LABEL:
        raise DeckFileError(path, f"the label {_short(label)} is {len(label):,} characters; the limit is {MAX_LABEL:,}", where)
    if max(len(concept.definition), len(concept.example), len(concept.notes), len(concept.mnemonic)) > MAX_TEXT:
        for name in ("definition", "example", "notes", "mnemonic"):
            value = getattr(concept, name)
            if len(value) > MAX_TEXT:
                raise DeckFileError(path, f"the {name}{of} is {len(value):,} characters; the limit is {MAX_TEXT:,}", where)
    return concept


@functools.lru_cache(maxsize=1024)
def _field_of(name: str) -> str | None:
    """The concept field an attribute name stands for, under any alias (cached: a file has few names)."""
    return FIELD_ALIASES.get(name.strip().lower())


def _concept(key: str, values: dict[str, str]) -> Concept:
    """A concept from a node's attributes, sorting known fields (under any alias) from the rest."""
    known: dict[str, str] = {}
    attrs: dict[str, str] = {}
    for name, value in values.items():
        field = _field_of(name)
        if field and not known.get(field):
            known[field] = value
        elif value != "" and not name.startswith(STATE_PREFIX):
            attrs[name] = value
    get = known.get
    # Positional, in the order of Concept's fields: a file makes one for every node.
    return Concept(
        key,
        " ".join(get("label", key).split()),
        get("definition", "").strip(),
        get("example", "").strip(),
        get("notes", "").strip(),
        get("mnemonic", "").strip(),
        _color(get("color")),
        attrs,
    )


def _color(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"#?[0-9a-fA-F]{6}", value):
        return "#" + value.lstrip("#").lower()
    return None


# -- XML --------------------------------------------------------------------------------------


def _parse_xml(path: Path, data: bytes) -> Element:
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    declared = re.match(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.-]+)""", data[:200])
    if declared is None or declared[1].lower().replace(b"-", b"") in (b"utf8", b"utf8sig"):
        _characters_checked(path, _text(path, data))  # UTF-8, said or implied: name a bad byte or character
    try:
        parser.feed(data)
        return parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise DeckFileError(path, "XML with a DTD or entities is refused (they can expand without limit)") from None
    except ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        if message in ("no element found", "unclosed token"):
            message = "the XML ends too early (a truncated file?)"
        raise DeckFileError(path, message, f"line {line}, column {column + 1}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if _local(child.tag) == name:
            yield child


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)


class _Refused(Exception):
    """A DTD or entity declaration in an XML deck: refused before anything expands."""


def _refuse(*_args) -> None:
    raise _Refused


def parse_gexf(path: Path, data: bytes) -> tuple[list[Concept], list[RawEdge]]:
    """Concepts and edges of a GEXF file (node ids kept as keys), read in one streaming pass.

    Reads GEXF 1.1 to 1.3: attributes declared by id (with defaults), `viz:color` as r/g/b or
    hex, per-edge `type`, and hierarchical GEXF (nodes nested in a node, or a `pid`), whose
    nesting becomes parent->child edges. No element tree is built.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    reader = _GexfReader(parser, nested=_nests_nodes(data))
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = reader.start
    declared = re.match(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.-]+)""", data[:200])
    if declared is None or declared[1].lower().replace(b"-", b"") in (b"utf8", b"utf8sig"):
        _characters_checked(path, _text(path, data))  # UTF-8, said or implied: name a bad byte or character
    try:
        parser.Parse(data, True)
    except _Refused:
        raise DeckFileError(path, "XML with a DTD or entities is refused (they can expand without limit)") from None
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        if message in ("no element found", "unclosed token"):
            message = "the XML ends too early (a truncated file?)"
        raise DeckFileError(path, message, f"line {exc.lineno}, column {exc.offset + 1}") from None
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
        concepts.append(_concept(key, values))
    return concepts, reader.edges()


class _GexfProblem(Exception):
    pass


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
        elif tag == "default" and self._in_default:
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


def _gexf_values(element: Element, titles: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    block = _child(element, "attvalues")
    if block is None:
        return values
    for value in _children(block, "attvalue"):
        ident = value.get("for") or value.get("id") or ""
        values[titles.get(ident, ident)] = value.get("value", "")
    return values


def _viz_color(element) -> str | None:
    """`#rrggbb` from a viz:color element or its attribute dict."""
    if element.get("hex"):
        return _color(element.get("hex"))
    try:
        r, g, b = (int(float(element.get(c, "0"))) for c in "rgb")
    except ValueError:
        return None
    return "#%02x%02x%02x" % (max(0, min(r, 255)), max(0, min(g, 255)), max(0, min(b, 255)))


def parse_graphml(path: Path, data: bytes) -> tuple[list[Concept], list[RawEdge]]:
    """Concepts and edges of a GraphML file (node ids kept as keys)."""
    top = _parse_xml(path, data)
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
            key = element.get("id")
            if key is None:
                raise DeckFileError(path, "a <node> has no id", f"element {number}")
            concepts.append(_concept(key, {**defaults["node"], **values}))
        elif tag == "edge":
            source, target = element.get("source"), element.get("target")
            if source is None or target is None:
                raise DeckFileError(path, "an <edge> lacks its source or target", f"edge {element.get('id', number)}")
            values = {**defaults["edge"], **values}
            kind = next((values[k] for k in values if k.lower() in EDGE_KIND_NAMES), "")
            directed = element.get("directed")
            edges.append(RawEdge(source, target, kind, default_directed if directed is None else directed == "true"))
    return concepts, edges


# -- JSON -------------------------------------------------------------------------------------


def parse_json(path: Path, text: str) -> tuple[list[Concept], list[RawEdge]]:
    """networkx node-link JSON (`nodes` and `links` or `edges`), or a nested tree of
    `{"label": ..., "children": [...]}` objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeckFileError(path, f"not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        # Python's JSON parser recurses once per level of nesting; node-link JSON has none.
        raise DeckFileError(
            path, 'the JSON nests too deep for Python\'s JSON parser (it stops near 1,000 levels); write a tree that deep '
            'as node-link JSON ("nodes" and "links"), an outline or a CSV table'
        ) from None
    if isinstance(data, dict) and "nodes" in data:
        concepts, edges = _node_link(path, data)
    elif isinstance(data, dict) and ("children" in data or "label" in data or "name" in data):
        concepts, edges = _nested(path, data)
    else:
        raise DeckFileError(path, 'JSON, but neither node-link ("nodes" and "links") nor a tree ("label" and "children")')
    _values_checked(path, concepts, edges)
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
        concepts.append(_concept(key, values))
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
    concepts: list[Concept] = [] if keyed_by_id else _PathKeyed()
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
        concepts.append(_concept(key, values))
        if parent is not None:
            edges.append(RawEdge(parent, key))
        children = item.get("children", [])
        if not isinstance(children, list):
            raise DeckFileError(path, '"children" is not a list', where)
        for i in reversed(range(len(children))):
            todo.append((children[i], key, text, f"{where}.children[{i}]"))
    return concepts, edges


# -- CSV --------------------------------------------------------------------------------------


def parse_csv(path: Path, text: str, nodes_text: str | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """An edge list (`parent,child` or `source,target`, with an optional nodes file), or a node
    table (`label`, optional `id`, `parent`, `definition`, ...; several parents split by `|`)."""
    rows, header = _csv_rows(path, text)
    names = [h.strip().lower() for h in header]
    pairs = (("parent", "child"), ("source", "target"))
    for a, b in pairs:
        if a in names and b in names:
            return _edge_list(path, rows, header, names.index(a), names.index(b), nodes_text)
    if not {"label", "name", "term", "id"} & set(names):
        raise DeckFileError(path, "a CSV deck needs a header: `parent,child` for an edge list, or `label,definition,parent` for a node table", "line 1")
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


def _edge_list(path, rows, header, a, b, nodes_text) -> tuple[list[Concept], list[RawEdge]]:
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
        edges.append(RawEdge(parent, child, kind))
    known: dict[str, dict[str, str]] = {}
    if nodes_text is not None:
        node_rows, node_header = _csv_rows(path, nodes_text)
        lowered = [h.lower() for h in node_header]
        key_col = next((lowered.index(n) for n in ("id", "key", "name", "label") if n in lowered), None)
        if key_col is None:
            raise DeckFileError(path, "the nodes file needs an `id` or `label` column", "nodes file line 1")
        for line, row in node_rows:
            values = {node_header[i]: cell.strip() for i, cell in enumerate(row) if i != key_col and i < len(node_header)}
            if lowered[key_col] != "id" and "label" not in {k.lower() for k in values}:
                values["label"] = row[key_col].strip()
            known[row[key_col].strip()] = values
            order.setdefault(row[key_col].strip(), line)
    concepts = _Lined()
    concepts.extend(_concept(key, known.get(key, {})) for key in order)
    concepts.lines.update(order)
    return concepts, edges


def _node_table(path, rows, header) -> tuple[list[Concept], list[RawEdge]]:
    lowered = [h.lower() for h in header]
    has_id = "id" in lowered
    parent_col = lowered.index("parent") if "parent" in lowered else None
    concepts = _Lined() if has_id else _PathKeyed()
    edges: list[RawEdge] = []
    parents_of: list[tuple[int, str, str]] = []
    for line, row in rows:
        values = {header[i]: cell.strip() for i, cell in enumerate(row) if i < len(header) and i != parent_col}
        key = values.pop(header[lowered.index("id")]) if has_id else None
        concept = _concept(key or "", values)
        if not has_id:
            concept = concept._replace(key=concept.label)
        if not concept.key:
            raise DeckFileError(path, "a row has no id or label", f"line {line}")
        if concept.key in concepts.lines:
            first = concepts.lines[concept.key]
            what = f"the id {_short(concept.key)}" if has_id else f"the term {_short(concept.label)}, which names a parent in a table without ids,"
            raise DeckFileError(path, f"{what} is on line {first} as well", f"line {line}")
        concepts.lines[concept.key] = line
        concepts.append(concept)
        if parent_col is not None and parent_col < len(row):
            for parent in row[parent_col].split("|"):
                if parent.strip():
                    parents_of.append((line, parent.strip(), concept.key))
    keys = {c.key for c in concepts}
    by_label = {}
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


# -- outline ----------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s+(?P<text>.*\S)\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*\S)\s*$")
_SPLITTERS = (re.compile(r"^(.+?):\s+(.*)$"), re.compile(r"^(.+?)\s+[—–]\s+(.*)$"), re.compile(r"^(.+?)\s+-\s+(.*)$"))


def parse_outline(path: Path, text: str) -> tuple[list[Concept], list[RawEdge]]:
    """An indented Markdown outline: `- Term: definition`, nesting is the hierarchy.

    `# Headings` are levels above the bullets; an indented line that is not a bullet continues
    the definition above it. A heading's first bullet naming the heading's own term (`# Topic`,
    then `- Topic: what it is`) is that concept, not a child of the same name. Keys are label
    paths, fixed once the hierarchy is known.
    """
    concepts = _PathKeyed()
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
        if bullet and above is not None and stack[-1][0] < 0 and above not in parents and labels[above].casefold() == term.casefold():
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


# -- keys by label path -----------------------------------------------------------------------


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
            raise GraphError(f"two nodes have the same label path {_short(shown)}; give them different labels", (seen[new], key))
        seen[new] = key
    concepts = {paths[k]: c._replace(key=paths[k]) for k, c in graph.concepts.items()}
    children = {paths[k]: [paths[c] for c in v] for k, v in graph.children.items()}
    parents = {paths[k]: [paths[p] for p in v] for k, v in graph.parents.items()}
    links = [(paths[a], paths[b], kind) for a, b, kind in graph.links]
    return ConceptGraph(root=paths[graph.root], concepts=concepts, children=children, parents=parents, links=links)

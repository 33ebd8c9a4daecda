"""Reading deck files into a validated concept graph.

Formats: GEXF (1.1 to 1.3, as Gephi and networkx write it), GraphML, networkx node-link JSON
(and a nested `{"label", "children"}` tree), CSV (an edge list or a node table), an indented
Markdown outline, a Mermaid mindmap (a `.mmd` file, or a Markdown file's ```mermaid block),
OPML 2.0, JSON Canvas 1.0 (Obsidian), Freeplane and FreeMind, and XMind (Zen/2020+ and 8).
Each is read by a module of this package named in `READERS`, whose `read(path, data,
nodes_file)` returns the concepts and edges it found; `validate` turns them into one
`ConceptGraph`. XML is parsed with DTDs and entities refused (`xml_safety`), a zip archive read
in memory with zip bombs refused (`zip_safety`). Every problem is a `DeckFileError` naming the
file and the place in it.

A new format is a new module with such a `read`, and a line in `READERS`.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from srs.bulk import collector_paused
from srs.errors import DeckFileError
from srs.readers.files import BINARY, ZIP_SIGNATURE, Progress, read_bytes

if TYPE_CHECKING:
    from srs.core.graph import ConceptGraph, EdgeKinds


class Reader(NamedTuple):
    """Where a format is read, and the file name endings that mean it."""

    module: str
    """The module of this package that reads the format."""
    extensions: tuple[str, ...]
    """File name endings, in lower case; an error message suggests the first."""
    zipped: bool = False
    """The format is a zip archive (other formats refuse binary files before they are read)."""


READERS: dict[str, Reader] = {
    "gexf": Reader("gexf", (".gexf",)),
    "graphml": Reader("graphml", (".graphml",)),
    "json": Reader("json_file", (".json",)),
    "csv": Reader("csv_file", (".csv",)),
    "outline": Reader("outline", (".md", ".markdown", ".txt", ".outline")),
    "mermaid": Reader("mermaid", (".mmd", ".mermaid")),
    "opml": Reader("opml", (".opml",)),
    "canvas": Reader("canvas", (".canvas",)),
    "freeplane": Reader("freeplane", (".mm",)),
    "xmind": Reader("xmind", (".xmind",), zipped=True),
}
FORMATS = tuple(READERS)
EXTENSIONS = {extension: name for name, reader in READERS.items() for extension in reader.extensions}

__all__ = ["EXTENSIONS", "FORMATS", "READERS", "Progress", "Reader", "detect_format", "read_deck"]


@collector_paused()
def read_deck(
    path: str | Path,
    fmt: str | None = None,
    root: str | None = None,
    nodes_file: str | Path | None = None,
    progress: Progress | None = None,
    kinds: EdgeKinds | None = None,
) -> ConceptGraph:
    """Read the deck file at `path` into a validated `ConceptGraph`, its hierarchy made of the
    edges whose kind is one of `kinds` (by default `srs.core.graph.DEFAULT_KINDS`)."""
    # Imported here, as each format's reader is: the command line names FORMATS on every start.
    from srs.core.graph import DEFAULT_KINDS
    from srs.readers.validate import graph_of

    path = Path(path)
    data = read_bytes(path, progress, zip_ok=True)
    fmt = fmt or detect_format(path, data)
    if fmt not in READERS:
        raise DeckFileError(path, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if data.startswith(ZIP_SIGNATURE) and not READERS[fmt].zipped:
        raise DeckFileError(path, BINARY)
    reader = importlib.import_module(f"{__name__}.{READERS[fmt].module}")
    concepts, edges = reader.read(path, data, Path(nodes_file) if nodes_file else None)
    return graph_of(path, concepts, edges, root, kinds or DEFAULT_KINDS)


def detect_format(path: Path, data: bytes) -> str:
    """The format of a deck file, from its extension, else from its first characters."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    if by_ext == "outline":
        from srs.readers.mermaid import holds_mindmap  # only Markdown needs it

        return "mermaid" if holds_mindmap(data) else by_ext
    if by_ext:
        return by_ext
    if data.startswith(ZIP_SIGNATURE):
        return "xmind"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        text = head.decode("utf-8", "replace")
        if "<gexf" in text:
            return "gexf"
        if "<graphml" in text:
            return "graphml"
        if "<opml" in text:
            return "opml"
        if re.search(r"<map[\s>]", text):
            return "freeplane"
        raise DeckFileError(path, "XML, but neither GEXF, GraphML, OPML nor a Freeplane map")
    if head[:1] in (b"{", b"["):
        return "json"
    first = head.split(b"\n", 1)[0].strip()
    if first == b"mindmap":
        return "mermaid"
    if re.match(rb"^([-*+]|\d+[.)])\s", first) or first.startswith(b"#"):
        return "outline"
    if b"," in first:
        return "csv"
    suggested = [reader.extensions[0] for reader in READERS.values()]
    raise DeckFileError(path, f"unknown format: name it {', '.join(suggested[:-1])} or {suggested[-1]}")

"""Mermaid mindmaps: a `.mmd` file, or the ```mermaid block of a Markdown file that starts with
`mindmap`; nesting by indentation, `id((shape))` ids as keys."""

from __future__ import annotations

import re
from pathlib import Path

from srs.core.graph import Concept, RawEdge, path_key
from srs.errors import DeckFileError
from srs.readers.files import text as file_text
from srs.readers.validate import Lined, short

# Each shape's opening and closing marks, the longer openings first: ((circle)), ))bang((,
# {{hexagon}}, (rounded), )cloud(, [square].
_SHAPES = (("((", "))"), ("))", "(("), ("{{", "}}"), ("(", ")"), (")", "("), ("[", "]"))
_ID_END = re.compile(r"[(\[{)]")
"""Where a node's id ends and its shape begins (Mermaid's ids hold none of these)."""
_CLASSES = re.compile(r"\s*:::.*$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TERM = re.compile(r"^(?P<term>.+?):\s+(?P<definition>.*\S)\s*$", re.DOTALL)
_FENCE = re.compile(r"^\s*(?P<fence>```+|~~~+)\s*mermaid\s*$")


def holds_mindmap(data: bytes) -> bool:
    """Whether a Markdown file holds a ```mermaid block that is a mindmap."""
    if b"mermaid" not in data:
        return False
    return _mindmap_block(data.decode("utf-8", "replace").splitlines()) is not None


def read(path: Path, data: bytes, nodes_file: Path | None = None) -> tuple[list[Concept], list[RawEdge]]:
    """A Mermaid mindmap: one root, each node under the nearest line above indented less.

    A node is `text` or `id` + a shape (`[x]`, `(x)`, `((x))`, `))x((`, `)x(`, `{{x}}`); the id
    is its key, a node without one is keyed by its label path. `Term: definition` text gives
    the node a definition; `::icon(...)` lines and `:::class` endings are ignored.
    """
    lines = file_text(path, data).splitlines()
    start = 0
    first = next(_significant(lines, 0), None)
    bare = first is not None and lines[first - 1].strip() == "mindmap"
    if path.suffix.lower() not in (".mmd", ".mermaid") and not bare:  # Markdown: its ```mermaid block
        block = _mindmap_block(lines)
        if block is None:
            raise DeckFileError(path, "no ```mermaid block that starts with `mindmap`")
        start, end = block
        lines = lines[:end]
    concepts = Lined()
    edges: list[RawEdge] = []
    stack: list[tuple[int, str, str]] = []  # (indent, key, path text) of the nodes above
    seen_header = False
    root: str | None = None
    for number in _significant(lines, start):
        raw = lines[number - 1]
        if not seen_header:
            if raw.strip() != "mindmap":
                raise DeckFileError(
                    path, f"not a Mermaid mindmap: the diagram starts {short(raw.strip())}", f"line {number}"
                )
            seen_header = True
            continue
        body = _CLASSES.sub("", raw.strip())
        if body.startswith("::icon(") or not body:
            continue
        indent = len(raw) - len(raw.lstrip())
        ident, text = _node(path, body, number)
        label, definition = _split(text)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if not stack and root is not None:
            raise DeckFileError(
                path, "a second root: a mindmap has one root, so indent this node under it", f"line {number}"
            )
        above = stack[-1] if stack else None
        path_text = ident or (f"{above[2]}/{label}" if above else label)
        key = ident or path_key(path_text)
        if key in concepts.lines:
            first = concepts.lines[key]
            what = f"the id {short(ident)}" if ident else f"the label path {short(path_text)}"
            raise DeckFileError(path, f"{what} is on line {first} as well", f"line {number}")
        concepts.lines[key] = number
        concepts.append(Concept(key, " ".join(label.split()), definition))
        if above is not None:
            edges.append(RawEdge(above[1], key))
        else:
            root = key
        stack.append((indent, key, path_text))
    if not seen_header:
        raise DeckFileError(path, "the mindmap is empty")
    if root is None:
        raise DeckFileError(path, "the mindmap has no nodes")
    return concepts, edges


def _mindmap_block(lines: list[str]) -> tuple[int, int] | None:
    """The first ```mermaid block that is a mindmap: the index of its first line, and of its
    closing fence (or the end)."""
    index = 0
    while index < len(lines):
        opened = _FENCE.match(lines[index])
        index += 1
        if opened is None:
            continue
        fence = opened["fence"]
        start = index
        while index < len(lines) and not lines[index].strip().startswith(fence):
            index += 1
        first = next(_significant(lines[:index], start), None)
        if first is not None and lines[first - 1].strip() == "mindmap":
            return start, index
        index += 1
    return None


def _significant(lines: list[str], start: int):
    """The line numbers (from 1) of `lines[start:]` that hold the diagram: not blank, not a
    `%%` comment or directive, not the `---` front matter before it."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines) and lines[index].strip() == "---":
        index += 1
        while index < len(lines) and lines[index].strip() != "---":
            index += 1
        index += 1
    for number in range(index + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("%%"):
            yield number


def _node(path: Path, body: str, number: int) -> tuple[str, str]:
    """A node line's id ('' for none) and text."""
    found = _ID_END.search(body)
    if found is None:
        return "", _plain(body)
    ident, rest = body[: found.start()].strip(), body[found.start() :]
    for opening, closing in _SHAPES:
        if rest.startswith(opening):
            if len(rest) < len(opening) + len(closing) or not rest.endswith(closing):
                raise DeckFileError(path, f"the shape {opening}…{closing} is not closed", f"line {number}")
            return ident, _plain(rest[len(opening) : -len(closing)])
    raise DeckFileError(path, f"{short(rest)} is not a mindmap shape", f"line {number}")


def _plain(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":  # a Markdown string
        text = text[1:-1].strip()
    return _BREAK.sub("\n", text)


def _split(text: str) -> tuple[str, str]:
    found = _TERM.match(text)
    if found is None:
        return text, ""
    return found["term"], found["definition"]

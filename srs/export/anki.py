"""Anki export: a deck, or one branch of it, as an Anki package (.apkg) written with genanki.

What the package holds:

- One note per live node that has cards, with fields for the term, its definition, example,
  breadcrumb path, parent, other parents, siblings and children (each with its short
  definition), the learner's notes and mnemonic, and the node's key.
- One card template per card kind: Definition, Placement (for a node without a definition) and
  Children (for a node with two or more children). A template's front is wrapped in a section on
  a question field that is filled only for the node's own cards, so Anki generates exactly the
  cards the terminal app has, and no empty ones. The text is the stored card content, so a
  breadcrumb that would give the answer away is masked just as in the terminal.
- Subdecks that follow the graph to `depth` levels below the exported branch
  (`Scaling Hypothesis::Data Scaling::Data Quality`). A node sits in its first parent's subdeck
  and is tagged with its other parents; every note is tagged with its top-level branch, and
  `leech` when one of its cards is a leech (as Anki tags its own).

Identity: the note type id and the deck ids are derived from the deck name (and subdeck path),
and a note's GUID from the deck name and the node key, so importing a newer export updates the
notes already in Anki (with their review history) instead of adding copies. Anki updates a note
only when the incoming one is newer; every note carries the export time as its modification
time, so a later export always wins.

Scheduling is not exported: genanki writes no review history, so Anki starts its own schedule for
the imported cards. They arrive as new cards, in the order the terminal app introduces them
(cards suspended here stay suspended if Anki's "Import any learning progress" option is on).
Re-importing a later export keeps whatever Anki has learned since.

A card that no longer exists here (a node that lost its definition or its children) stays in
Anki with an empty front; Anki's Tools > Empty Cards removes it.

A card about two nodes (a contrast or relation card, `srs.core.pairs`) is a note of its own, of a
second note type (`pair_note_type`, its id from the deck name): the question, the breadcrumb, the
link of a relation card, and both nodes with their definitions, one after the other. Its GUID
comes from the deck name, the card's kind and both node keys (a contrast pair's sorted, so it is
one note whichever way round the pair was made), and it sits in its first node's subdeck.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import genanki

from srs.bulk import collector_paused
from srs.core.cards import CardCache, CardContent, CardKind, Neighbour, cards_for, link_line, parent_heading
from srs.core.graph import PATH_KEY_DIGITS, ConceptGraph, first_parent_of, path_digests, path_key
from srs.core.leech import is_leech
from srs.core.text import xml_text
from srs.errors import ExportError
from srs.export.files import atomic_file

DEFAULT_DEPTH = 1
"""Subdeck levels below the exported branch: 1 makes one subdeck per top-level branch."""

PATH_SEPARATOR = " › "

Progress = Callable[[int, int], None]
"""Called with (notes written, notes in all); the call with done == total comes once the file is in place."""

_ID_LOW = 1 << 30
_ID_SPAN = 1 << 30
"""genanki's advice for hand-made ids: a number in [2**30, 2**31)."""

# -- the note type ------------------------------------------------------------------------------

FIELDS = (
    "Term",
    "Definition",
    "Example",
    "Path",
    "Parent",
    "OtherParents",
    "Siblings",
    "Children",
    "Notes",
    "Mnemonic",
    "DefinitionQuestion",
    "PlacementQuestion",
    "ChildrenQuestion",
    "ChildrenPath",
    "ChildrenHint",
    "Key",
)
"""The note's fields, in order. The *Question fields are filled only for the node's own cards.

Anki treats the fields as part of the note type's identity: after a change here, packages update
notes from older exports only when imported with Anki's "Merge note types" option (without it
Anki reports them as conflicting and leaves them as they were). Templates and CSS can change
freely; the newer note type replaces the older one on import.
"""

_DEFINITION, _PLACEMENT, _CHILDREN = CardKind.DEFINITION.value, CardKind.PLACEMENT.value, CardKind.CHILDREN.value

TEMPLATE_ORDER = {_DEFINITION: 0, _PLACEMENT: 1, _CHILDREN: 2}
"""Card kind -> ordinal of its template in the note type."""

_NOTES_AND_MNEMONIC = """
{{#Notes}}<div class="srs-notes"><span class="srs-label">Notes:</span> {{Notes}}</div>{{/Notes}}
{{#Mnemonic}}<div class="srs-mnemonic"><span class="srs-label">Mnemonic:</span> {{Mnemonic}}</div>{{/Mnemonic}}"""

_PARENTS = """
{{#Parent}}<div class="srs-context">{{Parent}}</div>{{/Parent}}
{{#OtherParents}}<div class="srs-context"><span class="srs-label">Also under:</span> {{OtherParents}}</div>{{/OtherParents}}"""  # noqa: E501 - a template line, kept whole as Anki shows it

_SIBLINGS = """
{{#Siblings}}<div class="srs-context"><span class="srs-label">Not to be confused with:</span>{{Siblings}}</div>{{/Siblings}}"""  # noqa: E501 - a template line, kept whole as Anki shows it

TEMPLATES = (
    {
        "name": "Definition",
        "qfmt": """{{#DefinitionQuestion}}
{{#Path}}<div class="srs-path">{{Path}}</div>{{/Path}}
<div class="srs-question">{{DefinitionQuestion}}</div>
{{/DefinitionQuestion}}""",
        "afmt": """{{FrontSide}}
<hr id="answer">
<div class="srs-answer">{{Definition}}</div>
{{#Example}}<div class="srs-example"><span class="srs-label">Example:</span> {{Example}}</div>{{/Example}}"""
        + _PARENTS
        + _SIBLINGS
        + """
{{#Children}}<div class="srs-context srs-made-of">{{Children}}</div>{{/Children}}"""
        + _NOTES_AND_MNEMONIC,
    },
    {
        "name": "Placement",
        "qfmt": """{{#PlacementQuestion}}
<div class="srs-question">{{PlacementQuestion}}</div>
{{/PlacementQuestion}}""",
        "afmt": """{{FrontSide}}
<hr id="answer">
<div class="srs-answer srs-placement">{{Path}}"""
        + PATH_SEPARATOR
        + """<span class="srs-term">{{Term}}</span></div>"""
        + _PARENTS
        + _SIBLINGS
        + _NOTES_AND_MNEMONIC,
    },
    {
        "name": "Children",
        "qfmt": """{{#ChildrenQuestion}}
{{#ChildrenPath}}<div class="srs-path">{{ChildrenPath}}</div>{{/ChildrenPath}}
<div class="srs-question">{{ChildrenQuestion}}</div>
{{#ChildrenHint}}<div class="srs-hint">{{ChildrenHint}}</div>{{/ChildrenHint}}
{{/ChildrenQuestion}}""",
        "afmt": """{{FrontSide}}
<hr id="answer">
<div class="srs-answer srs-parts">{{Children}}</div>"""
        + _PARENTS
        + _NOTES_AND_MNEMONIC,
    },
)

CSS = """\
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 19px;
  line-height: 1.45;
  text-align: left;
  color: #1f2328;
  background-color: #fbfbf8;
}
.srs-path { font-size: 0.8em; color: #59636e; }
.srs-question { font-size: 1.3em; text-align: center; margin: 1.1em 0 0.8em; }
.srs-term { font-weight: 600; color: #0b5cad; }
.srs-hint { text-align: center; font-style: italic; color: #59636e; }
.srs-answer { font-size: 1.1em; margin: 0.8em 0; }
.srs-label { font-weight: 600; color: #59636e; }
.srs-name { font-weight: 600; }
.srs-gloss { color: #59636e; }
.srs-context, .srs-example, .srs-notes, .srs-mnemonic { margin: 0.45em 0; }
ul.srs-list { margin: 0.2em 0; padding-left: 1.3em; }
.srs-made-of ul.srs-list { display: inline; padding: 0; }
.srs-made-of li { display: inline; }
.srs-made-of li:not(:last-child)::after { content: ", "; }
.srs-made-of .srs-gloss { display: none; }
.srs-group { margin: 0.2em 0; }
.srs-parts .srs-group:only-child > .srs-label { display: none; }
.srs-notes, .srs-mnemonic { border-left: 3px solid #d4a72c; padding-left: 0.6em; }
hr#answer { border: none; border-top: 1px solid #d1d9e0; }

.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  color: #e6edf3;
  background-color: #1d2127;
}
.nightMode .srs-path, .night_mode .srs-path,
.nightMode .srs-hint, .night_mode .srs-hint,
.nightMode .srs-label, .night_mode .srs-label,
.nightMode .srs-gloss, .night_mode .srs-gloss { color: #9ea8b3; }
.nightMode .srs-term, .night_mode .srs-term { color: #79b8ff; }
.nightMode .srs-notes, .night_mode .srs-notes,
.nightMode .srs-mnemonic, .night_mode .srs-mnemonic { border-left-color: #bb8009; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #3d444d; }
"""


PAIR_FIELDS = ("Question", "Path", "Link", "First", "FirstDefinition", "Second", "SecondDefinition", "Kind", "Keys")
"""The fields of a pair card's note (`pair_note_type`), in order."""

PAIR_TEMPLATE = {
    "name": "Pair",
    "qfmt": """{{#Path}}<div class="srs-path">{{Path}}</div>{{/Path}}
<div class="srs-question">{{Question}}</div>""",
    "afmt": """{{FrontSide}}
<hr id="answer">
{{#Link}}<div class="srs-answer srs-link">{{Link}}</div>{{/Link}}
<div class="srs-answer"><span class="srs-name">{{First}}</span><div>{{FirstDefinition}}</div></div>
<div class="srs-answer"><span class="srs-name">{{Second}}</span><div>{{SecondDefinition}}</div></div>""",
}


def pair_note_type(deck_name: str) -> genanki.Model:
    """The note type of a deck's pair cards (contrast and relation); its id is fixed by the deck name."""
    return genanki.Model(
        stable_id("pair note type", deck_name),
        f"srs pair ({deck_name})",
        fields=[{"name": name} for name in PAIR_FIELDS],
        templates=[dict(PAIR_TEMPLATE)],
        css=CSS,
    )


class PairNote(NamedTuple):
    """A pair card to export: its kind, its two nodes' keys (card's node first), what it shows,
    and whether it is suspended here."""

    kind: str
    first: str
    second: str
    content: CardContent
    suspended: bool = False


def pair_guid(deck_name: str, note: PairNote) -> str:
    """The GUID of a pair card's note (`pair_key_guid` of its kind and keys)."""
    return pair_key_guid(deck_name, note.kind, note.first, note.second)


def pair_key_guid(deck_name: str, kind: str, first: str, second: str) -> str:
    """The GUID of the note of a pair card of `kind` about nodes `first` and `second`: from the
    deck name, the kind and both node keys (sorted for a contrast card, whose pair has no direction)."""
    keys = sorted((first, second)) if kind == "contrast" else [first, second]
    return genanki.guid_for(deck_name, kind, *keys)


def pair_fields(note: PairNote) -> list[str]:
    """The field values (HTML, every text escaped) of a pair card's note."""
    content = note.content
    values = {
        "Question": _question(content, text(content.term)),
        "Path": _path(content.path),
        "Link": text(link_line(content)) if content.kind == "relation" else "",
        "First": text(content.term),
        "FirstDefinition": text(content.definition),
        "Second": text(content.partner),
        "SecondDefinition": text(content.partner_definition),
        "Kind": text(note.kind),
        "Keys": text(f"{note.first} {note.second}"),
    }
    return [values[name] for name in PAIR_FIELDS]


def note_type(deck_name: str) -> genanki.Model:
    """The note type of a deck's notes; its id is fixed by the deck name."""
    return genanki.Model(
        stable_id("note type", deck_name),
        f"srs concept ({deck_name})",
        fields=[{"name": name} for name in FIELDS],
        templates=[dict(t) for t in TEMPLATES],
        css=CSS,
    )


def stable_id(kind: str, name: str) -> int:
    """An id in genanki's range that depends only on `kind` and `name`."""
    digest = hashlib.sha256(f"srs\x1f{kind}\x1f{name}".encode()).digest()
    return _ID_LOW + int.from_bytes(digest[:8], "big") % _ID_SPAN


_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
"""The digits of the base-91 numbers Anki writes GUIDs in ("a" is zero)."""


def note_guid(deck_name: str, node_key: str) -> str:
    """The GUID of a node's note: the same for every export of the deck (`genanki.guid_for`)."""
    return genanki.guid_for(deck_name, node_key)


def note_guids(deck_name: str, graph: ConceptGraph) -> dict[str, str]:
    """The GUID of every node's note in `graph` (see `note_guid`), by key.

    A node keyed by the digest of its label path (a deck without ids) gets the GUID of the path
    itself, `note_guid(deck_name, "A/B/C")`: its key was the path before keys were made short,
    and Anki must go on updating the notes it already has. The paths are followed by digest, so a
    deep chain costs no more than a wide tree.
    """
    guids = {}
    digested = [key for key in graph.concepts if len(key) == PATH_KEY_DIGITS]  # most decks have no such key
    if digested:
        labels = {key: concept.label for key, concept in graph.concepts.items()}
        first_parent = first_parent_of(graph)
        # The root of a tree with ids keeps its id, and its path text starts with it.
        root_key = graph.root
        root_text = labels[root_key] if root_key == path_key(labels[root_key]) else root_key

        def top(key: str) -> str:
            return root_text if key == root_key else labels[key]

        keys = path_digests(labels, first_parent, top=top)
        texts = path_digests(labels, first_parent, start=f"{deck_name}__", top=top)
        for key in digested:
            if keys[key].hex()[:PATH_KEY_DIGITS] == key:
                guids[key] = _guid(texts[key])
    for key in graph.concepts:
        if key not in guids:
            guids[key] = note_guid(deck_name, key)
    return guids


def _guid(digest: bytes) -> str:
    """The GUID `genanki.guid_for` makes of a text whose SHA-256 is `digest`: its first 8 bytes
    in Anki's base 91."""
    number = int.from_bytes(digest[:8], "big")
    digits = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


# -- field values -------------------------------------------------------------------------------


def text(value: str) -> str:
    """Plain text as HTML that shows exactly those characters (line breaks kept).

    A character HTML cannot hold, such as ESC or the unit separator (\\x1f, which divides a
    note's fields in Anki), is shown as its stand-in (`srs.core.text.xml_text`: ESC as ␛).
    """
    escaped = (
        xml_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )  # html.escape, quotes kept
    if "\n" in escaped:
        escaped = escaped.replace("\r\n", "\n").replace("\n", "<br>")
    return escaped


# Cached: a node is on the note of each of its siblings, of its parent and of its children.
# bench_anki.py, 100k nodes: 6.4 s with these caches, 7.3 s without.
@functools.lru_cache(maxsize=1 << 17)
def _neighbour(n: Neighbour) -> str:
    out = f'<span class="srs-name">{text(n.label)}</span>'
    if n.gloss:
        out += f'<span class="srs-gloss"> — {text(n.gloss)}</span>'
    return out


@functools.lru_cache(maxsize=1 << 17)  # with `_neighbour`'s (the figure above)
def _list_item(n: Neighbour) -> str:
    return f"<li>{_neighbour(n)}</li>"


def _neighbour_list(items: Sequence[Neighbour]) -> str:
    if not items:
        return ""
    return '<ul class="srs-list">' + "".join(map(_list_item, items)) + "</ul>"


def _parent(card: CardContent) -> str:
    """The Parent field: `Part of:` (or `Kind of:`, as the file's edge says) and the parent."""
    if card.parent is None:
        return ""
    return f'<span class="srs-label">{parent_heading(card.parent_relation)}:</span> {_neighbour(card.parent)}'


def _children(card: CardContent) -> str:
    """The Children field: the children by what they are of the node (`Kinds of X:`, `Parts of
    X:`, `Concepts under X:`), each group headed; the Children card hides a lone group's heading,
    which its question says already."""
    return "".join(
        f'<div class="srs-group"><span class="srs-label">{text(heading)}:</span>{_neighbour_list(items)}</div>'
        for heading, items in card.child_groups()
    )


def _question(content: CardContent, term: str) -> str:
    """The question with its term (given escaped) set apart."""
    question = text(content.question)
    if term and term in question:
        return question.replace(term, f'<span class="srs-term">{term}</span>', 1)
    return question


@functools.lru_cache(maxsize=1 << 12)  # siblings share their breadcrumb (the figure above)
def _path(parts: tuple[str, ...]) -> str:
    return PATH_SEPARATOR.join(text(p) for p in parts)


def journal_html(entries: Iterable[tuple[date, str]]) -> str:
    """A node's journal entries (day, text) as HTML, each text escaped, in the order given
    (newest first); '' for none."""
    lines = "".join(f"<div>{day.isoformat()} {text(line)}</div>" for day, line in entries)
    return f'<div class="srs-journal"><span class="srs-label">Journal:</span>{lines}</div>' if lines else ""


def note_fields(
    key: str,
    cards: Mapping[str, CardContent],
    definition: str = "",
    example: str = "",
    notes: str = "",
    mnemonic: str = "",
    journal: Sequence[tuple[date, str]] = (),
) -> list[str]:
    """The field values (HTML, every text escaped) of a node's note, from its cards' stored content.

    `cards` maps card kind to content; the context (parent, siblings, children) is the same on
    every card of a node, so any of them gives it. The node's `journal` entries follow its notes
    in the Notes field: a field of their own would change the note type, which Anki then takes
    for another one and leaves the learner's notes from older exports as they were.
    """
    main = cards.get(_DEFINITION) or cards.get(_PLACEMENT)
    parts = cards.get(_CHILDREN)
    any_card = main or parts
    if any_card is None:
        raise ValueError(f"node {key!r} has no card to export")
    term = text(any_card.term)
    values = {
        "Term": term,
        "Definition": text(definition),
        "Example": text(example),
        "Path": _path(any_card.path if main is None else main.path),
        "Parent": _parent(any_card),
        "OtherParents": ", ".join(text(p) for p in any_card.other_parents),
        "Siblings": _neighbour_list(any_card.siblings),
        "Children": _children(any_card),
        "Notes": text(notes) + journal_html(journal),
        "Mnemonic": text(mnemonic),
        "DefinitionQuestion": "",
        "PlacementQuestion": "",
        "ChildrenQuestion": "",
        "ChildrenPath": "",
        "ChildrenHint": "",
        "Key": text(key),
    }
    if main is not None and main.kind == _DEFINITION:
        values["DefinitionQuestion"] = _question(main, term)
    elif main is not None:
        values["PlacementQuestion"] = _question(main, term)
    if parts is not None:
        values["ChildrenQuestion"] = _question(parts, term)
        values["ChildrenPath"] = _path(parts.path)
        values["ChildrenHint"] = text(parts.hint)
    return [values[name] for name in FIELDS]


# -- where notes go: subdecks and tags ------------------------------------------------------------


class Placement(NamedTuple):
    """Where a node's note goes in Anki (a named tuple: an export makes one for every node)."""

    deck: str
    """The full Anki deck name, `Deck::Branch::Sub-branch`."""
    tags: tuple[str, ...]


def slug(value: str) -> str:
    """A tag-safe form of a label: lower case, runs of anything but letters and digits as one `-`."""
    return re.sub(r"[\W_]+", "-", value.casefold()).strip("-") or "untitled"


def deck_part(label: str) -> str:
    """A label as one level of an Anki deck name (`::` would start another level), with the
    stand-ins of the note's fields for control characters."""
    return " ".join(xml_text(label).replace("::", ":").split()) or "(untitled)"


def plan_layout(deck_name: str, graph: ConceptGraph, top: str, depth: int = DEFAULT_DEPTH) -> dict[str, Placement]:
    """The subdeck and tags of every node in the branch `top` (the root for the whole deck), by key.

    Subdecks go `depth` levels below `top`; a subdeck is named after a node that has children,
    so a leaf sits in its parent's subdeck. A node with several parents goes where its first
    parent within the branch leads, and is tagged `<deck>::also-under::<parent>` for each other
    parent. Every node below the root is tagged `<deck>::branch::<top-level branch>` for the
    top-level branch each of its parents lies in. The deck names start from the deck's root, so
    a branch exported alone lands where it would in an export of the whole deck.
    """
    concepts, parents, children = graph.concepts, graph.parents, graph.children
    deck_slug = slug(deck_name)

    # Each node's top-level branch: its ancestor just below the root along first parents.
    branch_of: dict[str, str | None] = {graph.root: None}
    below_root = [graph.root]
    while below_root:
        upper = below_root.pop()
        for child in children.get(upper, ()):
            if child not in branch_of and parents[child][0] == upper:
                branch_of[child] = child if upper == graph.root else branch_of[upper]
                below_root.append(child)

    # Deck levels above the branch: the branch and its first-parent ancestors, below the root.
    above = [deck_part(deck_name), *(deck_part(concepts[k].label) for k in graph.path(top)[1:])]

    # The branch's nodes, each hung under its first parent within the branch.
    inside = graph.subtree(top)
    within = set(inside)
    local_children: dict[str, list[str]] = {}
    for key in inside[1:]:
        local = next(p for p in parents[key] if p in within)
        local_children.setdefault(local, []).append(key)

    branch_tags: dict[str, str] = {}
    shared: dict[tuple[str, tuple[str, ...]], Placement] = {}

    def placement(key: str, deck: str) -> Placement:
        tags: list[str] = []
        for parent in parents.get(key, ()):
            branch = key if parent == graph.root else branch_of.get(parent)
            if branch is not None:
                tag = branch_tags.get(branch)
                if tag is None:
                    tag = branch_tags[branch] = f"{deck_slug}::branch::{slug(concepts[branch].label)}"
                if tag not in tags:
                    tags.append(tag)
        for parent in parents.get(key, ())[1:]:
            tag = f"{deck_slug}::also-under::{slug(concepts[parent].label)}"
            if tag not in tags:
                tags.append(tag)
        found = (deck, tuple(tags))
        if found not in shared:  # most nodes share a subdeck and tags: one Placement for them all
            shared[found] = Placement(*found)
        return shared[found]

    # Parents-first along those first parents: a node with children names a subdeck (down to
    # `depth` levels below the branch), and a leaf sits in its parent's.
    placements: dict[str, Placement] = {}
    todo = [(top, "::".join(above), 0)]
    while todo:
        key, deck, level = todo.pop()
        placements[key] = placement(key, deck)
        for child in local_children.get(key, ()):
            if children.get(child):
                todo.append(
                    (child, deck + "::" + deck_part(concepts[child].label) if level < depth else deck, level + 1)
                )
            else:
                placements[child] = placement(child, deck)
    return placements


# -- the export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    deck: str
    branch: str | None
    """The exported branch's label; None for the whole deck."""
    notes: int
    cards: int
    suspended: int
    """Cards exported suspended, as they are here."""
    decks: tuple[str, ...]
    """The Anki decks that hold notes, sorted."""


class _ConceptNote(genanki.Note):
    """A note whose cards are the node's cards here, not those genanki would guess from the templates."""

    def __init__(self, model, fields, tags, guid, due, cards):
        super().__init__(model=model, fields=fields, tags=tags, guid=guid, due=due)
        self._node_cards = cards

    @property
    def cards(self):
        return self._node_cards

    def _check_invalid_html_tags_in_fields(self):
        pass  # note_fields escapes every value: genanki's search for stray tags cannot find any


ExportedCards = Sequence[tuple[str, Sequence[tuple[str, bool, int]]]]
"""The cards to export, node by node in the order they are introduced: (node key, [(card kind,
suspended, lapses), ...])."""

LEECH_TAG = "leech"
"""The tag of a note with a leech among its cards: the one Anki gives its own leeches."""


def check_depth(depth: int) -> None:
    """Refuse a negative number of subdeck levels."""
    if depth < 0:
        raise ExportError(f"the subdeck depth cannot be negative (got {depth})")


def package_path(path: str | os.PathLike) -> Path:
    """The package's path made absolute; Anki opens only files named *.apkg."""
    shown = Path(path)
    if shown.suffix.lower() != ".apkg":
        raise ExportError(f"{shown}: an Anki package's name must end in .apkg")
    return shown.expanduser().absolute()


@collector_paused()
def write_anki(
    target: Path,
    shown: Path,
    deck_name: str,
    graph: ConceptGraph,
    exported: ExportedCards,
    branch: str | None,
    depth: int,
    now: datetime,
    progress: Progress | None = None,
    leech_threshold: int | None = None,
    pairs: Sequence[PairNote] = (),
    journal: Mapping[str, Sequence[tuple[date, str]]] | None = None,
) -> ExportReport:
    """Write the deck `graph`, or the branch keyed `branch` and everything below it, to the Anki
    package `target` (what `export_target` found for `shown`, see `package_path`).

    `exported` are the cards to write (see `ExportedCards`); `depth` is how many subdeck levels
    to make below the branch; `now` (from the clock) becomes every note's modification time, so
    importing this file updates notes from older exports; a note with a card whose lapses reach
    `leech_threshold` is tagged `leech` (none without a threshold). The file appears only once it is
    complete: it is written beside `target` and renamed into place, and nothing is left behind on
    any error. Anki schedules the imported cards itself: no review history is exported. `pairs`
    are the pair cards to write, each a note of `pair_note_type`.
    `journal` gives the (day, text) entries of the nodes that have any, by key, newest first.
    """
    journal = journal or {}
    check_depth(depth)
    top = branch if branch is not None else graph.root
    if top not in graph.concepts:
        raise ExportError(f"deck {deck_name!r} has no root node to export from")
    label = graph.concepts[top].label if branch is not None else None
    where = f"{label!r} in deck {deck_name!r}" if branch is not None else f"deck {deck_name!r}"
    pairs = [note for note in pairs if note.first in graph.concepts and note.second in graph.concepts]
    total = len(exported) + len(pairs)
    if not total:
        raise ExportError(f"nothing to export: {where} has no cards")
    placements = plan_layout(deck_name, graph, top, depth)

    model = note_type(deck_name)
    deck_ids = _deck_ids({p.deck for p in placements.values()})
    anki_decks = [genanki.Deck(deck_id, name) for name, deck_id in sorted(deck_ids.items())]
    home = placements[top].deck
    for anki_deck in anki_decks:
        if anki_deck.name == home:
            anki_deck.description = text(
                f"Exported from srs ({where}). Anki keeps its own schedule for these cards; "
                "import a newer export of the same deck to update their text."
            )
    anki_decks[0].add_model(model)
    pair_model = pair_note_type(deck_name)
    if pairs:
        anki_decks[0].add_model(pair_model)

    counts = {"notes": 0, "cards": 0, "suspended": 0}
    used_decks: set[str] = set()

    guids = note_guids(deck_name, graph)

    def notes() -> Iterator[tuple[genanki.Note, int]]:
        cache = CardCache()
        for key, node_cards in exported:
            concept = graph.concepts.get(key)
            if concept is None:
                continue
            contents = {spec.kind.value: spec.content for spec in cards_for(graph, key, cache)}
            ords: list[genanki.Card] = []
            leech = False
            for kind, suspended, lapses in node_cards:
                if kind not in TEMPLATE_ORDER or kind not in contents:
                    continue  # a kind with no template here, or one the node no longer qualifies for
                ords.append(genanki.Card(TEMPLATE_ORDER[kind], suspend=suspended))
                counts["suspended"] += suspended
                leech = leech or (leech_threshold is not None and is_leech(lapses, leech_threshold))
            if not ords:
                continue
            placement = placements.get(key) or placements[top]
            used_decks.add(placement.deck)
            counts["notes"] += 1
            counts["cards"] += len(ords)
            fields = note_fields(
                key,
                contents,
                concept.definition,
                concept.example,
                concept.notes,
                concept.mnemonic,
                journal.get(key, ()),
            )
            tags = (*placement.tags, LEECH_TAG) if leech else placement.tags
            note = _ConceptNote(model, fields, tags, guids[key], counts["notes"], ords)
            yield note, deck_ids[placement.deck]
        for pair in pairs:
            placement = placements.get(pair.first) or placements[top]
            used_decks.add(placement.deck)
            counts["notes"] += 1
            counts["cards"] += 1
            counts["suspended"] += pair.suspended
            card = genanki.Card(0, suspend=pair.suspended)
            fields = pair_fields(pair)
            yield (
                _ConceptNote(pair_model, fields, placement.tags, pair_guid(deck_name, pair), counts["notes"], [card]),
                deck_ids[placement.deck],
            )

    _write_package(target, shown, anki_decks, notes(), now.timestamp(), total, progress)
    if progress is not None:
        progress(total, total)
    return ExportReport(
        path=shown,
        deck=deck_name,
        branch=label,
        notes=counts["notes"],
        cards=counts["cards"],
        suspended=counts["suspended"],
        decks=tuple(sorted(used_decks)),
    )


def _deck_ids(names: Iterable[str]) -> dict[str, int]:
    """A stable id for every deck name and each of its parents, distinct within the export."""
    wanted: set[str] = set()
    for name in names:
        parts = name.split("::")
        wanted.update("::".join(parts[: i + 1]) for i in range(len(parts)))
    ids: dict[str, int] = {}
    taken: set[int] = set()
    for name in sorted(wanted):
        deck_id = stable_id("deck", name)
        while deck_id in taken:  # two names on one hash: the next free id, the same every time
            deck_id = _ID_LOW + (deck_id - _ID_LOW + 1) % _ID_SPAN
        taken.add(deck_id)
        ids[name] = deck_id
    return ids


def _write_package(
    target: Path,
    shown: Path,
    decks: list[genanki.Deck],
    notes: Iterator[tuple[genanki.Note, int]],
    timestamp: float,
    total: int,
    progress: Progress | None,
) -> None:
    """genanki's collection, zipped compressed into `target` (the file `export_target` found for
    `shown`) so that it appears whole or not at all.

    `Package.write_to_file` would hold every note at once (twice the memory at 100k nodes), leave
    its scratch collection in the temporary folder and store it uncompressed (16 times the size):
    here genanki writes the empty decks, then each note as it comes (`Note.write_to_db`, as
    `Deck.write_to_db` does), into a scratch file in a hidden folder beside the target, gone on
    success and on any error.
    """
    every = max(1, total // 200)
    if progress is not None:
        progress(0, total)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent) as scratch_folder:
            scratch = Path(scratch_folder) / "collection.anki2"
            connection = sqlite3.connect(scratch)
            try:
                ids = itertools.count(int(timestamp * 1000))
                cursor = connection.cursor()
                genanki.Package(decks).write_to_db(cursor, timestamp, ids)  # the decks, still empty
                for done, (note, deck_id) in enumerate(notes, 1):
                    note.write_to_db(cursor, timestamp, deck_id, ids)
                    if progress is not None and done % every == 0 and done < total:
                        progress(done, total)
                connection.commit()
            finally:
                connection.close()
            with (
                atomic_file(target, shown) as raw,
                zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package,
            ):
                package.write(scratch, "collection.anki2")
                package.writestr("media", "{}")
    except OSError as exc:
        raise ExportError(f"{shown}: cannot write the export: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:  # the scratch collection: a full disk shows up here
        raise ExportError(f"{shown}: cannot write the export: {exc}") from exc

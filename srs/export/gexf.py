"""The map back to Gephi: a deck written as GEXF 1.2draft with what the learner knows on every node.

1.2draft rather than 1.3 because every reader a learner may use reads it: Gephi, and networkx in
every release (networkx 3.4, the last for Python 3.10, does not know the 1.3 namespace). The
export uses nothing 1.3 added: its attribute types (string, integer, double) and `viz:color`
mean the same in both.

Each node keeps its id, label, definition, example, notes, mnemonic, its own colour (as the
`color` attribute) and unknown attributes, so importing the file again changes nothing. The
learning state goes in attributes named `srs_*`, which the importer skips, and in `viz:color`,
from red (unknown) to green (mature), so Gephi colours the map by mastery. A deck that follows
FSRS adds `srs_recall`, each node's probability of recall today, and is coloured by it instead.
A node with journal entries has them in `srs_journal`.

The file is written as the nodes arrive (the writer takes them as an iterable, `srs.storage.exports`
streams them), so an export of any size holds one node at a time.
Text XML cannot hold (a control character such as ESC, which an older import or a direct edit
may have left in the database) is written as its visible stand-in (`srs.core.text.xml_text`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from srs.core.answer import Schedule
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.graph import Concept
from srs.core.mastery import CardState, card_state, node_mastery
from srs.core.text import xml_text
from srs.export.files import atomic_file

STATE_ATTRS = ("srs_state", "srs_mastery", "srs_easiness", "srs_interval", "srs_due", "srs_reviews", "srs_lapses")
RECALL_ATTR = "srs_recall"
"""Under FSRS only: a node's probability of recall today (`recall_of`), 0 to 1."""
JOURNAL_ATTR = "srs_journal"
"""A node's journal entries, newest first, a line each: `2026-12-01 what the learner wrote`.
Written only for a deck that has entries; an `srs_*` attribute, so a re-import reads past it."""
TEXT_ATTRS = ("definition", "example", "notes", "mnemonic", "color")
STATE_RANK = {CardState.NEW: 0, CardState.LEARNING: 1, CardState.YOUNG: 2, CardState.MATURE: 3}
GEXF_NS = "http://www.gexf.net/1.2draft"
VIZ_NS = "http://www.gexf.net/1.2draft/viz"
ATTR_TYPES = {
    "srs_mastery": "double",
    "srs_easiness": "double",
    "srs_interval": "integer",
    "srs_reviews": "integer",
    "srs_lapses": "integer",
    RECALL_ATTR: "double",
}
"""The declared type of each attribute that is not a string."""


NEVER_STUDIED = (170, 170, 170)
"""Grey: the colour of a node none of whose cards was reviewed."""

RECALL_RED = 0.5
"""The recall at and below which a node is red under FSRS; from it to 1 the ramp runs through
yellow (0.75) to green (1), so the desired retention (0.9) is a yellowish green and a node falls
towards red as its cards go overdue."""


def _ramp(share: float) -> tuple[int, int, int]:
    """Red (0) through yellow (0.5) to green (1)."""
    m = max(0.0, min(1.0, share))
    if m < 0.5:
        return (220, int(60 + 340 * m), 50)
    return (int(220 - 340 * (m - 0.5)), 200, 50)


def mastery_color(mastery: float, state: CardState) -> tuple[int, int, int]:
    """Grey for a node never studied, else red (0) through yellow to green (1)."""
    if state is CardState.NEW:
        return NEVER_STUDIED
    return _ramp(mastery)


def recall_color(recall: float) -> tuple[int, int, int]:
    """Under FSRS, a node's colour by its recall today: red at `RECALL_RED` and below, through
    yellow to green at 1."""
    return _ramp((recall - RECALL_RED) / (1 - RECALL_RED))


@dataclass(frozen=True)
class GexfReport:
    """What a GEXF export wrote."""

    path: Path
    nodes: int
    edges: int
    deck: str = ""
    branch: str | None = None
    """The exported branch's label; None for the whole deck."""


def _attr(value: str) -> str:
    """`value` as an XML attribute value, quoted; what XML cannot hold is written as its stand-in."""
    return quoteattr(xml_text(value))


def extra_attributes(names: Iterable[str]) -> set[str]:
    """Of the attribute names a deck's nodes hold, those written as they are (not the program's own)."""
    return {name for name in names if name not in TEXT_ATTRS and not name.startswith("srs_")}


def write_gexf(
    target: Path,
    shown: Path,
    deck_name: str,
    today: date,
    extra: set[str],
    concepts: Iterable[tuple[Concept, list[Any]]],
    edges: Iterable[tuple[str, str, str | None]],
    fsrs: FsrsScheduler | None = None,
    journal: Mapping[str, Sequence[tuple[date, str]]] | None = None,
) -> int:
    """Write the graph to `target` (what `export_target` found for `shown`), whole or not at all;
    returns how many edges it wrote.

    `extra` names the nodes' own attributes to declare (see `extra_attributes`); `concepts`
    gives each node with its cards' schedules (anything with `reviews`, `interval`, `easiness`
    in hundredths, `due` and `lapses`; with `fsrs`, also `stability`, `difficulty` and
    `last_day`), and `edges` (source key, target key, kind: None for a hierarchy edge the file
    gave no word, see `srs.storage.exports.exported_edges`). With `fsrs`, the scheduler of a
    deck that follows FSRS, each node also gets `srs_recall` and is coloured by it (`recall_of`).
    `journal` gives the (day, text) entries of the nodes that have any, by key, newest first.
    """
    journal = journal or {}
    with atomic_file(target, shown) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n'
            f"  <meta lastmodifieddate={quoteattr(today.isoformat())}><creator>srs</creator>"
            f"<description>{escape(xml_text(deck_name))}</description></meta>\n"
            '  <graph defaultedgetype="directed" mode="static">\n'
            '    <attributes class="node" mode="static">\n'
        )
        declared = (
            *TEXT_ATTRS,
            *sorted(extra),
            *STATE_ATTRS,
            *((RECALL_ATTR,) if fsrs is not None else ()),
            *((JOURNAL_ATTR,) if journal else ()),
        )
        for name in declared:
            kind = ATTR_TYPES.get(name, "string")
            out.write(f"      <attribute id={_attr(name)} title={_attr(name)} type={quoteattr(kind)}/>\n")
        out.write(
            "    </attributes>\n"
            '    <attributes class="edge" mode="static">\n'
            '      <attribute id="kind" title="kind" type="string"/>\n'
            "    </attributes>\n"
            "    <nodes>\n"
        )
        for concept, own in concepts:
            _write_node(out, concept, own, extra, today, fsrs, journal.get(concept.key, ()))
        out.write("    </nodes>\n    <edges>\n")
        edge_count = _write_edges(out, edges)
        out.write("    </edges>\n  </graph>\n</gexf>\n")
        out.flush()
        out.detach()  # the file itself is closed (and renamed into place) by atomic_file
    return edge_count


def recall_of(own: list, today: date, fsrs: FsrsScheduler) -> float | None:
    """A node's recall today under FSRS: the lowest of its cards' (None when none has FSRS's
    state). The lowest, as the node's `srs_state` is its least advanced card's: the node is
    known as well as its weakest card, and a card about to be forgotten shows on the map."""
    recalls = [
        retrievability(Schedule(stability=c.stability, difficulty=c.difficulty, last_day=c.last_day), today, fsrs)
        for c in own
        if c.reviews and c.stability is not None
    ]
    return min((r for r in recalls if r is not None), default=None)


def journal_value(entries: Iterable[tuple[date, str]]) -> str:
    """A node's `srs_journal`: a line per entry, `2026-12-01 text`, in the order given."""
    return "\n".join(f"{day.isoformat()} {' '.join(text.splitlines())}" for day, text in entries)


def _write_node(
    out,
    node: Concept,
    own: list,
    extra: set[str],
    today: date,
    fsrs: FsrsScheduler | None,
    journal: Sequence[tuple[date, str]] = (),
) -> None:
    states = [(card_state(c.reviews, c.interval), c.interval) for c in own]
    mastery = node_mastery(states)
    state = min((s for s, _ in states), key=lambda s: STATE_RANK[s], default=CardState.NEW)
    values = {
        "definition": node.definition,
        "example": node.example,
        "notes": node.notes,
        "mnemonic": node.mnemonic,
        "color": node.color or "",
    }
    values.update({k: str(v) for k, v in (node.attrs or {}).items() if k in extra})
    reviewed = [c for c in own if c.reviews]
    due = min((c.due for c in reviewed if c.due), default=None)
    values.update(
        {
            "srs_state": state.value,
            "srs_mastery": f"{mastery:.3f}",
            "srs_easiness": f"{min(c.easiness for c in reviewed) / 100:.2f}" if reviewed else "",
            "srs_interval": str(max(c.interval for c in reviewed)) if reviewed else "",
            "srs_due": due.isoformat() if due else "",
            "srs_reviews": str(sum(c.reviews for c in own)),
            "srs_lapses": str(sum(c.lapses for c in own)),
        }
    )
    r, g, b = mastery_color(mastery, state)
    recall = recall_of(own, today, fsrs) if fsrs is not None else None
    if recall is not None:
        values[RECALL_ATTR] = repr(recall)
        r, g, b = recall_color(recall)
    if journal:
        values[JOURNAL_ATTR] = journal_value(journal)
    out.write(f"      <node id={_attr(node.key)} label={_attr(node.label)}>\n        <attvalues>\n")
    out.writelines(
        f"          <attvalue for={_attr(name)} value={_attr(value)}/>\n"
        for name, value in values.items()
        if value != ""
    )
    out.write(f'        </attvalues>\n        <viz:color r="{r}" g="{g}" b="{b}"/>\n      </node>\n')


def _write_edges(out, edges: Iterable[tuple[str, str, str | None]]) -> int:
    """The edges, in the order given, each with its kind where it has one; returns how many."""
    number = -1
    for number, (source, target, kind) in enumerate(edges):
        ends = f'id="e{number}" source={_attr(source)} target={_attr(target)}'
        if kind is None:
            out.write(f"      <edge {ends}/>\n")
        else:
            out.write(f'      <edge {ends}><attvalues><attvalue for="kind" value={_attr(kind)}/></attvalues></edge>\n')
    return number + 1

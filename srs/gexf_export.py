"""The map back to Gephi: a deck written as GEXF 1.2draft with what the learner knows on every node.

1.2draft rather than 1.3 because every reader a learner may use reads it: Gephi, and networkx in
every release (networkx 3.4, the last for Python 3.10, does not know the 1.3 namespace). The
export uses nothing 1.3 added: its attribute types (string, integer, double) and `viz:color`
mean the same in both.

Each node keeps its id, label, definition, example, notes, mnemonic, its own colour (as the
`color` attribute) and unknown attributes, so importing the file again changes nothing. The
learning state goes in attributes named `srs_*`, which the importer skips, and in `viz:color`,
from red (unknown) to green (mature), so Gephi colours the map by mastery.

The file is written as the nodes are read, so an export of any size holds one node at a time.
Text XML cannot hold (a control character such as ESC, which an older import or a direct edit
may have left in the database) is written as its visible stand-in (`srs.core.text.xml_text`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from srs.core.mastery import CardState, card_state, node_mastery
from srs.core.text import xml_text
from srs.errors import SrsError
from srs.export_file import atomic_file, export_target
from srs.storage.models import Deck, Node
from srs.storage.scope import HIERARCHY, subtree_ids
from srs.storage.tables import cards, edges, nodes

STATE_ATTRS = ("srs_state", "srs_mastery", "srs_easiness", "srs_interval", "srs_due", "srs_reviews", "srs_lapses")
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
}
"""The declared type of each attribute that is not a string."""

_ROWS_AT_ONCE = 1000
"""Rows fetched at a time (a server-side cursor on PostgreSQL; SQLite reads lazily anyway)."""


def mastery_color(mastery: float, state: CardState) -> tuple[int, int, int]:
    """Grey for a node never studied, else red (0) through yellow to green (1)."""
    if state is CardState.NEW:
        return (170, 170, 170)
    m = max(0.0, min(1.0, mastery))
    if m < 0.5:
        return (220, int(60 + 340 * m), 50)
    return (int(220 - 340 * (m - 0.5)), 200, 50)


@dataclass(frozen=True)
class GexfReport:
    path: Path
    nodes: int
    edges: int


def _attr(value: str) -> str:
    """`value` as an XML attribute value, quoted; what XML cannot hold is written as its stand-in."""
    return quoteattr(xml_text(value))


def export_gexf(session: Session, deck: Deck, path: Path, today: date, branch: Node | None = None) -> GexfReport:
    """Write the deck (or one branch) to `path`; the file appears whole or not at all."""
    target = export_target(path, session.get_bind().engine.url)
    where = [nodes.c.deck_id == deck.id, nodes.c.retired.is_(False)]
    if branch is not None:
        where.append(nodes.c.id.in_(subtree_ids(branch)))

    # One pass for the attribute names (GEXF declares them before the first node), one to write.
    count, extra = 0, set()
    for attrs in _stream(session, select(nodes.c.attrs).where(*where)):
        count += 1
        if attrs:
            extra.update(attrs)
    if not count:
        raise SrsError(f"{branch.label if branch else deck.name!r} has no nodes to export")
    extra = {name for name in extra if name not in TEXT_ATTRS and not name.startswith("srs_")}

    with atomic_file(target, path) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n'
            f"  <meta lastmodifieddate={quoteattr(today.isoformat())}><creator>srs</creator>"
            f"<description>{escape(xml_text(deck.name))}</description></meta>\n"
            '  <graph defaultedgetype="directed" mode="static">\n'
            '    <attributes class="node" mode="static">\n'
        )
        for name in (*TEXT_ATTRS, *sorted(extra), *STATE_ATTRS):
            kind = ATTR_TYPES.get(name, "string")
            out.write(f"      <attribute id={_attr(name)} title={_attr(name)} type={quoteattr(kind)}/>\n")
        out.write(
            "    </attributes>\n"
            '    <attributes class="edge" mode="static">\n'
            '      <attribute id="kind" title="kind" type="string"/>\n'
            "    </attributes>\n"
            "    <nodes>\n"
        )
        for node, own in _nodes_with_cards(session, where):
            _write_node(out, node, own, extra)
        out.write("    </nodes>\n    <edges>\n")
        edge_count = _write_edges(out, session, deck, branch)
        out.write("    </edges>\n  </graph>\n</gexf>\n")
        out.flush()
        out.detach()  # the file itself is closed (and renamed into place) by atomic_file
    return GexfReport(path, count, edge_count)


def _stream(session: Session, statement) -> Iterator:
    """The rows of `statement`, fetched a batch at a time; scalars when it selects one column."""
    result = session.execute(statement.execution_options(yield_per=_ROWS_AT_ONCE))
    return result.scalars() if len(statement.selected_columns) == 1 else iter(result)


def _nodes_with_cards(session: Session, where: list) -> Iterator[tuple]:
    """Each exported node, in the deck's order, with its live cards: two streams in one order, merged."""
    order = (nodes.c.rank, nodes.c.id)
    node_rows = _stream(
        session,
        select(
            nodes.c.id,
            nodes.c.key,
            nodes.c.label,
            nodes.c.definition,
            nodes.c.example,
            nodes.c.notes,
            nodes.c.mnemonic,
            nodes.c.color,
            nodes.c.attrs,
        )
        .where(*where)
        .order_by(*order),
    )
    card_rows = _stream(
        session,
        select(
            cards.c.node_id,
            cards.c.reviews,
            cards.c.interval,
            cards.c.easiness,
            cards.c.due,
            cards.c.lapses,
        )
        .join(nodes, nodes.c.id == cards.c.node_id)
        .where(*where, cards.c.retired.is_(False))
        .order_by(*order, cards.c.id),
    )
    card = next(card_rows, None)
    for node in node_rows:
        own = []
        while card is not None and card.node_id == node.id:
            own.append(card)
            card = next(card_rows, None)
        yield node, own


def _write_node(out, node, own: list, extra: set[str]) -> None:
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
    out.write(f"      <node id={_attr(node.key)} label={_attr(node.label)}>\n        <attvalues>\n")
    out.writelines(
        f"          <attvalue for={_attr(name)} value={_attr(value)}/>\n"
        for name, value in values.items()
        if value != ""
    )
    out.write(f'        </attvalues>\n        <viz:color r="{r}" g="{g}" b="{b}"/>\n      </node>\n')


def _write_edges(out, session: Session, deck: Deck, branch: Node | None) -> int:
    """The edges between exported nodes, in the order they were imported; returns how many."""
    parent, child = nodes.alias("parent"), nodes.alias("child")
    statement = (
        select(parent.c.key, child.c.key, edges.c.kind)
        .join(parent, parent.c.id == edges.c.parent_id)
        .join(child, child.c.id == edges.c.child_id)
        .where(edges.c.deck_id == deck.id, parent.c.retired.is_(False), child.c.retired.is_(False))
        .order_by(edges.c.id)
    )
    if branch is not None:
        inside = subtree_ids(branch)
        statement = statement.where(parent.c.id.in_(inside), child.c.id.in_(inside))
    number = -1
    for number, (source, target, kind) in enumerate(_stream(session, statement)):
        ends = f'id="e{number}" source={_attr(source)} target={_attr(target)}'
        if kind == HIERARCHY:
            out.write(f"      <edge {ends}/>\n")
        else:
            out.write(f'      <edge {ends}><attvalues><attvalue for="kind" value={_attr(kind)}/></attvalues></edge>\n')
    return number + 1

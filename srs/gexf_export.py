"""The map back to Gephi: a deck written as GEXF 1.3 with what the learner knows on every node.

Each node keeps its id, label, definition, example, notes, mnemonic, its own colour (as the
`color` attribute) and unknown attributes, so importing the file again changes nothing. The
learning state goes in attributes named `srs_*`, which the importer skips, and in `viz:color`,
from red (unknown) to green (mature), so Gephi colours the map by mastery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from srs.core.mastery import CardState, card_state, node_mastery
from srs.errors import SrsError
from srs.export_file import atomic_file, export_target
from srs.storage.models import Card, Deck, Edge, Node
from srs.storage.study import HIERARCHY, subtree_ids

STATE_ATTRS = ("srs_state", "srs_mastery", "srs_easiness", "srs_interval", "srs_due", "srs_reviews", "srs_lapses")
TEXT_ATTRS = ("definition", "example", "notes", "mnemonic", "color")
STATE_RANK = {CardState.NEW: 0, CardState.LEARNING: 1, CardState.YOUNG: 2, CardState.MATURE: 3}


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


def export_gexf(session: Session, deck: Deck, path: Path, today: date, branch: Node | None = None) -> GexfReport:
    """Write the deck (or one branch) to `path`; the file appears whole or not at all."""
    target = export_target(path, session.get_bind().url)
    where = [Node.deck_id == deck.id, Node.retired.is_(False)]
    if branch is not None:
        where.append(Node.id.in_(subtree_ids(branch)))
    nodes = list(session.scalars(select(Node).where(*where).order_by(Node.rank)))
    if not nodes:
        raise SrsError(f"{branch.label if branch else deck.name!r} has no nodes to export")
    ids = {n.id for n in nodes}
    cards: dict[int, list[Card]] = {}
    for card in session.scalars(select(Card).where(Card.deck_id == deck.id, Card.retired.is_(False))):
        if card.node_id in ids:
            cards.setdefault(card.node_id, []).append(card)
    edges = [
        e for e in session.scalars(select(Edge).where(Edge.deck_id == deck.id).order_by(Edge.id))
        if e.parent_id in ids and e.child_id in ids
    ]
    extra = sorted({k for n in nodes for k in (n.attrs or {}) if k not in TEXT_ATTRS and not k.startswith("srs_")})
    key_of = {n.id: n.key for n in nodes}

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
        f"  <meta lastmodifieddate={quoteattr(today.isoformat())}><creator>srs</creator>"
        f"<description>{escape(deck.name)}</description></meta>",
        '  <graph defaultedgetype="directed" mode="static">',
        '    <attributes class="node" mode="static">',
    ]
    for name in (*TEXT_ATTRS, *extra, *STATE_ATTRS):
        kind = "double" if name in ("srs_mastery", "srs_easiness") else "integer" if name in ("srs_interval", "srs_reviews", "srs_lapses") else "string"
        lines.append(f"      <attribute id={quoteattr(name)} title={quoteattr(name)} type={quoteattr(kind)}/>")
    lines += ["    </attributes>", '    <attributes class="edge" mode="static">',
              '      <attribute id="kind" title="kind" type="string"/>', "    </attributes>", "    <nodes>"]
    for node in nodes:
        own = cards.get(node.id, [])
        states = [(card_state(c.reviews, c.interval), c.interval) for c in own]
        mastery = node_mastery(states)
        state = min((s for s, _ in states), key=lambda s: STATE_RANK[s], default=CardState.NEW)
        values = {"definition": node.definition, "example": node.example, "notes": node.notes,
                  "mnemonic": node.mnemonic, "color": node.color or ""}
        values.update({k: str(v) for k, v in (node.attrs or {}).items() if k in extra})
        reviewed = [c for c in own if c.reviews]
        due = min((c.due for c in reviewed if c.due), default=None)
        values.update({
            "srs_state": state.value,
            "srs_mastery": f"{mastery:.3f}",
            "srs_easiness": f"{min(c.easiness for c in reviewed) / 100:.2f}" if reviewed else "",
            "srs_interval": str(max(c.interval for c in reviewed)) if reviewed else "",
            "srs_due": due.isoformat() if due else "",
            "srs_reviews": str(sum(c.reviews for c in own)),
            "srs_lapses": str(sum(c.lapses for c in own)),
        })
        r, g, b = mastery_color(mastery, state)
        lines.append(f"      <node id={quoteattr(node.key)} label={quoteattr(node.label)}>")
        lines.append("        <attvalues>")
        for name, value in values.items():
            if value != "":
                lines.append(f"          <attvalue for={quoteattr(name)} value={quoteattr(value)}/>")
        lines.append("        </attvalues>")
        lines.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        lines.append("      </node>")
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for number, edge in enumerate(edges):
        attrs = f'id="e{number}" source={quoteattr(key_of[edge.parent_id])} target={quoteattr(key_of[edge.child_id])}'
        if edge.kind == HIERARCHY:
            lines.append(f"      <edge {attrs}/>")
        else:
            lines.append(f'      <edge {attrs}><attvalues><attvalue for="kind" value={quoteattr(edge.kind)}/></attvalues></edge>')
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    with atomic_file(target, path) as file:
        file.write("\n".join(lines).encode("utf-8"))
    return GexfReport(path, len(nodes), len(edges))

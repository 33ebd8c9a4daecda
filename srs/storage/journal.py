"""A branch's journal: what the learner wrote about it, one row per entry (`journal`).

Core statements on `srs.storage.tables`; every function takes `conn` and leaves the transaction
to its caller. An entry belongs to its node: it stays while the node is retired (gone from the
file, kept with its history) and goes, as its edits do, with a node `srs import --prune` deletes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Row, insert, select

from srs.storage.tables import journal, nodes


def add_entry(conn, deck_id: int, learner: int, node_id: int, day: date, at: datetime, text: str) -> int:
    """Keep one entry of the learner's for the node; its id."""
    added = conn.execute(
        insert(journal).values(deck_id=deck_id, learner_id=learner, node_id=node_id, day=day, at=at, text=text)
    )
    return added.inserted_primary_key[0]


def entries(conn, deck_id: int, learner: int, node_id: int | None = None, limit: int | None = None) -> list[Row]:
    """The learner's entries of the deck (of one node, with `node_id`), newest first: `id`, `day`, `at`, `text`,
    and the node's `node_id`, `key`, `label` and `retired`."""
    query = (
        select(
            journal.c.id,
            journal.c.day,
            journal.c.at,
            journal.c.text,
            journal.c.node_id,
            nodes.c.key,
            nodes.c.label,
            nodes.c.retired,
        )
        .join(nodes, nodes.c.id == journal.c.node_id)
        .where(journal.c.deck_id == deck_id, journal.c.learner_id == learner)
        .order_by(journal.c.at.desc(), journal.c.id.desc())
    )
    if node_id is not None:
        query = query.where(journal.c.node_id == node_id)
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def entries_by_key(conn, deck_id: int, learner: int) -> dict[str, list[Row]]:
    """The learner's entries of the deck by node key, newest first (for an export)."""
    out: dict[str, list[Row]] = {}
    for row in entries(conn, deck_id, learner):
        out.setdefault(row.key, []).append(row)
    return out

"""Each learner's own notes and mnemonic for a node, laid over the deck's.

A node's row holds the deck's notes and mnemonic (what its file said); a learner who wrote their
own in the program has a row of `learner_notes` per field, and every reader of a node's text for
that learner takes it instead (`node_columns`). The rules of what a re-import does with them are
`srs.core.edits`'.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Row, and_, delete, func, insert, or_, select

from srs.core.diff import OWN_FIELDS
from srs.storage.tables import learner_notes, nodes


def own_text(field: str, learner: int | None) -> ColumnElement:
    """The node's `field` as `learner` sees it: their own text where they wrote one, else the
    deck's; the deck's alone for no learner (a question about the whole class)."""
    if learner is None or field not in OWN_FIELDS:
        return nodes.c[field]
    theirs = (
        select(learner_notes.c.text)
        .where(
            learner_notes.c.learner_id == learner,
            learner_notes.c.node_id == nodes.c.id,
            learner_notes.c.field == field,
        )
        .scalar_subquery()
    )
    return func.coalesce(theirs, nodes.c[field]).label(field)


def node_columns(learner: int | None) -> list[ColumnElement]:
    """Every column of `nodes`, the notes and mnemonic as `learner` sees them (`own_text`)."""
    return [own_text(column.name, learner) for column in nodes.c]


def own_rows(conn, learner: int, node_id: int) -> dict[str, Row]:
    """The learner's own texts of the node by field (`id`, `field`, `text`, `edited_at`)."""
    return {
        row.field: row
        for row in conn.execute(
            select(learner_notes).where(learner_notes.c.learner_id == learner, learner_notes.c.node_id == node_id)
        )
    }


def own_fields(conn, learner: int, node_id: int) -> frozenset[str]:
    """The fields of the node the learner sees their own text in: written, and not the deck's."""
    differs = or_(*(and_(learner_notes.c.field == name, learner_notes.c.text != nodes.c[name]) for name in OWN_FIELDS))
    return frozenset(
        conn.scalars(
            select(learner_notes.c.field)
            .join(nodes, nodes.c.id == learner_notes.c.node_id)
            .where(learner_notes.c.learner_id == learner, learner_notes.c.node_id == node_id, differs)
        )
    )


def deck_own_texts(conn, learner: int, deck_id: int) -> dict[str, dict[str, str]]:
    """The learner's own texts of the deck's nodes: node key -> field -> text."""
    out: dict[str, dict[str, str]] = {}
    for key, field, text in conn.execute(
        select(nodes.c.key, learner_notes.c.field, learner_notes.c.text)
        .join(nodes, nodes.c.id == learner_notes.c.node_id)
        .where(nodes.c.deck_id == deck_id, learner_notes.c.learner_id == learner)
        .order_by(nodes.c.rank, learner_notes.c.field)
    ):
        out.setdefault(key, {})[field] = text
    return out


def put(
    conn, learner: int, node_id: int, field: str, text: str, edited_at: datetime, row_id: int | None = None
) -> None:
    """Give the learner's `field` of the node the text `text`, written at `edited_at` (`row_id`:
    the id it had, for an undo), replacing any they had."""
    drop(conn, learner, node_id, [field])
    values = {"learner_id": learner, "node_id": node_id, "field": field, "text": text, "edited_at": edited_at}
    conn.execute(insert(learner_notes).values(**values, **({"id": row_id} if row_id is not None else {})))


def drop(conn, learner: int, node_id: int, fields: Iterable[str]) -> None:
    """Drop the learner's own text of the node's `fields`: they see the deck's again."""
    conn.execute(
        delete(learner_notes).where(
            learner_notes.c.learner_id == learner,
            learner_notes.c.node_id == node_id,
            learner_notes.c.field.in_(list(fields)),
        )
    )

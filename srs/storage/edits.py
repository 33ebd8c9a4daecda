"""The learner's edits of a node's text: the node's fields and their edit rows (`node_edits`).

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller. The rules (what an edit row holds, what a re-import does with
it) are `srs.core.edits`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Row, bindparam, delete, insert, select, update

from srs.errors import NotFoundError
from srs.storage.db import serialise
from srs.storage.tables import node_edits, nodes


def hold_off_imports(conn) -> None:
    """Let an edit and an import of any deck go one at a time: an import reads the edits before
    it writes the nodes, so an edit made in between would be lost. (On PostgreSQL the import's
    own lock; SQLite's write lock already does it.)"""
    serialise(conn, "import")


def edit_rows(conn, node_id: int) -> dict[str, Row]:
    """The node's edit rows by field (`id`, `field`, `file_text`, `edited_at`)."""
    return {row.field: row for row in conn.execute(select(node_edits).where(node_edits.c.node_id == node_id))}


def edited_fields(conn, node_id: int) -> frozenset[str]:
    """The fields of the node the learner edited."""
    return frozenset(conn.scalars(select(node_edits.c.field).where(node_edits.c.node_id == node_id)))


def deck_edits(conn, deck_id: int) -> dict[str, dict[str, str]]:
    """Every edit of the deck's nodes: node key -> field -> what the file said (`file_text`)."""
    out: dict[str, dict[str, str]] = {}
    for key, field, file_text in conn.execute(
        select(nodes.c.key, node_edits.c.field, node_edits.c.file_text)
        .join(nodes, nodes.c.id == node_edits.c.node_id)
        .where(nodes.c.deck_id == deck_id)
        .order_by(nodes.c.rank, node_edits.c.field)
    ):
        out.setdefault(key, {})[field] = file_text
    return out


def set_fields(conn, node_id: int, values: Mapping[str, str]) -> None:
    """Write the node's text fields; `NotFoundError` for a node gone."""
    if values and conn.execute(update(nodes).where(nodes.c.id == node_id).values(**values)).rowcount == 0:
        raise NotFoundError("that concept is no longer in the deck")


def put_row(conn, node_id: int, field: str, file_text: str, edited_at: datetime, row_id: int | None = None) -> None:
    """Give the node's `field` the edit row (`row_id`: the id it had, for an undo), replacing any."""
    delete_rows(conn, node_id, [field])
    values = {"node_id": node_id, "field": field, "file_text": file_text, "edited_at": edited_at}
    conn.execute(insert(node_edits).values(**values, **({"id": row_id} if row_id is not None else {})))


def touch_row(conn, node_id: int, field: str, edited_at: datetime) -> None:
    """Mark the edit row of the node's `field` as edited at `edited_at`."""
    conn.execute(
        update(node_edits)
        .where(node_edits.c.node_id == node_id, node_edits.c.field == field)
        .values(edited_at=edited_at)
    )


def delete_rows(conn, node_id: int, fields: Iterable[str]) -> None:
    """Drop the edit rows of the node's `fields`."""
    conn.execute(delete(node_edits).where(node_edits.c.node_id == node_id, node_edits.c.field.in_(list(fields))))


def settle_import(
    conn, node_ids: Mapping[str, int], seen: list[tuple[str, str, str]], dropped: list[tuple[str, str]]
) -> None:
    """After an import: the edit rows whose `file_text` moves on to the file's new text (`seen`:
    stored key, field, text) and those that go (`dropped`: stored key, field)."""
    if seen:
        conn.execute(
            update(node_edits)
            .where(node_edits.c.node_id == bindparam("b_node"), node_edits.c.field == bindparam("b_field"))
            .values(file_text=bindparam("b_text")),
            [{"b_node": node_ids[key], "b_field": field, "b_text": text} for key, field, text in seen],
        )
    if dropped:
        conn.execute(
            delete(node_edits).where(
                node_edits.c.node_id == bindparam("b_node"), node_edits.c.field == bindparam("b_field")
            ),
            [{"b_node": node_ids[key], "b_field": field} for key, field in dropped],
        )

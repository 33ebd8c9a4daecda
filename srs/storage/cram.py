"""Answers given while cramming: kept in `cram_answers`, outside the schedule's log, so they move
no card's schedule and none of the statistics (which read `reviews` alone).

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import delete, insert

from srs.core.sm2 import check_grade
from srs.errors import NotFoundError
from srs.storage.queue import get_card
from srs.storage.tables import cram_answers


def record_cram_answer(conn, card_id: int, grade: int, now: datetime, today: date, duration_ms: int = 0) -> int:
    """Log a cram answer to a card (the card itself is left as it is); its id in `cram_answers`."""
    grade = check_grade(grade)
    card = get_card(conn, card_id)
    row = {
        "deck_id": card.deck_id,
        "card_id": card.id,
        "at": now.astimezone(timezone.utc),
        "day": today,
        "grade": grade,
        "duration_ms": duration_ms,
    }
    return conn.execute(insert(cram_answers).values(**row)).inserted_primary_key[0]


def undo_cram_answer(conn, answer_id: int) -> None:
    """Take back a cram answer: it leaves the log. Raises `NotFoundError` if it is gone already."""
    if conn.execute(delete(cram_answers).where(cram_answers.c.id == answer_id)).rowcount == 0:
        raise NotFoundError("that answer is already gone")

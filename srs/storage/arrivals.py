"""Answers that arrive from elsewhere (a review given in Anki): added to the log with their own
event ids, then their cards' schedules rebuilt from the whole log in time order.

An arriving answer may be older than answers already held, so it is not applied to the card's
schedule as `answers.record_answer` applies a new one: its row goes into the log with a new
card's schedule either side as a stand-in, and `reschedule.rebuild_card` then replays the card's
log in time order, which rewrites those columns, every later answer's, and the card.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves the
transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import insert, select

from srs.core import events
from srs.core.answer import LOGGED_AFTER, LOGGED_BEFORE
from srs.storage.reschedule import NEW, rebuild_card
from srs.storage.schedulers import deck_scheduler
from srs.storage.tables import cards, reviews

_STAND_IN = {
    **{f"{name}_before": getattr(NEW, name) for name in LOGGED_BEFORE},
    **{f"{name}_after": getattr(NEW, name) for name in LOGGED_AFTER},
}
"""The schedule columns of an arriving answer until its card's log is replayed."""


@dataclass(frozen=True)
class ArrivingAnswer:
    """An answer given elsewhere, with the identity it has everywhere."""

    event_id: str
    device: str
    at: datetime
    day: date
    """The learner's day it counts for, from `at`."""
    grade: int
    duration_ms: int
    kind: str = events.ANSWER
    """The event's kind (`srs.core.events`): another copy of this database sends its checks and
    credits too."""


def add_answers(conn, card_id: int, arriving: Sequence[ArrivingAnswer]) -> None:
    """Add `arriving` (answers the log does not hold yet) to the card's log, then rebuild the
    card's schedule from its whole log in time order under its deck's scheduler."""
    deck_id, learner = conn.execute(
        select(cards.c.deck_id, cards.c.learner_id).where(cards.c.id == card_id).with_for_update()
    ).one()
    rows = [
        {
            "deck_id": deck_id,
            "card_id": card_id,
            "learner_id": learner,
            "at": a.at.astimezone(timezone.utc),
            "day": a.day,
            "grade": a.grade,
            "duration_ms": a.duration_ms,
            "drill": False,
            "kind": a.kind,
            "event_id": a.event_id,
            "device": a.device,
            **_STAND_IN,
        }
        for a in arriving
    ]
    if rows:
        conn.execute(insert(reviews), rows)
    rebuild_card(conn, card_id, deck_scheduler(conn, deck_id, learner))

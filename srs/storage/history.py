"""The answer log as FSRS sees it: every answer of the learner's, drills too (FSRS's same-day
reviews), in the order given.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from sqlalchemy import select

from srs.core.fsrs_fit import Review
from srs.storage.scope import learners_answers
from srs.storage.tables import reviews


def reviews_in_order(conn, learner: int, deck=None) -> list[Review]:
    """Every answer of the learner's in the log (a deck's alone with `deck`), drills too, in the order they were
    given: by time (then event id), the order a replay moves their cards in, whichever device
    they came from. The learner's answers alone: a credit moved a due day, not a memory."""
    query = select(reviews.c.card_id, reviews.c.day, reviews.c.grade).where(
        learners_answers(), reviews.c.learner_id == learner
    )
    if deck is not None:
        query = query.where(reviews.c.deck_id == deck.id)
    return [
        Review(card, day, grade) for card, day, grade in conn.execute(query.order_by(reviews.c.at, reviews.c.event_id))
    ]

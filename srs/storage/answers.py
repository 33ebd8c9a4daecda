"""The answer log: recording an answer, taking one back, the latest answers, the streak.

What an answer does to a card is the core's (`srs.core.answer`): `record_answer` writes the
schedule `answer` returns onto the card and appends `log_record` of its log entry; `undo_answer`
writes back the schedule `undo` gives from that entry. No rule of answering is decided here.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, NamedTuple

from sqlalchemy import Row, delete, func, insert, select, update

from srs.core import events
from srs.core.answer import CARD_FIELDS, AnswerLog, Schedule, Scheduler, answer, log_record, undo
from srs.core.day import streak
from srs.core.leech import LeechRule
from srs.errors import NotFoundError, SrsError
from srs.storage.queue import get_card
from srs.storage.schedulers import deck_scheduler
from srs.storage.scope import answers_of
from srs.storage.tables import DEVICE_KEY, cards, meta, reviews

_SCHEDULE = CARD_FIELDS
"""The card's columns that hold its schedule, named as the core's `Schedule` names them."""


def _row(schedule: Schedule) -> dict[str, Any]:
    """A schedule as the card's columns hold it."""
    return {name: getattr(schedule, name) for name in _SCHEDULE}


def schedule_of(card: Any) -> Schedule:
    """A card's row as the core's schedule."""
    return Schedule(**{name: getattr(card, name) for name in _SCHEDULE})


class RecordedAnswer(NamedTuple):
    """An answer as `record_answer` stored it: its id in the log, and the core's log entry."""

    id: int
    card_id: int
    entry: AnswerLog
    suspended: bool = False
    """The answer made the card a leech and suspended it (`LeechRule.suspend`)."""


def record_answer(
    conn,
    card_id: int,
    grade: int,
    now: datetime,
    today: date,
    duration_ms: int = 0,
    scheduler: Scheduler | None = None,
    leeches: LeechRule | None = None,
    kind: str = events.ANSWER,
) -> RecordedAnswer:
    """Record an answer to a card: the core's `answer` decides (with `scheduler`, by default
    the one the card's deck follows), this writes what it returns, the card and its log entry
    in the caller's transaction; with `leeches` saying so, an answer that makes the card a
    leech suspends it in the same write. `kind` is the log's event kind (`srs.core.events`):
    an answer to a check is logged as one."""
    card = get_card(conn, card_id, lock=True)  # read and write the card as one step
    if scheduler is None:
        scheduler = deck_scheduler(conn, card.deck_id)
    after, entry = answer(schedule_of(card), grade, today, scheduler, duration_ms=duration_ms)
    suspends = leeches is not None and leeches.suspends(entry.before, after) and not card.suspended
    conn.execute(
        update(cards).where(cards.c.id == card.id).values(**_row(after), **({"suspended": True} if suspends else {}))
    )
    logged = {
        "deck_id": card.deck_id,
        "card_id": card.id,
        "at": now.astimezone(timezone.utc),
        "kind": kind,
        **log_record(entry),
    }
    review_id = conn.execute(insert(reviews).values(**logged)).inserted_primary_key[0]
    return RecordedAnswer(review_id, card.id, entry, suspends)


def undo_answer(conn, review_id: int, leeches: LeechRule | None = None) -> None:
    """Take back an answer: the card's schedule as it was, the log without it; with `leeches`,
    an answer that made the card a leech, and so suspended it, leaves it unsuspended.

    Only a card's latest answer can be taken back, so history is never rewritten in the middle.
    """
    card_id = conn.scalar(select(reviews.c.card_id).where(reviews.c.id == review_id))
    # the card first, locked: no answer to it comes in between
    card = get_card(conn, card_id, lock=True) if card_id is not None else None
    review = conn.execute(select(reviews).where(reviews.c.id == review_id)).first()
    if card is None or review is None:
        raise NotFoundError("that answer is already gone")
    # The latest in time, as the card's schedule was rebuilt (an answer from another device may be older).
    latest = conn.scalar(
        select(reviews.c.id)
        .where(reviews.c.card_id == review.card_id)
        .order_by(reviews.c.at.desc(), reviews.c.event_id.desc())
        .limit(1)
    )
    if latest != review.id:
        raise SrsError("only the card's latest answer can be taken back")
    now = schedule_of(card)  # the card's latest answer left it so
    before = undo(now, review._mapping)
    # The log keeps no mark of a suspension: an answer that made the card a leech under a rule
    # that suspends is taken to be what suspended it.
    lifted = {"suspended": False} if leeches is not None and leeches.suspends(before, now) else {}
    conn.execute(update(cards).where(cards.c.id == review.card_id).values(**_row(before), **lifted))
    conn.execute(delete(reviews).where(reviews.c.id == review.id))


def last_answer(conn, deck) -> Row | None:
    """The deck's latest answer recorded on this device (from any front end; not one brought in
    from another, such as a review given in Anki), or None when it has none."""
    here = reviews.c.device == select(meta.c.value).where(meta.c.key == DEVICE_KEY).scalar_subquery()
    return conn.execute(
        select(reviews).where(reviews.c.deck_id == deck.id, here).order_by(reviews.c.id.desc()).limit(1)
    ).first()


def undo_last_answer(conn, deck, leeches: LeechRule | None = None) -> Row | None:
    """Take back the deck's latest answer (see `undo_answer` for `leeches`); the answer taken
    back, or None when there is none."""
    while (review := last_answer(conn, deck)) is not None:
        try:
            undo_answer(conn, review.id, leeches)
        except NotFoundError:  # another process took it back first: the one before is the latest now
            continue
        return review
    return None


def last_grades(conn, card_ids: list[int], limit: int = 5) -> dict[int, tuple[int, ...]]:
    """The grades of each card's latest `limit` answers, latest first, drills included."""
    latest = (
        select(
            reviews.c.card_id,
            reviews.c.grade,
            func.row_number()
            .over(partition_by=reviews.c.card_id, order_by=(reviews.c.at.desc(), reviews.c.event_id.desc()))
            .label("place"),
        )
        .where(reviews.c.card_id.in_(card_ids))
        .subquery()
    )
    out: dict[int, list[int]] = {card_id: [] for card_id in card_ids}
    for card_id, grade in conn.execute(
        select(latest.c.card_id, latest.c.grade)
        .where(latest.c.place <= limit)
        .order_by(latest.c.card_id, latest.c.place)
    ):
        out[card_id].append(grade)
    return {card_id: tuple(grades) for card_id, grades in out.items()}


def study_streak(conn, today: date, deck=None, branch=None) -> int:
    """Consecutive learner days with at least one answer, ending today or yesterday; else 0.

    A streak still counts in the morning before the first answer of the day, so it is not lost
    until a whole day passes without study. With `deck`, only answers to that deck's cards count;
    with `branch` too, only answers to the cards of that branch. Days are read newest first and
    only until the first gap.
    """
    days = select(reviews.c.day).where(reviews.c.day <= today).distinct().order_by(reviews.c.day.desc())
    if deck is not None:
        days = answers_of(deck, branch)(days)
    return streak(conn.scalars(days), today)

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

from sqlalchemy import Row, delete, func, insert, or_, select, update

from srs.core import events
from srs.core.answer import CARD_FIELDS, AnswerLog, Schedule, Scheduler, answer, log_record, undo
from srs.core.credit import undo_credit
from srs.core.day import streak
from srs.core.leech import LeechRule
from srs.errors import NotFoundError, SrsError
from srs.storage.queue import get_card
from srs.storage.schedulers import deck_scheduler
from srs.storage.scope import answers_of, has_credits, learners_answers, learners_log
from srs.storage.tables import DEVICE_KEY, cards, meta, reviews, voids

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
        scheduler = deck_scheduler(conn, card.deck_id, card.learner_id)
    after, entry = answer(schedule_of(card), grade, today, scheduler, duration_ms=duration_ms)
    suspends = leeches is not None and leeches.suspends(entry.before, after) and not card.suspended
    conn.execute(
        update(cards)
        .where(cards.c.id == card.id)
        .values(**_row(after), **({"suspended": True, "suspended_at": now} if suspends else {}))
    )
    logged = {
        "deck_id": card.deck_id,
        "card_id": card.id,
        "learner_id": card.learner_id,
        "at": now.astimezone(timezone.utc),
        "kind": kind,
        **log_record(entry),
    }
    review_id = conn.execute(insert(reviews).values(**logged)).inserted_primary_key[0]
    return RecordedAnswer(review_id, card.id, entry, suspends)


def credits_of(conn, answer: Row) -> list[Row]:
    """The credit events an answer (its row in the log) earned (`srs.storage.credit`), in the
    order logged: those of its deck after it, logged at the same moment, up to the deck's next
    event of another kind."""
    later = (reviews.c.deck_id == answer.deck_id, reviews.c.learner_id == answer.learner_id, reviews.c.id > answer.id)
    next_other = select(func.min(reviews.c.id)).where(*later, reviews.c.kind != events.CREDIT).scalar_subquery()
    return list(
        conn.execute(
            select(reviews)
            .where(
                *later,
                reviews.c.kind == events.CREDIT,
                reviews.c.at == answer.at,
                or_(next_other.is_(None), reviews.c.id < next_other),
            )
            .order_by(reviews.c.id)
        )
    )


def _latest_event(conn, card_id: int) -> int | None:
    """The id of the card's latest event in time, as its schedule was rebuilt (an answer from
    another device may be older than one recorded after it)."""
    return conn.scalar(
        select(reviews.c.id)
        .where(reviews.c.card_id == card_id)
        .order_by(reviews.c.at.desc(), reviews.c.event_id.desc())
        .limit(1)
    )


def undo_answer(conn, review_id: int, leeches: LeechRule | None = None, at: datetime | None = None) -> int:
    """Take back an answer: the card's schedule as it was, the log without it; with `leeches`,
    an answer that made the card a leech, and so suspended it, leaves it unsuspended. The
    credits it earned (`credits_of`) are taken back with it, each card's due day as it was;
    how many, returned. The voids it leaves and a suspension it lifts are stamped `at` (the
    learner's clock; the machine's when not given).

    Only a card's latest answer can be taken back, so history is never rewritten in the middle:
    nor one whose credited card was answered (or credited) since.
    """
    card_id = conn.scalar(select(reviews.c.card_id).where(reviews.c.id == review_id))
    # the card first, locked: no answer to it comes in between
    card = get_card(conn, card_id, lock=True) if card_id is not None else None
    review = conn.execute(select(reviews).where(reviews.c.id == review_id)).first()
    if card is None or review is None:
        raise NotFoundError("that answer is already gone")
    if review.kind == events.CREDIT:
        raise SrsError("a credit is taken back with the answer that earned it")
    if _latest_event(conn, review.card_id) != review.id:
        raise SrsError("only the card's latest answer can be taken back")
    credited = [(get_card(conn, row.card_id, lock=True), row) for row in credits_of(conn, review)]
    if any(_latest_event(conn, row.card_id) != row.id for _card, row in credited):
        raise SrsError("a card this answer credited was answered since: take that answer back first")
    for ancestor, row in reversed(credited):
        before_credit = undo_credit(schedule_of(ancestor), row._mapping)
        conn.execute(update(cards).where(cards.c.id == ancestor.id).values(**_row(before_credit)))
        conn.execute(delete(reviews).where(reviews.c.id == row.id))
    now = schedule_of(card)  # the card's latest answer left it so
    before = undo(now, review._mapping)
    # The log keeps no mark of a suspension: an answer that made the card a leech under a rule
    # that suspends is taken to be what suspended it.
    stamp = datetime.now(timezone.utc) if at is None else at
    lifted = (
        {"suspended": False, "suspended_at": stamp} if leeches is not None and leeches.suspends(before, now) else {}
    )
    conn.execute(update(cards).where(cards.c.id == review.card_id).values(**lifted, **_row(before)))
    conn.execute(delete(reviews).where(reviews.c.id == review.id))
    # A mark of each event taken back, so that a copy of the database that holds it already
    # does not bring it back at the next sync (`srs.service.sync`).
    taken = [review.event_id, *(row.event_id for _, row in credited)]
    conn.execute(insert(voids), [{"event_id": event_id, "voided_at": stamp} for event_id in taken])
    return len(credited)


def last_answer(conn, deck) -> Row | None:
    """The deck's latest answer recorded on this device (from any front end; the learner's, not a
    credit; not one brought in from another, such as a review given in Anki), or None when it has none."""
    here = reviews.c.device == select(meta.c.value).where(meta.c.key == DEVICE_KEY).scalar_subquery()
    return conn.execute(
        select(reviews).where(*learners_log(deck), here, learners_answers()).order_by(reviews.c.id.desc()).limit(1)
    ).first()


def undo_last_answer(
    conn, deck, leeches: LeechRule | None = None, at: datetime | None = None
) -> tuple[Row, int] | None:
    """Take back the deck's latest answer (see `undo_answer` for `leeches` and `at`) with its
    credits; (the answer taken back, how many credits went with it), or None when there is none."""
    while (review := last_answer(conn, deck)) is not None:
        try:
            credits_taken = undo_answer(conn, review.id, leeches, at)
        except NotFoundError:  # another process took it back first: the one before is the latest now
            continue
        return review, credits_taken
    return None


def last_grades(conn, card_ids: list[int], limit: int = 5) -> dict[int, tuple[int, ...]]:
    """The grades of each card's latest `limit` answers, latest first, drills included (the
    learner's answers: a credit has no grade)."""
    latest = (
        select(
            reviews.c.card_id,
            reviews.c.grade,
            func.row_number()
            .over(partition_by=reviews.c.card_id, order_by=(reviews.c.at.desc(), reviews.c.event_id.desc()))
            .label("place"),
        )
        .where(reviews.c.card_id.in_(card_ids), learners_answers())
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


def latest_events(conn, card_ids: list[int], limit: int = 5) -> dict[int, tuple[tuple[str, int, int], ...]]:
    """Each card's latest `limit` events of the log, latest first, drills and credits included:
    (its kind, its grade, the days it moved the due day by), for a card's history."""
    latest = (
        select(
            reviews.c.card_id,
            reviews.c.kind,
            reviews.c.grade,
            reviews.c.due_before,
            reviews.c.due_after,
            func.row_number().over(partition_by=reviews.c.card_id, order_by=reviews.c.id.desc()).label("place"),
        )
        .where(reviews.c.card_id.in_(card_ids))
        .subquery()
    )
    out: dict[int, list[tuple[str, int, int]]] = {card_id: [] for card_id in card_ids}
    for card_id, kind, grade, before, after in conn.execute(
        select(latest.c.card_id, latest.c.kind, latest.c.grade, latest.c.due_before, latest.c.due_after)
        .where(latest.c.place <= limit)
        .order_by(latest.c.card_id, latest.c.place)
    ):
        moved = (after - before).days if before is not None and after is not None else 0
        out[card_id].append((kind, grade, moved))
    return {card_id: tuple(events_) for card_id, events_ in out.items()}


def study_streak(conn, today: date, deck=None, branch=None, learner: int | None = None) -> int:
    """Consecutive learner days with at least one answer, ending today or yesterday; else 0.

    A streak still counts in the morning before the first answer of the day, so it is not lost
    until a whole day passes without study. With `deck`, only answers of its learner to that
    deck's cards count; with `branch` too, only answers to the cards of that branch; without a
    deck, every deck's answers of `learner` (of every learner, without one). Days are read newest first and
    only until the first gap.
    """
    with_credits = has_credits(conn, deck, learner)
    days = select(reviews.c.day).where(reviews.c.day <= today).distinct().order_by(reviews.c.day.desc())
    if deck is None and learner is not None:
        days = days.where(reviews.c.learner_id == learner)
    if deck is not None:
        days = answers_of(deck, branch, with_credits)(days)
    elif with_credits:
        days = days.where(learners_answers())
    return streak(conn.scalars(days), today)

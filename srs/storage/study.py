"""What a study session reads and writes: the deck, the branch, the queue, each card, each answer.

Written against the Core tables of `srs.storage.tables`, so a session in the terminal app runs
without loading SQLAlchemy's ORM at all. Every function takes `conn`, a Core `Connection` or an
ORM `Session` (both execute these statements), and leaves the transaction to its caller. Rows
come back as SQLAlchemy `Row`s whose attributes are the columns; where a function takes a deck
or a node, a row or an ORM object will do, as both have the columns as attributes.

A `Session` is not told about the rows these functions change: an ORM object it loaded before
still holds the old values until it is expired (every command opens a fresh session).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

from sqlalchemy import Date, Row, case, delete, func, insert, literal, select, update

from srs.core.answer import Schedule, answer
from srs.core.cards import CardContent, cards_for
from srs.core.graph import name_list
from srs.core.mastery import CardState, card_state
from srs.errors import AmbiguousError, NotFoundError, SrsError
from srs.storage.decks import get_node, neighbourhood
from srs.storage.scope import cards_of, done_today, due_by, is_new, repeat_today
from srs.storage.tables import cards, reviews

# -- the queue --------------------------------------------------------------------------------


def study_queue(conn, deck, today: date, branch=None, new_cards: bool = True) -> list[int]:
    """The card ids of today's session on the deck or a branch, in the order they should come.

    First the drills left over from earlier today, then due cards (most overdue first, within
    the daily review limit), then new cards parents-first (within the daily new-card limit).
    """
    live = cards_of(deck, branch)
    reviewed, introduced, _ = done_today(conn, deck, today)
    drills = conn.scalars(select(cards.c.id).where(*live, repeat_today(today)).order_by(cards.c.rank)).all()
    due = conn.scalars(
        select(cards.c.id)
        .where(*live, due_by(today))
        .order_by(cards.c.due, cards.c.rank)
        .limit(max(0, deck.reviews_per_day - reviewed))
    ).all()
    new = []
    if new_cards:
        new = conn.scalars(
            select(cards.c.id)
            .where(*live, is_new())
            .order_by(cards.c.rank)
            .limit(max(0, deck.new_per_day - introduced))
        ).all()
    return list(dict.fromkeys([*drills, *due, *new]))


def next_days(conn, card_ids: list[int], today: date) -> dict[int, date | None]:
    """The day each card is asked next: today for one answered below 4 today (it comes back
    the same day until it is answered 4 or 5), else its due day (None for a new card)."""
    asked = case((repeat_today(today), literal(today, Date)), else_=cards.c.due)
    return dict(conn.execute(select(cards.c.id, asked).where(cards.c.id.in_(card_ids))).all())


# -- answers ----------------------------------------------------------------------------------


class LoggedAnswer(NamedTuple):
    """One row of the review log, as `record_answer` wrote it: the columns of `tables.reviews`."""

    id: int
    deck_id: int
    card_id: int
    at: datetime
    day: date
    grade: int
    duration_ms: int
    drill: bool
    easiness_before: int
    repetitions_before: int
    interval_before: int
    due_before: date | None
    lapses_before: int
    last_day_before: date | None
    last_grade_before: int | None
    easiness_after: int
    repetitions_after: int
    interval_after: int
    due_after: date | None


_CARD_SCHEDULE = tuple(field.name for field in fields(Schedule))
"""The card's columns that hold its schedule, named as the core's `Schedule` names them."""

_SCHEDULE = tuple(name for name in _CARD_SCHEDULE if name != "reviews")
"""The card's columns an answer may change, logged before it as `<column>_before` (the review
count is not logged: undo takes one off when it takes back a review)."""


def state_of(card) -> CardState:
    """Where a card (a row or an ORM object) stands: new, learning, young, mature or retired."""
    return card_state(card.reviews, card.interval, card.retired)


def get_card(conn, card_id: int, lock: bool = False) -> Row:
    """The card's row; with `lock`, locked until the transaction ends, so that answers to one
    card take turns (PostgreSQL's `FOR UPDATE`; SQLite's write transactions already do)."""
    query = select(cards).where(cards.c.id == card_id)
    card = conn.execute(query.with_for_update() if lock else query).first()
    if card is None:
        raise NotFoundError("that card is no longer in the deck")
    return card


def schedule_of(card) -> Schedule:
    """A card's row (or ORM object) as the core's schedule."""
    return Schedule(**{name: getattr(card, name) for name in _CARD_SCHEDULE})


def record_answer(conn, card_id: int, grade: int, now: datetime, today: date, duration_ms: int = 0) -> LoggedAnswer:
    """Record an answer to a card: the core's `answer` decides, this writes what it returns.

    The first answer of the learner's day is a review and moves the SM-2 schedule; later ones
    the same day are drills (SM-2 step 7) and are only logged.
    """
    card = get_card(conn, card_id, lock=True)  # read and write the card as one step
    after, entry = answer(schedule_of(card), grade, today, duration_ms=duration_ms)
    conn.execute(update(cards).where(cards.c.id == card.id).values(**asdict(after)))
    log: dict[str, Any] = {
        "deck_id": card.deck_id,
        "card_id": card.id,
        "at": now.astimezone(timezone.utc),
        "day": entry.day,
        "grade": entry.grade,
        "duration_ms": entry.duration_ms,
        "drill": entry.drill,
        **{f"{name}_before": getattr(entry.before, name) for name in _SCHEDULE},
        **{f"{name}_after": getattr(entry.after, name) for name in ("easiness", "repetitions", "interval", "due")},
    }
    review_id = conn.execute(insert(reviews).values(**log)).inserted_primary_key[0]
    return LoggedAnswer(id=review_id, **log)


def undo_answer(conn, review_id: int) -> None:
    """Take back an answer: the card's schedule as it was, the log without it.

    Only a card's latest answer can be taken back, so history is never rewritten in the middle.
    """
    card_id = conn.scalar(select(reviews.c.card_id).where(reviews.c.id == review_id))
    if card_id is not None:
        get_card(conn, card_id, lock=True)  # no answer to the card comes in between
    review = conn.execute(select(reviews).where(reviews.c.id == review_id)).first()
    if review is None:
        raise NotFoundError("that answer is already gone")
    latest = conn.scalar(select(func.max(reviews.c.id)).where(reviews.c.card_id == review.card_id))
    if latest != review.id:
        raise SrsError("only the card's latest answer can be taken back")
    before = {name: getattr(review, f"{name}_before") for name in _SCHEDULE}
    if not review.drill:
        before["reviews"] = cards.c.reviews - 1
    conn.execute(update(cards).where(cards.c.id == review.card_id).values(**before))
    conn.execute(delete(reviews).where(reviews.c.id == review.id))


def last_answer(conn, deck) -> Row | None:
    """The deck's latest answer (from any front end), or None when it has none."""
    return conn.execute(
        select(reviews).where(reviews.c.deck_id == deck.id).order_by(reviews.c.id.desc()).limit(1)
    ).first()


def undo_last_answer(conn, deck) -> Row | None:
    """Take back the deck's latest answer; the answer taken back, or None when there is none."""
    while (review := last_answer(conn, deck)) is not None:
        try:
            undo_answer(conn, review.id)
        except NotFoundError:  # another process took it back first: the one before is the latest now
            continue
        return review
    return None


DEFAULT_KINDS = ("definition", "placement")
"""The card an answer to a node goes to when no kind is named: a node has one or the other."""


def card_of(conn, node, kind: str | None = None) -> Row:
    """The node's live card of `kind`; without a kind, its definition (or placement) card."""
    found = {
        c.kind: c for c in conn.execute(select(cards).where(cards.c.node_id == node.id, cards.c.retired.is_(False)))
    }
    kinds = name_list(sorted(found))
    if kind is not None:
        if kind not in found:
            has = f"its cards: {kinds}" if found else "it has no cards"
            raise NotFoundError(f"{node.label!r} has no {kind} card; {has}")
        return found[kind]
    for default in DEFAULT_KINDS:
        if default in found:
            return found[default]
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise NotFoundError(f"{node.label!r} has no cards")
    raise AmbiguousError(f"{node.label!r} has several cards, choose one with --kind: {kinds}")


# -- what a card shows ------------------------------------------------------------------------


def card_content(conn, card, node=None) -> CardContent:
    """What `card` (a row or an ORM object) shows, built from its node's neighbourhood as the
    graph stands now. `node` is the card's node, when the caller has it already."""
    node = node if node is not None else get_node(conn, card.node_id)
    for spec in cards_for(neighbourhood(conn, node), node.key):
        if spec.kind.value == card.kind:
            return spec.content
    # A retired card's node may no longer qualify for its kind: show it as it would have been.
    return CardContent(kind=card.kind, term=node.label, question=f"What is {node.label}?", definition=node.definition)

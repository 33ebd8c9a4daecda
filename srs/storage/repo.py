"""The queries the program needs, named for what they do.

Every function takes a Session and leaves the transaction to its caller. What a study session
needs (the queue, cards, answers) is in `srs.storage.study`, importing in `srs.storage.importing`,
the map in `srs.storage.tree` and decks in `srs.storage.decks`, all without the ORM; `get_deck`
and `find_node` are ORM wrappers of `decks.find_deck` and `decks.find_node` for what still uses
the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from srs.core.day import streak
from srs.storage import decks, scope
from srs.storage.models import Card, Deck, Node, Review
from srs.storage.scope import answers_of, done_today, due_by, is_new, repeat_today

# -- decks ------------------------------------------------------------------------------------


def get_deck(session: Session, name: str | None = None) -> Deck:
    """The deck called `name`; without a name, the only deck there is (see `decks.find_deck`)."""
    return session.get_one(Deck, decks.find_deck(session, name).id)


# -- finding nodes ----------------------------------------------------------------------------


def find_node(session: Session, deck: Deck, name: str) -> Node:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    return session.get_one(Node, decks.find_node(session, deck, name).id)


# -- the queue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCounts:
    """A deck's day: what is waiting and what is done."""

    due: int
    """Cards due today or overdue (within the daily review limit), drills included."""
    new: int
    """New cards available today (within the daily new-card limit)."""
    reviewed: int
    """First answers given today to cards seen before."""
    introduced: int
    """New cards answered for the first time today."""
    drills: int
    """Same-day repeats answered today."""
    due_total: int
    """Cards due today or overdue, before the limit."""
    new_total: int
    """New cards in reach, before the limit."""


def day_counts(session: Session, deck: Deck, today: date, branch: Node | None = None) -> DayCounts:
    """Today's due, new and done counts for the deck or one branch of it."""
    live = scope.cards_of(deck, branch)
    reviewed, introduced, drills = done_today(session, deck, today)
    due_total, new_total, drill_total = session.execute(
        select(
            func.count().filter(due_by(today)),
            func.count().filter(is_new()),
            func.count().filter(repeat_today(today)),
        ).where(*live)
    ).one()
    due = min(due_total, max(0, deck.reviews_per_day - reviewed)) + drill_total
    new = min(new_total, max(0, deck.new_per_day - introduced))
    return DayCounts(due, new, reviewed, introduced, drills, due_total + drill_total, new_total)


def study_streak(session: Session, today: date, deck: Deck | None = None, branch: Node | None = None) -> int:
    """Consecutive learner days with at least one answer, ending today or yesterday; else 0.

    A streak still counts in the morning before the first answer of the day, so it is not lost
    until a whole day passes without study. With `deck`, only answers to that deck's cards count;
    with `branch` too, only answers to the cards of that branch. Days are read newest first and
    only until the first gap.
    """
    days = select(Review.day).where(Review.day <= today).distinct().order_by(Review.day.desc())
    if deck is not None:
        days = answers_of(deck, branch)(days)
    return streak(session.scalars(days), today)


# -- reading cards and nodes ------------------------------------------------------------------


def cards_of(session: Session, node: Node, include_retired: bool = False) -> list[Card]:
    where = [Card.node_id == node.id]
    if not include_retired:
        where.append(Card.retired.is_(False))
    return list(session.scalars(select(Card).where(*where).order_by(Card.rank)))


def last_answers(session: Session, card: Card, limit: int = 5) -> list[Review]:
    return list(
        session.scalars(select(Review).where(Review.card_id == card.id).order_by(Review.id.desc()).limit(limit))
    )


# -- export -----------------------------------------------------------------------------------


def _exported_cards(deck: Deck, branch: Node | None):
    return [*scope.cards_of(deck, branch, suspended=True), Node.retired.is_(False)]


def exported_cards(
    session: Session, deck: Deck, branch: Node | None = None
) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The live cards of a deck (or of `branch` and below), node by node in rank order:
    (node key, [(card kind, suspended), ...]), suspended cards included."""
    statement = (
        select(Node.key, Card.kind, Card.suspended)
        .join(Node, Node.id == Card.node_id)
        .where(*_exported_cards(deck, branch))
        .order_by(Node.rank, Node.id, Card.rank, Card.id)
    )
    nodes: list[tuple[str, list[tuple[str, bool]]]] = []
    for key, kind, suspended in session.connection().execute(statement):
        if not nodes or nodes[-1][0] != key:
            nodes.append((key, []))
        nodes[-1][1].append((kind, bool(suspended)))
    return nodes

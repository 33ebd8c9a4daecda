"""A study session: its scope (a deck or a branch), today's queue, each card, each answer and its
undo, and what to offer when nothing is due.

Every answer is committed before the call returns, so it is stored before the next card shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from srs.core.cards import CardContent
from srs.core.mastery import CardState
from srs.env import Env
from srs.service.decks import MapNode, _node, load_map
from srs.storage import decks, study


@dataclass(frozen=True)
class Scope:
    """What a study session covers: a whole deck or one branch of it."""

    deck: str
    """The deck's name."""
    branch_id: int | None = None
    """The node whose subtree is studied; None for the whole deck."""
    title: str = ""
    """How the session is named on screen: the branch's label or the deck's name."""
    new_cards: bool = True
    """Whether new cards join the due ones (the `r` review of the whole deck leaves them out)."""


def branch_scope(env: Env, deck_name: str | None, branch: str | None, new_cards: bool = True) -> Scope:
    """The session on `branch` (a node id, label or label path) of the deck, or on the whole deck.

    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name)
        if branch is None:
            return Scope(deck.name, None, deck.name, new_cards)
        node = decks.find_node(conn, deck, branch)
        return Scope(deck.name, node.id, node.label, new_cards)


def session_cards(env: Env, scope: Scope) -> list[int]:
    """Today's cards for the scope, in the order they should come (see `study.study_queue`)."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, scope.deck)
        branch = decks.get_node(conn, scope.branch_id) if scope.branch_id is not None else None
        return study.study_queue(conn, deck, env.clock.today(), branch, new_cards=scope.new_cards)


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen shows it."""

    id: int
    node_id: int
    content: CardContent
    notes: str
    mnemonic: str
    state: CardState
    answered_today: bool
    """Already answered earlier today, so this answer is a drill."""


def load_card(env: Env, card_id: int) -> StudyCard:
    with env.connection() as conn:
        card = study.get_card(conn, card_id)
        node = decks.get_node(conn, card.node_id)
        return StudyCard(
            card.id,
            node.id,
            study.card_content(conn, card, node),
            node.notes,
            node.mnemonic,
            study.state_of(card),
            card.last_day == env.clock.today(),
        )


@dataclass(frozen=True)
class Answer:
    """One recorded answer, as the session keeps it for undo and for its summaries."""

    review_id: int
    card_id: int
    grade: int
    drill: bool
    first_time: bool
    """The card's first ever review (it was new)."""
    duration_ms: int
    due: date | None
    interval: int


def record(env: Env, card_id: int, grade: int, duration_ms: int) -> Answer:
    """Record an answer and commit it (a review, or a drill if the card was answered today)."""
    with env.connection(write=True) as conn:
        review = study.record_answer(conn, card_id, grade, env.clock.now(), env.clock.today(), duration_ms)
        first_time = not review.drill and review.due_before is None and review.interval_before == 0
        return Answer(
            review.id,
            card_id,
            review.grade,
            review.drill,
            first_time,
            review.duration_ms,
            review.due_after,
            review.interval_after,
        )


def take_back(env: Env, review_id: int) -> None:
    """Undo an answer: the card's schedule and the log exactly as before it, committed."""
    with env.connection(write=True) as conn:
        study.undo_answer(conn, review_id)


def due_dates(env: Env, card_ids: list[int]) -> dict[int, date | None]:
    """When each of the cards is asked next (today for a same-day repeat still to come)."""
    with env.connection() as conn:
        return study.next_days(conn, card_ids, env.clock.today())


@dataclass(frozen=True)
class NothingDue:
    """What to offer when a session would be empty."""

    new_cards: int
    """New cards the scope could still introduce today (offered when the session left them out)."""
    new_limit_reached: bool
    """New cards exist but today's limit of new cards is used up."""
    new_per_day: int
    next_branch: MapNode | None
    """Another branch with cards to study today."""


def nothing_due(env: Env, scope: Scope) -> NothingDue:
    """Why the scope has nothing to study, and where else there is work."""
    from srs.storage import repo

    today = env.clock.today()
    with env.session() as session:
        deck = repo.get_deck(session, scope.deck)
        branch = _node(session, scope.branch_id) if scope.branch_id is not None else None
        counts = repo.day_counts(session, deck, today, branch)
        deck_counts = repo.day_counts(session, deck, today)
        new_per_day = deck.new_per_day
    deck_map = load_map(env, scope.deck)
    new_allowed = deck_counts.new > 0
    return NothingDue(
        new_cards=0 if scope.new_cards else counts.new,
        new_limit_reached=counts.new == 0 and counts.new_total > 0,
        new_per_day=new_per_day,
        next_branch=deck_map.next_branch_with_work(scope.branch_id, new_allowed),
    )

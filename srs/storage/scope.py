"""The rules every query shares: which cards and answers a question is about, and what a card's
state is, each written once as a piece of a Core select.

A deck here is a deck as one learner studies it (`srs.storage.decks.find_deck`): its row with
`learner_id`, whose cards and answers alone every question of it is about.

"The cards of a branch", "due today", a card's state and its mastery mean the same thing in the
study queue, the map, the statistics and the exports because they all build on these. A deck or
a branch is anything with the columns as attributes (a Core row will do). The states and
mastery are `srs.core.mastery`'s, "asked again today" is `srs.core.answer.repeat_today` and
"buried today" is `srs.core.queue.is_buried`;
tests on a real database hold the SQL and the core to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, case, func, or_, select

from srs.core import events, sm2
from srs.core.mastery import MATURE_FROM, YOUNG_FROM, CardState
from srs.storage.tables import cards, decks, edges, nodes, reviews

HIERARCHY = "hierarchy"
"""The edge kind that makes the tree; every other kind is a link beside it."""


# -- which cards --------------------------------------------------------------------------------


def whole_deck(deck: Any, branch: Any | None) -> bool:
    """Whether `branch` stands for the whole deck (none given, or the deck's root)."""
    return branch is None or branch.key == deck.root_key


def subtree_ids(branch: Any) -> CompoundSelect:
    """A select of the ids of `branch` and every node below it (a recursive query)."""
    below = (
        select(edges.c.child_id.label("id"))
        .where(edges.c.parent_id == branch.id, edges.c.kind == HIERARCHY)
        .cte("below", recursive=True)
    )
    below = below.union(
        select(edges.c.child_id).join(below, edges.c.parent_id == below.c.id).where(edges.c.kind == HIERARCHY)
    )
    return select(below.c.id).union(select(nodes.c.id).where(nodes.c.id == branch.id))


def cards_of(deck: Any, branch: Any | None = None, suspended: bool = False) -> list[ColumnElement[bool]]:
    """The conditions that pick the live cards of a deck, or of a branch and everything below it.

    Retired cards (their node left the graph) are never in; suspended ones only with `suspended`.
    """
    where = [*learners_cards(deck), cards.c.retired.is_(False)]
    if not suspended:
        where.append(cards.c.suspended.is_(False))
    if not whole_deck(deck, branch):
        where.append(cards.c.node_id.in_(subtree_ids(branch)))
    return where


def learners_cards(deck: Any) -> list[ColumnElement[bool]]:
    """The conditions that pick the deck's cards of its learner, retired and suspended ones too."""
    return [cards.c.deck_id == deck.id, cards.c.learner_id == deck.learner_id]


def learners_log(deck: Any) -> list[ColumnElement[bool]]:
    """The conditions that pick the deck's events of its learner (every kind)."""
    return [reviews.c.deck_id == deck.id, reviews.c.learner_id == deck.learner_id]


def unburied(today: date) -> ColumnElement[bool]:
    """Cards not buried on the learner's day `today` (`srs.core.queue.is_buried`, negated): a card
    buried today is out of today's queues and counts, and back the next day as it was."""
    return or_(cards.c.buried_on.is_(None), cards.c.buried_on != today)


def cards_today(deck: Any, today: date, branch: Any | None = None) -> list[ColumnElement[bool]]:
    """The conditions that pick the cards a session on the deck or branch may bring on `today`:
    its live cards (`cards_of`), less those buried today. Every queue and due or new count of
    the day is taken from these."""
    return [*cards_of(deck, branch), unburied(today)]


# -- when a card is asked -----------------------------------------------------------------------


def is_new() -> ColumnElement[bool]:
    """Cards never answered."""
    return cards.c.reviews == 0


def due_by(day: date) -> ColumnElement[bool]:
    """Cards seen before whose due day is `day` or earlier (overdue ones included)."""
    return and_(cards.c.reviews > 0, cards.c.due <= day)


def repeat_today(today: date) -> ColumnElement[bool]:
    """Cards answered below 4 earlier today: `srs.core.answer.repeat_today` as a condition."""
    return and_(cards.c.last_day == today, cards.c.last_grade < sm2.DRILL_BELOW)


def asked_today(today: date) -> ColumnElement[bool]:
    """The cards a session brings today before new ones: due or overdue, or to repeat today."""
    return or_(due_by(today), repeat_today(today))


# -- a card's state and mastery -----------------------------------------------------------------


def state_is(state: CardState, reviews: Any = cards.c.reviews, interval: Any = cards.c.interval) -> ColumnElement[bool]:
    """The SQL condition that a live card is in `state`, as `card_state` would say."""
    if state is CardState.NEW:
        return reviews == 0
    if state is CardState.LEARNING:
        return and_(reviews > 0, interval < YOUNG_FROM)
    if state is CardState.YOUNG:
        return and_(reviews > 0, interval >= YOUNG_FROM, interval < MATURE_FROM)
    if state is CardState.MATURE:
        return and_(reviews > 0, interval >= MATURE_FROM)
    raise ValueError(f"no SQL condition for {state}")


LIVE_STATES = (CardState.NEW, CardState.LEARNING, CardState.YOUNG, CardState.MATURE)


def state_sql(reviews: Any = cards.c.reviews, interval: Any = cards.c.interval) -> Any:
    """`card_state` of a live card as an SQL CASE giving the state's name."""
    return case(*((state_is(s, reviews, interval), s.value) for s in LIVE_STATES))


def mastery_sql(reviews: Any = cards.c.reviews, interval: Any = cards.c.interval) -> Any:
    """`card_mastery` of a live card as an SQL CASE: 1 mature, interval/21 young, else 0."""
    return case(
        (state_is(CardState.MATURE, reviews, interval), 1.0),
        (state_is(CardState.YOUNG, reviews, interval), interval * 1.0 / MATURE_FROM),
        else_=0.0,
    )


# -- which answers ------------------------------------------------------------------------------


def learners_answers() -> ColumnElement[bool]:
    """The log's events that are the learner's answers (`srs.core.events.ANSWERS`): every count of
    answers, streak, lapse and recall leaves out the other events (a credit), which each index
    the statistics read ends with."""
    return reviews.c.kind.in_(events.ANSWERS)


def has_credits(conn: Any, deck: Any | None = None, learner: int | None = None) -> bool:
    """Whether the learner's log of the deck (of every deck, without one; every learner's, without
    either) holds a credit event: one seek of the log's grade index per deck, a credit's grade
    being below every grade (`srs.core.credit`)."""
    deck_ids = [deck.id] if deck is not None else list(conn.scalars(select(decks.c.id)))
    learner = deck.learner_id if deck is not None else learner
    whose = () if learner is None else (reviews.c.learner_id == learner,)
    return any(
        conn.scalar(
            select(reviews.c.id)
            .where(reviews.c.deck_id == deck_id, *whose, reviews.c.drill.is_(False), reviews.c.grade < 0)
            .limit(1)
        )
        is not None
        for deck_id in deck_ids
    )


def answers_of(deck: Any, branch: Any | None = None, with_credits: bool = True) -> Callable[[Select], Select]:
    """A function that narrows a select over the answer log to a deck's answers or a branch's
    (the learner's answers alone: `learners_answers`, where `with_credits` says the log may hold
    other events; `has_credits` says whether it does).

        A branch's cards are gathered once into a materialized table the log is joined to: SQLite
        then passes over other answers with a Bloom filter instead of searching a list for each.
        Every select narrowed by one function shares that table, so they can sit in one statement.
    """
    branch_cards = None
    if not whole_deck(deck, branch):
        branch_cards = (
            select(cards.c.id.label("id"))
            .where(cards.c.node_id.in_(subtree_ids(branch)), cards.c.learner_id == deck.learner_id)
            .cte("branch_cards")
            .prefix_with("MATERIALIZED")
        )

    def narrow(statement: Select) -> Select:
        # A branch's cards are all in its deck; asking for deck_id too would keep SQLite from
        # reading a branch's answers from the card index alone.
        # Without credits in the log no condition on the kind is asked: a count of a range of an
        # index then reads no entry's kind. bench_stats, a million answers: the whole deck's
        # retention in 131 ms so, 188 ms with the condition.
        kind = (learners_answers(),) if with_credits else ()
        if branch_cards is None:
            return statement.where(*learners_log(deck), *kind)
        return statement.join(branch_cards, branch_cards.c.id == reviews.c.card_id).where(*kind)

    return narrow


def done_today(conn: Any, deck: Any, today: date) -> tuple[int, int, int]:
    """(reviews of cards seen before, new cards introduced, drills) answered in the deck today."""
    row = conn.execute(
        select(
            func.count().filter(and_(reviews.c.drill.is_(False), reviews.c.interval_before > 0)),
            func.count().filter(and_(reviews.c.drill.is_(False), reviews.c.interval_before == 0)),
            func.count().filter(reviews.c.drill.is_(True)),
        ).where(*learners_log(deck), reviews.c.day == today, learners_answers())
    ).one()
    return int(row[0]), int(row[1]), int(row[2])

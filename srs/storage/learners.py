"""Learners: who a schedule belongs to, and every learner's cards of every deck.

A deck and its nodes are shared; each learner has a card of their own for each question the
graph asks (a node's cards, a relation card), made when the deck is imported or when the
learner first opens the database, and kept in line with the graph by every import
(`mirror_cards`). A contrast card is one learner's: it comes from that learner's lapses.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves
the transaction to its caller.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, func, insert, literal, or_, select, update

from srs.core.pairs import RELATION
from srs.errors import NotFoundError, SrsError
from srs.storage.tables import UNCLAIMED, cards, decks, learners, reviews


def learner_id(conn, name: str) -> int | None:
    """The id of the learner called `name`, or None when there is none."""
    return conn.scalar(select(learners.c.id).where(learners.c.name == name))


def several(conn) -> bool:
    """Whether the database holds more than one learner."""
    return conn.scalar(select(func.count()).select_from(learners)) > 1


def first_learner(conn, deck_id: int | None, make: bool = True) -> int | None:
    """The learner whose cards of the deck an import works out (every other learner's are then
    made like theirs, `mirror_cards`): the first with cards of it, else the first there is; with
    none and `make`, the unnamed learner, whoever first opens the database becomes."""
    if deck_id is not None:
        found = conn.scalar(select(func.min(cards.c.learner_id)).where(cards.c.deck_id == deck_id))
        if found is not None:
            return found
    found = conn.scalar(select(func.min(learners.c.id)))
    if found is None and make:
        found = conn.execute(insert(learners).values(name=UNCLAIMED)).inserted_primary_key[0]
    return found


def deck_learners(conn, deck_id: int) -> list[int]:
    """The learners with cards of the deck (every learner, once the deck's import has made them)."""
    return list(conn.scalars(select(cards.c.learner_id).where(cards.c.deck_id == deck_id).distinct()))


def needs_enrolling(conn, learner: int | None) -> bool:
    """Whether `learner` (None: one not yet made) lacks the cards of a deck: what opening the
    database as them must write first."""
    if learner is None:
        return True
    return conn.scalar(select(decks.c.id).where(~_has_cards(decks.c.id, learner)).limit(1)) is not None


def become(conn, name: str) -> int:
    """The id of the learner `name`, made if there is none (the unnamed learner of a database from
    before learners becomes them, with its history), with a card of their own for every question
    of every deck (`enrol`)."""
    found = learner_id(conn, name)
    if found is None:
        unclaimed = learner_id(conn, UNCLAIMED)
        if unclaimed is not None:
            conn.execute(update(learners).where(learners.c.id == unclaimed).values(name=name))
            found = unclaimed
        else:
            found = conn.execute(insert(learners).values(name=name)).inserted_primary_key[0]
    enrol(conn, found)
    return found


def enrol(conn, learner: int) -> None:
    """Give `learner` the cards of every deck they have none of, as another learner of that deck
    has them (new, with the same order and the same retired ones)."""
    for (deck_id,) in conn.execute(select(decks.c.id).where(~_has_cards(decks.c.id, learner))).all():
        template = conn.scalar(select(func.min(cards.c.learner_id)).where(cards.c.deck_id == deck_id))
        if template is not None:
            _copy_missing(conn, deck_id, template, learner)


def mirror_cards(conn, deck_id: int, template: int) -> None:
    """Bring every other learner's cards of the deck in line with `template`'s graph cards (a
    node's own cards and relation cards): the ones missing made, each one's order and retirement
    as `template`'s. Every learner's schedules and history stay; a learner's contrast cards are
    their own and left as they are."""
    for (other,) in conn.execute(select(learners.c.id).where(learners.c.id != template)).all():
        _copy_missing(conn, deck_id, template, other)
    theirs = cards.alias("theirs")
    same_question = and_(theirs.c.deck_id == deck_id, theirs.c.learner_id == template, _same_question(theirs, cards))
    for column in ("rank", "retired"):
        value = select(getattr(theirs.c, column)).where(same_question).scalar_subquery()
        conn.execute(
            update(cards)
            .where(
                cards.c.deck_id == deck_id,
                cards.c.learner_id != template,
                _graph_card(cards),
                exists().where(same_question, getattr(theirs.c, column) != getattr(cards.c, column)),
            )
            .values({column: value})
        )


def _same_question(one, other):
    """Two cards (of two learners) asking the same: one node, kind and partner (or none)."""
    return and_(
        one.c.node_id == other.c.node_id,
        one.c.kind == other.c.kind,
        or_(and_(one.c.partner_id.is_(None), other.c.partner_id.is_(None)), one.c.partner_id == other.c.partner_id),
    )


def _graph_card(table):
    """A card the graph asks for every learner: a node's own, or a relation card."""
    return or_(table.c.partner_id.is_(None), table.c.kind == RELATION)


def _has_cards(deck_id, learner: int):
    return exists().where(cards.c.deck_id == deck_id, cards.c.learner_id == learner)


def _copy_missing(conn, deck_id: int, template: int, learner: int) -> None:
    """Make `learner` the graph cards of the deck `template` has and they lack, new."""
    theirs = cards.alias("theirs")
    mine = cards.alias("mine")
    have = exists().where(mine.c.learner_id == learner, _same_question(mine, theirs))
    conn.execute(
        insert(cards).from_select(
            ("deck_id", "node_id", "kind", "rank", "partner_id", "retired", "learner_id"),
            select(
                theirs.c.deck_id,
                theirs.c.node_id,
                theirs.c.kind,
                theirs.c.rank,
                theirs.c.partner_id,
                theirs.c.retired,
                literal(learner),
            )
            .where(theirs.c.deck_id == deck_id, theirs.c.learner_id == template, _graph_card(theirs), ~have)
            .order_by(theirs.c.id),
        )
    )


def learner_rows(conn) -> list:
    """Every learner, by name: (id, name, answers, first day, last day)."""
    answered = (
        select(
            reviews.c.learner_id,
            func.count().label("answers"),
            func.min(reviews.c.day).label("first_day"),
            func.max(reviews.c.day).label("last_day"),
        )
        .group_by(reviews.c.learner_id)
        .subquery()
    )
    return list(
        conn.execute(
            select(
                learners.c.id,
                learners.c.name,
                func.coalesce(answered.c.answers, 0).label("answers"),
                answered.c.first_day,
                answered.c.last_day,
            )
            .outerjoin(answered, answered.c.learner_id == learners.c.id)
            .where(learners.c.name != UNCLAIMED)
            .order_by(learners.c.name)
        )
    )


def rename(conn, old: str, new: str) -> None:
    """Call the learner `old` `new` from now on: their schedules, answers and notes with them."""
    found = learner_id(conn, old)
    if found is None or old == UNCLAIMED:
        raise NotFoundError(f"no learner named {old!r}")
    if learner_id(conn, new) is not None:
        raise SrsError(f"there is a learner named {new!r} already")
    conn.execute(update(learners).where(learners.c.id == found).values(name=new))

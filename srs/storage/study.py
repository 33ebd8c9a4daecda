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
from srs.core.graph import Concept, ConceptGraph, name_list, path_key
from srs.core.mastery import CardState, card_state
from srs.errors import AmbiguousError, NotFoundError, SrsError
from srs.storage.scope import HIERARCHY, cards_of, done_today, due_by, is_new, repeat_today
from srs.storage.tables import cards, decks, edges, nodes, reviews

MAX_DEPTH = 10_000
"""How far up a path is followed: deeper than any map, a bound should the hierarchy ever loop."""


# -- decks and nodes by name ------------------------------------------------------------------


def deck_names(conn) -> list[str]:
    return list(conn.scalars(select(decks.c.name).order_by(decks.c.name)))


def find_deck(conn, name: str | None = None) -> Row:
    """The deck called `name` (exactly, else in any case); without a name, the only deck there is."""
    if name is not None:
        deck = conn.execute(select(decks).where(decks.c.name == name)).first()
        if deck is None:
            deck = conn.execute(select(decks).where(func.lower(decks.c.name) == name.lower())).first()
        if deck is None:
            known = deck_names(conn)
            hint = f"; decks: {name_list(known)}" if known else "; there are no decks yet"
            raise NotFoundError(f"no deck named {name!r}{hint}")
        return deck
    found = conn.execute(select(decks).order_by(decks.c.name).limit(2)).all()
    if not found:
        raise NotFoundError("there are no decks yet: import one with `srs import FILE`")
    if len(found) > 1:
        raise AmbiguousError(f"there are several decks, choose one with --deck: {name_list(deck_names(conn))}")
    return found[0]


def node_path(conn, node) -> list[Row]:
    """The nodes from the root down to `node`, along first parents (one recursive query)."""
    first_edge = edges.alias("first_edge")
    up = select(literal(node.id).label("id"), literal(0).label("step")).cte("up", recursive=True)
    up = up.union_all(
        select(edges.c.parent_id, up.c.step + 1)
        .join(up, edges.c.child_id == up.c.id)
        .where(
            edges.c.kind == HIERARCHY,
            # the child's first parent: its hierarchy edge written first
            edges.c.id
            == select(func.min(first_edge.c.id))
            .where(first_edge.c.child_id == edges.c.child_id, first_edge.c.kind == HIERARCHY)
            .scalar_subquery(),
            up.c.step < MAX_DEPTH,
        )
    )
    ids = list(conn.scalars(select(up.c.id).order_by(up.c.step)))
    chain: list[int] = []
    for node_id in ids:  # a cycle (impossible in an imported graph) ends the path where it closes
        if node_id in chain:
            break
        chain.append(node_id)
    found = {n.id: n for n in conn.execute(select(nodes).where(nodes.c.id.in_(chain)))}
    return [found[i] for i in reversed(chain) if i in found]


def path_text(conn, node) -> str:
    return "/".join(n.label for n in node_path(conn, node))


def find_node(conn, deck, name: str) -> Row:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    live = (nodes.c.deck_id == deck.id, nodes.c.retired.is_(False))
    # A deck without ids keys its nodes by a digest of the label path: a path finds its node so.
    node = conn.execute(select(nodes).where(*live, nodes.c.key.in_((name, path_key(name))))).first()
    if node is not None:
        return node
    matches = conn.execute(select(nodes).where(*live, func.lower(nodes.c.label) == name.lower())).all()
    if not matches and "/" in name:
        matches = _match_path(conn, deck, [part.strip() for part in name.strip("/").split("/")])
    if len(matches) == 1:
        return matches[0]
    if matches:
        paths = [path_text(conn, m) for m in matches]
        raise AmbiguousError(f"{name!r} matches {len(matches)} nodes, give the path: {name_list(paths)}")
    raise NotFoundError(f"no node {name!r} in deck {deck.name!r}")


def _match_path(conn, deck, parts: list[str]) -> list[Row]:
    candidates = conn.execute(
        select(nodes).where(
            nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), func.lower(nodes.c.label) == parts[-1].lower()
        )
    ).all()
    wanted = [p.lower() for p in parts]
    return [node for node in candidates if [n.label.lower() for n in node_path(conn, node)][-len(wanted) :] == wanted]


def get_node(conn, node_id: int) -> Row:
    node = conn.execute(select(nodes).where(nodes.c.id == node_id)).first()
    if node is None:
        raise NotFoundError("that concept is no longer in the deck")
    return node


def set_notes(conn, node_id: int, notes: str | None = None, mnemonic: str | None = None) -> None:
    """Change a node's notes or mnemonic (kept across re-imports)."""
    values = {name: value for name, value in (("notes", notes), ("mnemonic", mnemonic)) if value is not None}
    if values and conn.execute(update(nodes).where(nodes.c.id == node_id).values(**values)).rowcount == 0:
        raise NotFoundError("that concept is no longer in the deck")


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


def node_neighbours(conn, node) -> tuple[list[Row], list[Row], list[Row]]:
    """(parents, siblings, children) of a node among the live nodes of its deck."""

    def linked(through, to, order) -> list[Row]:
        """The nodes at the `through` end of the hierarchy edges whose other end is `to`."""
        return conn.execute(
            select(nodes).join(edges, through == nodes.c.id).where(to, edges.c.kind == HIERARCHY).order_by(order)
        ).all()

    parents = linked(edges.c.parent_id, edges.c.child_id == node.id, edges.c.id)
    children = linked(edges.c.child_id, edges.c.parent_id == node.id, edges.c.position)
    siblings: list[Row] = []
    seen = {node.id}
    for parent in parents:
        for sibling in linked(edges.c.child_id, edges.c.parent_id == parent.id, edges.c.position):
            if sibling.id not in seen:
                seen.add(sibling.id)
                siblings.append(sibling)
    return parents, siblings, children


def concept(node) -> Concept:
    """A stored node (a row or an ORM object) as the core's concept."""
    return Concept(
        key=node.key,
        label=node.label,
        definition=node.definition,
        example=node.example,
        notes=node.notes,
        mnemonic=node.mnemonic,
        color=node.color,
        attrs=node.attrs or {},
    )


def neighbourhood(conn, node) -> ConceptGraph:
    """The part of the graph a node's cards show: its path to the root, parents, siblings, children."""
    path = node_path(conn, node)
    parents, siblings, children = node_neighbours(conn, node)
    around = {n.key: n for n in [*path, *parents, *siblings, *children]}
    parent_keys: dict[str, list[str]] = {key: [] for key in around}
    child_keys: dict[str, list[str]] = {key: [] for key in around}
    for upper, lower in zip(path, path[1:-1], strict=False):
        parent_keys[lower.key] = [upper.key]
        child_keys[upper.key] = [lower.key]
    parent_keys[node.key] = [p.key for p in parents]
    for i, parent in enumerate(parents):
        # Siblings are gathered over every parent, first parent first; hang them on the first.
        child_keys[parent.key] = [node.key, *(s.key for s in siblings)] if i == 0 else [node.key]
    child_keys[node.key] = [c.key for c in children]
    return ConceptGraph(
        root=path[0].key, concepts={k: concept(n) for k, n in around.items()}, children=child_keys, parents=parent_keys
    )


def card_content(conn, card, node=None) -> CardContent:
    """What `card` (a row or an ORM object) shows, built from its node's neighbourhood as the
    graph stands now. `node` is the card's node, when the caller has it already."""
    node = node if node is not None else get_node(conn, card.node_id)
    for spec in cards_for(neighbourhood(conn, node), node.key):
        if spec.kind.value == card.kind:
            return spec.content
    # A retired card's node may no longer qualify for its kind: show it as it would have been.
    return CardContent(kind=card.kind, term=node.label, question=f"What is {node.label}?", definition=node.definition)

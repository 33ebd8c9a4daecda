"""What the exports read (a deck's live graph is `decks.load_graph`): its cards node by node, and for GEXF every node
with its cards' schedules and the edges, streamed.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves the
transaction to its caller. A deck or a branch is a row (or anything with its columns as attributes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Row, Select, literal, select

from srs.core.graph import HIERARCHY_KINDS, UPWARD_KINDS, Concept
from srs.storage.decks import concept_columns
from srs.storage.scope import HIERARCHY, cards_of, subtree_ids
from srs.storage.tables import cards, decks, edges, nodes

ROWS_AT_ONCE = 1000
"""Rows fetched at a time by a stream (a server-side cursor on PostgreSQL; SQLite reads lazily anyway)."""


def deck_of(conn, node: Any) -> Row:
    """The deck `node` is in, as the learner the node is studied by studies it."""
    return conn.execute(
        select(decks, literal(node.learner_id).label("learner_id")).where(decks.c.id == node.deck_id)
    ).one()


def exported_cards(conn, deck: Any, branch: Any | None = None) -> list[tuple[str, list[tuple[str, bool, int]]]]:
    """The live cards of a deck (or of `branch` and below), node by node in rank order:
    (node key, [(card kind, suspended, lapses), ...]), suspended cards included."""
    statement = (
        select(nodes.c.key, cards.c.kind, cards.c.suspended, cards.c.lapses)
        .join(nodes, nodes.c.id == cards.c.node_id)
        .where(*cards_of(deck, branch, suspended=True), nodes.c.retired.is_(False), cards.c.partner_id.is_(None))
        .order_by(nodes.c.rank, nodes.c.id, cards.c.rank, cards.c.id)
    )
    found: list[tuple[str, list[tuple[str, bool, int]]]] = []
    for key, kind, suspended, lapses in conn.execute(statement):
        if not found or found[-1][0] != key:
            found.append((key, []))
        found[-1][1].append((kind, bool(suspended), lapses))
    return found


# -- the graph with what the learner knows, streamed (GEXF) ---------------------------------------


def _live_nodes(deck: Any, branch: Any | None) -> list[Any]:
    where = [nodes.c.deck_id == deck.id, nodes.c.retired.is_(False)]
    if branch is not None:
        where.append(nodes.c.id.in_(subtree_ids(branch)))
    return where


def _stream(conn, statement: Select) -> Iterator:
    """The rows of `statement`, fetched a batch at a time; scalars when it selects one column."""
    result = conn.execute(statement.execution_options(yield_per=ROWS_AT_ONCE))
    return result.scalars() if len(statement.selected_columns) == 1 else iter(result)


def attribute_names(conn, deck: Any, branch: Any | None = None) -> tuple[int, set[str]]:
    """How many live nodes the deck (or `branch` and below) has, and every attribute name they hold."""
    count, names = 0, set()
    for attrs in _stream(conn, select(nodes.c.attrs).where(*_live_nodes(deck, branch))):
        count += 1
        if attrs:
            names.update(attrs)
    return count, names


def concepts_with_cards(conn, deck: Any, branch: Any | None = None) -> Iterator[tuple[Concept, list[Any]]]:
    """Each live node of the deck (or of `branch` and below) in the deck's order, as a concept,
    with its live cards' schedules (rows with `reviews`, `interval`, `easiness`, `due`, `lapses`,
    and FSRS's `stability`, `difficulty` and `last_day`):
    two streams in one order, merged, so that one node at a time is held. The notes and mnemonic
    are the learner's own where they wrote them; a deck whose `learner_id` is None gives every
    learner's cards of each node, and the deck's notes."""
    where = _live_nodes(deck, branch)
    whose = [] if deck.learner_id is None else [cards.c.learner_id == deck.learner_id]
    order = (nodes.c.rank, nodes.c.id)
    node_rows = _stream(conn, select(*concept_columns(deck.learner_id), nodes.c.attrs).where(*where).order_by(*order))
    card_rows = _stream(
        conn,
        select(
            cards.c.node_id,
            cards.c.reviews,
            cards.c.interval,
            cards.c.easiness,
            cards.c.due,
            cards.c.lapses,
            cards.c.stability,
            cards.c.difficulty,
            cards.c.last_day,
        )
        .join(nodes, nodes.c.id == cards.c.node_id)
        .where(*where, *whose, cards.c.retired.is_(False), cards.c.partner_id.is_(None))
        .order_by(*order, cards.c.id),
    )
    card = next(card_rows, None)
    for node_id, key, label, definition, example, notes, mnemonic, color, attrs in node_rows:
        own = []
        while card is not None and card.node_id == node_id:
            own.append(card)
            card = next(card_rows, None)
        yield Concept(key, label, definition, example, notes, mnemonic, color, attrs or {}), own


def exported_edges(conn, deck: Any, branch: Any | None = None) -> Iterator[tuple[str, str, str | None]]:
    """(source key, target key, kind) of every edge between live nodes of the deck (or of `branch`
    and below), in the order they were imported, streamed.

    A hierarchy edge goes from parent to child with the kind None, or, where the file gave it a
    word the program knows (`is-a`, `has-part`, ...), with that word as its kind and its ends
    the way the word has them (`is-a` from child to parent), so that importing the file again
    keeps the word. A word only an import option made a hierarchy edge (`--hierarchy KIND`) is
    left out, as the other import would need that option again to read it so.
    """
    parent, child = nodes.alias("parent"), nodes.alias("child")
    statement = (
        select(parent.c.key, child.c.key, edges.c.kind, edges.c.relation)
        .join(parent, parent.c.id == edges.c.parent_id)
        .join(child, child.c.id == edges.c.child_id)
        .where(edges.c.deck_id == deck.id, parent.c.retired.is_(False), child.c.retired.is_(False))
        .order_by(edges.c.id)
    )
    if branch is not None:
        inside = subtree_ids(branch)
        statement = statement.where(parent.c.id.in_(inside), child.c.id.in_(inside))
    for parent_key, child_key, kind, relation in _stream(conn, statement):
        if kind != HIERARCHY:
            yield parent_key, child_key, kind
        elif not relation:
            yield parent_key, child_key, None
        elif (word := relation.strip().lower()) in UPWARD_KINDS:
            yield child_key, parent_key, relation
        else:
            yield parent_key, child_key, relation if word in HIERARCHY_KINDS else None

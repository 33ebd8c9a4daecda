"""The queries the program needs, named for what they do.

Every function takes a Session and leaves the transaction to its caller: a command or a screen
opens `with session.begin():` around one unit of work, so an import is all or nothing. What a
study session needs (the queue, cards, answers) is in `srs.storage.study`, without the ORM.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Index,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import TypeDecorator

from srs.bulk import collector_paused
from srs.core.cards import card_kinds
from srs.core.day import streak
from srs.core.diff import GraphDiff, NodeRecord, diff_graph, label_paths, stored_paths
from srs.core.graph import Concept, ConceptGraph
from srs.errors import SrsError
from srs.storage import decks, scope, tables
from srs.storage.db import serialise
from srs.storage.models import Card, Deck, Edge, Node, Review
from srs.storage.scope import HIERARCHY, answers_of, asked_today, done_today, due_by, is_new, mastery_sql, repeat_today

KIND_ORDER = {"definition": 0, "placement": 0, "children": 1}


# -- decks ------------------------------------------------------------------------------------


def get_deck(session: Session, name: str | None = None) -> Deck:
    """The deck called `name`; without a name, the only deck there is (see `decks.find_deck`)."""
    return session.get_one(Deck, decks.find_deck(session, name).id)


def set_limits(deck: Deck, new_per_day: int | None = None, reviews_per_day: int | None = None) -> None:
    """Change a deck's daily limits of new cards and reviews."""
    for value in (new_per_day, reviews_per_day):
        if value is not None and value < 0:
            raise SrsError("a daily limit cannot be negative")
    if new_per_day is not None:
        deck.new_per_day = new_per_day
    if reviews_per_day is not None:
        deck.reviews_per_day = reviews_per_day


# -- finding nodes ----------------------------------------------------------------------------


def find_node(session: Session, deck: Deck, name: str) -> Node:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    return session.get_one(Node, decks.find_node(session, deck, name).id)


# -- import -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), in the learner's words."""

    deck: str
    created: bool
    nodes: int
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    matched_by: list[tuple[str, str]] = field(default_factory=list)
    cards_added: int = 0
    cards_retired: int = 0
    cards_restored: int = 0
    reordered: bool = False
    """Only the order of nodes changed (it decides the order new cards come in)."""
    pruned: list[tuple[str, int]] = field(default_factory=list)
    """Retired nodes deleted for good with --prune, with how many answers each had."""

    @property
    def unchanged(self) -> bool:
        return not (
            self.created
            or self.added
            or self.changed
            or self.renamed
            or self.moved
            or self.removed
            or self.restored
            or self.cards_added
            or self.cards_retired
            or self.cards_restored
            or self.pruned
            or self.reordered
            or self.matched_by
        )


@collector_paused()
def import_graph(
    session: Session,
    deck_name: str,
    graph: ConceptGraph,
    source: str,
    now: datetime,
    dry_run: bool = False,
    prune: bool = False,
    limits: dict[str, int] | None = None,
) -> ImportReport:
    """Bring the deck `deck_name` in line with `graph`: add, update, and retire nodes and cards.

    Review history hangs off cards keyed by (node, kind), so it survives every edit; nodes gone
    from the graph are retired, never deleted, unless `prune` asks to delete them with their
    history. Nothing is written when `dry_run` is set. A deck the import creates starts with the
    daily `limits` (`new_per_day`, `reviews_per_day`) given; an existing deck keeps its own.
    """
    conn = session.connection()  # plain rows, no ORM objects: an import reads and writes every node
    if not dry_run:
        serialise(conn, "import")  # what the diff is made against stays as it was read
    # In plain SQL: a lookup made once per process costs less to run than to compile.
    deck = conn.execute(text(f"SELECT id FROM {tables.decks.name} WHERE name = :name"), {"name": deck_name}).first()
    created = deck is None
    stored, stored_ids = _stored_records(session, deck.id) if deck is not None else ({}, {})
    diff = diff_graph(stored, graph)
    report = _report(deck_name, created, graph, stored, diff)

    ids: dict[str, int] = {}
    old_cards: dict[tuple[int, str], tuple[int, int, bool]] = {}
    if deck is not None:
        ids = {new: stored_ids[old] for new, old in diff.matched.items()}
        for card_id, card_node_id, kind, rank, retired in conn.execute(
            select(Card.id, Card.node_id, Card.kind, Card.rank, Card.retired).where(Card.deck_id == deck.id)
        ):
            old_cards[(card_node_id, kind)] = (card_id, rank, retired)

    depths = graph.depths()
    order = graph.parents_first()
    ranks = {key: i for i, key in enumerate(order)}
    wanted_cards = set()
    card_updates = []
    card_inserts = []
    for position, key in enumerate(order):
        node_id = ids.get(key)
        for card_kind in card_kinds(graph, key):
            kind = card_kind._value_  # the plain value: `.value` goes through a descriptor, 100k times over
            rank = position * 2 + KIND_ORDER[kind]
            old = old_cards.get((node_id, kind)) if node_id is not None else None
            if old is None:
                card_inserts.append((key, kind, rank))
                continue
            wanted_cards.add(old[0])
            if old[1] != rank or old[2]:
                card_updates.append({"b_id": old[0], "rank": rank, "retired": False})
                report.cards_restored += old[2]
                report.reordered |= old[1] != rank
    retire_cards = [cid for (cid, _r, retired) in old_cards.values() if cid not in wanted_cards and not retired]
    report.cards_added = len(card_inserts)
    report.cards_retired = len(retire_cards)
    doomed: list[str] = []
    if prune and deck is not None:
        kept = set(diff.matched.values())
        doomed = [k for k in stored if k not in kept]
        answers = (
            dict(
                session.execute(
                    select(Node.key, func.count(Review.id))
                    .join(Card, Card.node_id == Node.id)
                    .join(Review, Review.card_id == Card.id)
                    .where(Node.deck_id == deck.id, Node.key.in_(doomed))
                    .group_by(Node.key)
                ).all()
            )
            if doomed
            else {}
        )
        report.pruned = [(stored[k].concept.label, answers.get(k, 0)) for k in doomed]
    if dry_run or report.unchanged:
        return report

    imported = {"source": source, "root_key": graph.root, "imported_at": now}
    if deck is None:
        deck_id = _new_deck(session, deck_name, {**imported, **(limits or {})})
    else:
        deck_id = deck.id
        conn.execute(update(tables.decks).where(tables.decks.c.id == deck_id).values(**imported))

    _write_nodes(session, deck_id, graph, diff, stored, ids, depths, ranks)
    _write_edges(session, deck_id, graph, ids, replace=not created)
    if card_inserts:
        bulk_insert(
            session,
            Card.__table__,
            ("deck_id", "node_id", "kind", "rank"),
            [(deck_id, ids[key], kind, rank) for key, kind, rank in card_inserts],
        )
    if card_updates:
        conn.execute(
            update(Card.__table__)
            .where(Card.__table__.c.id == bindparam("b_id"))
            .values(rank=bindparam("rank"), retired=bindparam("retired")),
            card_updates,
        )
    if retire_cards:
        session.execute(update(Card).where(Card.id.in_(retire_cards)).values(retired=True))
    if doomed:
        doomed_ids = select(Node.id).where(Node.deck_id == deck_id, Node.key.in_(doomed))
        doomed_cards = select(Card.id).where(Card.node_id.in_(doomed_ids))
        session.execute(delete(Review).where(Review.card_id.in_(doomed_cards)))
        session.execute(delete(Card).where(Card.node_id.in_(doomed_ids)))
        session.execute(delete(Edge).where(or_(Edge.parent_id.in_(doomed_ids), Edge.child_id.in_(doomed_ids))))
        session.execute(delete(Node).where(Node.id.in_(doomed_ids)))
    session.expire_all()
    return report


REBUILD_INDEXES_FROM = 10_000
"""Rows in one bulk insert from which a table's indexes may be dropped and built again after it."""
ROWS_PER_STATEMENT = 100
SQLITE_MAX_PARAMETERS = 999
"""The fewest parameters any SQLite allows in one statement (3.32 and later allow 32766)."""


def bulk_insert(session: Session, table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples of `columns`' values) at once; on SQLite straight through the
    driver, many rows to a statement.

    SQLAlchemy's own executemany spends most of its time building each row's parameters; here
    each column's bind processor (JSON, booleans, dates) is applied once per value instead (once
    in all for an empty value), and columns left out get their scalar defaults, as an ORM insert
    would give them, written into the statement once rather than bound in every row. When the
    rows outnumber those already in the table (a first import of a large deck), the table's own
    indexes are dropped for the insert and built again afterwards: building an index once from
    sorted rows is cheaper than growing it row by row. All of it happens inside the import's
    transaction, so a failure leaves the indexes as they were.
    """
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in columns and c.default is not None and c.default.is_scalar
    }
    names = [*columns, *defaults]

    def processor(name):
        type_ = table.columns[name].type
        # Dates have a processor only in the dialect's own types (SQLite keeps them as text);
        # a decorated type (a checked date) reaches its dialect's through its own.
        if isinstance(type_, (Date, DateTime, TypeDecorator)):
            type_ = type_.dialect_impl(conn.dialect)
        return type_.bind_processor(conn.dialect)

    fill = tuple(v if v is None or processor(k) is None else processor(k)(v) for k, v in defaults.items())
    todo = [(i, p) for i, p in ((i, processor(name)) for i, name in enumerate(columns)) if p is not None]
    given: Iterable[tuple] = rows
    if todo:
        # Column by column: each processor runs down its own column, and no row is copied for it.
        values: list[Sequence] = list(zip(*rows, strict=True))
        for i, process in todo:
            values[i] = _processed(values[i], process)
        given = zip(*values, strict=True)
    row_sql = f"({', '.join(['?'] * len(columns) + [_sql_literal(value) for value in fill])})"
    # Many rows to a statement: the driver binds a batch and SQLite steps once for all of its
    # rows, instead of once a row. Full batches go through one executemany, the rest after.
    per = max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_PARAMETERS // len(columns)))
    flat = list(chain.from_iterable(given))
    count = len(flat) // len(columns)
    width = per * len(columns)
    cut = len(flat) - len(flat) % width
    batches = [tuple(flat[i : i + width]) for i in range(0, cut, width)]
    rebuild: tuple[Index, ...] = ()
    if count >= REBUILD_INDEXES_FROM:
        present = conn.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar_one()
        if present < count:
            rebuild = tuple(table.indexes)
    for index in rebuild:
        index.drop(conn)
    if batches:
        conn.exec_driver_sql(_values_sql(table.name, names, row_sql, per), batches)
    if cut < len(flat):
        conn.exec_driver_sql(_values_sql(table.name, names, row_sql, count - cut // len(columns)), tuple(flat[cut:]))
    for index in rebuild:
        index.create(conn)


def _values_sql(table: str, names: Sequence[str], row_sql: str, rows: int) -> str:
    """An INSERT of `rows` rows, each written as `row_sql`, into the columns `names` of `table`."""
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([row_sql] * rows)}"


def _next_id(session: Session, table) -> int:
    """On SQLite, the id after the highest in `table`: the write lock is ours until the commit,
    so the ids from there on are free for the rows the transaction inserts.

    In plain SQL, like `bulk_insert`'s statement: compiling the query would cost more than
    running it, and an import runs once in a process.
    """
    return (session.connection().exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1


def _new_deck(session: Session, name: str, values: dict[str, Any]) -> int:
    """Insert the deck called `name`, with the other columns' `values`; its id. On SQLite the
    row goes in as its nodes do, through `bulk_insert` with its id given (see `_next_id`)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return conn.execute(insert(tables.decks).values(name=name, **values).returning(tables.decks.c.id)).scalar_one()
    deck_id = _next_id(session, tables.decks)
    bulk_insert(session, tables.decks, ("id", "name", *values), [(deck_id, name, *values.values())])
    return deck_id


def _sql_literal(value) -> str:
    """A column default (None, a number or text, as its bind processor gave it) as SQL."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(int(value) if isinstance(value, bool) else value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for a default of type {type(value).__name__}")


def _processed(values: Sequence, process: Callable[[Any], Any]) -> list:
    """`values` (one column's) through the column's bind processor; None stays None, and an
    empty value ({}, "", 0, False) is converted once for each type it comes in."""
    empties: dict[type, Any] = {}
    out = []
    for value in values:
        if value:
            value = process(value)
        elif value is not None:
            kind = type(value)
            if kind not in empties:
                empties[kind] = process(value)
            value = empties[kind]
        out.append(value)
    return out


_CONCEPT_COLUMNS = (Node.id, Node.key, Node.label, Node.definition, Node.example, Node.notes, Node.mnemonic, Node.color)
"""A node's row id, then what a `Concept` is built from (its other attributes apart)."""


def _stored_records(session: Session, deck_id: int) -> tuple[dict[str, NodeRecord], dict[str, int]]:
    """The deck's stored nodes as the diff needs them, and each one's row id, by key."""
    connection = session.connection()  # plain rows, no ORM objects
    rows = connection.execute(
        select(*_CONCEPT_COLUMNS, Node.attrs, Node.retired).where(Node.deck_id == deck_id).order_by(Node.rank)
    ).all()
    key_of = {row[0]: row[1] for row in rows}
    parents: dict[int, list[str]] = defaultdict(list)
    for parent_id, child_id in connection.execute(
        select(Edge.parent_id, Edge.child_id).where(Edge.deck_id == deck_id, Edge.kind == HIERARCHY).order_by(Edge.id)
    ):
        parents[child_id].append(key_of[parent_id])
    records: dict[str, NodeRecord] = {}
    for node_id, key, label, definition, example, notes, mnemonic, color, attrs, retired in rows:
        concept = Concept(key, label, definition, example, notes, mnemonic, color, attrs or {})
        records[key] = NodeRecord(concept, tuple(parents[node_id]), retired)
    return records, {key: node_id for node_id, key in key_of.items()}


def _report(deck_name, created, graph: ConceptGraph, stored, diff: GraphDiff) -> ImportReport:
    label = graph.label
    report = ImportReport(deck=deck_name, created=created, nodes=len(graph))
    report.added = [label(k) for k in diff.added]
    report.changed = [(label(k), fields) for k, fields in diff.changed.items()]
    report.renamed = [(old, label(k)) for k, old in diff.renamed.items()]
    stored_label = {k: r.concept.label for k, r in stored.items()}
    old_paths = new_paths = None
    for key, old_parents in diff.moved.items():
        before = ", ".join(stored_label.get(p, p) for p in old_parents) or "(top)"
        after = ", ".join(label(p) for p in graph.parents.get(key, ())) or "(top)"
        if before == after:  # parents of one name: their paths tell them apart
            old_paths = old_paths or stored_paths(stored)
            new_paths = new_paths or label_paths(graph)
            before = ", ".join(old_paths.get(p, p) for p in old_parents) or "(top)"
            after = ", ".join(new_paths[p] for p in graph.parents.get(key, ())) or "(top)"
        report.moved.append((label(key), before, after))
    report.removed = [stored[k].concept.label for k in diff.removed]
    report.restored = [label(k) for k in diff.restored]
    report.matched_by = [(label(k), how) for k, how in diff.matched_by.items()]
    return report


_NODE_COLUMNS = (
    "deck_id",
    "key",
    "label",
    "definition",
    "example",
    "notes",
    "mnemonic",
    "color",
    "attrs",
    "depth",
    "rank",
    "retired",
)


def _write_nodes(session, deck_id, graph, diff, stored, ids, depths, ranks) -> None:
    inserts = []
    updates = []
    for key, concept in graph.concepts.items():
        attrs = dict(concept.attrs)
        if key not in ids:
            inserts.append(
                (
                    deck_id,
                    key,
                    concept.label,
                    concept.definition,
                    concept.example,
                    concept.notes,
                    concept.mnemonic,
                    concept.color,
                    attrs,
                    depths[key],
                    ranks[key],
                    False,
                )
            )
            continue
        record = stored[diff.matched[key]]
        updates.append(
            {
                "b_id": ids[key],
                "key": key,
                "label": concept.label,
                "definition": concept.definition,
                "example": concept.example,
                # A note written by the learner is never overwritten by an empty attribute of the file.
                "notes": concept.notes or record.concept.notes,
                "mnemonic": concept.mnemonic or record.concept.mnemonic,
                "color": concept.color,
                "attrs": attrs,
                "depth": depths[key],
                "rank": ranks[key],
                "retired": False,
            }
        )
    if inserts:
        if session.connection().dialect.name == "sqlite":
            start = _next_id(session, tables.nodes)  # saves reading every new node back for its id
            with_ids = [(start + i, *row) for i, row in enumerate(inserts)]
            bulk_insert(session, Node.__table__, ("id", *_NODE_COLUMNS), with_ids)
            ids.update((row[2], row[0]) for row in with_ids)
        else:
            bulk_insert(session, Node.__table__, _NODE_COLUMNS, inserts)
            ids.update(session.execute(select(Node.key, Node.id).where(Node.deck_id == deck_id)).all())
    if updates:
        table = Node.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({k: bindparam(k) for k in updates[0] if k != "b_id"}),
            updates,
        )
    if diff.removed:
        session.execute(update(Node).where(Node.deck_id == deck_id, Node.key.in_(diff.removed)).values(retired=True))


def _write_edges(session, deck_id: int, graph: ConceptGraph, ids: dict[str, int], replace: bool = True) -> None:
    """Write the graph's edges, in place of the deck's stored ones when `replace` is set (a
    deck made by this import has none to delete)."""
    if replace:
        session.execute(delete(Edge).where(Edge.deck_id == deck_id))
    position = {(p, c): i for p, children in graph.children.items() for i, c in enumerate(children)}
    rows = []
    # Child by child, parents in the file's order: a node's first edge names its first parent.
    for child, parents in graph.parents.items():
        for parent in parents:
            rows.append((deck_id, ids[parent], ids[child], HIERARCHY, position[(parent, child)]))
    for source, target, kind in graph.links:
        rows.append((deck_id, ids[source], ids[target], kind or "link", 0))
    bulk_insert(session, Edge.__table__, ("deck_id", "parent_id", "child_id", "kind", "position"), rows)


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


def load_graph(session: Session, deck: Deck, include_links: bool = True, include_attrs: bool = True) -> ConceptGraph:
    """The deck's live graph, whole, in two queries: for exports that show every node.

    Without `include_links` the graph holds the hierarchy alone; without `include_attrs` its
    concepts leave out the file's other attributes (which cost a JSON decoding per node).
    """
    # Plain rows through the session's connection: no ORM objects to build for every node.
    connection = session.connection()
    columns: list[InstrumentedAttribute[Any]] = list(_CONCEPT_COLUMNS)
    if include_attrs:
        columns.append(Node.attrs)
    concepts: dict[str, Concept] = {}
    key_of: dict[int, str] = {}
    for node_id, key, label, definition, example, notes, mnemonic, color, *attrs in connection.execute(
        select(*columns).where(Node.deck_id == deck.id, Node.retired.is_(False)).order_by(Node.rank)
    ):
        key_of[node_id] = key
        other = (attrs[0] or {}) if include_attrs else {}
        concepts[key] = Concept(key, label, definition, example, notes, mnemonic, color, other)
    children: dict[str, list[str]] = {key: [] for key in concepts}
    parents: dict[str, list[str]] = {key: [] for key in concepts}
    links: list[tuple[str, str, str]] = []
    positions: dict[tuple[str, str], int] = {}
    for parent_id, child_id, kind, position in connection.execute(
        select(Edge.parent_id, Edge.child_id, Edge.kind, Edge.position).where(Edge.deck_id == deck.id).order_by(Edge.id)
    ):
        parent, child = key_of.get(parent_id), key_of.get(child_id)
        if parent is None or child is None:
            continue
        if kind == HIERARCHY:
            parents[child].append(parent)
            children[parent].append(child)
            positions[(parent, child)] = position
        elif include_links:
            links.append((parent, child, kind))
    for parent, kids in children.items():
        if len(kids) > 1:
            kids.sort(key=lambda c: positions[(parent, c)])
    return ConceptGraph(root=deck.root_key, concepts=concepts, children=children, parents=parents, links=links)


def cards_of(session: Session, node: Node, include_retired: bool = False) -> list[Card]:
    where = [Card.node_id == node.id]
    if not include_retired:
        where.append(Card.retired.is_(False))
    return list(session.scalars(select(Card).where(*where).order_by(Card.rank)))


def last_answers(session: Session, card: Card, limit: int = 5) -> list[Review]:
    return list(
        session.scalars(select(Review).where(Review.card_id == card.id).order_by(Review.id.desc()).limit(limit))
    )


@dataclass
class BranchCounts:
    """Per node of the tree: counts over the node and everything below it."""

    due: int = 0
    new: int = 0
    learned: int = 0
    """Cards that have been reviewed at least once."""
    cards: int = 0
    nodes: int = 0
    """Live nodes in the branch, itself included."""
    mastery_sum: float = 0.0
    """The sum over those nodes of each node's own mastery."""
    own_mastery: float = 0.0
    """The node's own mastery: the mean over its cards (see `srs.core.mastery`)."""

    @property
    def mastery(self) -> float:
        """The branch's mastery: the mean over its nodes of their own mastery."""
        return self.mastery_sum / self.nodes if self.nodes else 0.0


@dataclass
class TreeNode:
    id: int
    key: str
    label: str
    color: str | None
    children: list[int]
    counts: BranchCounts


def _roll_up(nodes: dict[int, TreeNode]) -> None:
    """Turn each node's own counts into its branch's, counting every node below it once.

    Where a node's branch holds no shared node (one with two parents), its children's branches
    are apart and their totals add up, bottom-up. A node above a shared one walks its branch
    instead, counting each node once and taking the total of each apart branch it reaches whole.
    """
    first_parent: dict[int, int] = {}
    more_parents: dict[int, list[int]] = {}  # of the shared nodes only: most decks have none
    for nid, node in nodes.items():
        for child in node.children:
            parent = first_parent.setdefault(child, nid)
            if parent != nid and nid not in more_parents.setdefault(child, []):
                more_parents[child].append(nid)
    above_shared: set[int] = set()
    todo = list(more_parents)
    while todo:
        below = todo.pop()
        for parent in (first_parent.get(below), *more_parents.get(below, ())):
            if parent is not None and parent not in above_shared:
                above_shared.add(parent)
                todo.append(parent)
    for nid in _children_first(nodes):
        node = nodes[nid]
        if node.children and nid not in above_shared:
            total = node.counts
            for child in node.children:
                _add(total, nodes[child].counts)
    own = {nid: replace(nodes[nid].counts) for nid in above_shared}
    for nid in above_shared:
        total = replace(own[nid])
        seen = {nid}
        todo = list(nodes[nid].children)
        while todo:
            below = todo.pop()
            if below not in seen:
                seen.add(below)
                _add(total, own.get(below, nodes[below].counts))
                if below in above_shared:
                    todo.extend(nodes[below].children)
        nodes[nid].counts = total


def _children_first(nodes: dict[int, TreeNode]) -> list[int]:
    """The node ids, each after all its children: the reverse of rank order where that has
    parents first (every deck imported since ranks became topological), else a post-order walk."""
    place = {nid: i for i, nid in enumerate(nodes)}
    if all(place[child] > i for i, node in enumerate(nodes.values()) for child in node.children):
        return list(reversed(place))
    order: list[int] = []
    entered: set[int] = set()
    for start in nodes:
        if start in entered:
            continue
        entered.add(start)
        stack = [(start, iter(nodes[start].children))]
        while stack:
            nid, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(nid)
            elif child not in entered:  # `entered` also ends a loop, which an import never makes
                entered.add(child)
                stack.append((child, iter(nodes[child].children)))
    return order


def _add(total: BranchCounts, part: BranchCounts) -> None:
    total.due += part.due
    total.new += part.new
    total.learned += part.learned
    total.cards += part.cards
    total.nodes += part.nodes
    total.mastery_sum += part.mastery_sum


@collector_paused()
def deck_tree(session: Session, deck: Deck, today: date) -> tuple[int | None, dict[int, TreeNode]]:
    """The live hierarchy of a deck with due / new / learned counts rolled up each branch.

    A node with two parents shows under both, and counts once in any branch above it. A
    branch's due cards are those a session on it would bring today before new ones: cards due
    today or overdue, and cards answered below 4 earlier today (they come back the same day).
    Two queries, whatever the deck's size: one for nodes with their card counts, one for edges.
    """
    connection = session.connection()  # plain rows: no ORM objects for a whole deck's nodes
    rows = connection.execute(
        select(
            Node.id,
            Node.key,
            Node.label,
            Node.color,
            func.count(Card.id).filter(and_(asked_today(today), Card.suspended.is_(False))),
            func.count(Card.id).filter(and_(is_new(), Card.suspended.is_(False))),
            func.count(Card.id).filter(Card.reviews > 0),
            func.count(Card.id),
            func.coalesce(func.sum(mastery_sql()), 0.0),
        )
        .outerjoin(Card, and_(Card.node_id == Node.id, Card.retired.is_(False)))
        .where(Node.deck_id == deck.id, Node.retired.is_(False))
        .group_by(Node.id)
        .order_by(Node.rank)
    ).all()
    nodes: dict[int, TreeNode] = {}
    root = None
    for node_id, key, label, color, due, new, learned, cards, mastery in rows:
        own_mastery = float(mastery) / cards if cards else 0.0
        own = BranchCounts(due, new, learned, cards, 1, own_mastery, own_mastery)
        nodes[node_id] = TreeNode(node_id, key, label, color, [], own)
        if key == deck.root_key:
            root = node_id
    for parent_id, child_id in connection.execute(
        select(Edge.parent_id, Edge.child_id)
        .where(Edge.deck_id == deck.id, Edge.kind == HIERARCHY)
        .order_by(Edge.parent_id, Edge.position)
    ):
        if parent_id in nodes and child_id in nodes:
            nodes[parent_id].children.append(child_id)
    _roll_up(nodes)
    return root, nodes


@dataclass(frozen=True)
class DeckSummary:
    name: str
    nodes: int
    retired_nodes: int
    cards: int
    due: int
    new: int
    reviewed_today: int


def deck_summaries(session: Session, today: date) -> list[DeckSummary]:
    """Every deck with its node, card, due and new counts."""
    out = []
    for deck in session.scalars(select(Deck).order_by(Deck.name)):
        live, retired = session.execute(
            select(func.count().filter(Node.retired.is_(False)), func.count().filter(Node.retired.is_(True))).where(
                Node.deck_id == deck.id
            )
        ).one()
        cards = session.execute(
            select(func.count()).where(Card.deck_id == deck.id, Card.retired.is_(False))
        ).scalar_one()
        counts = day_counts(session, deck, today)
        out.append(
            DeckSummary(deck.name, live, retired, cards, counts.due, counts.new, counts.reviewed + counts.introduced)
        )
    return out


def retired_nodes(session: Session, deck: Deck) -> list[Node]:
    return list(
        session.scalars(select(Node).where(Node.deck_id == deck.id, Node.retired.is_(True)).order_by(Node.label))
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

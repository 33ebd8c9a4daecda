"""Importing a graph into a deck: the diff against what is stored, then the nodes, edges and
cards written in a few multi-row statements.

Core statements on `srs.storage.tables`; `import_graph` takes `conn` (a Connection) and leaves the
transaction to its caller, so an import is all or nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.sql.schema import ScalarElementColumnDefault
from sqlalchemy.types import TypeDecorator

from srs.bulk import collector_paused
from srs.core.cards import card_kinds
from srs.core.diff import GraphDiff, NodeRecord, Removal, diff_graph, label_paths, stored_paths
from srs.core.edits import Conflict, reconcile
from srs.core.graph import Concept, ConceptGraph
from srs.errors import ConfirmationNeeded
from srs.storage import edits, learner_notes, learners
from srs.storage.db import serialise
from srs.storage.decks import concept_columns
from srs.storage.scope import HIERARCHY, learners_answers
from srs.storage.tables import cards, decks, edges, nodes, reviews

KIND_ORDER = {"definition": 0, "placement": 0, "children": 1}
"""A node's cards in the order new cards come: what it is before what it is made of."""


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
    cards_deleted: int = 0
    """Cards of the pruned nodes, deleted with them (not counted as retired)."""
    merged: list[tuple[str, str]] = field(default_factory=list)
    """(label, field): fields the learner edited that the file now says too (`srs.core.edits`)."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Fields the learner edited and the file changed too: the learner's text kept, or with
    `theirs` the file's taken."""
    same_keys_as: str | None = None
    """For a new deck: another deck whose node ids the graph's are (see `deck_with_keys`)."""
    lint_errors: int = 0
    """Errors the linter found in the graph imported (`srs.core.lint`)."""
    lint_warnings: int = 0
    """Warnings the linter found in it."""
    linted: bool = True
    """Whether the graph was linted: a large map is linted only when asked (`srs.core.lint.UNASKED_UP_TO`)."""

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
            or self.cards_deleted
            or self.pruned
            or self.reordered
            or self.matched_by
            or self.merged
            or self.conflicts
        )


# bench_core, 100k nodes: import 3.2 s with the collector paused, 3.5 s with it running (see srs.bulk).
@collector_paused()
def import_graph(
    conn: Connection,
    deck_name: str,
    graph: ConceptGraph,
    source: str,
    now: datetime,
    dry_run: bool = False,
    prune: bool = False,
    limits: dict[str, int] | None = None,
    yes: bool = False,
    agreed: Removal | None = None,
    theirs: bool = False,
    learner: int | None = None,
) -> ImportReport:
    """Bring the deck `deck_name` in line with `graph`: add, update, and retire nodes and cards.

    Review history hangs off cards keyed by (node, kind), so it survives every edit; nodes gone
    from the graph are retired, never deleted, unless `prune` asks to delete them with their
    history. Nothing is written when `dry_run` is set. A deck the import creates starts with the
    daily `limits` (`new_per_day`, `reviews_per_day`) given; an existing deck keeps its own.

    An import that would delete nodes, or retire more than half of the deck's live nodes, raises
    `ConfirmationNeeded` before writing anything, unless `yes` is set or the learner already
    `agreed` to a removal at least as large (`Removal.confirmed_by`).

    A field the learner edited keeps the learner's text unless the file changed it too, a
    conflict reported in `conflicts`; with `theirs` a conflict takes the file's text
    (`srs.core.edits.reconcile`). The importing `learner`'s own notes and mnemonics are weighed
    so too; every other learner's stay as they are.
    """
    if not dry_run:
        serialise(conn, "import")  # what the diff is made against stays as it was read
    # In plain SQL, as `_next_id`: an import runs once in a process, each statement compiled once.
    deck = conn.execute(text(f"SELECT id FROM {decks.name} WHERE name = :name"), {"name": deck_name}).first()
    created = deck is None
    stored, stored_ids = _stored_records(conn, deck.id) if deck is not None else ({}, {})
    diff = diff_graph(stored, graph)
    deck_edits = edits.deck_edits(conn, deck.id) if deck is not None else {}
    own = learner_notes.deck_own_texts(conn, learner, deck.id) if deck is not None and learner is not None else {}
    plan = reconcile(stored, graph, diff, deck_edits, theirs, own)
    report = _report(deck_name, created, graph, stored, diff)
    report.merged = [(graph.label(key), name) for key, name in plan.merged]
    report.conflicts = plan.conflicts

    ids: dict[str, int] = {}
    old_cards: dict[tuple[int, str], tuple[int, int, bool]] = {}
    # The cards are worked out for one learner's set, and every other learner's made like it.
    template = learners.first_learner(conn, deck.id if deck is not None else None, make=not dry_run)
    if deck is not None:
        ids = {new: stored_ids[old] for new, old in diff.matched.items()}
        for card_id, card_node_id, kind, rank, retired in conn.execute(
            # A card about a pair of nodes is not one of a node's own cards the graph gives.
            select(cards.c.id, cards.c.node_id, cards.c.kind, cards.c.rank, cards.c.retired).where(
                cards.c.deck_id == deck.id, cards.c.learner_id == template, cards.c.partner_id.is_(None)
            )
        ):
            old_cards[(card_node_id, kind)] = (card_id, rank, retired)

    order = graph.parents_first()
    wanted_cards = set()
    card_updates = []
    card_inserts = []
    for position, key in enumerate(order):
        node_id = ids.get(key)
        for card_kind in card_kinds(graph, key):
            kind = card_kind.value
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
    doomed: list[str] = []
    if prune and deck is not None:
        kept = set(diff.matched.values())
        doomed = [k for k in stored if k not in kept]
        answers = _answers_by_node(conn, deck.id, doomed) if doomed else {}
        report.pruned = [(stored[k].concept.label, answers.get(k, 0)) for k in doomed]
        # A pruned node's cards go with it: deleted, not retired.
        doomed_ids = {stored_ids[k] for k in doomed}
        deleted_cards = {cid for (node_id, _kind), (cid, _r, _ret) in old_cards.items() if node_id in doomed_ids}
        report.cards_deleted = len(deleted_cards)
        retire_cards = [cid for cid in retire_cards if cid not in deleted_cards]
    report.cards_added = len(card_inserts)
    report.cards_retired = len(retire_cards)
    if not dry_run and not yes:
        _check_removal(report, stored, diff, prune, agreed)
    unchanged = report.unchanged and not _relations_stale(conn, deck, graph, ids)
    if dry_run or (unchanged and not _links_stale(conn, deck, graph, ids)):
        return report

    imported = {"source": source, "root_key": graph.root, "imported_at": now}
    if deck is None:
        deck_id = _new_deck(conn, deck_name, {**imported, **(limits or {})})
    else:
        deck_id = deck.id
        conn.execute(update(decks).where(decks.c.id == deck_id).values(**imported))

    ranks = {key: i for i, key in enumerate(order)}
    _write_nodes(conn, deck_id, graph, diff, stored, ids, graph.depths(), ranks, plan.kept)
    edits.settle_import(conn, stored_ids, plan.seen, plan.dropped)
    for key, name in plan.own_dropped:
        assert learner is not None
        learner_notes.drop(conn, learner, stored_ids[key], [name])
    _write_edges(conn, deck_id, graph, ids, replace=not created)
    assert template is not None
    bulk_insert(
        conn,
        cards,
        ("deck_id", "node_id", "kind", "rank", "learner_id"),
        [(deck_id, ids[key], kind, rank, template) for key, kind, rank in card_inserts],
    )
    if card_updates:
        conn.execute(
            update(cards).where(cards.c.id == bindparam("b_id")).values(rank=bindparam("rank"), retired=False),
            card_updates,
        )
    if retire_cards:
        conn.execute(update(cards).where(cards.c.id.in_(retire_cards)).values(retired=True))
    if doomed:
        _delete_nodes(conn, deck_id, doomed)
    learners.mirror_cards(conn, deck_id, template)
    return report


def _relations_stale(conn: Connection, deck, graph: ConceptGraph, ids: dict[str, int]) -> bool:
    """Whether the words the file gives its hierarchy edges (`is-a`, ...) differ from the stored
    ones. Such a change alone is written without a word in the report: the edges stored before
    schema 5 have none, and the learner changed nothing by re-importing their file."""
    if deck is None:
        return False
    stored = {
        (parent_id, child_id): relation
        for parent_id, child_id, relation in conn.execute(
            select(edges.c.parent_id, edges.c.child_id, edges.c.relation).where(
                edges.c.deck_id == deck.id, edges.c.kind == HIERARCHY, edges.c.relation != ""
            )
        )
    }
    wanted = {(ids[p], ids[c]): word for (p, c), word in graph.relations.items() if p in ids and c in ids}
    return stored != wanted


def _links_stale(conn: Connection, deck, graph: ConceptGraph, ids: dict[str, int]) -> bool:
    """Whether the file's links outside the hierarchy differ from the stored ones: a link added,
    gone or renamed alone is written too (a relation card follows it)."""
    if deck is None:
        return False
    stored = Counter(
        tuple(row)
        for row in conn.execute(
            select(edges.c.parent_id, edges.c.child_id, edges.c.kind).where(
                edges.c.deck_id == deck.id, edges.c.kind != HIERARCHY
            )
        )
    )
    wanted = Counter((ids.get(s), ids.get(t), kind or "link") for s, t, kind in graph.links)
    return stored != wanted


def _check_removal(report: ImportReport, stored, diff: GraphDiff, prune: bool, agreed: Removal | None) -> None:
    """Raise `ConfirmationNeeded` for a removal the learner has to say yes to first."""
    live = sum(not record.retired for record in stored.values())
    removal = Removal(live, 0 if prune else len(diff.removed), len(report.pruned))
    if removal.confirmed_by(agreed):
        return
    deck = report.deck
    if removal.deleted:
        answers = sum(count for _label, count in report.pruned)
        their = "its" if removal.deleted == 1 else "their"
        history = f"with {_count(answers, 'answer')} in {their} history"
        what = f"{_count(removal.deleted, 'node')} of {deck!r} for good, {history}"
        labels = [label for label, _answers in report.pruned]
        question = f"Delete {what}?"
        would = f"would delete {what}"
    else:
        question = f"Retire {removal.retired} of {_count(removal.live, 'node')} of {deck!r}?"
        labels = report.removed
        would = f"would retire {removal.retired} of {_count(removal.live, 'node')} of {deck!r}"
    shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
    raise ConfirmationNeeded(f"this import {would} ({shown}); add --yes to go ahead", question, removal)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _next_id(conn: Connection, table: Table) -> int:
    """On SQLite, the id after the highest in `table`: the write lock is ours until the commit,
    so the ids from there on are free for the rows the transaction inserts."""
    # bench_core, 1k nodes: compiled on Core, this, the deck's lookup and its insert cost 1.2 ms of 20.
    return (conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1


def _new_deck(conn: Connection, name: str, values: dict[str, Any]) -> int:
    """Insert the deck called `name`, with the other columns' `values`; its id. On SQLite the row
    goes in as its nodes do, through `bulk_insert` with its id given (see `_next_id`)."""
    if conn.dialect.name != "sqlite":
        return conn.execute(insert(decks).values(name=name, **values).returning(decks.c.id)).scalar_one()
    deck_id = _next_id(conn, decks)
    bulk_insert(conn, decks, ("id", "name", *values), [(deck_id, name, *values.values())])
    return deck_id


def _answers_by_node(conn: Connection, deck_id: int, keys: list[str]) -> dict[str, int]:
    """How many answers (the learner's) the cards of each of the nodes `keys` have in their history."""
    return dict(
        conn.execute(
            select(nodes.c.key, func.count(reviews.c.id))
            .join(cards, cards.c.node_id == nodes.c.id)
            .join(reviews, reviews.c.card_id == cards.c.id)
            .where(nodes.c.deck_id == deck_id, nodes.c.key.in_(keys), learners_answers())
            .group_by(nodes.c.key)
        ).all()
    )


def _delete_nodes(conn: Connection, deck_id: int, keys: list[str]) -> None:
    """Delete the nodes `keys` for good, with their cards, answers and edges."""
    doomed_ids = select(nodes.c.id).where(nodes.c.deck_id == deck_id, nodes.c.key.in_(keys))
    # A card about a pair goes with either of its nodes.
    of_doomed = or_(cards.c.node_id.in_(doomed_ids), cards.c.partner_id.in_(doomed_ids))
    doomed_cards = select(cards.c.id).where(of_doomed)
    conn.execute(delete(reviews).where(reviews.c.card_id.in_(doomed_cards)))
    conn.execute(delete(cards).where(of_doomed))
    conn.execute(delete(edges).where(or_(edges.c.parent_id.in_(doomed_ids), edges.c.child_id.in_(doomed_ids))))
    conn.execute(delete(nodes).where(nodes.c.id.in_(doomed_ids)))


KEYS_COMPARED = 500
"""How many of a graph's node ids `deck_with_keys` looks for in the other decks."""


def deck_with_keys(conn: Connection, graph: ConceptGraph, other_than: str) -> str | None:
    """The deck (other than `other_than`) holding most of the graph's node ids, where one holds
    more than half of them (of the first `KEYS_COMPARED`, the root's first): None where none does."""
    keys = list(graph.parents_first()[:KEYS_COMPARED])
    found = conn.execute(
        select(decks.c.name, func.count(nodes.c.id))
        .join(nodes, nodes.c.deck_id == decks.c.id)
        .where(nodes.c.key.in_(keys), decks.c.name != other_than)
        .group_by(decks.c.name)
        .order_by(func.count(nodes.c.id).desc(), decks.c.name)
        .limit(1)
    ).first()
    return found[0] if found is not None and 2 * found[1] > len(keys) else None


# -- many rows at once ------------------------------------------------------------------------

ROWS_PER_STATEMENT = 100
SQLITE_MAX_PARAMETERS = 999
"""The fewest parameters any SQLite allows in one statement (3.32 and later allow 32766)."""


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples of `columns`' values) at once; on SQLite straight through the
    driver, many rows to a statement.

    Each value goes through its column's bind processor (JSON, booleans, dates) as SQLAlchemy
    would send it, and columns left out get their scalar defaults, as an insert through
    SQLAlchemy would give them, written into the statement once rather than bound in every row.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in columns and isinstance(c.default, ScalarElementColumnDefault)
    }
    names = [*columns, *defaults]
    given: Iterable[tuple] = rows
    todo = [(i, p) for i, p in ((i, _bind_processor(conn, table, name)) for i, name in enumerate(columns)) if p]
    if todo:
        # Column by column, and only where a column has a processor: most rows go through as they
        # are (bench_core import, 100k nodes: 3.7 s, against 4.4 s transposing every table's rows).
        values: list[Sequence] = list(zip(*rows, strict=True))
        for i, process in todo:
            values[i] = _processed(values[i], process)
        given = zip(*values, strict=True)
    # The defaults written in (bench_core import: 22 ms at 1k nodes, 27 ms bound in every row).
    fill = []
    for name, value in defaults.items():
        process = _bind_processor(conn, table, name)
        fill.append(_sql_literal(value if value is None or process is None else process(value)))
    row_sql = f"({', '.join(['?'] * len(columns) + fill)})"
    # Many rows to a statement (bench_core import: 19 ms at 1k nodes, 23 ms a row at a time; 232/275 ms at 10k).
    per = max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_PARAMETERS // len(columns)))
    flat = list(chain.from_iterable(given))
    width = per * len(columns)
    cut = len(flat) - len(flat) % width
    if cut:
        batches = [tuple(flat[i : i + width]) for i in range(0, cut, width)]
        conn.exec_driver_sql(_values_sql(table.name, names, row_sql, per), batches)
    if cut < len(flat):
        rest = (len(flat) - cut) // len(columns)
        conn.exec_driver_sql(_values_sql(table.name, names, row_sql, rest), tuple(flat[cut:]))


def _bind_processor(conn: Connection, table: Table, name: str) -> Any:
    type_ = table.columns[name].type
    # Dates have a processor only in the dialect's own types (SQLite keeps them as text);
    # a decorated type (a checked date) reaches its dialect's through its own.
    if isinstance(type_, (Date, DateTime, TypeDecorator)):
        type_ = type_.dialect_impl(conn.dialect)
    return type_.bind_processor(conn.dialect)


def _processed(values: Sequence, process: Callable[[Any], Any]) -> list:
    """`values` (one column's) through the column's bind processor; None stays None, and an
    empty value ({}, "", 0, False) is converted once for each type it comes in."""
    # bench_core import: 19 ms at 1k nodes, 22 ms converting every {} and False anew; 232/282 ms at 10k.
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


def _sql_literal(value) -> str:
    """A column default (None, a number or text, as its bind processor gave it) as SQL."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(int(value) if isinstance(value, bool) else value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for a default of type {type(value).__name__}")


def _values_sql(table: str, names: Sequence[str], row_sql: str, rows: int) -> str:
    """An INSERT of `rows` rows, each written as `row_sql`, into the columns `names` of `table`."""
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([row_sql] * rows)}"


# -- what is stored, and what changes -----------------------------------------------------------


def _stored_records(conn: Connection, deck_id: int) -> tuple[dict[str, NodeRecord], dict[str, int]]:
    """The deck's stored nodes as the diff needs them, and each one's row id, by key."""
    rows = conn.execute(
        select(*concept_columns(None), nodes.c.attrs, nodes.c.retired)
        .where(nodes.c.deck_id == deck_id)
        .order_by(nodes.c.rank)
    ).all()
    key_of = {row[0]: row[1] for row in rows}
    parents: dict[int, list[str]] = defaultdict(list)
    for parent_id, child_id in conn.execute(
        select(edges.c.parent_id, edges.c.child_id)
        .where(edges.c.deck_id == deck_id, edges.c.kind == HIERARCHY)
        .order_by(edges.c.id)
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


# -- writing nodes and edges --------------------------------------------------------------------

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


def _write_nodes(conn: Connection, deck_id, graph, diff, stored, ids, depths, ranks, kept) -> None:
    """Insert the graph's new nodes (their row ids go into `ids`), update the matched ones (but
    the learner's texts `kept`, by key and field) and retire those gone from the graph."""
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
                # The deck's notes are never cleared by a file that says nothing of them.
                "notes": concept.notes or record.concept.notes,
                "mnemonic": concept.mnemonic or record.concept.mnemonic,
                "color": concept.color,
                "attrs": attrs,
                "depth": depths[key],
                "rank": ranks[key],
                "retired": False,
                **kept.get(key, {}),
            }
        )
    if inserts and conn.dialect.name == "sqlite":
        # Ids given, not read back (bench_core import: 19 ms at 1k nodes, 22 ms reading back; 232/245 ms at 10k).
        start = _next_id(conn, nodes)
        with_ids = [(start + i, *row) for i, row in enumerate(inserts)]
        bulk_insert(conn, nodes, ("id", *_NODE_COLUMNS), with_ids)
        ids.update((row[2], row[0]) for row in with_ids)
    elif inserts:
        bulk_insert(conn, nodes, _NODE_COLUMNS, inserts)
        new_keys = {row[1] for row in inserts}
        ids.update(
            (key, node_id)
            for key, node_id in conn.execute(select(nodes.c.key, nodes.c.id).where(nodes.c.deck_id == deck_id))
            if key in new_keys
        )
    if updates:
        conn.execute(
            update(nodes)
            .where(nodes.c.id == bindparam("b_id"))
            .values({k: bindparam(k) for k in updates[0] if k != "b_id"}),
            updates,
        )
    if diff.removed:
        conn.execute(
            update(nodes).where(nodes.c.deck_id == deck_id, nodes.c.key.in_(diff.removed)).values(retired=True)
        )


def _write_edges(conn: Connection, deck_id: int, graph: ConceptGraph, ids: dict[str, int], replace: bool) -> None:
    """Write the graph's edges, in place of the deck's stored ones when `replace` is set (a
    deck made by this import has none to delete)."""
    if replace:
        conn.execute(delete(edges).where(edges.c.deck_id == deck_id))
    position = {(p, c): i for p, children in graph.children.items() for i, c in enumerate(children)}
    relations = graph.relations
    rows = []
    # Child by child, parents in the file's order: a node's first edge names its first parent.
    for child, parents in graph.parents.items():
        for parent in parents:
            relation = relations.get((parent, child), "")
            rows.append((deck_id, ids[parent], ids[child], HIERARCHY, position[(parent, child)], relation))
    for source, target, kind in graph.links:
        rows.append((deck_id, ids[source], ids[target], kind or "link", 0, ""))
    bulk_insert(conn, edges, ("deck_id", "parent_id", "child_id", "kind", "position", "relation"), rows)

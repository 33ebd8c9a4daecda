"""Opening the database: where it lives, the engine, schema versions, and its errors in words.

Nothing happens at import time; `open_engine` does the work when a command needs it.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from srs.errors import StorageError
from srs.storage.tables import DEVICE_KEY, StoredValueError, _Checked, meta, metadata

APP_NAME = "srs"
DB_FILE_NAME = "srs.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

SCHEMA_VERSION = 11
"""The schema this program writes. Raise it with every change to the tables, with a step below."""

Migration = Callable[[Connection], None]


def _due_index_in_queue_order(conn: Connection) -> None:
    """Schema 2: the due-card index in queue order (due day, then rank) and covering the queue's
    filters, so a session's first due cards come off it without sorting every due card."""
    conn.exec_driver_sql("DROP INDEX ix_cards_due")
    conn.exec_driver_sql("CREATE INDEX ix_cards_due ON cards (deck_id, due, rank, suspended, retired, reviews)")


def _answered_cards_only_in_day_indexes(conn: Connection) -> None:
    """Schema 3: the due-day and answer-day indexes hold only cards that have such a day, so new
    cards (most of every import) stay out of them; the new-card index, which now serves counts
    of a deck's cards, also covers `retired`."""
    conn.exec_driver_sql("DROP INDEX ix_cards_new")
    conn.exec_driver_sql("CREATE INDEX ix_cards_new ON cards (deck_id, suspended, reviews, rank, retired)")
    conn.exec_driver_sql("DROP INDEX ix_cards_due")
    conn.exec_driver_sql(
        "CREATE INDEX ix_cards_due ON cards (deck_id, due, rank, suspended, retired, reviews) WHERE due IS NOT NULL"
    )
    conn.exec_driver_sql("DROP INDEX ix_cards_last_day")
    conn.exec_driver_sql("CREATE INDEX ix_cards_last_day ON cards (deck_id, last_day) WHERE last_day IS NOT NULL")


def _path_keys_made_short(conn: Connection) -> None:
    """Schema 4: a node keyed by its label path (a deck without ids) is keyed by the path's digest
    (`srs.core.graph.path_key`), short at any depth, instead of the path itself.

    Such a deck is recognised by its keys: every node below the root is keyed by its first
    parent's key, a slash and its label (a tree with ids keys its id-less nodes so too), and the
    root by its label, unless it has an id. Those keys become the digests of themselves; so do
    the deck's retired nodes', when the root's did (they were its label paths when retired).
    Cards and answers hang off node ids, so every history stays where it was.
    """
    # Imported here: no other step needs them, and opening a database at the head version runs none.
    from sqlalchemy import bindparam, text, update

    from srs.core.graph import path_key
    from srs.storage.tables import decks, nodes

    rows = conn.execute(
        text(
            "SELECT n.deck_id, n.id, n.key, n.label, n.retired, p.key FROM nodes n"
            " LEFT JOIN edges e ON e.id ="
            " (SELECT min(f.id) FROM edges f WHERE f.child_id = n.id AND f.kind = 'hierarchy')"
            " LEFT JOIN nodes p ON p.id = e.parent_id"
        )
    )
    by_deck: dict[int, dict] = {}
    for deck_id, node_id, key, label, retired, parent_key in rows:
        deck = by_deck.setdefault(deck_id, {"path_keyed": True, "below": [], "roots": [], "retired": []})
        if retired:
            deck["retired"].append((node_id, path_key(key)))
        elif parent_key is None:
            deck["roots"].append((node_id, key, label))
        elif not deck["path_keyed"]:
            continue
        elif key == f"{parent_key}/{label}":
            deck["below"].append((node_id, path_key(key)))
        else:
            deck["path_keyed"] = False
            deck["below"] = []
    new_keys = []
    for deck_id, deck in by_deck.items():
        if not deck["path_keyed"]:
            continue
        new_keys.extend(deck["below"])
        roots = [(node_id, key) for node_id, key, label in deck["roots"] if key == label]
        if roots:
            new_keys.extend((node_id, path_key(key)) for node_id, key in roots)
            new_keys.extend(deck["retired"])
            for _node_id, key in roots:
                conn.execute(
                    update(decks).where(decks.c.id == deck_id, decks.c.root_key == key).values(root_key=path_key(key))
                )
    if new_keys:
        conn.execute(
            update(nodes).where(nodes.c.id == bindparam("b_id")).values(key=bindparam("b_key")),
            [{"b_id": node_id, "b_key": key} for node_id, key in new_keys],
        )


def _burying_cramming_and_edits(conn: Connection) -> None:
    """Schema 5: a card can be buried for a day (`cards.buried_on`); answers given while
    cramming have a table of their own (`cram_answers`); the fields of a node the learner
    edited are remembered with what the file said (`node_edits`); and a hierarchy edge keeps
    the file's word for it (`edges.relation`, empty for the edges stored before)."""
    from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

    from srs.storage.tables import Day, Moment, Number

    conn.exec_driver_sql("ALTER TABLE cards ADD COLUMN buried_on DATE")
    conn.exec_driver_sql("ALTER TABLE edges ADD COLUMN relation VARCHAR(100) DEFAULT '' NOT NULL")
    # The two tables as this step made them, written out here: later steps change them in turn.
    step = MetaData()
    Table("decks", step, Column("id", Integer, primary_key=True))
    Table("cards", step, Column("id", Integer, primary_key=True))
    Table("nodes", step, Column("id", Integer, primary_key=True))

    def parent(name: str, table: str) -> Column:
        return Column(name, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)

    cram = Table(
        "cram_answers",
        step,
        Column("id", Integer, primary_key=True),
        parent("deck_id", "decks"),
        parent("card_id", "cards"),
        Column("at", Moment(timezone=True), nullable=False),
        Column("day", Day, nullable=False),
        Column("grade", Number, nullable=False),
        Column("duration_ms", Number, nullable=False),
        Index("ix_cram_answers_card", "card_id"),
        Index("ix_cram_answers_deck_day", "deck_id", "day"),
    )
    edits = Table(
        "node_edits",
        step,
        Column("id", Integer, primary_key=True),
        parent("node_id", "nodes"),
        Column("field", String(20), nullable=False),
        Column("file_text", Text, nullable=False),
        Column("edited_at", Moment(timezone=True), nullable=False),
        UniqueConstraint("node_id", "field"),
    )
    cram.create(conn)
    edits.create(conn)


def _fsrs_state_and_deck_schedulers(conn: Connection) -> None:
    """Schema 6: a deck names its scheduler and desired retention; a card and each side of an
    answer in the log hold FSRS's stability and difficulty (None under SM-2, so every row stored
    before stays as it was); the learner's fitted FSRS parameters have a table."""
    from sqlalchemy import JSON, Column, Integer, MetaData, Table

    from srs.storage.tables import Moment, Number

    conn.exec_driver_sql("ALTER TABLE decks ADD COLUMN scheduler VARCHAR(10) DEFAULT 'sm2' NOT NULL")
    conn.exec_driver_sql("ALTER TABLE decks ADD COLUMN desired_retention FLOAT DEFAULT '0.9' NOT NULL")
    for column in ("stability", "difficulty"):
        conn.exec_driver_sql(f"ALTER TABLE cards ADD COLUMN {column} FLOAT")
    for column in ("stability_before", "difficulty_before", "stability_after", "difficulty_after"):
        conn.exec_driver_sql(f"ALTER TABLE reviews ADD COLUMN {column} FLOAT")
    Table(
        "fsrs_parameters",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("weights", JSON, nullable=False),
        Column("reviews", Number, nullable=False),
        Column("fitted_at", Moment(timezone=True), nullable=False),
    ).create(conn)


def _options_events_journal_and_pair_cards(conn: Connection) -> None:
    """Schema 7: a deck's options have a table (`deck_options`, a row per option set); an entry
    of the log says what kind of event it is (`reviews.kind`, "answer" for every row stored
    before, and the last column of the statistics' indexes); a branch's journal has a table; a
    card may be about a pair of nodes (`cards.partner_id`, None for every card stored before),
    so its identity becomes (node, kind, partner).

    SQLite cannot drop a table's unique constraint: its cards table is rebuilt (foreign keys are
    off for the step, see `migrate`), every row copied with its id, so the log stays attached.
    """
    from sqlalchemy import (
        JSON,
        Boolean,
        Column,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        UniqueConstraint,
        text,
    )

    from srs.storage.tables import Day, Moment, Number, Real

    step = MetaData()
    Table("decks", step, Column("id", Integer, primary_key=True))
    Table("nodes", step, Column("id", Integer, primary_key=True))

    def parent(name: str, table: str) -> Column:
        return Column(name, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)

    def where(condition: str) -> dict:
        return {"sqlite_where": text(condition), "postgresql_where": text(condition)}

    def required(name: str, type_) -> Column:
        return Column(name, type_, nullable=False)

    if conn.dialect.name == "sqlite":
        # The cards table as this step makes it, written out here: later steps change it in turn.
        card_table = Table(
            "cards",
            step,
            Column("id", Integer, primary_key=True),
            parent("deck_id", "decks"),
            parent("node_id", "nodes"),
            required("kind", String(20)),
            required("rank", Integer),
            required("easiness", Number),
            required("repetitions", Number),
            required("interval", Number),
            Column("due", Day),
            required("reviews", Number),
            required("lapses", Number),
            Column("last_day", Day),
            Column("last_grade", Number),
            required("suspended", Boolean),
            required("retired", Boolean),
            Column("buried_on", Day),
            Column("stability", Real),
            Column("difficulty", Real),
            Column("partner_id", ForeignKey("nodes.id", ondelete="CASCADE"), nullable=True),
            UniqueConstraint("node_id", "kind", "partner_id"),
            Index("ux_cards_single", "node_id", "kind", unique=True, **where("partner_id IS NULL")),
            Index(
                "ix_cards_due", "deck_id", "due", "rank", "suspended", "retired", "reviews", **where("due IS NOT NULL")
            ),
            Index("ix_cards_new", "deck_id", "suspended", "reviews", "rank", "retired"),
            Index("ix_cards_last_day", "deck_id", "last_day", **where("last_day IS NOT NULL")),
        )
        for index in ("ix_cards_due", "ix_cards_new", "ix_cards_last_day"):
            conn.exec_driver_sql(f"DROP INDEX {index}")
        # The log's references to `cards` stay on that name, for the new table to take over.
        conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
        conn.exec_driver_sql("ALTER TABLE cards RENAME TO cards_before_7")
        conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        card_table.create(conn)
        columns = ", ".join(c.name for c in card_table.columns if c.name != "partner_id")
        conn.exec_driver_sql(f"INSERT INTO cards ({columns}) SELECT {columns} FROM cards_before_7")
        conn.exec_driver_sql("DROP TABLE cards_before_7")
    else:
        conn.exec_driver_sql("ALTER TABLE cards ADD COLUMN partner_id INTEGER REFERENCES nodes (id) ON DELETE CASCADE")
        conn.exec_driver_sql("ALTER TABLE cards DROP CONSTRAINT cards_node_id_kind_key")
        conn.exec_driver_sql("ALTER TABLE cards ADD UNIQUE (node_id, kind, partner_id)")
        conn.exec_driver_sql("CREATE UNIQUE INDEX ux_cards_single ON cards (node_id, kind) WHERE partner_id IS NULL")

    conn.exec_driver_sql("ALTER TABLE reviews ADD COLUMN kind VARCHAR(10) DEFAULT 'answer' NOT NULL")
    for name, columns in (
        ("ix_reviews_card", "card_id, day, drill, grade, interval_before, duration_ms, kind"),
        ("ix_reviews_deck_day", "deck_id, day, drill, interval_before, duration_ms, kind"),
        ("ix_reviews_deck_grade", "deck_id, drill, grade, interval_before, kind"),
    ):
        conn.exec_driver_sql(f"DROP INDEX {name}")
        conn.exec_driver_sql(f"CREATE INDEX {name} ON reviews ({columns})")
    Table(
        "deck_options",
        step,
        Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
        Column("key", String(50), primary_key=True),
        required("value", JSON),
    ).create(conn)
    Table(
        "journal",
        step,
        Column("id", Integer, primary_key=True),
        parent("deck_id", "decks"),
        parent("node_id", "nodes"),
        required("day", Day),
        required("at", Moment(timezone=True)),
        required("text", Text),
        Index("ix_journal_node_day", "node_id", "day"),
        Index("ix_journal_deck_id", "deck_id"),
    ).create(conn)


def _event_ids_and_devices(conn: Connection) -> None:
    """Schema 8: every event of the log has a global id (`reviews.event_id`, a UUIDv7, unique)
    and the device it came from (`reviews.device`); the database makes its device id once and
    keeps it in `meta`. An event stored before gets its id from its time and its row id
    (`srs.core.identity.from_moment`), so ids sort as the log did, and this database's device.

    The new columns are required, which SQLite can only add to a table it rebuilds: the log is
    copied into a new table with the two columns filled in (a function of this step's connection
    makes each id), and its indexes built once after the copy.
    """
    from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, text

    from srs.core.identity import from_moment
    from srs.storage.tables import Day, Moment, Number, Real

    device = new_device_id()
    conn.execute(meta.insert().values(key=DEVICE_KEY, value=device))
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE reviews ADD COLUMN event_id VARCHAR(36)")
        conn.exec_driver_sql("ALTER TABLE reviews ADD COLUMN device VARCHAR(36)")
        # `from_moment(at, id)` in SQL: the millisecond, its microseconds as 12 bits, the row id.
        conn.execute(
            text(
                "UPDATE reviews SET device = :device, event_id = "
                "substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || lpad(to_hex(sub), 3, '0') || '-' "
                "|| lpad(to_hex(32768 | (r.id >> 48)), 4, '0') || '-' || lpad(to_hex(r.id & 281474976710655), 12, '0') "
                "FROM (SELECT id, lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') AS h, "
                "(floor(extract(epoch FROM at) * 1000000)::bigint % 1000) * 4096 / 1000 AS sub FROM reviews) AS r "
                "WHERE r.id = reviews.id"
            ),
            {"device": device},
        )
        conn.exec_driver_sql("ALTER TABLE reviews ALTER COLUMN event_id SET NOT NULL")
        conn.exec_driver_sql("ALTER TABLE reviews ALTER COLUMN device SET NOT NULL")
        conn.exec_driver_sql("CREATE UNIQUE INDEX ux_reviews_event_id ON reviews (event_id)")
        return

    step = MetaData()
    Table("decks", step, Column("id", Integer, primary_key=True))
    Table("cards", step, Column("id", Integer, primary_key=True))

    def parent(name: str, table: str) -> Column:
        return Column(name, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)

    def required(name: str, type_) -> Column:
        return Column(name, type_, nullable=False)

    def optional(name: str, type_) -> Column:
        return Column(name, type_, nullable=True)

    # The log as this step makes it, written out here: later steps change it in turn.
    log = Table(
        "reviews",
        step,
        Column("id", Integer, primary_key=True),
        parent("deck_id", "decks"),
        parent("card_id", "cards"),
        required("at", Moment(timezone=True)),
        required("day", Day),
        required("grade", Number),
        required("duration_ms", Number),
        required("drill", Boolean),
        required("easiness_before", Number),
        required("repetitions_before", Number),
        required("interval_before", Number),
        optional("due_before", Day),
        required("lapses_before", Number),
        optional("last_day_before", Day),
        optional("last_grade_before", Number),
        required("easiness_after", Number),
        required("repetitions_after", Number),
        required("interval_after", Number),
        optional("due_after", Day),
        optional("stability_before", Real),
        optional("difficulty_before", Real),
        optional("stability_after", Real),
        optional("difficulty_after", Real),
        Column("kind", String(10), nullable=False, server_default="answer"),
        required("event_id", String(36)),
        required("device", String(36)),
        Index("ix_reviews_card", "card_id", "day", "drill", "grade", "interval_before", "duration_ms", "kind"),
        Index("ix_reviews_deck_day", "deck_id", "day", "drill", "interval_before", "duration_ms", "kind"),
        Index("ix_reviews_deck_grade", "deck_id", "drill", "grade", "interval_before", "kind"),
        Index("ix_reviews_day", "day"),
        Index("ux_reviews_event_id", "event_id", unique=True),
    )

    def event_id(at: str, row_id: int) -> str:
        try:
            moment = datetime.fromisoformat(at)
        except (TypeError, ValueError):  # a time another program stored unreadably: first in order
            moment = datetime(1970, 1, 1)
        return from_moment(moment, row_id)

    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.create_function("srs_event_id", 2, event_id, deterministic=True)
    for index in log.indexes:
        if index.name != "ux_reviews_event_id":
            conn.exec_driver_sql(f"DROP INDEX {index.name}")
    conn.exec_driver_sql("ALTER TABLE reviews RENAME TO reviews_before_8")
    log.create(conn)
    for index in log.indexes:
        index.drop(conn)  # built again once the rows are in: faster than growing them row by row
    columns = ", ".join(c.name for c in log.columns if c.name not in ("event_id", "device"))
    conn.execute(
        text(
            f"INSERT INTO reviews ({columns}, event_id, device) "
            f"SELECT {columns}, srs_event_id(at, id), :device FROM reviews_before_8 ORDER BY id"
        ),
        {"device": device},
    )
    conn.exec_driver_sql("DROP TABLE reviews_before_8")
    for index in log.indexes:
        index.create(conn)


def _voids_and_suspension_stamps(conn: Connection) -> None:
    """Schema 9: an event taken back leaves a mark (`voids`: its event id, when, which device),
    so a sync does not bring it back from another copy; a card keeps when it was last suspended
    or unsuspended (`cards.suspended_at`, None for every card stored before)."""
    from sqlalchemy import Column, DateTime, MetaData, String, Table

    from srs.storage.tables import Moment

    stamp = DateTime(timezone=True).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE cards ADD COLUMN suspended_at {stamp}")
    Table(
        "voids",
        MetaData(),
        Column("event_id", String(36), primary_key=True),
        Column("voided_at", Moment(timezone=True), nullable=False),
        Column("device", String(36), nullable=False),
    ).create(conn)


def _learners(conn: Connection) -> None:
    """Schema 10: the decks are shared and the schedules are each learner's. A `learners` table,
    and the learner on every card (whose identity becomes (learner, node, kind, partner)), every
    event of the log (the first column after the deck of the log's deck indexes), every journal
    entry and every FSRS fit. What the database held belongs to its one learner, stored without a
    name (`tables.UNCLAIMED`) until someone first opens the database and becomes that learner.

    The new columns are required: SQLite rebuilds each of the four tables, every row copied with
    its id (foreign keys are off for the step, see `migrate`, and the tables that refer to
    `cards` keep that name for the new table to take over); PostgreSQL adds the columns in place.
    """
    from sqlalchemy import (
        JSON,
        Boolean,
        Column,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        UniqueConstraint,
        text,
    )

    from srs.storage.tables import UNCLAIMED, Day, Moment, Number, Real

    step = MetaData()
    for name in ("decks", "nodes", "cards"):
        Table(name, step, Column("id", Integer, primary_key=True))

    def parent(name: str, table: str) -> Column:
        return Column(name, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)

    def where(condition: str) -> dict:
        return {"sqlite_where": text(condition), "postgresql_where": text(condition)}

    def required(name: str, type_) -> Column:
        return Column(name, type_, nullable=False)

    def optional(name: str, type_) -> Column:
        return Column(name, type_, nullable=True)

    learner_table = Table(
        "learners",
        step,
        Column("id", Integer, primary_key=True),
        required("name", String(200)),
        UniqueConstraint("name"),
    )
    learner_table.create(conn)
    conn.execute(learner_table.insert().values(name=UNCLAIMED))
    learner = conn.scalar(select(learner_table.c.id))
    if conn.dialect.name != "sqlite":
        for name in ("fsrs_parameters", "journal", "reviews", "cards"):
            conn.exec_driver_sql(
                f"ALTER TABLE {name} ADD COLUMN learner_id INTEGER REFERENCES learners (id) ON DELETE CASCADE"
            )
            conn.execute(text(f"UPDATE {name} SET learner_id = :learner"), {"learner": learner})
            conn.exec_driver_sql(f"ALTER TABLE {name} ALTER COLUMN learner_id SET NOT NULL")
        conn.exec_driver_sql("ALTER TABLE cards DROP CONSTRAINT cards_node_id_kind_partner_id_key")
        conn.exec_driver_sql("ALTER TABLE cards ADD UNIQUE (learner_id, node_id, kind, partner_id)")
        for name, table, columns, condition in (
            ("ux_cards_single", "cards", "learner_id, node_id, kind", "partner_id IS NULL"),
            ("ix_cards_due", "cards", "deck_id, learner_id, due, rank, suspended, retired, reviews", "due IS NOT NULL"),
            ("ix_cards_new", "cards", "deck_id, learner_id, suspended, reviews, rank, retired", None),
            ("ix_cards_last_day", "cards", "deck_id, learner_id, last_day", "last_day IS NOT NULL"),
            (
                "ix_reviews_deck_day",
                "reviews",
                "deck_id, learner_id, day, drill, interval_before, duration_ms, kind",
                None,
            ),
            ("ix_reviews_deck_grade", "reviews", "deck_id, learner_id, drill, grade, interval_before, kind", None),
            ("ix_reviews_day", "reviews", "learner_id, day", None),
        ):
            unique = "UNIQUE " if name.startswith("ux_") else ""
            partial = f" WHERE {condition}" if condition else ""
            conn.exec_driver_sql(f"DROP INDEX {name}")
            conn.exec_driver_sql(f"CREATE {unique}INDEX {name} ON {table} ({columns}){partial}")
        return

    # The four tables as this step makes them, written out here: later steps change them in turn.
    rebuilt = [
        Table(
            "fsrs_parameters",
            step,
            Column("id", Integer, primary_key=True),
            required("weights", JSON),
            required("reviews", Number),
            required("fitted_at", Moment(timezone=True)),
            parent("learner_id", "learners"),
        ),
        Table(
            "journal",
            step,
            Column("id", Integer, primary_key=True),
            parent("deck_id", "decks"),
            parent("node_id", "nodes"),
            required("day", Day),
            required("at", Moment(timezone=True)),
            required("text", Text),
            parent("learner_id", "learners"),
            Index("ix_journal_node_day", "node_id", "day"),
            Index("ix_journal_deck_id", "deck_id"),
        ),
        Table(
            "reviews",
            step,
            Column("id", Integer, primary_key=True),
            parent("deck_id", "decks"),
            parent("card_id", "cards"),
            required("at", Moment(timezone=True)),
            required("day", Day),
            required("grade", Number),
            required("duration_ms", Number),
            required("drill", Boolean),
            required("easiness_before", Number),
            required("repetitions_before", Number),
            required("interval_before", Number),
            optional("due_before", Day),
            required("lapses_before", Number),
            optional("last_day_before", Day),
            optional("last_grade_before", Number),
            required("easiness_after", Number),
            required("repetitions_after", Number),
            required("interval_after", Number),
            optional("due_after", Day),
            optional("stability_before", Real),
            optional("difficulty_before", Real),
            optional("stability_after", Real),
            optional("difficulty_after", Real),
            Column("kind", String(10), nullable=False, server_default="answer"),
            required("event_id", String(36)),
            required("device", String(36)),
            parent("learner_id", "learners"),
            Index("ix_reviews_card", "card_id", "day", "drill", "grade", "interval_before", "duration_ms", "kind"),
            Index(
                "ix_reviews_deck_day", "deck_id", "learner_id", "day", "drill", "interval_before", "duration_ms", "kind"
            ),
            Index("ix_reviews_deck_grade", "deck_id", "learner_id", "drill", "grade", "interval_before", "kind"),
            Index("ix_reviews_day", "learner_id", "day"),
            Index("ux_reviews_event_id", "event_id", unique=True),
        ),
        Table(
            "cards",
            MetaData(),  # beside the stand-in `cards` the log's reference above resolves to
            Column("id", Integer, primary_key=True),
            Column("deck_id", ForeignKey(step.tables["decks"].c.id, ondelete="CASCADE"), nullable=False),
            Column("node_id", ForeignKey(step.tables["nodes"].c.id, ondelete="CASCADE"), nullable=False),
            required("kind", String(20)),
            required("rank", Integer),
            required("easiness", Number),
            required("repetitions", Number),
            required("interval", Number),
            optional("due", Day),
            required("reviews", Number),
            required("lapses", Number),
            optional("last_day", Day),
            optional("last_grade", Number),
            required("suspended", Boolean),
            required("retired", Boolean),
            optional("buried_on", Day),
            optional("stability", Real),
            optional("difficulty", Real),
            Column("partner_id", ForeignKey(step.tables["nodes"].c.id, ondelete="CASCADE"), nullable=True),
            optional("suspended_at", Moment(timezone=True)),
            Column("learner_id", ForeignKey(learner_table.c.id, ondelete="CASCADE"), nullable=False),
            UniqueConstraint("learner_id", "node_id", "kind", "partner_id"),
            Index("ux_cards_single", "learner_id", "node_id", "kind", unique=True, **where("partner_id IS NULL")),
            Index(
                "ix_cards_due",
                "deck_id",
                "learner_id",
                "due",
                "rank",
                "suspended",
                "retired",
                "reviews",
                **where("due IS NOT NULL"),
            ),
            Index("ix_cards_new", "deck_id", "learner_id", "suspended", "reviews", "rank", "retired"),
            Index("ix_cards_last_day", "deck_id", "learner_id", "last_day", **where("last_day IS NOT NULL")),
        ),
    ]
    for rebuilt_table in rebuilt:
        name, old = rebuilt_table.name, f"{rebuilt_table.name}_before_10"
        for (index,) in conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"),
            {"table": name},
        ).all():
            conn.exec_driver_sql(f"DROP INDEX {index}")
        # What refers to the table keeps its name, for the new table to take over.
        conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
        conn.exec_driver_sql(f"ALTER TABLE {name} RENAME TO {old}")
        conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        rebuilt_table.create(conn)
        for built in rebuilt_table.indexes:
            built.drop(conn)  # built again once the rows are in: faster than growing them row by row
        columns = ", ".join(c.name for c in rebuilt_table.columns if c.name != "learner_id")
        conn.execute(
            text(f"INSERT INTO {name} ({columns}, learner_id) SELECT {columns}, :learner FROM {old} ORDER BY id"),
            {"learner": learner},
        )
        conn.exec_driver_sql(f"DROP TABLE {old}")
        for built in rebuilt_table.indexes:
            built.create(conn)


def _notes_per_learner(conn: Connection) -> None:
    """Schema 11: notes and a mnemonic are each learner's (`learner_notes`); the node's row keeps
    the deck's text, the file's. What a learner wrote in the program before (the node's row, with
    an edit row keeping the file's text) becomes every learner's own text, since every learner saw
    it, and the node's row takes the file's text back: no one sees anything change."""
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint, text

    from srs.storage.tables import Moment

    step = MetaData()
    for name in ("learners", "nodes"):
        Table(name, step, Column("id", Integer, primary_key=True))
    Table(
        "learner_notes",
        step,
        Column("id", Integer, primary_key=True),
        Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
        Column("node_id", ForeignKey("nodes.id", ondelete="CASCADE"), nullable=False),
        Column("field", String(20), nullable=False),
        Column("text", Text, nullable=False),
        Column("edited_at", Moment(timezone=True), nullable=False),
        UniqueConstraint("learner_id", "node_id", "field"),
    ).create(conn)
    for field in ("notes", "mnemonic"):
        edited = f"SELECT node_id FROM node_edits WHERE field = '{field}'"
        conn.exec_driver_sql(
            "INSERT INTO learner_notes (learner_id, node_id, field, text, edited_at) "
            f"SELECT learners.id, nodes.id, '{field}', nodes.{field}, node_edits.edited_at "
            "FROM node_edits JOIN nodes ON nodes.id = node_edits.node_id CROSS JOIN learners "
            f"WHERE node_edits.field = '{field}' ORDER BY nodes.id, learners.id"
        )
        conn.execute(
            text(
                f"UPDATE nodes SET {field} = (SELECT file_text FROM node_edits "
                f"WHERE node_edits.node_id = nodes.id AND node_edits.field = '{field}') WHERE id IN ({edited})"
            )
        )
    conn.exec_driver_sql("DELETE FROM node_edits WHERE field IN ('notes', 'mnemonic')")


def new_device_id() -> str:
    """A new database's device id: random, made once and kept in `meta`."""
    return str(uuid.uuid4())


MIGRATIONS: dict[int, Migration] = {
    2: _due_index_in_queue_order,
    3: _answered_cards_only_in_day_indexes,
    4: _path_keys_made_short,
    5: _burying_cramming_and_edits,
    6: _fsrs_state_and_deck_schedulers,
    7: _options_events_journal_and_pair_cards,
    8: _event_ids_and_devices,
    9: _voids_and_suspension_stamps,
    10: _learners,
    11: _notes_per_learner,
}
"""Steps that bring a database from version N-1 to N, keyed by N (2 onwards).

A new database is created at SCHEMA_VERSION directly from `srs.storage.tables`, so every step
must leave an older database exactly as `metadata.create_all` would have made it.
"""


def default_db_path() -> Path:
    """The database file in the user's data directory (e.g. ~/.local/share/srs/srs.sqlite3)."""
    import platformdirs  # deferred: only a default path needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def database_url(db_path: str | os.PathLike | None = None, environ: dict | None = None) -> URL | str:
    """The database to use: `--db PATH`, else $SRS_DB, else $SRS_DATABASE_URL, else the default file.

    A file becomes a `URL` object, never text: a file name may hold `?`, `#` or `%`, which a URL
    string would read as its query, fragment or an escape.
    """
    env = os.environ if environ is None else environ
    if db_path:
        return sqlite_url(db_path)
    if env.get("SRS_DB"):
        return sqlite_url(env["SRS_DB"])
    if env.get("SRS_DATABASE_URL"):
        return env["SRS_DATABASE_URL"]
    return sqlite_url(default_db_path())


def sqlite_url(path: str | os.PathLike) -> URL:
    """The URL of the SQLite file at `path` (`~` expanded), whatever characters its name holds."""
    return URL.create("sqlite", database=str(Path(path).expanduser()))


def describe(url: URL | str) -> str:
    """How to name the database in a message: its file path, or the URL without a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if parsed.query.get("uri") == "true" and database.startswith("file:"):
            return unquote(database.removeprefix("file:"))  # as `_read_only_url` wrote it
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def database_file(url) -> Path | None:
    """The file an SQLite database lives in (as its URL names it); None for a server or memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def open_engine(url: URL | str, migrate_schema: bool = True) -> Engine:
    """An engine on `url`, with the schema created or brought up to date.

    Its transactions write: each takes the write lock as it begins (SQLite's `BEGIN IMMEDIATE`,
    so a second writer waits for the busy timeout instead of failing at its first write), and
    `reading(engine)` gives the read-only ones, which never wait for a writer.

    For SQLite: the folder is created, a file that is not SQLite is refused before anything is
    written to it, and each connection uses WAL and a busy timeout so two terminals can share it.
    A file that cannot be written (or whose folder cannot) is opened read-only: reading works,
    a write transaction is refused with a `StorageError` before it starts.
    """
    parsed = make_url(url)
    where = describe(parsed)
    if parsed.get_backend_name() == "sqlite":
        read_only = _check_sqlite_file(parsed.database)
        if read_only and parsed.database:  # a file's, always: memory is never read-only
            parsed = _read_only_url(parsed, parsed.database)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas(read_only is not None))
        # pysqlite would commit before any DDL; let SQLAlchemy's transactions mean what they say.
        event.listen(engine, "begin", _sqlite_begin(where, read_only))
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    if migrate_schema:
        with storage_errors(where):
            migrate(engine)
    return engine


def stored_schema(url: URL | str) -> int | None:
    """The schema version of the database at `url`, read without changing anything in it (an
    SQLite file is opened read-only and left in its own journal mode); None for a database
    without srs's tables. A file that is not SQLite, or a server that cannot be reached, is a
    `StorageError`."""
    parsed = make_url(url)
    where = describe(parsed)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        _check_sqlite_file(parsed.database)
        parsed = _read_only_url(parsed, parsed.database)
    engine = create_engine(parsed)
    try:
        with storage_errors(where), engine.connect() as conn:
            return schema_version(conn)
    finally:
        engine.dispose()


READ_ONLY = "srs_read_only"
"""The execution option that makes an engine's (or a connection's) transactions read-only."""


def reading(engine: Engine) -> Engine:
    """The engine's read-only side: its transactions read a snapshot, never wait for a writer
    (SQLite's WAL, PostgreSQL's MVCC) and cannot write (a write fails at once, so a read
    transaction that should have been a write one shows up in the first test that runs it)."""
    options: dict = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return engine.execution_options(**options)


def is_read_only(engine: Engine) -> bool:
    """Whether the engine opened its SQLite file read-only (see `open_engine`)."""
    return engine.url.get_backend_name() == "sqlite" and engine.url.query.get("mode") == "ro"


def serialise(conn: Connection, what: str) -> None:
    """Let one transaction at a time do `what` (creating the schema, a first import): on
    PostgreSQL a lock held to the end of the transaction; SQLite's write lock already does it."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"srs:{what}"))))


def _check_sqlite_file(database: str | None) -> str | None:
    """Refuse what cannot be a database; None if the file can be written, else why it cannot."""
    if not database or database == ":memory:":
        return None
    path = Path(database)
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StorageError(f"{path}: cannot read the database: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise StorageError(f"{path}: not an SQLite database")
        if not os.access(path, os.W_OK):
            return "the file cannot be written"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return "its folder cannot be written"
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path.parent}: cannot create the database folder: {exc.strerror}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(f"{path}: cannot create the database: the folder is not writable")
    return None


def _read_only_url(url: URL, database: str) -> URL:
    """The file `database` of `url` opened read-only, as an SQLite URI filename. Where its folder cannot be written
    and no writer has the write-ahead log open (no -wal, -shm files beside it), nobody can be
    changing it, and SQLite is told so (`immutable`): it could not make the files it would
    otherwise need to read a WAL database."""
    path = Path(database).resolve()
    query = {"mode": "ro", "uri": "true"}
    wal_files = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not all(f.exists() for f in wal_files):
        query["immutable"] = "1"
    return url.set(database=f"file:{quote(str(path))}", query=query)


def _sqlite_pragmas(read_only: bool):
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's own lower() leaves every letter outside ASCII as it is ("Équipe"): Python's
        # lowers them all, as PostgreSQL's does, so that names and searches match in any case.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not read_only:  # the journal mode is written into the file
                _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    return on_connect


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _use_wal(cursor) -> None:
    """Put the database in WAL mode. SQLite answers "locked" at once, without its busy handler,
    while another process is creating the same new database (two first imports at once), so
    this waits its turn by hand, for as long as the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_begin(where: str, read_only: str | None):
    """Begin SQLite transactions as SQLAlchemy's say: a read-only one (`reading`) as a plain
    `BEGIN` on a connection that refuses writes (`query_only`); any other with the write lock
    taken up front, so it waits its turn behind another writer for the busy timeout. (A plain
    `BEGIN` that writes later cannot wait: SQLite fails it at once, as waiting could deadlock.)"""

    def begin(conn: Connection) -> None:
        reads = bool(conn.get_execution_options().get(READ_ONLY))
        if not reads and read_only:
            raise StorageError(f"{where}: the database is read-only ({read_only}); nothing was changed")
        info = conn.connection.info
        if info.get("query_only") != reads:
            conn.exec_driver_sql(f"PRAGMA query_only = {int(reads)}")
            info["query_only"] = reads
        conn.exec_driver_sql("BEGIN" if reads else "BEGIN IMMEDIATE")

    return begin


def schema_version(conn: Connection) -> int | None:
    """The schema version stored in the database, or None for a database without our tables."""
    if not inspect(conn).has_table(meta.name):
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if value is None:
        return None
    # ASCII digits only (str.isdigit takes '²'), and no version before the first.
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and int(value) >= 1):
        raise StorageError(
            f"{describe(str(conn.engine.url))}: the schema version in table meta is not a version number: {value!r}"
        )
    return int(value)


def migrate(engine: Engine, migrations: dict[int, Migration] | None = None, head: int | None = None) -> int:
    """Create the schema, or apply the steps from the stored version to `head`, in one transaction.

    Returns the version the database is at afterwards.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    head = SCHEMA_VERSION if head is None else head
    # Read first: a database already at `head` (every open but the first) takes no write lock.
    with reading(engine).begin() as conn:
        version = schema_version(conn)
    if version == head:
        return head
    _refuse_newer(engine, version, head)
    with engine.connect() as conn, _foreign_keys_off(conn), conn.begin():
        serialise(conn, "schema")
        version = schema_version(conn)  # again: another process may have got there meanwhile
        if version == head:
            return head
        if version is None:
            if inspect(conn).get_table_names():
                raise StorageError(f"{describe(engine.url)}: holds tables of another program")
            metadata.create_all(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(head)))
            if head >= 8:
                conn.execute(meta.insert().values(key=DEVICE_KEY, value=new_device_id()))
            return head
        _refuse_newer(engine, version, head)
        for step in range(version + 1, head + 1):
            migrations[step](conn)
        if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
            raise StorageError(f"{describe(engine.url)}: the upgrade would break a reference; nothing was changed")
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(head)))
        return head


@contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite's foreign keys off while `conn` upgrades the schema: a step that rebuilds a table
    (SQLite's documented way to change its constraints) must not delete, through a cascade, the
    rows that refer to it; `migrate` checks every reference before it commits. (The pragma only
    works outside a transaction, so it goes to the driver's connection before one begins.)"""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _refuse_newer(engine: Engine, version: int | None, head: int) -> None:
    if version is not None and version > head:
        raise StorageError(
            f"{describe(engine.url)}: written by a newer version of srs "
            f"(schema {version}; this one knows up to {head}); upgrade srs"
        )


@contextmanager
def storage_errors(where: str, engine: Engine | None = None) -> Iterator[None]:
    """Turn a database failure into a `StorageError` that says what happened, in words.

    A stored value its column cannot hold (see `StoredValueError`) is named with the row that
    holds it, looked up through `engine` when one is given.
    """
    try:
        yield
    except StorageError:
        raise
    except StoredValueError as exc:
        raise StorageError(f"{where}: {_holder(engine, exc)}") from None
    except DBAPIError as exc:
        raise StorageError(f"{where}: {explain(exc)}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"{where}: {exc.__class__.__name__}: {exc}") from exc


COLUMN_WORDS = {
    "due": "a due day",
    "last_day": "a last answer day",
    "easiness": "an easiness",
    "interval": "an interval",
    "repetitions": "a repetition count",
    "reviews": "a review count",
    "lapses": "a lapse count",
    "last_grade": "a last grade",
    "day": "a day",
    "at": "a time",
    "grade": "a grade",
    "new_per_day": "a daily new-card limit",
    "reviews_per_day": "a daily review limit",
}
"""How a message names what a column holds."""

_HOLDERS = {
    "cards": "SELECT 'card ' || c.id || ' (' || n.label || ', ' || c.kind || ')' FROM cards c "
    "JOIN nodes n ON n.id = c.node_id WHERE c.{column} IS ? LIMIT 1",
    "reviews": "SELECT 'the answer ' || r.id || ' to card ' || c.id || ' (' || n.label || ', ' || c.kind || ')' "
    "FROM reviews r JOIN cards c ON c.id = r.card_id JOIN nodes n ON n.id = c.node_id WHERE r.{column} IS ? LIMIT 1",
    "decks": "SELECT 'deck ' || d.id || ' (' || d.name || ')' FROM decks d WHERE d.{column} IS ? LIMIT 1",
}


def _holder(engine: Engine | None, exc: StoredValueError) -> str:
    """`card 12 (Data Parallelism, definition) has a due day that is not a date: '9999-99-99'`:
    the first row found holding the bad value, in the columns that are checked when read."""
    if engine is not None and engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if not isinstance(column.type, _Checked) or table.name not in _HOLDERS:
                        continue
                    sql = _HOLDERS[table.name].format(column=column.name)
                    row = conn.exec_driver_sql(sql, (exc.value,)).first()
                    if row is not None:
                        what = COLUMN_WORDS.get(column.name, f"a {column.name} value")
                        return f"{row[0]} has {what} that is not {exc.expected}: {exc.value!r}"
    return str(exc)


def write_refused(exc: DBAPIError) -> bool:
    """Whether the driver refused a write because the connection or transaction is read-only."""
    text = str(exc.orig).lower()
    return "readonly database" in text or "read-only transaction" in text


def explain(exc: DBAPIError) -> str:
    """A driver error as one line a learner can act on."""
    text = str(exc.orig).strip() if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return "the database is locked by another program; close it and try again"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only"
    if "disk is full" in lowered or "disk full" in lowered:
        return "the disk is full; nothing was saved"
    if "not a database" in lowered or "malformed" in lowered:
        return "not an SQLite database, or a damaged one"
    if "unable to open" in lowered:
        return "cannot open the database file"
    return text.splitlines()[0] if text else exc.__class__.__name__

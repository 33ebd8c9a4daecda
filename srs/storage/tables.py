"""The tables, as SQLAlchemy Core `Table`s: the one place the schema is written down.

Every module of `srs.storage` states its queries on these tables with SQLAlchemy Core; nothing
loads SQLAlchemy's ORM.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.types import TypeDecorator

from srs.storage.event_ids import event_id_default

metadata = MetaData()


class StoredValueError(ValueError):
    """A value read from SQLite that its column's type cannot hold: SQLite keeps whatever it is
    given (another program, a hand edit), so a card's due day may be `9999-99-99`."""

    def __init__(self, value: object, expected: str) -> None:
        super().__init__(f"a stored value is not {expected}: {value!r}")
        self.value = value
        """The value as the database holds it."""
        self.expected = expected


class _Checked(TypeDecorator):
    """A column type whose values are checked as rows are read from SQLite, so that a value the
    column cannot hold raises `StoredValueError` where it is loaded, not in whatever uses it
    later. Other databases refuse such values on writing; there the check costs nothing."""

    cache_ok = True
    expected = ""
    kinds: tuple[type, ...] = ()

    def result_processor(self, dialect, coltype):
        process = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite":
            return process
        expected, kinds = self.expected, self.kinds

        def checked(value):
            if value is None:
                return None
            try:
                out = process(value) if process is not None else value
            except (ValueError, TypeError):
                raise StoredValueError(value, expected) from None
            if type(out) not in kinds:
                raise StoredValueError(value, expected)
            return out

        return checked


class Day(_Checked):
    """A calendar day."""

    impl = Date
    cache_ok = True
    expected = "a date"
    kinds = (date,)


class Moment(_Checked):
    """An instant (a date and a time)."""

    impl = DateTime
    cache_ok = True
    expected = "a date and time"
    kinds = (datetime,)


class Real(_Checked):
    """A measure that is not a whole number: FSRS's stability and difficulty, a retention."""

    impl = Float
    cache_ok = True
    expected = "a number"
    kinds = (int, float)


class Number(_Checked):
    """A count, a grade or a schedule value (sums and averages of them come back as numbers too)."""

    impl = Integer
    cache_ok = True
    expected = "a number"
    kinds = (int, float)


def _required(name: str, type_, default=None, **kw) -> Column:
    """A NOT NULL column, with the value an insert gives it when none is given."""
    return Column(name, type_, nullable=False, default=default, **kw)


def _optional(name: str, type_) -> Column:
    return Column(name, type_, nullable=True)


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _where(condition: str) -> dict:
    """What makes an index partial, holding only the rows that meet `condition`."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


def _parent(name: str, table: str) -> Column:
    """A reference to a row of `table`, deleted with it."""
    return Column(name, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    _required("value", Text),
)
"""Key-value facts about the database itself, such as its schema version and its device id."""

DEVICE_KEY = "device_id"
"""The key in `meta` of this database's device id: made once, with the database (or the step
to schema 8), and stored on every event of the log it records."""

learners = Table(
    "learners",
    metadata,
    _id(),
    # Who studies: `--learner`, $SRS_LEARNER, the config file or the operating-system user names
    # one. The learner of a database from before learners is "" until someone first opens it.
    _required("name", String(200), unique=True),
)
"""A learner of the database's decks (schema 10): decks and their nodes are shared, every
schedule, answer, journal entry and FSRS fit is one learner's."""

UNCLAIMED = ""
"""The name of the one learner a database from before learners holds until someone opens it."""

decks = Table(
    "decks",
    metadata,
    _id(),
    _required("name", String(200), unique=True),
    _required("source", Text, ""),
    _required("root_key", String(500), ""),
    _optional("imported_at", Moment(timezone=True)),
    _required("new_per_day", Number, 20),
    _required("reviews_per_day", Number, 200),
    # The scheduler the deck's cards follow: "sm2" or "fsrs" (schema 6); switching replays the
    # log, so the cards' and the log's schedules are always what this one gives.
    Column("scheduler", String(10), nullable=False, server_default="sm2"),
    # FSRS's desired retention: a card falls due when its predicted recall drops to it (schema 6).
    Column("desired_retention", Real, nullable=False, server_default="0.9"),
)
"""One imported concept graph."""

nodes = Table(
    "nodes",
    metadata,
    _id(),
    _parent("deck_id", "decks"),
    _required("key", String(500)),
    _required("label", Text),
    _required("definition", Text, ""),
    _required("example", Text, ""),
    _required("notes", Text, ""),
    _required("mnemonic", Text, ""),
    _optional("color", String(9)),
    _required("attrs", JSON, dict),
    _required("depth", Integer, 0),
    # Position in the deck's breadth-first order: new cards are introduced by it.
    _required("rank", Integer, 0),
    _required("retired", Boolean, False),
    UniqueConstraint("deck_id", "key"),
)
"""A concept of a deck. Retired nodes (gone from the file) keep their cards and history."""

edges = Table(
    "edges",
    metadata,
    _id(),
    _parent("deck_id", "decks"),
    _parent("parent_id", "nodes"),
    _parent("child_id", "nodes"),
    _required("kind", String(100), "hierarchy"),
    _required("position", Integer, 0),
    # What the file called a hierarchy edge ("is-a", "part-of", "subclass-of", ...; empty when it
    # gave no kind), so a card can say "kinds of" or "parts of" (schema 5).
    Column("relation", String(100), nullable=False, server_default=""),
    # child_id in the parent index: walking down the hierarchy (subtree queries, the statistics'
    # branch table) then reads the index alone.
    Index("ix_edges_parent", "parent_id", "kind", "child_id"),
    Index("ix_edges_child", "child_id"),
    Index("ix_edges_deck_id", "deck_id"),
)
"""A parent->child edge of the hierarchy (kind 'hierarchy') or another link between nodes."""

cards = Table(
    "cards",
    metadata,
    _id(),
    _parent("deck_id", "decks"),
    _parent("node_id", "nodes"),
    _required("kind", String(20)),
    _required("rank", Integer, 0),
    # SM-2's easiness factor in whole hundredths (250 is 2.5).
    _required("easiness", Number, 250),
    _required("repetitions", Number, 0),
    _required("interval", Number, 0),
    _optional("due", Day),
    _required("reviews", Number, 0),
    _required("lapses", Number, 0),
    # The learner's day of the card's last answer (review or drill).
    _optional("last_day", Day),
    _optional("last_grade", Number),
    # Out of every queue: set by the learner, or because the card's node or kind is gone.
    _required("suspended", Boolean, False),
    # The node or the card's kind is gone from the graph; the history stays.
    _required("retired", Boolean, False),
    # Buried by the learner on this learner's day: out of that day's queues, back the next day
    # (schema 5).
    _optional("buried_on", Day),
    # FSRS's memory state (schema 6): stability in days and difficulty 1-10; None under SM-2.
    _optional("stability", Real),
    _optional("difficulty", Real),
    # The second node of a card about a pair (schema 7): a contrast card's confusable sibling, a
    # relation card's edge's other end; None for a card about one node.
    Column("partner_id", ForeignKey("nodes.id", ondelete="CASCADE"), nullable=True),
    # When the card was last suspended or unsuspended (schema 9), so that a sync takes the later
    # of two devices' changes; None where it never was since.
    _optional("suspended_at", Moment(timezone=True)),
    # Whose card this is (schema 10): every learner has a card for each question of a deck.
    _parent("learner_id", "learners"),
    # A card's identity is (learner, node, kind, partner): a pair's card is unique by the first
    # index, a one-node card (no partner, which SQL never finds equal) by the second (schema 7,
    # with the learner since schema 10).
    UniqueConstraint("learner_id", "node_id", "kind", "partner_id"),
    Index("ux_cards_single", "learner_id", "node_id", "kind", unique=True, **_where("partner_id IS NULL")),
    # Due cards in the order a session takes them, with what every queue filters on: the first
    # 200 due cards and the forecast come off this index alone (schema 2). Only cards with a due
    # day, and only cards answered for `ix_cards_last_day` (schema 3): a new card is in neither,
    # so importing a deck's new cards does not grow them, and every query that reads them asks
    # for a due day or an answer day, which tells SQLite the index holds all it needs.
    # Each opens with the deck and the learner, whose cards every queue reads (schema 10).
    Index(
        "ix_cards_due",
        "deck_id",
        "learner_id",
        "due",
        "rank",
        "suspended",
        "retired",
        "reviews",
        **_where("due IS NOT NULL"),
    ),
    # Every card of a deck, in the order new ones are taken; with `retired` (schema 3), the new
    # cards of a session and the count of a deck's live cards come off this index alone.
    Index("ix_cards_new", "deck_id", "learner_id", "suspended", "reviews", "rank", "retired"),
    Index("ix_cards_last_day", "deck_id", "learner_id", "last_day", **_where("last_day IS NOT NULL")),
)
"""One question about one node (or a pair of nodes), with its schedule (SM-2's, and FSRS's state
under FSRS). Identity: (learner, node, kind, partner).

What the card shows is built from the node's neighbourhood when it is shown
(`queue.card_content`), so editing a node's text is one row, whatever shows it.
"""

reviews = Table(
    "reviews",
    metadata,
    _id(),
    # The card's deck, kept on the answer so a deck's log is read without its cards.
    _parent("deck_id", "decks"),
    _parent("card_id", "cards"),
    # When the answer was given, in UTC; and the learner's day it counts for.
    _required("at", Moment(timezone=True)),
    _required("day", Day),
    _required("grade", Number),
    _required("duration_ms", Number, 0),
    # A same-day repeat (SM-2 step 7): logged, counting no review; moves nothing under SM-2, FSRS's memory under FSRS.
    _required("drill", Boolean, False),
    _required("easiness_before", Number),
    _required("repetitions_before", Number),
    _required("interval_before", Number),
    _optional("due_before", Day),
    _required("lapses_before", Number),
    _optional("last_day_before", Day),
    _optional("last_grade_before", Number),
    _required("easiness_after", Number),
    _required("repetitions_after", Number),
    _required("interval_after", Number),
    _optional("due_after", Day),
    # FSRS's state either side of the answer (schema 6); None where the card had none.
    _optional("stability_before", Real),
    _optional("difficulty_before", Real),
    _optional("stability_after", Real),
    _optional("difficulty_after", Real),
    # What the event is (schema 7): "answer" (the learner's, of a session or `srs answer`),
    # "check" (the learner's answer to a parent card a lapse put in the queue: an answer in every
    # other way), or another kind of event of `srs.core.events` that moves a schedule.
    Column("kind", String(10), nullable=False, server_default="answer"),
    # The event's global identity (schema 8): a UUIDv7 (`srs.core.identity`), so the same event
    # is known as itself in every database, and ordering by it follows time; and the device that
    # recorded it (this database's `meta` device id, or "anki" for a review given in Anki). Both
    # come from their defaults, so no insert names them.
    _required("event_id", String(36), event_id_default),
    _required("device", String(36), select(meta.c.value).where(meta.c.key == DEVICE_KEY).scalar_subquery()),
    # The learner whose answer it is (schema 10), its card's learner: kept on the event so a
    # learner's log of a deck is read without the cards.
    _parent("learner_id", "learners"),
    # The statistics read the log through these three alone (each holds every column they
    # count), so a screen over a million answers reads index ranges, never table rows: a deck's
    # log by day and by grade, a branch's card by card. The event's kind closes each (schema 7),
    # so a statistic can leave out events that are not the learner's answers the same way.
    Index("ix_reviews_card", "card_id", "day", "drill", "grade", "interval_before", "duration_ms", "kind"),
    Index("ix_reviews_deck_day", "deck_id", "learner_id", "day", "drill", "interval_before", "duration_ms", "kind"),
    Index("ix_reviews_deck_grade", "deck_id", "learner_id", "drill", "grade", "interval_before", "kind"),
    Index("ix_reviews_day", "learner_id", "day"),
    Index("ux_reviews_event_id", "event_id", unique=True),
)
"""One answer (or another event of its card's schedule), appended to the log and never changed
(undo removes the last one)."""

voids = Table(
    "voids",
    metadata,
    # The event taken back (an answer undone, or a credit it earned): its `reviews.event_id`.
    Column("event_id", String(36), primary_key=True),
    _required("voided_at", Moment(timezone=True), lambda: datetime.now(timezone.utc)),
    # The device that took it back, as `reviews.device` names it.
    _required("device", String(36), select(meta.c.value).where(meta.c.key == DEVICE_KEY).scalar_subquery()),
)
"""An event of the log that was taken back (schema 9): undo removes the answer's row, and this
mark keeps another copy of the database that holds the event from bringing it back at a sync
(`srs.service.sync`). A table of its own rather than a row of the log, so no reader of the log
has to leave it out."""

cram_answers = Table(
    "cram_answers",
    metadata,
    _id(),
    _parent("deck_id", "decks"),
    _parent("card_id", "cards"),
    _required("at", Moment(timezone=True)),
    _required("day", Day),
    _required("grade", Number),
    _required("duration_ms", Number, 0),
    Index("ix_cram_answers_card", "card_id"),
    Index("ix_cram_answers_deck_day", "deck_id", "day"),
)
"""An answer given while cramming (schema 5): kept, but outside the schedule's log, so it moves
no schedule and no statistic of recall; undo removes it."""

node_edits = Table(
    "node_edits",
    metadata,
    _id(),
    _parent("node_id", "nodes"),
    # The node's field the learner edited: definition, example, notes or mnemonic.
    _required("field", String(20)),
    # What the imported file said for that field when the learner first changed it: a later
    # import keeps the learner's text while the file still says this.
    _required("file_text", Text),
    _required("edited_at", Moment(timezone=True)),
    UniqueConstraint("node_id", "field"),
)
"""A field of a node the learner edited in the program (schema 5); the node's row holds the
learner's text, this row what the file said, so a re-import can tell the two apart. Since
schema 11 the definition and the example alone: notes and a mnemonic are `learner_notes`."""

learner_notes = Table(
    "learner_notes",
    metadata,
    _id(),
    _parent("learner_id", "learners"),
    _parent("node_id", "nodes"),
    # "notes" or "mnemonic": what the learner wrote for it is shown in place of the node's.
    _required("field", String(20)),
    _required("text", Text),
    _required("edited_at", Moment(timezone=True)),
    UniqueConstraint("learner_id", "node_id", "field"),
)
"""A learner's own notes or mnemonic for a node (schema 11). The node's row holds the deck's
text (the file's), shared; a learner with a row here sees their own text instead, everywhere."""

fsrs_parameters = Table(
    "fsrs_parameters",
    metadata,
    _id(),
    # FSRS's 21 weights, fitted to the learner's log (`srs fsrs optimize`).
    _required("weights", JSON),
    # How many reviews the fit was made from.
    _required("reviews", Number),
    _required("fitted_at", Moment(timezone=True)),
    # Whose log they were fitted to (schema 10).
    _parent("learner_id", "learners"),
)
"""The learner's own FSRS parameters (schema 6), one row per fit; the latest is used, and with
none, FSRS's published defaults. They belong to the learner, not to a deck."""

deck_options = Table(
    "deck_options",
    metadata,
    # One row per deck and option: the primary key, whose index reads a deck's options together.
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
    # An option's name, as `srs.core.options` knows it.
    Column("key", String(50), primary_key=True),
    # Its value as JSON (a number, a flag, ...), checked by `srs.core.options` when set and read.
    _required("value", JSON),
)
"""The options of a deck the learner set (schema 7): one row per option, none for an option at
its default (the defaults live in `srs.core.options`), so a new option needs no new column."""

journal = Table(
    "journal",
    metadata,
    _id(),
    _parent("deck_id", "decks"),
    _parent("node_id", "nodes"),
    # The learner's day the entry was written for, and when, in UTC.
    _required("day", Day),
    _required("at", Moment(timezone=True)),
    _required("text", Text),
    # Who wrote it (schema 10).
    _parent("learner_id", "learners"),
    Index("ix_journal_node_day", "node_id", "day"),
    Index("ix_journal_deck_id", "deck_id"),
)
"""What the learner wrote about a branch at the end of a session on it (schema 7)."""

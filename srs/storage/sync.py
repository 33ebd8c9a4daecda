"""A sync's two halves as Core statements: what one side holds (`snapshot`), and the other
side's snapshot merged into this one (`merge_into`).

Everything is matched by what it is about, never by row id (`srs.storage.identity`): an event by
its event id, a card by (learner's name, deck, node key, kind, partner key), a node by (deck,
node key); a learner the other side has and this one lacks is made here, with every deck's cards. Events
and voids merge by union; a voided event leaves the log wherever it is, and an event this side
voided is not taken back in. Arriving events go in through `arrivals.add_answers`, which replays
each card's log in time order (its credits recomputed in their places, its drill flags rewritten);
a card whose events a void removed is replayed the same way. Suspensions, the deck's edits and
each learner's own notes merge by their stamps (`srs.core.sync`); journal entries by union.

Every function takes `conn` (a Connection) and leaves the transaction to its caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import delete, insert, select, update

from srs.core.events import ANSWERS
from srs.core.pairs import PAIR_KINDS
from srs.core.sync import FieldEdit, OwnNote, Stamped, edits_to_take, later
from srs.storage import edits, identity, learners, pairs
from srs.storage import journal as journal_rows
from srs.storage import learner_notes as learner_notes_rows
from srs.storage.arrivals import ArrivingAnswer, add_answers
from srs.storage.identity import CardKey
from srs.storage.reschedule import rebuild_card
from srs.storage.schedulers import deck_scheduler
from srs.storage.tables import cards, decks, journal, learner_notes, node_edits, nodes, reviews, voids
from srs.storage.tables import learners as learner_rows

BATCH = 500
"""Event ids named in one statement: within every database's limit of bound values."""


@dataclass(frozen=True)
class Event:
    """An event of the log as every copy knows it."""

    card: CardKey
    at: datetime
    day: date
    grade: int
    duration_ms: int
    kind: str
    device: str


@dataclass(frozen=True)
class Snapshot:
    """What one side holds that a sync merges."""

    device: str
    held: frozenset[str]
    """The id of every event of this side's log."""
    events: dict[str, Event]
    """The events the other side lacks (`snapshot`'s `known`), by event id."""
    voids: dict[str, tuple[datetime, str]]
    """Event ids taken back: when, by which device."""
    suspensions: dict[CardKey, Stamped[bool]]
    edits: dict[tuple[str, str, str], FieldEdit]
    """The deck's edits (definitions, examples) by (deck, node key, field)."""
    pair_cards: frozenset[CardKey]
    own_notes: dict[tuple[str, str, str, str], OwnNote]
    """Each learner's own notes and mnemonics by (learner's name, deck, node key, field)."""
    journal: dict[tuple[str, str, str, datetime, str], date]
    """Every learner's journal entries, by (learner's name, deck, node key, when, text): the day
    each was written for. Entries are only ever added, so the union is the merge."""


def _utc(at: datetime) -> datetime:
    """A stored moment in UTC (SQLite gives it back without its zone, which is UTC)."""
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def event_ids(conn) -> frozenset[str]:
    """The id of every event of the log."""
    return frozenset(conn.scalars(select(reviews.c.event_id)).all())


def snapshot(conn, known: Set[str] | None = None, held: frozenset[str] | None = None) -> Snapshot:
    """This side's events, voids, suspensions, edits and pair cards. Of the events, every id
    (`held`, when the caller read them in this transaction), and the events themselves that
    `known` (the other side's event ids) lacks; with None, none of them: what a merge needs of
    the side it writes."""
    keys = identity.card_keys(conn)
    held = event_ids(conn) if held is None else held
    # Only the events the other side lacks are read whole (bench_sync, 1M answers a side: a
    # snapshot of every event took 14 s and most of a sync's 1.7 GB).
    wanted = sorted(held - known) if known is not None else []
    events = {}
    for start in range(0, len(wanted), BATCH):
        for row in conn.execute(
            select(
                reviews.c.event_id,
                reviews.c.card_id,
                reviews.c.at,
                reviews.c.day,
                reviews.c.grade,
                reviews.c.duration_ms,
                reviews.c.kind,
                reviews.c.device,
            ).where(reviews.c.event_id.in_(wanted[start : start + BATCH]))
        ):
            events[row.event_id] = Event(
                keys[row.card_id], _utc(row.at), row.day, row.grade, row.duration_ms, row.kind, row.device
            )
    voided = {row.event_id: (_utc(row.voided_at), row.device) for row in conn.execute(select(voids))}
    suspensions = {
        keys[card_id]: Stamped(bool(suspended), _utc(at) if at is not None else None)
        for card_id, suspended, at in conn.execute(select(cards.c.id, cards.c.suspended, cards.c.suspended_at))
    }
    edited = {}
    for row in conn.execute(
        select(decks.c.name, nodes, node_edits.c.field, node_edits.c.file_text, node_edits.c.edited_at)
        .select_from(node_edits)
        .join(nodes, nodes.c.id == node_edits.c.node_id)
        .join(decks, decks.c.id == nodes.c.deck_id)
    ):
        edited[row.name, row.key, row.field] = FieldEdit(getattr(row, row.field), row.file_text, _utc(row.edited_at))
    pair_cards = frozenset(key for key in keys.values() if key[3] in PAIR_KINDS)
    own_notes = {
        (row.learner, row.deck, row.key, row.field): OwnNote(row.text, _utc(row.edited_at))
        for row in _learners_rows(
            conn, learner_notes, learner_notes.c.field, learner_notes.c.text, learner_notes.c.edited_at
        )
    }
    written = {
        (row.learner, row.deck, row.key, _utc(row.at), row.text): row.day
        for row in _learners_rows(conn, journal, journal.c.at, journal.c.text, journal.c.day)
    }
    return Snapshot(identity.device_id(conn), held, events, voided, suspensions, edited, pair_cards, own_notes, written)


def _learners_rows(conn, table, *columns):
    """The rows of `table` (a learner's, about a node) as every copy knows them: the learner's
    name, the deck's, the node's key, then `columns`."""
    return conn.execute(
        select(learner_rows.c.name.label("learner"), decks.c.name.label("deck"), nodes.c.key, *columns)
        .join(learner_rows, learner_rows.c.id == table.c.learner_id)
        .join(nodes, nodes.c.id == table.c.node_id)
        .join(decks, decks.c.id == nodes.c.deck_id)
    )


@dataclass(frozen=True)
class Merged:
    """What merging the other side's snapshot changed on this side."""

    answers: int = 0
    """The learner's answers (and checks) added."""
    events: int = 0
    """Events added in all: answers, checks and credits."""
    voids: int = 0
    """Voids taken from the other side."""
    removed: int = 0
    """Events removed from this side's log because the other side voided them."""
    notes: int = 0
    """Fields of nodes (definitions and examples, and learners' own notes and mnemonics) given
    the other side's later edit."""
    journal: int = 0
    """Journal entries added."""
    suspensions: int = 0
    """Cards suspended or unsuspended as the other side's later change says."""
    pair_cards: int = 0
    """Pair cards made because the other side has them."""
    cards: int = 0
    """Cards whose schedules were rebuilt by replay."""
    missing: int = 0
    """The other side's answers to cards this side does not have (their deck or node): left
    where they are, for a later sync once the deck is here."""
    wrote: bool = False
    """Anything at all was written (a stamp alone included)."""


def merge_into(conn, theirs: Snapshot, held: frozenset[str] | None = None) -> Merged:
    """Merge the other side's snapshot into this side: its pair cards this deck can have, its
    voids, its events not voided here, its later suspensions and edits; every card whose log
    changed rebuilt by replay. Nothing of this side is lost: an event it holds leaves only for a
    void, a suspension or an edit only for a later one. `held`: this side's event ids, when the
    caller read them in this transaction."""
    edits.hold_off_imports(conn)  # no import rewrites the nodes and cards while they are merged
    here = set(conn.scalars(select(learner_rows.c.name)))
    theirs_learners = {key[0] for mapping in (theirs.suspensions, theirs.own_notes, theirs.journal) for key in mapping}
    for name in sorted(theirs_learners - here):
        learners.become(conn, name)
    ours = snapshot(conn, held=held)
    node_ids = identity.node_ids(conn)
    deck_ids = dict(conn.execute(select(decks.c.name, decks.c.id)).all())
    learner_ids = dict(conn.execute(select(learner_rows.c.name, learner_rows.c.id)).all())
    made = 0
    for learner, deck, node_key, kind, partner_key in sorted(theirs.pair_cards - ours.pair_cards, key=repr):
        node, partner = node_ids.get((deck, node_key)), node_ids.get((deck, partner_key or ""))
        if node is not None and partner is not None:
            pairs.add_pair_card(conn, deck_ids[deck], learner_ids[learner], kind, node, partner)
            made += 1
    by_key = {key: card_id for card_id, key in identity.card_keys(conn).items()}

    new_voids = {event_id: mark for event_id, mark in theirs.voids.items() if event_id not in ours.voids}
    if new_voids:
        conn.execute(
            insert(voids),
            [{"event_id": e, "voided_at": at, "device": device} for e, (at, device) in sorted(new_voids.items())],
        )
    gone = [event_id for event_id in new_voids if event_id in ours.held]
    replay = set()
    for start in range(0, len(gone), BATCH):
        batch = gone[start : start + BATCH]
        replay.update(conn.scalars(select(reviews.c.card_id).where(reviews.c.event_id.in_(batch))))
        conn.execute(delete(reviews).where(reviews.c.event_id.in_(batch)))

    arriving: dict[int, list[ArrivingAnswer]] = defaultdict(list)
    missing = 0
    for event_id, event in sorted(theirs.events.items()):
        if event_id in ours.held or event_id in ours.voids:
            continue
        card_id = by_key.get(event.card)
        if card_id is None:
            missing += event.kind in ANSWERS
            continue
        arriving[card_id].append(
            ArrivingAnswer(event_id, event.device, event.at, event.day, event.grade, event.duration_ms, event.kind)
        )
    for card_id, events in arriving.items():
        add_answers(conn, card_id, events)
    for card_id in replay - set(arriving):
        deck_id, learner = conn.execute(select(cards.c.deck_id, cards.c.learner_id).where(cards.c.id == card_id)).one()
        rebuild_card(conn, card_id, deck_scheduler(conn, deck_id, learner))

    suspensions = stamps = 0
    for key, stamped in theirs.suspensions.items():
        card_id, mine = by_key.get(key), ours.suspensions.get(key)
        if card_id is None:
            continue
        if mine is None:  # a pair card made above: as it was there
            mine = Stamped(False, None)
        if later(mine, stamped) is stamped and stamped != mine:
            conn.execute(
                update(cards).where(cards.c.id == card_id).values(suspended=stamped.value, suspended_at=stamped.at)
            )
            suspensions += stamped.value != mine.value
            stamps += 1

    taken = {key: edit for key, edit in edits_to_take(ours.edits, theirs.edits).items() if (key[0], key[1]) in node_ids}
    for (deck, node_key, field), edit in sorted(taken.items()):
        node_id = node_ids[deck, node_key]
        edits.set_fields(conn, node_id, {field: edit.text})
        edits.put_row(conn, node_id, field, edit.file_text, edit.edited_at)

    own_taken = {
        key: note
        for key, note in edits_to_take(ours.own_notes, theirs.own_notes).items()
        if (key[1], key[2]) in node_ids
    }
    for (learner, deck, node_key, field), note in sorted(own_taken.items()):
        learner_notes_rows.put(conn, learner_ids[learner], node_ids[deck, node_key], field, note.text, note.edited_at)

    entries = [
        (key, day)
        for key, day in sorted(theirs.journal.items())
        if key not in ours.journal and (key[1], key[2]) in node_ids
    ]
    for (learner, deck, node_key, at, text), day in entries:
        journal_rows.add_entry(conn, deck_ids[deck], learner_ids[learner], node_ids[deck, node_key], day, at, text)

    events_added = sum(map(len, arriving.values()))
    return Merged(
        answers=sum(event.kind in ANSWERS for events in arriving.values() for event in events),
        events=events_added,
        voids=len(new_voids),
        removed=len(gone),
        notes=len(taken) + len(own_taken),
        journal=len(entries),
        suspensions=suspensions,
        pair_cards=made,
        cards=len(replay | set(arriving)),
        missing=missing,
        wrote=bool(made or new_voids or events_added or stamps or taken or own_taken or entries),
    )

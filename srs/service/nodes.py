"""One node as the learner looks it up: its place, neighbours and notes, and each of its cards
as it shows and where it stands. The app's detail pane and `srs show` both draw this. And the
one way the learner edits a node's text (`edit_node`, taken back by `undo_edit`).

Every function opens one transaction through `srs.storage` and returns frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from srs.core import events
from srs.core.cards import CardContent, Neighbour, gloss, relation_group
from srs.core.edits import EDITABLE, OWN_FIELDS, field_text, file_text_after
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.leech import is_leech
from srs.core.mastery import CardState
from srs.core.queue import is_buried
from srs.core.reflection import socratic_prompt
from srs.env import Env
from srs.errors import SrsError
from srs.readers.validate import MAX_TEXT
from srs.storage import answers, decks, edits, journal, learner_notes, pairs, queue, schedulers
from srs.storage.options import options_of

JOURNAL_LINES = 3
"""How many of a node's journal entries its detail shows."""


@dataclass(frozen=True)
class CardSchedule:
    """One card of a node: what it shows and where it stands."""

    kind: str
    state: CardState
    easiness: float
    interval: int
    due: date | None
    reviews: int
    lapses: int
    last_grades: tuple[int, ...]
    """The latest answers first, drills included."""
    content: CardContent
    """What the card shows, as the graph stands now."""
    suspended: bool
    """Out of every queue until the learner unsuspends it."""
    buried: bool
    """Buried today: out of today's queues, back the next learner's day."""
    leech: bool = False
    """Its lapses reached the learner's `leech_threshold`."""
    stability: float | None = None
    """FSRS's stability in days; None under SM-2 or for a new card."""
    difficulty: float | None = None
    """FSRS's difficulty, 1 to 10; None under SM-2 or for a new card."""
    retrievability: float | None = None
    """FSRS's probability of recall today; None under SM-2 or for a new card."""
    latest: tuple[LoggedEvent, ...] = ()
    """The latest events of its log, latest first: the learner's answers and the credits."""
    prompt: str | None = None
    """The question to think over its next review asks after the answer (`socratic_prompts`):
    on a branch's definition card where the deck's option is on, else None."""


@dataclass(frozen=True)
class LoggedEvent:
    """One event of a card's log, as its history shows it."""

    grade: int
    """The answer's grade (a credit's: minus its level, `srs.core.credit.logged_grade`)."""
    credit_days: int | None = None
    """For a credit (`implicit_credit`), the days it moved the card's due day by; None for an answer."""


@dataclass(frozen=True)
class PairCard:
    """A card about the node and another one (`srs.core.pairs`): a contrast or relation card."""

    kind: str
    other: str
    """The other node's label."""
    state: CardState
    interval: int
    due: date | None
    reviews: int
    lapses: int
    content: CardContent


@dataclass(frozen=True)
class NodeDetail:
    """Everything the detail pane (and `srs show`) shows about one node."""

    id: int
    key: str
    """The node's id in its map file."""
    label: str
    path: tuple[str, ...]
    """Labels from the root down to the node itself."""
    definition: str
    example: str
    notes: str
    mnemonic: str
    parents: tuple[Neighbour, ...]
    siblings: tuple[Neighbour, ...]
    children: tuple[Neighbour, ...]
    cards: tuple[CardSchedule, ...]
    retired: bool
    """Gone from the deck's file, kept with its history: out of the hierarchy and of every queue."""
    edited: frozenset[str] = frozenset()
    """The fields (definition, example, notes, mnemonic) that hold the learner's text, not the file's:
    the deck's edits of the definition and example, this learner's own notes and mnemonic."""
    parent_relations: tuple[str, ...] = ()
    """What the node is of each parent (`srs.core.cards.relation_group`: `kind`, `part` or '')."""
    child_relations: tuple[str, ...] = ()
    """What each child is of the node, as `parent_relations` says it."""
    scheduler: str = "sm2"
    """The scheduler the node's deck follows: "sm2" or "fsrs"."""
    pair_cards: tuple[PairCard, ...] = ()
    """The cards about the node and another one, apart from its own `cards`."""
    journal: tuple[tuple[date, str], ...] = ()
    """The node's latest journal entries (day, text), newest first: `JOURNAL_LINES` of them."""


def load_node(env: Env, node_id: int) -> NodeDetail:
    """A node with its neighbourhood, notes and cards. Raises `NotFoundError` for a node gone."""
    with env.connection() as conn:
        return _detail(
            conn, decks.get_node(conn, node_id, env.learner_id), env.clock.today(), env.config.leech_threshold.value
        )


def find_node(env: Env, deck_name: str | None, name: str) -> NodeDetail:
    """The node `name` (a node id, label or label path) of the deck, with all `load_node` gives;
    a retired node (by its id or label) where no live node matches, with its retired cards.

    Raises `NotFoundError` / `AmbiguousError` for a deck or node that is not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        return _detail(
            conn, decks.find_node(conn, deck, name, retired=True), env.clock.today(), env.config.leech_threshold.value
        )


def _detail(conn, node, today: date, leech_threshold: int) -> NodeDetail:
    cards = queue.node_cards(conn, node, include_retired=node.retired)
    grades = answers.last_grades(conn, [card.id for card in cards])
    latest = answers.latest_events(conn, [card.id for card in cards])
    path = decks.node_path(conn, node)
    parents, siblings, children = decks.node_neighbours(conn, node)
    graph = decks.around(node, path, parents, siblings, children)
    scheduler = schedulers.deck_scheduler(conn, node.deck_id, node.learner_id)
    fsrs = scheduler if isinstance(scheduler, FsrsScheduler) else None
    prompts = options_of(conn, node.deck_id).socratic_prompts and not node.retired
    contents = [queue.content_in(card, node, graph) for card in cards]
    return NodeDetail(
        id=node.id,
        key=node.key,
        label=node.label,
        path=tuple(n.label for n in path),
        definition=node.definition,
        example=node.example,
        notes=node.notes,
        mnemonic=node.mnemonic,
        parents=tuple(_related(n) for n in parents),
        siblings=tuple(_related(n) for n in siblings),
        children=tuple(_related(n) for n in children),
        cards=tuple(
            CardSchedule(
                card.kind,
                queue.state_of(card),
                card.easiness / 100,
                card.interval,
                card.due,
                card.reviews,
                card.lapses,
                grades[card.id],
                content,
                bool(card.suspended),
                is_buried(card.buried_on, today),
                is_leech(card.lapses, leech_threshold),
                *_memory(card, today, fsrs),
                tuple(_event(*event) for event in latest[card.id]),
                socratic_prompt(content, card.reviews) if prompts else None,
            )
            for card, content in zip(cards, contents, strict=True)
        ),
        retired=node.retired,
        edited=edits.edited_fields(conn, node.id) | learner_notes.own_fields(conn, node.learner_id, node.id),
        parent_relations=tuple(relation_group(n.relation) for n in parents),
        child_relations=tuple(relation_group(n.relation) for n in children),
        scheduler="fsrs" if fsrs is not None else "sm2",
        pair_cards=tuple(
            PairCard(
                card.kind,
                card.other_label,
                queue.state_of(card),
                card.interval,
                card.due,
                card.reviews,
                card.lapses,
                pairs.pair_content(conn, card),
            )
            for card in pairs.pair_cards(conn, node, include_retired=node.retired)
        ),
        journal=tuple(
            (row.day, row.text) for row in journal.entries(conn, node.deck_id, node.learner_id, node.id, JOURNAL_LINES)
        ),
    )


def _event(kind: str, grade: int, moved: int) -> LoggedEvent:
    return LoggedEvent(grade, moved if kind == events.CREDIT else None)


def _memory(card, today: date, fsrs: FsrsScheduler | None) -> tuple[float | None, float | None, float | None]:
    """(stability, difficulty, recall today) of a card under FSRS; Nones under SM-2 or for a new card."""
    if fsrs is None or card.stability is None:
        return None, None, None
    return card.stability, card.difficulty, retrievability(answers.schedule_of(card), today, fsrs)


def _related(node) -> Neighbour:
    return Neighbour(node.label, gloss(node.definition))


# -- editing a node's text ------------------------------------------------------------------------


@dataclass(frozen=True)
class EditRow:
    """An edit row of the definition or the example as it stood: what the file said for the
    field, and when it was edited."""

    id: int
    file_text: str
    edited_at: datetime


@dataclass(frozen=True)
class OwnRow:
    """The learner's own notes or mnemonic as they stood (their text is the edit's `before`)."""

    id: int
    edited_at: datetime


@dataclass(frozen=True)
class FieldEdit:
    """One field an edit changed, with all `undo_edit` needs to put it back."""

    field: str
    before: str
    after: str
    row_before: EditRow | OwnRow | None
    """The field's row before the edit: the deck's edit row of the definition or example, the
    learner's own notes or mnemonic; None: it had none (the field showed the file's text)."""


@dataclass(frozen=True)
class NodeEdit:
    """What `edit_node` changed: hand it to `undo_edit` to take the edit back."""

    node_id: int
    label: str
    fields: tuple[FieldEdit, ...]
    """The fields whose text changed, in the edit dialog's order; empty when none did."""

    @property
    def changed(self) -> bool:
        return bool(self.fields)


def edit_node(env: Env, node_id: int, changes: dict[str, str]) -> NodeEdit:
    """Write the learner's text for some of a node's fields (definition, example, notes,
    mnemonic), in one transaction; a field given its present text is left as it is.

    The text is cleaned as an import cleans a file's (`srs.core.edits.field_text`). The
    definition and the example are the deck's, every learner's: the node's row then holds the
    learner's text, and an edit row per edited field what the file said for it at the first
    edit, so a re-import keeps the learner's text (`srs.core.edits`); a field edited back to the
    file's text loses its edit row. Notes and a mnemonic are the learner's own: written apart
    from the node's row, shown to them alone, kept however it is re-imported. Raises
    `NotFoundError` for a node gone, `SrsError` for a text longer than a deck file may hold,
    `ValueError` for another field.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not a field the learner edits: {', '.join(sorted(unknown))}")
    now = env.clock.now()
    learner = env.learner_id
    with env.connection(write=True) as conn:
        edits.hold_off_imports(conn)
        node = decks.get_node(conn, node_id, learner)
        rows = edits.edit_rows(conn, node_id)
        own = learner_notes.own_rows(conn, learner, node_id)
        done = []
        for name in (name for name in EDITABLE if name in changes):
            current = getattr(node, name)
            # A field handed back as it was is left alone, even where its stored text would not
            # pass `field_text` unchanged (an older database's control character, say).
            if changes[name] == current:
                continue
            text = field_text(changes[name])
            if text == current:
                continue
            if len(text) > MAX_TEXT:
                raise SrsError(f"the {name} is {len(text):,} characters; the limit is {MAX_TEXT:,}")
            if name in OWN_FIELDS:
                mine = own.get(name)
                done.append(FieldEdit(name, current, text, OwnRow(mine.id, mine.edited_at) if mine else None))
                learner_notes.put(conn, learner, node_id, name, text, now)
                continue
            row = rows.get(name)
            done.append(FieldEdit(name, current, text, EditRow(row.id, row.file_text, row.edited_at) if row else None))
            said = file_text_after(current, row.file_text if row else None, text)
            if said is None:
                edits.delete_rows(conn, node_id, [name])
            elif row is None:
                edits.put_row(conn, node_id, name, said, now)
            else:
                edits.touch_row(conn, node_id, name, now)
        edits.set_fields(
            conn, node_id, {change.field: change.after for change in done if change.field not in OWN_FIELDS}
        )
    return NodeEdit(node_id, node.label, tuple(done))


def undo_edit(env: Env, edit: NodeEdit) -> None:
    """Take back `edit`: the node's fields, their edit rows and the learner's own notes exactly
    as they were before it.

    Raises `NotFoundError` for a node gone, and `SrsError`, changing nothing, where a field no
    longer holds what the edit wrote (edited again since, or re-imported): that text stays.
    """
    if not edit.changed:
        return
    learner = env.learner_id
    with env.connection(write=True) as conn:
        edits.hold_off_imports(conn)
        node = decks.get_node(conn, edit.node_id, learner)
        for change in edit.fields:
            if getattr(node, change.field) != change.after:
                raise SrsError(f"the {change.field} of {node.label!r} changed since; the edit was not taken back")
        deck_fields = [change for change in edit.fields if change.field not in OWN_FIELDS]
        edits.delete_rows(conn, edit.node_id, [change.field for change in deck_fields])
        learner_notes.drop(conn, learner, edit.node_id, [c.field for c in edit.fields if c.field in OWN_FIELDS])
        for change in edit.fields:
            row = change.row_before
            if isinstance(row, EditRow):
                edits.put_row(conn, edit.node_id, change.field, row.file_text, row.edited_at, row_id=row.id)
            elif isinstance(row, OwnRow):
                learner_notes.put(conn, learner, edit.node_id, change.field, change.before, row.edited_at, row.id)
        edits.set_fields(conn, edit.node_id, {change.field: change.before for change in deck_fields})

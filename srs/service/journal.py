"""A branch's journal, for `srs journal` and the end of a branch session: write an entry, read
them back newest first (the map's detail pane reads a node's latest through `service.nodes`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from srs.core.reflection import journal_text
from srs.env import Env
from srs.storage import decks
from srs.storage import journal as stored


@dataclass(frozen=True)
class JournalEntry:
    """One entry of a branch's journal."""

    id: int
    node: str
    """The node's id in its map file."""
    label: str
    day: date
    """The learner's day it was written for."""
    at: datetime
    """When it was written (UTC)."""
    text: str
    retired: bool = False
    """Its node is gone from the deck's file (kept with its history)."""


@dataclass(frozen=True)
class JournalView:
    """The entries `srs journal` lists: a deck's, or one branch's, newest first."""

    deck: str
    branch: str | None
    """The branch's label; None for the whole deck."""
    entries: tuple[JournalEntry, ...]


def _utc(at: datetime) -> datetime:
    # SQLite gives the stored UTC moment back without its zone, PostgreSQL in the session's.
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def _entry(row) -> JournalEntry:
    return JournalEntry(row.id, row.key, row.label, row.day, _utc(row.at), row.text, bool(row.retired))


def add(env: Env, deck_name: str | None, branch: str, text: str) -> JournalView:
    """Keep `text` in the journal of `branch` (a node id, label or label path) for today; the
    branch with the entry kept. Raises `JournalError` for empty or overlong text,
    `NotFoundError` / `AmbiguousError` for a deck or branch that is not there; either way
    nothing is written."""
    line = journal_text(text)
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch)
        return JournalView(deck.name, node.label, (_add(conn, env, deck.id, node, line),))


def add_for_node(env: Env, node_id: int, text: str) -> JournalEntry:
    """Keep `text` in the journal of the node `node_id` (the branch a session studied)."""
    line = journal_text(text)
    with env.connection(write=True) as conn:
        node = decks.get_node(conn, node_id, env.learner_id)
        return _add(conn, env, node.deck_id, node, line)


def _add(conn, env: Env, deck_id: int, node, line: str) -> JournalEntry:
    day, at = env.clock.today(), env.clock.now().astimezone(timezone.utc)
    entry_id = stored.add_entry(conn, deck_id, env.learner_id, node.id, day, at, line)
    return JournalEntry(entry_id, node.key, node.label, day, at, line, bool(node.retired))


def entries(env: Env, deck_name: str | None, branch: str | None = None) -> JournalView:
    """The entries of the deck, or of `branch` (a retired one found by its id or label too),
    newest first."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch, retired=True) if branch is not None else None
        rows = stored.entries(conn, deck.id, deck.learner_id, node.id if node is not None else None)
        return JournalView(deck.name, node.label if node is not None else None, tuple(_entry(r) for r in rows))

"""Suspending and burying cards, for `srs suspend`, `unsuspend`, `bury` and `unbury` and for the
study screen's `@` and `-`, each with what it changed, so that the screen can take it back.

A suspended card is out of every queue until it is unsuspended; a buried one is out of the
learner's day it was buried on, and back the next day with its schedule untouched. Every call
is one transaction, committed before it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from srs.env import Env
from srs.storage import decks, queue, set_aside
from srs.storage.set_aside import Marks

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection


@dataclass(frozen=True)
class Changed:
    """What a suspend, unsuspend, bury or unbury of a node (or a branch) changed."""

    deck: str
    node: str
    """The node's id in its map file."""
    label: str
    below: bool
    """The change took the nodes below the node too (a branch with children)."""
    cards: int
    """The live cards it looked at, suspended ones included."""
    before: tuple[Marks, ...]
    """The cards it changed, as they were before."""

    @property
    def changed(self) -> int:
        """How many cards it changed."""
        return len(self.before)


def _on_node(
    env: Env,
    deck_name: str | None,
    name: str,
    branch: bool,
    change: Callable[[Connection, list[ColumnElement[bool]]], list[Marks]],
) -> Changed:
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, name)
        below = branch and bool(decks.node_neighbours(conn, node)[2])
        where = set_aside.of_branch(deck, node) if below else set_aside.of_node(node)
        looked_at = set_aside.count(conn, where)
        before = change(conn, where)
    return Changed(deck.name, node.key, node.label, below, looked_at, tuple(before))


def suspend(env: Env, deck_name: str | None, name: str) -> Changed:
    """Suspend the cards of the node `name` (a node id, label or label path) and of every node
    below it. Raises `NotFoundError` / `AmbiguousError` for a deck or node that is not there."""
    now = env.clock.now()
    return _on_node(env, deck_name, name, True, lambda conn, where: set_aside.suspend(conn, where, now))


def unsuspend(env: Env, deck_name: str | None, name: str) -> Changed:
    """Unsuspend the cards of the node `name` and of every node below it."""
    now = env.clock.now()
    return _on_node(env, deck_name, name, True, lambda conn, where: set_aside.unsuspend(conn, where, now))


def bury(env: Env, deck_name: str | None, name: str) -> Changed:
    """Bury the node's own cards until the next learner's day (suspended ones stay as they are)."""
    today = env.clock.today()
    return _on_node(env, deck_name, name, False, lambda conn, where: set_aside.bury(conn, where, today))


def unbury(env: Env, deck_name: str | None, name: str) -> Changed:
    """Bring the cards of the node `name`, and of every node below it, buried today back into
    today's queues."""
    today = env.clock.today()
    return _on_node(env, deck_name, name, True, lambda conn, where: set_aside.unbury(conn, where, today))


# -- for the study screen -----------------------------------------------------------------------


@dataclass(frozen=True)
class CardsSetAside:
    """Cards a study session sets aside: which leave the session, and how to put them back."""

    leaving: tuple[int, ...]
    """The cards that leave the session: the card shown and, for a bury, its node's other cards."""
    before: tuple[Marks, ...]
    """The cards changed, as they were before: what `put_back` restores."""


def suspend_card(env: Env, card_id: int) -> CardsSetAside:
    """Suspend one card. Raises `NotFoundError` for a card gone from the deck."""
    with env.connection(write=True) as conn:
        queue.get_card(conn, card_id)
        return CardsSetAside((card_id,), tuple(set_aside.suspend(conn, set_aside.of_card(card_id), env.clock.now())))


def bury_card(env: Env, card_id: int) -> CardsSetAside:
    """Bury the card and its node's other cards until the next learner's day, as `srs bury`
    buries a node: a node's cards ask about one concept, and one would tell the other."""
    with env.connection(write=True) as conn:
        card = queue.get_card(conn, card_id)
        where = set_aside.of_node(decks.get_node(conn, card.node_id, env.learner_id))
        leaving = (card_id, *(other for other in set_aside.card_ids(conn, where) if other != card_id))
        return CardsSetAside(leaving, tuple(set_aside.bury(conn, where, env.clock.today())))


def put_back(env: Env, before: tuple[Marks, ...]) -> None:
    """Restore the cards' suspension and burial exactly as `before` says (an undo)."""
    with env.connection(write=True) as conn:
        set_aside.restore(conn, before, env.clock.now())

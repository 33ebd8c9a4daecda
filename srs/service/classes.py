"""The teacher's view: how a class of learners sharing a deck stands on each of its nodes."""

from __future__ import annotations

from dataclasses import dataclass

from srs.core.classes import ClassNode, hardest
from srs.env import Env
from srs.storage import classes, decks


@dataclass(frozen=True)
class ClassView:
    deck: str
    branch: str | None
    learners: int
    """The learners with cards of the deck."""
    nodes: tuple[ClassNode, ...]
    """The branch's live nodes (the deck's, without one), in the deck's order."""
    hardest: tuple[ClassNode, ...]
    """The nodes the class finds hardest, hardest first (`srs.core.classes.hardest`)."""


def class_view(env: Env, deck_name: str | None, branch: str | None = None) -> ClassView:
    """The class's figures on each node of the deck or of `branch` (a node id, label or path).
    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch is not None else None
        found = classes.class_nodes(conn, deck, node)
        size = classes.class_size(conn, deck)
    return ClassView(deck.name, node.label if node is not None else None, size, tuple(found), tuple(hardest(found)))

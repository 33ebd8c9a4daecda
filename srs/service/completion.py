"""What the shell's tab completion offers: the deck names, and the node names of a deck, that
start with what has been typed (`srs` completes `--deck`, BRANCH and NODE with these)."""

from __future__ import annotations

from srs.env import Env
from srs.storage import decks

MOST = 200
"""Names offered at most: a shell lists them all, and a 100k-node deck has more than anyone reads."""


def deck_names(env: Env, start: str) -> list[str]:
    """The decks whose name starts with `start`, in any case."""
    with env.connection() as conn:
        return [name for name in decks.deck_names(conn) if name.lower().startswith(start.lower())]


def node_names(env: Env, deck_name: str | None, start: str) -> list[str]:
    """The node labels of the deck (None: the only deck there is) that start with `start`, in
    any case, in the map's order; after a `/`, the children of the path before it whose label
    starts with the rest (`Scaling Laws/Ch` -> `Scaling Laws/Chinchilla`).

    Raises `NotFoundError` / `AmbiguousError` for a deck, or a path before the `/`, not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        head, slash, tail = start.rpartition("/")
        if not slash:
            return decks.labels_starting(conn, deck, start, MOST)
        parent = decks.find_node(conn, deck, head)
        _, _, children = decks.node_neighbours(conn, parent)
        return [f"{head}/{child.label}" for child in children if child.label.lower().startswith(tail.lower())][:MOST]

"""Exports of a deck or a branch to the files other programs read."""

from __future__ import annotations

from srs.env import Env
from srs.service.decks import _node


def export_anki(env: Env, node_id: int, path, progress=None):
    """Write the branch under `node_id` (the whole deck from its root) as an Anki package."""
    from srs.anki import export_anki as write  # deferred: genanki is only needed to export

    with env.session() as session:
        node = _node(session, node_id)
        deck = node.deck
        branch = None if node.key == deck.root_key else node
        return write(session, deck, branch, path, 1, env.clock.now(), progress)

"""The statistics of a deck or a branch, as the terminal app and `srs stats` show them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srs.env import Env
from srs.storage import decks

if TYPE_CHECKING:
    from srs.core.stats import Stats


def load_stats(env: Env, deck_name: str | None, branch_id: int | None = None) -> Stats:
    """Every figure of the statistics screen for the deck, or the branch under `branch_id`, today."""
    from srs.storage import stats  # only the statistics need it

    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        branch = decks.get_node(conn, branch_id, env.learner_id) if branch_id is not None else None
        return stats.statistics(conn, deck, env.clock.today(), branch)


def statistics(env: Env, deck_name: str | None, branch: str | None = None) -> Stats:
    """Every figure for the deck, or for `branch` (a node id, a label or a label path), today.

    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    from srs.storage import stats  # only the statistics need it

    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        return stats.statistics(conn, deck, env.clock.today(), node)

"""The statistics of a deck or a branch, as the terminal app and `srs stats` show them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from srs.env import Env
from srs.service.decks import _node
from srs.storage.stats import Bucket as Bucket  # the figures' types, for the screens that draw them
from srs.storage.stats import Stats as Stats

if TYPE_CHECKING:
    from srs.storage import stats


def load_stats(env: Env, deck_name: str | None, branch_id: int | None = None) -> stats.Stats:
    """Every figure of the statistics screen for the deck, or one branch of it, today."""
    from srs.storage import repo, stats  # only the statistics screen needs it

    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        branch = _node(session, branch_id) if branch_id is not None else None
        return stats.statistics(session, deck, env.clock.today(), branch)

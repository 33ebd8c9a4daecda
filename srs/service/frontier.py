"""The frontier of a deck or branch under progressive layering, for `srs frontier`, the map's
lock marks and a branch session's summary: which nodes are ready to learn, which are locked and
what each waits for, and when the next layer opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from srs.core import queue as rules
from srs.env import Env
from srs.storage import decks, layering, schedulers
from srs.storage.options import options_of


@dataclass(frozen=True)
class Waiting:
    """A parent a locked node waits for, with its definition card's interval now."""

    node: str
    """The parent's id in its map file."""
    label: str
    interval: int
    reviews: int


@dataclass(frozen=True)
class LockedNode:
    """A node whose new cards wait, with the parents it waits for and the day it opens if they
    keep their schedule: the last of their days `srs.core.queue.reaches` gives."""

    node: str
    label: str
    waits_for: tuple[Waiting, ...]
    opens: date


@dataclass(frozen=True)
class FrontierView:
    """What `srs frontier` shows."""

    deck: str
    branch: str | None
    unlock_after_days: int
    """0: layering is off, and nothing is locked."""
    ready: tuple[tuple[str, str], ...]
    """The (key, label) of each node ready to learn, parents first."""
    locked: tuple[LockedNode, ...]

    @property
    def next_layer(self) -> date | None:
        """The earliest day a locked node opens; None when none is locked."""
        return min((n.opens for n in self.locked), default=None)


def frontier(env: Env, deck_name: str | None, branch: str | None = None) -> FrontierView:
    """The deck's or branch's frontier. Raises `NotFoundError` / `AmbiguousError` for a deck or
    branch that is not there."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        return _frontier(conn, deck, node, env.clock.today())


def frontier_of_scope(env: Env, deck_name: str, branch_id: int | None) -> FrontierView:
    """The frontier of a study session's scope (`srs.service.study.Scope`)."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.get_node(conn, branch_id, env.learner_id) if branch_id is not None else None
        return _frontier(conn, deck, node, env.clock.today())


def layering_on(env: Env, deck_name: str) -> bool:
    """Whether the deck follows progressive layering (`unlock_after_days` above 0)."""
    with env.connection() as conn:
        return options_of(conn, decks.find_deck(conn, deck_name, env.learner_id).id).unlock_after_days > 0


def locked_among(env: Env, deck_name: str, node_ids: list[int]) -> frozenset[int]:
    """Which of the nodes are locked (none with layering off): for the map's lock marks, asked
    for the nodes a branch shows as it is opened, so a deck of any size is never read whole."""
    out: set[int] = set()
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        days = options_of(conn, deck.id).unlock_after_days
        if not days:
            return frozenset()
        for start in range(0, len(node_ids), layering.BATCH):
            found, _labels = layering.layer_nodes(conn, deck, node_ids=node_ids[start : start + layering.BATCH])
            out.update(node for node, _waiting in rules.frontier(found, days).locked)
    return frozenset(out)


def _frontier(conn, deck, branch, today: date) -> FrontierView:
    days = options_of(conn, deck.id).unlock_after_days
    found, labels = layering.layer_nodes(conn, deck, branch)
    keys = layering.node_keys(conn, {n.id for n in found} | {p.node for n in found for p in n.parents})
    result = rules.frontier(found, days)
    scheduler = schedulers.deck_scheduler(conn, deck.id, deck.learner_id)
    schedules = layering.definition_schedules(
        conn, {p.node for _n, waiting in result.locked for p in waiting}, deck.learner_id
    )
    # A parent that is locked itself and new is first answered on the day it opens: its
    # children open after that. Many locked nodes wait for one parent: each parent's day is
    # worked out once, parents first (`result.locked` is in parents-first order).
    opens: dict[int, date] = {}
    reached: dict[int, date] = {}

    def reached_by(parent: int) -> date:
        if parent not in reached:
            schedule = schedules[parent]
            start = opens.get(parent, today) if schedule.reviews == 0 else today
            reached[parent] = rules.reaches(schedule, days, max(start, today), scheduler)
        return reached[parent]

    for nid, waiting in result.locked:
        opens[nid] = max(reached_by(p.node) for p in waiting)
    locked = tuple(
        LockedNode(
            keys[nid],
            labels[nid],
            tuple(Waiting(keys[p.node], labels[p.node], p.interval, p.reviews) for p in waiting),
            opens[nid],
        )
        for nid, waiting in result.locked
    )
    return FrontierView(
        deck.name,
        branch.label if branch is not None else None,
        days,
        tuple((keys[nid], labels[nid]) for nid in result.ready),
        locked,
    )

"""Decks and their maps for the command line and the terminal app: the deck list, a deck's map
with each branch's counts, its daily limits, a node's notes (a node's detail is
`srs.service.nodes`).

Every function opens one transaction through `srs.storage` and returns frozen values, so callers
never hold database objects and nothing loads lazily from a closed transaction.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from srs.core.mastery import MATURE_FROM, CardState, card_state
from srs.env import Env
from srs.service.nodes import edit_node
from srs.storage import answers, decks, learners, queue
from srs.storage.tree import TreeNode, deck_tree, map_top

if TYPE_CHECKING:
    from srs.storage.queue import DayCounts


def branch_state(learned: int, mastery: float) -> CardState:
    """The colour a branch is drawn in: new until one of its cards is learned, then the state a
    single card would have at the branch's mastery (mastery 1 is an interval of 21 days)."""
    if learned == 0:
        return CardState.NEW
    return card_state(learned, round(mastery * MATURE_FROM))


class MapNode:
    """One node of the concept map, with the counts of its whole branch.

    A read-only view of `srs.storage.tree.TreeNode`: a large deck has tens of thousands of
    nodes, and wrapping is several times cheaper than copying them.
    """

    __slots__ = ("_node",)

    def __init__(self, node: TreeNode) -> None:
        self._node = node

    @property
    def id(self) -> int:
        return self._node.id

    @property
    def key(self) -> str:
        """The node's id in the deck file."""
        return self._node.key

    @property
    def label(self) -> str:
        return self._node.label

    @property
    def color(self) -> str | None:
        """The deck's colour for the node, `#rrggbb`."""
        return self._node.color

    @property
    def children(self) -> list[int]:
        return self._node.children

    @property
    def due(self) -> int:
        return self._node.counts.due

    @property
    def new(self) -> int:
        return self._node.counts.new

    @property
    def learned(self) -> int:
        return self._node.counts.learned

    @property
    def cards(self) -> int:
        return self._node.counts.cards

    @property
    def mastery(self) -> float:
        """0..1, the mean over the branch's nodes (see `srs.core.mastery`)."""
        return self._node.counts.mastery

    @property
    def state(self) -> CardState:
        return branch_state(self.learned, self.mastery)

    def __repr__(self) -> str:
        return f"MapNode({self.id}, {self.label!r}, due={self.due}, new={self.new})"


@dataclass(frozen=True)
class DeckMap:
    """A deck's concept map and today's totals: everything the home screen draws."""

    deck: str
    today: date
    counts: DayCounts
    streak: int
    root: int | None
    nodes: dict[int, MapNode]
    branch: int | None = None
    """The node `load_map` was asked for by name (the root when none was named)."""
    counted: bool = True
    """False for the top of a map (`map_top`): the root and its branches, their counts not yet read."""
    coloured: bool = False
    """Whether the deck gives any of its live nodes a colour (in the top of a map: any of those)."""
    size: int = 0
    """How many nodes the deck holds (the top of a map counts its retired nodes too)."""
    learner: str | None = None
    """Whose schedules these are, where the database holds several learners; None with one."""
    _parents: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    def first_parents(self) -> dict[int, int]:
        """Each reachable node's parent on a shortest path from the root."""
        if not self._parents and self.root is not None:
            seen = {self.root}
            todo = deque([self.root])
            while todo:
                nid = todo.popleft()
                for child in self.nodes[nid].children:
                    if child not in seen:
                        seen.add(child)
                        self._parents[child] = nid
                        todo.append(child)
        return self._parents

    def path(self, node_id: int) -> list[int]:
        """The node ids from the root down to `node_id` (just `[node_id]` if unreachable)."""
        parents = self.first_parents()
        chain = [node_id]
        while chain[-1] in parents:
            chain.append(parents[chain[-1]])
        return chain[::-1]

    def preorder(self) -> Iterator[int]:
        """Every reachable node once, depth-first, parents before children, in the map's order."""
        if self.root is None:
            return
        seen: set[int] = set()
        stack = [self.root]
        while stack:
            nid = stack.pop()
            if nid in seen:
                continue
            seen.add(nid)
            yield nid
            stack.extend(reversed(self.nodes[nid].children))

    def next_branch_with_work(self, after: int | None, new_allowed: bool = True) -> MapNode | None:
        """The first branch after `after` (in depth-first order, wrapping round) with cards to
        study today, outside `after`'s own subtree and its ancestors; None when there is none."""
        order = [nid for nid in self.preorder() if nid != self.root]
        skip: set[int] = set()
        if after is not None and after != self.root:
            skip.update(self.path(after))
            skip.update(self.subtree(after))
            if after in order:
                start = order.index(after)
                order = order[start + 1 :] + order[: start + 1]
        for nid in order:
            node = self.nodes[nid]
            if nid not in skip and node.due + (node.new if new_allowed else 0) > 0:
                return node
        return None

    def subtree(self, node_id: int) -> set[int]:
        out = {node_id}
        todo = [node_id]
        while todo:
            for child in self.nodes[todo.pop()].children:
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out


def deck_names(env: Env) -> list[str]:
    with env.connection() as conn:
        return decks.deck_names(conn)


@dataclass(frozen=True)
class DeckSummary:
    """A deck as `srs decks` lists it: its size and what waits in it today."""

    name: str
    nodes: int
    retired_nodes: int
    cards: int
    due: int
    new: int
    reviewed_today: int
    """Answers today that moved a schedule: reviews and new cards introduced."""
    retired: tuple[str, ...]
    """The labels of its retired nodes (gone from the file, kept with their history)."""


def deck_summaries(env: Env, with_retired: bool = False) -> list[DeckSummary]:
    """Every deck, by name, with its node, card, due and new counts; with `with_retired`, the
    labels of its retired nodes too."""
    today = env.clock.today()
    out = []
    with env.connection() as conn:
        for deck in decks.deck_sizes(conn, env.learner_id):
            counts = queue.day_counts(conn, deck, today)
            retired = tuple(n.label for n in decks.retired_nodes(conn, deck)) if with_retired else ()
            out.append(
                DeckSummary(
                    deck.name,
                    deck.nodes,
                    deck.retired_nodes,
                    deck.cards,
                    counts.due,
                    counts.new,
                    counts.reviewed + counts.introduced,
                    retired,
                )
            )
    return out


@dataclass(frozen=True)
class DeckChoice:
    """A deck as the deck list shows it: its name and what waits in it today."""

    name: str
    due: int
    new: int


def deck_choices(env: Env) -> list[DeckChoice]:
    """Every deck, by name, with today's due and new counts."""
    return [DeckChoice(d.name, d.due, d.new) for d in deck_summaries(env)]


def load_map(env: Env, deck_name: str | None, branch: str | None = None) -> DeckMap:
    """The deck's map with branch counts, today's totals and the streak; with `branch` (a node
    id, a label or a label path), the map's `branch` is that node.

    Raises `NotFoundError` when there is no such deck or node (or no deck at all) and
    `AmbiguousError` when no name is given and there are several decks, or the branch's name
    fits several nodes.
    """
    today = env.clock.today()
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        root, tree = deck_tree(conn, deck, today)
        start = decks.find_node(conn, deck, branch).id if branch else root
        counts = queue.day_counts(conn, deck, today)
        streak = answers.study_streak(conn, today, deck)
        learner = env.learner if learners.several(conn) else None
    nodes = {nid: MapNode(node) for nid, node in tree.items()}
    coloured = any(node.color for node in tree.values())
    return DeckMap(
        deck.name, today, counts, streak, root, nodes, start, coloured=coloured, size=len(nodes), learner=learner
    )


def load_map_top(env: Env, deck_name: str | None) -> DeckMap:
    """The top of the deck's map, to draw while `load_map` reads the rest: the root and its
    children with their own children's ids but not their counts (`counted` is False), today's
    totals and the streak. A few small statements, whatever the deck's size; `size` counts the
    deck's retired nodes too.

    Raises as `load_map` does for the deck.
    """
    today = env.clock.today()
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        root, tree, size = map_top(conn, deck)
        counts = queue.day_counts(conn, deck, today)
        streak = answers.study_streak(conn, today, deck)
        learner = env.learner if learners.several(conn) else None
    nodes = {nid: MapNode(node) for nid, node in tree.items()}
    coloured = any(node.color for node in tree.values())  # the whole map's say once it is read
    return DeckMap(
        deck.name,
        today,
        counts,
        streak,
        root,
        nodes,
        root,
        counted=False,
        coloured=coloured,
        size=size,
        learner=learner,
    )


@dataclass(frozen=True)
class DeckLimits:
    """A deck's daily limits."""

    deck: str
    new_per_day: int
    reviews_per_day: int


def set_limits(
    env: Env, deck_name: str | None, new_per_day: int | None = None, reviews_per_day: int | None = None
) -> DeckLimits:
    """Change the deck's daily limits of new cards and reviews (neither given: just read them)."""
    with env.connection(write=new_per_day is not None or reviews_per_day is not None) as conn:
        deck = decks.set_limits(conn, decks.find_deck(conn, deck_name, env.learner_id), new_per_day, reviews_per_day)
    return DeckLimits(deck.name, deck.new_per_day, deck.reviews_per_day)


def save_notes(env: Env, node_id: int, notes: str, mnemonic: str) -> None:
    """Store a node's notes and mnemonic, in one transaction: an edit as any other
    (`srs.service.nodes.edit_node`)."""
    edit_node(env, node_id, {"notes": notes, "mnemonic": mnemonic})

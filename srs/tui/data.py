"""What the screens read and write, as calls that each run in one transaction.

Screens never hold database objects: every function here opens a transaction, works through
`srs.storage`, and returns frozen dataclasses. So an answer is committed before the next card is
drawn, and nothing lazy-loads from a closed session. A study session's calls go through
`srs.storage.study` on a Core connection; the map's and the statistics' load the ORM
(`srs.storage.repo`) when first called, so `srs review` shows its first card without it.
Nothing here imports Textual.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from srs.core.cards import CardContent, Neighbour, gloss
from srs.core.mastery import MATURE_FROM, CardState, card_state
from srs.env import Env
from srs.errors import NotFoundError
from srs.storage import decks, study

if TYPE_CHECKING:
    from srs.storage import repo, stats
    from srs.storage.models import Node


@dataclass(frozen=True)
class Scope:
    """What a study session covers: a whole deck or one branch of it."""

    deck: str
    """The deck's name."""
    branch_id: int | None = None
    """The node whose subtree is studied; None for the whole deck."""
    title: str = ""
    """How the session is named on screen: the branch's label or the deck's name."""
    new_cards: bool = True
    """Whether new cards join the due ones (the `r` review of the whole deck leaves them out)."""


def branch_state(learned: int, mastery: float) -> CardState:
    """The colour a branch is drawn in: new until one of its cards is learned, then the state a
    single card would have at the branch's mastery (mastery 1 is an interval of 21 days)."""
    if learned == 0:
        return CardState.NEW
    return card_state(learned, round(mastery * MATURE_FROM))


class MapNode:
    """One node of the concept map, with the counts of its whole branch.

    A read-only view of `repo.TreeNode`: a large deck has tens of thousands of nodes, and
    wrapping is several times cheaper than copying them.
    """

    __slots__ = ("_node",)

    def __init__(self, node: repo.TreeNode) -> None:
        self._node = node

    @property
    def id(self) -> int:
        return self._node.id

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
    counts: repo.DayCounts
    streak: int
    root: int | None
    nodes: dict[int, MapNode]
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
class DeckChoice:
    """A deck as the deck list shows it: its name and what waits in it today."""

    name: str
    due: int
    new: int


def deck_choices(env: Env) -> list[DeckChoice]:
    """Every deck, by name, with today's due and new counts."""
    from srs.storage import repo

    with env.session() as session:
        return [DeckChoice(d.name, d.due, d.new) for d in repo.deck_summaries(session, env.clock.today())]


def load_map(env: Env, deck_name: str | None) -> DeckMap:
    """The deck's map with branch counts, today's totals and the streak.

    Raises `NotFoundError` when there is no such deck (or none at all) and `AmbiguousError`
    when no name is given and there are several decks.
    """
    from srs.storage import repo

    today = env.clock.today()
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        root, tree = repo.deck_tree(session, deck, today)
        counts = repo.day_counts(session, deck, today)
        streak = repo.study_streak(session, today, deck)
        nodes = {nid: MapNode(node) for nid, node in tree.items()}
        return DeckMap(deck.name, today, counts, streak, root, nodes)


def load_stats(env: Env, deck_name: str | None, branch_id: int | None = None) -> stats.Stats:
    """Every figure of the statistics screen for the deck, or one branch of it, today."""
    from srs.storage import repo, stats  # only the statistics screen needs it

    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        branch = _node(session, branch_id) if branch_id is not None else None
        return stats.statistics(session, deck, env.clock.today(), branch)


@dataclass(frozen=True)
class CardSchedule:
    """One card of a node and where it stands."""

    kind: str
    state: CardState
    easiness: float
    interval: int
    due: date | None
    reviews: int
    lapses: int
    last_grades: tuple[int, ...]
    """The latest answers first, drills included."""


@dataclass(frozen=True)
class NodeDetail:
    """Everything the detail pane shows about one node."""

    id: int
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


def load_node(env: Env, node_id: int) -> NodeDetail:
    """A node with its neighbourhood, notes and card schedules."""
    from srs.storage import repo

    with env.session() as session:
        node = _node(session, node_id)
        parents, siblings, children = decks.node_neighbours(session, node)
        cards = []
        for card in repo.cards_of(session, node):
            grades = tuple(r.grade for r in repo.last_answers(session, card))
            cards.append(
                CardSchedule(
                    card.kind,
                    study.state_of(card),
                    card.easiness / 100,
                    card.interval,
                    card.due,
                    card.reviews,
                    card.lapses,
                    grades,
                )
            )
        return NodeDetail(
            id=node.id,
            label=node.label,
            path=tuple(n.label for n in decks.node_path(session, node)),
            definition=node.definition,
            example=node.example,
            notes=node.notes,
            mnemonic=node.mnemonic,
            parents=tuple(_related(n) for n in parents),
            siblings=tuple(_related(n) for n in siblings),
            children=tuple(_related(n) for n in children),
            cards=tuple(cards),
        )


def _related(node) -> Neighbour:
    return Neighbour(node.label, gloss(node.definition))


def _node(session, node_id: int) -> Node:
    from srs.storage.models import Node

    node = session.get(Node, node_id)
    if node is None:
        raise NotFoundError("that concept is no longer in the deck")
    return node


def save_notes(env: Env, node_id: int, notes: str, mnemonic: str) -> None:
    """Store a node's notes and mnemonic, in one transaction."""
    with env.connection(write=True) as conn:
        decks.set_notes(conn, node_id, notes=notes, mnemonic=mnemonic)


def branch_scope(env: Env, deck_name: str | None, branch: str | None, new_cards: bool = True) -> Scope:
    """The session on `branch` (a node id, label or label path) of the deck, or on the whole deck.

    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name)
        if branch is None:
            return Scope(deck.name, None, deck.name, new_cards)
        node = decks.find_node(conn, deck, branch)
        return Scope(deck.name, node.id, node.label, new_cards)


def session_cards(env: Env, scope: Scope) -> list[int]:
    """Today's cards for the scope, in the order they should come (see `study.study_queue`)."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, scope.deck)
        branch = decks.get_node(conn, scope.branch_id) if scope.branch_id is not None else None
        return study.study_queue(conn, deck, env.clock.today(), branch, new_cards=scope.new_cards)


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen shows it."""

    id: int
    node_id: int
    content: CardContent
    notes: str
    mnemonic: str
    state: CardState
    answered_today: bool
    """Already answered earlier today, so this answer is a drill."""


def load_card(env: Env, card_id: int) -> StudyCard:
    with env.connection() as conn:
        card = study.get_card(conn, card_id)
        node = decks.get_node(conn, card.node_id)
        return StudyCard(
            card.id,
            node.id,
            study.card_content(conn, card, node),
            node.notes,
            node.mnemonic,
            study.state_of(card),
            card.last_day == env.clock.today(),
        )


@dataclass(frozen=True)
class Answer:
    """One recorded answer, as the session keeps it for undo and for its summaries."""

    review_id: int
    card_id: int
    grade: int
    drill: bool
    first_time: bool
    """The card's first ever review (it was new)."""
    duration_ms: int
    due: date | None
    interval: int


def record(env: Env, card_id: int, grade: int, duration_ms: int) -> Answer:
    """Record an answer and commit it (a review, or a drill if the card was answered today)."""
    with env.connection(write=True) as conn:
        review = study.record_answer(conn, card_id, grade, env.clock.now(), env.clock.today(), duration_ms)
        first_time = not review.drill and review.due_before is None and review.interval_before == 0
        return Answer(
            review.id,
            card_id,
            review.grade,
            review.drill,
            first_time,
            review.duration_ms,
            review.due_after,
            review.interval_after,
        )


def take_back(env: Env, review_id: int) -> None:
    """Undo an answer: the card's schedule and the log exactly as before it, committed."""
    with env.connection(write=True) as conn:
        study.undo_answer(conn, review_id)


def due_dates(env: Env, card_ids: list[int]) -> dict[int, date | None]:
    """When each of the cards is asked next (today for a same-day repeat still to come)."""
    with env.connection() as conn:
        return study.next_days(conn, card_ids, env.clock.today())


@dataclass(frozen=True)
class NothingDue:
    """What to offer when a session would be empty."""

    new_cards: int
    """New cards the scope could still introduce today (offered when the session left them out)."""
    new_limit_reached: bool
    """New cards exist but today's limit of new cards is used up."""
    new_per_day: int
    next_branch: MapNode | None
    """Another branch with cards to study today."""


def nothing_due(env: Env, scope: Scope) -> NothingDue:
    """Why the scope has nothing to study, and where else there is work."""
    from srs.storage import repo

    today = env.clock.today()
    with env.session() as session:
        deck = repo.get_deck(session, scope.deck)
        branch = _node(session, scope.branch_id) if scope.branch_id is not None else None
        counts = repo.day_counts(session, deck, today, branch)
        deck_counts = repo.day_counts(session, deck, today)
        new_per_day = deck.new_per_day
    deck_map = load_map(env, scope.deck)
    new_allowed = deck_counts.new > 0
    return NothingDue(
        new_cards=0 if scope.new_cards else counts.new,
        new_limit_reached=counts.new == 0 and counts.new_total > 0,
        new_per_day=new_per_day,
        next_branch=deck_map.next_branch_with_work(scope.branch_id, new_allowed),
    )


def export_anki(env: Env, node_id: int, path, progress=None):
    """Write the branch under `node_id` (the whole deck from its root) as an Anki package."""
    from srs.anki import export_anki as write  # deferred: genanki is only needed to export

    with env.session() as session:
        node = _node(session, node_id)
        deck = node.deck
        branch = None if node.key == deck.root_key else node
        return write(session, deck, branch, path, 1, env.clock.now(), progress)

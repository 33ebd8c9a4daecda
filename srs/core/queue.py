"""A study session's queue, as a pure state machine: chunks, drills and undo.

The storage layer decides which cards a session holds (due first, most overdue first, then new
cards parents-first); this module decides what comes next. A session is a sequence of chunks of
N cards. SM-2's step 7 lives here: a card answered below 4 comes back a few cards later in the
same chunk, and again, until it is answered 4 or 5. Only the first answer of the day moves its
schedule; the storage layer records the repeats as drills. A card suspended or buried in the
middle of a session leaves it (`set_aside`), and that too can be undone. `Beyond` says what a
session takes beyond the day's plan (cards due ahead, extra new cards, a cram), which the storage
layer's queue follows.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from srs.core.answer import Schedule, Scheduler, again_today, answer
from srs.core.mastery import MATURE_FROM
from srs.core.sm2 import check_grade

DRILL_GAP = 3
"""How many other cards come between a failed card and its drill, where the chunk has them."""


def is_buried(buried_on: date | None, today: date) -> bool:
    """Whether a card buried on `buried_on` is out of the queues of the learner's day `today`:
    buried that very day. The next day it is back, its schedule as it was.

    Storage's `scope.unburied` is the opposite of this rule as an SQL condition (a test holds the
    two to the same answers)."""
    return buried_on == today


@dataclass
class StudyQueue:
    """The cards of one session, chunk by chunk. Cards are opaque ids."""

    cards: list[int]
    chunk_size: int = 10
    drill_gap: int = DRILL_GAP
    _next: int = 0
    _chunk: deque[int] = field(default_factory=deque)
    _chunk_number: int = 0
    _chunk_total: int = 0
    _answered: set[int] = field(default_factory=set)
    _history: list[tuple] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.chunk_size < 1:
            raise ValueError("a chunk holds at least one card")
        # One entry per card: a card listed twice would be reviewed twice in a day.
        self.cards = list(dict.fromkeys(self.cards))

    @property
    def chunk_count(self) -> int:
        """How many chunks the session has: those begun, and those its cards still to come fill."""
        return self._chunk_number + -(-(len(self.cards) - self._next) // self.chunk_size)

    @property
    def chunk_number(self) -> int:
        """The current chunk, counting from 1; 0 before the first starts."""
        return self._chunk_number

    @property
    def current(self) -> int | None:
        """The card to show now, or None when the chunk is over."""
        return self._chunk[0] if self._chunk else None

    @property
    def chunk_done(self) -> int:
        """Distinct cards of the current chunk answered 4 or better, or answered and not due again."""
        return self._chunk_total - len(set(self._chunk))

    @property
    def chunk_total(self) -> int:
        return self._chunk_total

    @property
    def session_done(self) -> int:
        """Cards of the whole session that are finished."""
        return (self._next - self._chunk_total) + self.chunk_done

    @property
    def is_drill(self) -> bool:
        """Whether the card shown now has been answered already today in this session."""
        return self.current in self._answered

    def has_next_chunk(self) -> bool:
        return self._next < len(self.cards)

    def start_chunk(self) -> bool:
        """Begin the next chunk; False when the session has no more cards."""
        if not self.has_next_chunk():
            return False
        batch = self.cards[self._next : self._next + self.chunk_size]
        self._history.append(("chunk", self._next, deque(self._chunk), self._chunk_number, self._chunk_total))
        self._next += len(batch)
        self._chunk = deque(batch)
        self._chunk_number += 1
        self._chunk_total = len(batch)
        return True

    def answer(self, grade: int, stays: bool = True, checks: Collection[int] = ()) -> bool:
        """Grade the current card; returns whether it comes back later (a drill). A card that
        leaves the queues with its answer (`stays` false: suspended as a leech) does not.
        `checks` are cards the answer brings into the session (a lapse's parent checks): they
        come next, those already in the session left where they are."""
        grade = check_grade(grade)
        card = self.current
        if card is None:
            raise RuntimeError("no card is showing")
        self._history.append(
            ("answer", deque(self._chunk), set(self._answered), list(self.cards), self._next, self._chunk_total)
        )
        self._chunk.popleft()
        self._answered.add(card)
        again = again_today(grade) and stays
        if again:
            self._chunk.insert(min(self.drill_gap, len(self._chunk)), card)
        joining = [c for c in dict.fromkeys(checks) if c not in self.cards]
        if joining:
            # Into the current chunk, and counted as one of its cards.
            self.cards[self._next : self._next] = joining
            self._next += len(joining)
            self._chunk_total += len(joining)
            self._chunk.extendleft(reversed(joining))
        return again

    def set_aside(self, card_ids: Collection[int]) -> None:
        """Take the current card and `card_ids` out of the rest of the session (suspended or
        buried): they are shown no more. A card not answered yet in the session leaves its
        counts too; one answered already stays counted, and only its drills are dropped."""
        if self.current is None:
            raise RuntimeError("no card is showing")
        gone = {self.current, *card_ids}
        self._history.append(("set_aside", list(self.cards), self._next, deque(self._chunk), self._chunk_total))
        unanswered = gone - self._answered
        # Every card of an earlier chunk was answered or set aside: unanswered ones before
        # `_next` are all in the current chunk.
        in_chunk = sum(1 for card in self.cards[: self._next] if card in unanswered)
        self.cards = [card for card in self.cards if card not in unanswered]
        self._next -= in_chunk
        self._chunk_total -= in_chunk
        self._chunk = deque(card for card in self._chunk if card not in gone)

    def undo(self) -> bool:
        """Take back the last answer, set-aside or chunk start; False when there is nothing to undo."""
        if not self._history:
            return False
        entry = self._history.pop()
        if entry[0] == "answer":
            self._chunk, self._answered, self.cards, self._next, self._chunk_total = entry[1:]
        elif entry[0] == "set_aside":
            self.cards, self._next, self._chunk, self._chunk_total = entry[1:]
        else:
            self._next, self._chunk, self._chunk_number, self._chunk_total = entry[1:]
        return True

    def undo_step(self) -> bool:
        """Take back the last answer or set-aside, with any chunk start after it, so that its card
        shows again; False (and nothing changed) when there is none."""
        if not any(entry[0] != "chunk" for entry in self._history):
            return False
        while self._history[-1][0] == "chunk":
            self.undo()
        return self.undo()

    def can_undo_answer(self) -> bool:
        return bool(self._history) and self._history[-1][0] == "answer"


# -- beyond the day's plan --------------------------------------------------------------------


@dataclass(frozen=True)
class Beyond:
    """What a session takes beyond the day's plan: cards due within the next `ahead` days, up
    to `extra_new` more new cards than the daily limit leaves, or, with `cram`, every live card
    of the branch in the order new cards are taught, whether due or not (answers that move no
    schedule). The deck's limits themselves never change: the next session is as before."""

    ahead: int = 0
    """Days ahead: cards due by today plus this many days join today's due ones."""
    extra_new: int = 0
    """New cards this session may bring on top of what the daily limit leaves for today."""
    cram: bool = False

    def __post_init__(self) -> None:
        if self.ahead < 0 or self.extra_new < 0:
            raise ValueError("days ahead and extra new cards are whole numbers from 0")
        if self.cram and (self.ahead or self.extra_new):
            raise ValueError("a cram session takes every card already: it goes without ahead or extra new cards")

    def due_by(self, today: date) -> date:
        """The last due day a session of `today` takes."""
        return today + timedelta(days=self.ahead)

    def reviews_left(self, reviews_per_day: int, reviewed: int) -> int:
        """How many of today's due cards the session takes, after `reviewed` reviews today."""
        return max(0, reviews_per_day - reviewed)

    def new_left(self, new_per_day: int, introduced: int) -> int:
        """How many new cards the session takes, after `introduced` new cards today."""
        return max(0, new_per_day - introduced) + self.extra_new

    def takes_new(self, new_cards: bool) -> bool:
        """Whether new cards join: as the scope says, and always when extra new ones are asked for."""
        return new_cards or self.extra_new > 0


PLAN = Beyond()
"""A session of the day's plan alone."""


# -- progressive layering ---------------------------------------------------------------------


@dataclass(frozen=True)
class ParentCard:
    """A parent of a node as layering sees it: the parent's definition card (its placement card
    when it has no definition). A parent with neither, or whose card is suspended or retired,
    is `live` False: it can never reach an interval, so it holds nothing back."""

    node: int
    """The parent's node id."""
    rank: int
    """The parent's place in the deck's parents-first order."""
    live: bool = True
    reviews: int = 0
    interval: int = 0
    due: date | None = None


def holds_back(parent: ParentCard, child_rank: int, unlock_after_days: int) -> bool:
    """Whether `parent` keeps the new cards of its child (at `child_rank`) from being introduced:
    layering is on, the parent's card can be answered, it is not yet at `unlock_after_days`
    days, and the parent comes before the child in the parents-first order. (An edge back up a
    cycle, which an import refuses but a hand-edited database may hold, never holds back, so a
    cycle cannot lock all its nodes.)"""
    return (
        unlock_after_days > 0
        and parent.live
        and parent.rank < child_rank
        and (parent.reviews == 0 or parent.interval < unlock_after_days)
    )


def waits_for(parents: Collection[ParentCard], child_rank: int, unlock_after_days: int) -> list[ParentCard]:
    """The parents that hold the child back (`holds_back`): none means its new cards may come."""
    return [p for p in parents if holds_back(p, child_rank, unlock_after_days)]


@dataclass(frozen=True)
class LayerNode:
    """A node of a deck as the frontier sees it."""

    id: int
    rank: int
    parents: tuple[ParentCard, ...]
    card: ParentCard
    """Its own definition (or placement) card, as its children see it."""
    has_new: bool
    """It has a live card never answered."""


def unlearned(node: LayerNode, unlock_after_days: int) -> bool:
    """Whether a node is still to learn: it has a new card, or its own definition card is not
    yet at the unlock interval (with layering on)."""
    card = node.card
    return node.has_new or (
        unlock_after_days > 0 and card.live and (card.reviews == 0 or card.interval < unlock_after_days)
    )


@dataclass(frozen=True)
class Frontier:
    """The nodes ready to learn (not waiting for any parent) and the locked ones, each with the
    parents it waits for; both in parents-first order."""

    ready: tuple[int, ...]
    locked: tuple[tuple[int, tuple[ParentCard, ...]], ...]


def frontier(nodes: Collection[LayerNode], unlock_after_days: int) -> Frontier:
    """Which of `nodes` are ready to learn and which are locked. The frontier is never empty
    while a node is unlearned: the first unlearned node in parents-first order waits for no
    parent, as every parent that holds a node back comes before it and is unlearned itself."""
    ready, locked = [], []
    for node in sorted(nodes, key=lambda n: n.rank):
        if not unlearned(node, unlock_after_days):
            continue
        waiting = waits_for(node.parents, node.rank, unlock_after_days)
        if waiting:
            locked.append((node.id, tuple(waiting)))
        else:
            ready.append(node.id)
    return Frontier(tuple(ready), tuple(locked))


def reaches(schedule: Schedule, unlock_after_days: int, today: date, scheduler: Scheduler) -> date:
    """The day a parent's definition card with `schedule` reaches `unlock_after_days` days if it
    is answered 4 (good) on each of its due days from now on (a new card, today): the day it
    stops holding its children back, if the parent keeps its schedule."""
    day = today if schedule.reviews == 0 or schedule.due is None else max(schedule.due, today)
    for _ in range(MAX_STEPS):
        schedule, _entry = answer(schedule, GOOD, day, scheduler)
        if schedule.interval >= unlock_after_days or schedule.due is None:
            return day
        day = max(schedule.due, day + timedelta(days=1))
    return day


GOOD = 4
"""The grade `reaches` assumes: the parent answered well on each due day, as its schedule plans."""

MAX_STEPS = 60
"""Reviews `reaches` looks ahead at most: any scheduler's intervals grow past a year well before."""


# -- siblings apart ---------------------------------------------------------------------------

SPACING_LOOKAHEAD = 32
"""How far ahead of its place a card may be taken to keep siblings apart."""


def siblings_apart(cards: list[int], family: dict[int, int | None], node: dict[int, int] | None = None) -> list[int]:
    """`cards` in their order but that no two cards of sibling nodes (the same `family`: the
    first parent of each card's node; None for none) come one after the other, where another
    order of them exists: each place takes the earliest card close ahead (`SPACING_LOOKAHEAD`)
    that is no sibling of the card before it and leaves the rest an order without siblings
    side by side; failing that, the next card as it was. With each card's `node`, a card never
    moves ahead of the first card of its node's first parent: parents first stays parents first."""
    rest = deque(cards)  # cards are taken from near its front: a deque does that at any length
    left = Counter(family.get(card) for card in rest)
    left.pop(None, None)
    by_count = Counter(left.values())  # how many families hold each count: the largest, at once
    most = max(by_count, default=0)
    out: list[int] = []
    placed: set[int] = set()  # the nodes with a card placed already
    last: int | None = None
    while rest:
        remaining = len(rest) - 1
        # Only a family holding about half of what is left can leave no order: those are few.
        big = {kin: count for kin, count in left.items() if count > remaining // 2} if most > remaining // 2 else {}
        pick = 0
        passed: set[int] = set()  # the nodes of the cards looked at and left
        for i, card in enumerate(islice(rest, SPACING_LOOKAHEAD)):
            kin = family.get(card)
            if kin is not None and (kin == last or (kin in passed and kin not in placed)):
                if node is not None:
                    passed.add(node[card])
                continue
            if all(
                count - (k == kin) <= (remaining // 2 if k == kin else (remaining + 1) // 2) for k, count in big.items()
            ):
                pick = i
                break
            if node is not None:
                passed.add(node[card])
        card = rest[pick]
        del rest[pick]
        kin = family.get(card)
        if kin is not None:
            by_count[left[kin]] -= 1
            if not by_count[left[kin]] and left[kin] == most:
                most -= 1
            left[kin] -= 1
            by_count[left[kin]] += 1
        out.append(card)
        if node is not None:
            placed.add(node[card])
        last = kin
    return out


# -- parent checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckCandidate:
    """A parent's definition card, as a lapse of its child finds it."""

    live: bool
    """Not suspended, not retired, not buried today."""
    reviews: int
    interval: int
    due: date | None
    last_day: date | None


def needs_check(card: CheckCandidate, today: date) -> bool:
    """Whether a child's lapse today brings the parent's definition card into today's queue as a
    check: it can be answered, it was learned before (a new card waits to be introduced), it
    is not mature, it is not asked today already (due, or answered today)."""
    return (
        card.live
        and card.reviews > 0
        and card.interval < MATURE_FROM
        and card.last_day != today
        and card.due is not None
        and card.due > today
    )

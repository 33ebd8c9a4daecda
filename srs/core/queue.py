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

from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from srs.core.answer import again_today
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

    def answer(self, grade: int, stays: bool = True) -> bool:
        """Grade the current card; returns whether it comes back later (a drill). A card that
        leaves the queues with its answer (`stays` false: suspended as a leech) does not."""
        grade = check_grade(grade)
        card = self.current
        if card is None:
            raise RuntimeError("no card is showing")
        self._history.append(("answer", deque(self._chunk), set(self._answered)))
        self._chunk.popleft()
        self._answered.add(card)
        again = again_today(grade) and stays
        if again:
            self._chunk.insert(min(self.drill_gap, len(self._chunk)), card)
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
            self._chunk, self._answered = entry[1], entry[2]
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

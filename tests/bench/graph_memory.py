"""A simulated learner whose memories of a node and of its parent are linked, for `bench_learning.py`.

It is `memory_model.py`'s learner (a power-law forgetting curve, a log-normal difficulty per
card, stability that grows on a successful recall by more the lower recall was, and falls on a
lapse: that module's docstring gives the reasons for each rule and value), with one parameter
more, the link `rho` between a card and the definition card of its node's parent, from 0 (the
two memories are independent: `memory_model`'s learner) to 1. The link acts three ways,
each in proportion to `rho`:

- **Difficulty.** A card's log-difficulty is `rho` times its parent card's plus
  `sqrt(1 - rho**2)` times a draw of its own (both of spread `DIFFICULTY_SPREAD`), so a card's
  difficulty keeps the same distribution and correlates with its parent's by `rho`: a hard
  concept tends to have hard parts.
- **Scaffolding.** A card is first learnt with `1 + rho * R_parent` times the stability it would
  have alone, where `R_parent` is the recall probability of the parent's definition card at the
  time (0 if never shown): a new concept is easier to hold when what it is a part or a kind of is
  known (Ausubel's advance organisers; the expertise-reversal and prior-knowledge effects).
- **Transfer.** A successful recall of a card strengthens its parent's definition card as a
  review would, weighted by `rho`: the parent's stability grows by `rho` times the growth a
  review of it at that moment would give, without counting as a showing (the parent's last
  showing stays where it was). Recalling a part retrieves some of the whole.

Cards are numbered from 0; `parents[card]` is the card of the parent node's definition (None for
a card of a root, or of a node whose parent has no definition card). A card's own node's other
cards are not linked to it: what links them, if anything, is not modelled. Whether a showing is
recalled is drawn from a seeded stream of the card's own.

One more parameter, `confusion` (0 by default, which leaves every figure as it was), models
sibling interference, the thing contrast cards are for: once a card of a sibling node (one
sharing the node's first parent, `families`) has been shown, the node's cards are recalled with
probability `p * (1 - confusion * (1 - D))`, where `D` is the node's discrimination, the recall
probability of the best-remembered contrast card about the node (0 without one). So two similar
concepts interfere until the learner has learnt how they differ, and a contrast card forgotten
stops helping. A contrast card (`add_contrast`) is a card of its own, its difficulty drawn from its
own stream, linked to no parent, with no interference of its own.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from memory_model import FORGOTTEN, Learner, MemoryModel, Trace


class GraphLearner(Learner):
    """A learner of cards linked to their parents' definition cards with strength `rho`."""

    def __init__(
        self,
        parents: Sequence[int | None],
        rho: float,
        seed: int = 1,
        model: MemoryModel | None = None,
        families: Sequence[tuple[int, int | None]] | None = None,
        confusion: float = 0.0,
    ) -> None:
        if not 0 <= rho <= 1:
            raise ValueError(f"rho is between 0 and 1, not {rho}")
        if not 0 <= confusion <= 1:
            raise ValueError(f"confusion is between 0 and 1, not {confusion}")
        super().__init__(0, seed, model)
        self.parents = list(parents)
        self.rho = rho
        self.seed = seed
        self.confusion = confusion
        self.families = list(families) if families is not None else [(card, None) for card in range(len(parents))]
        """Each card's (node, the node's first parent): what sibling interference looks at."""
        self.shown_in: dict[int, set[int]] = {}
        """By family (a first parent), the nodes of it with a card shown."""
        self.contrasts_of: dict[int, list[int]] = {}
        """By node, the contrast cards about it."""
        draws = random.Random(seed)
        spread = self.model.difficulty_spread
        own = [draws.gauss(0.0, 1.0) for _ in self.parents]
        linked: list[float | None] = [None] * len(self.parents)
        for card in range(len(self.parents)):
            # Parents before children, without recursion: a deep tree must not exhaust the stack.
            stack = [card]
            while stack:
                top = stack[-1]
                parent = self.parents[top]
                if parent is not None and linked[parent] is None:
                    stack.append(parent)
                    continue
                stack.pop()
                if linked[top] is None:
                    above = 0.0 if parent is None else linked[parent]
                    linked[top] = rho * above + math.sqrt(1 - rho * rho) * own[top]  # type: ignore[operator]
        self.traces = [Trace(math.exp(spread * z)) for z in linked]  # type: ignore[operator]
        # Each card recalls or not from its own seeded stream, so two runs that show the cards in
        # other orders give each card the same draws: their differences are the options', not luck's.
        self.streams = [random.Random(seed * 1_000_003 + card) for card in range(len(self.parents))]

    def add_contrast(self, a: int, b: int) -> int:
        """A contrast card about the nodes `a` and `b`: its number."""
        card = len(self.traces)
        stream = random.Random(self.seed * 1_000_003 + card)
        self.traces.append(Trace(self.model.draw_difficulty(stream)))
        self.streams.append(stream)
        self.parents.append(None)
        self.families.append((-1, None))
        for node in (a, b):
            self.contrasts_of.setdefault(node, []).append(card)
        return card

    def recall(self, card: int, now: float) -> float:
        """The probability that `card` is recalled at time `now`: the memory's, lowered by sibling
        interference (`confusion`) where a sibling has been shown and no contrast card holds."""
        alone = super().recall(card, now)
        if not self.confusion or alone == 0.0:
            return alone
        node, family = self.families[card]
        if family is None or not self.shown_in.get(family, set()) - {node}:
            return alone
        told_apart = max(
            (super(GraphLearner, self).recall(c, now) for c in self.contrasts_of.get(node, ())), default=0.0
        )
        return alone * (1 - self.confusion * (1 - told_apart))

    def answer(self, card: int, now: float) -> tuple[int, float]:
        """Show `card` at time `now`: (the grade given, the recall probability it was shown at).
        Its memory moves as `Learner.answer` says, scaffolded by its parent's recall when first
        learnt, and a successful recall strengthens its parent's card (`rho`)."""
        trace = self.traces[card]
        parent = self.parents[card]
        first = trace.stability is None
        scaffold = 1.0 if parent is None else 1 + self.rho * self.recall(parent, now)
        parent_recall = 0.0 if parent is None else self.recall(parent, now)
        self.rng = self.streams[card]
        answered, recall = super().answer(card, now)
        node, family = self.families[card]
        if family is not None:
            self.shown_in.setdefault(family, set()).add(node)
        if first:
            assert trace.stability is not None
            trace.stability *= scaffold
        if parent is not None and answered != FORGOTTEN and self.rho > 0 and self.traces[parent].stability is not None:
            above = self.traces[parent]
            assert above.stability is not None
            grown = self.model.after_recall(above.stability, above.difficulty, parent_recall)
            above.stability += self.rho * (grown - above.stability)
        return answered, recall

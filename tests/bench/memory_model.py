"""A simulated learner's memory, for `bench_schedulers.py`: one memory trace per card, a power-law
forgetting curve, stability that grows with each successful review and falls on a lapse.

It is deliberately not FSRS's model (nor SM-2's): the schedulers are judged against a learner
whose memory they do not know, as they are with a real one.

The model, for one card of difficulty D (time in days, fractions of a day within a session):

- **Forgetting.** The probability of recalling the card t days after it was last seen, with
  stability s (the days after which recall falls to 90%), is

      R(t) = (1 + t / (k * s)) ** -DECAY,   k = 1 / (0.9 ** (-1 / DECAY) - 1),

  so R(0) = 1, R(s) = 0.9, and recall falls fast at first and ever more slowly after. This is
  Wickelgren's power law in the form Wixted and Carpenter (2007) wrote it, P = m(1 + h t)^-f,
  with m = 1 (a card just seen is recalled) and h = 1/(k s). Power functions describe forgetting
  better than exponentials across a wide range of tasks and delays, in averaged data (Wixted and
  Ebbesen 1991; Rubin and Wenzel's 1996 survey of a century of retention data) and in single
  subjects' curves (Wixted and Ebbesen 1997). Stability as "the interval at which recall falls
  to 90%" is how SuperMemo's two-component model of memory (Wozniak, Gorzelanczyk and Murakowski,
  1995) defines it, beside retrievability R. `DECAY` = 0.3: the exponents fitted to forgetting
  data are well below 1, and the value differs from the one FSRS-6 assumes by default (about
  0.15; FSRS-4.5 used 0.5), as a real learner's would.

- **Difficulty.** Each card's D is drawn once from a log-normal distribution of median 1 and
  log-spread `DIFFICULTY_SPREAD` = 0.4: positive, skewed, with a tail of hard cards (the leeches
  every deck has); the middle 95% of cards learn between 2.2 times faster and 2.2 times slower
  than the median one. An easy card has D below 1.

- **First encounter.** A new card has never been learnt: its first showing is not recalled
  (R = 0). Reading its answer lays down a trace of stability `FIRST_STABILITY` / D, one day for
  the median card: recalled with probability 0.9 a day later. (FSRS-6's default parameters,
  fitted to many Anki users' logs, give a new card 0.2 days when its first answer is Again and
  2.3 days when it is Good; one day lies between.)

- **Success.** A review recalled when the recall probability was R multiplies the stability by

      1 + GROWTH * (1 - R) / D.

  The lower the recall probability at the time, the more a successful recall strengthens the
  memory: the spacing effect (Cepeda et al.'s 2006 meta-analysis: spaced study beats massed
  study, the more so the longer the lag, up to a point set by the retention wanted) and the
  retrieval-effort effect (Pyc and Rawson 2009: a harder successful retrieval helps memory
  more), as in SuperMemo's finding that the stability increase falls as retrievability at the
  review rises. A review at R = 1 (just seen: a drill minutes later) adds almost nothing. With
  `GROWTH` = 15, a median card recalled at R = 0.9 grows 2.5-fold: the factor SM-2 starts each
  card's easiness at, which Wozniak tuned on his own learning; an easy card (D = 0.5) 4-fold, a
  hard one (D = 2) 1.75-fold.

- **Lapse.** A review not recalled leaves, after the answer is read again, a stability of
  `LAPSE_KEEP` = 0.1 times the one before, and never less than the card's first stability:
  relearning is faster than first learning (Ebbinghaus's savings, 1885), yet a lapse costs most
  of what the card had built. FSRS-6's default parameters, fitted to many Anki users' logs, put
  the stability after a lapse at roughly 4-14% of the one before for stabilities of 100 down to
  10 days; 10% is of that order.

- **Grades** (`grade`): not recalled: 1 ("wrong, but familiar once seen"); recalled: 5 when the
  recall probability was at least `EASY_FROM` = 0.95 (it came at once), 3 below `HARD_BELOW` =
  0.7 (with difficulty), else 4. Recalled or not is drawn with the recall probability from a
  seeded random generator, so the same run gives the same answers.

Every showing counts, reviews and drills alike: the learner does not know which answers the
scheduler counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DECAY = 0.3
FIRST_STABILITY = 1.0
GROWTH = 15.0
LAPSE_KEEP = 0.1
DIFFICULTY_SPREAD = 0.4
EASY_FROM = 0.95
HARD_BELOW = 0.7
FORGOTTEN = 1
"""The grade a card not recalled gets."""


@dataclass(frozen=True)
class MemoryModel:
    """The model's parameters (the module's docstring says why each has its value) and its rules."""

    decay: float = DECAY
    first_stability: float = FIRST_STABILITY
    growth: float = GROWTH
    lapse_keep: float = LAPSE_KEEP
    difficulty_spread: float = DIFFICULTY_SPREAD

    @property
    def time_scale(self) -> float:
        """k, which makes recall 90% after `stability` days."""
        return 1 / (0.9 ** (-1 / self.decay) - 1)

    def recall(self, stability: float, elapsed: float) -> float:
        """The probability of recall `elapsed` days after the card was last seen."""
        return (1 + max(0.0, elapsed) / (self.time_scale * stability)) ** -self.decay

    def learnt(self, difficulty: float) -> float:
        """The stability a card has once first learnt (or relearnt, at the least)."""
        return self.first_stability / difficulty

    def after_recall(self, stability: float, difficulty: float, recall: float) -> float:
        """The stability after a successful recall at recall probability `recall`."""
        return stability * (1 + self.growth * (1 - recall) / difficulty)

    def after_lapse(self, stability: float, difficulty: float) -> float:
        """The stability after a lapse, once the answer has been read again."""
        return max(self.learnt(difficulty), self.lapse_keep * stability)

    def draw_difficulty(self, rng: random.Random) -> float:
        """One card's difficulty, log-normal of median 1."""
        return rng.lognormvariate(0.0, self.difficulty_spread)


def grade(recalled: bool, recall: float) -> int:
    """The grade the learner gives: 1 when not recalled; else 5, 4 or 3 by how likely recall was."""
    if not recalled:
        return FORGOTTEN
    return 5 if recall >= EASY_FROM else 3 if recall < HARD_BELOW else 4


@dataclass
class Trace:
    """One card's memory."""

    difficulty: float
    stability: float | None = None
    """None until the card is first shown."""
    seen_at: float = 0.0
    """When it was last shown, in days."""


class Learner:
    """A learner of `cards` cards (numbered from 0), their difficulties drawn from `seed`, and
    whether each answer is recalled drawn from the same seed: the same calls give the same grades."""

    def __init__(self, cards: int, seed: int = 1, model: MemoryModel | None = None) -> None:
        self.model = model or MemoryModel()
        draws = random.Random(seed)
        self.traces = [Trace(self.model.draw_difficulty(draws)) for _ in range(cards)]
        self.rng = random.Random(seed + 1)

    def recall(self, card: int, now: float) -> float:
        """The probability that `card` is recalled at time `now` (days); 0 before it is first shown."""
        trace = self.traces[card]
        if trace.stability is None:
            return 0.0
        return self.model.recall(trace.stability, now - trace.seen_at)

    def answer(self, card: int, now: float) -> tuple[int, float]:
        """Show `card` at time `now`: (the grade given, the recall probability it was shown at).
        The card's memory moves as the model says, and its answer is read."""
        trace = self.traces[card]
        recall = self.recall(card, now)
        recalled = self.rng.random() < recall
        model = self.model
        if trace.stability is None:
            trace.stability = model.learnt(trace.difficulty)
        elif recalled:
            trace.stability = model.after_recall(trace.stability, trace.difficulty, recall)
        else:
            trace.stability = model.after_lapse(trace.stability, trace.difficulty)
        trace.seen_at = now
        return grade(recalled, recall), recall

"""How well each scheduler predicts the learner's own answers: SM-2, FSRS with its default
parameters and FSRS with parameters fitted to the learner's past, scored as the open-spaced-repetition
srs-benchmark scores algorithms (its README's "Evaluation", utils.py and model_processors.py).

- **What is learned from**: every answer of the log, drills too (same-day reviews, delta_t 0),
  as fsrs-rs builds its items from a log with same-day reviews.
- **What is predicted**: every review of a card seen on an earlier day (`fsrs_fit.ReviewItem`),
  recalled (graded 3 or better) or not; the benchmark too predicts only reviews with `delta_t > 0`.
  A drill is never predicted, but is part of the history of the reviews after it.
- **The split**: scikit-learn's `TimeSeriesSplit(n_splits=5)`, which the benchmark uses, over the
  items in time order: the items are cut into `FOLDS + 1` parts of `len // (FOLDS + 1)` (the
  first takes what is left over); fold k predicts part k + 1 from what was fitted on parts 0..k.
  The first part is only learned from, never predicted: no prediction sees its own answer, nor
  any answer after it.
- **SM-2's recall probability**: SM-2 gives an interval, not a probability. The benchmark
  (model_processors.py, `process_untrainable`) reads SM-2's interval I as the time at which
  recall has fallen to 90% on an exponential forgetting curve: p = exp(ln 0.9 * t / I) =
  0.9 ** (t / I), t the days since the card's previous review. A review on the due day is
  predicted at 90%, one twice as late at 81%. I is the interval this program's SM-2 gives after
  the card's earlier answers (`answer.replay` under SM-2, 0-5 as the learner gave them,
  intervals rounded up; its drills move nothing), where the benchmark re-implements SM-2 from
  Anki's four buttons.
- **FSRS's recall probability**: py-fsrs's retrievability (`fsrs.retrievability`) of the card
  after every earlier answer replayed, its drills as FSRS-6's same-day reviews, with the
  parameters fsrs-rs fitted on the fold's learning part, or
  the defaults where that part has fewer than `fsrs_fit.MIN_REVIEWS` reviews (as the benchmark
  falls back to the defaults on inadequate data).
- **Log loss** and **RMSE (bins)**: `log_loss` and `rmse_bins` below, as the benchmark's
  utils.py computes them. Lower is better for both.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from srs.core.answer import SM2, replay
from srs.core.fsrs import GRADE_TO_RATING, FsrsScheduler, retrievability
from srs.core.fsrs_fit import Review, ReviewItem, delta_days, fit_parameters, review_items

FOLDS = 5
"""The benchmark's number of splits (its `--n_splits` default)."""

EPSILON = sys.float_info.epsilon
"""Predictions are clipped to [EPSILON, 1 - EPSILON] before their logarithm, as scikit-learn's
`log_loss` (the benchmark's) clips them to its float's machine epsilon."""


@dataclass(frozen=True)
class Prediction:
    """What each scheduler predicted for one review, and what the learner did."""

    item: ReviewItem
    fold: int
    """Which fold predicted it, 0 to FOLDS - 1."""
    fitted: bool
    """Whether the fold's past had enough reviews for a fit of its own."""
    sm2: float
    fsrs_defaults: float
    fsrs_fitted: float
    """FSRS with the parameters fitted before the fold (the defaults where too few to fit)."""


@dataclass(frozen=True)
class Scores:
    """A scheduler's scores: lower is better."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class Evaluation:
    """The schedulers' scores on the learner's log."""

    reviews: int
    """Reviews predicted (the folds' test parts)."""
    folds: int
    folds_fitted: int
    """Folds whose learning part had enough reviews for a fit of its own."""
    sm2: Scores
    fsrs_defaults: Scores
    fsrs_fitted: Scores | None
    """None where no fold had enough reviews to fit (it would be the defaults' scores)."""


def time_series_split(count: int, folds: int = FOLDS) -> list[tuple[int, int]]:
    """The (start, end) of each fold's test part among `count` items in time order; the fold
    learns from the items before `start`. As scikit-learn's `TimeSeriesSplit(n_splits=folds)`:
    each part has count // (folds + 1) items, the first part the rest too. Raises ValueError for
    fewer than folds + 1 items, as scikit-learn does."""
    if count < folds + 1:
        raise ValueError(f"{folds} folds need at least {folds + 1} items, not {count}")
    size = count // (folds + 1)
    first = count - folds * size
    return [(first + k * size, first + (k + 1) * size) for k in range(folds)]


def sm2_interval(answers: Iterable[tuple[date, int]]) -> int:
    """SM-2's interval in days after a card's answers, (day, grade) oldest first: its drills (a
    second answer the same day) move nothing, as `answer` has them under SM-2."""
    return replay(answers, SM2).interval


def sm2_recall(item: ReviewItem) -> float:
    """SM-2's probability of recall for the review, as the benchmark derives it from SM-2's
    interval I: 0.9 ** (days since the previous review / I), I after the card's earlier answers."""
    return 0.9 ** (item.elapsed / sm2_interval(item.history))


def fsrs_recall(item: ReviewItem, scheduler: FsrsScheduler) -> float:
    """FSRS's probability of recall for the review: py-fsrs's retrievability of the card after
    its earlier answers (drills as same-day reviews), on the review's day."""
    recall = retrievability(replay(item.history, scheduler), item.day, scheduler)
    assert recall is not None  # a card with a review has FSRS's state
    return recall


def predictions(reviews: Iterable[Review], folds: int = FOLDS) -> list[Prediction]:
    """Each scheduler's prediction for every review the split tests, in time order: the log's
    answers given in time order, drills too (never predicted, but learned from and replayed).

    Raises ValueError where the log has fewer than folds + 1 reviews to predict."""
    items = review_items(reviews)
    defaults = FsrsScheduler()
    out = []
    for fold, (start, end) in enumerate(time_series_split(len(items), folds)):
        weights = fit_parameters(items[:start])  # the past alone: the items before the fold
        fitted = defaults if weights is None else FsrsScheduler(parameters=weights)
        for item in items[start:end]:
            out.append(
                Prediction(
                    item,
                    fold,
                    weights is not None,
                    sm2_recall(item),
                    fsrs_recall(item, defaults),
                    fsrs_recall(item, fitted),
                )
            )
    return out


def evaluate(reviews: Iterable[Review], folds: int = FOLDS) -> Evaluation:
    """The schedulers' scores on the log's reviews, given in time order with its drills.

    Raises ValueError where the log has fewer than folds + 1 reviews to predict."""
    predicted = predictions(reviews, folds)
    fitted = len({p.fold for p in predicted if p.fitted})

    def scores(chosen) -> Scores:
        outcomes = [(review_bin(p.item), p.item.recalled, chosen(p)) for p in predicted]
        return Scores(log_loss([(recalled, p) for _, recalled, p in outcomes]), rmse_bins(outcomes))

    return Evaluation(
        reviews=len(predicted),
        folds=folds,
        folds_fitted=fitted,
        sm2=scores(lambda p: p.sm2),
        fsrs_defaults=scores(lambda p: p.fsrs_defaults),
        fsrs_fitted=scores(lambda p: p.fsrs_fitted) if fitted else None,
    )


# -- the metrics, as srs-benchmark's utils.py computes them ------------------------------------


def log_loss(outcomes: Sequence[tuple[bool, float]]) -> float:
    """The mean negative log-likelihood of what happened, each (recalled, predicted recall):
    -(ln p) for a review recalled, -(ln(1 - p)) for one forgotten (binary cross-entropy, as
    scikit-learn's `log_loss` that the benchmark calls; p clipped to [EPSILON, 1 - EPSILON])."""
    total = 0.0
    for recalled, p in outcomes:
        p = min(1 - EPSILON, max(EPSILON, p))
        total -= math.log(p if recalled else 1 - p)
    return total / len(outcomes)


def _log_bin(x: float, base: float, scale: float, digits: int) -> float:
    """scale * base ** floor(log_base(x)), rounded to `digits`: the benchmark's bins grow
    geometrically, so short intervals and few reviews are told apart more finely."""
    return round(scale * base ** math.floor(math.log(x) / math.log(base)), digits)


def review_bin(item: ReviewItem) -> tuple[float, float, float]:
    """The bin RMSE (bins) puts a review in, as the benchmark's `rmse_matrix` (utils.py) and
    fsrs-rs's `r_matrix_index` (dataset.rs) do, from three features of the review:

    - the days since the previous review t: round(2.48 * 3.62 ** floor(log_3.62 t), 2), so 1-3
      days are 2.48, 4-13 are 8.98, 14-47 are 32.5, ...;
    - the review's number i, counting the card's reviews a day or more after the previous one up
      to this one, plus one (2 for a card's second review): round(1.99 * 1.89 ** floor(log_1.89 i)),
      so 2-3 are 4, 4-6 are 7, 7-12 are 13, ...;
    - the lapses before it l, counting forgotten reviews a day or more after the previous one
      (a forgotten first review is no lapse): 0 for none, else round(1.65 * 1.73 ** floor(log_1.73 l)),
      so 1 is 2, 2 is 3, 3-5 are 5, ...
    """
    days = [day for day, _ in item.history] + [item.day]
    grades = [grade for _, grade in item.history] + [item.grade]
    deltas = delta_days(days)
    number = sum(delta > 0 for delta in deltas) + 1
    lapses = sum(delta > 0 and GRADE_TO_RATING[g] == 1 for g, delta in zip(grades[:-1], deltas[:-1], strict=True))
    return (
        _log_bin(max(item.elapsed, 1e-6), 3.62, 2.48, 2),
        _log_bin(number, 1.89, 1.99, 0),
        _log_bin(lapses, 1.73, 1.65, 0) if lapses else 0.0,
    )


def rmse_bins(outcomes: Sequence[tuple[object, bool, float]]) -> float:
    """RMSE (bins), from each review's (bin, recalled, predicted recall): within each bin the
    mean prediction is set against the share recalled, and the root of the mean squared
    difference is taken over the bins, each weighted by its number of reviews (the benchmark's
    `root_mean_squared_error(y, p, sample_weight=count)` over its groupby of the bins)."""
    groups: dict[object, list[tuple[bool, float]]] = defaultdict(list)
    for where, recalled, p in outcomes:
        groups[where].append((recalled, p))
    squares = 0.0
    for group in groups.values():
        recall = sum(recalled for recalled, _ in group) / len(group)
        predicted = sum(p for _, p in group) / len(group)
        squares += len(group) * (predicted - recall) ** 2
    return math.sqrt(squares / len(outcomes))

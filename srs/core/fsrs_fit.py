"""Fitting FSRS's 21 parameters to the learner's own reviews, with fsrs-rs (the Rust FSRS that
Anki uses, through its Python binding `fsrs_rs_python`): py-fsrs's own optimizer needs PyTorch,
gigabytes for one fit.

The reviews are the log as FSRS sees it: every answer to a card in order, its drills too (FSRS
takes a drill as a same-day review, `srs.core.fsrs`). fsrs-rs learns from items, as its
`FSRSItem` says: "Each FSRSItem corresponds to a single review, but contains the previous
reviews of the card as well" (fsrs-rs src/dataset.rs), each review as (rating, delta_t): the
days since the card's previous answer, 0 for its first and for one the same day. As
fsrs-rs-python's examples/train_csv.py builds them from a log with same-day reviews, an item is
made for each answer at least a day after the previous one (there is nothing to learn from a
card's first answer alone), its history holding the same-day answers before it; an answer a day
before the previous one (a clock that went backwards) is given delta_t 0, as the benchmark's
data does (`max(0, delta_t)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from srs.core.fsrs import GRADE_TO_RATING

MIN_REVIEWS = 64
"""The reviews (items) a fit needs. fsrs-rs (src/training.rs, `compute_parameters`) returns its
defaults unchanged for fewer than 8 items, and for fewer than 64 fits only the first four
parameters (the initial stabilities), keeping the rest at their defaults: below 64 there is no fit
of the learner's own, so the defaults stay."""

DECIMALS = 4
"""fsrs-rs computes in 32-bit floats: its weights are kept to 4 decimals, as Anki shows them and
srs-benchmark rounds them, so that a weight clipped to a bound is not read as just past it."""


@dataclass(frozen=True)
class Review:
    """An answer in the log (a review or a drill): its card, the learner's day and the grade."""

    card: int
    day: date
    grade: int


@dataclass(frozen=True)
class ReviewItem:
    """A review of a card seen on an earlier day, with the card's reviews before it: what fsrs-rs
    learns from, and what a scheduler is asked to predict (will it be recalled?)."""

    order: int
    """Its place among all the log's reviews, in time order."""
    card: int
    day: date
    grade: int
    history: tuple[tuple[date, int], ...]
    """The card's earlier answers, drills too, (day, grade), oldest first."""

    @property
    def elapsed(self) -> int:
        """Days since the card's previous answer (at least 1: that is what makes it an item)."""
        return (self.day - self.history[-1][0]).days

    @property
    def recalled(self) -> bool:
        """Whether the card was recalled: graded 3 or better (FSRS's Hard, Good or Easy)."""
        return GRADE_TO_RATING[self.grade] > 1


def delta_days(days: Sequence[date]) -> list[int]:
    """The days since the previous answer for each of a card's answers: 0 for the first, 0 for
    one the same day (a drill), and 0 for one a day before the previous (a clock that went backwards)."""
    return [0] + [max(0, (later - earlier).days) for earlier, later in pairwise(days)]


def review_items(reviews: Iterable[Review]) -> list[ReviewItem]:
    """The items of the log's answers, given in time order: every answer at least a day after
    its card's previous one, with the card's answers before it (drills too), in the same order."""
    seen: dict[int, list[tuple[date, int]]] = {}
    items = []
    for order, review in enumerate(reviews):
        history = seen.setdefault(review.card, [])
        if history and (review.day - history[-1][0]).days > 0:
            items.append(ReviewItem(order, review.card, review.day, review.grade, tuple(history)))
        history.append((review.day, review.grade))
    return items


def fsrs_item(item: ReviewItem) -> FSRSItem:
    """The item as fsrs-rs takes it: the card's answers up to and including this one, each as
    (FSRS's rating 1-4, days since the previous answer: 0 for a same-day one)."""
    days = [day for day, _ in item.history] + [item.day]
    grades = [grade for _, grade in item.history] + [item.grade]
    deltas = delta_days(days)
    return FSRSItem([FSRSReview(int(GRADE_TO_RATING[g]), delta) for g, delta in zip(grades, deltas, strict=True)])


def fit_parameters(items: Sequence[ReviewItem]) -> tuple[float, ...] | None:
    """FSRS's 21 parameters fitted to `items` by fsrs-rs; None for fewer than `MIN_REVIEWS`.

    With short-term training (`enable_short_term=True`, as Anki fits): the items hold the
    same-day answers (delta_t 0), which fit FSRS-6's same-day parameters (w17-w19) as a drill
    uses them. fsrs-rs leaves out outliers before fitting: where fewer than 8 items remain it gives back its
    defaults (`is_default` tells), where fewer than 64 it fits the first four parameters alone.
    """
    if len(items) < MIN_REVIEWS:
        return None
    weights = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        [fsrs_item(item) for item in items], enable_short_term=True
    )
    # Kept within py-fsrs's bounds, which its scheduler checks (fsrs-rs clips to bounds of its own).
    return tuple(
        min(high, max(low, round(w, DECIMALS)))
        for w, low, high in zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    )


def is_default(weights: Sequence[float]) -> bool:
    """Whether `weights` are FSRS-6's published defaults (to the decimals a fit is kept to)."""
    return tuple(round(w, DECIMALS) for w in weights) == tuple(round(w, DECIMALS) for w in DEFAULT_PARAMETERS)

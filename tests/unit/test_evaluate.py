"""Scoring the schedulers on a learner's log as srs-benchmark does: the items fsrs-rs learns from,
the time-series split, SM-2's recall probability, log loss and RMSE (bins), each on cases worked
by hand; and a split that never looks ahead."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest
from fsrs import Card, Rating
from fsrs import Scheduler as Reference
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from srs.core.evaluate import (
    EPSILON,
    evaluate,
    fsrs_recall,
    log_loss,
    predictions,
    review_bin,
    rmse_bins,
    sm2_interval,
    sm2_recall,
    time_series_split,
)
from srs.core.fsrs import FsrsScheduler
from srs.core.fsrs_fit import MIN_REVIEWS, Review, ReviewItem, fit_parameters, fsrs_item, is_default, review_items

DAY = date(2026, 3, 1)

RATINGS = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}


def on(days: int) -> date:
    return DAY + timedelta(days=days)


def item(*answers: tuple[int, int]) -> ReviewItem:
    """The last of a card's answers, (day number, grade) each, as an item with the others before it."""
    *before, (day, grade) = answers
    return ReviewItem(0, 1, on(day), grade, tuple((on(d), g) for d, g in before))


def simulated_log(cards: int = 200, seed: int = 11) -> list[Review]:
    """A learner's answers in time order: each card's recall follows a forgetting curve of its own,
    and a card forgotten is drilled once the same day, as the app asks."""
    rng = random.Random(seed)
    answers = []
    for card in range(cards):
        day, stability = rng.randrange(40), rng.uniform(1, 4)
        answers.append((day, card, len(answers), rng.choice((2, 4, 5))))
        for _ in range(rng.randint(2, 8)):
            elapsed = max(1, round(stability * rng.uniform(0.6, 1.8)))
            day += elapsed
            recalled = rng.random() < 0.9 ** (elapsed / stability)
            stability = stability * rng.uniform(1.8, 3) if recalled else max(1.0, stability * 0.4)
            answers.append((day, card, len(answers), rng.choice((3, 4, 4, 5)) if recalled else rng.choice((0, 1, 2))))
            if not recalled:
                answers.append((day, card, len(answers), 4))
    answers.sort()
    return [Review(card, on(day), grade) for day, card, _, grade in answers]


# -- the items ------------------------------------------------------------------------------


def test_an_item_is_each_review_a_day_or_more_after_the_cards_previous_one():
    log = [
        Review(1, on(0), 4),
        Review(2, on(0), 1),
        Review(1, on(1), 2),
        Review(2, on(3), 5),
        Review(1, on(0), 4),  # a clock that went backwards: no item, but part of what follows
        Review(1, on(6), 3),
    ]
    items = review_items(log)
    assert [(i.order, i.card, i.day, i.grade, i.history) for i in items] == [
        (2, 1, on(1), 2, ((on(0), 4),)),
        (3, 2, on(3), 5, ((on(0), 1),)),
        (5, 1, on(6), 3, ((on(0), 4), (on(1), 2), (on(0), 4))),
    ]
    assert [(i.elapsed, i.recalled) for i in items] == [(1, False), (3, True), (6, True)]
    # As fsrs-rs takes them: FSRS's ratings, and the days since the previous review (0 first, and
    # 0 for the review a day before its previous one).
    assert [repr(fsrs_item(i)) for i in items] == [
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 1, delta_t: 1 }] }",
        "FSRSItem { reviews: [FSRSReview { rating: 1, delta_t: 0 }, FSRSReview { rating: 4, delta_t: 3 }] }",
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 1, delta_t: 1 }, "
        "FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 2, delta_t: 6 }] }",
    ]


def test_same_day_answers_are_in_the_history_with_delta_t_0_and_never_predicted():
    log = [
        Review(1, on(0), 1),
        Review(1, on(0), 4),  # a drill
        Review(1, on(2), 2),
        Review(1, on(2), 3),  # a drill
        Review(1, on(2), 4),  # another
        Review(1, on(5), 4),
    ]
    items = review_items(log)
    assert [(i.order, i.day, i.history) for i in items] == [
        (2, on(2), ((on(0), 1), (on(0), 4))),
        (5, on(5), ((on(0), 1), (on(0), 4), (on(2), 2), (on(2), 3), (on(2), 4))),
    ]
    assert [i.elapsed for i in items] == [2, 3]
    assert repr(fsrs_item(items[1])) == (
        "FSRSItem { reviews: [FSRSReview { rating: 1, delta_t: 0 }, FSRSReview { rating: 3, delta_t: 0 }, "
        "FSRSReview { rating: 1, delta_t: 2 }, FSRSReview { rating: 2, delta_t: 0 }, "
        "FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 3, delta_t: 3 }] }"
    )
    # FSRS predicts from the card replayed through every earlier answer, drills as same-day reviews:
    # py-fsrs run on its own over the same answers gives the same recall.
    reference = Reference(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=datetime.combine(on(0), time(9, tzinfo=timezone.utc)))
    for day, grade in items[1].history:
        card, _ = reference.review_card(card, RATINGS[grade], datetime.combine(day, time(9, tzinfo=timezone.utc)))
    expected = reference.get_card_retrievability(card, datetime.combine(on(5), time(9, tzinfo=timezone.utc)))
    assert fsrs_recall(items[1], FsrsScheduler()) == pytest.approx(expected, abs=1e-12)
    without_drills = replace(items[1], history=tuple(a for n, a in enumerate(items[1].history) if n not in (1, 3, 4)))
    assert fsrs_recall(without_drills, FsrsScheduler()) != pytest.approx(expected, abs=1e-6)
    # SM-2's drills move nothing: its interval is the one its reviews alone give.
    assert sm2_interval(items[1].history) == sm2_interval(without_drills.history) == 1


def test_a_fit_needs_64_reviews_and_stays_within_the_schedulers_bounds():
    items = review_items(simulated_log())
    assert fit_parameters(items[: MIN_REVIEWS - 1]) is None
    weights = fit_parameters(items)
    assert weights is not None and len(weights) == 21 and not is_default(weights)
    bounds = zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    assert all(low <= w <= high for w, low, high in bounds)
    assert all(round(w, 4) == w for w in weights)
    # Fitted with short-term training on the log's drills: the same-day weights w17-w19 are fitted
    # (fsrs-rs sets them to 0 without it).
    assert all(w > 0 for w in weights[17:20])
    assert fit_parameters(items) == weights  # the same reviews, the same fit
    assert is_default(DEFAULT_PARAMETERS)


# -- the split ------------------------------------------------------------------------------


def test_the_split_is_scikit_learns_time_series_split_in_five_folds():
    # TimeSeriesSplit(n_splits=5) on 12 samples tests [2:4], [4:6], ... ; on 13, the first part is 3 long.
    assert time_series_split(12) == [(2, 4), (4, 6), (6, 8), (8, 10), (10, 12)]
    assert time_series_split(13) == [(3, 5), (5, 7), (7, 9), (9, 11), (11, 13)]
    assert time_series_split(6) == [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    with pytest.raises(ValueError):
        time_series_split(5)


def test_no_prediction_changes_when_later_answers_change():
    log = simulated_log()
    before = predictions(log)
    assert {p.fold for p in before if p.fitted} == {0, 1, 2, 3, 4}
    cut = before[len(before) // 2].item.order
    # Every answer from the cut on graded otherwise: the predictions up to it stay as they were.
    changed = log[:cut] + [replace(review, grade=5 - review.grade) for review in log[cut:]]
    after = predictions(changed)
    kept = [(p.item.order, p.sm2, p.fsrs_defaults, p.fsrs_fitted) for p in before if p.item.order <= cut]
    assert [(p.item.order, p.sm2, p.fsrs_defaults, p.fsrs_fitted) for p in after if p.item.order <= cut] == kept
    assert len(kept) > len(before) // 3
    # An earlier answer changed does change what is predicted after it (the test can fail).
    first = log[:1] + [replace(review, grade=5 - review.grade) for review in log[1:2]] + log[2:]
    assert [p.fsrs_fitted for p in predictions(first)] != [p.fsrs_fitted for p in before]


# -- SM-2's recall probability --------------------------------------------------------------


def test_sm2_predicts_90_percent_on_the_due_day_on_an_exponential_curve():
    assert sm2_interval([(on(0), 4)]) == 1
    assert sm2_recall(item((0, 4), (1, 4))) == pytest.approx(0.9)  # due after 1 day, asked after 1
    assert sm2_interval([(on(0), 4), (on(1), 4)]) == 6
    assert sm2_recall(item((0, 4), (1, 4), (13, 3))) == pytest.approx(0.81)  # 12 days of a 6-day interval
    assert sm2_interval([(on(0), 4), (on(1), 2)]) == 1  # a lapse starts again at 1 day
    assert sm2_recall(item((0, 4), (1, 2), (4, 4))) == pytest.approx(0.729)  # 3 days of a 1-day interval
    assert sm2_interval([(on(0), 5), (on(1), 5), (on(7), 5)]) == 17  # 6 days times EF 2.7, rounded up
    assert sm2_recall(item((0, 5), (1, 5), (1, 0), (7, 5), (24, 4))) == pytest.approx(0.9)  # the drill moves nothing
    assert sm2_recall(item((0, 5), (1, 5), (7, 5), (24, 4))) == pytest.approx(0.9)
    assert sm2_recall(item((0, 5), (1, 5), (7, 5), (41, 4))) == pytest.approx(0.81)


# -- the metrics ----------------------------------------------------------------------------


def test_log_loss_is_the_mean_negative_log_likelihood():
    assert log_loss([(True, 0.5)]) == pytest.approx(math.log(2))
    assert log_loss([(True, 0.9), (False, 0.2)]) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)
    assert log_loss([(True, 0.5), (False, 0.5), (False, 0.5), (True, 0.5)]) == pytest.approx(math.log(2))
    # A certainty that was wrong costs what scikit-learn's clipping gives it, not infinity.
    assert log_loss([(False, 1.0)]) == pytest.approx(-math.log(EPSILON))
    assert log_loss([(True, 1.0)]) == pytest.approx(EPSILON)


def test_rmse_bins_weighs_each_bins_gap_by_its_reviews():
    # One bin of one review (predicted 0.5, recalled) and one of three (0.9 each, two recalled).
    outcomes = [("a", True, 0.5), ("b", True, 0.9), ("b", True, 0.9), ("b", False, 0.9)]
    assert rmse_bins(outcomes) == pytest.approx(math.sqrt((1 * 0.5**2 + 3 * (0.9 - 2 / 3) ** 2) / 4))
    # Within a bin only the means count: 0.9 and 0.7 against one of two recalled is a gap of 0.3.
    assert rmse_bins([("a", True, 0.9), ("a", False, 0.7)]) == pytest.approx(0.3)
    assert rmse_bins([("a", True, 0.9), ("b", False, 0.7)]) == pytest.approx(math.sqrt((0.1**2 + 0.7**2) / 2))


@pytest.mark.parametrize(
    "answers, expected",
    [
        (((0, 4), (1, 4)), (2.48, 4, 0)),  # 1 day, the 2nd review, no lapse
        (((0, 4), (3, 4)), (2.48, 4, 0)),  # up to 3 days share a bin
        (((0, 4), (4, 4)), (8.98, 4, 0)),  # 4 to 13 days
        (((0, 4), (13, 4)), (8.98, 4, 0)),
        (((0, 4), (14, 4)), (32.5, 4, 0)),  # 14 to 47 days
        (((0, 1), (1, 4)), (2.48, 4, 0)),  # a forgotten first answer is no lapse
        (((0, 4), (1, 1), (2, 4)), (2.48, 4, 2)),  # the 3rd review, 1 lapse
        (((0, 4), (1, 1), (2, 4), (3, 4)), (2.48, 7, 2)),  # the 4th
        (((0, 4), (1, 1), (2, 1), (3, 4)), (2.48, 7, 3)),  # 2 lapses
        (((0, 4), (1, 1), (2, 1), (3, 0), (4, 4)), (2.48, 7, 5)),  # 3 lapses
        (((0, 4), (1, 4), (1, 4), (2, 4)), (2.48, 4, 0)),  # a same-day review is not counted
    ],
)
def test_a_reviews_bin_is_its_interval_its_number_and_its_lapses(answers, expected):
    assert review_bin(item(*answers)) == expected


def test_the_evaluation_scores_every_scheduler_on_the_same_reviews():
    log = simulated_log()
    scores = evaluate(log)
    predicted = predictions(log)
    assert (scores.reviews, scores.folds, scores.folds_fitted) == (len(predicted), 5, 5)
    assert scores.reviews == 5 * (len(review_items(log)) // 6)
    assert scores.sm2.log_loss == pytest.approx(log_loss([(p.item.recalled, p.sm2) for p in predicted]))
    assert scores.fsrs_fitted is not None
    assert scores.fsrs_fitted.rmse_bins == pytest.approx(
        rmse_bins([(review_bin(p.item), p.item.recalled, p.fsrs_fitted) for p in predicted])
    )
    assert evaluate(log) == scores
    # With too few reviews before every fold to fit, there is no fitted row.
    few = evaluate(log[:90])
    assert (few.folds_fitted, few.fsrs_fitted) == (0, None)

"""The simulated learner `tests/bench/bench_schedulers.py` reports on holds to what its module
says of it: the forgetting curve, stability's moves, the grades and the seed."""

import math
import statistics
import sys
from itertools import pairwise
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from memory_model import FIRST_STABILITY, Learner, MemoryModel, grade  # noqa: E402 - the bench's folder is no package

MODEL = MemoryModel()


def test_recall_is_certain_when_just_seen_and_falls_with_time():
    curve = [MODEL.recall(5.0, days) for days in (0, 0.5, 1, 5, 30, 365)]
    assert curve[0] == 1.0
    assert all(later < earlier for earlier, later in pairwise(curve))
    assert curve[-1] > 0


def test_stability_is_the_days_recall_takes_to_fall_to_ninety_percent():
    for stability in (0.5, 1.0, 20.0, 400.0):
        assert MODEL.recall(stability, stability) == pytest.approx(0.9)


def test_a_stabler_memory_forgets_slower():
    assert MODEL.recall(1.0, 10) < MODEL.recall(10.0, 10) < MODEL.recall(100.0, 10)


def test_forgetting_follows_a_power_law_not_an_exponential():
    # A power law's log-log slope tends to -decay: from 1,000 to 10,000 stabilities on, recall
    # falls by about 10 ** -0.3, where an exponential would have fallen to nothing.
    ratio = MODEL.recall(1.0, 10_000) / MODEL.recall(1.0, 1_000)
    assert ratio == pytest.approx(10**-MODEL.decay, rel=0.01)


def test_a_success_raises_stability_by_more_the_lower_recall_was():
    gains = [MODEL.after_recall(10.0, 1.0, recall) for recall in (0.99, 0.9, 0.7, 0.5)]
    assert all(gain > 10.0 for gain in gains)
    assert gains == sorted(gains)
    assert gains[1] == pytest.approx(25.0)  # 2.5-fold for the median card at 90%


def test_a_harder_card_gains_less_from_a_success():
    assert MODEL.after_recall(10.0, 2.0, 0.9) < MODEL.after_recall(10.0, 1.0, 0.9) < MODEL.after_recall(10.0, 0.5, 0.9)


def test_a_lapse_lowers_stability_but_never_below_a_first_learning():
    assert MODEL.after_lapse(100.0, 1.0) == pytest.approx(10.0)
    assert MODEL.after_lapse(3.0, 1.0) == FIRST_STABILITY
    assert MODEL.after_lapse(3.0, 2.0) == FIRST_STABILITY / 2


def test_difficulties_are_log_normal_of_median_one():
    learner = Learner(4000, seed=3)
    difficulties = [trace.difficulty for trace in learner.traces]
    assert min(difficulties) > 0
    assert statistics.median(difficulties) == pytest.approx(1.0, abs=0.05)
    assert statistics.stdev(map(math.log, difficulties)) == pytest.approx(MODEL.difficulty_spread, rel=0.05)


def test_grades_follow_the_documented_rule():
    assert [grade(False, p) for p in (0.0, 0.5, 0.99)] == [1, 1, 1]
    assert [grade(True, p) for p in (0.5, 0.69, 0.7, 0.94, 0.95, 1.0)] == [3, 3, 4, 4, 5, 5]


def test_a_new_card_is_not_recalled_and_is_learnt_once_shown():
    learner = Learner(1, seed=1)
    assert learner.recall(0, 0.0) == 0.0
    assert learner.answer(0, 0.0) == (1, 0.0)
    assert learner.traces[0].stability == FIRST_STABILITY / learner.traces[0].difficulty
    assert learner.recall(0, 0.0) == 1.0


def test_a_recalled_review_raises_the_cards_stability_and_a_forgotten_one_lowers_it():
    learner = Learner(200, seed=5)
    outcomes = set()
    for card in range(200):
        learner.answer(card, 0.0)
        before = learner.traces[card].stability
        given, recall = learner.answer(card, 3.0)
        after = learner.traces[card].stability
        assert recall == MODEL.recall(before, 3.0)
        if given == 1:
            assert after == MODEL.after_lapse(before, learner.traces[card].difficulty) <= before
        else:
            assert after > before
        outcomes.add(given == 1)
    assert outcomes == {True, False}  # both happened


def test_the_same_seed_gives_the_same_answers():
    def run(seed):
        learner = Learner(50, seed=seed)
        return [learner.answer(card % 50, day + card / 1000) for day in range(0, 40, 4) for card in range(50)]

    assert run(9) == run(9)
    assert run(9) != run(10)

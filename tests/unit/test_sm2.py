from itertools import accumulate, pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srs.core.sm2 import MAX_INTERVAL, Sm2State, check_grade, easiness_change, review

NEW = Sm2State()


def history(grades, state=NEW):
    states = []
    for grade in grades:
        state = review(state, grade)
        states.append(state)
    return states


def test_four_good_answers_give_1_6_15_38():
    states = history([4, 4, 4, 4])
    assert [s.interval for s in states] == [1, 6, 15, 38]
    assert [s.easiness for s in states] == [2.5, 2.5, 2.5, 2.5]
    assert [s.repetitions for s in states] == [1, 2, 3, 4]


def test_the_interval_stops_at_a_hundred_years():
    states = history([5] * 30)
    intervals = [s.interval for s in states]
    # Each interval the last times the easiness held before the answer, until the cap: reached at
    # the 10th answer and kept.
    assert intervals[:9] == [1, 6, 17, 48, 140, 420, 1302, 4167, 13752]
    assert MAX_INTERVAL == intervals[9] == intervals[-1] == 36_500
    assert states[-1].repetitions == 30


def test_three_perfect_answers_raise_easiness_and_use_the_easiness_held_before():
    states = history([5, 5, 5])
    assert [s.easiness for s in states] == [2.6, 2.7, 2.8]
    # The third interval is ceil(6 * 2.7) = 17, with the EF from before the third answer.
    assert [s.interval for s in states] == [1, 6, 17]


def test_easiness_changes_per_grade_match_the_formula():
    assert [easiness_change(q) for q in range(6)] == [-80, -54, -32, -14, 0, 10]


def test_grade_three_lowers_easiness_and_still_advances():
    states = history([3, 3, 3])
    assert [s.easiness for s in states] == [2.36, 2.22, 2.08]
    assert [s.interval for s in states] == [1, 6, 14]  # ceil(6 * 2.22) = 13.32 -> 14


def test_a_lapse_restarts_repetitions_and_keeps_easiness():
    states = history([5, 5, 5, 2])
    assert states[-1] == Sm2State(2.8, repetitions=0, interval=1)
    # After the lapse the repetitions build up again from 1 and 6.
    after = history([4, 4, 4], states[-1])
    assert [s.interval for s in after] == [1, 6, 17]  # ceil(6 * 2.8) = 16.8 -> 17


def test_easiness_never_drops_below_1_3():
    states = history([3] * 12)
    assert min(s.easiness for s in states) == 1.3
    assert states[-1].easiness == 1.3


def test_exact_hundredths_keep_an_exact_product_exact():
    # 6 x 2.5 is exactly 15; a binary float EF built by repeated addition must not make it 16.
    state = Sm2State(2.5, repetitions=2, interval=6)
    assert review(state, 4).interval == 15
    assert review(Sm2State(1.5, 2, 10), 4).interval == 15


@pytest.mark.parametrize("grade", [-1, 6, 2.5, "4", None, True])
def test_grades_outside_0_to_5_are_refused(grade):
    with pytest.raises(ValueError):
        review(Sm2State(), grade)
    with pytest.raises(ValueError):
        check_grade(grade)


def test_state_rejects_impossible_values():
    with pytest.raises(ValueError):
        Sm2State(1.2)
    with pytest.raises(ValueError):
        Sm2State(2.5, -1, 0)


grades = st.lists(st.integers(0, 5), min_size=1, max_size=40)


@given(grades)
def test_properties_of_any_history(gs):
    states = history(gs)
    for grade, before, after in zip(gs, [Sm2State(), *states], states, strict=False):
        assert after.interval >= 1
        assert after.easiness >= 1.3
        assert round(after.easiness * 100) == after.ef100  # always whole hundredths
        if grade < 3:
            assert after.repetitions == 0 and after.interval == 1
            assert after.easiness == before.easiness
        else:
            assert after.repetitions == before.repetitions + 1
            if after.repetitions > 2:
                assert after.interval >= before.interval  # EF >= 1.3 never shrinks an interval


@given(st.lists(st.integers(3, 5), min_size=3, max_size=30))
def test_passing_histories_grow_intervals(gs):
    intervals = [s.interval for s in history(gs)]
    assert intervals[:2] == [1, 6]
    assert all(b >= a for a, b in pairwise(intervals))


@given(st.lists(st.integers(0, 5), max_size=30))
def test_easiness_is_the_floored_running_sum_of_passing_changes(gs):
    expected = list(accumulate((easiness_change(q) for q in gs if q >= 3), lambda a, d: max(130, a + d), initial=250))[
        -1
    ]
    final = history(gs)[-1] if gs else Sm2State()
    assert final.ef100 == expected

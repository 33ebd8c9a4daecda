"""Implicit credit's rule (`srs.core.credit`): the exact moves for chosen intervals, levels and
days, the cards it never moves, and a move that touches the due day alone, under SM-2 and FSRS."""

from datetime import date, timedelta

import pytest

from srs.core.answer import SM2, Schedule, answer, log_record
from srs.core.credit import credit, credit_days, earns_credit, undo_credit
from srs.core.fsrs import FsrsScheduler

TODAY = date(2026, 11, 23)


def reviewed(interval: int, due_in: int, **fields) -> Schedule:
    """A card reviewed before today, `interval` days long, due `due_in` days from today."""
    return Schedule(
        easiness=250,
        repetitions=3,
        interval=interval,
        due=TODAY + timedelta(days=due_in),
        reviews=3,
        last_day=TODAY - timedelta(days=interval - due_in),
        last_grade=4,
        **fields,
    )


@pytest.mark.parametrize(
    ("interval", "due_in", "level", "days"),
    [
        (30, 10, 1, 2),  # 20 days of 30 gone by: a tenth of 20
        (30, 10, 2, 1),  # a grandparent: half of that
        (40, 10, 3, 1),  # a great-grandparent: 0.025 * 30 = 0.75, rounded up
        (40, 10, 4, 0),  # further up: not credited
        (60, 6, 1, 5),  # 5.4 days
        (60, 5, 1, 6),  # 5.5 days, rounded half up
        (60, 6, 2, 3),  # 2.7
        (60, 6, 3, 1),  # 1.35
        (30, 25, 1, 1),  # early in its interval: 5 days gone by, 0.5 rounded up
        (30, 26, 1, 0),  # 4 days gone by: less than half a day
        (6, 1, 1, 1),  # a short interval: 0.5
        (6, 3, 1, 0),  # 0.3
        (200, 1, 1, 20),  # late in a long interval
        (30, 30, 1, 0),  # answered on the day its interval began
        (30, 32, 1, 0),  # due later than its interval (credited before): nothing gone by
    ],
)
def test_a_pass_moves_an_ancestor_by_a_discounted_share_of_its_interval(interval, due_in, level, days):
    assert credit_days(reviewed(interval, due_in), level, TODAY) == days


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(),  # new
        reviewed(30, 0),  # due today: today's queue asks it
        reviewed(30, -3),  # overdue
        reviewed(30, 10)._replace(last_day=TODAY),  # answered today
    ],
)
def test_a_new_card_one_due_or_one_answered_today_gets_no_credit(schedule):
    assert credit_days(schedule, 1, TODAY) == 0
    after, entry = credit(schedule, 1, TODAY)
    assert after == schedule == entry.before == entry.after


def test_only_a_reviews_pass_earns_credit():
    card = reviewed(30, 10)
    passed = answer(card, 3, TODAY)[1]
    assert earns_credit(passed)
    assert not earns_credit(answer(card, 2, TODAY)[1])  # a lapse
    assert not earns_credit(answer(answer(card, 2, TODAY)[0], 5, TODAY)[1])  # a drill, however good


@pytest.mark.parametrize(
    "schedule",
    [reviewed(30, 10), reviewed(30, 10, stability=24.5, difficulty=5.25)],
    ids=["sm2", "fsrs"],
)
def test_a_credit_moves_the_due_day_alone_and_is_undone_from_its_log_record(schedule):
    after, entry = credit(schedule, 1, TODAY)
    assert after == schedule._replace(due=TODAY + timedelta(days=12))
    assert (entry.grade, entry.day, entry.drill, entry.before, entry.after) == (-1, TODAY, False, schedule, after)
    assert undo_credit(after, log_record(entry)) == schedule


@pytest.mark.parametrize(
    ("scheduler", "card"),
    [(SM2, reviewed(30, 10)), (FsrsScheduler(), reviewed(30, 10, stability=24.5, difficulty=5.25))],
    ids=["sm2", "fsrs"],
)
def test_the_next_review_of_a_credited_card_is_what_it_would_have_been_on_that_day(scheduler, card):
    credited, _ = credit(card, 1, TODAY)
    assert credited.due == TODAY + timedelta(days=12)
    for day in (TODAY + timedelta(days=10), TODAY + timedelta(days=12)):
        assert answer(credited, 4, day, scheduler)[0] == answer(card, 4, day, scheduler)[0]

from datetime import date, datetime, timezone

import pytest
from dateutil import tz

from srs.core.day import Clock, due_after, learner_day

PARIS = tz.gettz("Europe/Paris")
NEW_YORK = tz.gettz("America/New_York")


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_the_day_rolls_over_at_four_in_the_learners_zone():
    # 02:30 in Paris on the 24th is still the learner's 23rd.
    assert learner_day(utc(2026, 11, 24, 1, 30), PARIS) == date(2026, 11, 23)
    assert learner_day(utc(2026, 11, 24, 3, 0), PARIS) == date(2026, 11, 24)  # 04:00 Paris


def test_rollover_hour_is_settable():
    assert learner_day(utc(2026, 11, 24, 1, 30), PARIS, rollover_hour=0) == date(2026, 11, 24)
    with pytest.raises(ValueError):
        learner_day(utc(2026, 11, 24), PARIS, rollover_hour=24)


def test_a_naive_clock_is_refused():
    with pytest.raises(ValueError):
        learner_day(datetime(2026, 11, 24), PARIS)


def test_daylight_saving_changes_keep_days_whole():
    # New York leaves DST on 2026-11-01 at 02:00; 03:59 local on both sides is still the day before.
    assert learner_day(utc(2026, 11, 1, 7, 59), NEW_YORK) == date(2026, 10, 31)  # 02:59 EST
    assert learner_day(utc(2026, 11, 1, 9, 0), NEW_YORK) == date(2026, 11, 1)  # 04:00 EST
    assert learner_day(utc(2026, 3, 8, 8, 0), NEW_YORK) == date(2026, 3, 8)  # 04:00 EDT


def test_travel_changes_the_day_by_the_zone_not_by_utc():
    moment = utc(2026, 11, 23, 23, 0)
    assert learner_day(moment, tz.gettz("Asia/Tokyo")) == date(2026, 11, 24)
    assert learner_day(moment, tz.gettz("America/Los_Angeles")) == date(2026, 11, 23)


def test_due_counts_from_the_later_of_today_and_the_last_answer():
    assert due_after(date(2026, 11, 23), date(2026, 11, 20), 6) == date(2026, 11, 29)
    # The clock went back two days: the card is still not due before its last answer + interval.
    assert due_after(date(2026, 11, 21), date(2026, 11, 23), 1) == date(2026, 11, 24)
    assert due_after(date(2026, 11, 23), None, 1) == date(2026, 11, 24)
    with pytest.raises(ValueError):
        due_after(date(2026, 11, 23), None, -1)


def test_clock_today_uses_its_zone_and_hour():
    clock = Clock(now=lambda: utc(2026, 11, 24, 1, 30), tz=PARIS)
    assert clock.today() == date(2026, 11, 23)


def test_a_streak_runs_back_from_today_or_yesterday_to_the_first_gap():
    from datetime import timedelta

    from srs.core.day import streak

    today = date(2026, 11, 23)
    days = lambda *back: [today - timedelta(days=n) for n in back]  # noqa: E731
    assert streak(days(0, 1, 2, 4), today) == 3
    assert streak(days(1, 2, 3, 5), today) == 3  # not yet studied today: the run holds
    assert streak(days(2, 3), today) == 0  # a whole day without study ends it
    assert streak([], today) == 0
    assert streak(days(-1, 0, 1), today) == 2  # a day after today does not count
    assert streak(iter(days(0, 1, 3, 4, 5)), today) == 2

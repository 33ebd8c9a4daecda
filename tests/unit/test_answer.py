"""The answer rules on a fixed day: reviews, drills, lapses and the scheduler seam."""

from datetime import date, timedelta

import pytest

from srs.core.answer import SM2, AnswerLog, Schedule, answer, log_record, repeat_today, undo

DAY = date(2026, 11, 23)


def day(n: int) -> date:
    return DAY + timedelta(days=n)


DEFAULT_SCHEDULE = Schedule()


def replay(script, schedule=DEFAULT_SCHEDULE, scheduler=SM2):
    """Answer `script`, a list of (day number, grade); the log entries, one per answer."""
    logs = []
    for n, grade in script:
        schedule, log = answer(schedule, grade, day(n), scheduler)
        assert log.after == schedule
        logs.append(log)
    return logs


SCRIPT = [
    (0, 4),  # new card: review, 1 day
    (1, 5),  # 6 days, EF 2.6
    (7, 4),  # ceil(6 * 2.6) = 16 days
    (23, 2),  # lapse: repetitions restart, EF kept
    (23, 3),  # drills the same day, below 4 and then 4
    (23, 4),
    (24, 4),  # the next day: a review again
    (20, 4),  # a clock that went backwards: a review, due counted from day 24
]


def test_a_scripted_history_of_reviews_drills_and_a_lapse():
    logs = replay(SCRIPT)
    assert [log.drill for log in logs] == [False, False, False, False, True, True, False, False]
    assert [log.after.interval for log in logs] == [1, 6, 16, 1, 1, 1, 1, 6]
    assert [log.after.easiness for log in logs] == [250, 260, 260, 260, 260, 260, 260, 260]
    assert [log.after.repetitions for log in logs] == [1, 2, 3, 0, 0, 0, 1, 2]
    assert [log.after.due for log in logs] == [day(1), day(7), day(23), day(24), day(24), day(24), day(25), day(30)]
    assert [log.after.reviews for log in logs] == [1, 2, 3, 4, 4, 4, 5, 6]
    assert [log.after.lapses for log in logs] == [0, 0, 0, 1, 1, 1, 1, 1]
    assert [log.after.last_day for log in logs] == [day(0), day(1), day(7), day(23), day(23), day(23), day(24), day(20)]
    assert [log.after.last_grade for log in logs] == [4, 5, 4, 2, 3, 4, 4, 4]


def test_each_log_entry_holds_the_schedule_before_it():
    logs = replay(SCRIPT)
    assert logs[0].before == Schedule()
    assert [log.before for log in logs[1:]] == [log.after for log in logs[:-1]]
    assert [(log.grade, log.day) for log in logs] == [(grade, day(n)) for n, grade in SCRIPT]


def test_a_drill_keeps_the_schedule_and_records_only_the_answer():
    before = Schedule(
        easiness=236, repetitions=2, interval=6, due=day(6), reviews=2, lapses=1, last_day=DAY, last_grade=1
    )
    after, log = answer(before, 5, DAY, duration_ms=900)
    assert after == before._replace(last_grade=5)
    assert log == AnswerLog(grade=5, day=DAY, drill=True, before=before, after=after, duration_ms=900)


def test_a_card_answered_below_4_comes_back_today_and_not_after_a_4():
    schedule = Schedule()
    seen = []
    for grade in (1, 3, 4):
        schedule, _ = answer(schedule, grade, DAY)
        seen.append(repeat_today(schedule, DAY))
    assert seen == [True, True, False]
    assert repeat_today(answer(Schedule(), 2, DAY)[0], day(1)) is False
    assert repeat_today(Schedule(), DAY) is False


@pytest.mark.parametrize("grade", [3, 4, 5])
def test_a_review_graded_3_or_more_is_no_lapse(grade):
    after, _ = answer(Schedule(), grade, DAY)
    assert after.lapses == 0


@pytest.mark.parametrize("grade", [0, 1, 2])
def test_a_review_graded_below_3_is_a_lapse(grade):
    after, _ = answer(Schedule(repetitions=3, interval=16, due=DAY, reviews=3, last_day=day(-16)), grade, DAY)
    assert (after.lapses, after.repetitions, after.interval, after.due) == (1, 0, 1, day(1))


def test_a_negative_duration_is_logged_as_none_and_a_bad_grade_is_refused():
    assert answer(Schedule(), 4, DAY, duration_ms=-5)[1].duration_ms == 0
    for grade in (6, -1, 2.5, True):
        with pytest.raises(ValueError):
            answer(Schedule(), grade, DAY)


class EveryThreeDays:
    """A scheduler that is not SM-2: every review is due three days on, with the easiness as a counter."""

    def review(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        # The counts returned here are the scheduler's to propose and `answer`'s to ignore.
        return schedule._replace(
            easiness=schedule.easiness + 1,
            repetitions=7,
            interval=3,
            due=today + timedelta(3),
            reviews=99,
            lapses=99,
            last_grade=None,
        )

    def drill(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        return schedule


def test_another_scheduler_plugs_in_at_the_seam_and_the_answer_rules_stay():
    logs = replay([(0, 1), (0, 1), (3, 5)], scheduler=EveryThreeDays())
    assert [log.drill for log in logs] == [False, True, False]
    assert [(log.after.easiness, log.after.repetitions, log.after.interval, log.after.due) for log in logs] == [
        (251, 7, 3, day(3)),
        (251, 7, 3, day(3)),
        (252, 7, 3, day(6)),
    ]
    assert [(log.after.reviews, log.after.lapses, log.after.last_grade) for log in logs] == [
        (1, 1, 1),
        (1, 1, 1),
        (2, 1, 5),
    ]


def test_undo_from_the_log_record_gives_back_the_schedule_before_each_answer_exactly():
    # Every answer of the script taken back in turn, newest first, as `srs undo` run again would.
    logs = replay(SCRIPT)
    schedule = logs[-1].after
    for log in reversed(logs):
        schedule = undo(schedule, log_record(log))
        assert schedule == log.before
    assert schedule == Schedule()


def test_the_log_record_names_the_answer_and_the_schedule_either_side():
    before = Schedule(easiness=236, repetitions=2, interval=6, due=day(0), reviews=2, lapses=1, last_day=day(-6))
    _, log = answer(before, 2, DAY, duration_ms=1200)
    assert log_record(log) == {
        "day": DAY,
        "grade": 2,
        "duration_ms": 1200,
        "drill": False,
        "easiness_before": 236,
        "repetitions_before": 2,
        "interval_before": 6,
        "due_before": day(0),
        "lapses_before": 1,
        "last_day_before": day(-6),
        "last_grade_before": None,
        "stability_before": None,
        "difficulty_before": None,
        "easiness_after": 236,
        "repetitions_after": 0,
        "interval_after": 1,
        "due_after": day(1),
        "stability_after": None,
        "difficulty_after": None,
    }


def test_only_a_new_cards_first_review_is_its_first():
    logs = replay([(0, 2), (0, 4), (1, 4)])
    assert [log.first_review for log in logs] == [True, False, False]


def test_each_grade_says_when_it_brings_the_card_back():
    from srs.core.answer import days_to_next

    new = Schedule()
    assert days_to_next(new, DAY) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    once, _ = answer(new, 4, DAY)  # SM-2: 1 day, then 6, then 6 x easiness
    assert days_to_next(once, day(1)) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 6, 5: 6}
    twice, _ = answer(once, 5, day(1))
    assert days_to_next(twice, day(7)) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 16, 5: 16}
    # Answered earlier today: a drill keeps the schedule, so a pass brings it back on its due day.
    assert days_to_next(once, DAY) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1}


def test_an_interval_in_words():
    from srs.core.text import days_text

    assert [days_text(d) for d in (0, 1, 59, 60, 200, 365, 800)] == [
        "today",
        "1 d",
        "59 d",
        "2.0 mo",
        "6.6 mo",
        "1.0 y",
        "2.2 y",
    ]

"""FSRS-6 behind the scheduler seam, held answer by answer to py-fsrs run on its own."""

import math
import random
from datetime import date, datetime, time, timedelta, timezone

import pytest
from fsrs import Card, Rating
from fsrs import Scheduler as Reference

from srs.core.answer import SM2, Schedule, answer, is_lapse, log_record, replay, undo
from srs.core.fsrs import FSRS, GRADE_TO_RATING, FsrsScheduler, memory_text, retrievability

DAY = date(2026, 3, 1)

RATINGS = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}

# Not the module's noon: any fixed time of day gives the same learner's days.
REFERENCE_TIME = time(7, 30, tzinfo=timezone.utc)


def history(rng: random.Random) -> list[tuple[date, int]]:
    """A card's answers: (day, grade) in order, some on the same day (drills), some months apart."""
    day, out = DAY, []
    for _ in range(rng.randint(1, 20)):
        day += timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 13, 21, rng.randint(1, 400)]))
        out.append((day, rng.randint(0, 5)))
    return out


def test_the_grade_map_is_again_hard_good_easy_and_again_is_a_lapse():
    assert dict(GRADE_TO_RATING) == RATINGS
    assert [grade for grade in range(6) if GRADE_TO_RATING[grade] == Rating.Again] == [
        grade for grade in range(6) if is_lapse(grade)
    ]


@pytest.mark.parametrize("retention", [0.9, 0.8])
def test_every_answer_of_2000_random_histories_schedules_as_the_library_does(retention):
    scheduler = FSRS if retention == 0.9 else FsrsScheduler(retention)
    reference = Reference(desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    rng = random.Random(6)
    reviews = drills = 0
    for _ in range(2000):
        schedule, card = Schedule(), Card(card_id=1, due=datetime.combine(DAY, REFERENCE_TIME))
        for day, grade in history(rng):
            before = schedule
            schedule, log = answer(schedule, grade, day, scheduler)
            if log.drill:
                drills += 1
                assert (schedule.repetitions, schedule.easiness, schedule.reviews, schedule.lapses) == (
                    before.repetitions,
                    before.easiness,
                    before.reviews,
                    before.lapses,
                )
            else:
                reviews += 1
            # Every answer, a drill too, is the library's review at its time: the same day's is its same-day review.
            now = datetime.combine(day, REFERENCE_TIME)
            card, _ = reference.review_card(card, RATINGS[grade], now)
            assert schedule.stability == pytest.approx(card.stability, abs=1e-6)
            assert schedule.difficulty == pytest.approx(card.difficulty, abs=1e-6)
            assert schedule.due == card.due.date()
            assert schedule.interval == (card.due - now).days
    assert reviews > 10_000 and drills > 1_000  # both kinds of answer were held to the library


def test_a_new_card_graded_4_starts_at_fsrs_six_s_first_good_stability():
    after, _ = answer(Schedule(), 4, DAY, FSRS)
    assert (after.stability, after.interval, after.due, after.repetitions) == (2.3065, 2, DAY + timedelta(days=2), 1)
    assert after.difficulty == pytest.approx(2.1181, abs=1e-4)
    failed, _ = answer(after, 1, DAY + timedelta(days=2), FSRS)
    assert (failed.repetitions, failed.lapses, failed.interval) == (0, 1, 1)


def test_a_drill_under_fsrs_is_fsrs_six_s_same_day_review_and_under_sm2_moves_nothing():
    reviewed, _ = answer(Schedule(), 4, DAY, FSRS)
    drilled, log = answer(reviewed, 1, DAY, FSRS)
    assert log.drill
    w = FSRS.parameters
    # FSRS-6's short-term stability: S * e^(w17 * (G - 3 + w18)) * S^-w19, Again being G = 1.
    short_term = reviewed.stability * math.exp(w[17] * (1 - 3 + w[18])) * reviewed.stability ** -w[19]
    assert drilled.stability == pytest.approx(short_term, abs=1e-9)
    assert drilled.difficulty is not None and reviewed.difficulty is not None
    assert drilled.difficulty > reviewed.difficulty  # an Again makes the card harder
    assert drilled.due is not None and drilled.due >= DAY + timedelta(days=1)
    assert (drilled.reviews, drilled.lapses, drilled.repetitions, drilled.last_grade) == (1, 0, 1, 1)
    sm2_reviewed, _ = answer(Schedule(), 4, DAY, SM2)
    sm2_drilled, sm2_log = answer(sm2_reviewed, 1, DAY, SM2)
    assert sm2_log.drill
    assert sm2_drilled == sm2_reviewed._replace(last_grade=1)


def test_a_higher_desired_retention_brings_the_card_back_sooner():
    schedule = replay([(DAY, 4), (DAY + timedelta(days=2), 4)], FSRS)
    strict = replay([(DAY, 4), (DAY + timedelta(days=2), 4)], FsrsScheduler(0.97))
    assert strict.stability == schedule.stability
    assert strict.interval < schedule.interval


def test_a_desired_retention_outside_0_and_1_is_refused():
    for retention in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="desired retention"):
            FsrsScheduler(retention)


def test_an_answer_on_a_day_before_the_last_is_never_due_before_that_last_day():
    later, _ = answer(Schedule(), 4, DAY + timedelta(days=10), FSRS)
    earlier, log = answer(later, 0, DAY, FSRS)
    assert not log.drill
    assert earlier.due is not None and earlier.due > DAY + timedelta(days=10)


def test_retrievability_is_the_library_s_forgetting_curve():
    reference = Reference(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    rng = random.Random(7)
    for _ in range(500):
        schedule = replay(history(rng), FSRS)
        assert schedule.last_day is not None
        card = Card(
            card_id=1,
            due=datetime.combine(DAY, REFERENCE_TIME),
            stability=schedule.stability,
            difficulty=schedule.difficulty,
            last_review=datetime.combine(schedule.last_day, REFERENCE_TIME),
        )
        for later in (0, 1, 7, 30, 365):
            today = schedule.last_day + timedelta(days=later)
            expected = reference.get_card_retrievability(card, datetime.combine(today, REFERENCE_TIME))
            assert retrievability(schedule, today) == pytest.approx(expected, abs=1e-12)


def test_retrievability_is_the_desired_retention_after_stability_days_and_none_under_sm2():
    schedule = Schedule(stability=10.0, difficulty=5.0, last_day=DAY, due=DAY + timedelta(days=10), reviews=3)
    assert retrievability(schedule, DAY) == 1.0
    assert retrievability(schedule, DAY + timedelta(days=10)) == pytest.approx(0.9, abs=1e-12)
    assert 0.8 < retrievability(schedule, DAY + timedelta(days=30)) < 0.81  # FSRS-6's long tail
    sm2_card, _ = answer(Schedule(), 4, DAY)
    assert retrievability(sm2_card, DAY + timedelta(days=1)) is None


def test_replay_under_sm2_is_answering_one_by_one():
    rng = random.Random(8)
    for _ in range(500):
        answers = history(rng)
        schedule = Schedule()
        for day, grade in answers:
            schedule, _ = answer(schedule, grade, day, SM2)
        assert replay(answers, SM2) == schedule
        assert replay(answers) == schedule


def test_replaying_an_sm2_card_s_log_under_fsrs_keeps_its_counts_and_gives_it_fsrs_state():
    answers = [(DAY, 4), (DAY, 5), (DAY + timedelta(days=1), 2), (DAY + timedelta(days=2), 5)]
    sm2_card, switched = replay(answers, SM2), replay(answers, FSRS)
    assert (sm2_card.stability, sm2_card.difficulty) == (None, None)
    assert switched.stability is not None and switched.difficulty is not None
    assert (switched.reviews, switched.lapses, switched.last_day, switched.last_grade) == (
        3,
        1,
        DAY + timedelta(days=2),
        5,
    )
    assert (switched.reviews, switched.lapses, switched.last_day) == (
        sm2_card.reviews,
        sm2_card.lapses,
        sm2_card.last_day,
    )


def test_undo_under_fsrs_gives_back_the_exact_schedule_before_each_answer():
    rng = random.Random(9)
    for _ in range(500):
        logs = []
        schedule = Schedule()
        for day, grade in history(rng):
            schedule, log = answer(schedule, grade, day, FSRS)
            logs.append(log)
        for log in reversed(logs):
            schedule = undo(schedule, log_record(log))
            assert schedule == log.before
        assert schedule == Schedule()


def test_an_fsrs_answer_s_log_record_holds_the_state_either_side_and_an_sm2_one_none_of_it():
    first, log = answer(Schedule(), 4, DAY, FSRS)
    record = log_record(log)
    assert (record["stability_before"], record["difficulty_before"]) == (None, None)
    assert (record["stability_after"], record["difficulty_after"]) == (first.stability, first.difficulty)
    _, sm2_log = answer(Schedule(), 4, DAY, SM2)
    record = log_record(sm2_log)
    assert {key: value for key, value in record.items() if key.startswith(("stability", "difficulty"))} == {
        "stability_before": None,
        "difficulty_before": None,
        "stability_after": None,
        "difficulty_after": None,
    }


def test_a_cards_memory_reads_as_one_line_to_a_tenth_and_a_whole_percent():
    assert memory_text(12.345, 5.06, 0.9149) == "stability 12.3 days · difficulty 5.1 · recall today 91%"
    assert memory_text(12.345, 5.06, 0.9149, compact=True) == "stability 12.3 d · difficulty 5.1 · recall 91%"
    assert memory_text(0.2121, 10.0, 0.99951) == "stability 0.2 days · difficulty 10.0 · recall today 100%"
    assert memory_text(3.0, 1.0, None) == "stability 3.0 days · difficulty 1.0"


def test_a_replay_logs_the_values_log_record_gives():
    from srs.storage.reschedule import LOGGED, logged

    rng = random.Random(10)
    for _ in range(200):
        schedule = Schedule()
        for day, grade in history(rng):
            schedule, entry = answer(schedule, grade, day, FSRS)
            record = log_record(entry)
            assert logged(entry) == tuple(record[name] for name in LOGGED)

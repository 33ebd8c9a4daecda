from datetime import date

import pytest

from srs.core.queue import PLAN, Beyond, StudyQueue


def run(queue, grades):
    """Answer the cards in order with the given grades; return the cards shown."""
    shown = []
    for grade in grades:
        shown.append(queue.current)
        queue.answer(grade)
    return shown


def test_chunks_split_the_session():
    q = StudyQueue(list(range(1, 26)), chunk_size=10)
    assert q.chunk_count == 3
    assert q.start_chunk() and q.chunk_number == 1 and q.chunk_total == 10
    assert run(q, [5] * 10) == list(range(1, 11))
    assert q.current is None and q.chunk_done == 10 and q.session_done == 10
    assert q.start_chunk() and q.current == 11
    run(q, [4] * 10)
    assert q.start_chunk() and q.chunk_total == 5
    run(q, [4] * 5)
    assert not q.has_next_chunk() and not q.start_chunk()
    assert q.session_done == 25


def test_a_card_below_4_comes_back_three_cards_later_until_it_reaches_4():
    q = StudyQueue([1, 2, 3, 4, 5], chunk_size=5)
    q.start_chunk()
    assert q.answer(2) is True
    assert run(q, [4, 4, 4]) == [2, 3, 4]
    assert q.current == 1 and q.is_drill
    assert q.answer(3) is True  # 3 is a pass for SM-2 but still drilled (step 7)
    assert run(q, [4]) == [5]
    assert q.current == 1
    assert q.answer(4) is False
    assert q.current is None and q.chunk_done == 5


def test_drills_stay_inside_their_chunk():
    q = StudyQueue([1, 2, 3], chunk_size=2)
    q.start_chunk()
    q.answer(1)
    assert q.current == 2
    q.answer(5)
    assert q.current == 1  # back before the chunk can end
    q.answer(5)
    assert q.current is None and q.start_chunk() and q.current == 3


def test_undo_restores_the_queue_exactly():
    q = StudyQueue([1, 2, 3], chunk_size=3)
    q.start_chunk()
    q.answer(0)
    assert q.current == 2
    assert q.undo() and q.current == 1 and not q.is_drill and q.chunk_done == 0
    q.answer(5)
    q.answer(5)
    q.answer(5)
    assert q.current is None
    assert q.undo() and q.current == 3
    assert q.can_undo_answer()


def test_undo_of_a_chunk_start_and_nothing_to_undo():
    q = StudyQueue([1, 2], chunk_size=1)
    assert not q.undo()
    q.start_chunk()
    assert q.undo() and q.chunk_number == 0 and q.current is None


def test_duplicates_are_dropped_and_bad_chunk_sizes_refused():
    assert StudyQueue([3, 1, 3, 2]).cards == [3, 1, 2]
    with pytest.raises(ValueError):
        StudyQueue([1], chunk_size=0)
    q = StudyQueue([1])
    with pytest.raises(RuntimeError):
        q.answer(4)
    q.start_chunk()
    with pytest.raises(ValueError):
        q.answer(7)


# -- beyond the day's plan ------------------------------------------------------------------------


def test_the_days_plan_takes_what_the_limits_leave():
    assert PLAN.due_by(date(2026, 11, 23)) == date(2026, 11, 23)
    assert (PLAN.new_left(20, 5), PLAN.new_left(20, 25), PLAN.reviews_left(200, 3)) == (15, 0, 197)
    assert (PLAN.takes_new(True), PLAN.takes_new(False)) == (True, False)


def test_beyond_widens_the_due_day_and_the_new_cards_alone():
    ahead, extra = Beyond(ahead=7), Beyond(extra_new=10)
    assert ahead.due_by(date(2026, 11, 28)) == date(2026, 12, 5)
    assert (ahead.new_left(20, 5), ahead.reviews_left(200, 3)) == (15, 197)
    assert (extra.new_left(20, 5), extra.new_left(20, 25), extra.new_left(20, 20)) == (25, 10, 10)
    assert extra.takes_new(False) and extra.reviews_left(200, 3) == 197


@pytest.mark.parametrize(
    "options", [{"ahead": -1}, {"extra_new": -2}, {"cram": True, "ahead": 3}, {"cram": True, "extra_new": 1}]
)
def test_beyond_refuses_what_cannot_be(options):
    with pytest.raises(ValueError):
        Beyond(**options)


def state(q):
    """What the screen shows of a queue: current card, chunk, counts."""
    return (q.current, q.chunk_number, q.chunk_count, q.chunk_done, q.chunk_total, q.session_done, len(q.cards))


def test_a_card_set_aside_leaves_the_session_and_its_counts():
    q = StudyQueue([1, 2, 3, 4, 5], chunk_size=2)
    q.start_chunk()
    q.set_aside([])
    assert state(q) == (2, 1, 3, 0, 1, 0, 4)
    q.answer(5)
    assert state(q) == (None, 1, 3, 1, 1, 1, 4)
    # the next chunks are cut from what is left, and counted so
    assert q.start_chunk() and q.current == 3 and q.chunk_total == 2
    assert state(q) == (3, 2, 3, 0, 2, 1, 4)


def test_setting_aside_takes_the_named_cards_still_to_come_but_keeps_those_answered():
    q = StudyQueue([1, 2, 3, 4, 5], chunk_size=3)
    q.start_chunk()
    q.answer(2)  # 1 comes back as a drill
    assert q.current == 2
    # 2 shown, with 1 (answered, its drill pending), 3 (in the chunk) and 5 (in the next chunk)
    q.set_aside([1, 3, 5])
    assert state(q) == (None, 1, 2, 1, 1, 1, 2)
    assert q.cards == [1, 4]
    assert q.start_chunk() and run(q, [4]) == [4] and not q.has_next_chunk()
    assert q.session_done == 2


def test_undo_step_takes_back_a_set_aside_or_an_answer_across_a_chunk_start():
    q = StudyQueue([1, 2, 3], chunk_size=1)
    assert not q.undo_step()
    q.start_chunk()
    assert not q.undo_step() and q.chunk_number == 1  # a chunk start alone is no step
    shown = state(q)
    q.set_aside([2])
    assert q.current is None and q.cards == [3]
    q.start_chunk()
    assert q.current == 3
    assert q.undo_step()
    assert state(q) == shown and q.cards == [1, 2, 3]
    q.answer(4)
    q.start_chunk()
    assert q.undo_step() and state(q) == shown
    with pytest.raises(RuntimeError):
        StudyQueue([1]).set_aside([])

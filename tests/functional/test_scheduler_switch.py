"""`srs scheduler`: a deck's scheduler shown and switched, its whole log replayed, losslessly."""

import json
import random
from datetime import date, datetime, timezone

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import select

from srs.core.answer import Schedule, answer, replay
from srs.core.fsrs import FsrsScheduler
from srs.storage import schedulers
from srs.storage.tables import cards, decks, nodes, reviews

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
    - Part C: The third part.
  - Other: Something else.
    - Leaf: A leaf.
"""

LABELS = ("Root", "Parent", "Part A", "Part B", "Part C", "Other", "Leaf")

SCHEDULE = Schedule._fields


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


def rows(env):
    """Every row of `cards` and of `reviews`, by id."""
    with env.connection() as conn:
        return tuple(
            tuple(tuple(row) for row in conn.execute(select(table).order_by(table.c.id))) for table in (cards, reviews)
        )


def card_schedule(env, label, kind="definition") -> Schedule:
    with env.connection() as conn:
        row = conn.execute(
            select(*(cards.c[name] for name in SCHEDULE))
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == kind)
        ).one()
    return Schedule(**row._mapping)


def card_log(env, label, kind="definition") -> list[tuple[date, int]]:
    with env.connection() as conn:
        return [
            (row.day, row.grade)
            for row in conn.execute(
                select(reviews.c.day, reviews.c.grade)
                .join(cards, cards.c.id == reviews.c.card_id)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .where(nodes.c.label == label, cards.c.kind == kind)
                .order_by(reviews.c.id)
            )
        ]


def history(run, now, deck, days=45, seed=3):
    """`days` days of answers: most days three cards, lapses and drills among them, the children
    cards too; on day 20 `Leaf` leaves the file (retired, its history kept)."""
    rng = random.Random(seed)
    for day in range(days):
        if day == 20:
            deck.write_text(OUTLINE.replace("    - Leaf: A leaf.\n", ""))
            run("import", str(deck), "--deck", "Deck")
        live = [label for label in LABELS if day < 20 or label != "Leaf"]
        if day % 7 != 6:  # a day off each week
            for label in rng.sample(live, 3):
                kind = ["--kind", "children"] if label in ("Root", "Parent") and rng.random() < 0.4 else []
                grade = rng.choices(range(6), (1, 2, 2, 3, 5, 3))[0]
                run("answer", label, str(grade), *kind)
                while grade < 4 and rng.random() < 0.7:  # asked again today: drills
                    grade = rng.choices(range(6), (1, 1, 1, 2, 4, 2))[0]
                    run("answer", label, str(grade), *kind)
        now.advance(days=1)


def column(table, name):
    return table.c.keys().index(name)


def test_sm2_to_fsrs_and_back_gives_back_every_row(run, env, now, deck):
    history(run, now, deck)
    before = rows(env)
    log = before[1]
    assert len(log) > 100
    assert any(row[column(reviews, "drill")] for row in log)
    assert any(row[column(reviews, "grade")] < 3 for row in log)  # lapses
    leaf = card_schedule(env, "Leaf")
    assert leaf.reviews > 0 and any(row[column(cards, "retired")] for row in before[0])

    out = run("scheduler", "fsrs", "--deck", "Deck")
    assert out.startswith("Deck: SM-2 -> FSRS, desired retention 0.9. Replayed ")
    switched = rows(env)
    answered = [row for row in switched[0] if row[column(cards, "reviews")]]
    assert answered and all(row[column(cards, "stability")] is not None for row in answered)
    assert card_schedule(env, "Leaf").stability is not None  # the retired card was replayed too
    # The raw log is as it was: which card, when, the day, the grade, how long, a drill or not.
    raw = [column(reviews, name) for name in ("id", "card_id", "at", "day", "grade", "duration_ms", "drill")]
    assert [[row[i] for i in raw] for row in switched[1]] == [[row[i] for i in raw] for row in log]
    assert switched[1] != log

    out = run("scheduler", "sm2", "--deck", "Deck")
    assert out.startswith("Deck: FSRS, desired retention 0.9 -> SM-2. Replayed ")
    assert rows(env) == before


def test_a_log_replayed_in_worker_processes_gives_the_rows_a_replay_here_gives(run, env, now, deck, monkeypatch):
    from srs.storage import reschedule

    history(run, now, deck, days=30)
    before = rows(env)
    run("scheduler", "fsrs")
    here = rows(env)
    run("scheduler", "sm2")
    assert rows(env) == before
    # Every log big enough for one worker process, whatever cores this machine has.
    monkeypatch.setattr(reschedule, "IN_A_WORKER_FROM", 1)
    monkeypatch.setattr(reschedule, "BATCH", 7)  # several batches, each a few cards' answers
    monkeypatch.setattr(reschedule.os, "cpu_count", lambda: 2)
    run("scheduler", "fsrs")
    assert rows(env) == here
    run("scheduler", "sm2")
    assert rows(env) == before


def test_a_log_rewritten_with_its_indexes_built_again_gives_the_same_rows_and_keeps_the_indexes(
    run, env, now, deck, monkeypatch
):
    from sqlalchemy import inspect

    from srs.storage import reschedule

    def indexes():
        with env.connection() as conn:
            return sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspect(conn).get_indexes("reviews")
            )

    history(run, now, deck, days=30)
    before, kept = rows(env), indexes()
    run("scheduler", "fsrs")
    here = rows(env)
    run("scheduler", "sm2")
    # Every log counts as large (SQLite drops and builds again the indexes a rewrite touches;
    # PostgreSQL never does): the rows and the log's indexes are what the plain rewrite leaves.
    monkeypatch.setattr(reschedule, "REBUILD_INDEXES_FROM", 1)
    run("scheduler", "fsrs")
    assert rows(env) == here and indexes() == kept
    run("scheduler", "sm2")
    assert rows(env) == before and indexes() == kept


def test_after_the_switch_every_card_is_what_fsrs_makes_of_its_log_and_answers_follow_fsrs(run, env, now, deck):
    history(run, now, deck, days=30)
    run("scheduler", "fsrs")
    fsrs = FsrsScheduler(0.9, DEFAULT_PARAMETERS)
    for label in LABELS:
        log = card_log(env, label)
        assert log, label
        replayed = replay(log, fsrs)
        assert card_schedule(env, label) == replayed, label
        assert replayed.stability is not None and replayed.difficulty is not None
    assert card_schedule(env, "Root", "children") == replay(card_log(env, "Root", "children"), fsrs)

    before = card_schedule(env, "Part A")
    run("answer", "Part A", "3")
    expected, _ = answer(before, 3, now().date(), fsrs)
    assert card_schedule(env, "Part A") == expected
    assert expected.stability != before.stability and expected.due != answer(before, 3, now().date())[0].due


def test_a_new_retention_for_an_fsrs_deck_replays_its_log(run, env, now, deck):
    history(run, now, deck, days=30)
    run("scheduler", "fsrs")
    out = run("scheduler", "--retention", "0.75")
    assert out.startswith("Deck: FSRS, desired retention 0.9 -> FSRS, desired retention 0.75. Replayed ")
    assert " 0 cards now due on another day" not in out
    for label in ("Part A", "Part B", "Other"):
        assert card_schedule(env, label) == replay(card_log(env, label), FsrsScheduler(0.75))
    with env.connection() as conn:
        assert conn.execute(select(decks.c.scheduler, decks.c.desired_retention)).one() == ("fsrs", 0.75)


def test_back_to_sm2_with_a_new_retention_says_it_is_kept_for_fsrs(run, env, now, deck):
    history(run, now, deck, days=5)
    run("scheduler", "fsrs")
    out = run("scheduler", "sm2", "--retention", "0.8")
    assert out.startswith("Deck: FSRS, desired retention 0.9 -> SM-2 (desired retention 0.8 kept for FSRS). Replayed ")
    with env.connection() as conn:
        assert conn.execute(select(decks.c.scheduler, decks.c.desired_retention)).one() == ("sm2", 0.8)


def test_a_retention_for_an_sm2_deck_is_kept_for_fsrs_and_replays_nothing(run, env, now, deck):
    history(run, now, deck, days=5)
    before = rows(env)
    assert run("scheduler", "sm2", "--retention", "0.8") == (
        "Deck stays on SM-2, which does not use a desired retention; 0.8 is kept for FSRS. Nothing was replayed.\n"
    )
    assert rows(env) == before
    run("scheduler", "fsrs")
    assert card_schedule(env, "Part A") == replay(card_log(env, "Part A"), FsrsScheduler(0.8))


def test_the_scheduler_a_deck_has_already_changes_nothing(run, env, now, deck):
    history(run, now, deck, days=5)
    before = rows(env)
    assert run("scheduler", "sm2") == "Deck follows SM-2 already; nothing changed.\n"
    assert run("scheduler", "SM2", "--retention", "0.9") == "Deck follows SM-2 already; nothing changed.\n"
    assert rows(env) == before
    run("scheduler", "fsrs")
    switched = rows(env)
    assert run("scheduler", "fsrs", "--retention", "0.9") == (
        "Deck follows FSRS, desired retention 0.9 already; nothing changed.\n"
    )
    assert rows(env) == switched


def due_now(run):
    """The terms of the cards `srs due` lists today that are not new."""
    listed = json.loads(run("due", "--limit", "100", "--json"))["next"]
    return {(card["term"], card["kind"]) for card in listed if card["state"] != "new"}


def test_a_switch_in_a_half_finished_day_keeps_the_days_drills(run, env, now, deck):
    history(run, now, deck, days=10)
    for label in LABELS:  # none due today: every card answered once already today
        run("answer", label, "5")
    for label in ("Root", "Parent"):
        run("answer", label, "4", "--kind", "children")
    run("answer", "Part A", "2")  # a drill below 4 still to come back
    run("answer", "Part B", "1")
    asked_again = {("Part A", "definition"), ("Part B", "definition")}
    # Answered today and passed, the others are not asked again today, under either scheduler.
    assert due_now(run) == asked_again
    run("scheduler", "fsrs")
    assert due_now(run) == asked_again
    run("answer", "Part A", "4")
    assert due_now(run) == {("Part B", "definition")}
    run("scheduler", "sm2")
    assert due_now(run) == {("Part B", "definition")}


def test_undo_after_a_switch_gives_back_the_rows_before_each_fsrs_answer(run, env, now, deck):
    history(run, now, deck, days=12)
    run("scheduler", "fsrs")
    steps = [rows(env)]
    for label, grade in (("Part A", "4"), ("Part B", "1"), ("Part B", "3")):
        run("answer", label, grade)
        steps.append(rows(env))
    now.advance(days=3)
    run("answer", "Part B", "5")
    for expected in reversed(steps):
        run("undo")
        assert rows(env) == expected
    # Past the switch, undo takes back an answer given under SM-2 as FSRS replayed it.
    with env.connection() as conn:
        card_id = conn.scalar(select(reviews.c.card_id).order_by(reviews.c.id.desc()).limit(1))
    run("undo")
    with env.connection() as conn:
        card = conn.execute(select(*(cards.c[name] for name in SCHEDULE)).where(cards.c.id == card_id)).one()
        log = conn.execute(
            select(reviews.c.day, reviews.c.grade).where(reviews.c.card_id == card_id).order_by(reviews.c.id)
        )
        assert Schedule(**card._mapping) == replay(list(log), FsrsScheduler())


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["fsrs", "--deck", "Nowhere"], "Error: no deck named 'Nowhere'; decks: 'Deck'\n"),
        (["fsrs", "--retention", "0"], "Error: a desired retention is between 0 and 1 (0.9 is 90% recall), not 0\n"),
        (["fsrs", "--retention", "1"], "Error: a desired retention is between 0 and 1 (0.9 is 90% recall), not 1\n"),
        (["--retention", "1.5"], "Error: a desired retention is between 0 and 1 (0.9 is 90% recall), not 1.5\n"),
        (
            ["fsrs", "--retention", "abc"],
            "Error: a desired retention is a number between 0 and 1, such as 0.9, not 'abc'\n",
        ),
        (
            ["fsrs", "--retention", "nan"],
            "Error: a desired retention is between 0 and 1 (0.9 is 90% recall), not nan\n",
        ),
        (["anki"], "Error: no scheduler named 'anki'; the schedulers are 'sm2' and 'fsrs'\n"),
        (["fsr"], "Error: no scheduler named 'fsr'; did you mean 'fsrs'?\n"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, env, now, deck, args, error):
    history(run, now, deck, days=4)
    before = rows(env)
    with env.connection() as conn:
        deck_row = tuple(conn.execute(select(decks)).one())
    assert run("scheduler", *args, code=2) == error
    assert rows(env) == before
    with env.connection() as conn:
        assert tuple(conn.execute(select(decks)).one()) == deck_row


def first_day(run):
    """Four cards answered on one day: Good, Again then a drill, Easy, Hard."""
    run("answer", "Part A", "4")
    run("answer", "Part B", "2")
    run("answer", "Part B", "4")
    run("answer", "Part C", "5")
    run("answer", "Other", "3")


def shifts(*counts):
    bounds = [(None, -8), (-7, -1), (0, 0), (1, 7), (8, 30), (31, None)]
    labels = [
        "earlier by 8+ days",
        "earlier by 1-7 days",
        "unchanged",
        "later by 1-7 days",
        "later by 8-30 days",
        "later by 31+ days",
    ]
    return [
        {"label": label, "from": low, "to": high, "cards": count}
        for label, (low, high), count in zip(labels, bounds, counts, strict=True)
    ]


def test_a_switch_prints_what_moved_with_a_histogram(run, deck):
    first_day(run)
    # FSRS's first intervals, at 90% recall, are its first stabilities in days: Again 0.2 and
    # Hard 1.3 make the 1 day SM-2 gives too, Good 2.3 makes 2 days (SM-2: 1), Easy 8.3 makes 8.
    assert run("scheduler", "fsrs") == (
        "Deck: SM-2 -> FSRS, desired retention 0.9. Replayed 5 answers to 4 cards; 2 cards now due on another day.\n"
        "  earlier by 8+ days        0\n"
        "  earlier by 1-7 days       0\n"
        "  unchanged                 2  ██████████████████████████████\n"
        "  later by 1-7 days         2  ██████████████████████████████\n"
        "  later by 8-30 days        0\n"
        "  later by 31+ days         0\n"
    )
    assert json.loads(run("due", "--json"))["next"][0]["due"] == "2026-11-24"


def test_a_switch_as_json(run, deck):
    first_day(run)
    # At 80% recall FSRS's first intervals are longer: Again 1 day (as SM-2), Hard 4, Good 8,
    # Easy 28 (SM-2: 1 each); back on SM-2 they are 3, 7 and 27 days earlier again.
    assert json.loads(run("scheduler", "fsrs", "--retention", "0.8", "--json")) == {
        "deck": "Deck",
        "scheduler": "fsrs",
        "was": "sm2",
        "desired_retention": 0.8,
        "retention_was": 0.9,
        "changed": True,
        "replayed": True,
        "cards": 4,
        "answers": 5,
        "moved": 3,
        "histogram": shifts(0, 0, 1, 2, 1, 0),
    }
    assert json.loads(run("scheduler", "sm2", "--json")) == {
        "deck": "Deck",
        "scheduler": "sm2",
        "was": "fsrs",
        "desired_retention": 0.8,
        "retention_was": 0.8,
        "changed": True,
        "replayed": True,
        "cards": 4,
        "answers": 5,
        "moved": 3,
        "histogram": shifts(1, 2, 1, 0, 0, 0),
    }
    assert json.loads(run("scheduler", "sm2", "--json")) == {
        "deck": "Deck",
        "scheduler": "sm2",
        "was": "sm2",
        "desired_retention": 0.8,
        "retention_was": 0.8,
        "changed": False,
        "replayed": False,
        "cards": 0,
        "answers": 0,
        "moved": 0,
        "histogram": [],
    }


def test_the_schedulers_shown_with_the_fsrs_parameters_in_use(run, env, deck, data):
    run("import", str(data / "small.gexf"))
    run("scheduler", "fsrs", "--deck", "Deck", "--retention", "0.85")
    assert run("scheduler") == (
        "Deck: FSRS, desired retention 0.85\n"
        "Scaling: SM-2\n"
        "FSRS parameters: FSRS-6's defaults (no fit of your own yet)\n"
    )
    assert run("scheduler", "--deck", "scaling") == (
        "Scaling: SM-2\nFSRS parameters: FSRS-6's defaults (no fit of your own yet)\n"
    )
    assert json.loads(run("scheduler", "--json")) == {
        "decks": [
            {"deck": "Deck", "scheduler": "fsrs", "desired_retention": 0.85},
            {"deck": "Scaling", "scheduler": "sm2", "desired_retention": 0.9},
        ],
        "fsrs_parameters": {"fitted": False, "reviews": None, "fitted_at": None, "weights": list(DEFAULT_PARAMETERS)},
    }
    weights = [round(w * 1.1, 4) for w in DEFAULT_PARAMETERS]
    with env.connection(write=True) as conn:
        schedulers.save_parameters(
            conn, env.learner_id, weights, 1234, datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
        )
    assert run("scheduler", "--deck", "Deck").endswith(
        "FSRS parameters: your own, fitted to 1,234 reviews on 2026-11-20 09:30 UTC\n"
    )
    shown = json.loads(run("scheduler", "--deck", "Deck", "--json"))
    assert shown["fsrs_parameters"] == {
        "fitted": True,
        "reviews": 1234,
        "fitted_at": "2026-11-20T09:30:00+00:00",
        "weights": weights,
    }


def test_a_switch_tells_its_progress_over_the_answers_replayed(run, env, now, deck):
    from srs.service.scheduler import switch

    history(run, now, deck, days=6)
    with env.connection() as conn:
        answers = len(conn.execute(select(reviews.c.id)).all())
    told = []
    switched = switch(env, "Deck", "fsrs", progress=lambda done, total: told.append((done, total)))
    assert switched.answers == answers and told == [(answers, answers)]

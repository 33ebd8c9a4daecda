"""Learning statistics on a hand-built deck and review log, every figure checked exactly.

The deck:  Root ─┬─ A ─┬─ A1            D was a child of Root; it is retired, its answers kept.
                 │     └─ A2 ──┐        A2 has two parents, A and B.
                 ├─ B ─┬─ B1   │
                 │     └───────┘
                 └─ C

Card schedules are set directly and the log is written row by row, so each figure below can be
worked out by hand from the two tables in this file.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from sqlalchemy import insert, select, update

from srs.core.graph import Concept, RawEdge, assemble
from srs.core.mastery import card_state, mean, node_mastery
from srs.core.stats import Attention, BranchStats, Ratio, needs_attention
from srs.core.stats_report import stats_json, stats_text
from srs.storage import answers, decks, importing, queue, stats
from srs.storage.tables import cards, nodes, reviews

TODAY = date(2026, 11, 23)
D = timedelta(days=1)


def graph(with_d: bool):
    concepts = [Concept(k, k, f"About {k}.") for k in ("Root", "A", "A1", "A2", "B", "B1", "C")]
    edges = [
        RawEdge(p, c)
        for p, c in (("Root", "A"), ("Root", "B"), ("Root", "C"), ("A", "A1"), ("A", "A2"), ("B", "B1"), ("B", "A2"))
    ]
    if with_d:
        concepts.append(Concept("D", "D", "About D."))
        edges.append(RawEdge("Root", "D"))
    return assemble(concepts, edges)


# (node, kind): reviews, interval, easiness, due (days from today), lapses, suspended
SCHEDULES = {
    ("Root", "definition"): (3, 30, 260, 10, 0, False),  # mature
    ("Root", "children"): (0, 0, 250, None, 0, False),  # new
    ("A", "definition"): (2, 6, 236, -2, 1, False),  # young, overdue
    ("A", "children"): (1, 1, 250, 0, 2, False),  # learning, due today
    ("A1", "definition"): (4, 21, 250, 5, 0, False),  # mature
    ("A2", "definition"): (1, 1, 130, 1, 1, True),  # learning, suspended
    ("B", "definition"): (2, 14, 270, 29, 0, False),  # young, last day of the forecast
    ("B", "children"): (0, 0, 250, None, 0, False),  # new
    ("B1", "definition"): (0, 0, 250, None, 0, False),  # new
    ("C", "definition"): (5, 400, 300, 30, 0, False),  # mature, just past the forecast
    ("D", "definition"): (1, 1, 250, 0, 3, False),  # retired: in no card figure
}

# (node, kind), day (from today), grade, interval before, milliseconds, drill
LOG = [
    (("A", "children"), 0, 2, 1, 8000, False),
    (("A", "children"), 0, 4, 1, 4000, True),
    (("A", "definition"), 0, 5, 6, 3000, False),
    (("C", "definition"), -1, 4, 150, 2000, False),
    (("A1", "definition"), -1, 3, 21, 6000, False),
    (("A2", "definition"), -1, 1, 7, 5000, False),
    (("Root", "definition"), -2, 2, 22, 4000, False),
    (("D", "definition"), -2, 4, 0, 10000, False),
    (("B", "definition"), -4, 3, 8, 7000, False),
    (("B", "definition"), -4, 4, 8, 2000, True),
    (("A1", "definition"), -29, 4, 2, 1000, False),
    (("C", "definition"), -30, 5, 60, 1000, False),
    (("A", "definition"), -364, 3, 0, 2000, False),
    (("Root", "definition"), -365, 4, 0, 500, False),
]


@pytest.fixture
def deck(env):
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph(with_d=True), "test", env.clock.now())
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph(with_d=False), "test", env.clock.now())
    with env.connection(write=True) as conn:
        ids = {
            (key, kind): cid
            for cid, key, kind in conn.execute(
                select(cards.c.id, nodes.c.key, cards.c.kind).join(nodes, nodes.c.id == cards.c.node_id)
            )
        }
        assert set(ids) == set(SCHEDULES)
        for key, (answered, interval, ef, due, lapses, suspended) in SCHEDULES.items():
            conn.execute(
                update(cards)
                .where(cards.c.id == ids[key])
                .values(
                    reviews=answered,
                    interval=interval,
                    easiness=ef,
                    lapses=lapses,
                    suspended=suspended,
                    repetitions=answered,
                    due=TODAY + due * D if due is not None else None,
                )
            )
        assert queue.get_card(conn, ids[("D", "definition")]).retired
        deck_id = decks.find_deck(conn, None, env.learner_id).id
        for key, day, grade, before, ms, drill in LOG:
            conn.execute(
                insert(reviews).values(
                    deck_id=deck_id,
                    card_id=ids[key],
                    learner_id=env.learner_id,
                    at=datetime.combine(TODAY + day * D, datetime.min.time(), timezone.utc).replace(hour=12),
                    day=TODAY + day * D,
                    grade=grade,
                    duration_ms=ms,
                    drill=drill,
                    easiness_before=250,
                    repetitions_before=1,
                    interval_before=before,
                    lapses_before=0,
                    easiness_after=250,
                    repetitions_after=1,
                    interval_after=before,
                    due_after=None,
                )
            )
    return "Deck"


def figures(env, branch=None, today=TODAY):
    with env.connection() as c:
        deck = decks.find_deck(c, "Deck", env.learner_id)
        node = decks.find_node(c, deck, branch) if branch else None
        return stats.statistics(c, deck, today, node)


def test_answers_and_time_per_day_over_the_last_30_days(env, deck):
    a = figures(env).activity
    assert len(a.days) == 30 and a.days[0].day == TODAY - 29 * D and a.days[-1].day == TODAY
    busy = {(TODAY - d.day).days: (d.reviews, d.new, d.drills, d.duration_ms) for d in a.days if d.answers}
    assert busy == {
        0: (2, 0, 1, 15000),
        1: (3, 0, 0, 13000),
        2: (2, 1, 0, 14000),
        4: (1, 0, 1, 9000),
        29: (1, 0, 0, 1000),
    }
    assert all(d.duration_ms == 0 for d in a.days if not d.answers)
    assert (a.answers, a.reviews, a.new, a.drills, a.days_studied, a.duration_ms) == (11, 9, 1, 2, 5, 52000)
    assert a.seconds_per_card == 52 / 11


def test_a_year_of_answers_and_the_streak(env, deck):
    c = figures(env).calendar
    assert (c.start, c.end) == (TODAY - 364 * D, TODAY)
    assert c.counts == {
        TODAY - 364 * D: 1,
        TODAY - 30 * D: 1,
        TODAY - 29 * D: 1,
        TODAY - 4 * D: 2,
        TODAY - 2 * D: 2,
        TODAY - D: 3,
        TODAY: 3,
    }
    assert (c.days_studied, c.answers, c.streak) == (7, 13, 3)


def test_the_streak_holds_until_a_whole_day_passes_without_answers(env, deck):
    with env.connection() as s:
        d = decks.find_deck(s, None, env.learner_id)
        assert [stats.streak(s, d, TODAY + n * D) for n in (0, 1, 2)] == [3, 3, 0]
        # Seen from earlier days: answers after `today` never count.
        assert stats.streak(s, d, TODAY - 3 * D) == 1  # yesterday (-4) answered, today not yet
        assert stats.streak(s, d, TODAY - 5 * D) == 0  # neither -5 nor -6
        assert stats.streak(s, d, TODAY - 28 * D) == 2  # -29 and -30


def test_forecast_counts_overdue_cards_on_today(env, deck):
    f = figures(env).forecast
    assert [d.day for d in f.days] == [TODAY + n * D for n in range(30)]
    assert {n: d.cards for n, d in enumerate(f.days) if d.cards} == {0: 2, 5: 1, 10: 1, 29: 1}
    assert (f.overdue, f.total) == (1, 5)


def test_retention_overall_and_by_interval_before_the_review(env, deck):
    r = figures(env).retention
    assert r.overall == Ratio(6, 9) and r.overall.fraction == Fraction(2, 3)
    assert [(b.label, b.low, b.high, ratio) for b, ratio in r.ranges] == [
        ("1 day", 1, 1, Ratio(0, 1)),
        ("2–7 days", 2, 7, Ratio(2, 3)),
        ("8–21 days", 8, 21, Ratio(2, 2)),
        ("over 21 days", 22, None, Ratio(2, 3)),
    ]
    assert Ratio(0, 0).fraction is None and Ratio(0, 0).share is None


def test_easiness_and_interval_distributions_of_reviewed_live_cards(env, deck):
    s = figures(env)
    assert [(b.label, b.count) for b in s.easiness] == [
        ("1.30–1.49", 1),
        ("1.50–1.69", 0),
        ("1.70–1.89", 0),
        ("1.90–2.09", 0),
        ("2.10–2.29", 0),
        ("2.30–2.49", 1),
        ("2.50–2.69", 3),
        ("2.70+", 2),
    ]
    assert [(b.label, b.count) for b in s.intervals] == [
        ("1 day", 2),
        ("2–5 days", 0),
        ("6–10 days", 1),
        ("11–20 days", 1),
        ("21–45 days", 2),
        ("46–90 days", 0),
        ("91–180 days", 0),
        ("181–365 days", 0),
        ("over a year", 1),
    ]


def node_masteries():
    """Each live node's mastery by `srs.core.mastery`, from SCHEDULES."""
    by_node: dict[str, list] = {}
    for (key, _kind), (answered, interval, *_rest) in SCHEDULES.items():
        if key != "D":
            by_node.setdefault(key, []).append((card_state(answered, interval), interval))
    return {key: node_mastery(states) for key, states in by_node.items()}


def test_branch_table_with_states_mastery_due_lapses_and_attention(env, deck):
    m = node_masteries()
    assert m == {
        "Root": 0.5,
        "A": pytest.approx(1 / 7),
        "A1": 1.0,
        "A2": 0.0,
        "B": pytest.approx(1 / 3),
        "B1": 0.0,
        "C": 1.0,
    }
    b = figures(env).branches
    # key, label, nodes, cards, new, learning, young, mature, mastery, due, lapses
    assert b.rows == [
        BranchStats("A", "A", 3, 4, 0, 2, 1, 1, pytest.approx(mean([m["A"], m["A1"], m["A2"]])), 2, 4),
        BranchStats("B", "B", 3, 4, 2, 1, 1, 0, pytest.approx(mean([m["B"], m["B1"], m["A2"]])), 0, 1),
        BranchStats("C", "C", 1, 1, 0, 0, 0, 1, 1.0, 0, 0),
    ]
    assert b.rows[0].mastery == pytest.approx(8 / 21) and b.rows[1].mastery == pytest.approx(1 / 9)
    assert b.total == BranchStats("Root", "Root", 7, 10, 3, 2, 2, 3, pytest.approx(125 / 294), 2, 4)
    assert b.total.mastery == pytest.approx(mean(m.values()))
    assert [r.pressure for r in b.rows] == [Fraction(3, 2), Fraction(1, 4), Fraction(0)]
    assert b.attention == Attention(b.rows[0], "2 due and 4 lapses over 4 cards, mastery 38%")


def test_attention_breaks_ties_by_lowest_mastery_and_skips_unstudied_branches():
    def row(key, cards, new, mastery, due, lapses):
        return BranchStats(key, key, 1, cards, new, cards - new, 0, 0, mastery, due, lapses)

    fresh = row("fresh", 5, 5, 0.0, 0, 0)
    known = row("known", 4, 0, 0.9, 1, 1)
    shaky = row("shaky", 2, 0, 0.2, 1, 0)
    assert needs_attention([fresh, known, shaky]).branch is shaky
    assert needs_attention([fresh, known]).reason == "1 due and 1 lapse over 4 cards, mastery 90%"
    assert needs_attention([fresh]) is None and needs_attention([]) is None


def test_a_branch_holds_only_its_own_cards_and_answers(env, deck):
    a = figures(env, "A")
    assert a.branch == "A"
    assert {(TODAY - d.day).days: (d.reviews, d.drills, d.duration_ms) for d in a.activity.days if d.answers} == {
        0: (2, 1, 15000),
        1: (2, 0, 11000),
        29: (1, 0, 1000),
    }
    assert a.calendar.counts == {TODAY - 364 * D: 1, TODAY - 29 * D: 1, TODAY - D: 2, TODAY: 3}
    assert a.calendar.streak == 2
    assert a.retention.overall == Ratio(3, 5)
    assert [ratio for _, ratio in a.retention.ranges] == [Ratio(0, 1), Ratio(2, 3), Ratio(1, 1), Ratio(0, 0)]
    assert {n: d.cards for n, d in enumerate(a.forecast.days) if d.cards} == {0: 2, 5: 1}
    assert [b.count for b in a.easiness] == [1, 0, 0, 0, 0, 1, 2, 0]
    assert [r.key for r in a.branches.rows] == ["A1", "A2"]
    assert a.branches.rows[1] == BranchStats("A2", "A2", 1, 1, 0, 1, 0, 0, 0.0, 0, 1)
    assert a.branches.total.cards == 4 and a.branches.total.mastery == pytest.approx(8 / 21)
    assert a.branches.attention.branch.key == "A2"
    # Under B, the node with two parents counts again.
    b = figures(env, "B")
    assert [r.key for r in b.branches.rows] == ["B1", "A2"]
    assert b.retention.overall == Ratio(1, 2)
    assert b.calendar.streak == 1  # A2, answered yesterday
    # A leaf has no rows, only itself.
    c = figures(env, "C").branches
    assert c.rows == [] and c.total.key == "C" and c.attention is None


def test_a_deck_counts_only_its_own_answers(env, now, deck):
    other = assemble([Concept("x", "X", "About X."), Concept("y", "Y", "About Y.")], [RawEdge("x", "y")])
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Other", other, "test", env.clock.now())
    with env.connection() as conn:
        cid = conn.scalar(select(cards.c.id).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.key == "y"))
    for step in (-6, 3):  # answered 6 and 3 days ago
        now.advance(days=step)
        with env.connection(write=True) as conn:
            answers.record_answer(conn, cid, 4, env.clock.now(), env.clock.today(), 1000)
    with env.connection() as c:
        mine, theirs = (
            stats.statistics(c, decks.find_deck(c, name, env.learner_id), TODAY) for name in ("Deck", "Other")
        )
    assert (mine.calendar.answers, mine.calendar.streak, mine.retention.overall) == (13, 3, Ratio(6, 9))
    assert theirs.calendar.counts == {TODAY - 3 * D: 1, TODAY - 6 * D: 1} and theirs.calendar.streak == 0
    assert theirs.retention.overall == Ratio(1, 1)
    assert [(b.key, b.cards, b.young) for b in theirs.branches.rows] == [("y", 1, 1)]
    # The root as a branch is the whole deck, retired cards' answers included.
    assert figures(env, "Root").calendar == figures(env).calendar


def test_an_empty_deck_has_zeros_everywhere(env):
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph(with_d=False), "test", env.clock.now())
    f = figures(env)
    assert (f.activity.answers, f.activity.seconds_per_card, f.calendar.counts, f.calendar.streak) == (0, None, {}, 0)
    assert f.forecast.total == 0 and f.retention.overall == Ratio(0, 0)
    assert f.branches.attention is None and f.branches.total.new == 10
    assert [(b.cards, b.new) for b in f.branches.rows] == [(4, 4), (4, 4), (1, 1)]
    text = stats_text(f)
    assert not any(line for line in text if len(line) > 80)
    assert "Time: 0s in all" in text and text[-1] == "Needs attention: none of these branches has been studied yet"
    assert stats_json(f)["activity"]["seconds_per_card"] is None


def test_answers_recorded_day_by_day_add_up(env, now, deck):
    """Through `answers.record_answer`, as a study session writes them."""
    with env.connection() as conn:
        cid = conn.scalar(select(cards.c.id).join(nodes, nodes.c.id == cards.c.node_id).where(nodes.c.key == "B1"))

    def answer(grade, ms):
        with env.connection(write=True) as conn:
            answers.record_answer(conn, cid, grade, env.clock.now(), env.clock.today(), ms)

    answer(4, 3000)  # new card: a review, not retention; interval 1
    now.advance(days=1)
    answer(5, 2000)  # interval 1 -> 6, passed
    now.advance(days=6)
    answer(2, 4000)  # interval 6: a lapse
    answer(4, 1000)  # the same day: a drill
    today = env.clock.today()
    assert today == TODAY + 7 * D
    f = figures(env, "B1", today)
    assert [(d.day, d.reviews, d.new, d.drills, d.duration_ms) for d in f.activity.days if d.answers] == [
        (TODAY, 1, 1, 0, 3000),
        (TODAY + D, 1, 0, 0, 2000),
        (today, 1, 0, 1, 5000),
    ]
    assert f.retention.overall == Ratio(1, 2)
    assert [ratio for _, ratio in f.retention.ranges] == [Ratio(1, 1), Ratio(0, 1), Ratio(0, 0), Ratio(0, 0)]
    assert f.calendar.streak == 1
    assert [d.cards for d in f.forecast.days[:3]] == [0, 1, 0]  # failed: due again tomorrow
    assert f.branches.total == BranchStats("B1", "B1", 1, 1, 0, 1, 0, 0, 0.0, 0, 1)
    assert f.activity.seconds_per_card == 10 / 4


# -- the command ------------------------------------------------------------------------------


def test_stats_json_has_every_number(run, deck):
    data = json.loads(run("stats", "--json"))
    assert (data["deck"], data["branch"], data["today"]) == ("Deck", None, "2026-11-23")
    act = data["activity"]
    assert act["days"][-1] == {"day": "2026-11-23", "answers": 3, "reviews": 2, "new": 0, "drills": 1, "time_ms": 15000}
    assert act["days"][0] == {"day": "2026-10-25", "answers": 1, "reviews": 1, "new": 0, "drills": 0, "time_ms": 1000}
    assert len(act["days"]) == 30
    assert {k: v for k, v in act.items() if k != "days"} == {
        "answers": 11,
        "reviews": 9,
        "new": 1,
        "drills": 2,
        "days_studied": 5,
        "time_ms": 52000,
        "seconds_per_card": 52 / 11,
    }
    assert data["calendar"] == {
        "start": "2025-11-24",
        "end": "2026-11-23",
        "answers": 13,
        "days_studied": 7,
        "streak": 3,
        "days": {
            "2025-11-24": 1,
            "2026-10-24": 1,
            "2026-10-25": 1,
            "2026-11-19": 2,
            "2026-11-21": 2,
            "2026-11-22": 3,
            "2026-11-23": 3,
        },
    }
    assert {k: v for k, v in data["forecast"].items() if k != "days"} == {"total": 5, "overdue": 1}
    assert [d["cards"] for d in data["forecast"]["days"]][:11] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert data["retention"] == {
        "passed": 6,
        "reviews": 9,
        "share": 6 / 9,
        "ranges": [
            {"label": "1 day", "min": 1, "max": 1, "passed": 0, "reviews": 1, "share": 0.0},
            {"label": "2–7 days", "min": 2, "max": 7, "passed": 2, "reviews": 3, "share": 2 / 3},
            {"label": "8–21 days", "min": 8, "max": 21, "passed": 2, "reviews": 2, "share": 1.0},
            {"label": "over 21 days", "min": 22, "max": None, "passed": 2, "reviews": 3, "share": 2 / 3},
        ],
    }
    assert data["easiness"][0] == {"label": "1.30–1.49", "min": 1.3, "max": 1.49, "cards": 1}
    assert data["easiness"][-1] == {"label": "2.70+", "min": 2.7, "max": None, "cards": 2}
    assert [b["cards"] for b in data["intervals"]] == [2, 0, 1, 1, 2, 0, 0, 0, 1]
    assert data["intervals"][-1] == {"label": "over a year", "min": 366, "max": None, "cards": 1}
    rows = data["branches"]["rows"]
    assert rows[0] == {
        "id": "A",
        "label": "A",
        "nodes": 3,
        "cards": 4,
        "new": 0,
        "learning": 2,
        "young": 1,
        "mature": 1,
        "mastery": pytest.approx(8 / 21),
        "due": 2,
        "lapses": 4,
    }
    assert [r["id"] for r in rows] == ["A", "B", "C"] and data["branches"]["total"]["cards"] == 10
    assert data["branches"]["attention"] == {
        "id": "A",
        "label": "A",
        "reason": "2 due and 4 lapses over 4 cards, mastery 38%",
    }
    assert json.loads(run("stats", "A", "--json"))["branch"] == "A"


def test_stats_text_shows_tables_with_bars(run, deck):
    lines = run("stats").splitlines()
    assert all(len(line) <= 80 for line in lines)

    def block(first: str, n: int) -> list[str]:
        at = lines.index(first)
        return lines[at : at + n]

    assert lines[:6] == [
        "Deck — statistics on 2026-11-23",
        "",
        "Last 30 days: 11 answers on 5 days: 9 reviews (1 new), 2 drills",
        "Time: 52s in all, 4.7 s per card",
        "  day         reviews drills    time  answers",
        "  2026-10-25        1      0      1s  █████████████▍",
    ]
    assert lines[6:30] == [
        f"  2026-{d:%m-%d}        0      0      0s" for d in (TODAY - n * D for n in range(28, 4, -1))
    ]
    assert lines[30:36] == [
        "  2026-11-19        1      1      9s  ██████████████████████████▋",
        "  2026-11-20        0      0      0s",
        "  2026-11-21        2      0     14s  ██████████████████████████▋",
        "  2026-11-22        3      0     13s  ████████████████████████████████████████",
        "  2026-11-23        2      1     15s  ████████████████████████████████████████",
        "",
    ]
    # 2025-11-24 and today are Mondays: 53 week columns, the last holding today alone.
    assert block("Last 365 days: 13 answers on 7 days · streak 3 days", 10) == [
        "Last 365 days: 13 answers on 7 days · streak 3 days",
        "       Dec Jan Feb Mar  Apr May  Jun Jul Aug  Sep Oct Nov",
        "  Mon ▒···················································█",
        "  Tue ····················································",
        "  Wed ····················································",
        "  Thu ···················································▓",
        "  Fri ····················································",
        "  Sat ···············································▒···▓",
        "  Sun ···············································▒···█",
        "      · none  ░▒▓█ up to 3 answers a day",
    ]
    forecast = block("Due in the next 30 days: 5 cards (1 overdue, counted today)", 31)
    assert [line for line in forecast if not line.endswith(" 0")] == [
        "Due in the next 30 days: 5 cards (1 overdue, counted today)",
        "  2026-11-23      2  ████████████████████████████████████████",
        "  2026-11-28      1  ████████████████████",
        "  2026-12-03      1  ████████████████████",
        "  2026-12-22      1  ████████████████████",
    ]
    assert block("Retention: 6 of 9 reviews answered 3 or better (66.7%)", 7) == [
        "Retention: 6 of 9 reviews answered 3 or better (66.7%)",
        "  (drills and the first answers of new cards are not counted)",
        "  interval before  passed     of   share",
        "  1 day                 0      1    0.0%",
        "  2–7 days              2      3   66.7%  ████████████████████",
        "  8–21 days             2      2  100.0%  ██████████████████████████████",
        "  over 21 days          2      3   66.7%  ████████████████████",
    ]
    assert block("Easiness of reviewed cards", 9) == [
        "Easiness of reviewed cards",
        "  1.30–1.49           1  █████████████▍",
        "  1.50–1.69           0",
        "  1.70–1.89           0",
        "  1.90–2.09           0",
        "  2.10–2.29           0",
        "  2.30–2.49           1  █████████████▍",
        "  2.50–2.69           3  ████████████████████████████████████████",
        "  2.70+               2  ██████████████████████████▋",
    ]
    assert block("Intervals of reviewed cards", 10) == [
        "Intervals of reviewed cards",
        "  1 day               2  ████████████████████████████████████████",
        "  2–5 days            0",
        "  6–10 days           1  ████████████████████",
        "  11–20 days          1  ████████████████████",
        "  21–45 days          2  ████████████████████████████████████████",
        "  46–90 days          0",
        "  91–180 days         0",
        "  181–365 days        0",
        "  over a year         1  ████████████████████",
    ]
    assert lines[-7:] == [
        "",
        "  branch                 cards   new learn young mature mastery   due lapses",
        "  A                          4     0     2     1      1     38%     2      4",
        "  B                          4     2     1     1      0     11%     0      1",
        "  C                          1     0     0     0      1    100%     0      0",
        "  all of Root               10     3     2     2      3     43%     2      4",
        "Needs attention: A — 2 due and 4 lapses over 4 cards, mastery 38%",
    ]
    assert len(lines) == 36 + 11 + 32 + 8 + 10 + 10 + 7


def test_stats_of_a_leaf_says_it_has_no_branches(run, deck):
    lines = run("stats", "C").splitlines()
    assert lines[0] == "Deck › C — statistics on 2026-11-23"
    assert lines[-3:] == [
        "  branch                 cards   new learn young mature mastery   due lapses",
        "  all of C                   1     0     0     0      1    100%     0      0",
        "  (no branches below this one)",
    ]


def test_stats_of_an_unknown_branch_is_one_line(run, deck):
    out = run("stats", "Nowhere", code=2)
    assert "no node 'Nowhere' in deck 'Deck'" in out

"""FSRS's memory of a card where its schedule is shown: `srs show`, the GEXF export and the
statistics of a deck that follows FSRS, each figure worked out with the core's `FsrsScheduler`
from the same answers; and the same commands on an SM-2 deck, as they were."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import select, update

from srs.core.answer import Schedule, answer
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.mastery import CardState, card_state, node_mastery
from srs.export.gexf import mastery_color, recall_color
from srs.storage.tables import cards, decks

TODAY = date(2026, 11, 23)
DAY = timedelta(days=1)

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare
"""

# (days from the first day, node, card kind, grade): three learner's days of answers.
ANSWERS = [
    (0, "Root", "definition", 4),
    (0, "Part A", "definition", 4),
    (0, "Parent", "children", 2),
    (0, "Part B", "definition", 5),
    (3, "Part A", "definition", 3),
    (3, "Parent", "children", 4),
    (3, "Root", "children", 5),
    (10, "Part B", "definition", 4),
]
LAST = 12
"""The day (from the first) the figures are read on."""


def expected(label: str, kind: str, until: int = LAST) -> tuple[Schedule, float | None]:
    """The card's schedule after its answers, as the core's FSRS gives it, and its recall on day `until`."""
    schedule, scheduler = Schedule(), FsrsScheduler()
    for day, node, card_kind, grade in ANSWERS:
        if (node, card_kind) == (label, kind):
            schedule, _ = answer(schedule, grade, TODAY + day * DAY, scheduler)
    return schedule, retrievability(schedule, TODAY + until * DAY, scheduler)


def study(run, env, now, scheduler: str) -> None:
    """The deck, set to follow `scheduler` before its first answer, answered as ANSWERS say, on day LAST."""
    with env.connection(write=True) as conn:
        conn.execute(update(decks).where(decks.c.name == "Deck").values(scheduler=scheduler))
    day = 0
    for when, label, kind, grade in ANSWERS:
        now.advance(days=when - day)
        day = when
        run("answer", label, str(grade), "--kind", kind)
    now.advance(days=LAST - day)


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


@pytest.fixture
def fsrs_deck(run, env, now, deck):
    study(run, env, now, "fsrs")
    return deck


# -- srs show -------------------------------------------------------------------------------------


def test_show_json_gives_each_cards_stability_difficulty_and_recall_today(run, fsrs_deck):
    shown = json.loads(run("show", "Parent", "--json"))
    assert shown["scheduler"] == "fsrs"
    new, children = shown["cards"]
    assert (new["kind"], new["stability"], new["difficulty"], new["retrievability"]) == ("definition", None, None, None)
    schedule, recall = expected("Parent", "children")
    assert children["kind"] == "children"
    assert (children["stability"], children["difficulty"], children["retrievability"]) == (
        schedule.stability,
        schedule.difficulty,
        recall,
    )
    assert children["due"] == schedule.due.isoformat() and children["interval"] == schedule.interval
    assert 0 < recall < 1


def test_show_text_has_a_line_of_fsrs_figures_under_each_reviewed_card(run, fsrs_deck):
    lines = run("show", "Parent").splitlines()
    schedule, recall = expected("Parent", "children")
    header = lines.index(f"── children card · {schedule_state(schedule)} · due {schedule.due} · {schedule.interval} d")
    assert lines[header + 1] == (
        f"  stability {schedule.stability:.1f} days · difficulty {schedule.difficulty:.1f} · recall today {recall:.0%}"
    )
    new = lines.index("── definition card · new")
    assert lines[new + 1] == "  Root"  # a new card has no memory yet: its front follows


def schedule_state(schedule: Schedule) -> str:
    return card_state(schedule.reviews, schedule.interval).value


def test_show_of_an_sm2_deck_says_sm2_and_has_no_fsrs_figures(run, env, now, deck):
    study(run, env, now, "sm2")
    shown = json.loads(run("show", "Part A", "--json"))
    assert shown["scheduler"] == "sm2"
    (card,) = shown["cards"]
    assert (card["easiness"], card["interval"], card["reviews"]) == (2.36, 6, 2)
    assert (card["stability"], card["difficulty"], card["retrievability"]) == (None, None, None)
    lines = run("show", "Part A").splitlines()
    assert lines[2] == "── definition card · young · due 2026-12-02 · EF 2.36 · 6 d"
    assert lines[3] == "  Root › Parent"
    assert not any("stability" in line for line in lines)


# -- the GEXF export ------------------------------------------------------------------------------


def exported(run, tmp_path) -> tuple[nx.DiGraph, dict[str, dict], Path]:
    """`srs export gexf` of the deck: the graph networkx reads, its nodes by label, the file."""
    out = tmp_path / "map.gexf"
    run("export", "gexf", "-o", str(out))
    graph = nx.read_gexf(out)
    return graph, {data["label"]: data for _, data in graph.nodes(data=True)}, out


def test_gexf_under_fsrs_gives_each_node_its_lowest_recall_today_and_colours_it_so(run, fsrs_deck, tmp_path):
    _, by_label, out = exported(run, tmp_path)
    recall = {
        "Root": min(expected("Root", "definition")[1], expected("Root", "children")[1]),
        "Parent": expected("Parent", "children")[1],  # its definition card is new: no recall yet
        "Part A": expected("Part A", "definition")[1],
        "Part B": expected("Part B", "definition")[1],
    }
    assert expected("Root", "definition")[1] != expected("Root", "children")[1]
    for label, value in recall.items():
        assert by_label[label]["srs_recall"] == value, label
        r, g, b = recall_color(value)
        assert by_label[label]["viz"]["color"] == {"r": r, "g": g, "b": b, "a": 1.0}, label
    assert "srs_recall" not in by_label["Bare"]  # never studied: no recall, grey as under SM-2
    assert by_label["Bare"]["viz"]["color"] == {"r": 170, "g": 170, "b": 170, "a": 1.0}
    root = ET.parse(out).getroot()
    types = {a.get("id"): a.get("type") for a in root.iter("{http://www.gexf.net/1.2draft}attribute")}
    assert types["srs_recall"] == "double"


def test_recall_colours_run_from_red_at_half_to_green_at_one():
    assert recall_color(0.0) == recall_color(0.5) == (220, 60, 50)
    assert recall_color(0.75) == (220, 200, 50)
    assert recall_color(0.9) == (117, 200, 50)  # the desired retention: a yellowish green
    assert recall_color(1.0) == (50, 200, 50)


def test_gexf_of_an_sm2_deck_has_no_recall_and_is_coloured_by_mastery(run, env, now, deck, tmp_path):
    study(run, env, now, "sm2")
    _, by_label, out = exported(run, tmp_path)
    assert not any("srs_recall" in data for data in by_label.values())
    assert "srs_recall" not in out.read_text()
    part_a = by_label["Part A"]
    assert (part_a["srs_state"], part_a["srs_interval"]) == ("young", 6)
    r, g, b = mastery_color(node_mastery([(card_state(2, 6), 6)]), CardState.YOUNG)
    assert part_a["viz"]["color"] == {"r": r, "g": g, "b": b, "a": 1.0}


# -- the statistics -------------------------------------------------------------------------------

REVIEWED = [("Root", "definition"), ("Root", "children"), ("Part A", "definition"), ("Parent", "children")]
REVIEWED.append(("Part B", "definition"))


def in_range(value: float, low: int, high: int | None) -> bool:
    return value >= low and (high is None or value < high)


def test_stats_under_fsrs_give_stability_difficulty_and_mean_recall_instead_of_easiness(run, fsrs_deck):
    from srs.core.stats import DIFFICULTY_BUCKETS, STABILITY_BUCKETS

    schedules = [expected(*card) for card in REVIEWED]
    data = json.loads(run("stats", "--json"))
    assert data["scheduler"] == "fsrs" and "easiness" not in data
    # To the last bits but the order the cards were added up in.
    assert data["recall"] == pytest.approx(sum(recall for _, recall in schedules) / len(schedules), rel=1e-12)
    for name, buckets in (("stability", STABILITY_BUCKETS), ("difficulty", DIFFICULTY_BUCKETS)):
        counts = [sum(in_range(getattr(s, name), low, high) for s, _ in schedules) for _, low, high in buckets]
        assert [b["cards"] for b in data[name]] == counts, name
        assert [(b["label"], b["min"], b["max"]) for b in data[name]] == list(buckets)
    assert sum(b["cards"] for b in data["stability"]) == 5
    # Spread over more than one bucket: the figures are the cards' own, not one default.
    assert sum(1 for b in data["stability"] if b["cards"]) > 1

    lines = run("stats").splitlines()
    assert all(len(line) <= 80 for line in lines)
    mean = data["recall"]
    assert f"Recall today, as FSRS predicts it: {mean:.1%} on average over 5 reviewed cards" in lines
    start = lines.index("Stability of reviewed cards (days until recall falls to 90%)")
    shown = lines[start + 1 : start + 1 + len(STABILITY_BUCKETS)]
    assert [line[2:16].rstrip() for line in shown] == [label for label, _, _ in STABILITY_BUCKETS]
    assert [int(line[16:23]) for line in shown] == [b["cards"] for b in data["stability"]]
    start = lines.index("Difficulty of reviewed cards (1 easiest, 10 hardest)")
    shown = lines[start + 1 : start + 1 + len(DIFFICULTY_BUCKETS)]
    assert [int(line[16:23]) for line in shown] == [b["cards"] for b in data["difficulty"]]
    assert "Easiness of reviewed cards" not in lines

    below = [expected(*card)[1] for card in REVIEWED if card[0] in ("Parent", "Part A", "Part B")]
    branch = json.loads(run("stats", "Parent", "--json"))
    assert branch["recall"] == pytest.approx(sum(below) / 3, rel=1e-12)
    assert sum(b["cards"] for b in branch["stability"]) == 3


def test_the_forecast_of_an_fsrs_deck_counts_its_cards_due_days(run, env, fsrs_deck):
    today = TODAY + LAST * DAY
    due = [expected(*card)[0].due for card in REVIEWED]
    data = json.loads(run("stats", "--json"))["forecast"]
    counted = {date.fromisoformat(d["day"]): d["cards"] for d in data["days"] if d["cards"]}
    wanted: dict[date, int] = {}
    for day in due:
        if day <= today + 29 * DAY:
            wanted[max(day, today)] = wanted.get(max(day, today), 0) + 1
    assert counted == wanted
    assert data["overdue"] == sum(1 for day in due if day < today)
    with env.connection() as conn:
        stored = sorted(conn.scalars(select(cards.c.due).where(cards.c.reviews > 0)))
    assert stored == sorted(due)


def test_stats_of_an_sm2_deck_keep_the_easiness_and_no_fsrs_figures(run, env, now, deck):
    study(run, env, now, "sm2")
    data = json.loads(run("stats", "--json"))
    assert data["scheduler"] == "sm2"
    assert not {"stability", "difficulty", "recall"} & set(data)
    assert sum(b["cards"] for b in data["easiness"]) == 5
    lines = run("stats").splitlines()
    assert "Easiness of reviewed cards" in lines
    assert not any("FSRS" in line or "Stability" in line or "Difficulty" in line for line in lines)

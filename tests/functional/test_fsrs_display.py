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
from sqlalchemy import update

from srs.core.answer import Schedule, answer
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.mastery import CardState, card_state, node_mastery
from srs.export.gexf import mastery_color, recall_color
from srs.storage.tables import decks

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

"""FSRS's memory of a card where its schedule is shown: `srs show`, the GEXF export and the
statistics of a deck that follows FSRS, each figure worked out with the core's `FsrsScheduler`
from the same answers; and the same commands on an SM-2 deck, as they were."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from srs.core.answer import Schedule, answer
from srs.core.fsrs import FsrsScheduler, retrievability
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
    (0, "Part A", "definition", 4),
    (0, "Parent", "children", 2),
    (0, "Part B", "definition", 5),
    (3, "Part A", "definition", 3),
    (3, "Parent", "children", 4),
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
    from srs.core.mastery import card_state

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

"""Benchmark of the schedulers: a simulated learner studies a deck for a year under SM-2 and under FSRS.

    .venv/bin/python tests/bench/bench_schedulers.py [--days 365] [--new 20] [--nodes 10000]
        [--retention 0.9] [--seed 1]

The learner (`memory_model.py`: a power-law forgetting curve, a log-normal difficulty per card,
stability that grows with each successful review by more the lower recall was, and falls on a
lapse; not FSRS's model) studies the bundled deck and a synthetic tree of --nodes nodes
(`synth.write_gexf`), each read with `srs.readers.read_deck` and given the cards the program
builds (`srs.core.cards.card_kinds` of each node, in the graph's parents-first order: the order
an import ranks them in and new cards come). Every day, for --days days, it takes every due card
(most overdue first, then in that order) and then up to --new new cards, in one session; the
same learner (the same cards' difficulties, the same seed) does it under SM-2 and under FSRS-6
at --retention.

What runs is the program's own: each answer goes through `srs.core.answer.answer` with
`srs.core.answer.SM2` or `srs.core.fsrs.FsrsScheduler(retention)`; the session is the core's
`srs.core.queue.StudyQueue` (chunks of 10, a card answered below 4 back three cards later, until
answered 4 or 5), and at the end of each day `srs.core.answer.repeat_today` must hold for no card.
Which cards a day's session holds is chosen in the database by `srs.storage.queue.study_queue`;
the simulation has its own few lines for it (due cards by due day, then order; new cards in
order), with no daily review limit (the program's is 200): every due card is studied. Leeches
are not suspended, the program's default.

Time: the first showing of a new card takes `NEW_CARD_SECONDS` (reading the card and its answer
for the first time), every other answer, review or drill, `ANSWER_SECONDS`; the session's clock
moves on by as much after each answer, so a drill comes as many seconds after the card's last
showing as the answers between them took. Sessions start at the same time each day.

Printed for each deck and scheduler: cards introduced; reviews a day (first answers of the day
to cards seen before), over the year and the last 30 days; drills a day; minutes a day (the time
model, drills included); the measured retention (the share of those reviews graded 3 or better,
as `srs stats` counts it); and the true recall: the mean recall probability the model gives every
card introduced before the last day, at the start of the last day's session. The same arguments
give the same figures. This file is not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from memory_model import Learner, MemoryModel  # noqa: E402
from synth import write_gexf  # noqa: E402

from srs.core.answer import SM2, Schedule, Scheduler, answer, is_lapse, repeat_today  # noqa: E402
from srs.core.cards import card_kinds  # noqa: E402
from srs.core.fsrs import FsrsScheduler  # noqa: E402
from srs.core.graph import ConceptGraph  # noqa: E402
from srs.core.queue import StudyQueue  # noqa: E402
from srs.readers import read_deck  # noqa: E402

BUNDLED = Path(__file__).resolve().parents[2] / "decks" / "scaling-hypothesis.gexf"
START = date(2026, 1, 1)
NEW_CARD_SECONDS = 20
ANSWER_SECONDS = 8
LAST_DAYS = 30
SECONDS_A_DAY = 86_400


def deck_cards(graph: ConceptGraph) -> int:
    """How many cards the program builds from `graph`; card n is the n-th new card to come."""
    return sum(len(card_kinds(graph, key)) for key in graph.parents_first())


@dataclass
class Year:
    """What a simulated year of study gave."""

    introduced: int = 0
    reviews: list[int] = field(default_factory=list)
    """Reviews each day: first answers of the day to cards seen before."""
    drills: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    recalled: int = 0
    """Reviews graded 3 or better."""
    true_recall: float = 0.0
    """The model's mean recall probability over every card introduced before the last day, at
    the start of its session."""

    @property
    def retention(self) -> float:
        return self.recalled / max(1, sum(self.reviews))


def simulate(cards: int, scheduler: Scheduler, days: int, new_per_day: int, learner: Learner) -> Year:
    """`learner` studies `cards` cards for `days` days under `scheduler`: every due card and up to
    `new_per_day` new ones each day, each session until every drill is answered 4 or 5."""
    schedules = [Schedule()] * cards
    due_on: dict[date, list[int]] = {}
    year = Year()
    for index in range(days):
        today = START + timedelta(days=index)
        now = float(index)
        if index == days - 1:
            recalls = [learner.recall(card, now) for card in range(year.introduced)]
            year.true_recall = statistics.fmean(recalls) if recalls else 0.0
        due = [card for day in sorted(d for d in due_on if d <= today) for card in sorted(due_on.pop(day))]
        new = list(range(year.introduced, min(cards, year.introduced + new_per_day)))
        year.introduced += len(new)
        session = StudyQueue(due + new)
        reviews = drills = 0
        seconds = 0.0
        while session.start_chunk():
            while (card := session.current) is not None:
                grade, _ = learner.answer(card, now)
                schedules[card], log = answer(schedules[card], grade, today, scheduler)
                session.answer(grade)
                if log.drill:
                    drills += 1
                else:
                    if schedules[card].due is None:
                        raise RuntimeError(f"a review left card {card} without a due day")
                    due_on.setdefault(schedules[card].due, []).append(card)
                    if not log.first_review:
                        reviews += 1
                        year.recalled += not is_lapse(grade)
                spent = NEW_CARD_SECONDS if log.first_review else ANSWER_SECONDS
                seconds += spent
                now += spent / SECONDS_A_DAY
        if any(repeat_today(schedules[card], today) for card in due + new):
            raise RuntimeError(f"day {index + 1} ended with drills left")
        year.reviews.append(reviews)
        year.drills.append(drills)
        year.seconds.append(seconds)
    return year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365, help="days of study")
    parser.add_argument("--new", type=int, default=20, help="new cards a day")
    parser.add_argument("--nodes", type=int, default=10_000, help="nodes of the synthetic deck")
    parser.add_argument("--retention", type=float, default=0.9, help="FSRS's desired retention")
    parser.add_argument("--seed", type=int, default=1, help="the learner's seed")
    args = parser.parse_args()
    if args.days < 1 or args.new < 0 or args.nodes < 1:
        parser.error("--days and --nodes are at least 1, --new at least 0")
    if not 0 < args.retention < 1:
        parser.error("--retention is between 0 and 1")

    with tempfile.TemporaryDirectory() as folder:
        synthetic = read_deck(write_gexf(Path(folder) / "synthetic.gexf", args.nodes))
    decks = [(BUNDLED.name, deck_cards(read_deck(BUNDLED))), (f"synthetic {args.nodes:,}", deck_cards(synthetic))]
    schedulers: list[tuple[str, Scheduler]] = [
        ("SM-2", SM2),
        (f"FSRS {args.retention:.0%}", FsrsScheduler(args.retention)),
    ]
    last = min(LAST_DAYS, args.days)
    print(
        f"{args.days} days, up to {args.new} new cards a day and every due card; seed {args.seed}; "
        f"{NEW_CARD_SECONDS} s a new card, {ANSWER_SECONDS} s every other answer\n"
    )
    print(
        f"{'deck':<26} {'scheduler':<9} {'cards':>6} {'introduced':>10}   {'reviews/day':>13}   {'drills/day':>10}"
        f"   {'minutes/day':>13}   {'retention':>9}   {'true recall':>11}   {'run':>5}"
    )
    print(
        f"{'':<26} {'':<9} {'':>6} {'':>10}   {'all':>6} {f'last {last}':>6}   {'all':>10}"
        f"   {'all':>6} {f'last {last}':>6}   {'measured':>9}   {f'day {args.days}':>11}"
    )
    for name, cards in decks:
        for label, scheduler in schedulers:
            start = time.perf_counter()
            year = simulate(cards, scheduler, args.days, args.new, Learner(cards, args.seed, MemoryModel()))
            took = time.perf_counter() - start
            print(
                f"{name:<26} {label:<9} {cards:>6,} {year.introduced:>10,}"
                f"   {statistics.fmean(year.reviews):>6.1f} {statistics.fmean(year.reviews[-last:]):>6.1f}"
                f"   {statistics.fmean(year.drills):>10.1f}"
                f"   {statistics.fmean(year.seconds) / 60:>6.1f} {statistics.fmean(year.seconds[-last:]) / 60:>6.1f}"
                f"   {year.retention:>9.1%}   {year.true_recall:>11.1%}   {took:>4.1f}s"
            )


if __name__ == "__main__":
    main()

"""Benchmark of graph-aware learning: a simulated learner studies a deck for 90 days with each
graph-aware option off and on, at several strengths of the link between a node's memory and its
parent's.

    .venv/bin/python tests/bench/bench_learning.py [--days 90] [--new 20] [--nodes 10000]
        [--rho 0 0.5] [--unlock 7] [--seed 1] [--confusion 0]

The learner is `graph_memory.GraphLearner`: `memory_model.py`'s power-law learner with one more
parameter, `rho`, the link between each card and its node's parent's definition card (difficulty
correlated by `rho`, a new card scaffolded by the parent's recall, a recalled card strengthening
its parent's; `rho` = 0 makes every card independent). It studies the bundled deck and a
synthetic tree of --nodes nodes (`synth.write_gexf`) under SM-2, as `bench_schedulers.py` does
(every due card, then up to --new new cards, in one session a day, each a `StudyQueue` of the
core, every answer through `srs.core.answer.answer`), once with every option off and once with
each of these on alone, through the core's own rules (`srs.core.queue`):

- `unlock_after_days` = --unlock: a node's new cards wait while a parent's definition card holds
  them back (`holds_back`), the deck's new cards taken in parents-first order past them;
- `parent_checks`: a lapse brings the node's parent's definition card into the session when
  `needs_check` says so;
- `sibling_spacing`: each session's cards in `siblings_apart`'s order;
- `contrast_cards`: two sibling nodes that lapse on one day (cards seen before) get a contrast card
  (`srs.core.pairs.contrasts_after`), a new card taken first among the next day's new cards
  (within --new), as the program ranks it. The learner never marks a confusion by hand.
- `implicit_credit`: a review passed moves the due days of the definition cards of its node's
  ancestors (every parent, `LEVELS` up) as `srs.core.credit.credit` says, the move logged
  as the program logs it; the learner's memory is not told (what a child's recall does for its
  parent's memory is the learner's `rho`).

`--confusion` (0 by default) is the learner's sibling interference (`graph_memory`): at 0 the
learner knows no confusion, so a contrast card can only cost; above 0, a node whose siblings were
shown is recalled less well until a contrast card about it is remembered. Relation cards have no
row: neither deck has a labelled link, and the learner models no link but the parent's.

Printed for each deck, rho and option: nodes reached (with at least one card introduced);
reviews (first answers of a day to cards seen before, checks included) per node reached; the
checks and the credits (due days moved) given;
the measured retention (reviews graded 3 or better); and the retention at the end: the mean
recall probability the model gives every card introduced, at the end of the last day, with its
difference from the run with every option off. An option may become a default only if, at
rho = 0, it lowers the retention at the end by no more than one percentage point. The same
arguments give the same figures. Not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from graph_memory import GraphLearner  # noqa: E402
from synth import write_gexf  # noqa: E402

from srs.core.answer import SM2, Schedule, answer, is_lapse  # noqa: E402
from srs.core.cards import card_kinds  # noqa: E402
from srs.core.credit import LEVELS, credit, earns_credit  # noqa: E402
from srs.core.graph import ConceptGraph  # noqa: E402
from srs.core.pairs import Lapse, Pair, contrasts_after  # noqa: E402
from srs.core.queue import (  # noqa: E402
    CheckCandidate,
    ParentCard,
    StudyQueue,
    holds_back,
    needs_check,
    siblings_apart,
)
from srs.readers import read_deck  # noqa: E402

BUNDLED = Path(__file__).resolve().parents[2] / "decks" / "scaling-hypothesis.gexf"
START = date(2026, 1, 1)
SECONDS_A_DAY = 86_400
ANSWER_SECONDS = 8


@dataclass(frozen=True)
class Deck:
    """A deck's cards as the simulation needs them, card n being the n-th new card to come."""

    name: str
    node: list[int]
    """Each card's node, numbered in parents-first order (a node's rank)."""
    first_card: list[int | None]
    """Each node's definition (or placement) card: what its children's layering and checks look at."""
    parents: list[list[int]]
    """Each node's parents."""

    @property
    def cards(self) -> int:
        return len(self.node)

    def parent_card(self, card: int) -> int | None:
        """The definition card of the first parent of the card's node."""
        parents = self.parents[self.node[card]]
        return self.first_card[parents[0]] if parents else None

    def family(self, card: int) -> int | None:
        """The first parent of the card's node: cards of one family are siblings' (or the node's own)."""
        parents = self.parents[self.node[card]]
        return parents[0] if parents else None


def deck_of(name: str, graph: ConceptGraph) -> Deck:
    """The cards the program builds from `graph`, in the order new cards come."""
    order = graph.parents_first()
    rank = {key: i for i, key in enumerate(order)}
    node: list[int] = []
    first_card: list[int | None] = []
    for key in order:
        kinds = card_kinds(graph, key)
        first_card.append(len(node) if kinds and kinds[0].value != "children" else None)
        node.extend([rank[key]] * len(kinds))
    parents = [[rank[p] for p in graph.parents.get(key, ())] for key in order]
    return Deck(name, node, first_card, parents)


@dataclass(frozen=True)
class Options:
    """The graph-aware options a run has on."""

    unlock_after_days: int = 0
    parent_checks: bool = False
    sibling_spacing: bool = False
    contrast_cards: bool = False
    implicit_credit: bool = False


@dataclass
class Run:
    """What one run gave."""

    reached: int = 0
    reviews: int = 0
    recalled: int = 0
    checks: int = 0
    contrasts: int = 0
    credits: int = 0
    end_recall: float = 0.0

    @property
    def retention(self) -> float:
        return self.recalled / max(1, self.reviews)


def simulate(deck: Deck, options: Options, days: int, new_per_day: int, learner: GraphLearner) -> Run:
    """`learner` studies `deck` for `days` days with `options`: every due card, then up to
    `new_per_day` new ones, each day in one session."""
    schedules = [Schedule()] * deck.cards
    introduced = [False] * deck.cards
    reached: set[int] = set()
    run = Run()
    due_on: dict[date, list[int]] = {}

    def parent_view(node: int) -> ParentCard:
        card = deck.first_card[node]
        if card is None:
            return ParentCard(node=node, rank=node, live=False)
        s = schedules[card]
        return ParentCard(node=node, rank=node, reviews=s.reviews, interval=s.interval, due=s.due)

    def ancestors(node: int) -> dict[int, int]:
        """The node's ancestors up to `LEVELS` up, each at its nearest level, as storage finds them."""
        levels: dict[int, int] = {}
        below = [node]
        for level in range(1, LEVELS + 1):
            below = [p for p in dict.fromkeys(p for b in below for p in deck.parents[b]) if p not in levels]
            levels.update(dict.fromkeys(below, level))
        return levels

    def give_credits(card: int, today: date) -> None:
        for node, level in ancestors(deck.node[card]).items():
            above = deck.first_card[node]
            if above is None or not introduced[above]:
                continue
            before = schedules[above]
            schedules[above], _ = credit(before, level, today)
            if schedules[above].due != before.due:
                run.credits += 1
                if above in due_on.get(before.due, ()):  # type: ignore[arg-type]
                    due_on[before.due].remove(above)  # type: ignore[index]
                due_on.setdefault(schedules[above].due, []).append(above)  # type: ignore[arg-type]

    def locked(card: int) -> bool:
        child = deck.node[card]
        return any(holds_back(parent_view(p), child, options.unlock_after_days) for p in deck.parents[child])

    pairs: set[Pair] = set()
    waiting: list[int] = []  # contrast cards made, to come first among the next new cards
    parents = dict(enumerate(deck.parents))

    now = 0.0
    for index in range(days):
        today = START + timedelta(days=index)
        now = float(index)
        lapses: list[Lapse] = []
        due = [card for day in sorted(d for d in due_on if d <= today) for card in sorted(due_on.pop(day))]
        new: list[int] = waiting[:new_per_day]
        del waiting[:new_per_day]
        for card in range(deck.cards):  # parents-first order, past the locked ones
            if len(new) == new_per_day:
                break
            if not introduced[card] and not locked(card):
                new.append(card)
        for card in new:
            introduced[card] = True
            if card < deck.cards:
                reached.add(deck.node[card])
        cards = due + new
        if options.sibling_spacing:
            cards = siblings_apart(cards, {c: deck.family(c) for c in cards}, {c: deck.node[c] for c in cards})
        session = StudyQueue(cards)
        in_session = set(cards)
        while session.start_chunk():
            while (card := session.current) is not None:
                grade, _ = learner.answer(card, now)
                before = schedules[card]
                schedules[card], log = answer(before, grade, today, SM2)
                checks: list[int] = []
                lapsed = not log.drill and not log.first_review and is_lapse(grade)
                if options.contrast_cards and lapsed and card < deck.cards:
                    lapse = Lapse(deck.node[card], today)
                    lapses.append(lapse)
                    for a, b in contrasts_after(lapse, lapses, parents, today, pairs):
                        pairs.add((a, b))
                        made = learner.add_contrast(a, b)
                        schedules.append(Schedule())
                        introduced.append(False)
                        waiting.append(made)
                        run.contrasts += 1
                if not log.drill:
                    due_on.setdefault(schedules[card].due, []).append(card)  # type: ignore[arg-type]
                    if not log.first_review:
                        run.reviews += 1
                        run.recalled += not is_lapse(grade)
                    parent = deck.parent_card(card) if card < deck.cards else None
                    if options.parent_checks and is_lapse(grade) and parent is not None and parent not in in_session:
                        s = schedules[parent]
                        if needs_check(CheckCandidate(True, s.reviews, s.interval, s.due, s.last_day), today):
                            checks.append(parent)
                            in_session.add(parent)
                            run.checks += 1
                if options.implicit_credit and earns_credit(log):
                    give_credits(card, today)
                session.answer(grade, checks=checks)
                now += ANSWER_SECONDS / SECONDS_A_DAY
    end = float(days)
    recalls = [learner.recall(card, end) for card in range(len(schedules)) if introduced[card]]
    run.end_recall = statistics.fmean(recalls) if recalls else 0.0
    run.reached = len(reached)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=90, help="days of study")
    parser.add_argument("--new", type=int, default=20, help="new cards a day")
    parser.add_argument("--nodes", type=int, default=10_000, help="nodes of the synthetic deck")
    parser.add_argument("--rho", type=float, nargs="+", default=[0.0, 0.5], help="the parent-child links to run")
    parser.add_argument("--unlock", type=int, default=7, help="unlock_after_days when layering is on")
    parser.add_argument("--seed", type=int, default=1, help="the learner's seed")
    parser.add_argument("--confusion", type=float, default=0.0, help="the learner's sibling interference, 0 to 1")
    args = parser.parse_args()
    if args.days < 1 or args.new < 0 or args.nodes < 1 or args.unlock < 1:
        parser.error("--days, --nodes and --unlock are at least 1, --new at least 0")
    if any(not 0 <= rho <= 1 for rho in args.rho) or not 0 <= args.confusion <= 1:
        parser.error("--rho and --confusion are between 0 and 1")

    with tempfile.TemporaryDirectory() as folder:
        synthetic = read_deck(write_gexf(Path(folder) / "synthetic.gexf", args.nodes))
    decks = [deck_of(BUNDLED.name, read_deck(BUNDLED)), deck_of(f"synthetic {args.nodes:,}", synthetic)]
    runs = [
        ("all off", Options()),
        (f"unlock_after_days {args.unlock}", Options(unlock_after_days=args.unlock)),
        ("parent_checks", Options(parent_checks=True)),
        ("sibling_spacing", Options(sibling_spacing=True)),
        ("contrast_cards", Options(contrast_cards=True)),
        ("implicit_credit", Options(implicit_credit=True)),
    ]
    print(
        f"{args.days} days under SM-2, every due card and up to {args.new} new cards a day; seed {args.seed};"
        f" sibling confusion {args.confusion}\n"
    )
    print(
        f"{'deck':<24} {'rho':>4}  {'option on':<22} {'nodes':>6} {'reviews':>8} {'checks':>7} {'credits':>7}"
        f" {'retention':>9} {'retention at the end':>21} {'run':>6} {'contrasts':>9}"
    )
    print(
        f"{'':<24} {'':>4}  {'':<22} {'reached':>6} {'per node':>8} {'':>7} {'':>7} {'measured':>9}"
        f" {'(vs all off)':>21}"
    )
    for deck in decks:
        for rho in args.rho:
            base = None
            for label, options in runs:
                start = time.perf_counter()
                learner = GraphLearner(
                    [deck.parent_card(card) for card in range(deck.cards)],
                    rho,
                    args.seed,
                    families=[(deck.node[card], deck.family(card)) for card in range(deck.cards)],
                    confusion=args.confusion,
                )
                run = simulate(deck, options, args.days, args.new, learner)
                took = time.perf_counter() - start
                base = run.end_recall if base is None else base
                change = f"{(run.end_recall - base) * 100:+.1f} pt"
                per_node = run.reviews / max(1, run.reached)
                print(
                    f"{deck.name:<24} {rho:>4.2f}  {label:<22} {run.reached:>6,} {per_node:>8.2f} {run.checks:>7,}"
                    f" {run.credits:>7,}"
                    f" {run.retention:>9.1%} {run.end_recall:>12.1%} {change:>8} {took:>5.1f}s {run.contrasts:>9,}"
                )


if __name__ == "__main__":
    main()

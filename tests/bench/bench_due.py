"""Benchmark of `srs due` on a large deck: statements and time against the number of cards listed.

    PYTHONPATH=. python tests/bench/bench_due.py [--cards 10000] [--limits 10,100,1000] [--rounds 5]

Writes the synthetic deck of `bench_tui.py` (about --cards cards, 70% of them with a review
history, so that today's queue holds due and new cards; the daily limits lifted, so that it
holds all of them) into a temporary database, then for each --limit asks the service what
`srs due --limit N` prints, counting the SQL statements it runs and timing it (the best of
--rounds). Beside it, in the same run, the same cards read one by one as
before (each card, then what it shows from its node's neighbourhood): the statements `srs due`
would run if it read a card at a time. The figure to read is the statement count: the same at
every limit for `srs due` (up to `CARDS_PER_READ`, then a few more for each batch of that many),
growing with the limit card by card.
This file is not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, update

sys.path.insert(0, str(Path(__file__).parent))
from bench_tui import fixed_clock, generate  # noqa: E402 - the same deck as the app's benchmark

from srs.env import Env  # noqa: E402
from srs.service.study import due_today  # noqa: E402
from srs.storage import decks, queue, tables  # noqa: E402


def card_by_card(env: Env, limit: int) -> int:
    """The next `limit` cards and what they show, read a card at a time; how many were listed."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        today = env.clock.today()
        queue.day_counts(conn, deck, today)
        listed = 0
        for card_id in queue.study_queue(conn, deck, today)[:limit]:
            card = queue.get_card(conn, card_id)
            queue.card_content(conn, card, decks.get_node(conn, card.node_id))
            listed += 1
        return listed


def measure(env: Env, run, rounds: int) -> tuple[int, float]:
    """(statements in one call, best time of `rounds` calls) of `run()`."""
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    engine = env.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
        per_call = statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return per_call, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=10_000, help="about how many cards the deck holds")
    parser.add_argument("--limits", default="10,100,1000", help="the --limit values to try")
    parser.add_argument("--rounds", type=int, default=5, help="timed calls of each (the best is shown)")
    args = parser.parse_args()
    limits = [int(n) for n in args.limits.split(",")]

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "due.sqlite3"
        generate(db, args.cards)
        env = Env(f"sqlite:///{db}", fixed_clock(), seed_bundled=False)
        with env.connection(write=True) as conn:  # no daily limit: the queue holds every due and new card
            conn.execute(update(tables.decks).values(new_per_day=10**6, reviews_per_day=10**6))
        with env.connection() as conn:
            queued = len(queue.study_queue(conn, decks.find_deck(conn, None, env.learner_id), env.clock.today()))
        print(f"deck: about {args.cards:,} cards, {queued:,} in today's queue; best of {args.rounds}\n")
        print(f"{'--limit':>8} {'listed':>7}   {'srs due':>22}   {'card by card':>22}")
        for limit in limits:
            listed = len(due_today(env, None, None, limit).next)
            ours, ours_time = measure(env, lambda limit=limit: due_today(env, None, None, limit), args.rounds)
            theirs, theirs_time = measure(env, lambda limit=limit: card_by_card(env, limit), args.rounds)
            print(
                f"{limit:>8} {listed:>7}   {ours:>5} statements {ours_time * 1000:>6.1f} ms"
                f"   {theirs:>5} statements {theirs_time * 1000:>6.1f} ms"
            )
        env.close()


if __name__ == "__main__":
    main()

"""Statistics benchmark: every figure of the statistics screen over a million-answer review log.

Run: python tests/bench/bench_stats.py [--nodes 10000] [--reviews 1000000] [--db FILE]

A synthetic deck is imported, its cards given schedules, and the log written with bulk inserts
(Core insert, executemany) spread over three years, the last 200 days without a gap. Each stats
function is timed (best of --repeat) for the whole deck and for one top-level branch, and
printed beside a floor measured in the same run: a bare `SELECT count(*) FROM reviews`.
With --db, the database is kept and reused by the next run.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dateutil import tz  # noqa: E402
from sqlalchemy import bindparam, func, insert, select, text, update  # noqa: E402
from synth import timed, write_gexf  # noqa: E402

from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.readers import read_deck  # noqa: E402
from srs.storage import decks, importing, scope, stats, tables  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
TODAY = NOW.date()
HISTORY_DAYS = 3 * 365
STREAK_DAYS = 200
BATCH = 50_000
TARGET_MS = 200


def build(env: Env, folder: Path, nodes: int, reviews: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    graph = read_deck(write_gexf(folder / "deck.gexf", nodes))
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Bench", graph, "bench", NOW)
    with env.connection(write=True) as conn:
        deck_id = decks.find_deck(conn, "Bench", env.learner_id).id
        card_ids = list(conn.scalars(select(tables.cards.c.id).order_by(tables.cards.c.id)))
        # Most cards studied, with intervals and easiness spread the way SM-2 spreads them.
        schedules = []
        for cid in card_ids:
            if rng.random() < 0.15:
                continue
            interval = min(int(rng.expovariate(1 / 25)) + 1, 800)
            schedules.append(
                {
                    "b_id": cid,
                    "reviews": rng.randint(1, 30),
                    "repetitions": rng.randint(1, 10),
                    "interval": interval,
                    "easiness": max(130, min(320, int(rng.gauss(245, 25)))),
                    "lapses": int(rng.expovariate(1)),
                    "due": TODAY + timedelta(days=rng.randint(-10, interval)),
                    "last_day": TODAY - timedelta(days=rng.randint(0, 30)),
                }
            )
        table = tables.cards
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({k: bindparam(k) for k in schedules[0] if k != "b_id"}),
            schedules,
        )
    # Days: busier towards today; the last STREAK_DAYS all studied, older days sometimes skipped.
    weights = [
        (1 + i / HISTORY_DAYS) * (1 if i >= HISTORY_DAYS - STREAK_DAYS or rng.random() < 0.8 else 0)
        for i in range(HISTORY_DAYS)
    ]
    days = [TODAY - timedelta(days=HISTORY_DAYS - 1 - i) for i in range(HISTORY_DAYS)]
    intervals = [0, 1, 1, 2, 3, 6, 6, 10, 15, 16, 25, 40, 60, 100, 200, 400]
    written = 0
    table = tables.reviews
    with env.engine().begin() as conn:
        while written < reviews:
            n = min(BATCH, reviews - written)
            chosen = rng.choices(days, weights, k=n)
            rows = []
            for day in chosen:
                before = rng.choice(intervals)
                drill = before > 0 and rng.random() < 0.1
                grade = rng.choices((0, 1, 2, 3, 4, 5), (2, 3, 5, 20, 45, 25))[0]
                rows.append(
                    {
                        "deck_id": deck_id,
                        "learner_id": env.learner_id,
                        "card_id": rng.choice(card_ids),
                        "at": datetime.combine(day, datetime.min.time(), timezone.utc),
                        "day": day,
                        "grade": grade,
                        "duration_ms": rng.randint(1500, 25_000),
                        "drill": drill,
                        "easiness_before": 250,
                        "repetitions_before": 2,
                        "interval_before": before,
                        "lapses_before": 0,
                        "easiness_after": 250,
                        "repetitions_after": 3,
                        "interval_after": before,
                        "due_after": day,
                    }
                )
            conn.execute(insert(table), rows)
            written += n
        conn.exec_driver_sql("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="keep the database here and reuse it")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="srs-bench-"))
    path = args.db or folder / "stats.sqlite3"
    fresh = not path.exists()
    env = Env(url=f"sqlite:///{path}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    if fresh:
        start = time.perf_counter()
        build(env, folder, args.nodes, args.reviews)
        print(f"built {path} in {time.perf_counter() - start:.1f} s")

    nodes, edges, cards, reviews = tables.nodes, tables.edges, tables.cards, tables.reviews
    with env.connection() as conn:
        deck = decks.find_deck(conn, "Bench", env.learner_id)
        root = conn.execute(select(nodes).where(nodes.c.deck_id == deck.id, nodes.c.key == deck.root_key)).first()
        first = conn.execute(
            select(nodes)
            .join(edges, edges.c.child_id == nodes.c.id)
            .where(edges.c.parent_id == root.id)
            .order_by(edges.c.position)
        ).first()
        card_count = conn.scalar(select(func.count()).select_from(cards).where(cards.c.deck_id == deck.id))
        answer_count = conn.scalar(select(func.count()).select_from(reviews))
        print(
            f"deck: {card_count} cards; log: {answer_count} answers over {HISTORY_DAYS} days; "
            f"{path.stat().st_size / 2**20:.0f} MiB"
        )

        floor, _ = timed(lambda: conn.execute(text("SELECT count(*) FROM reviews")).scalar(), args.repeat)
        print(f"floor: SELECT count(*) FROM reviews  {floor * 1000:7.1f} ms")
        functions = {
            "activity (30 days)": lambda b: stats.activity(conn, deck, TODAY, b),
            "calendar (year + streak)": lambda b: stats.calendar(conn, deck, TODAY, b),
            "streak": lambda b: stats.streak(conn, deck, TODAY, b),
            "forecast": lambda b: stats.forecast(conn, deck, TODAY, b),
            "retention": lambda b: stats.retention(conn, deck, b),
            "easiness": lambda b: stats.easiness_distribution(conn, deck, b),
            "intervals": lambda b: stats.interval_distribution(conn, deck, b),
            "branch table": lambda b: stats.branch_table(conn, deck, TODAY, b),
            "whole screen (statistics)": lambda b: stats.statistics(conn, deck, TODAY, b),
        }
        below = select(cards.c.id).where(cards.c.node_id.in_(scope.subtree_ids(first)))
        first_cards = conn.scalar(select(func.count()).select_from(below.subquery()))
        first_answers = conn.scalar(select(func.count()).select_from(reviews).where(reviews.c.card_id.in_(below)))
        scopes = (("whole deck", None), (f"branch {first.label} ({first_cards} cards, {first_answers} answers)", first))
        for where, branch in scopes:
            print(f"\n{where}:")
            for name, fn in functions.items():
                took, _ = timed(lambda: fn(branch), args.repeat)  # noqa: B023 - timed here
                mark = ""
                if name.startswith("whole screen"):
                    mark = "  within target" if took * 1000 < TARGET_MS else f"  OVER the {TARGET_MS} ms target"
                print(f"  {name:26} {took * 1000:8.1f} ms  {took / floor:6.1f}x floor{mark}")
        figures = stats.statistics(conn, deck, TODAY)
        print(
            f"\ncheck: streak {figures.calendar.streak} days, retention {figures.retention.overall.share:.1%}, "
            f"{figures.activity.answers} answers in 30 days, {len(figures.branches.rows)} branches"
        )
    env.close()


if __name__ == "__main__":
    main()

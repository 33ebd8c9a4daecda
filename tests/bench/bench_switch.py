"""Scheduler switch benchmark: `srs scheduler fsrs` and back on a deck of 100k cards with a million answers.

Run: python tests/bench/bench_switch.py [--nodes 89000] [--answers 1000000] [--db FILE]

A synthetic deck is imported (89k nodes make about 100k cards), and every card given a history
of answers over three years (reviews days to weeks apart, drills after grades below 4), written
with bulk inserts and then made what SM-2 gives by one replay. The switch to FSRS and the switch
back (`srs.service.scheduler.switch`, one write transaction each) are timed beside a baseline
measured in the same run: reading the deck's log once, in id order. The round trip must give
back every row of `cards` and `reviews`. With --db, the database is kept and reused.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dateutil import tz  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from synth import timed, write_gexf  # noqa: E402

from srs.core.answer import SM2  # noqa: E402
from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.readers import read_deck  # noqa: E402
from srs.service import scheduler  # noqa: E402
from srs.storage import decks, importing, reschedule, tables  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
TODAY = NOW.date()
HISTORY_DAYS = 3 * 365
BATCH = 50_000
TARGET_S = 30.0
GRADES, WEIGHTS = (0, 1, 2, 3, 4, 5), (2, 3, 5, 20, 45, 25)


def history(rng: random.Random, answers: int) -> list[tuple]:
    """`answers` (day, grade) answers for one card, in order: a review days to weeks after the
    last, or after a grade below 4 sometimes a drill the same day."""
    day = TODAY - timedelta(days=rng.randint(30, HISTORY_DAYS))
    out: list[tuple] = []
    for _ in range(answers):
        if out and out[-1][1] < 4 and rng.random() < 0.5:
            pass  # a drill, the same day
        else:
            day = day + timedelta(days=1 + int(rng.expovariate(1 / 12))) if out else day
        out.append((day, rng.choices(GRADES, WEIGHTS)[0]))
    return out


def build(env: Env, folder: Path, nodes: int, answers: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    graph = read_deck(write_gexf(folder / "deck.gexf", nodes))
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Bench", graph, "bench", NOW)
        deck_id = decks.find_deck(conn, "Bench", env.learner_id).id
        card_ids = list(conn.scalars(select(tables.cards.c.id).where(tables.cards.c.deck_id == deck_id)))
    per_card = [answers // len(card_ids)] * len(card_ids)
    for i in rng.sample(range(len(card_ids)), answers % len(card_ids)):
        per_card[i] += 1
    # The whole log in the order it was given: by day, the cards of a day in a random order.
    log = [
        (day, rng.random(), cid, grade)
        for cid, n in zip(card_ids, per_card, strict=True)
        for day, grade in history(rng, n)
    ]
    log.sort()
    placeholder = {  # what the replay below overwrites
        "easiness_before": 250,
        "repetitions_before": 0,
        "interval_before": 0,
        "lapses_before": 0,
        "easiness_after": 250,
        "repetitions_after": 0,
        "interval_after": 0,
    }
    with env.connection(write=True) as conn:
        for start in range(0, len(log), BATCH):
            rows = [
                {
                    "deck_id": deck_id,
                    "learner_id": env.learner_id,
                    "card_id": cid,
                    "at": datetime.combine(day, datetime.min.time(), timezone.utc),
                    "day": day,
                    "grade": grade,
                    "duration_ms": 4000,
                    "drill": False,
                    **placeholder,
                }
                for day, _, cid, grade in log[start : start + BATCH]
            ]
            conn.execute(insert(tables.reviews), rows)
        # The drill flags as the days give them; then SM-2's schedules, as answering gave them.
        conn.exec_driver_sql(
            "UPDATE reviews SET drill = EXISTS (SELECT 1 FROM reviews AS r WHERE r.card_id = reviews.card_id "
            "AND r.day = reviews.day AND r.id < reviews.id)"
        )
        reschedule.reschedule_deck(conn, deck_id, env.learner_id, SM2)
    with env.engine().begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def digest(env: Env) -> str:
    """A digest of every row of `cards` and `reviews`, by id."""
    h = hashlib.sha256()
    with env.connection() as conn:
        for table in (tables.cards, tables.reviews):
            for row in conn.execute(select(table).order_by(table.c.id)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=89_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the database here and reuse it")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="srs-bench-"))
    path = args.db or folder / "switch.sqlite3"
    fresh = not path.exists()
    env = Env(url=f"sqlite:///{path}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    if fresh:
        start = time.perf_counter()
        build(env, folder, args.nodes, args.answers)
        print(f"built {path} in {time.perf_counter() - start:.1f} s")

    reviews = tables.reviews
    with env.connection() as conn:
        deck = decks.find_deck(conn, "Bench", env.learner_id)
        cards = conn.scalar(select(func.count()).where(tables.cards.c.deck_id == deck.id))
        log_query = (
            select(reviews.c.id, reviews.c.card_id, reviews.c.day, reviews.c.grade, reviews.c.drill)
            .where(reviews.c.deck_id == deck.id)
            .order_by(reviews.c.at, reviews.c.event_id)  # as the replay reads it
        )
        baseline, log = timed(lambda: conn.execute(log_query).all())
    answers = len(log)
    del log
    print(f"deck: {cards} cards; log: {answers} answers; {path.stat().st_size / 2**20:.0f} MiB; on {deck.scheduler}")
    print(f"baseline: reading the deck's log once, in time order  {baseline:6.2f} s")
    before = digest(env)
    for name in ("fsrs", "sm2"):
        took, switched = timed(lambda: scheduler.switch(env, "Bench", name))  # noqa: B023 - timed here
        mark = "within target" if took < TARGET_S else f"OVER the {TARGET_S:.0f} s target"
        print(
            f"switch to {name:4}  {took:6.2f} s  {took / baseline:5.1f}x baseline  {mark}  "
            f"({switched.cards} cards, {switched.answers} answers, {switched.moved} due days moved)"
        )
    print(f"check: round trip gives back every row: {'yes' if digest(env) == before else 'NO'}")
    env.close()


if __name__ == "__main__":
    main()

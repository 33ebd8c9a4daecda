"""Sync benchmark: `srs sync` of two copies of a million-answer database, each with new answers.

Run: python tests/bench/bench_sync.py [--nodes 10000] [--reviews 1000000] [--answers 200] [--db FILE]

The database of bench_stats (built, or the one --db names, kept for the next run) is copied twice,
as a laptop and a desktop; each copy then records --answers answers of its own to random cards.
The laptop syncs with the desktop (the first sync, which also gives the copy its own device id)
and then again (nothing to do), each sync in a process of its own so that its peak memory is its
own. Beside them, a floor measured in the same run the same way: a process that reads both logs'
event ids, cards and moments into memory, the least a sync by the union of events must read.
Both copies must end with every answer once.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_anki import in_subprocess, peak_rss_mib  # noqa: E402
from bench_stats import NOW, build  # noqa: E402
from dateutil import tz  # noqa: E402

from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402


def env_at(path: Path, minutes: int = 0) -> Env:
    moment = NOW + timedelta(days=1, minutes=minutes)
    return Env(url=f"sqlite:///{path}", clock=Clock(now=lambda: moment, tz=tz.UTC), seed_bundled=False)


def answer_some(path: Path, count: int, seed: int) -> None:
    """`count` answers to random cards of the copy at `path`, a minute apart."""
    from sqlalchemy import select

    from srs.storage import answers, tables

    rng = random.Random(seed)
    env = env_at(path)
    with env.connection() as conn:
        card_ids = list(conn.scalars(select(tables.cards.c.id)))
    for i in range(count):
        at = NOW + timedelta(days=1, minutes=i)
        with env.connection(write=True) as conn:
            answers.record_answer(conn, rng.choice(card_ids), rng.randint(2, 5), at, at.date())
    env.close()


def part_sync(laptop: str, desktop: str) -> dict:
    from srs.service.sync import sync

    env = env_at(Path(laptop), minutes=10_000)
    start = time.perf_counter()
    report = sync(env, desktop)
    took = time.perf_counter() - start
    env.close()
    return {
        "seconds": took,
        "peak_mib": peak_rss_mib(),
        "sent": report.sent.answers,
        "received": report.received.answers,
    }


def part_floor(laptop: str, desktop: str) -> dict:
    start = time.perf_counter()
    logs = []
    for path in (laptop, desktop):
        with sqlite3.connect(path) as conn:
            logs.append(conn.execute("SELECT event_id, card_id, at FROM reviews").fetchall())
        conn.close()
    return {"seconds": time.perf_counter() - start, "peak_mib": peak_rss_mib(), "rows": sum(map(len, logs))}


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT count(*), count(DISTINCT event_id) FROM reviews").fetchone()
    conn.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=200, help="New answers on each copy.")
    parser.add_argument("--db", type=Path, help="keep the built database here and reuse it")
    parser.add_argument("--part", choices=["sync", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--laptop", help=argparse.SUPPRESS)
    parser.add_argument("--desktop", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part is not None:
        part = part_sync if args.part == "sync" else part_floor
        print(json.dumps(part(args.laptop, args.desktop)))
        return

    folder = Path(tempfile.mkdtemp(prefix="srs-bench-sync-"))
    path = args.db or folder / "stats.sqlite3"
    if not path.exists():
        env = env_at(path)
        start = time.perf_counter()
        build(env, folder, args.nodes, args.reviews)
        env.close()
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    laptop, desktop = folder / "laptop.sqlite3", folder / "desktop.sqlite3"
    for copy in (laptop, desktop):
        shutil.copyfile(path, copy)
    answer_some(laptop, args.answers, seed=1)
    answer_some(desktop, args.answers, seed=2)
    before = counts(laptop)[0]
    paths = ("--laptop", str(laptop), "--desktop", str(desktop))

    floor = in_subprocess("--part", "floor", *paths, script=__file__)
    print(
        f"floor: both logs' ids, cards and moments read ({floor['rows']:,} rows)"
        f"   {floor['seconds']:6.2f} s   peak {floor['peak_mib']:7.1f} MiB"
    )
    for what in ("first sync", "again, in sync"):
        done = in_subprocess("--part", "sync", *paths, script=__file__)
        print(
            f"{what:15} sent {done['sent']:4} received {done['received']:4}"
            f"   {done['seconds']:6.2f} s ({done['seconds'] / floor['seconds']:4.1f}x the floor)"
            f"   peak {done['peak_mib']:7.1f} MiB ({done['peak_mib'] / floor['peak_mib']:.1f}x)"
        )
    wanted = before + args.answers
    assert counts(laptop) == counts(desktop) == (wanted, wanted), (counts(laptop), counts(desktop), wanted)
    print(f"both copies hold all {wanted:,} answers, each once")
    if args.db is None:
        shutil.rmtree(folder)
    else:
        laptop.unlink()
        desktop.unlink()


if __name__ == "__main__":
    main()

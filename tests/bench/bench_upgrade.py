"""The latest schema steps over a million-answer log, each timed: schema 8 (every answer given
its event id and device), schema 9 (voids and suspension stamps), schema 10 (the learner on
every card and answer, which rebuilds both tables on SQLite) and schema 11 (notes and mnemonics
each learner's).

Run: python tests/bench/bench_upgrade.py [--nodes 10000] [--reviews 1000000] [--db FILE]

The log of bench_stats (built, or the database --db names, kept for the next run) is taken back
to schema 7 in a copy (as the upgrade tests take a database back: `test_storage.make_schema_*`),
then brought up one step at a time by `db.migrate`, each step timed; beside them, a floor measured
in the same run on the same copy: copying the log into a new table of the same columns (`CREATE
TABLE ... AS SELECT`), which a step that rebuilds the log on SQLite cannot beat. The upgrade keeps
every row, the ids sort as (at, row id) do, and every card and answer is the one learner's.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "functional"))

from bench_stats import NOW, build  # noqa: E402
from dateutil import tz  # noqa: E402
from test_storage import make_schema_7, make_schema_8, make_schema_9, make_schema_10  # noqa: E402

from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.storage import db  # noqa: E402

STEPS = {
    8: "answers given ids and a device",
    9: "voids and suspension stamps",
    10: "cards and answers given their learner",
    11: "notes and mnemonics made each learner's",
}


def schema_7(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        make_schema_10(conn.execute)
        make_schema_9(conn.execute, "sqlite")
        make_schema_8(conn.execute)
        make_schema_7(conn.execute)
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the built database here and reuse it")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="srs-bench-"))
    path = args.db or folder / "stats.sqlite3"
    if not path.exists():
        env = Env(url=f"sqlite:///{path}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
        start = time.perf_counter()
        build(env, folder, args.nodes, args.reviews)
        env.close()
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    copy = folder / "schema7.sqlite3"
    shutil.copyfile(path, copy)
    schema_7(copy)
    with sqlite3.connect(copy) as conn:
        answers = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        start = time.perf_counter()
        conn.execute("CREATE TABLE floor AS SELECT * FROM reviews")
        floor = time.perf_counter() - start
        conn.execute("DROP TABLE floor")
    conn.close()
    print(f"floor: the log of {answers:,} answers copied into a new table        {floor:6.1f} s")

    engine = db.open_engine(f"sqlite:///{copy}", migrate_schema=False)
    for head, what in STEPS.items():
        start = time.perf_counter()
        db.migrate(engine, head=head)
        took = time.perf_counter() - start
        print(f"schema {head - 1} -> {head}: {what:40} {took:6.1f} s ({took / floor:.1f}x the floor)")
    engine.dispose()
    with sqlite3.connect(copy) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT event_id) FROM reviews").fetchone()
        order = [r for (r,) in conn.execute("SELECT id FROM reviews ORDER BY at, id")]
        by_id = [r for (r,) in conn.execute("SELECT id FROM reviews ORDER BY event_id")]
        owners = conn.execute(
            "SELECT (SELECT count(*) FROM learners), (SELECT count(DISTINCT learner_id) FROM reviews),"
            " (SELECT count(*) FROM cards WHERE learner_id = (SELECT id FROM learners))"
        ).fetchone()
    conn.close()
    assert rows == (answers, answers), rows
    assert order == by_id, "ids out of time order"
    assert owners == (1, 1, cards), owners
    print(f"every answer kept, every id unique, ids in time order, all {cards:,} cards the one learner's")
    copy.unlink()
    if args.db is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""Schema 8's step over a million-answer log: every answer given its event id and device.

Run: python tests/bench/bench_upgrade.py [--nodes 10000] [--reviews 1000000] [--db FILE]

The log of bench_stats (built, or the database --db names, kept for the next run) is taken back
to schema 7 in a copy (the two columns and the index dropped), then brought up to schema 8 by
`db.migrate`, timed; beside it, a floor measured in the same run on the same copy: copying the
log into a new table of the same columns (`CREATE TABLE ... AS SELECT`), which the step's SQLite
rebuild of the table cannot beat. The step keeps every row and ids sort as (at, row id) do.
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

from bench_stats import NOW, build  # noqa: E402
from dateutil import tz  # noqa: E402

from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.storage import db  # noqa: E402


def schema_7(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ux_reviews_event_id")
        conn.execute("ALTER TABLE reviews DROP COLUMN event_id")
        conn.execute("ALTER TABLE reviews DROP COLUMN device")
        conn.execute("DELETE FROM meta WHERE key = 'device_id'")
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
        start = time.perf_counter()
        conn.execute("CREATE TABLE floor AS SELECT * FROM reviews")
        floor = time.perf_counter() - start
        conn.execute("DROP TABLE floor")
    conn.close()
    print(f"floor: the log of {answers:,} answers copied into a new table  {floor:6.1f} s")

    engine = db.open_engine(f"sqlite:///{copy}", migrate_schema=False)
    start = time.perf_counter()
    db.migrate(engine)
    took = time.perf_counter() - start
    engine.dispose()
    print(
        f"schema 7 -> 8: {answers:,} answers given ids and a device      {took:6.1f} s ({took / floor:.1f}x the floor)"
    )
    with sqlite3.connect(copy) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT event_id) FROM reviews").fetchone()
        order = [r for (r,) in conn.execute("SELECT id FROM reviews ORDER BY at, id")]
        by_id = [r for (r,) in conn.execute("SELECT id FROM reviews ORDER BY event_id")]
    conn.close()
    assert rows == (answers, answers), rows
    assert order == by_id, "ids out of time order"
    print("every answer kept, every id unique, ids in time order")
    copy.unlink()
    if args.db is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

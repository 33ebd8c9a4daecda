"""Benchmark of the terminal app on a large deck: start to first card, grade to next card, memory.

    PYTHONPATH=. python tests/bench/bench_tui.py [--cards 100000] [--db PATH] [--runs 3]

The first run writes a synthetic concept graph of about --cards cards into --db (kept for later
runs) through `importing.import_graph`, then gives 70% of the cards a review history so that the
queue holds due cards, as a learner's database would. Every measurement then runs in a fresh
process on a fresh copy of that database, timed from the moment the process is started:

- `srs review`: the command itself (click, its checks) opening the app straight into a session,
  until the first card is drawn;
- `srs`: the command opening the app on its home screen, until the map's first screen is drawn
  (the root and its branches, today's totals, the root's detail: on a large deck before the
  counts, which are read in the background), and until the map is drawn with its counts;
- a bare Textual app that opens the same database with SQLAlchemy, runs one query and shows
  one static screen: the floor that Python, Textual and SQLAlchemy set on their own;
- `srs review` and `srs` again with the garbage collector left on through the start (the
  command pauses it until the first screen is drawn: `srs.bulk.pause_for_startup`), to show what
  that pause is worth.

In the `srs review` runs the benchmark then answers cards and times each grade until the next
card is drawn (the answer is committed in between). Memory is the peak resident set size of
each process, and the peak of Python's own allocations in one extra traced run of each.
This file is not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
BRANCHING = 5
ANSWERS = 30
"""Grades timed in each `srs review` run."""
SIZE = (80, 24)
WORDS = [
    "gradient",
    "model",
    "data",
    "compute",
    "token",
    "layer",
    "loss",
    "scale",
    "batch",
    "device",
    "memory",
    "parameter",
    "optimizer",
    "attention",
    "network",
    "training",
    "inference",
    "cluster",
    "throughput",
    "latency",
    "precision",
    "schedule",
    "checkpoint",
    "shard",
    "pipeline",
]


def fixed_clock():
    import dateutil.tz

    from srs.core.day import Clock

    return Clock(now=lambda: NOW, tz=dateutil.tz.UTC)


# -- the database ---------------------------------------------------------------------------------


def synthetic_graph(cards: int):
    """A tree with BRANCHING children per inner node, sized to hold about `cards` cards.

    Every node has a definition (one card) and every inner node a children card, so a tree
    of n nodes holds about n * (1 + 1/BRANCHING) cards.
    """
    from srs.core.graph import Concept, RawEdge, assemble

    nodes = max(2, round(cards / (1 + 1 / BRANCHING)))
    rng = random.Random(7)
    concepts = []
    edges = []
    for i in range(nodes):
        words = rng.sample(WORDS, 6)
        definition = f"How {words[0]} and {words[1]} shape {words[2]}: a {words[3]} of {words[4]} over {words[5]}."
        concepts.append(Concept(key=f"n{i}", label=f"{words[0].title()} {words[1]} {i}", definition=definition))
        if i:
            edges.append(RawEdge(f"n{(i - 1) // BRANCHING}", f"n{i}"))
    return assemble(concepts, edges, root="n0")


def generate(path: Path, cards: int) -> None:
    """Write the benchmark database: the synthetic deck, then a review history for 70% of it."""
    from sqlalchemy import text

    from srs.env import Env
    from srs.storage import importing

    graph = synthetic_graph(cards)
    env = Env(f"sqlite:///{path}", fixed_clock(), seed_bundled=False)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Synthetic", graph, "synthetic", NOW)
    with env.connection(write=True) as conn:
        # Schedules spread over six weeks around today; about a third of them due or overdue.
        conn.execute(
            text(
                "UPDATE cards SET reviews = 1 + id % 5, repetitions = 1 + id % 5, interval = 1 + id % 40, "
                "easiness = 230 + id % 40, due = date(:today, ((id % 60) - 20) || ' days'), "
                "last_day = date(:today, '-' || (1 + id % 30) || ' days'), last_grade = 4 WHERE id % 10 < 7"
            ),
            {"today": NOW.date().isoformat()},
        )
        conn.execute(
            text(
                "INSERT INTO reviews (deck_id, card_id, at, day, grade, duration_ms, drill, "
                "easiness_before, repetitions_before, "
                "interval_before, due_before, lapses_before, last_day_before, last_grade_before, easiness_after, "
                "repetitions_after, interval_after, due_after, event_id, device, learner_id) "
                "SELECT deck_id, id, last_day || ' 12:00:00.000000', last_day, 4, 5000, 0, "
                "250, 0, 0, NULL, 0, NULL, NULL, "
                "easiness, repetitions, interval, due, printf('00000000-0000-7000-8000-%012x', id), 'bench', "
                "learner_id "
                "FROM cards WHERE reviews > 0"
            )
        )
    with env.engine().connect() as conn:
        # Straight through the driver: a transaction (the engine begins each with the write lock)
        # would keep the checkpoint from emptying the log.
        conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    env.close()


def describe(path: Path) -> tuple[int, int, int]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cards", "nodes", "reviews"))


# -- the measured processes -----------------------------------------------------------------------


def report(**values) -> None:
    # Textual captures sys.stdout while an app runs; the parent reads the real descriptor.
    os.write(1, (json.dumps(values) + "\n").encode())


def peak_memory() -> dict:
    """This process's peak resident set (and Python's peak allocations, when traced)."""
    import tracemalloc

    out = {"max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    try:  # VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak over
        with open("/proc/self/status") as status:
            out["max_rss_kib"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    if tracemalloc.is_tracing():
        out["python_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    return out


class Frames:
    """Tells when the app composes a frame in which a condition holds.

    Every frame an app draws goes through `App._display` (to the terminal, or nowhere when
    headless); wrapping it is the one way to know that what changed has been drawn.
    """

    def __init__(self, app) -> None:
        self.waiting: list[tuple] = []
        display = app._display

        def displayed(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            for entry in list(self.waiting):
                condition, done = entry
                if condition():
                    self.waiting.remove(entry)
                    done(now)

        app._display = displayed

    def when(self, condition, done) -> None:
        """Call `done(time)` at the first frame drawn with `condition()` true."""
        self.waiting.append((condition, done))

    async def drawn(self, condition) -> float:
        future = asyncio.get_running_loop().create_future()
        self.when(condition, lambda now: future.done() or future.set_result(now))
        return await future


def child_srs(db: str, mode: str) -> None:
    """Run the `srs review` or `srs` command itself (click, its checks, then the app), headless."""
    from srs import cli

    if mode.endswith("-collecting"):
        cli.pause_for_startup = lambda: None  # the app's resume does nothing either, then
        mode = mode.removesuffix("-collecting")

    def env(_ctx):  # what `--db` would give, on the benchmark's fixed clock
        from srs.env import Env

        return Env(f"sqlite:///{db}", fixed_clock(), seed_bundled=False)

    review = mode == "review"
    cli._env = env
    cli._in_terminal = lambda: True
    cli._run_app = lambda env, **options: run_app(env, review, options)
    sys.argv = ["srs", "review", "--chunk", str(ANSWERS + 10)] if review else ["srs"]
    try:
        cli.main()  # the entry point of the `srs` command, as installed
    except SystemExit as done:
        if done.code:
            raise


def run_app(env, review: bool, options: dict) -> None:
    from srs.tui.app import SrsApp
    from srs.tui.screens.study import StudyScreen

    if not review:  # only what the app itself loads is timed: the map's modules, for the map alone
        from srs.tui.screens.home import HomeScreen
        from srs.tui.widgets.concept_tree import ConceptTree
    app = SrsApp(env, **options)
    frames = Frames(app)

    def card_shown() -> bool:
        return isinstance(app.screen, StudyScreen) and app.screen.card is not None

    def map_top_drawn() -> bool:
        if not isinstance(app.screen, HomeScreen):
            return False
        tree = app.screen.query_one(ConceptTree)
        return tree.deck_map is not None and tree.root.is_expanded and app.screen.detail is not None

    def map_drawn() -> bool:
        return map_top_drawn() and app.screen.query_one(ConceptTree).deck_map.counted

    if not review:
        frames.when(map_top_drawn, lambda now: report(event="first"))
    frames.when(card_shown if review else map_drawn, lambda now: report(event="ready"))

    async def drive(pilot) -> None:
        await frames.drawn(card_shown if review else map_drawn)
        grades = []
        if review:
            for _ in range(ANSWERS):
                screen = app.screen
                before = screen.card.id
                app.simulate_key("space")
                await frames.drawn(lambda: screen.revealed)  # noqa: B023 - awaited here
                start = time.perf_counter()
                app.simulate_key("5")
                drawn = await frames.drawn(lambda: app.screen is not screen or screen.card.id != before)  # noqa: B023 - awaited here
                grades.append(drawn - start)
        report(event="done", grades=grades, **peak_memory())
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=drive)


def child_bare(db: str) -> None:
    from sqlalchemy import create_engine, text
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(id="message")

        def on_mount(self) -> None:
            engine = create_engine(f"sqlite:///{db}")
            with engine.connect() as conn:
                due = conn.execute(
                    text("SELECT count(*) FROM cards WHERE reviews > 0 AND due <= :d"), {"d": NOW.date().isoformat()}
                ).scalar()
            self.query_one(Static).update(f"{due} cards due")

    app = Bare()
    frames = Frames(app)

    def shown() -> bool:
        return "cards due" in str(app.query_one(Static).content)

    frames.when(shown, lambda now: report(event="ready"))

    async def drive(pilot) -> None:
        await frames.drawn(shown)
        report(event="done", grades=[], **peak_memory())
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=drive)


MODES = ("review", "home", "bare")
PLAIN = ("review-collecting", "home-collecting")
"""The command's runs again, without its start-up pause of the collector."""


def child(mode: str, db: str, traced: bool) -> None:
    if traced:
        import tracemalloc

        tracemalloc.start()
    if mode == "bare":
        child_bare(db)
    else:
        child_srs(db, mode)


# -- the parent -----------------------------------------------------------------------------------


def measure(mode: str, db: Path, traced: bool = False) -> dict:
    """Run one child on a fresh copy of the database; wall time from spawn to its first screen."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / db.name
        shutil.copyfile(db, copy)
        command = [sys.executable, __file__, "--child", mode, "--db", str(copy)] + (["--traced"] if traced else [])
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        result: dict = {}
        for line in process.stdout:
            event = json.loads(line)
            if event["event"] in ("ready", "first"):  # a moment on the way: its time from the start
                result[event["event"]] = time.perf_counter() - start
            else:
                result.update(event)
        ready = result.pop("ready", None)
        if process.wait() != 0 or ready is None:
            raise SystemExit(f"the {mode} run failed (exit {process.returncode})")
    return {**result, "ready": ready}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def set_options(db: Path, given: list[str]) -> None:
    """The deck's options as `given` (KEY=VALUE each) says, the others at their defaults."""
    from sqlalchemy import delete

    from srs.core.options import parse
    from srs.env import Env
    from srs.storage.options import set_option
    from srs.storage.tables import deck_options, decks

    env = Env(f"sqlite:///{db}", fixed_clock(), seed_bundled=False)
    with env.connection(write=True) as conn:
        conn.execute(delete(deck_options))
        for deck_id in conn.scalars(decks.select().with_only_columns(decks.c.id)):
            for item in given:
                key, _, value = item.partition("=")
                set_option(conn, deck_id, key, parse(key, value))
    env.close()
    if given:
        print(f"deck options: {', '.join(given)}")


def prepare_to_run(db: Path) -> None:
    """Leave the program and the database as a learner's would be before the first run.

    A database kept from an older schema is upgraded once here, not in every timed run; and the
    package is compiled to bytecode, as `pip install` leaves it, so that no run pays for turning
    source into bytecode (which it would do every time under PYTHONDONTWRITEBYTECODE).
    """
    import compileall

    import srs
    from srs.storage.db import open_engine

    open_engine(f"sqlite:///{db}").dispose()
    compileall.compile_dir(Path(srs.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000, help="about how many cards the deck holds")
    parser.add_argument("--db", type=Path, help="where the benchmark database is kept (default: the temp folder)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement, in turns (the median is shown)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a deck option for the run, as `srs options KEY VALUE` sets it (say unlock_after_days=7); "
        "every option not named is at its default",
    )
    parser.add_argument("--child", choices=[*MODES, *PLAIN], help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.db), args.traced)
        return

    db = args.db or Path(tempfile.gettempdir()) / f"srs-bench-{args.cards}.sqlite3"
    if not db.exists():
        started = time.perf_counter()
        generate(db, args.cards)
        print(f"generated {db} in {time.perf_counter() - started:.1f} s")
    prepare_to_run(db)
    set_options(db, args.option)
    cards, nodes, answers = describe(db)
    print(
        f"deck: {cards:,} cards, {nodes:,} nodes, {answers:,} past answers ({db}, {db.stat().st_size / 2**20:.0f} MiB)"
    )
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {args.runs} runs of each, median shown\n")

    runs: dict[str, list[dict]] = {mode: [] for mode in (*MODES, *PLAIN)}
    for _ in range(args.runs):  # in turns, so that a slow spell of the machine falls on all of them
        for mode in runs:
            runs[mode].append(measure(mode, db))
    traced = {mode: measure(mode, db, traced=True) for mode in MODES}
    ready = {mode: statistics.median(r["ready"] for r in results) for mode, results in runs.items()}
    names = {
        "review": "srs review: start to first card",
        "home": "srs: start to the map with counts",
        "bare": "bare Textual app + one query",
        "review-collecting": "  the same, collector not paused",
        "home-collecting": "  with counts, collector not paused",
    }
    first = {mode: statistics.median(r["first"] for r in runs[mode]) for mode in ("home", "home-collecting")}
    for mode in ("review", "review-collecting", "home", "home-collecting", "bare"):
        if mode in first:
            each = " ".join(f"{r['first']:.2f}" for r in runs[mode])
            name = "srs: start to map's first screen" if mode == "home" else "  first screen, collector not paused"
            print(f"{name:<34} {first[mode]:6.2f} s   (runs: {each})")
        each = " ".join(f"{r['ready']:.2f}" for r in runs[mode])
        print(f"{names[mode]:<34} {ready[mode]:6.2f} s   (runs: {each})")
    # A round's runs follow each other, so a slow spell tends to fall on all of them: the
    # median of the rounds' own ratios is printed beside the ratio of the medians.
    for mode, name in (
        ("review", "ratio first card / bare"),
        ("review-collecting", "  the same, collector not paused"),
        ("home first", "ratio map's first screen / bare"),
        ("home-collecting first", "  the same, collector not paused"),
        ("home", "ratio map with counts / bare"),
        ("home-collecting", "  the same, collector not paused"),
    ):
        mode, _, event = mode.partition(" ")
        key = event or "ready"
        median = statistics.median(r[key] for r in runs[mode])
        paired = statistics.median(r[key] / b["ready"] for r, b in zip(runs[mode], runs["bare"], strict=True))
        print(f"{name:<34} {median / ready['bare']:6.2f}x  (rounds' median {paired:.2f}x)")
    for mode in ("review", "home"):
        saved = ready[f"{mode}-collecting"] - ready[mode]
        share = saved / ready[f"{mode}-collecting"]
        print(f"{'start-up pause saves, ' + mode:<34} {saved * 1000:6.0f} ms ({share:.0%})")
    print()

    for mode, name in (("review", "grade to next card"), ("review-collecting", "  the same, collector not paused")):
        grades = sorted(g for r in runs[mode] for g in r["grades"])
        p90 = grades[min(len(grades) - 1, int(len(grades) * 0.9))]
        print(
            f"{name} ({len(grades)} answers): median {ms(statistics.median(grades))}, "
            f"p90 {ms(p90)}, max {ms(grades[-1])}"
        )
    print()

    print("peak memory            max RSS    Python allocations (traced run)")
    for mode in MODES:
        rss = max(r["max_rss_kib"] for r in runs[mode]) / 1024
        python = traced[mode].get("python_peak_bytes", 0) / 2**20
        print(f"  {mode:<20} {rss:7.0f} MiB  {python:7.1f} MiB")


if __name__ == "__main__":
    main()

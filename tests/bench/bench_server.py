"""Benchmark of many learners studying at once on one database: a PostgreSQL server, and one
SQLite file in WAL mode.

    .venv/bin/python tests/bench/bench_server.py [--learners 10,100] [--sqlite-learners 10,50]
        [--answers-per-learner 5] [--seconds 60] [--think 4] [--workers 4]
        [--sqlite-only | --postgres-only]

What one learner is here: a thread with an `Env` of its own (so an engine and a database
connection of its own, held for the whole run, as the terminal app holds one), built from
settings whose environment says `SRS_LEARNER=learner-<i>`, so that each learner studies a
schedule of their own on the shared deck. It studies a branch of the deck (learner i
the i-th of the root's branches, in turn; the whole deck once its branch has nothing left), as the
study screen does: `study.branch_scope` and `study.start_session` for the session's cards, a
`StudyQueue` of chunks of 10, `study.load_card` for each card shown and `study.record` for each grade; between a card
shown and its grade it thinks for a random time around `--think` seconds (the first card after a
random wait of up to that, so that the learners do not answer in step). It stops after
`--answers-per-learner` answers or `--seconds` seconds. (A branch each, as a class spreads over a
map: the learners' answers then also fall on different nodes' cards, as they would.)

Why threads, and not a process a learner: 500 Python processes do not fit on a small machine, and
a learner's time is almost all thinking, so the learners are spread over `--workers` processes,
a thread each. The learners' own Python runs on the same cores as the database, and the threads
of a worker take turns at its interpreter lock: the figures are a ceiling of what a server's
clients would see, not a floor.

Timed for each answer: from the grade until `study.record` returns (the answer is committed by
then), and from the grade until the next card is loaded (the queue's next card, or the next
chunk's, or a new session's). After each run the answers stored are counted against those the
learners were told were recorded: a review id a learner holds that is not in the log as that
learner's answer is lost, and lost must be 0; every exception is counted, and its first line printed.

Each count of learners runs on a fresh database holding the bundled deck, its daily limits raised
so that no learner runs out of cards. The baseline, in the same run, is one learner alone on its
own fresh database, thinking only 0.1 s between answers. The PostgreSQL server is a throw-away
cluster on 127.0.0.1 (`tests/postgres_cluster.py`, as the test suite starts it), but with its
durability on (fsync, synchronous commit), since "committed" should mean what it means to a
learner; its `max_connections` is raised to the learners' count and some.

This file is not collected by pytest (tests/bench is in norecursedirs); `tests/test_bench_server.py`
runs its learners on a few answers and checks the counts.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import create_engine, make_url, select, text  # noqa: E402

from srs.config import load_config  # noqa: E402
from srs.core import events  # noqa: E402
from srs.core.queue import StudyQueue  # noqa: E402
from srs.env import Env, system_clock  # noqa: E402
from srs.errors import SrsError  # noqa: E402
from srs.service import decks as deck_service  # noqa: E402
from srs.service import study  # noqa: E402
from srs.storage import tables  # noqa: E402
from srs.storage.db import sqlite_url  # noqa: E402

CHUNK = 10
"""Cards a chunk, as the terminal app's default."""
GRADES = {5: 25, 4: 45, 3: 15, 2: 7, 1: 5, 0: 3}
"""How often a learner gives each grade, in percent: most answers pass, one in seven comes back as a drill."""
BASELINE_ANSWERS = 40
BASELINE_THINK = 0.1
NO_LIMIT = 1_000_000
"""The deck's daily limits in the benchmark: every card is in every session."""


@dataclass(frozen=True)
class Plan:
    """What every learner of a run does."""

    answers: int
    """Answers each learner gives, at most."""
    seconds: float
    """Seconds after the start at which a learner stops, whatever its answers."""
    think: float
    """Mean seconds between a card shown and its grade (uniform, from half to one and a half)."""
    seed: int = 1


@dataclass
class LearnerResult:
    """What one learner did, as it saw it."""

    name: str
    review_ids: list[int] = field(default_factory=list)
    """The answers `study.record` said it stored, in order."""
    committed_ms: list[float] = field(default_factory=list)
    """Each answer's time from the grade until it was committed."""
    next_card_ms: list[float] = field(default_factory=list)
    """Each answer's time from the grade until the next card was loaded."""
    errors: list[str] = field(default_factory=list)
    """Each exception's type and first line."""
    ran_out: bool = False
    """The learner had no card left before its last answer."""
    finished: float = 0.0
    """`time.monotonic()` at its last answer (or error)."""


def learner_env(url: str, name: str) -> Env:
    """An `Env` for the learner `name`, its settings read as the command line reads them, from an
    environment that says `SRS_LEARNER=name` (and holds no other `SRS_` setting, nor a config file)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("SRS_")}
    environ["SRS_LEARNER"] = name
    environ["XDG_CONFIG_HOME"] = _no_config_folder()
    config = load_config(environ)
    return Env(url=url, clock=system_clock(config), seed_bundled=False, config=config)


_config_folder: str | None = None


def _no_config_folder() -> str:
    global _config_folder
    if _config_folder is None:
        _config_folder = tempfile.mkdtemp(prefix="srs-bench-config-")
    return _config_folder


class Learner:
    """One simulated learner: its `Env`, its session, the card it is shown."""

    def __init__(self, url: str, name: str, number: int, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.result = LearnerResult(name)
        self.env = learner_env(url, name)
        top = deck_service.load_map_top(self.env, None)
        branches = top.nodes[top.root].children
        self.branch: str | None = top.nodes[branches[number % len(branches)]].key
        self.queue = self._session()
        self.card = self._next_card()

    def _session(self) -> StudyQueue | None:
        """A new session on the learner's branch, as `srs study BRANCH` starts one, and once the
        branch has nothing left, on the whole deck; None when nothing is left at all."""
        cards: list[int] = []
        while not cards:
            _, cards = study.start_session(self.env, study.branch_scope(self.env, None, self.branch))
            if not cards and self.branch is None:
                return None
            if not cards:
                self.branch = None
        session = StudyQueue(cards, CHUNK)
        session.start_chunk()
        return session

    def _next_card(self) -> study.StudyCard | None:
        """The card to show next: the chunk's, the next chunk's, or a new session's first."""
        if self.queue is not None and self.queue.current is None and not self.queue.start_chunk():
            self.queue = self._session()
        if self.queue is None or self.queue.current is None:
            return None
        return study.load_card(self.env, self.queue.current)

    def study(self, start: float) -> LearnerResult:
        """Answer until the plan's answers are given, its seconds are over or the cards run out."""
        result, plan = self.result, self.plan
        deadline = start + plan.seconds
        time.sleep(self.rng.uniform(0, plan.think))
        try:
            while len(result.review_ids) < plan.answers and time.monotonic() < deadline:
                if self.card is None or self.queue is None:
                    result.ran_out = True
                    break
                thought = self.rng.uniform(0.5, 1.5) * plan.think
                time.sleep(thought)
                grade = self.rng.choices(list(GRADES), weights=list(GRADES.values()))[0]
                graded = time.perf_counter()
                answer = study.record(self.env, self.card.id, grade, round(thought * 1000))
                committed = time.perf_counter()
                result.review_ids.append(answer.review_id)
                result.committed_ms.append((committed - graded) * 1000)
                self.queue.answer(grade, stays=not answer.suspended, checks=answer.checks)
                self.card = self._next_card()
                result.next_card_ms.append((time.perf_counter() - graded) * 1000)
        except Exception as exc:  # counted and shown: an error ends this learner, not the run
            result.errors.append(_one_line(exc))
        finally:
            result.finished = time.monotonic()
            self.env.close()
        return result


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def run_learners(url: str, names: list[str], plan: Plan, ready=None) -> list[LearnerResult]:
    """Run the learners `names` on the database at `url`, a thread each, and return what each did.
    Each opens its connection and loads its first card; then `ready()`, if given, is called (and
    may wait for a signal to go), and they all start."""
    learners: list[Learner] = []
    failed: list[LearnerResult] = []
    for name in names:
        rng = random.Random(f"{plan.seed}:{name}")
        try:
            learners.append(Learner(url, name, int(name.rsplit("-", 1)[-1]), plan, rng))
        except Exception as exc:
            failed.append(LearnerResult(name, errors=[_one_line(exc)], finished=time.monotonic()))
    if ready is not None:
        ready()
    start = time.monotonic()
    results: dict[str, LearnerResult] = {}

    def run(learner: Learner) -> None:
        results[learner.result.name] = learner.study(start)

    threads = [threading.Thread(target=run, args=(learner,), daemon=True) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed + [results[learner.result.name] for learner in learners]


def _worker(url: str, names: list[str], plan: Plan, ready, go, out) -> None:
    """A worker process: its learners, started when the parent says go."""

    def wait_for_go() -> None:
        ready.put(os.getpid())
        go.wait()

    try:
        out.put(run_learners(url, names, plan, wait_for_go))
    except BaseException as exc:
        out.put([LearnerResult(f"worker {os.getpid()}", errors=[_one_line(exc)], finished=time.monotonic())])
        raise


@dataclass(frozen=True)
class Audit:
    """The answers stored, against those the learners were told were recorded."""

    reported: int
    stored: int
    lost: int
    """Review ids a learner holds that the log does not."""
    unreported: int
    """Answers in the log that no learner holds (an answer stored though its call failed)."""


def audit(url: str, results: list[LearnerResult]) -> Audit:
    """Count the log's answers against the learners' review ids, each learner's against the
    answers the log holds as theirs."""
    env = Env(url=url, seed_bundled=False)
    try:
        with env.connection() as conn:
            stored = set(
                conn.execute(
                    select(tables.reviews.c.id, tables.learners.c.name)
                    .join(tables.learners, tables.learners.c.id == tables.reviews.c.learner_id)
                    .where(tables.reviews.c.kind.in_(events.ANSWERS))
                ).all()
            )
    finally:
        env.close()
    reported = [(review_id, result.name) for result in results for review_id in result.review_ids]
    held = set(reported)
    # An id held twice is two answers reported for one stored: one of them is lost too.
    return Audit(len(reported), len(stored), len(held - stored) + len(reported) - len(held), len(stored - held))


def prepare(url: str) -> None:
    """A fresh database at `url` with the bundled deck, its daily limits out of the way."""
    env = Env(url=url, seed_bundled=True)
    try:
        env.engine()
        deck_service.set_limits(env, None, new_per_day=NO_LIMIT, reviews_per_day=NO_LIMIT)
    finally:
        env.close()


@dataclass(frozen=True)
class Run:
    """One count of learners on one database."""

    learners: int
    results: list[LearnerResult]
    seconds: float
    audit: Audit

    def committed(self) -> list[float]:
        return [ms for result in self.results for ms in result.committed_ms]

    def next_card(self) -> list[float]:
        return [ms for result in self.results for ms in result.next_card_ms]

    def errors(self) -> Counter[str]:
        return Counter(error for result in self.results for error in result.errors)


def run(url: str, learners: int, plan: Plan, workers: int) -> Run:
    """`learners` learners on the fresh database `url`, spread over `workers` processes."""
    prepare(url)
    names = [f"learner-{i}" for i in range(1, learners + 1)]
    count = min(workers, learners)
    groups = [names[i::count] for i in range(count)]
    context = multiprocessing.get_context("spawn")  # threads and fork do not mix
    ready, out, go = context.Queue(), context.Queue(), context.Event()
    processes = [context.Process(target=_worker, args=(url, group, plan, ready, go, out)) for group in groups]
    for process in processes:
        process.start()
    try:
        for _ in processes:
            _get(ready, processes)
        start = time.monotonic()
        go.set()
        results = [result for _ in processes for result in _get(out, processes)]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    finished = max((result.finished for result in results), default=start)
    return Run(learners, results, max(finished - start, 1e-9), audit(url, results))


def _get(channel, processes):
    """The next message on `channel`; an error if every worker process is gone without one."""
    while True:
        try:
            return channel.get(timeout=1)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                raise RuntimeError("the worker processes ended without a word") from None


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of `values` (all three the one value, for one)."""
    if len(values) < 2:
        one = values[0] if values else float("nan")
        return one, one, one
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


HEADER = (
    f"{'learners':>8} {'answers':>7} {'ans/s':>6} | {'committed p50':>13} {'p95':>6} {'p99':>6} | "
    f"{'next card p50':>13} {'p95':>6} {'p99':>6} | {'p50 x':>5} {'p95 x':>5} | {'errors':>6} {'lost':>4}"
)


def row(label: str, result: Run, baseline: Run | None) -> str:
    """One line of the table: the timings in ms, and the next card's p50 and p95 against the baseline's."""
    c50, c95, c99 = percentiles(result.committed())
    n50, n95, n99 = percentiles(result.next_card())
    if baseline is None:
        ratio = f"{'':>5} {'':>5}"
    else:
        b50, b95, _ = percentiles(baseline.next_card())
        ratio = f"{n50 / b50:>5.1f} {n95 / b95:>5.1f}"
    answers = result.audit.reported
    return (
        f"{label:>8} {answers:>7} {answers / result.seconds:>6.1f} | {c50:>13.1f} {c95:>6.1f} {c99:>6.1f} | "
        f"{n50:>13.1f} {n95:>6.1f} {n99:>6.1f} | {ratio} | {sum(result.errors().values()):>6} "
        f"{result.audit.lost:>4}"
    )


def notes(result: Run) -> list[str]:
    """What the table's line does not say: errors, answers stored that no learner holds, learners out of cards."""
    out = [f"    {count} x {message}" for message, count in result.errors().most_common()]
    if result.audit.unreported:
        out.append(f"    {result.audit.unreported} answers stored that no learner was told of")
    short = sum(result.ran_out for result in result.results)
    if short:
        out.append(f"    {short} learners ran out of cards")
    return out


def bench(title: str, urls, counts: list[int], plan: Plan, workers: int) -> None:
    """The baseline and each count of learners on fresh databases from `urls`, as a table."""
    print(
        f"\n{title}: {plan.answers} answers a learner at most, {plan.seconds:g} s at most, "
        f"thinking {plan.think:g} s on average; {workers} worker processes; times in ms"
    )
    print(HEADER)
    baseline = run(next(urls), 1, Plan(BASELINE_ANSWERS, plan.seconds, BASELINE_THINK, plan.seed), 1)
    print(row("1 alone", baseline, None), flush=True)
    for line in notes(baseline):
        print(line)
    for count in counts:
        result = run(next(urls), count, plan, workers)
        print(row(str(count), result, baseline), flush=True)
        for line in notes(result):
            print(line)


def sqlite_urls(folder: Path):
    """Fresh SQLite files in `folder`."""
    for number in range(1, 1000):
        yield sqlite_url(folder / f"bench-{number}.sqlite3").render_as_string(hide_password=False)


def postgres_urls(server):
    """Fresh databases on the PostgreSQL `server`."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        for number in range(1, 1000):
            name = f"bench_{number}"
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="10,100", help="counts of learners on PostgreSQL (e.g. 10,100,500)")
    parser.add_argument("--sqlite-learners", default="10,50", help="counts of learners on one SQLite file")
    parser.add_argument("--answers-per-learner", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60, help="a learner stops after this, whatever its answers")
    parser.add_argument("--think", type=float, default=4, help="mean seconds from a card shown to its grade")
    parser.add_argument("--workers", type=int, default=4, help="processes the learners are spread over")
    parser.add_argument("--seed", type=int, default=1)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    plan = Plan(args.answers_per_learner, args.seconds, args.think, args.seed)
    counts = [int(n) for n in args.learners.split(",") if n]
    sqlite_counts = [int(n) for n in args.sqlite_learners.split(",") if n]

    if not args.postgres_only:
        with tempfile.TemporaryDirectory(prefix="srs-bench-server-") as folder:
            bench("SQLite, one file in WAL mode", sqlite_urls(Path(folder)), sqlite_counts, plan, args.workers)
    if not args.sqlite_only:
        from postgres_cluster import Cluster, postgres_bin

        bin_dir = postgres_bin()
        if bin_dir is None:
            sys.exit("no PostgreSQL: initdb is neither on PATH nor in /usr/lib/postgresql/*/bin")
        cluster = Cluster(bin_dir)
        try:
            durable = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
            server = cluster.start({**durable, "max_connections": str(max(counts, default=1) + 50)})
            bench("PostgreSQL, one server on 127.0.0.1", postgres_urls(make_url(server)), counts, plan, args.workers)
        finally:
            cluster.stop()


if __name__ == "__main__":
    try:
        main()
    except SrsError as exc:
        sys.exit(str(exc))

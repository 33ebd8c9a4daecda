"""Benchmark of the concept finder (`/` on the home screen) on large decks: time per keystroke.

    PYTHONPATH=. python tests/bench/bench_finder.py [--nodes 10000 100000] [--runs 3] [--timeout 60]

For each size, bench_tui's synthetic deck (written once into the temp folder and kept) is opened
in the real app, headless, at 80x24. The finder is opened and each query typed one key at a
time; a key is timed from the moment it is pressed to the first frame drawn with that query's
results in the list (the palette's search for it finished and nothing newer started). Each
query is typed --runs times, in turns with the baseline; each key's median is shown.

The baseline, measured in the same run on the same screen: Textual's command palette over a
provider that does no searching and hands over at once as many hits as the finder found for the
same query. It is the floor the palette itself sets on a keystroke (a query with no hits at all
costs it 0.1 s: the palette waits that long for hits before it decides there are none).
A key that blocks the app cannot be cut short by --timeout: run the benchmark under `timeout`.
This file is not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_tui import BRANCHING, SIZE, Frames, fixed_clock, generate

QUERIES = ("data", "zqx", "grmo 12", "shape")
"""Many hits (a word of most labels), none at all (the whole index searched), a fuzzy one, and
one in every definition and no label (the hits all matches of the texts, with excerpts)."""
WARM_UP = 2.0
"""Seconds left, after the finder first opens, for it to make its index ready, as a learner
reading the screen would leave it (the first key after that is timed like any other)."""
FRAME_WAIT = 0.2
"""How long a frame may take to come once the results are ready, before none is expected."""


def deck_for(nodes: int) -> Path:
    db = Path(tempfile.gettempdir()) / f"srs-bench-finder-{nodes}.sqlite3"
    if not db.exists():
        started = time.perf_counter()
        generate(db, round(nodes * (1 + 1 / BRANCHING)))
        print(f"generated {db} in {time.perf_counter() - started:.1f} s")
    return db


def baseline_provider(hits: dict[str, int]):
    from rich.text import Text
    from textual.command import Hit, Hits, Provider

    class Fixed(Provider):
        """As many hits as the finder found for the same query, made up at once: the palette's
        own cost, without a search."""

        async def search(self, query: str) -> Hits:
            count = hits[query]
            for i in range(count):
                yield Hit(1 - i / (count + 1), Text(f"Concept {i}"), lambda: None, text=f"Concept {i}")

    return Fixed


def noting_searches(provider, searched: set[str], hits: dict[str, int] | None = None) -> None:
    """Make `provider` note each query whose search (or discovery, for "") has run to its end,
    and how many hits it found."""
    search = provider._search  # what the palette calls, for search and discover alike

    async def noted(self, query: str):
        count = 0
        async for hit in search(self, query):
            count += 1
            yield hit
        searched.add(query)
        if hits is not None:
            hits[query] = count

    provider._search = noted


def measure(nodes: int, db: Path, runs: int, timeout: float) -> None:
    """Open the app on the deck, then time each key of each query, for the finder and the baseline."""
    from textual import events
    from textual.command import CommandPalette

    from srs.bulk import pause_for_startup
    from srs.env import Env
    from srs.tui.app import SrsApp
    from srs.tui.screens.home import HomeScreen
    from srs.tui.widgets import concept_finder

    searched: set[str] = set()
    hits: dict[str, int] = {}
    baseline = baseline_provider(hits)
    noting_searches(baseline, searched)
    noting_searches(concept_finder.ConceptFinder, searched, hits)
    pause_for_startup()  # as the `srs` command does; the app resumes the collector
    env = Env(f"sqlite:///{db}", fixed_clock(), seed_bundled=False)
    app = SrsApp(env)
    frames = Frames(app)

    def settled(palette, query: str) -> bool:
        """The palette shows the results of `query`: its search for it is over, and so is the
        palette's work on what it found."""
        if query.strip() not in searched:
            return False
        return not any(
            w.node is palette and w.group == palette._GATHER_COMMANDS_GROUP and not w.is_finished for w in app.workers
        )

    async def shown(condition) -> float:
        """When the screen first shows what `condition` waits for: the first frame drawn with it
        true, or the moment it became true if the screen had nothing new to draw (no hits for a
        query that already had none)."""
        frame = asyncio.ensure_future(frames.drawn(condition))
        while not condition() and not frame.done():
            await asyncio.sleep(0.001)
        ready = time.perf_counter()
        try:
            return await asyncio.wait_for(frame, FRAME_WAIT)
        except TimeoutError:
            return ready

    async def opened(open_it) -> float:
        searched.clear()
        start = time.perf_counter()
        open_it()
        return await shown(lambda: isinstance(app.screen, CommandPalette) and settled(app.screen, "")) - start

    async def typed(query: str) -> list[float]:
        palette = app.screen
        times = []
        for i, character in enumerate(query):
            searched.clear()
            start = time.perf_counter()
            app.post_message(events.Key("space" if character == " " else character, character))  # as typed
            drawn = await asyncio.wait_for(shown(lambda: settled(palette, query[: i + 1])), timeout)  # noqa: B023 - awaited here
            times.append(drawn - start)
        return times

    async def drive(pilot) -> None:
        while not (
            isinstance(app.screen, HomeScreen) and app.screen.deck_map is not None and app.screen.deck_map.counted
        ):
            await asyncio.sleep(0.05)
        home = app.screen
        first = await opened(lambda: app.simulate_key("slash"))
        app.simulate_key("escape")
        await frames.drawn(lambda: app.screen is home)
        floor = await opened(lambda: app.push_screen(CommandPalette(providers=[baseline])))
        app.simulate_key("escape")
        await frames.drawn(lambda: app.screen is home)
        say(
            f"\n{nodes:,} nodes: the finder opens in {ms(first)} ms the first time, "
            f"the baseline palette in {ms(floor)} ms"
        )
        await asyncio.sleep(WARM_UP)
        say(f"  {'query':10} {'':8} per key (ms)")
        openers = {
            "finder": lambda: app.simulate_key("slash"),
            "baseline": lambda: app.push_screen(CommandPalette(providers=[baseline])),
        }
        try:
            for query in QUERIES:
                times: dict[str, list[list[float]]] = {name: [] for name in openers}
                for _ in range(runs):  # in turns, so that a slow spell of the machine falls on both
                    for name, open_it in openers.items():
                        await opened(open_it)
                        times[name].append(await typed(query))
                        app.simulate_key("escape")
                        await frames.drawn(lambda: app.screen is home)
                for name, keys in times.items():
                    each = [statistics.median(run[i] for run in keys) for i in range(len(query))]
                    every = [t for run in keys for t in run]
                    say(
                        f"  {query!r:10} {name:8} {' '.join(ms(t) for t in each)}   "
                        f"median {ms(statistics.median(every))}, max {ms(max(every))}"
                    )
        except TimeoutError:
            say(f"  (stopped: a key's results took longer than {timeout:.0f} s)")
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=drive)
    env.close()


def say(line: str) -> None:
    # Textual captures sys.stdout while an app runs: straight to the descriptor, as it is measured.
    os.write(1, (line + "\n").encode())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[10_000, 100_000], help="deck sizes to measure")
    parser.add_argument("--runs", type=int, default=3, help="times each query is typed")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for one key's results")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
    for nodes in args.nodes:
        measure(nodes, deck_for(nodes), args.runs, args.timeout)


if __name__ == "__main__":
    main()

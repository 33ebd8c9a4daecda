"""Benchmark: the Anki export of a large deck against a bare genanki script writing the same notes.

    python tests/bench/bench_anki.py [--nodes 100000] [--rounds 3] [--keep DIR]

Builds a synthetic concept graph (ten children per node, breadth-first, with one node in a
hundred given a second parent), imports it into a fresh SQLite database, then times, each in its
own process so that peak memory is measured cleanly:

- ours: `srs.service.export.export_anki` from the database to an .apkg (reading, layout, fields, writing);
- bare: a plain genanki script given the same notes ready-made in memory (fields, tags, GUIDs,
  decks) that builds `genanki.Note`s and calls `Package.write_to_file`.

The two run in turns, `--rounds` times each; it prints each one's best time (the least
disturbed by whatever else the machine is doing), the ratio of the best times, the same ratio
in CPU time (steadier on a shared machine, blind to waiting for the disk), the median of each
round's own ratio, and each process's peak resident memory. Not a test: pytest
never collects this folder (`norecursedirs`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
DECK = "Bench Deck"
WORDS = ("scaling", "data", "model", "compute", "token", "layer", "loss", "batch", "gradient", "device")


def build_graph(size: int):
    from srs.core.graph import Concept, RawEdge, assemble

    concepts, edges = [], []
    for i in range(size):
        word = WORDS[i % len(WORDS)]
        definition = (
            f"Concept {i} is about {word} and how it changes as {WORDS[(i * 7) % 10]} grows. "
            f"It sits under {(i - 1) // 10 if i else 'nothing'}; an <example> & a second sentence."
        )
        concepts.append(Concept(key=f"n{i}", label=f"{word.title()} {i}", definition=definition if i % 13 else ""))
        if i:
            edges.append(RawEdge(f"n{(i - 1) // 10}", f"n{i}"))
    # One node in a hundred gets a second parent, earlier in breadth-first order (so no cycle).
    for i in range(200, size, 100):
        other = (i - 1) // 10 - 3
        if other > 0:
            edges.append(RawEdge(f"n{other}", f"n{i}"))
    return assemble(concepts, edges, root="n0")


def prepare(folder: Path, size: int) -> Path:
    from dateutil import tz

    from srs.core.day import Clock
    from srs.env import Env
    from srs.storage import importing

    db = folder / f"bench-{size}.sqlite3"
    if db.exists():
        return db
    started = time.perf_counter()
    graph = build_graph(size)
    env = Env(url=f"sqlite:///{db}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, DECK, graph, "bench", NOW)
    env.close()
    print(f"built and imported {size:,} nodes in {time.perf_counter() - started:.1f} s")
    return db


def peak_rss_mib() -> float:
    """This process's peak resident memory, in MiB."""
    # Linux's ru_maxrss survives exec (the parent's peak shows through); VmHWM starts afresh.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # macOS: bytes; Linux: KiB


def run_ours(db: Path, out: Path) -> dict:
    from dateutil import tz

    from srs.core.day import Clock
    from srs.env import Env
    from srs.service.export import export_anki

    env = Env(url=f"sqlite:///{db}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    env.engine()
    started = time.perf_counter()
    cpu_started = time.process_time()
    report = export_anki(env, DECK, None, out)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "notes": report.notes, "cards": report.cards, "peak_mib": peak_rss_mib()}


def dump_notes(package: Path, target: Path) -> None:
    """The notes of our package as JSON lines, for the bare script to write again."""
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(package) as z:
        z.extract("collection.anki2", scratch)
        db = sqlite3.connect(Path(scratch) / "collection.anki2")
        decks = {int(k): v["name"] for k, v in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).items()}
        rows = db.execute(
            "SELECT n.guid, n.tags, n.flds, min(c.did) FROM notes n JOIN cards c ON c.nid = n.id"
            " GROUP BY n.id ORDER BY n.id"
        )
        with target.open("w") as f:
            for guid, tags, fields, did in rows:
                f.write(
                    json.dumps({"guid": guid, "tags": tags.split(), "fields": fields.split("\x1f"), "deck": decks[did]})
                    + "\n"
                )
        db.close()


def run_bare(notes_file: Path, out: Path) -> dict:
    import genanki

    from srs.export.anki import CSS, FIELDS, TEMPLATES, stable_id

    items = [json.loads(line) for line in notes_file.open()]
    # genanki leaves its scratch database in the temporary folder: give it one that goes afterwards.
    scratch = tempfile.TemporaryDirectory(dir=out.parent)
    tempfile.tempdir = scratch.name
    started = time.perf_counter()
    cpu_started = time.process_time()
    model = genanki.Model(
        stable_id("note type", DECK),
        f"srs concept ({DECK})",
        fields=[{"name": f} for f in FIELDS],
        templates=[dict(t) for t in TEMPLATES],
        css=CSS,
    )
    decks: dict[str, genanki.Deck] = {}
    cards = 0
    for item in items:
        deck = decks.get(item["deck"])
        if deck is None:
            deck = decks[item["deck"]] = genanki.Deck(stable_id("deck", item["deck"]), item["deck"])
        note = genanki.Note(model=model, fields=item["fields"], tags=item["tags"], guid=item["guid"])
        cards += len(note.cards)
        deck.add_note(note)
    genanki.Package(list(decks.values())).write_to_file(str(out), timestamp=NOW.timestamp())
    seconds = time.perf_counter() - started
    scratch.cleanup()
    cpu = time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "notes": len(items), "cards": cards, "peak_mib": peak_rss_mib()}


def in_subprocess(*args: str, script: str = __file__) -> dict:
    """Run `script` (this benchmark by default) with `args` in a process of its own, so that its
    peak memory is its own; returns the JSON its last line prints."""
    env = dict(
        os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    done = subprocess.run([sys.executable, script, *args], check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="How many times to run each, in turns.")
    parser.add_argument("--keep", type=Path, help="Folder to keep the database and packages in (reused next time).")
    parser.add_argument("--part", choices=["ours", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--notes-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.part == "ours":
        print(json.dumps(run_ours(args.db, args.out)))
        return
    if args.part == "bare":
        print(json.dumps(run_bare(args.notes_file, args.out)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = prepare(folder, args.nodes)
        ours_file, bare_file, notes_file = folder / "ours.apkg", folder / "bare.apkg", folder / "notes.jsonl"
        runs: dict[str, list[dict]] = {"ours": [], "bare": []}
        for round_ in range(max(1, args.rounds)):
            runs["ours"].append(in_subprocess("--part", "ours", "--db", str(db), "--out", str(ours_file)))
            if round_ == 0:
                dump_notes(ours_file, notes_file)
            runs["bare"].append(
                in_subprocess("--part", "bare", "--notes-file", str(notes_file), "--out", str(bare_file))
            )
        ours, bare = (min(runs[part], key=lambda run: run["seconds"]) for part in ("ours", "bare"))
        if (ours["notes"], ours["cards"]) != (bare["notes"], bare["cards"]):
            sys.exit(f"the two packages differ: ours {ours}, bare {bare}")
        for part in ("ours", "bare"):
            print(
                f"  {part} rounds: "
                + ", ".join(f"{run['seconds']:.2f} s (CPU {run['cpu']:.2f} s)" for run in runs[part])
            )
        print(f"nodes {args.nodes:,}: {ours['notes']:,} notes, {ours['cards']:,} cards")
        print(
            f"  srs export_anki   {ours['seconds']:7.2f} s   peak RSS {ours['peak_mib']:7.1f} MiB   "
            f"{ours_file.stat().st_size / (1 << 20):6.1f} MiB file (deflated)"
        )
        print(
            f"  bare genanki      {bare['seconds']:7.2f} s   peak RSS {bare['peak_mib']:7.1f} MiB   "
            f"{bare_file.stat().st_size / (1 << 20):6.1f} MiB file (stored)"
        )
        print(
            f"  ratio (ours / bare) {ours['seconds'] / bare['seconds']:.2f}   "
            f"(CPU time, best of each: {min(r['cpu'] for r in runs['ours']) / min(r['cpu'] for r in runs['bare']):.2f})"
        )
        # Each round's two runs follow each other, so a slow spell tends to fall on both: the
        # median of the rounds' own ratios is the figure least moved by a lucky or unlucky run.
        paired = statistics.median(o["seconds"] / b["seconds"] for o, b in zip(runs["ours"], runs["bare"], strict=True))
        print(f"  ratio, median of the rounds' own ratios: {paired:.2f}")


if __name__ == "__main__":
    main()

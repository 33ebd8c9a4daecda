"""Benchmark: the GEXF export of a large deck beside the Anki export of the same deck.

    python tests/bench/bench_gexf.py [--nodes 100000] [--rounds 3] [--keep DIR]

Builds the synthetic deck of `bench_anki.py` (ten children per node, one node in a hundred with
a second parent) in a fresh SQLite database, then runs `srs.service.export.export_gexf` and
`srs.service.export.export_anki` from it, each in its own process so that peak memory is measured cleanly,
in turns, `--rounds` times each. It prints each one's best time and peak resident memory and the
ratios GEXF / Anki of both: the Anki export is the baseline, measured in the same run on the same
machine. Not a test: pytest never collects this folder (`norecursedirs`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_anki import DECK, NOW, in_subprocess, peak_rss_mib, prepare  # noqa: E402  (the same deck, built the same way)


def run_export(kind: str, db: Path, out: Path) -> dict:
    from dateutil import tz

    from srs.core.day import Clock
    from srs.env import Env
    from srs.service.export import export_anki, export_gexf

    env = Env(url=f"sqlite:///{db}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    env.engine()
    started = time.perf_counter()
    cpu_started = time.process_time()
    count = export_gexf(env, DECK, None, out).nodes if kind == "gexf" else export_anki(env, DECK, None, out).notes
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu, "count": count, "peak_mib": peak_rss_mib(), "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="How many times to run each, in turns.")
    parser.add_argument("--keep", type=Path, help="Folder to keep the database and exports in (reused next time).")
    parser.add_argument("--part", choices=["gexf", "anki"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.part:
        print(json.dumps(run_export(args.part, args.db, args.out)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = prepare(folder, args.nodes)
        outs = {"gexf": folder / "bench.gexf", "anki": folder / "bench.apkg"}
        runs: dict[str, list[dict]] = {"gexf": [], "anki": []}
        for _ in range(max(1, args.rounds)):
            for part in ("gexf", "anki"):
                runs[part].append(
                    in_subprocess("--part", part, "--db", str(db), "--out", str(outs[part]), script=__file__)
                )
        best = {part: min(runs[part], key=lambda run: run["seconds"]) for part in runs}
        for part in runs:
            print(
                f"  {part} rounds: "
                + ", ".join(f"{r['seconds']:.2f} s (CPU {r['cpu']:.2f} s, {r['peak_mib']:.0f} MiB)" for r in runs[part])
            )
        print(f"nodes {args.nodes:,}: {best['gexf']['count']:,} GEXF nodes, {best['anki']['count']:,} Anki notes")
        for part, name in (("gexf", "srs export_gexf"), ("anki", "srs export_anki")):
            run = best[part]
            print(
                f"  {name}   {run['seconds']:7.2f} s   peak RSS {min(r['peak_mib'] for r in runs[part]):7.1f} MiB   "
                f"{run['bytes'] / (1 << 20):6.1f} MiB file"
            )
        gexf, anki = best["gexf"], best["anki"]
        peak = {part: min(r["peak_mib"] for r in runs[part]) for part in runs}
        paired = statistics.median(g["seconds"] / a["seconds"] for g, a in zip(runs["gexf"], runs["anki"], strict=True))
        print(
            f"  ratio (GEXF / Anki): time {gexf['seconds'] / anki['seconds']:.2f} (median of the rounds' own ratios "
            f"{paired:.2f}, CPU {min(r['cpu'] for r in runs['gexf']) / min(r['cpu'] for r in runs['anki']):.2f}), "
            f"peak memory {peak['gexf'] / peak['anki']:.2f}"
        )


if __name__ == "__main__":
    main()

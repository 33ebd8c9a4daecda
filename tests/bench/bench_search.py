"""Benchmark of `srs search` on a large deck, beside reading every node's searched text.

    PYTHONPATH=. python tests/bench/bench_search.py [--nodes 100000] [--rounds 3]

Imports a synthetic tree of --nodes nodes (`synth.write_gexf`: every definition is made of a
dozen common words, so a word matches most of the deck) into a temporary SQLite database, then
times `srs search` for a word most nodes hold, two such words, and a word none holds (the best
of --rounds each), beside a bare select of every node's label, definition, example and notes in
the same run. Also times the ranking with an excerpt made for every match instead of for the
nodes listed alone. This file is not collected by pytest (tests/bench is in norecursedirs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from synth import timed, write_gexf  # noqa: E402

from srs.core.search import match, search_words  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.service.importing import import_file  # noqa: E402
from srs.service.search import search_deck  # noqa: E402
from srs.storage import decks, search  # noqa: E402
from srs.storage.tables import nodes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = Env(url=f"sqlite:///{folder}/srs.sqlite3", seed_bundled=False)
        import_file(env, write_gexf(Path(folder) / "deck.gexf", args.nodes), None)

        def bare() -> int:
            with env.connection() as conn:
                columns = (nodes.c.label, nodes.c.definition, nodes.c.example, nodes.c.notes)
                return len(conn.execute(select(*columns)).all())

        base, _ = timed(bare, args.rounds)
        print(f"{args.nodes:,} nodes; every node's searched text read: {base * 1000:.0f} ms")
        for text in ("circuit", "model data", "nothing-like-it"):
            took, found = timed(lambda text=text: search_deck(env, None, text, 20), args.rounds)
            print(
                f"  srs search {text!r:18} {took * 1000:6.0f} ms  ({took / base:.1f}x)  "
                f"{len(found.hits) + found.more:,} nodes match"
            )
        words = search_words("circuit")
        with env.connection() as conn:
            rows = search.matching_nodes(conn, decks.find_deck(conn, None, env.learner_id), words)
        every, _ = timed(lambda: sorted((m.tier, n.rank) for n in rows if (m := match(words, n))), args.rounds)
        print(f"  ranking {len(rows):,} matches with an excerpt for each: {every * 1000:.0f} ms")
        env.close()


if __name__ == "__main__":
    main()

"""Benchmark of the linter's search for nearly the same definitions, beside comparing every pair.

    PYTHONPATH=. python tests/bench/bench_lint.py [--rounds 1]

Definitions of 12 to 40 words drawn from a 20,000-word vocabulary with Zipf's law (as words are
in text), one in fifty a near copy of another. At 1k and 3k definitions, times
`similar_pairs` (prefix filtering) beside every pair compared, and checks that both find the
same pairs; at 10k, times `similar_pairs` and the whole `lint` of a tree of them, and
`lint` of `synth.write_gexf`'s deck (every definition made of the same 14 words: the worst case,
bounded by `CANDIDATES_PER_WORD`). This file is not collected by pytest (tests/bench is in
norecursedirs).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import timed, write_gexf  # noqa: E402

from srs.core.graph import Concept, RawEdge, assemble  # noqa: E402
from srs.core.lint import lint  # noqa: E402
from srs.core.lint.map_rules import ALIKE, content_words, similar_pairs  # noqa: E402
from srs.readers import read_deck  # noqa: E402

VOCABULARY = [f"w{i}" for i in range(20_000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def definitions(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        if i and i % 50 == 0:  # a near copy: one word of an earlier definition changed
            words = out[rng.randrange(i)].split()
            words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
        else:
            words = rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(12, 40))
        out.append(" ".join(words))
    return out


def every_pair(sets) -> list[tuple[int, int, float]]:
    found = []
    for j, b in enumerate(sets):
        for i in range(j):
            a = sets[i]
            alike = len(a & b) / len(a | b)
            if alike >= ALIKE:
                found.append((i, j, alike))
    return sorted(found)


def tree(texts: list[str]):
    concepts = [Concept(f"n{i}", f"Concept {i}", text) for i, text in enumerate(texts)]
    return assemble(concepts, [RawEdge(f"n{(i - 1) // 8}", f"n{i}") for i in range(1, len(texts))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    for n in (1_000, 3_000):
        sets = [content_words(text) for text in definitions(n)]
        fast, pairs = timed(lambda sets=sets: similar_pairs(sets), args.rounds)
        slow, every = timed(lambda sets=sets: every_pair(sets), args.rounds)
        assert pairs == every, "prefix filtering missed a pair"
        print(
            f"{n:>7,} definitions: similar_pairs {fast * 1000:7.0f} ms, every pair {slow * 1000:7.0f} ms "
            f"({slow / fast:.0f}x), {len(pairs)} pairs"
        )
    for n in (10_000,):
        texts = definitions(n)
        sets = [content_words(text) for text in texts]
        fast, pairs = timed(lambda sets=sets: similar_pairs(sets), args.rounds)
        # Every pair grows with n²: its time at 3k scaled up, not measured.
        print(f"{n:>7,} definitions: similar_pairs {fast * 1000:7.0f} ms, {len(pairs)} pairs")
        graph = tree(texts)
        took, found = timed(lambda graph=graph: lint(graph), args.rounds)
        print(f"{n:>7,} nodes: lint {took * 1000:7.0f} ms, {len(found):,} findings")
    with tempfile.TemporaryDirectory() as folder:
        graph = read_deck(write_gexf(Path(folder) / "deck.gexf", 10_000))
        took, found = timed(lambda: lint(graph), args.rounds)
        print(f" 10,000 nodes of 14 words (synth.write_gexf): lint {took * 1000:7.0f} ms, {len(found):,} findings")


if __name__ == "__main__":
    main()

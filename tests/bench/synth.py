"""Synthetic concept graphs for benchmarks: a tree of N nodes, written as GEXF."""

from __future__ import annotations

import random
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

WORDS = [
    "model",
    "data",
    "compute",
    "scaling",
    "law",
    "loss",
    "token",
    "layer",
    "head",
    "circuit",
    "feature",
    "gradient",
    "batch",
    "device",
]


def write_gexf(path: Path, n: int, fanout: int = 8, seed: int = 1) -> Path:
    """A breadth-first tree of `n` nodes, each with a short definition, in GEXF 1.2draft.

    1.2draft so that networkx reads it on every Python: networkx 3.4 (Python 3.10) reads no 1.3.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n')
        f.write('<graph defaultedgetype="directed" mode="static">\n')
        f.write(
            '<attributes class="node" mode="static">'
            '<attribute id="definition" title="definition" type="string"/></attributes>\n<nodes>\n'
        )
        for i in range(n):
            definition = " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."
            f.write(
                f'<node id="n{i}" label="Concept {i}">'
                f'<attvalues><attvalue for="definition" value={quoteattr(definition)}/></attvalues></node>\n'
            )
        f.write("</nodes>\n<edges>\n")
        for i in range(1, n):
            f.write(f'<edge id="e{i}" source="n{(i - 1) // fanout}" target="n{i}"/>\n')
        f.write("</edges>\n</graph>\n</gexf>\n")
    return path


def timed(fn, repeat=1):
    """The best time of `repeat` calls of `fn`, and its last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result

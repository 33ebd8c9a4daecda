"""The rules that compare nodes: definitions a learner cannot tell apart, siblings' labels that
differ only in case or punctuation, and the map's shape (grouping nodes, single children)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from srs.core.cards import mask
from srs.core.graph import ConceptGraph
from srs.core.lint.findings import Finding, finding
from srs.core.lint.words import STOP_WORDS, WORD, stem

ALIKE = 0.75
"""Least Jaccard similarity of two definitions' sets of content words (stems, stop words left
out) for them to count as nearly the same."""


def check(graph: ConceptGraph) -> Iterator[Finding]:
    """The findings that compare nodes with one another, or read the map's shape."""
    yield from duplicates(graph)
    yield from alike_siblings(graph)
    yield from shape(graph)


# -- definitions nearly the same --------------------------------------------------------------


def normalised(text: str) -> str:
    """A definition as two are compared for sameness: its words in lower case, one space apart."""
    return " ".join(WORD.findall(text.casefold()))


def content_words(text: str) -> frozenset[str]:
    """The stems of a definition's words, stop words left out."""
    return frozenset(stem(w) for w in WORD.findall(text) if w.casefold() not in STOP_WORDS)


CANDIDATES_PER_WORD = 32
"""Most definitions one word brings in as candidates: a word that many definitions hold says
little about any two of them, and a deck whose definitions all share their words (a generated
one) would otherwise compare every pair."""


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float = ALIKE) -> list[tuple[int, int, float]]:
    """The pairs (i, j, similarity), i < j, of `sets` at least `threshold` alike by Jaccard.

    Prefix filtering rather than every pair (tests/bench/bench_lint.py: 3k definitions in 0.07 s,
    not 12 s; 10k in 0.5 s): with each set's words ordered rarest first, two sets `threshold`
    alike share a word among the first |s| - ceil(threshold·|s|) + 1 of either, so only sets
    sharing such a word are compared; each word brings in `CANDIDATES_PER_WORD` of them at most.
    """
    frequency = Counter(word for words in sets for word in words)
    index: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[int, int, float]] = []
    for j, words in enumerate(sets):
        if not words:
            continue
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(words) - math.ceil(threshold * len(words)) + 1]
        seen: set[int] = set()
        for word in prefix:
            for i in index[word]:
                if i in seen:
                    continue
                seen.add(i)
                other = sets[i]
                # Jaccard >= t needs the smaller set at least t times the larger.
                if min(len(other), len(words)) < threshold * max(len(other), len(words)):
                    continue
                alike = len(other & words) / len(other | words)
                if alike >= threshold:
                    found.append((i, j, alike))
            if len(index[word]) < CANDIDATES_PER_WORD:
                index[word].append(j)
    return sorted(found)


def _more(count: int) -> str:
    return f" and {count} more" if count else ""


def duplicates(graph: ConceptGraph) -> Iterator[Finding]:
    """Each node whose definition another node has too (L301), or nearly (L302), naming the first
    such node (the most alike, for L302) and how many more there are."""
    keys = [key for key in graph.parents_first() if graph.concepts[key].definition.strip()]
    concepts = graph.concepts
    same: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        same[normalised(concepts[key].definition)].append(key)
    for group in same.values():
        for key in group:
            if len(group) > 1:
                other = group[1] if key == group[0] else group[0]
                yield finding(
                    "L301",
                    key,
                    concepts[key].label,
                    f"the same definition as {concepts[other].label!r} ({other}){_more(len(group) - 2)}",
                )
    # One node of each group of the same definition stands for it among the nearly same.
    firsts = [group[0] for group in same.values()]
    sets = [content_words(concepts[key].definition) for key in firsts]
    near: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for i, j, alike in similar_pairs(sets):
        near[firsts[i]].append((-alike, j, firsts[j]))
        near[firsts[j]].append((-alike, i, firsts[i]))
    for key in firsts:
        if key in near:
            best, _, other = min(near[key])
            yield finding(
                "L302",
                key,
                concepts[key].label,
                f"nearly the same definition as {concepts[other].label!r} ({other}): {-best:.0%} of their words "
                f"alike{_more(len(near[key]) - 1)}",
            )


# -- siblings ---------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")


def alike_siblings(graph: ConceptGraph) -> Iterator[Finding]:
    """Each child whose label an earlier child of the same parent has, but for case and punctuation."""
    concepts = graph.concepts
    for parent in graph.parents_first():
        met: dict[str, str] = {}
        for child in graph.children.get(parent, ()):
            label = concepts[child].label
            folded = _NOT_ALNUM.sub("", label.casefold())
            if not folded:
                continue
            first = met.setdefault(folded, child)
            if first != child:
                yield finding(
                    "L303",
                    child,
                    label,
                    f"its label differs from its sibling {concepts[first].label!r} ({first}) "
                    "only in case or punctuation",
                )


# -- the map's shape --------------------------------------------------------------------------

LIST_GLUE = frozenset(
    [
        "include",
        "includes",
        "including",
        "included",
        "cover",
        "covers",
        "covering",
        "comprise",
        "comprises",
        "comprising",
        "consist",
        "consists",
        "consisting",
        "such",
        "like",
        "e",
        "g",
        "eg",
        "i",
        "e",
        "ie",
        "namely",
        "etc",
        "various",
        "several",
        "different",
        "main",
        "key",
        "kinds",
        "kind",
        "types",
        "type",
        "parts",
        "part",
        "topics",
        "topic",
        "concepts",
        "concept",
        "areas",
        "area",
        "aspects",
        "aspect",
        "branches",
        "branch",
        "ideas",
        "idea",
        "notions",
        "umbrella",
        "term",
        "grouping",
        "group",
        "groups",
        "family",
        "families",
        "both",
        "also",
        "all",
        "this",
        "these",
        "two",
        "three",
        "four",
        "five",
        "six",
    ]
)
"""Words a definition that only lists things uses around the list ("covers X, Y and Z")."""

MOST_LEFT = 2
"""Most words (beside stop words and `LIST_GLUE`) a definition that lists its children keeps
once their labels are taken out, to count as only listing them."""


def shape(graph: ConceptGraph) -> Iterator[Finding]:
    """Grouping nodes (L401), chains of single children (L402) and branches of one node (L403)."""
    concepts, children = graph.concepts, graph.children
    for key in graph.parents_first():
        concept = concepts[key]
        kids = children.get(key, ())
        if len(kids) >= 2 and concept.definition.strip():
            labels = [concepts[k].label for k in kids]
            named = [label for label in labels if mask(concept.definition, (label,)) != concept.definition]
            left = [
                w
                for w in WORD.findall(mask(concept.definition, labels))
                if w.casefold() not in STOP_WORDS and w.casefold() not in LIST_GLUE
            ]
            if len(named) >= 2 and len(left) <= MOST_LEFT:
                yield finding(
                    "L401",
                    key,
                    concept.label,
                    f"the definition only lists its children ({', '.join(named)}): a grouping node, which its "
                    "children card teaches; say what they have in common, or leave the definition out",
                )
        if len(kids) != 1:
            continue
        parents = graph.parents.get(key, ())
        if parents and len(children.get(parents[0], ())) == 1 and len(parents) == 1:
            continue  # the chain is reported at its top
        chain = [key]
        while len(children.get(chain[-1], ())) == 1 and len(chain) <= len(concepts):
            chain.append(children[chain[-1]][0])
        if len(chain) > 2:
            path = " › ".join(concepts[k].label for k in chain)
            yield finding(
                "L402",
                key,
                concept.label,
                f"a chain of single children: {path}; merge levels or give them siblings",
            )
        else:
            only = concepts[chain[1]]
            yield finding(
                "L403",
                key,
                concept.label,
                f"a branch of one node: its only child is {only.label!r} ({only.key}), so it has no children card; "
                "merge the two or give the child siblings",
            )

"""The rules that read one node with what its cards show: circular text, a missing or badly
sized definition, a definition that leans on its place in the map."""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.core.cards import mask
from srs.core.graph import ConceptGraph
from srs.core.lint.findings import Finding, finding
from srs.core.lint.words import WORD, named_in

SHORTEST = 12
"""Fewest words a definition should have: below it, a card's answer says too little to check."""
LONGEST = 45
"""Most words a definition should have: above it, a card's answer is too long to recall."""

_LEANING = re.compile(
    r"\b(?:"
    # a phrase pointing at what the map shows around the card
    r"the above|see above|(?:listed|described|mentioned|shown) (?:above|below)|here|"
    r"the former|the latter|aforementioned|as mentioned|"
    r"(?:this|the) (?:map|node|branch|section|topic|category|chapter|list)|"
    # "this approach", "these laws", "such a formula": a thing named elsewhere
    r"(?:this|these|such(?: an?)?) (?:approach|approaches|method|methods|idea|ideas|concept|concepts|technique|"
    r"techniques|law|laws|formula|formulas|formulae|conjecture|hypothesis|hypotheses|claim|claims|view|views|"
    r"position|argument|arguments|result|results|effect|effects|trend|trends|phenomenon|phenomena|paper|papers|"
    r"framework|one|ones|kind|kinds|work)|"
    # "the conjecture" without a clause of its own saying which one
    r"the (?:conjecture|hypothesis|formula|law|approach|theorem|thesis)(?! (?:that|of|which|whereby|where|stating|"
    r"by|for|in which|to|from)\b)(?!-)"
    r")\b",
    flags=re.IGNORECASE,
)
"""Phrases that point outside the card: to the map around it, or to a thing named elsewhere."""


_QUOTED = re.compile(r"(?<!\w)(['‘\"“])[^'‘’\"“”]+['’\"”](?!\w)")
"""Quoted words (`'a curve is here'`): what they say is not the definition's own pointing."""


def check(graph: ConceptGraph) -> Iterator[Finding]:
    """The findings of every node of `graph` that need only the node and its cards."""
    for key in graph.parents_first():
        yield from _node(graph, key)


def _node(graph: ConceptGraph, key: str) -> Iterator[Finding]:
    concept = graph.concepts[key]
    label, definition = concept.label, concept.definition
    if not definition.strip():
        yield finding("L201", key, label, "no definition: the node gets a placement card only")
    else:
        gives = named_in(definition, label)
        if gives:
            yield finding("L101", key, label, f"the definition names the term: {gives!r}")
        count = len(WORD.findall(definition.replace("-", " ")))
        if count < SHORTEST or count > LONGEST:
            yield finding(
                "L202",
                key,
                label,
                f"the definition has {count} word{'s' * (count != 1)} "
                f"(a card's answer reads best in {SHORTEST} to {LONGEST})",
            )
        leaning = _LEANING.search(_QUOTED.sub(" ", definition))
        if leaning:
            yield finding("L203", key, label, f"the definition leans on its place in the map: {leaning.group()!r}")
    if concept.example.strip():
        gives = named_in(concept.example, label)
        if gives:
            yield finding("L102", key, label, f"the example names the term: {gives!r}")
    yield from _breadcrumb(graph, key)


def _breadcrumb(graph: ConceptGraph, key: str) -> Iterator[Finding]:
    """What a children card's breadcrumb (the labels above the node along first parents) still
    gives away once the card has masked the children's labels in it: a child named by a word
    derived from its label, its acronym or the acronym spelled out. (A definition card's front
    shows its term anyway, so its breadcrumb naming the term gives nothing away.)"""
    children = [graph.concepts[k].label for k in graph.children.get(key, ())]
    if len(children) < 2:
        return
    label = graph.concepts[key].label
    for upper in (graph.concepts[k].label for k in graph.path(key)[:-1]):
        shown = mask(upper, children)
        for child in children:
            gives = named_in(shown, child)
            if gives:
                yield finding(
                    "L103", key, label, f"the children card's breadcrumb {upper!r} names the child {child!r}: {gives!r}"
                )
                return

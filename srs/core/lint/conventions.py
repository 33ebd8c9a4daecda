"""The rules that read the deck as a whole: one spelling convention and one way of writing
numbers throughout. Each node that follows the deck's less used convention is reported, with
the one the deck mostly uses (a tie: the one met first in the map's order is "mostly used")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from srs.core.graph import ConceptGraph
from srs.core.lint.findings import Finding, finding

_ISE_ONLY = frozenset(
    [
        "adv",
        "dev",
        "rev",
        "superv",
        "telev",
        "improv",
        "conc",
        "prec",
        "exc",
        "inc",
        "circumc",
        "desp",
        "chast",
        "merchand",
        "franch",
        "treat",
        "parad",
        "dem",
        "repr",
        "appr",
        "compr",
        "surpr",
        "enterpr",
        "exerc",
        "expert",
        "prem",
        "prom",
        "comprom",
        "mort",
        "clockw",
        "otherw",
        "likew",
    ]
)
"""Stems of words spelt -ise in every convention (advise, precise, expertise, ...)."""
_IZE_ONLY = frozenset(["caps", "res", "overs", "downs", "ups"])
"""Stems of words spelt -ize in every convention (capsize, resize, ...)."""

_IZE = re.compile(r"\b([a-z]{3,}?)(is|iz)(e|es|ed|ing|er|ers|ation|ations|ational)\b", re.IGNORECASE)
_YZE = re.compile(r"\b(anal|paral|catal|electrol|hydrol|dial)y(s|z)(e|ed|ing|er|ers)\b", re.IGNORECASE)
_OUR = re.compile(
    r"\b(colo|behavio|favo|hono|labo|neighbo|flavo|humo|harbo|rumo|vapo|vigo|endeavo|savo|armo|odo|tumo|rigo|valo|"
    r"cando|ardo|demeano|parlo)(u?)r(s|ed|ing|al|ally|ful|ite|ites|able|ably|hood|hoods|less)?\b",
    re.IGNORECASE,
)
_LL = re.compile(
    r"\b(model|label|travel|cancel|signal|fuel|level|tunnel|channel|marshal)(l?)(ed|ing|er|ers)\b", re.IGNORECASE
)


def _ize(match: re.Match[str]) -> str | None:
    stem = match.group(1).casefold()
    if stem[-1] in "aeiouwy" or stem in _ISE_ONLY or stem in _IZE_ONLY:
        return None
    return "-ize" if match.group(2).casefold() == "iz" else "-ise"


_SPELLINGS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    ("-ize or -ise", _IZE, _ize),
    ("-yze or -yse", _YZE, lambda m: "-yze" if m.group(2).casefold() == "z" else "-yse"),
    ("-or or -our", _OUR, lambda m: "-our" if m.group(2) else "-or"),
    ("-l- or -ll-", _LL, lambda m: "-ll-" if m.group(2) else "-l-"),
]
"""Each spelling choice: its name, the words it shows in, and which way a word goes (None: a
word spelt alike in every convention)."""

_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_NUMBERS: list[tuple[str, list[tuple[str, re.Pattern[str]]]]] = [
    (
        "powers of ten",
        [
            ("10^24", re.compile(r"\b10\s*(?:\^|\*\*)\s*\{?[-−]?\d+")),
            ("1e24", re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][-+]?\d+\b")),
            ("10²⁴", re.compile(rf"\b10[⁻{_SUPERSCRIPT}]*[{_SUPERSCRIPT}]")),
        ],
    ),
    (
        "thousands",
        [
            ("1,000", re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)")),
            # Four digits from 1900 to 2099 read as a year (`1980s` too), not as a number to group.
            ("1000", re.compile(r"(?<![\w.,^])(?!(?:19|20)\d\ds?\b)\d{4,}(?![\w,.]*\d)")),
        ],
    ),
    (
        "large numbers",
        [
            ("billion", re.compile(r"\b\d+(?:\.\d+)?\s*(?:thousand|million|billion|trillion)\b", re.IGNORECASE)),
            ("B", re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?[KMBT]\b")),
        ],
    ),
]
"""Each number notation choice: its name, and each way of writing it (as the message shows it)
with the pattern that finds it."""


def _texts(graph: ConceptGraph, key: str) -> str:
    concept = graph.concepts[key]
    return "\n".join((concept.label, concept.definition, concept.example))


def check(graph: ConceptGraph) -> Iterator[Finding]:
    """Each node that writes a word or a number by a convention the deck uses less than another."""
    order = graph.parents_first()
    texts = {key: _texts(graph, key) for key in order}
    for name, pattern, way in _SPELLINGS:
        uses: dict[str, dict[str, str]] = {}  # convention -> node key -> the first word so spelt
        for key in order:
            for match in pattern.finditer(texts[key]):
                convention = way(match)
                if convention is not None:
                    uses.setdefault(convention, {}).setdefault(key, match.group())
        yield from _minority(
            graph, "L501", name, uses, "{word!r} is spelt with {convention}; the deck mostly uses {mostly}"
        )
    for name, notations in _NUMBERS:
        uses = {}
        for key in order:
            for notation, pattern in notations:
                number = pattern.search(texts[key])
                if number:
                    uses.setdefault(notation, {}).setdefault(key, number.group())
        yield from _minority(
            graph, "L502", name, uses, "{word!r} is written like {convention}; the deck mostly writes {mostly}"
        )


def _minority(
    graph: ConceptGraph, code: str, name: str, uses: dict[str, dict[str, str]], said: str
) -> Iterator[Finding]:
    if len(uses) < 2:
        return
    # Most nodes first; a tie goes to the convention met first (dicts keep that order).
    ranked = sorted(uses, key=lambda c: -len(uses[c]))
    mostly = ranked[0]
    for convention in ranked[1:]:
        for key, word in uses[convention].items():
            yield finding(
                code,
                key,
                graph.concepts[key].label,
                said.format(word=word, convention=convention, mostly=mostly) + f" ({len(uses[mostly])} nodes, {name})",
            )

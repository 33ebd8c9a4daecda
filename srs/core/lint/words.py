"""Words as the linter compares them: tokens, a small suffix-stripping stemmer, and whether a
text names a term (itself, a word derived from it, its acronym or the acronym spelled out).

The stemmer strips an inflectional or derivational ending, twice at most, where three letters at
least remain (`scaling`, `scaled`, `scales`, `scaler` -> `scal`; `computational`, `computing`
-> `comput`), then
a final silent `e` (`scale` -> `scal`, `compute` -> `comput`) and a doubled last consonant
(`scaling` vs `scalling`). It never cuts a stem below three letters, and it compares whole
words, so `law` matches `laws` but not `lawn` or `outlaw`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word: letters and digits, with an apostrophe inside (`model's`); hyphens split words."""

_COMPOUND = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
"""A word with its hyphenated parts (`floating-point`), as an acronym spells it."""

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "of",
        "on",
        "or",
        "per",
        "the",
        "their",
        "to",
        "via",
        "with",
    ]
)
"""Small words an acronym may skip or take a letter from (`MoE`: Mixture of Experts), and that
never start or end one."""

_SUFFIXES = sorted(
    [
        "ations",
        "ation",
        "ings",
        "ing",
        "ities",
        "ity",
        "isms",
        "ism",
        "ists",
        "ist",
        "ments",
        "ment",
        "ness",
        "ers",
        "er",
        "ed",
        "es",
        "s",
        "izes",
        "ized",
        "izing",
        "ises",
        "ised",
        "ising",
        "ize",
        "ise",
        "ally",
        "al",
        "ly",
        "ive",
        "ives",
        "ic",
        "ics",
    ],
    key=len,
    reverse=True,
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word's stem, in lower case (see the module's docstring for the rule)."""
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for _ in range(2):  # `computational` -> `computation` -> `comput`
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of `text`, as written."""
    return WORD.findall(text)


def stems(text: str) -> list[str]:
    """The stems of the words of `text`, in order."""
    return [stem(word) for word in WORD.findall(text)]


def acronym_like(word: str) -> bool:
    """Whether a word reads as an acronym: one word of letters (digits after them allowed), at
    least two of them capitals, and a plural `s` at most in lower case beside them (`FLOPs`,
    `MoE`, `LLM`, `GPT`)."""
    letters = re.sub(r"\d+$", "", word)
    return len(letters) >= 2 and letters.isalpha() and sum(ch.isupper() for ch in letters) >= 2 and letters[0].isupper()


class Term(NamedTuple):
    """What a label is known by: its phrases (as stems) and its acronyms."""

    phrases: tuple[tuple[str, ...], ...]
    """Each phrase of the label as a sequence of stems: the label without any parenthesis, and
    the parenthesis's content where it is not an acronym."""
    acronyms: tuple[str, ...]
    """The label's acronyms, as written: the label itself (`FLOPs`), its parenthesis (`MoE`) or
    a word of it (`GPT` in GPT Series)."""


_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\s*")


@lru_cache(maxsize=65536)
def term_of(label: str) -> Term:
    """The phrases and acronyms of a label: `Mixture of Experts (MoE)` is known by the phrase
    `mixture of experts` and the acronym `MoE`."""
    inside = [part.strip() for part in _PARENTHESIS.findall(label)]
    outside = _PARENTHESIS.sub(" ", label).strip()
    phrases: list[tuple[str, ...]] = []
    acronyms: list[str] = []
    for part in [outside, *inside]:
        found = words(part)
        if not found:
            continue
        # The label's acronym, or one among its words (`GPT` of GPT Series): spelling it out
        # gives that much of the answer away.
        acronyms.extend(word for word in found if acronym_like(word))
        phrases.append(tuple(stem(w) for w in found))
    return Term(tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(acronyms)))


def _letters(acronym: str) -> str:
    """An acronym's letters to spell, in lower case, without a plural `s` (`FLOPs` -> `flop`)."""
    letters = re.sub(r"\d+$", "", acronym)
    if len(letters) > 2 and letters.endswith("s") and letters[-2].isupper():
        letters = letters[:-1]
    return letters.casefold()


def _spells(letters: str, compounds: Sequence[list[str]], start: int) -> int:
    """How many compounds from `start` spell `letters`, at most; 0 where they do not. Each compound
    gives a prefix of its first part (one to three letters; a stop word may give none), the later
    parts of a hyphenated compound a prefix or nothing; the first and last compounds are no stop
    words, and two compounds at least give letters (one word alone spells nothing)."""
    if compounds[start][0].casefold() in STOP_WORDS:
        return 0
    best = 0

    def match(at: int, index: int, giving: int) -> None:
        # `at`: letters spelled so far; `index`: the compound to take letters from next.
        nonlocal best
        if at == len(letters):
            if giving >= 2 and compounds[index - 1][0].casefold() not in STOP_WORDS:
                best = max(best, index - start)
            return
        if index >= len(compounds) or index - start > len(letters) + 3:
            return
        parts = [p.casefold() for p in compounds[index]]
        for taken in _takes(letters, at, parts):
            match(taken, index + 1, giving + 1)
        if parts[0] in STOP_WORDS and index > start:
            match(at, index + 1, giving)

    match(0, start, 0)
    return best


def _takes(letters: str, at: int, parts: list[str]) -> list[int]:
    """Where the spelling stands after one compound's parts give their prefixes, longest first."""
    ends: list[int] = []

    def take(part_index: int, pos: int, required: bool) -> None:
        if part_index == len(parts):
            ends.append(pos)
            return
        part = parts[part_index]
        if not required:
            take(part_index + 1, pos, False)
        for n in range(1, min(3, len(part)) + 1):
            if letters[pos : pos + n] == part[:n]:
                take(part_index + 1, pos + n, False)

    take(0, at, True)
    return sorted({end for end in ends if end > at}, reverse=True)


def spelled_out(acronym: str, text: str) -> str:
    """The words of `text` that spell out `acronym` (`floating-point operations` for FLOPs), or ''."""
    letters = _letters(acronym)
    if len(letters) < 2:
        return ""
    matches = list(_COMPOUND.finditer(text))
    compounds = [re.split(r"[-‐‑]", m.group()) for m in matches]
    for start, compound in enumerate(compounds):
        if not compound[0] or compound[0][0].casefold() != letters[0]:
            continue
        length = _spells(letters, compounds, start)
        if length:
            return text[matches[start].start() : matches[start + length - 1].end()]
    return ""


_ACRONYM_CANDIDATE = re.compile(r"\b[A-Z][a-z]*[A-Z][A-Za-z]*\d*\b")
"""Words with two capitals at least, the only ones `acronym_like` can accept (found in one pass)."""


@lru_cache(maxsize=65536)
def named_in(text: str, label: str) -> str:
    """Where `text` names the term `label`: the words as written that give it away (the label
    itself or a word derived from it, its acronym, its acronym spelled out, or an acronym in
    `text` that the label spells out), or '' where it does not."""
    term = term_of(label)
    found = list(WORD.finditer(text))
    if not found:
        return ""
    text_stems = [stem(m.group()) for m in found]
    present = set(text_stems)
    for phrase in term.phrases:
        if not all(part in present for part in phrase):
            continue
        n = len(phrase)
        for i in range(len(text_stems) - n + 1):
            if text_stems[i] == phrase[0] and tuple(text_stems[i : i + n]) == phrase:
                return text[found[i].start() : found[i + n - 1].end()]
    for acronym in term.acronyms:
        spelled = spelled_out(acronym, text)
        if spelled:
            return spelled
    phrase_text = _PARENTHESIS.sub(" ", label).strip()
    if not term.acronyms and (" " in phrase_text or "-" in phrase_text):
        # An acronym in the text that the label spells out (`FLOPs` for Floating-Point Operations).
        for word in _ACRONYM_CANDIDATE.findall(text):
            if acronym_like(word) and spelled_out(word, phrase_text).casefold() == phrase_text.casefold():
                return word
    return ""

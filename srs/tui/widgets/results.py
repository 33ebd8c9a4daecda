"""How a chunk or a session went: counts, grades and time, as text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.text import Text

from srs.core.sm2 import GRADE_MEANINGS
from srs.service.study import Answer
from srs.tui.text import duration, plural

BAR_WIDTH = 20
"""Width of the longest bar of the grade chart, in cells."""


def answer_line(answers: list[Answer]) -> Text:
    """`8 cards (3 new) · 11 answers, 3 drills · 2m 14s`."""
    cards = len({a.card_id for a in answers})
    new = sum(1 for a in answers if a.first_time)
    drills = sum(1 for a in answers if a.drill)
    spent = sum(a.duration_ms for a in answers)
    text = Text.assemble((plural(cards, "card"), "bold"))
    if new:
        text.append(f" ({new} new)")
    text.append(f" · {plural(len(answers), 'answer')}")
    if drills:
        text.append(f", {plural(drills, 'drill')}")
    text.append(f" · {duration(spent)}")
    if cards:
        text.append(f" ({duration(spent // len(answers))} an answer)")
    return text


def grade_chart(grades: Iterable[int]) -> Text:
    """One line per grade, best first: the key, its meaning, a bar and the count."""
    counts = Counter(grades)
    most = max(counts.values(), default=0)
    lines = []
    width = max(len(m) for m in GRADE_MEANINGS.values())
    for grade in sorted(GRADE_MEANINGS, reverse=True):
        count = counts.get(grade, 0)
        bar = "█" * (round(count / most * BAR_WIDTH) if most else 0)
        if count and not bar:
            bar = "▏"
        line = Text.assemble((f" {grade} ", "bold"), f"{GRADE_MEANINGS[grade]:<{width}} ", (bar, "bold"), f" {count}")
        if not count:
            line.stylize("dim")
        lines.append(line)
    return Text("\n").join(lines)

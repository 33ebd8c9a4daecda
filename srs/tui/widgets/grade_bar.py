"""The lines under a card that say what the keys do: reveal first, then grades 0 to 5."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from srs.core.sm2 import GRADE_MEANINGS

GAP = 1


class GradeBar(Widget):
    """Before the answer shows: how to show it. After: each grade key with its meaning, in
    as many columns as fit (three at 80 columns)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"grade-bar--key"}

    revealed: reactive[bool] = reactive(False)

    def render(self) -> Text:
        key = self.get_component_rich_style("grade-bar--key", partial=True)
        if not self.revealed:
            return Text.assemble((" space ", key), " show the answer, then grade how well you knew it")
        cell = max(len(m) for m in GRADE_MEANINGS.values()) + 4
        columns = max(1, min(3, (self.size.width + GAP) // (cell + GAP)))
        text = Text()
        for index, (grade, meaning) in enumerate(GRADE_MEANINGS.items()):
            if index:
                text.append("\n" if index % columns == 0 else " " * GAP)
            text.append(f" {grade} ", key)
            text.append(f" {meaning}".ljust(cell - 3))
        return text

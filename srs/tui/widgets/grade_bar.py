"""The lines under a card that say what the keys do: reveal first, then grades 0 to 5, each with
when it brings the card back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from srs.core.sm2 import GRADE_MEANINGS
from srs.core.text import days_text

GAP = 1


class GradeBar(Widget):
    """Before the answer shows: how to show it. After: each grade key with its meaning, in as
    many columns as fit (three at 80 columns), and, where the three columns have room for it
    (101 columns on), when that grade brings the card back (`today`, `6 d`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"grade-bar--key"}

    revealed: reactive[bool] = reactive(False)
    days_to_next: tuple[int, ...] = ()
    """Per grade, in how many days the card comes back (none known: meanings alone)."""

    def render(self) -> Text:
        key = self.get_component_rich_style("grade-bar--key", partial=True)
        if not self.revealed:
            return Text.assemble((" space ", key), " show the answer, then grade how well you knew it")
        width = self.size.width
        when = [days_text(days) for days in self.days_to_next] if self._with_days(width) else []
        columns = self._columns(width, bool(when))
        meaning_width = max(len(m) for m in GRADE_MEANINGS.values()) + 1
        text = Text()
        for index, (grade, meaning) in enumerate(GRADE_MEANINGS.items()):
            if index:
                text.append("\n" if index % columns == 0 else " " * GAP)
            text.append(f" {grade} ", key)
            text.append(f" {meaning}".ljust(meaning_width))
            if when:
                text.append(f" {when[grade]:>6}", "bold")
        return text

    @staticmethod
    def _cell(with_days: bool) -> int:
        """Columns one grade takes: its key, its meaning, and when it brings the card back."""
        return 3 + max(len(m) for m in GRADE_MEANINGS.values()) + 1 + (7 if with_days else 0)

    def _columns(self, width: int, with_days: bool) -> int:
        return max(1, min(3, (width + GAP) // (self._cell(with_days) + GAP)))

    def _with_days(self, width: int) -> bool:
        # Only beside all three columns: a third row of grades would take a row from the card.
        return bool(self.days_to_next) and self._columns(width, True) == 3

    def get_content_height(self, container, viewport, width: int) -> int:
        # The grades' height before the answer shows too, so the card does not move on reveal.
        return -(-len(GRADE_MEANINGS) // self._columns(width, self._with_days(width)))

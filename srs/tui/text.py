"""Deck text on screen: always literal, never markup, never terminal control codes.

A deck is data written by someone else (or by a language model). A definition that contains
`[bold]` must show those eight characters, and one that contains an escape sequence must not
move the cursor or change colours. Every piece of deck text reaches a widget through `literal`,
which returns a `rich.text.Text` (never parsed as markup) with control characters made visible
by the core's `clean`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.style import StyleType
from rich.text import Text

from srs.core.text import clean
from srs.core.text import duration as duration  # re-exported: the screens import them from here
from srs.core.text import plural as plural

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.widget import Widget

SEPARATOR = " › "
"""Between the labels of a breadcrumb."""


def literal(text: str, style: StyleType = "", *, one_line: bool = False) -> Text:
    """Deck text as a `Text` shown exactly as written (see `clean`), in `style`."""
    return Text(clean(text, one_line=one_line), style=style)


def tell(
    where: App[Any] | Widget, message: str, severity: SeverityLevel = "information", timeout: float | None = None
) -> None:
    """A notification from the app, a screen or a widget, its text shown literally (it may quote deck text)."""
    where.notify(clean(message, one_line=True), severity=severity, timeout=timeout, markup=False)


def breadcrumb(labels: Iterable[str], style: StyleType = "") -> Text:
    """Labels from the root down, joined by ›, as literal text."""
    return Text(SEPARATOR.join(clean(label, one_line=True) for label in labels), style=style)


def day_name(day: date | None, today: date) -> str:
    """A due date relative to today: `today`, `tomorrow`, `in 6 days`, `3 days overdue`."""
    if day is None:
        return "not scheduled"
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "1 day overdue"
    if delta < 0:
        return f"{-delta} days overdue"
    return f"in {delta} days"


def short_date(day: date, today: date) -> str:
    """`Tue 24 Nov`, with the year when it is not today's year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"

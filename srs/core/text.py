"""Deck text made safe to show: control characters replaced by visible stand-ins.

A deck is data written by someone else (or by a language model). Whatever prints it, the
terminal app, the command line or an export, passes it through `clean` first, so an escape
sequence in a definition can never move the cursor, change colours or reach the clipboard.
Counts and times are said in words here too (`plural`, `duration`), alike in every front end.
"""

from __future__ import annotations

import re

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 control characters as their Unicode "control pictures": ESC becomes ␛, NUL ␀."""

_VISIBLE = {**_C0_PICTURES, 0x7F: "\u2421"}
_VISIBLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls have no pictures
_VISIBLE.pop(ord("\n"))
_VISIBLE[ord("\t")] = " "

_ONE_LINE = {**_VISIBLE, ord("\n"): " "}


def clean(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in (ESC by ␛).

    Line breaks are kept (CR LF and CR become LF) unless `one_line`, which turns them into spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_ONE_LINE if one_line else _VISIBLE)


# -- counts and times in words (the command line and the app say them alike) ----------------


def plural(count: int, word: str, words: str | None = None) -> str:
    """`3 cards`, `1 card`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def duration(ms: int) -> str:
    """A time span for people: `45s`, `2m 14s`, `1h 05m`."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def days_text(days: int) -> str:
    """An interval in days as a grade key shows it: `today`, `6 d`, `3.5 mo`, `1.2 y`."""
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days} d"
    if days < 365:
        return f"{days / 30.4:.1f} mo"
    return f"{days / 365.25:.1f} y"


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 (and so GEXF, and the HTML of an Anki field) cannot hold: C0 controls other than
tab, line feed and carriage return; lone surrogates; the non-characters U+FFFE and U+FFFF."""


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by the stand-in `clean` shows
    (ESC by ␛, NUL by ␀; a lone surrogate, U+FFFE or U+FFFF by �); all else kept as it is."""
    return _NOT_IN_XML.sub(_stand_in, text)


def _stand_in(match: re.Match) -> str:
    return _VISIBLE.get(ord(match.group()), "\ufffd")

"""Names close to one that matches nothing, for an error's "did you mean ...?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SUGGESTIONS = 3
"""How many close names an error offers at most."""

CUTOFF = 0.6
"""How alike (difflib's ratio, 0 to 1) a name must be to be offered: difflib's own default."""


def closest(name: str, candidates: Iterable[str], n: int = SUGGESTIONS) -> list[str]:
    """The names among `candidates` most like `name`, ignoring case, the closest first."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    return [by_lower[match] for match in difflib.get_close_matches(name.lower(), by_lower, n=n, cutoff=CUTOFF)]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'A'?` (or `'A' or 'B'`, `'A', 'B' or 'C'`) for the names closest to `name`;
    empty when none is close."""
    found = [repr(match) for match in closest(name, candidates)]
    if not found:
        return ""
    listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} or {found[-1]}"
    return f"; did you mean {listed}?"

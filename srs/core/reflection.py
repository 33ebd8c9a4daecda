"""Reflecting on a branch: the Socratic prompt under a branch's own card, and the rules of a
journal entry.

A branch's definition card (the card of a node that has children) can end with one question to
think over, not graded: what the concept represents, why it matters for the whole, how it
connects to its parent and its children, what would change without it. Which one is asked turns
with the card's review count, so that successive reviews ask different ones.

The prompt names the concepts from the card's own content: the root of its path, its parent, its
children. Those names are deck text, returned as plain strings; each front end shows them as
data (`srs.core.text.clean`).
"""

from __future__ import annotations

from srs.core.cards import CardContent, CardKind
from srs.core.text import clean
from srs.errors import SrsError

PROMPTS = ("represents", "matters", "connects", "changes")
"""The four questions, in the order successive reviews ask them."""

NAMED_CHILDREN = 3
"""How many children a prompt names before `and N more`."""

JOURNAL_QUESTION = "What did this branch teach you?"
"""What the end of a branch session asks, for its journal."""

JOURNAL_LENGTH = 1000
"""The longest journal entry, in characters: one line of reflection, not an essay."""


class JournalError(SrsError):
    """A journal entry that cannot be kept (empty, or too long)."""


def _names(labels: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`, `A, B, C and 2 more`."""
    shown = labels[:NAMED_CHILDREN]
    more = len(labels) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def prompt_kind(reviews: int) -> str:
    """Which of `PROMPTS` a card asks after `reviews` earlier reviews: each in turn."""
    return PROMPTS[reviews % len(PROMPTS)]


def socratic_prompt(content: CardContent, reviews: int) -> str | None:
    """The question a branch's definition card asks after its answer, given the card's review
    count before this review; None for any other card (a leaf's, a children or placement card).
    """
    if content.kind != CardKind.DEFINITION.value or not content.children:
        return None
    term = content.term
    children = _names([child.label for child in content.children])
    parent = content.parent.label if content.parent is not None else None
    root = content.path[0] if content.path else None
    kind = prompt_kind(reviews)
    if kind == "represents":
        return f"What does {term} represent, in your own words, beyond its definition?"
    if kind == "matters":
        if root is not None and root != parent:
            return f"Why does {term} matter for {root} as a whole, and not only for {parent}?"
        if root is not None:
            return f"Why does {term} matter for {root} as a whole?"
        return f"Why does {term} matter as the whole that {children} belong to?"
    if kind == "connects":
        if parent is not None:
            return f"How does {term} connect {parent} above it to {children} below it?"
        return f"How do {children} connect to {term}, and to each other?"
    if parent is not None:
        return f"If {term} changed or were absent, what would change for {parent}, and for {children}?"
    return f"If {term} changed or were absent, what would become of {children}?"


def journal_text(text: str) -> str:
    """A journal entry as it is kept: one line (line breaks as spaces), trimmed, a control
    character as its stand-in (`clean`: ESC as ␛), as a typed edit is; a `JournalError` for an
    empty or overlong one."""
    line = clean(text, one_line=True).strip()
    if not line:
        raise JournalError("a journal entry needs some text")
    if len(line) > JOURNAL_LENGTH:
        raise JournalError(f"a journal entry is at most {JOURNAL_LENGTH} characters, not {len(line)}")
    return line

"""Leeches: cards the learner keeps failing, and what the graph suggests about each.

A card whose lapses reach the learner's `leech_threshold` is a leech (as in Anki): a sign that
the card, or the context it is learned in, needs work. `is_leech` is that rule, the one every
front end and the storage's `leeches.is_leech` condition follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from srs.core.answer import Schedule
from srs.core.cards import names
from srs.core.mastery import CardState


def is_leech(lapses: int, threshold: int) -> bool:
    """Whether a card that has lapsed `lapses` times is a leech: its lapses reached `threshold`."""
    return lapses >= threshold


def made_leech(before: Schedule, after: Schedule, threshold: int) -> bool:
    """Whether an answer that took a card from `before` to `after` made it a leech: the lapse
    that reached the threshold, not any later one."""
    return is_leech(after.lapses, threshold) and not is_leech(before.lapses, threshold)


@dataclass(frozen=True)
class LeechRule:
    """What the learner's settings say about leeches, as an answer applies them."""

    threshold: int
    """The lapses from which a card is a leech (`leech_threshold`)."""
    suspend: bool = False
    """Suspend a card when an answer makes it a leech (`leech_suspend`)."""

    def suspends(self, before: Schedule, after: Schedule) -> bool:
        """Whether the answer from `before` to `after` suspends the card (and so whether taking
        it back lifts that suspension)."""
        return self.suspend and made_leech(before, after, self.threshold)


NOT_LEARNED = (CardState.NEW, CardState.LEARNING)
"""The states of a card not learned yet: never reviewed, or held under six days."""


@dataclass(frozen=True)
class FailedBeside:
    """A sibling answered below 3 on days the leech lapsed."""

    label: str
    days: int
    """The days on which both happened."""


@dataclass(frozen=True)
class LeechHints:
    """What the graph suggests about one leech."""

    parents_not_learned: tuple[tuple[str, CardState], ...] = ()
    """Each parent (label, state) whose definition card is not learned yet: the leech is learned
    before what it sits under."""
    failed_beside: tuple[FailedBeside, ...] = ()
    """The siblings failed on the days the leech lapsed, most such days first: the two may be
    confused with each other."""
    names_itself: bool = False
    """The node's definition names its own term: it may explain the term by itself."""

    def __bool__(self) -> bool:
        return bool(self.parents_not_learned or self.failed_beside or self.names_itself)


def leech_hints(
    term: str,
    definition: str,
    parents: Iterable[tuple[str, CardState]],
    failed_siblings: Iterable[tuple[str, int]],
) -> LeechHints:
    """The hints for the leech of the node `term` defined as `definition`, from the states of its
    parents' definition cards (label, state) and its siblings with the days each was failed on a
    day the leech lapsed (label, days), in the parent's order."""
    failed = sorted((FailedBeside(label, days) for label, days in failed_siblings if days), key=lambda f: -f.days)
    return LeechHints(
        parents_not_learned=tuple((label, state) for label, state in parents if state in NOT_LEARNED),
        failed_beside=tuple(failed),
        names_itself=bool(definition) and names(definition, term),
    )

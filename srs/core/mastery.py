"""Card states and mastery: one definition of each, shared by the tree colours, the statistics
and the GEXF export."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

YOUNG_FROM = 6
"""Interval, in days, from which a reviewed card counts as young rather than learning."""
MATURE_FROM = 21
"""Interval, in days, from which a card counts as mature."""


class CardState(str, Enum):
    NEW = "new"
    LEARNING = "learning"
    YOUNG = "young"
    MATURE = "mature"
    RETIRED = "retired"


def card_state(reviews: int, interval: int, retired: bool = False) -> CardState:
    """The state of a card that has had `reviews` reviews and holds `interval` days."""
    if retired:
        return CardState.RETIRED
    if reviews == 0:
        return CardState.NEW
    if interval >= MATURE_FROM:
        return CardState.MATURE
    if interval >= YOUNG_FROM:
        return CardState.YOUNG
    return CardState.LEARNING


def card_mastery(state: CardState, interval: int) -> float:
    """A card's share of mastery: 1 when mature, interval/21 when young, else 0."""
    if state is CardState.MATURE:
        return 1.0
    if state is CardState.YOUNG:
        return interval / MATURE_FROM
    return 0.0


def mean(values: Iterable[float]) -> float:
    """The mean of `values`, 0.0 for none."""
    total, count = 0.0, 0
    for value in values:
        total += value
        count += 1
    return total / count if count else 0.0


def node_mastery(cards: Iterable[tuple[CardState, int]]) -> float:
    """A node's mastery, 0..1: the mean over its live cards of `card_mastery`."""
    return mean(card_mastery(s, i) for s, i in cards if s is not CardState.RETIRED)

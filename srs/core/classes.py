"""A class's view of a deck: how the learners who share it are doing on each node, and which
nodes the class finds hardest. Pure: the figures come in, the ranking goes out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HARDEST = 10
"""How many of the hardest nodes the class view names."""


@dataclass(frozen=True)
class ClassNode:
    """One node, as the whole class stands on it."""

    key: str
    label: str
    learners: int
    """The learners with cards of the node: the class."""
    studied: int
    """Those of them who answered one of its cards at least once."""
    mastery: float
    """The mean over the class of each learner's mastery of the node (`node_mastery`), 0..1."""
    reviews: int
    lapses: int
    """Reviews and lapses of the node's cards, every learner's together."""

    @property
    def lapse_rate(self) -> float | None:
        """Lapses per review; None before any review."""
        return self.lapses / self.reviews if self.reviews else None


def hardest(found: Iterable[ClassNode], limit: int = HARDEST) -> list[ClassNode]:
    """The nodes the class finds hardest, hardest first: those with a lapse, by lapse rate, then
    by more lapses, then by lower mastery (the order they were given breaks ties)."""
    lapsed = [node for node in found if node.lapses]
    return sorted(lapsed, key=lambda node: (-(node.lapse_rate or 0.0), -node.lapses, node.mastery))[:limit]

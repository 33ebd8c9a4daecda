"""Cards about a pair of nodes: which pairs get one, and what each shows.

Two kinds, each identified by (node, kind, partner):

- `contrast`: two sibling nodes (sharing a parent) the learner confuses, because both lapsed on
  one learner's day (a lapse: the day's first answer below 3 to a card answered on an earlier
  day; the first answer of a new card is learning it, not confusing it), or because the learner
  said so after an answer below 3 ("confused with ..."). Front:
  "How does X differ from Y?". Back: both definitions. The pair is in a canonical order (the
  lower node id first), so X/Y and Y/X are one card.
- `relation`: a link of the graph outside the hierarchy that says what it is (its kind, such as
  `causes`). Front: "How does A relate to B?". Back: the link, `A — causes → B`, and both
  definitions. The pair keeps the link's direction.

Pure: the caller passes in the day, the lapses and the parents it read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from srs.core.cards import PAIR_KINDS, CardContent
from srs.errors import SrsError

CONTRAST, RELATION = PAIR_KINDS

UNLABELLED_LINKS = frozenset({"hierarchy", "link"})
"""Edge kinds that say nothing of a link: the tree's own edges, and a link the file gave no kind
(stored as `link`). Every other kind makes a relation card."""


class NotSiblingsError(SrsError):
    """A node named as confused with another that is not its sibling."""


Pair = tuple[int, int]
"""(node, partner) of a pair card, by node id."""


def contrast_pair(a: int, b: int) -> Pair:
    """The canonical order of a contrast pair: the lower node id first."""
    return (a, b) if a < b else (b, a)


def are_siblings(a: int, b: int, parents: Mapping[int, Collection[int]]) -> bool:
    """Whether two distinct nodes share a parent."""
    return a != b and bool(set(parents.get(a, ())) & set(parents.get(b, ())))


@dataclass(frozen=True)
class Lapse:
    """A lapse: a node's own card, answered on an earlier day, whose first answer of the
    learner's `day` was below 3."""

    node: int
    day: date


def contrasts_after(
    lapse: Lapse,
    lapses: Iterable[Lapse],
    parents: Mapping[int, Collection[int]],
    today: date,
    existing: Collection[Pair] = (),
) -> list[Pair]:
    """The contrast pairs a lapse of `today` makes: with each sibling of its node (`parents` says
    who they are) that lapsed on the same day too, less the pairs in `existing` (a pair gets one
    card, ever). A lapse of another day makes none."""
    if lapse.day != today:
        return []
    found: dict[Pair, None] = {}
    for other in lapses:
        if other.day == today and are_siblings(lapse.node, other.node, parents):
            pair = contrast_pair(lapse.node, other.node)
            if pair not in existing:
                found[pair] = None
    return list(found)


def confusion(node: int, other: int, parents: Mapping[int, Collection[int]], labels: Mapping[int, str]) -> Pair:
    """The contrast pair of a node and the one the learner says it was confused with; a
    `NotSiblingsError` when they are not siblings."""
    if not are_siblings(node, other, parents):
        raise NotSiblingsError(
            f"{labels.get(other, other)!r} is not a sibling of {labels.get(node, node)!r}: "
            "a node can be confused only with another child of its parent"
        )
    return contrast_pair(node, other)


@dataclass(frozen=True)
class Side:
    """One node of a pair as its card shows it."""

    label: str
    definition: str = ""
    example: str = ""


def contrast_content(x: Side, y: Side, path: tuple[str, ...]) -> CardContent:
    """A contrast card's content; `path` is the breadcrumb down to the shared parent."""
    return CardContent(
        kind=CONTRAST,
        term=x.label,
        question=f"How does {x.label} differ from {y.label}?",
        path=path,
        definition=x.definition,
        example=x.example,
        partner=y.label,
        partner_definition=y.definition,
    )


def relation_content(a: Side, b: Side, link: str, path: tuple[str, ...]) -> CardContent:
    """A relation card's content: the link from `a` to `b` that `link` names; `path` is `a`'s
    breadcrumb."""
    return CardContent(
        kind=RELATION,
        term=a.label,
        question=f"How does {a.label} relate to {b.label}?",
        path=path,
        definition=a.definition,
        example=a.example,
        partner=b.label,
        partner_definition=b.definition,
        link=link,
    )

"""One node as the learner looks it up: its place, neighbours and notes, and each of its cards
as it shows and where it stands. The app's detail pane and `srs show` both draw this.

Every function opens one transaction through `srs.storage` and returns frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from srs.core.cards import CardContent, Neighbour, gloss
from srs.core.leech import is_leech
from srs.core.mastery import CardState
from srs.env import Env
from srs.storage import answers, decks, queue


@dataclass(frozen=True)
class CardSchedule:
    """One card of a node: what it shows and where it stands."""

    kind: str
    state: CardState
    easiness: float
    interval: int
    due: date | None
    reviews: int
    lapses: int
    last_grades: tuple[int, ...]
    """The latest answers first, drills included."""
    content: CardContent
    """What the card shows, as the graph stands now."""
    leech: bool = False
    """Its lapses reached the learner's `leech_threshold`."""


@dataclass(frozen=True)
class NodeDetail:
    """Everything the detail pane (and `srs show`) shows about one node."""

    id: int
    key: str
    """The node's id in its map file."""
    label: str
    path: tuple[str, ...]
    """Labels from the root down to the node itself."""
    definition: str
    example: str
    notes: str
    mnemonic: str
    parents: tuple[Neighbour, ...]
    siblings: tuple[Neighbour, ...]
    children: tuple[Neighbour, ...]
    cards: tuple[CardSchedule, ...]
    retired: bool
    """Gone from the deck's file, kept with its history: out of the hierarchy and of every queue."""


def load_node(env: Env, node_id: int) -> NodeDetail:
    """A node with its neighbourhood, notes and cards. Raises `NotFoundError` for a node gone."""
    with env.connection() as conn:
        return _detail(conn, decks.get_node(conn, node_id), env.config.leech_threshold.value)


def find_node(env: Env, deck_name: str | None, name: str) -> NodeDetail:
    """The node `name` (a node id, label or label path) of the deck, with all `load_node` gives;
    a retired node (by its id or label) where no live node matches, with its retired cards.

    Raises `NotFoundError` / `AmbiguousError` for a deck or node that is not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name)
        return _detail(conn, decks.find_node(conn, deck, name, retired=True), env.config.leech_threshold.value)


def _detail(conn, node, leech_threshold: int) -> NodeDetail:
    cards = queue.node_cards(conn, node, include_retired=node.retired)
    grades = answers.last_grades(conn, [card.id for card in cards])
    path = decks.node_path(conn, node)
    parents, siblings, children = decks.node_neighbours(conn, node)
    graph = decks.around(node, path, parents, siblings, children)
    return NodeDetail(
        id=node.id,
        key=node.key,
        label=node.label,
        path=tuple(n.label for n in path),
        definition=node.definition,
        example=node.example,
        notes=node.notes,
        mnemonic=node.mnemonic,
        parents=tuple(_related(n) for n in parents),
        siblings=tuple(_related(n) for n in siblings),
        children=tuple(_related(n) for n in children),
        cards=tuple(
            CardSchedule(
                card.kind,
                queue.state_of(card),
                card.easiness / 100,
                card.interval,
                card.due,
                card.reviews,
                card.lapses,
                grades[card.id],
                queue.content_in(card, node, graph),
                is_leech(card.lapses, leech_threshold),
            )
            for card in cards
        ),
        retired=node.retired,
    )


def _related(node) -> Neighbour:
    return Neighbour(node.label, gloss(node.definition))

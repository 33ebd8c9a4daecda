"""The leeches of a deck or a branch, for `srs leeches`: the cards the learner keeps failing, most
lapses first, each with what the graph suggests (`srs.core.leech.leech_hints`)."""

from __future__ import annotations

from dataclasses import dataclass

from srs.core.leech import LeechHints, leech_hints
from srs.core.mastery import CardState
from srs.env import Env
from srs.storage import decks, leeches, queue


@dataclass(frozen=True)
class Leech:
    """A card whose lapses reached the threshold, and the hints about it."""

    key: str
    """Its node's id in its map file."""
    label: str
    path: tuple[str, ...]
    """Labels from the root down to the node itself."""
    kind: str
    state: CardState
    lapses: int
    reviews: int
    suspended: bool
    hints: LeechHints


@dataclass(frozen=True)
class DeckLeeches:
    """The leeches of a deck, or of a branch of it."""

    deck: str
    branch: str | None
    """The branch's label; None for the whole deck."""
    threshold: int
    """The lapses from which a card is a leech (`leech_threshold`)."""
    leeches: tuple[Leech, ...]


def find_leeches(env: Env, deck_name: str | None, branch: str | None = None) -> DeckLeeches:
    """The leeches of the deck (or of `branch` and below), suspended ones included, most lapses
    first, each with its hints: its parents' definition cards not learned yet, the siblings
    failed on the days it lapsed, a definition that names its own term.

    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    threshold = env.config.leech_threshold.value
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        found = leeches.leech_cards(conn, deck, threshold, node)
        node_ids = list(dict.fromkeys(card.node_id for card in found))
        paths = decks.node_paths(conn, node_ids)
        neighbours = decks.nodes_neighbours(conn, node_ids)
        parents_of = {node_id: parents for node_id, (parents, _, _) in neighbours.items()}
        siblings_of = {node_id: siblings for node_id, (_, siblings, _) in neighbours.items()}
        parent_cards = leeches.definition_cards(conn, {p.id for ps in parents_of.values() for p in ps}, deck.learner_id)
        lapsed = leeches.lapse_days(conn, [card.id for card in found])
        failed = leeches.failed_days(
            conn,
            {s.id for ss in siblings_of.values() for s in ss},
            {day for days in lapsed.values() for day in days},
            deck.learner_id,
        )
    listed = []
    for card in found:
        hints = leech_hints(
            card.label,
            card.definition,
            [(p.label, queue.state_of(parent_cards[p.id])) for p in parents_of[card.node_id] if p.id in parent_cards],
            [(s.label, len(failed[s.id] & lapsed[card.id])) for s in siblings_of[card.node_id]],
        )
        listed.append(
            Leech(
                key=card.node_key,
                label=card.label,
                path=tuple(n.label for n in paths[card.node_id]),
                kind=card.kind,
                state=queue.state_of(card),
                lapses=card.lapses,
                reviews=card.reviews,
                suspended=bool(card.suspended),
                hints=hints,
            )
        )
    return DeckLeeches(deck.name, node.label if node else None, threshold, tuple(listed))

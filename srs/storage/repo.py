"""What still reads through the ORM, on its way to the Core modules beside it: decks by name
(`get_deck`, `find_node`, wrappers of `decks.find_deck` and `decks.find_node`) and the cards an
export writes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from srs.storage import decks, scope
from srs.storage.models import Card, Deck, Node

# -- decks ------------------------------------------------------------------------------------


def get_deck(session: Session, name: str | None = None) -> Deck:
    """The deck called `name`; without a name, the only deck there is (see `decks.find_deck`)."""
    return session.get_one(Deck, decks.find_deck(session, name).id)


# -- finding nodes ----------------------------------------------------------------------------


def find_node(session: Session, deck: Deck, name: str) -> Node:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    return session.get_one(Node, decks.find_node(session, deck, name).id)


# -- export -----------------------------------------------------------------------------------


def _exported_cards(deck: Deck, branch: Node | None):
    return [*scope.cards_of(deck, branch, suspended=True), Node.retired.is_(False)]


def exported_cards(
    session: Session, deck: Deck, branch: Node | None = None
) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The live cards of a deck (or of `branch` and below), node by node in rank order:
    (node key, [(card kind, suspended), ...]), suspended cards included."""
    statement = (
        select(Node.key, Card.kind, Card.suspended)
        .join(Node, Node.id == Card.node_id)
        .where(*_exported_cards(deck, branch))
        .order_by(Node.rank, Node.id, Card.rank, Card.id)
    )
    nodes: list[tuple[str, list[tuple[str, bool]]]] = []
    for key, kind, suspended in session.connection().execute(statement):
        if not nodes or nodes[-1][0] != key:
            nodes.append((key, []))
        nodes[-1][1].append((kind, bool(suspended)))
    return nodes

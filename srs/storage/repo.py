"""What still reads through the ORM, on its way to the Core modules beside it: decks by name
(`get_deck`, `find_node`, wrappers of `decks.find_deck` and `decks.find_node`) and the cards an
export writes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from srs.storage import decks
from srs.storage.models import Deck, Node

# -- decks ------------------------------------------------------------------------------------


def get_deck(session: Session, name: str | None = None) -> Deck:
    """The deck called `name`; without a name, the only deck there is (see `decks.find_deck`)."""
    return session.get_one(Deck, decks.find_deck(session, name).id)


# -- finding nodes ----------------------------------------------------------------------------


def find_node(session: Session, deck: Deck, name: str) -> Node:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    return session.get_one(Node, decks.find_node(session, deck, name).id)

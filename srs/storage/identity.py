"""How this database's things are known in another: its device id, and a card by what it is
about rather than by row id.

Row ids are this database's own: another device numbers its cards and answers its own way. An
answer is known everywhere by its event id (`reviews.event_id`); a card by (learner's name, deck
name, node key, card kind, partner key), the names every device imported from the same file.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves the
transaction to its caller.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select

from srs.storage.tables import DEVICE_KEY, cards, decks, learners, meta, nodes, reviews

ANKI_DEVICE = "anki"
"""The device of a review given in Anki and brought back by `srs import-reviews`."""


def device_id(conn) -> str:
    """This database's device id (made once, kept in `meta`)."""
    return conn.execute(select(meta.c.value).where(meta.c.key == DEVICE_KEY)).scalar_one()


def find_card(
    conn, learner: int, deck_name: str, node_key: str, kind: str, partner_key: str | None = None
) -> Row | None:
    """The learner's card of deck `deck_name` about node `node_key` (and `partner_key`, for a
    card about a pair) of kind `kind`, retired or not; None when this database has no such card."""
    node = nodes.alias("node")
    partner = nodes.alias("partner")
    statement = (
        select(cards)
        .join(decks, decks.c.id == cards.c.deck_id)
        .join(node, node.c.id == cards.c.node_id)
        .outerjoin(partner, partner.c.id == cards.c.partner_id)
        .where(cards.c.learner_id == learner, decks.c.name == deck_name, node.c.key == node_key, cards.c.kind == kind)
    )
    if partner_key is None:
        statement = statement.where(cards.c.partner_id.is_(None))
    else:
        statement = statement.where(partner.c.key == partner_key)
    return conn.execute(statement).first()


def pair_keys(conn, deck_id: int, learner: int) -> list[tuple[str, str, str]]:
    """Every pair card of the learner's of the deck, retired ones too, by what identifies it
    anywhere: (kind, the node's key, the partner's key)."""
    node = nodes.alias("node")
    partner = nodes.alias("partner")
    return [
        (row.kind, row.node_key, row.partner_key)
        for row in conn.execute(
            select(cards.c.kind, node.c.key.label("node_key"), partner.c.key.label("partner_key"))
            .join(node, node.c.id == cards.c.node_id)
            .join(partner, partner.c.id == cards.c.partner_id)
            .where(cards.c.deck_id == deck_id, cards.c.learner_id == learner)
        )
    ]


def held_events(conn, event_ids: Iterable[str]) -> set[str]:
    """Those of `event_ids` already in the log."""
    wanted = list(event_ids)
    held: set[str] = set()
    for start in range(0, len(wanted), 500):  # within every database's limit of bound values
        chunk = wanted[start : start + 500]
        held.update(conn.scalars(select(reviews.c.event_id).where(reviews.c.event_id.in_(chunk))))
    return held


CardKey = tuple[str, str, str, str, str | None]
"""A card as every copy of the database knows it: (learner's name, deck name, node key, card
kind, partner key or None)."""


def card_keys(conn) -> dict[int, CardKey]:
    """Every card of the database (retired ones too) by row id: what it is known as elsewhere."""
    node = nodes.alias("node")
    partner = nodes.alias("partner")
    return {
        row.id: (row.learner, row.deck, row.node_key, row.kind, row.partner_key)
        for row in conn.execute(
            select(
                cards.c.id,
                learners.c.name.label("learner"),
                decks.c.name.label("deck"),
                node.c.key.label("node_key"),
                cards.c.kind,
                partner.c.key.label("partner_key"),
            )
            .join(learners, learners.c.id == cards.c.learner_id)
            .join(decks, decks.c.id == cards.c.deck_id)
            .join(node, node.c.id == cards.c.node_id)
            .outerjoin(partner, partner.c.id == cards.c.partner_id)
        )
    }


def node_ids(conn) -> dict[tuple[str, str], int]:
    """Every node of the database by (deck name, node key): how a node is known elsewhere."""
    return {
        (deck, key): node_id
        for node_id, deck, key in conn.execute(
            select(nodes.c.id, decks.c.name, nodes.c.key).join(decks, decks.c.id == nodes.c.deck_id)
        )
    }


def renew_device_id(conn) -> str:
    """Give this database a new device id (a copy of another's, which had the same): the events
    it records from now on are known as this device's; those recorded before keep theirs."""
    from srs.storage.db import new_device_id  # deferred: db imports the tables this module does

    device = new_device_id()
    conn.execute(meta.update().where(meta.c.key == DEVICE_KEY).values(value=device))
    return device

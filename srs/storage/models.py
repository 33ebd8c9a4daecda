"""The tables of `srs.storage.tables` as SQLAlchemy 2.x typed ORM classes.

The command line, imports, exports and the concept map work through these; a study session's
reads and writes use the tables directly (`srs.storage.queue`, `srs.storage.answers`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from srs.storage import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Meta(Base):
    __table__ = tables.meta
    key: Mapped[str]
    value: Mapped[str]


class Deck(Base):
    __table__ = tables.decks
    id: Mapped[int]
    name: Mapped[str]
    source: Mapped[str]
    root_key: Mapped[str]
    imported_at: Mapped[datetime | None]
    new_per_day: Mapped[int]
    reviews_per_day: Mapped[int]

    nodes: Mapped[list[Node]] = relationship(back_populates="deck", cascade="all, delete-orphan", passive_deletes=True)


class Node(Base):
    __table__ = tables.nodes
    id: Mapped[int]
    deck_id: Mapped[int]
    key: Mapped[str]
    label: Mapped[str]
    definition: Mapped[str]
    example: Mapped[str]
    notes: Mapped[str]
    mnemonic: Mapped[str]
    color: Mapped[str | None]
    attrs: Mapped[dict[str, Any]]
    depth: Mapped[int]
    rank: Mapped[int]
    retired: Mapped[bool]

    deck: Mapped[Deck] = relationship(back_populates="nodes")
    cards: Mapped[list[Card]] = relationship(back_populates="node", cascade="all, delete-orphan", passive_deletes=True)


class Edge(Base):
    __table__ = tables.edges
    id: Mapped[int]
    deck_id: Mapped[int]
    parent_id: Mapped[int]
    child_id: Mapped[int]
    kind: Mapped[str]
    position: Mapped[int]


class Card(Base):
    __table__ = tables.cards
    id: Mapped[int]
    deck_id: Mapped[int]
    node_id: Mapped[int]
    kind: Mapped[str]
    rank: Mapped[int]
    easiness: Mapped[int]
    repetitions: Mapped[int]
    interval: Mapped[int]
    due: Mapped[date | None]
    reviews: Mapped[int]
    lapses: Mapped[int]
    last_day: Mapped[date | None]
    last_grade: Mapped[int | None]
    suspended: Mapped[bool]
    retired: Mapped[bool]

    node: Mapped[Node] = relationship(back_populates="cards")


class Review(Base):
    __table__ = tables.reviews
    id: Mapped[int]
    deck_id: Mapped[int]
    card_id: Mapped[int]
    at: Mapped[datetime]
    day: Mapped[date]
    grade: Mapped[int]
    duration_ms: Mapped[int]
    drill: Mapped[bool]
    easiness_before: Mapped[int]
    repetitions_before: Mapped[int]
    interval_before: Mapped[int]
    due_before: Mapped[date | None]
    lapses_before: Mapped[int]
    last_day_before: Mapped[date | None]
    last_grade_before: Mapped[int | None]
    easiness_after: Mapped[int]
    repetitions_after: Mapped[int]
    interval_after: Mapped[int]
    due_after: Mapped[date | None]

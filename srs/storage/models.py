"""The tables, as SQLAlchemy 2.x typed ORM classes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key-value facts about the database itself, such as its schema version."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Deck(Base):
    """One imported concept graph."""

    __tablename__ = "decks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(Text, default="")
    root_key: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)

    nodes: Mapped[list["Node"]] = relationship(back_populates="deck", cascade="all, delete-orphan", passive_deletes=True)


class Node(Base):
    """A concept of a deck. Retired nodes (gone from the file) keep their cards and history."""

    __tablename__ = "nodes"
    __table_args__ = (UniqueConstraint("deck_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(500))
    label: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    mnemonic: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[Optional[str]] = mapped_column(String(9))
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    rank: Mapped[int] = mapped_column(Integer, default=0)
    """Position in the deck's breadth-first order: new cards are introduced by it."""
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    deck: Mapped[Deck] = relationship(back_populates="nodes")
    cards: Mapped[list["Card"]] = relationship(back_populates="node", cascade="all, delete-orphan", passive_deletes=True)


class Edge(Base):
    """A parent->child edge of the hierarchy (kind 'hierarchy') or another link between nodes."""

    __tablename__ = "edges"
    # child_id in the parent index: walking down the hierarchy (subtree queries, the statistics'
    # branch table) then reads the index alone.
    __table_args__ = (Index("ix_edges_parent", "parent_id", "kind", "child_id"), Index("ix_edges_child", "child_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(100), default="hierarchy")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Card(Base):
    """One question about one node, with its SM-2 schedule. Identity: (node, kind).

    What the card shows is built from the node's neighbourhood when it is shown
    (`repo.card_content`), so editing a node's text is one row, whatever shows it.
    """

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("node_id", "kind"),
        # Due cards in the order a session takes them, with what every queue filters on: the
        # first 200 due cards and the forecast come off this index alone (schema 2).
        Index("ix_cards_due", "deck_id", "due", "rank", "suspended", "retired", "reviews"),
        Index("ix_cards_new", "deck_id", "suspended", "reviews", "rank"),
        Index("ix_cards_last_day", "deck_id", "last_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer, default=0)
    easiness: Mapped[int] = mapped_column(Integer, default=250)
    """SM-2's easiness factor in whole hundredths (250 is 2.5)."""
    repetitions: Mapped[int] = mapped_column(Integer, default=0)
    interval: Mapped[int] = mapped_column(Integer, default=0)
    due: Mapped[Optional[date]] = mapped_column(Date)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    last_day: Mapped[Optional[date]] = mapped_column(Date)
    """The learner's day of the card's last answer (review or drill)."""
    last_grade: Mapped[Optional[int]] = mapped_column(Integer)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    """Out of every queue: set by the learner, or because the card's node or kind is gone."""
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    """The node or the card's kind is gone from the graph; the history stays."""

    node: Mapped[Node] = relationship(back_populates="cards")


class Review(Base):
    """One answer, appended to the log and never changed (undo removes the last one)."""

    __tablename__ = "reviews"
    __table_args__ = (
        # The statistics read the log through these three alone (each holds every column they
        # count), so a screen over a million answers reads index ranges, never table rows: a
        # deck's log by day and by grade, a branch's card by card.
        Index("ix_reviews_card", "card_id", "day", "drill", "grade", "interval_before", "duration_ms"),
        Index("ix_reviews_deck_day", "deck_id", "day", "drill", "interval_before", "duration_ms"),
        Index("ix_reviews_deck_grade", "deck_id", "drill", "grade", "interval_before"),
        Index("ix_reviews_day", "day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    """The card's deck, kept on the answer so a deck's log is read without its cards."""
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When the answer was given, in UTC."""
    day: Mapped[date] = mapped_column(Date)
    """The learner's day it counts for."""
    grade: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    drill: Mapped[bool] = mapped_column(Boolean, default=False)
    """A same-day repeat (SM-2 step 7): logged, moves nothing."""
    easiness_before: Mapped[int] = mapped_column(Integer)
    repetitions_before: Mapped[int] = mapped_column(Integer)
    interval_before: Mapped[int] = mapped_column(Integer)
    due_before: Mapped[Optional[date]] = mapped_column(Date)
    lapses_before: Mapped[int] = mapped_column(Integer)
    last_day_before: Mapped[Optional[date]] = mapped_column(Date)
    last_grade_before: Mapped[Optional[int]] = mapped_column(Integer)
    easiness_after: Mapped[int] = mapped_column(Integer)
    repetitions_after: Mapped[int] = mapped_column(Integer)
    interval_after: Mapped[int] = mapped_column(Integer)
    due_after: Mapped[Optional[date]] = mapped_column(Date)

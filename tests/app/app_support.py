"""What the app tests share: the fixed time, the fixture deck, a hand-moved timer, and ways
to read the database and the screen back. (A module of its own, with a name no other test
folder uses, so the tests can import it whatever else pytest has loaded.)"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import dateutil.tz
from sqlalchemy import select

from srs.core.day import Clock
from srs.env import Env
from srs.readers import read_deck
from srs.storage import answers, importing
from srs.storage.tables import cards, nodes, reviews

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
"""Monday 23 November 2026, noon UTC: the learner's day is the 23rd."""
DECK = "Scaling Hypothesis"


def fixed_clock() -> Clock:
    return Clock(now=lambda: NOW, tz=dateutil.tz.UTC)


class Timer:
    """A stand-in for `time.monotonic` that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def import_deck(env: Env, path: Path, name: str | None = None) -> None:
    graph = read_deck(path)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, name or graph.label(graph.root), graph, str(path), env.clock.now())


def answer_on(env: Env, label: str, day: str, *grades: int, kind: str = "definition") -> None:
    """Answer a node's card on an earlier learner day, as a past session would have."""
    when = date.fromisoformat(day)
    with env.connection(write=True) as conn:
        card_id = conn.scalar(
            select(cards.c.id)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == kind)
        )
        for grade in grades:
            answers.record_answer(
                conn, card_id, grade, datetime(when.year, when.month, when.day, 12, tzinfo=timezone.utc), when, 4000
            )


class Look:
    """What the tests read back: the database (as plain values) and the screen (as text)."""

    def __init__(self, env: Env) -> None:
        self.env = env

    @staticmethod
    def screen(app) -> str:
        """The characters on the app's screen, one line per row, as the compositor draws them."""
        return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

    @staticmethod
    def words(app, selector: str) -> str:
        """The visible text inside one widget of the screen, wrapped lines joined by a space."""
        region = app.screen.query_one(selector).scrollable_content_region
        strips = app.screen._compositor.render_strips()
        lines = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
        return " ".join(" ".join(lines).split())

    def node_id(self, label: str) -> int:
        with self.env.connection() as conn:
            return conn.scalar(select(nodes.c.id).where(nodes.c.label == label))

    def card(self, label: str, kind: str = "definition") -> dict:
        """A card's schedule."""
        with self.env.connection() as conn:
            card = conn.execute(
                select(cards)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .where(nodes.c.label == label, cards.c.kind == kind)
            ).first()
            return {
                "easiness": card.easiness,
                "repetitions": card.repetitions,
                "interval": card.interval,
                "due": card.due,
                "reviews": card.reviews,
                "lapses": card.lapses,
                "last_day": card.last_day,
                "last_grade": card.last_grade,
            }

    def reviews(self) -> list[tuple]:
        """The answer log as (node label, card kind, grade, drill, duration_ms), oldest first."""
        with self.env.connection() as conn:
            rows = conn.execute(
                select(nodes.c.label, cards.c.kind, reviews.c.grade, reviews.c.drill, reviews.c.duration_ms)
                .join(cards, cards.c.id == reviews.c.card_id)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .order_by(reviews.c.id)
            )
            return [tuple(row) for row in rows]

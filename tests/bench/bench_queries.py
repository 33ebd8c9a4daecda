"""The queries every screen starts with, on a large deck, beside a read of all its cards.

Run: python tests/bench/bench_queries.py [--nodes 100000]
A synthetic deck (about 1.1 cards a node) is imported, then 70% of its cards get a schedule
spread over six weeks around today. Each query (the queue's first due and new cards, the
30-day forecast, the deck list's counts) is timed, best of five, beside a floor measured in the
same run: reading every card row of the deck. The indexes of `srs.storage.tables` are what keeps
each query far under the floor; a query that lost its index comes out near it or above.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dateutil import tz  # noqa: E402
from sqlalchemy import bindparam, func, select, update  # noqa: E402
from synth import timed, write_gexf  # noqa: E402

from srs.core.day import Clock  # noqa: E402
from srs.env import Env  # noqa: E402
from srs.readers import read_deck  # noqa: E402
from srs.storage import decks, importing, scope  # noqa: E402
from srs.storage.tables import cards  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
TODAY = NOW.date()
SPREAD_DAYS = 42


def build(folder: Path, n: int) -> Env:
    path = write_gexf(folder / "deck.gexf", n)
    env = Env(url=f"sqlite:///{folder / 'deck.sqlite3'}", clock=Clock(now=lambda: NOW, tz=tz.UTC), seed_bundled=False)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Bench", read_deck(path), str(path), NOW)
        # 7 cards in 10 answered, due from three weeks ago to three weeks ahead; 1 in 10 of them
        # answered below 4 today, to be asked again.
        ids = conn.scalars(select(cards.c.id).order_by(cards.c.id)).all()
        conn.execute(
            update(cards)
            .where(cards.c.id == bindparam("card"))
            .values(
                reviews=1,
                interval=bindparam("interval"),
                due=bindparam("due"),
                last_day=bindparam("last_day"),
                last_grade=bindparam("grade"),
            ),
            [
                {
                    "card": card_id,
                    "interval": card_id % 30 + 1,
                    "due": TODAY + timedelta(days=card_id % SPREAD_DAYS - SPREAD_DAYS // 2),
                    "last_day": TODAY if card_id % 10 == 6 else TODAY - timedelta(days=1),
                    "grade": 2 if card_id % 10 == 6 else 4,
                }
                for card_id in ids
                if card_id % 10 < 7
            ],
        )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = build(Path(folder), args.nodes)
        with env.connection() as conn:
            deck = decks.find_deck(conn, "Bench", env.learner_id)
            live = scope.cards_today(deck, TODAY)  # as the queue asks: live cards not buried today
            scheduled = scope.cards_of(deck)  # the forecast's: a card buried today still falls due
            queries = {
                "first 200 due cards, in queue order": select(cards.c.id)
                .where(*live, scope.due_by(TODAY))
                .order_by(cards.c.due, cards.c.rank)
                .limit(200),
                "first 20 new cards, in rank order": select(cards.c.id)
                .where(*live, scope.is_new())
                .order_by(cards.c.rank)
                .limit(20),
                "cards to repeat today": select(cards.c.id).where(*live, scope.repeat_today(TODAY)),
                "forecast: due on each of 30 days": select(cards.c.due, func.count())
                .where(*scheduled, cards.c.due > TODAY, cards.c.due <= TODAY + timedelta(days=30))
                .group_by(cards.c.due),
            }
            floor, rows = timed(lambda: conn.execute(select(cards).where(cards.c.deck_id == deck.id)).all(), repeat=5)
            print(f"{args.nodes:,} nodes, {len(rows):,} cards: floor, every card row read {floor * 1000:8.1f} ms")
            for name, query in queries.items():
                took, found = timed(lambda q=query: conn.execute(q).all(), repeat=5)
                print(f"  {name:40} {took * 1000:8.2f} ms ({took / floor:5.3f}x the floor; {len(found)} rows)")
            took, _ = timed(lambda: decks.deck_sizes(conn, env.learner_id), repeat=5)
            name = "deck list: nodes and cards of each deck"
            print(f"  {name:40} {took * 1000:8.2f} ms ({took / floor:5.3f}x the floor)")
        env.close()


if __name__ == "__main__":
    main()

"""A sync killed (SIGKILL) at any point leaves both sides consistent and loses nothing, and the
next sync ends at the full union: two real SQLite files of 10,000 answers each, synced by a real
`srs` process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dateutil import tz
from sqlalchemy import func, select

from srs.core.day import Clock
from srs.env import Env
from srs.readers import read_deck
from srs.service.sync import PAUSE_AT, sync
from srs.storage import identity, importing
from srs.storage.answers import schedule_of
from srs.storage.arrivals import ArrivingAnswer, add_answers
from srs.storage.event_ids import new_event_id
from srs.storage.reschedule import rebuild_card
from srs.storage.schedulers import deck_scheduler
from srs.storage.tables import cards, reviews

DATA = Path(__file__).parent.parent / "data"
START = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
ANSWERS = 10_000
CLOCK = Clock(now=lambda: datetime(2026, 11, 23, 12, tzinfo=timezone.utc), tz=tz.UTC)


def side(path: Path, offset: timedelta) -> Env:
    """A database of the small deck with `ANSWERS` answers over its cards, every 70 minutes
    from START + `offset`, as this device's own."""
    env = Env(url=f"sqlite:///{path}", clock=CLOCK, seed_bundled=False)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Small", read_deck(DATA / "small.gexf"), "test", CLOCK.now())
        device = identity.device_id(conn)
        card_ids = sorted(conn.scalars(select(cards.c.id)))
        by_card: dict[int, list[ArrivingAnswer]] = {card_id: [] for card_id in card_ids}
        for i in range(ANSWERS):
            at = START + offset + timedelta(minutes=70 * i)
            by_card[card_ids[i % len(card_ids)]].append(
                ArrivingAnswer(new_event_id(at), device, at, at.date(), 1 + i % 5, 1000)
            )
        for card_id, arriving in by_card.items():
            add_answers(conn, card_id, arriving)
    return env


def consistent(env: Env) -> set[str]:
    """The side's event ids, once it is shown consistent: every card's schedule is what
    replaying its log gives (checked by replaying it, then rolled back)."""
    engine = env.engine()
    with engine.connect() as conn, conn.begin() as transaction:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        stored = {row.id: schedule_of(row) for row in conn.execute(select(cards))}
        for card_id in stored:
            deck_id, learner = conn.execute(
                select(cards.c.deck_id, cards.c.learner_id).where(cards.c.id == card_id)
            ).one()
            assert rebuild_card(conn, card_id, deck_scheduler(conn, deck_id, learner)) == stored[card_id]
        event_ids = set(conn.scalars(select(reviews.c.event_id)))
        assert conn.scalar(select(func.count()).select_from(reviews)) == len(event_ids)
        transaction.rollback()
    return event_ids


def killed_sync(here: Path, other: Path, stage: str | None) -> None:
    """`srs sync` run in a process of its own, killed with SIGKILL at `stage` (`PAUSE_AT`), or
    a second after it started."""
    environ = {**os.environ, "SRS_TZ": "UTC"}
    if stage is not None:
        environ[PAUSE_AT] = stage
    process = subprocess.Popen(
        [sys.executable, "-m", "srs", "--db", str(here), "sync", str(other)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=environ,
        text=True,
    )
    try:
        if stage is None:
            time.sleep(1.0)
        else:
            assert process.stderr is not None
            line = process.stderr.readline()  # the sync says where it paused, then sleeps
            assert line == f"paused at {stage}\n", line
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)


@pytest.mark.parametrize("stage", ["sending", "sent", "receiving", None])
def test_a_sync_killed_at_any_point_leaves_both_sides_consistent_and_the_next_one_completes(tmp_path, stage):
    here_path, other_path = tmp_path / "laptop.sqlite3", tmp_path / "desktop.sqlite3"
    here, other = side(here_path, timedelta()), side(other_path, timedelta(minutes=35))
    mine, theirs = consistent(here), consistent(other)
    assert len(mine) == len(theirs) == ANSWERS
    here.close()
    other.close()

    killed_sync(here_path, other_path, stage)

    # Each side is as it was, or holds the union: never a part of it.
    after_here, after_other = consistent(here), consistent(other)
    assert after_here in (mine, mine | theirs)
    assert after_other in (theirs, mine | theirs)
    if stage == "sending":
        assert (after_here, after_other) == (mine, theirs)
    if stage in ("sent", "receiving"):
        assert (after_here, after_other) == (mine, mine | theirs)

    report = sync(here, str(other_path))
    assert not report.in_sync
    assert consistent(here) == consistent(other) == mine | theirs
    assert sync(here, str(other_path)).in_sync
    with here.connection() as a, other.connection() as b:
        assert (
            a.execute(select(cards).order_by(cards.c.id)).all() == b.execute(select(cards).order_by(cards.c.id)).all()
        )
    here.close()
    other.close()

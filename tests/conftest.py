"""Fixtures shared by the test tiers: a real SQLite database and a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dateutil import tz

from srs.core.day import Clock
from srs.env import Env

DATA = Path(__file__).parent / "data"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


class FakeNow:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = NOON) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta) -> None:
        self.value += timedelta(**delta)


@pytest.fixture
def now() -> FakeNow:
    return FakeNow()


@pytest.fixture
def clock(now) -> Clock:
    return Clock(now=now, tz=tz.UTC)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "srs.sqlite3"


@pytest.fixture
def env(db_path, clock):
    e = Env(url=f"sqlite:///{db_path}", clock=clock, seed_bundled=False)
    yield e
    e.close()


@pytest.fixture
def data() -> Path:
    return DATA

"""Fixtures shared by the test tiers: a real SQLite database, a real PostgreSQL server, and a
fixed clock."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dateutil import tz
from postgres_cluster import Cluster, postgres_bin
from sqlalchemy import create_engine, make_url, text

from srs.core.day import Clock
from srs.env import Env
from srs.storage.db import sqlite_url

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


@pytest.fixture(scope="session")
def empty_config_home():
    """An empty config folder that every user may look into (some tests run as `nobody`)."""
    folder = Path(tempfile.mkdtemp(prefix="srs-config-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(autouse=True)
def no_config_file(empty_config_home, monkeypatch):
    """Every test starts without a config file: the user's own `~/.config/srs/config.toml` is
    never read (a test that wants one writes it under a $XDG_CONFIG_HOME of its own)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(empty_config_home))


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


@pytest.fixture
def xmind(tmp_path):
    """Build an XMind workbook (a zip) from a folder of tests/data (`xmind_zen`, `xmind8`), its
    text changed by `replace` pairs; returns its path."""

    def build(folder: str, name: str = "map.xmind", replace: tuple[tuple[str, str], ...] = ()) -> Path:
        dest = tmp_path / name
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted((DATA / folder).rglob("*")):
                if file.is_file():
                    text = file.read_text(encoding="utf-8")
                    for old, new in replace:
                        text = text.replace(old, new)
                    archive.writestr(file.relative_to(DATA / folder).as_posix(), text)
        return dest

    return build


# -- PostgreSQL -------------------------------------------------------------------------------


def _no_postgres(reason: str):
    """Skip a PostgreSQL test where there is none; in CI, fail it: CI must never skip them."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason} (install postgresql, or set SRS_TEST_DATABASE_URL)")


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL database the tests may create schemas in: $SRS_TEST_DATABASE_URL,
    else a throw-away cluster started for the test run (and stopped at its end). Skips the test
    where there is no PostgreSQL, except in CI, where it fails."""
    given = os.environ.get("SRS_TEST_DATABASE_URL")
    if given:
        yield make_url(given)
        return
    bin_dir = postgres_bin()
    if bin_dir is None:
        _no_postgres("initdb is neither on PATH nor in /usr/lib/postgresql/*/bin")
    cluster = Cluster(bin_dir)
    try:
        url = cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        cluster.stop()
        _no_postgres(str(exc))
    try:
        yield url
    finally:
        cluster.stop()


_schemas = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server):
    """A PostgreSQL database of the test's own, empty: a fresh schema on the server, which
    every connection made through the URL uses (its `search_path`), dropped after the test."""
    schema = f"srs_test_{os.getpid()}_{next(_schemas)}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        yield postgres_server.update_query_dict({"options": f"-csearch_path={schema}"})
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request, tmp_path):
    """The URL of an empty database, once on SQLite and once on PostgreSQL: a test that takes it
    (or `any_env`) runs on both."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "srs.sqlite3")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def any_env(database_url, clock):
    """An `Env` on `database_url`: SQLite, then PostgreSQL."""
    e = Env(url=database_url, clock=clock, seed_bundled=False)
    yield e
    e.close()

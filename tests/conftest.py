"""Fixtures shared by the test tiers: a real SQLite database, a real PostgreSQL server, and a
fixed clock."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dateutil import tz
from sqlalchemy import URL, create_engine, make_url, text

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


def _postgres_bin() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: on PATH, else Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(f.split("/")[-2]))
    return Path(folders[-1]) if folders and Path(folders[-1], "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_postgres(reason: str):
    """Skip a PostgreSQL test where there is none; in CI, fail it: CI must never skip them."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason} (install postgresql, or set SRS_TEST_DATABASE_URL)")


class _Cluster:
    """A throw-away PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1.

    PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (which Debian's
    package creates) and its folder belongs to that user.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="srs-postgres-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.preexec = None
        if os.geteuid() == 0:
            import pwd

            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, and there is no `postgres` user to run PostgreSQL as") from None
            os.chown(self.folder, user.pw_uid, user.pw_gid)

            def as_postgres() -> None:
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)

            self.preexec = as_postgres

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            preexec_fn=self.preexec,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            cwd=self.folder,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {(done.stderr or done.stdout).strip()}")

    def start(self) -> URL:
        self._run("initdb", "-D", str(self.data), "-U", "srs", "-A", "trust", "-E", "UTF8", "--no-sync")
        log = self.folder / "log"
        # Each xdist worker starts a cluster of its own: two may be handed the same free port
        # before either binds it, so a start that finds its port taken tries another free one.
        for attempt in range(3):
            # Durability is of no use to a cluster that is thrown away: its tests run faster without.
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
                break
            except RuntimeError:
                if attempt == 2 or "could not bind" not in (log.read_text() if log.exists() else ""):
                    raise
                log.unlink()
                self.port = _free_port()
        return URL.create("postgresql+psycopg", username="srs", host="127.0.0.1", port=self.port, database="postgres")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL database the tests may create schemas in: $SRS_TEST_DATABASE_URL,
    else a throw-away cluster started for the test run (and stopped at its end). Skips the test
    where there is no PostgreSQL, except in CI, where it fails."""
    given = os.environ.get("SRS_TEST_DATABASE_URL")
    if given:
        yield make_url(given)
        return
    bin_dir = _postgres_bin()
    if bin_dir is None:
        _no_postgres("initdb is neither on PATH nor in /usr/lib/postgresql/*/bin")
    cluster = _Cluster(bin_dir)
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

"""A throw-away PostgreSQL cluster on 127.0.0.1, for the test suite (`conftest.postgres_server`)
and for the benchmarks that need a server (`tests/bench/bench_server.py`)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import URL

THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
"""Durability is of no use to a cluster that is thrown away: its tests run faster without."""


def postgres_bin() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: on PATH, else Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(f.split("/")[-2]))
    return Path(folders[-1]) if folders and Path(folders[-1], "initdb").exists() else None


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1.

    PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (which Debian's
    package creates) and its folder belongs to that user.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="srs-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
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

    def start(self, settings: Mapping[str, str] | None = None) -> URL:
        """Create the cluster and start it, with `THROWAWAY_SETTINGS` and then `settings` (server
        settings by name, e.g. `max_connections`); the URL of its `postgres` database."""
        self._run("initdb", "-D", str(self.data), "-U", "srs", "-A", "trust", "-E", "UTF8", "--no-sync")
        log = self.folder / "log"
        chosen = {**THROWAWAY_SETTINGS, **(settings or {})}
        # Each xdist worker starts a cluster of its own: two may be handed the same free port
        # before either binds it, so a start that finds its port taken tries another free one.
        for attempt in range(3):
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' " + " ".join(
                f"-c {name}={value}" for name, value in chosen.items()
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
                break
            except RuntimeError:
                if attempt == 2 or "could not bind" not in (log.read_text() if log.exists() else ""):
                    raise
                log.unlink()
                self.port = free_port()
        return URL.create("postgresql+psycopg", username="srs", host="127.0.0.1", port=self.port, database="postgres")

    def stop(self) -> None:
        """Stop the server, if it runs, and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

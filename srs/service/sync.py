"""`srs sync OTHER`: one learner's database on two devices (a laptop and a desktop, a copy on a
USB stick, a server) made the same on both sides.

Both sides end with the union of their logs (answers, checks and the credits they earned, each
known everywhere by its event id), less every event either side took back (a void: `srs undo`
leaves one), every card whose log changed replayed in time order; suspensions and the learners'
edits of a node's text go by the later change, journal entries by union; a pair card one side has is made on the other
where its nodes are there. Events for a deck or node the other side does not have stay where
they are and are counted; a later sync carries them once the deck is imported there.

The sync is two pulls, each one transaction on the side it writes: this side's write lock is
taken first and its snapshot read; OTHER merges it and commits; then this side merges OTHER's
snapshot, read after that commit, and commits. Why that order is safe when the process is killed
at any point: a write that did not commit leaves its side as it was (each side's write is all or
nothing); a merge only adds events and voids and takes later stamps, so once OTHER has committed
it holds the union and this side is as it was, both consistent; and a merge is idempotent, so
the next sync takes up from there and ends at the same union. Nothing is lost either way: no
event leaves a log but for a void, and a void is kept on the side that made it until it is sent.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from srs.env import Env
from srs.errors import SrsError, StorageError
from srs.storage import db, identity
from srs.storage.sync import Merged, event_ids, merge_into, snapshot

PAUSE_AT = "SRS_SYNC_PAUSE_AT"
"""For tests of an interrupted sync: the stage (`sending`: OTHER's write done, not committed;
`sent`: between the two writes; `receiving`: this side's write done, not committed) at which the
process says `paused at STAGE` on stderr and sleeps, to be killed there."""


@dataclass(frozen=True)
class SyncReport:
    """What a sync did on both sides."""

    other: str
    """OTHER, named as a message names a database (its path, or its URL without a password)."""
    sent: Merged
    """What OTHER took from this side."""
    received: Merged
    """What this side took from OTHER."""
    new_device: str | None
    """OTHER's new device id, where it had this side's (a copy of this database)."""

    @property
    def in_sync(self) -> bool:
        """Nothing needed to change on either side, and neither holds answers the other could
        not take: they were in sync already."""
        sides = (self.sent, self.received)
        return not (self.new_device or any(side.wrote or side.missing for side in sides))


def other_database(other: str) -> URL | str:
    """OTHER as a database URL: a URL as `$SRS_DATABASE_URL` gives one, else a path to an srs
    SQLite file, which must exist (a sync never makes a new database)."""
    if "://" in other:
        try:
            make_url(other)
        except ArgumentError:
            raise SrsError(f"{other!r} is not a database URL (e.g. postgresql://user@host/srs)") from None
        return other
    path = Path(other).expanduser()
    if not path.is_file():
        raise SrsError(f"{other}: no such database file")
    return db.sqlite_url(path)


def _same_database(ours: URL | str, theirs: URL | str) -> bool:
    mine, other = db.database_file(ours), db.database_file(theirs)
    if mine is not None and other is not None:
        return mine.resolve() == other.resolve()
    return make_url(ours).render_as_string(hide_password=False) == make_url(theirs).render_as_string(
        hide_password=False
    )


def _pause(stage: str) -> None:
    if os.environ.get(PAUSE_AT) == stage:
        print(f"paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(600)


def sync(env: Env, other: str) -> SyncReport:
    """Make this database and OTHER (a path or a database URL) hold the same: see the module's
    docstring. Bad input (a missing file, not an srs database, a newer schema, a locked
    database) raises `SrsError` before either side is changed."""
    url = other_database(other)
    if _same_database(env.url, url):
        raise SrsError(f"{other}: is this database itself; name the other copy to sync with")
    where = db.describe(url)
    if db.stored_schema(url) is None:
        raise StorageError(f"{where}: not an srs database")
    there = Env(url=url, clock=env.clock, seed_bundled=False, config=env.config)
    try:
        # This side's write lock first, held to the end: a side that is locked refuses the sync
        # before either side is changed.
        with env.connection(write=True) as here:
            new_device = None
            with there.connection(write=True) as conn:
                if identity.device_id(conn) == identity.device_id(here):
                    new_device = identity.renew_device_id(conn)
                held_there = event_ids(conn)
                ours = snapshot(here, known=held_there)
                sent = merge_into(conn, ours, held=held_there)
                _pause("sending")
            _pause("sent")
            with there.connection() as conn:
                theirs = snapshot(conn, known=ours.held)
            received = merge_into(here, theirs, held=ours.held)  # this side is as it was read
            _pause("receiving")
    finally:
        there.close()
    return SyncReport(where, sent, received, new_device)

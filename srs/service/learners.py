"""Learners: who studies from the database, and renaming one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from srs.config import learner_name
from srs.env import Env
from srs.storage import learners


@dataclass(frozen=True)
class Learner:
    """One learner of the database."""

    name: str
    answers: int
    """Every answer they gave (in every deck, drills too)."""
    first_day: date | None
    last_day: date | None
    """Their first and latest days of study; None before their first answer."""
    current: bool
    """Whether this is the learner the command runs as."""


def learner_list(env: Env) -> tuple[Learner, ...]:
    """Every learner of the database, by name."""
    with env.connection() as conn:
        rows = learners.learner_rows(conn)
    return tuple(
        Learner(row.name, int(row.answers), row.first_day, row.last_day, row.id == env.learner_id) for row in rows
    )


def rename(env: Env, old: str, new: str) -> str:
    """Call the learner `old` `new` from now on, with everything that is theirs; the new name.
    Raises `NotFoundError` for a learner not there and `SrsError` for a name taken or not a name."""
    new = learner_name(new, "the new name")
    env.engine()  # the learner running the command is made first: a rename never races that
    with env.connection(write=True) as conn:
        learners.rename(conn, old, new)
    return new

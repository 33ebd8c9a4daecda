"""What a sync between two copies of one learner's database decides, as pure rules.

The answer log merges by union (an event is known everywhere by its id); what is not an event
merges by its stamp: a card's suspension by when it was last suspended or unsuspended, a node's
field edited for the deck and a learner's own notes by when they were edited. Of two stamped
values the later wins on both sides; a value never stamped loses to one that is. Two equal
stamps (two copies of one change) are ordered by the values themselves, so both sides pick the
same one whichever way the sync goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")

_NEVER = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Stamped(Generic[T]):
    """A value with when it was set (None: never since the stamps were kept)."""

    value: T
    at: datetime | None


def _order(stamped: Stamped) -> tuple:
    at = stamped.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return (at or _NEVER, repr(stamped.value))


def later(ours: Stamped[T], theirs: Stamped[T]) -> Stamped[T]:
    """The one of two stamped values both sides keep: the later set; on equal stamps, the
    greater value (compared as text), so that the choice does not depend on who asks."""
    return theirs if _order(theirs) > _order(ours) else ours


@dataclass(frozen=True)
class FieldEdit:
    """A field of a node a learner edited for the deck (its definition or example): its text,
    what the file said (the edit row's `file_text`), and when."""

    text: str
    file_text: str
    edited_at: datetime


@dataclass(frozen=True)
class OwnNote:
    """A learner's own notes or mnemonic of a node: the text, and when it was written."""

    text: str
    edited_at: datetime


class _Edited(Protocol):
    @property
    def edited_at(self) -> datetime: ...


E = TypeVar("E", bound=_Edited)


def edits_to_take(ours: Mapping[tuple, E], theirs: Mapping[tuple, E]) -> dict[tuple, E]:
    """The edits of `theirs` that this side takes, by the same keys (node, field, ...): each
    field edited there and not here, and each edited on both sides whose later edit is theirs."""
    taken = {}
    for key, edit in theirs.items():
        mine = ours.get(key)
        if mine is None or (
            mine != edit and later(Stamped(mine, mine.edited_at), Stamped(edit, edit.edited_at)).value == edit
        ):
            taken[key] = edit
    return taken

"""New events' ids (`srs.core.identity`), as the log's column default gives them.

An id begins with the millisecond of the event's own time (`reviews.at`, the clock where a row
has none), rand_a holds the microseconds past it (RFC 9562 section 6.2, method 3), and rand_b is
random. Ids this process makes within one millisecond count up from the first (method 2), so
answers stored together (an import, a benchmark's log) sort in the order they were given.
"""

from __future__ import annotations

import secrets
import threading
from datetime import datetime, timezone

from srs.core.identity import RAND_A_BITS, RAND_B_BITS, sub_millisecond, unix_ms, uuid7

_lock = threading.Lock()
_last = (-1, 0)
"""The millisecond of the last id made here, and its rand_a and rand_b as one number."""


def new_event_id(at: datetime | None = None) -> str:
    """A new, unique id for an event at `at` (now by default)."""
    global _last
    at = datetime.now(timezone.utc) if at is None else at
    ms = unix_ms(at)
    with _lock:
        last_ms, last_count = _last
        if ms == last_ms and last_count + 1 < 1 << (RAND_A_BITS + RAND_B_BITS):
            count = last_count + 1
        else:
            count = sub_millisecond(at) << RAND_B_BITS | secrets.randbits(RAND_B_BITS)
        _last = (ms, count)
    return uuid7(ms, count >> RAND_B_BITS, count & ((1 << RAND_B_BITS) - 1))


def event_id_default(context) -> str:
    """The column default: an id from the row's own time (`at`), so an id's order is the log's."""
    at = context.get_current_parameters().get("at")
    return new_event_id(at if isinstance(at, datetime) else None)

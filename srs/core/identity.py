"""The global identity of an event of the log: a UUID version 7 (RFC 9562, section 5.7) as text.

A version 7 UUID begins with the Unix time in milliseconds, so ordering ids as text orders them
by time, on every device. Its layout, most significant bit first:

    unix_ts_ms (48) | ver = 0b0111 (4) | rand_a (12) | var = 0b10 (2) | rand_b (62)

The RFC lets rand_a hold a finer fraction of the millisecond (section 6.2, method 3) and the
rest be any value that makes the id unique. Here every id is made by `uuid7` from the three
fields; what fills them is the caller's: a new answer's clock and randomness (`srs.storage`), an
older answer's time and row id (the step to schema 8), or an Anki review's id and card
(`anki_review_id`), so that the same review always gets the same id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

RAND_A_BITS = 12
RAND_B_BITS = 62
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def uuid7(unix_ms: int, rand_a: int, rand_b: int) -> str:
    """The UUIDv7 of its three fields, as 36 characters of lower-case hex and hyphens."""
    if not (0 <= unix_ms < 1 << 48 and 0 <= rand_a < 1 << RAND_A_BITS and 0 <= rand_b < 1 << RAND_B_BITS):
        raise ValueError("a UUIDv7 field is out of its range")
    value = unix_ms << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def unix_ms(at: datetime) -> int:
    """The instant `at` (UTC when it names no zone) in whole milliseconds since 1970."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def sub_millisecond(at: datetime) -> int:
    """The microseconds of `at` past its millisecond, as rand_a's 12-bit fraction (method 3)."""
    return (at.microsecond % 1000) * (1 << RAND_A_BITS) // 1000


def from_moment(at: datetime, tail: int) -> str:
    """The id of an event at `at` told apart from others of that microsecond by `tail` (a row id
    when a database's older answers are given ids): ids made so sort as (at, tail) do."""
    return uuid7(unix_ms(at), sub_millisecond(at), tail)


def anki_review_id(revlog_id: int, note_guid: str, template_ord: int) -> str:
    """The id of an Anki review: its revlog id (the review's time in milliseconds, as Anki makes
    it) and a digest of the review and its card (note GUID, template) in the random bits, so that
    importing the same review again gives the same id."""
    digest = hashlib.sha256(f"anki:{note_guid}:{template_ord}:{revlog_id}".encode()).digest()
    bits = int.from_bytes(digest[:10], "big")
    return uuid7(revlog_id, bits >> RAND_B_BITS & ((1 << RAND_A_BITS) - 1), bits & ((1 << RAND_B_BITS) - 1))

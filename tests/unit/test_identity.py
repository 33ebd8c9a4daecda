"""Event ids: the UUIDv7 layout of RFC 9562, read back with Python's own `uuid` module."""

import uuid
from datetime import datetime, timedelta, timezone

from srs.core import identity
from srs.storage.event_ids import new_event_id

AT = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=timezone.utc)


def test_the_layout_is_rfc_9562s_version_7():
    text = identity.uuid7(0x0123456789AB, 0xCDE, 0x3FFFFFFFFFFFFFFF)
    assert text == "01234567-89ab-7cde-bfff-ffffffffffff"
    parsed = uuid.UUID(text)
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    assert parsed.int >> 80 == 0x0123456789AB
    assert identity.uuid7(0, 0, 0) == "00000000-0000-7000-8000-000000000000"


def test_an_id_made_from_a_moment_holds_its_millisecond_and_its_microseconds_past_it():
    text = identity.from_moment(AT, 42)
    parsed = uuid.UUID(text)
    ms = int(AT.timestamp()) * 1000 + 123
    assert parsed.int >> 80 == ms == identity.unix_ms(AT)
    assert (parsed.int >> 64) & 0xFFF == 456 * 4096 // 1000
    assert parsed.int & ((1 << 62) - 1) == 42
    assert identity.from_moment(AT.replace(tzinfo=None), 42) == text  # a naive time is UTC


def test_ids_sort_as_their_moments_do_then_as_their_tails():
    moments = [AT + timedelta(microseconds=step) for step in (0, 1, 999, 1000, 86_400_000_000)]
    ids = [identity.from_moment(at, tail) for at in moments for tail in (1, 2)]
    assert sorted(ids) == ids and len(set(ids)) == len(ids)


def test_new_ids_in_one_millisecond_count_up_in_the_order_made():
    ids = [new_event_id(AT) for _ in range(1000)]
    assert sorted(ids) == ids and len(set(ids)) == 1000
    assert {uuid.UUID(i).int >> 80 for i in ids} == {identity.unix_ms(AT)}
    assert all(uuid.UUID(i).version == 7 for i in ids)


def test_an_anki_reviews_id_is_the_same_each_time_and_holds_its_time():
    first = identity.anki_review_id(1_796_168_997_168, "abc", 0)
    assert first == identity.anki_review_id(1_796_168_997_168, "abc", 0)
    assert first != identity.anki_review_id(1_796_168_997_168, "abc", 1)
    assert uuid.UUID(first).int >> 80 == 1_796_168_997_168 and uuid.UUID(first).version == 7

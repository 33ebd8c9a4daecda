"""`srs sync`: copies of one learner's database, each answering, undoing, suspending and editing
offline, end equal to one database that received every event in time order, however often and
in whatever order they are synced; on real SQLite files and a real PostgreSQL."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from dateutil import tz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, make_url, select

from srs.core.answer import CARD_FIELDS
from srs.core.day import Clock
from srs.env import Env
from srs.errors import SrsError
from srs.readers import read_deck
from srs.service import nodes as node_service
from srs.service import set_aside as set_aside_service
from srs.service.sync import sync
from srs.storage import answers, decks, identity, importing
from srs.storage.reschedule import LOGGED
from srs.storage.tables import cards, metadata, node_edits, nodes, reviews, voids

DATA = Path(__file__).parent.parent / "data"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


class FakeNow:
    """A clock that moves only when told to (the suite's, whose conftest a test cannot import)."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta) -> None:
        self.value += timedelta(**delta)


DECK = "Small"
KEYS = ("scaling", "compute", "data-parallelism", "model-parallelism", "data")
FIELDS = ("notes", "mnemonic")


def _import(env: Env, deck_file: Path = DATA / "small.gexf", name: str = DECK) -> None:
    with env.connection(write=True) as conn:
        importing.import_graph(conn, name, read_deck(deck_file), "test", env.clock.now())


def _card_ids(env: Env) -> list[int]:
    with env.connection() as conn:
        return sorted(conn.scalars(select(cards.c.id).where(cards.c.partner_id.is_(None))))


@dataclass
class Model:
    """What the replicas did, as one database receiving it all in time order would hold it."""

    answers: list = field(default_factory=list)
    """(at, day, card key, grade, event id), in time order."""
    undone: set = field(default_factory=set)
    suspensions: dict = field(default_factory=dict)
    """card key -> the latest effective change's value."""
    edits: dict = field(default_factory=dict)
    """(node key, field) -> the latest edit's text."""


def act(replicas: list[Env], now: FakeNow, model: Model, step: tuple) -> None:
    """One learner's step on one replica, offline, at the clock's next moment."""
    what, who, *args = step
    now.advance(minutes=args[-1])
    env = replicas[who]
    if what == "sync":
        other = replicas[args[0]]
        if other is not env:
            sync(env, _name(other))
        return
    if what == "answer":
        card_index, grade = args[0], args[1]
        with env.connection(write=True) as conn:
            card_id = _card_ids_in(conn)[card_index]
            recorded = answers.record_answer(conn, card_id, grade, now(), env.clock.today())
            event_id = conn.scalar(select(reviews.c.event_id).where(reviews.c.id == recorded.id))
            key = identity.card_keys(conn)[card_id]
        model.answers.append((now(), env.clock.today(), key, grade, event_id))
    elif what == "undo":
        try:
            with env.connection(write=True) as conn:
                undone = answers.undo_last_answer(conn, decks.find_deck(conn, DECK))
        except SrsError:  # the card was answered since on another copy: only its latest is taken back
            return
        if undone is not None:
            model.undone.add(undone[0].event_id)
    elif what in ("suspend", "unsuspend"):
        change = set_aside_service.suspend if what == "suspend" else set_aside_service.unsuspend
        changed = change(env, DECK, KEYS[args[0]])
        with env.connection() as conn:
            keys = identity.card_keys(conn)
        for mark in changed.before:
            model.suspensions[keys[mark.card_id]] = what == "suspend"
    elif what == "edit":
        node_key, name = KEYS[args[0]], FIELDS[args[1]]
        text = f"{name} written at {now().isoformat()}"
        with env.connection() as conn:
            node_id = identity.node_ids(conn)[DECK, node_key]
        node_service.edit_node(env, node_id, {name: text})
        model.edits[node_key, name] = text


def _card_ids_in(conn) -> list[int]:
    return sorted(conn.scalars(select(cards.c.id).where(cards.c.partner_id.is_(None))))


def state(env: Env) -> dict:
    """What a replica holds, by what it is known as everywhere."""
    with env.connection() as conn:
        keys = identity.card_keys(conn)
        log = {
            row.event_id: (keys[row.card_id], _utc(row.at), row.day, row.grade, row.kind, row.drill)
            + tuple(getattr(row, c) for c in LOGGED)
            for row in conn.execute(select(reviews))
        }
        schedules = {keys[row.id]: tuple(getattr(row, f) for f in CARD_FIELDS) for row in conn.execute(select(cards))}
        suspended = {keys[row.id]: row.suspended for row in conn.execute(select(cards.c.id, cards.c.suspended))}
        texts = {(row.key, name): getattr(row, name) for row in conn.execute(select(nodes)) for name in FIELDS}
        edit_rows = {
            (key, name): (file_text, _utc(edited_at))
            for key, name, file_text, edited_at in conn.execute(
                select(nodes.c.key, node_edits.c.field, node_edits.c.file_text, node_edits.c.edited_at).join(
                    nodes, nodes.c.id == node_edits.c.node_id
                )
            )
        }
        voided = set(conn.scalars(select(voids.c.event_id)))
        count = conn.scalar(select(func.count()).select_from(reviews))
    return {
        "log": log,
        "count": count,
        "schedules": schedules,
        "suspended": suspended,
        "texts": texts,
        "edit_rows": edit_rows,
        "voids": voided,
    }


def reference(folder: Path, now: FakeNow, model: Model) -> dict:
    """One database that received every answer not taken back, in time order, as answers."""
    env = Env(url=f"sqlite:///{folder / 'reference.sqlite3'}", clock=Clock(now=now, tz=tz.UTC), seed_bundled=False)
    try:
        _import(env)
        with env.connection(write=True) as conn:
            ids = {key: card_id for card_id, key in identity.card_keys(conn).items()}
            for at, day, key, grade, event_id in sorted(model.answers):
                if event_id not in model.undone:
                    answers.record_answer(conn, ids[key], grade, at, day)
        return state(env)
    finally:
        env.close()


def by_moment(log: dict) -> dict:
    """A log by (card, moment): what is compared with the reference, whose event ids are its own."""
    return {(row[0], row[1]): row[2:] for row in log.values()}


steps = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 3), st.integers(0, 6), st.integers(0, 5), st.integers(1, 2000)),
        st.tuples(st.just("undo"), st.integers(0, 3), st.integers(1, 2000)),
        st.tuples(
            st.sampled_from(["suspend", "unsuspend"]), st.integers(0, 3), st.integers(0, 4), st.integers(1, 2000)
        ),
        st.tuples(st.just("edit"), st.integers(0, 3), st.integers(0, 4), st.integers(0, 1), st.integers(1, 2000)),
        st.tuples(st.just("sync"), st.integers(0, 3), st.integers(0, 3), st.integers(1, 2000)),
    ),
    max_size=30,
)


def check(replica_urls, now: FakeNow, folder: Path, script: list, hub_order: list[int]) -> None:
    clock = Clock(now=now, tz=tz.UTC)
    replicas = [Env(url=url, clock=clock, seed_bundled=False) for url in replica_urls]
    model = Model()
    try:
        for env in replicas:
            _import(env)
        for step in script:
            who = step[1] % len(replicas)
            step = (step[0], who, *((step[2] % len(replicas),) if step[0] == "sync" else step[2:-1]), step[-1])
            act(replicas, now, model, step)
        # Then every copy synced with every other, in the order drawn, until nothing moves.
        for _ in range(2):
            for i in hub_order:
                for j in hub_order:
                    if i < j:
                        act(replicas, now, model, ("sync", i, j, 1))
        for i in range(len(replicas)):
            for j in range(i + 1, len(replicas)):
                report = sync(replicas[i], _name(replicas[j]))
                assert report.in_sync, (i, j, report)
        states = [state(env) for env in replicas]
        expected = reference(folder, now, model)
    finally:
        for env in replicas:
            env.close()
    first = states[0]
    for other in states[1:]:
        assert other["log"] == first["log"]  # the same events, each with the same row
        assert other["schedules"] == first["schedules"]
        for name in ("suspended", "texts", "edit_rows", "voids"):
            assert other[name] == first[name], name
    wanted = {event_id for *_, event_id in model.answers} - model.undone
    assert set(first["log"]) == wanted and first["count"] == len(wanted)
    assert model.undone <= first["voids"]
    assert by_moment(first["log"]) == by_moment(expected["log"])
    assert first["schedules"] == expected["schedules"]
    assert first["suspended"] == {key: model.suspensions.get(key, False) for key in expected["suspended"]}
    texts = {key: model.edits.get(key, text) for key, text in expected["texts"].items()}
    assert first["texts"] == texts


def _name(env: Env) -> str:
    """How `srs sync` is told of a replica: a file's path, or a server's URL."""
    url = make_url(env.url)
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=False)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(2, 4), script=steps, order=st.permutations(range(4)))
def test_copies_that_act_offline_end_equal_to_one_database_given_every_event_in_time_order(replicas, script, order):
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite:///{Path(folder) / f'replica{i}.sqlite3'}" for i in range(replicas)]
        check(urls, FakeNow(NOON), Path(folder), script, [i for i in order if i < replicas])


@pytest.mark.postgresql
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(script=steps, order=st.permutations(range(3)))
def test_a_copy_on_postgresql_syncs_with_copies_on_sqlite_files(postgres_url, script, order):
    engine = create_engine(postgres_url)
    metadata.drop_all(engine)  # each example starts from an empty database
    engine.dispose()
    with tempfile.TemporaryDirectory() as folder:
        urls = [postgres_url, *(f"sqlite:///{Path(folder) / f'replica{i}.sqlite3'}" for i in (1, 2))]
        check(urls, FakeNow(NOON), Path(folder), script, list(order))

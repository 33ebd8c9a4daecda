"""`srs sync`: copies of one learner's database, each answering, undoing, suspending and editing
offline, end equal to one database that received every event in time order, however often and
in whatever order they are synced; on real SQLite files and a real PostgreSQL."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil import tz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, make_url, select

from srs.cli import cli
from srs.core.answer import CARD_FIELDS, Schedule
from srs.core.day import Clock
from srs.env import Env
from srs.errors import SrsError
from srs.readers import read_deck
from srs.service import journal as journal_service
from srs.service import nodes as node_service
from srs.service import set_aside as set_aside_service
from srs.service.sync import sync
from srs.storage import answers, decks, identity, importing, learner_notes, pairs
from srs.storage.answers import schedule_of
from srs.storage.reschedule import LOGGED
from srs.storage.tables import cards, journal, metadata, node_edits, nodes, reviews, voids
from srs.storage.tables import learner_notes as learner_note_rows

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
FIELDS = ("notes", "mnemonic", "definition")
"""The fields the replicas edit: the learner's own two, and one of the deck's."""


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
    journal: set = field(default_factory=set)
    """(node key, text) of every journal entry written."""


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
                undone = answers.undo_last_answer(conn, decks.find_deck(conn, DECK, env.learner_id))
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
    elif what == "journal":
        node_key, text = KEYS[args[0]], f"written on copy {who} at {now().isoformat()}"
        journal_service.add(env, DECK, node_key, text)
        model.journal.add((node_key, text))


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
        texts = {
            (row.key, name): getattr(row, name)
            for row in conn.execute(select(*learner_notes.node_columns(env.learner_id)))
            for name in FIELDS
        }
        own = {
            (key, name): (text, _utc(edited_at))
            for key, name, text, edited_at in conn.execute(
                select(nodes.c.key, learner_note_rows.c.field, learner_note_rows.c.text, learner_note_rows.c.edited_at)
                .join(nodes, nodes.c.id == learner_note_rows.c.node_id)
                .where(learner_note_rows.c.learner_id == env.learner_id)
            )
        }
        edit_rows = {
            (key, name): (file_text, _utc(edited_at))
            for key, name, file_text, edited_at in conn.execute(
                select(nodes.c.key, node_edits.c.field, node_edits.c.file_text, node_edits.c.edited_at).join(
                    nodes, nodes.c.id == node_edits.c.node_id
                )
            )
        }
        written = {
            (key, _utc(at), text)
            for key, at, text in conn.execute(
                select(nodes.c.key, journal.c.at, journal.c.text).join(nodes, nodes.c.id == journal.c.node_id)
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
        "own": own,
        "journal": written,
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
        st.tuples(st.just("edit"), st.integers(0, 3), st.integers(0, 4), st.integers(0, 2), st.integers(1, 2000)),
        st.tuples(st.just("journal"), st.integers(0, 3), st.integers(0, 4), st.integers(1, 2000)),
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
        for name in ("suspended", "texts", "edit_rows", "own", "journal", "voids"):
            assert other[name] == first[name], name
    wanted = {event_id for *_, event_id in model.answers} - model.undone
    assert set(first["log"]) == wanted and first["count"] == len(wanted)
    assert model.undone <= first["voids"]
    assert by_moment(first["log"]) == by_moment(expected["log"])
    assert first["schedules"] == expected["schedules"]
    assert first["suspended"] == {key: model.suspensions.get(key, False) for key in expected["suspended"]}
    texts = {key: model.edits.get(key, text) for key, text in expected["texts"].items()}
    assert first["texts"] == texts
    # Every entry once, whatever the order of the syncs.
    assert {(key, text) for key, _at, text in first["journal"]} == model.journal
    assert len(first["journal"]) == len(model.journal)


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


# -- what a sync says, and what it refuses ------------------------------------------------------


@pytest.fixture
def laptop(tmp_path):
    env = Env(
        url=f"sqlite:///{tmp_path / 'laptop.sqlite3'}", clock=Clock(now=FakeNow(NOON), tz=tz.UTC), seed_bundled=False
    )
    _import(env)
    yield env
    env.close()


def srs(env: Env, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), obj=env)
    return result.exit_code, result.stdout, result.stderr


def answer(env: Env, key: str, grade: int, minutes: int = 10) -> str:
    """An answer to the node's definition card, `minutes` after the clock's time; its event id."""
    env.clock.now.advance(minutes=minutes)
    with env.connection(write=True) as conn:
        card = identity.find_card(conn, env.learner_id, DECK, key, "definition")
        recorded = answers.record_answer(conn, card.id, grade, env.clock.now(), env.clock.today())
        return conn.scalar(select(reviews.c.event_id).where(reviews.c.id == recorded.id))


def event_ids(env: Env) -> set[str]:
    with env.connection() as conn:
        return set(conn.scalars(select(reviews.c.event_id)))


def copy_of(env: Env, path: Path) -> Env:
    """The database copied to another machine (its file, as a backup gives it)."""
    env.close()
    shutil.copy(make_url(env.url).database, path)
    return Env(url=f"sqlite:///{path}", clock=env.clock, seed_bundled=False)


def test_a_copied_database_gets_a_new_device_id_and_the_events_before_the_copy_stay_one(laptop, tmp_path):
    before = answer(laptop, "data", 4)
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    here, there = answer(laptop, "data", 2, minutes=60 * 24), answer(desktop, "compute", 5, minutes=60 * 25)
    with laptop.connection() as conn:
        device = identity.device_id(conn)

    code, out, err = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"))

    assert (code, err) == (0, "")
    with desktop.connection() as conn:
        renewed = identity.device_id(conn)
        devices = dict(conn.execute(select(reviews.c.event_id, reviews.c.device)).all())
    assert renewed != device
    assert out.splitlines() == [
        f"{tmp_path / 'desktop.sqlite3'} had this database's device id (a copy of it): it has a new one now, {renewed}",
        f"Sent to {tmp_path / 'desktop.sqlite3'}: 1 answer, 0 voids, 0 notes, 0 journal entries, "
        "0 suspensions, 0 pair cards; 1 card rebuilt",
        f"Received from {tmp_path / 'desktop.sqlite3'}: 1 answer, 0 voids, 0 notes, 0 journal entries, "
        "0 suspensions, 0 pair cards; 1 card rebuilt",
    ]
    assert event_ids(laptop) == event_ids(desktop) == {before, here, there}
    assert devices == {before: device, here: device, there: device}  # recorded before the new id
    answer(desktop, "data", 3)
    with desktop.connection() as conn:
        assert conn.scalar(select(reviews.c.device).order_by(reviews.c.id.desc()).limit(1)) == renewed
    desktop.close()


def test_syncing_again_changes_nothing_and_says_so(laptop, tmp_path):
    answer(laptop, "data", 4)
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    answer(desktop, "data", 4, minutes=60 * 30)
    assert srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"))[0] == 0

    code, out, err = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"))
    assert (code, out, err) == (0, f"{tmp_path / 'desktop.sqlite3'}: already in sync\n", "")
    code, out, _ = srs(desktop, "sync", str(tmp_path / "laptop.sqlite3"), "--json")
    report = json.loads(out)
    assert code == 0 and report["in_sync"] is True and report["new_device"] is None
    assert set(report) == {"other", "in_sync", "new_device", "sent", "received"}
    assert (
        report["sent"]
        == report["received"]
        == {
            "answers": 0,
            "events": 0,
            "voids": 0,
            "removed": 0,
            "notes": 0,
            "journal": 0,
            "suspensions": 0,
            "pair_cards": 0,
            "cards_rebuilt": 0,
            "missing": 0,
        }
    )
    desktop.close()


def test_an_answer_taken_back_after_it_was_synced_goes_from_both_and_does_not_come_back(laptop, tmp_path):
    kept = answer(laptop, "data", 4)
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    taken = answer(laptop, "compute", 1, minutes=60 * 24)
    sync(laptop, str(tmp_path / "desktop.sqlite3"))
    assert taken in event_ids(desktop)
    assert srs(laptop, "undo")[0] == 0

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    report = json.loads(out)
    assert code == 0 and (report["sent"]["voids"], report["sent"]["removed"], report["sent"]["cards_rebuilt"]) == (
        1,
        1,
        1,
    )
    assert event_ids(laptop) == event_ids(desktop) == {kept}
    with desktop.connection() as conn:
        card = identity.find_card(conn, desktop.learner_id, DECK, "compute", "definition")
        assert schedule_of(card) == Schedule()  # new again, as undo left it on the laptop
    with laptop.connection() as conn:
        assert schedule_of(identity.find_card(conn, laptop.learner_id, DECK, "compute", "definition")) == Schedule()
    with desktop.connection() as conn:
        assert set(conn.scalars(select(voids.c.event_id))) == {taken}
    assert srs(desktop, "sync", str(tmp_path / "laptop.sqlite3"))[1].endswith("already in sync\n")
    desktop.close()


def test_answers_to_a_deck_the_other_side_lacks_are_reported_and_carried_once_it_is_there(laptop, tmp_path):
    other = Env(url=f"sqlite:///{tmp_path / 'other.sqlite3'}", clock=laptop.clock, seed_bundled=False)
    _import(other, DATA / "small.gexf", "Another")
    answer(laptop, "data", 4)
    answer(laptop, "compute", 3)

    code, out, _ = srs(laptop, "sync", str(tmp_path / "other.sqlite3"))

    assert code == 0
    assert (
        out.splitlines()[-1]
        == f"2 answers to cards {tmp_path / 'other.sqlite3'} does not have: import the deck there first"
    )
    assert event_ids(other) == set()
    _import(other)  # the deck imported there: the next sync carries them
    code, out, _ = srs(laptop, "sync", str(tmp_path / "other.sqlite3"), "--json")
    report = json.loads(out)
    assert (report["sent"]["answers"], report["sent"]["missing"], report["received"]["missing"]) == (2, 0, 0)
    assert event_ids(other) == event_ids(laptop) and len(event_ids(other)) == 2
    other.close()


def test_a_pair_card_one_side_has_is_made_on_the_other_with_its_answers(laptop, tmp_path):
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    with laptop.connection(write=True) as conn:
        node, partner = (
            decks.find_node(conn, decks.find_deck(conn, DECK, laptop.learner_id), key)
            for key in ("data-parallelism", "model-parallelism")
        )
        card_id, made = pairs.confused_with(conn, node, partner)
        assert made
        answers.record_answer(conn, card_id, 4, laptop.clock.now(), laptop.clock.today())

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    assert code == 0 and json.loads(out)["sent"]["pair_cards"] == 1
    with desktop.connection() as conn:
        card = identity.find_card(conn, desktop.learner_id, DECK, "data-parallelism", "contrast", "model-parallelism")
        assert card is not None and card.reviews == 1
    assert state(laptop)["schedules"] == state(desktop)["schedules"]
    desktop.close()


def test_notes_and_suspensions_go_by_the_later_change_on_both_sides(laptop, tmp_path):
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    with laptop.connection() as conn:
        node_id = identity.node_ids(conn)[DECK, "data"]
    node_service.edit_node(laptop, node_id, {"notes": "laptop's notes", "mnemonic": "laptop's mnemonic"})
    laptop.clock.now.advance(minutes=5)
    node_service.edit_node(desktop, node_id, {"notes": "desktop's later notes"})
    suspended = set_aside_service.suspend(desktop, DECK, "compute").changed
    laptop.clock.now.advance(minutes=5)
    set_aside_service.suspend(laptop, DECK, "compute")
    laptop.clock.now.advance(minutes=5)
    set_aside_service.unsuspend(laptop, DECK, "compute")  # the latest change: not suspended

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    report = json.loads(out)
    assert code == 0
    assert (report["sent"]["notes"], report["received"]["notes"]) == (1, 1)
    assert suspended == 4  # the branch's cards: Compute's two, its children's one each
    assert (report["sent"]["suspensions"], report["received"]["suspensions"]) == (4, 0)
    for env in (laptop, desktop):
        with env.connection() as conn:
            node = decks.get_node(conn, node_id, env.learner_id)
            assert (node.notes, node.mnemonic) == ("desktop's later notes", "laptop's mnemonic")
            # The learner's own: the deck's notes are the file's still.
            assert conn.execute(select(nodes.c.notes, nodes.c.mnemonic).where(nodes.c.id == node_id)).one() == ("", "")
            assert not any(conn.scalars(select(cards.c.suspended)))
    desktop.close()


def _files(*paths: Path) -> list[bytes]:
    return [path.read_bytes() for path in paths]


@pytest.mark.parametrize("what", ["missing", "not sqlite", "another program's", "newer", "locked"])
def test_bad_input_is_one_line_exit_2_and_changes_neither_side(laptop, tmp_path, what):
    answer(laptop, "data", 4)
    other = tmp_path / "other.sqlite3"
    holder = None
    if what == "not sqlite":
        other.write_text("a shopping list\n")
    elif what == "another program's":
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.close()
    elif what in ("newer", "locked"):
        copy_of(laptop, tmp_path / "copy.sqlite3").close()
        shutil.copy(tmp_path / "copy.sqlite3", other)
        if what == "newer":
            with sqlite3.connect(other) as conn:
                conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
            conn.close()
        else:
            holder = sqlite3.connect(other, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
    laptop.close()
    mine = Path(make_url(laptop.url).database)
    before = _files(mine, *([other] if other.exists() else []))

    code, out, err = srs(laptop, "sync", str(other))

    if holder is not None:
        holder.rollback()
        holder.close()
    laptop.close()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    expected = {
        "missing": f"{other}: no such database file",
        "not sqlite": f"{other}: not an SQLite database",
        "another program's": f"{other}: not an srs database",
        "newer": f"{other}: written by a newer version of srs",
        "locked": f"{other}: the database is locked by another program",
    }[what]
    assert expected in err
    assert _files(mine, *([other] if other.exists() else [])) == before


def test_each_learners_answers_go_to_their_own_cards_and_a_learner_the_other_side_lacks_is_made(laptop, tmp_path):
    from srs.config import load_config

    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    bob = Env(
        url=laptop.url,
        clock=laptop.clock,
        seed_bundled=False,
        config=load_config({"HOME": str(tmp_path), "SRS_LEARNER": "bob"}),
    )
    mine, theirs = answer(laptop, "data", 4), answer(bob, "compute", 2)
    bob.close()

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    assert code == 0 and json.loads(out)["sent"]["answers"] == 2
    with desktop.connection() as conn:
        reviewed = {
            (learner, node_key, kind): n
            for (learner, _deck, node_key, kind, _partner), n in (
                (identity.card_keys(conn)[row.id], row.reviews)
                for row in conn.execute(select(cards.c.id, cards.c.reviews))
            )
            if n
        }
        logged = dict(conn.execute(select(reviews.c.event_id, reviews.c.learner_id)).all())
    assert reviewed == {(desktop.learner, "data", "definition"): 1, ("bob", "compute", "definition"): 1}
    assert logged[mine] == desktop.learner_id and logged[theirs] != desktop.learner_id
    assert srs(desktop, "sync", str(tmp_path / "laptop.sqlite3"))[1].endswith("already in sync\n")
    desktop.close()


def test_each_learners_own_notes_go_to_them_on_the_other_side(laptop, tmp_path):
    from srs.config import load_config

    def as_bob(env: Env) -> Env:
        config = load_config({"HOME": str(tmp_path), "SRS_LEARNER": "bob"})
        return Env(url=env.url, clock=env.clock, seed_bundled=False, config=config)

    as_bob(laptop).close()  # bob on both copies
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    with laptop.connection() as conn:
        node_id = identity.node_ids(conn)[DECK, "data"]
    bob = as_bob(laptop)
    node_service.edit_node(bob, node_id, {"notes": "Bob's, on the laptop."})
    bob.close()
    laptop.clock.now.advance(minutes=5)
    node_service.edit_node(desktop, node_id, {"notes": "Mine, on the desktop.", "mnemonic": "M"})

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    assert code == 0
    report = json.loads(out)
    assert (report["sent"]["notes"], report["received"]["notes"]) == (1, 2)
    for env in (laptop, desktop):
        bob = as_bob(env)
        for who, expected in ((env, ("Mine, on the desktop.", "M")), (bob, ("Bob's, on the laptop.", ""))):
            with who.connection() as conn:
                node = decks.get_node(conn, node_id, who.learner_id)
                assert (node.notes, node.mnemonic) == expected
        bob.close()
    assert srs(desktop, "sync", str(tmp_path / "laptop.sqlite3"))[1].endswith("already in sync\n")
    desktop.close()


def test_journal_entries_written_on_either_side_end_on_both(laptop, tmp_path):
    desktop = copy_of(laptop, tmp_path / "desktop.sqlite3")
    journal_service.add(laptop, DECK, "Compute", "Compute is the budget.")
    laptop.clock.now.advance(minutes=5)
    journal_service.add(desktop, DECK, "Compute", "Parallelism spends it.")
    laptop.clock.now.advance(minutes=1)
    journal_service.add(desktop, DECK, "Data", "Data runs out first.")

    code, out, _ = srs(laptop, "sync", str(tmp_path / "desktop.sqlite3"), "--json")

    report = json.loads(out)
    assert code == 0 and (report["sent"]["journal"], report["received"]["journal"]) == (1, 2)
    for env in (laptop, desktop):
        entries = journal_service.entries(env, DECK).entries
        assert [(e.node, e.text) for e in entries] == [
            ("data", "Data runs out first."),
            ("compute", "Parallelism spends it."),
            ("compute", "Compute is the budget."),
        ]
    assert srs(desktop, "sync", str(tmp_path / "laptop.sqlite3"))[1].endswith("already in sync\n")
    desktop.close()

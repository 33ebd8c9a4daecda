"""`srs import-reviews`: reviews given in a real Anki collection (the `anki` package's backend)
to the notes `srs export anki` wrote come back as answers, once, and rebuild the cards'
schedules as one device answering in that time order would have."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from dateutil import tz
from sqlalchemy import func, select

from srs.core.day import Clock
from srs.env import Env
from srs.export.anki import TEMPLATE_ORDER, note_guid, pair_key_guid
from srs.readers import read_deck
from srs.service import export as export_service
from srs.storage import answers, identity, importing
from srs.storage.tables import cards, nodes, reviews

collection = pytest.importorskip("anki.collection")

DECK = "Scaling Hypothesis"
DECK_FILE = "anki_deck.gexf"
NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
DAY = NOW.date()


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23 + days, hour, minute, tzinfo=timezone.utc)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Anki:
    """A real Anki collection holding the deck's export, answered by Anki's own scheduler; each
    action's review log entry then moved to the moment the test names (Anki stamps the clock's)."""

    def __init__(self, folder, package):
        self.col = collection.Collection(str(folder / "collection.anki2"))
        self.col.import_anki_package(
            collection.ImportAnkiPackageRequest(
                package_path=str(package), options=collection.ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        self.folder = folder

    def card(self, key: str, kind: str = "definition"):
        guid = note_guid(DECK, key)
        for cid in self.col.find_cards(""):
            card = self.col.get_card(cid)
            if card.note().guid == guid and card.ord == TEMPLATE_ORDER[kind]:
                return card
        raise AssertionError(f"no card {key} {kind}")

    def _stamp(self, moment: datetime) -> None:
        latest = self.col.db.scalar("SELECT max(id) FROM revlog")
        self.col.db.execute("UPDATE revlog SET id = ? WHERE id = ?", ms(moment), latest)

    def answer(self, key: str, ease: int, moment: datetime, kind: str = "definition") -> None:
        card = self.card(key, kind)
        card.start_timer()
        self.col.sched.answerCard(card, ease)
        self._stamp(moment)

    def reschedule(self, key: str, moment: datetime) -> None:
        """A manual reschedule (Set due date): a review log entry that is no answer."""
        self.col.sched.set_due_date([self.card(key).id], "0")
        self._stamp(moment)

    def foreign_note(self, moment: datetime) -> None:
        """A note of Anki's own Basic type, answered once."""
        note = self.col.new_note(self.col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Elsewhere", "Not from srs"
        self.col.add_note(note, self.col.decks.id("Default"))
        card = note.cards()[0]
        card.start_timer()
        self.col.sched.answerCard(card, 3)
        self._stamp(moment)

    def kinds(self) -> list[tuple[int, int]]:
        return self.col.db.all("SELECT type, ease FROM revlog ORDER BY id")

    def export(self) -> tuple:
        deck_package = self.folder / "phone.apkg"
        self.col.export_anki_package(
            out_path=str(deck_package),
            options=collection.ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            ),
            limit=None,
        )
        whole = self.folder / "phone.colpkg"
        self.col.export_collection_package(str(whole), include_media=False, legacy=False)  # closes it
        return whole, deck_package


@pytest.fixture
def deck_env(database_url, data, tmp_path):
    clock = Clock(now=lambda: NOW, tz=tz.UTC)
    env = Env(url=database_url, clock=clock, seed_bundled=False)
    graph = read_deck(data / DECK_FILE)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, DECK, graph, "test", NOW)
    yield env
    env.close()


@pytest.fixture
def invoke(deck_env):
    from click.testing import CliRunner

    from srs.cli import cli

    def run(*args, code=0):
        result = CliRunner().invoke(cli, list(args), obj=deck_env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return run


def card_id(env, key, kind="definition"):
    with env.connection() as conn:
        return identity.find_card(conn, env.learner_id, DECK, key, kind).id


def answer_locally(env, key, grade, moment):
    with env.connection(write=True) as conn:
        answers.record_answer(conn, card_id(env, key), grade, moment, moment.date())


def log_of(env, key, kind="definition"):
    with env.connection() as conn:
        rows = conn.execute(
            select(reviews.c.day, reviews.c.grade, reviews.c.drill, reviews.c.device)
            .where(reviews.c.card_id == card_id(env, key, kind))
            .order_by(reviews.c.at, reviews.c.event_id)
        ).all()
        device = identity.device_id(conn)
    return [(day, grade, drill, "here" if d == device else d) for day, grade, drill, d in rows]


SCHEDULE = ("easiness", "repetitions", "interval", "due", "reviews", "lapses", "last_day", "last_grade")
LOGGED = ("day", "grade", "drill", "interval_before", "interval_after", "easiness_after", "due_after")


def schedule_and_log(env, key, kind="definition"):
    with env.connection() as conn:
        card = conn.execute(select(cards).where(cards.c.id == card_id(env, key, kind))).one()
        log = conn.execute(
            select(*(reviews.c[c] for c in LOGGED))
            .where(reviews.c.card_id == card.id)
            .order_by(reviews.c.at, reviews.c.event_id)
        ).all()
    return tuple(getattr(card, c) for c in SCHEDULE), [tuple(r) for r in log]


@pytest.fixture
def studied(deck_env, tmp_path):
    """The deck exported, imported into Anki, and answered there on three days; `dp` answered
    here too, in between."""
    package = tmp_path / "deck.apkg"
    export_service.export_anki(deck_env, DECK, None, package)
    anki = Anki(tmp_path, package)
    # Data Scaling: learnt over two learning steps, rescheduled by hand, forgotten, relearnt.
    anki.answer("data", 3, at(-2, 9))
    anki.answer("data", 3, at(-2, 9, 10))
    anki.reschedule("data", at(-1, 8))
    anki.answer("data", 1, at(-1, 8, 1))
    anki.answer("data", 3, at(-1, 8, 11))
    # Data Parallelism: Easy in Anki two days ago, Hard in Anki this morning; Good here yesterday.
    anki.answer("dp", 4, at(-2, 10))
    anki.answer("dp", 2, at(0, 9))
    # GPU Usage (a placement card: it has no definition) once; a note of Anki's own once.
    anki.answer("gpu", 3, at(-1, 15), kind="placement")
    anki.foreign_note(at(-1, 16))
    kinds = anki.kinds()
    answer_locally(deck_env, "dp", 4, at(-1, 10))
    whole, deck_package = anki.export()
    return whole, deck_package, kinds


def test_reviews_come_back_once_with_their_grades_however_often_the_file_is_imported(deck_env, invoke, studied):
    whole, deck_package, kinds = studied
    # What Anki logged: learning steps (type 0), a manual reschedule (ease 0), a review and a relearning step.
    # Anki's log (type, button) in time order: learning steps (0), a manual reschedule (4, no
    # button), a review (1) and a relearning step (2).
    assert kinds == [[0, 3], [0, 3], [0, 4], [4, 0], [1, 1], [2, 3], [0, 3], [0, 3], [1, 2]]

    out = invoke("import-reviews", str(whole))
    assert out == (
        f"Scaling Hypothesis: reviews from {whole}: 7 answers added, 0 already held, "
        "1 of notes not from this deck, 1 left out (not answers); 3 cards rescheduled\n"
    )
    day = timedelta(days=1)
    assert log_of(deck_env, "data") == [
        (DAY - 2 * day, 4, False, "anki"),
        (DAY - 2 * day, 4, True, "anki"),  # the second learning step, on the same day: a drill
        (DAY - day, 1, False, "anki"),  # Again: a lapse
        (DAY - day, 4, True, "anki"),
    ]
    assert log_of(deck_env, "dp") == [
        (DAY - 2 * day, 5, False, "anki"),
        (DAY - day, 4, False, "here"),
        (DAY, 3, False, "anki"),
    ]
    assert log_of(deck_env, "gpu", "placement") == [(DAY - day, 4, False, "anki")]
    with deck_env.connection() as conn:
        total = conn.scalar(select(func.count()).select_from(reviews))
        stored = conn.execute(select(reviews.c.event_id).order_by(reviews.c.id)).scalars().all()
    assert total == 8

    for package in (whole, deck_package, whole):
        again = json.loads(invoke("import-reviews", str(package), "--json"))
        assert {k: again[k] for k in ("added", "held", "not_from_deck", "left_out", "cards", "deck")} == {
            "added": 0,
            "held": 7,
            "not_from_deck": 1,
            "left_out": 1,
            "cards": 0,
            "deck": DECK,
        }
    with deck_env.connection() as conn:
        assert conn.execute(select(reviews.c.event_id).order_by(reviews.c.id)).scalars().all() == stored
        assert again["device"] == identity.device_id(conn)


def test_the_deck_package_alone_brings_the_same_answers(deck_env, invoke, studied):
    _whole, deck_package, _kinds = studied
    out = json.loads(invoke("import-reviews", str(deck_package), "--json"))
    assert (out["added"], out["held"], out["cards"]) == (7, 0, 3)
    assert [grade for _day, grade, _drill, _device in log_of(deck_env, "dp")] == [5, 4, 3]


def test_a_card_answered_here_and_in_anki_gets_the_schedule_of_one_device_answering_in_time_order(
    deck_env, invoke, studied, tmp_path, data
):
    whole, _deck_package, _kinds = studied
    invoke("import-reviews", str(whole))
    # One device, answering the same three times in their order.
    alone = Env(url=f"sqlite:///{tmp_path / 'alone.sqlite3'}", clock=deck_env.clock, seed_bundled=False)
    with alone.connection(write=True) as conn:
        importing.import_graph(conn, DECK, read_deck(data / DECK_FILE), "test", NOW)
    for grade, moment in ((5, at(-2, 10)), (4, at(-1, 10)), (3, at(0, 9))):
        answer_locally(alone, "dp", grade, moment)
    expected = schedule_and_log(alone, "dp")
    alone.close()
    assert schedule_and_log(deck_env, "dp") == expected
    # SM-2 on Easy, Good, Hard a day apart: 1 day, 6 days, then 6 x 2.6 (the easiness before Hard) from today.
    (schedule, log) = expected
    assert [row[4] for row in log] == [1, 6, 16] and schedule[:4] == (246, 3, 16, DAY + timedelta(days=16))


def test_bad_files_and_a_missing_deck_are_refused_and_nothing_is_stored(deck_env, invoke, studied, tmp_path):
    whole, _deck_package, _kinds = studied
    not_zip = tmp_path / "notes.colpkg"
    not_zip.write_text("not a package")
    no_collection = tmp_path / "empty.apkg"
    with zipfile.ZipFile(no_collection, "w") as archive:
        archive.writestr("media", "{}")
    broken = tmp_path / "broken.colpkg"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd" + b"garbage" * 10)
    without_scheduling = tmp_path / "deck.apkg"  # srs's own export: no reviews in it
    refusals = {
        not_zip: "not an Anki package: not a zip archive, or a broken one",
        no_collection: "not an Anki package: it holds no collection",
        broken: "cannot inflate the collection",
        without_scheduling: "the package holds no reviews",
        tmp_path / "missing.colpkg": "cannot read the file",
    }
    for path, words in refusals.items():
        out = invoke("import-reviews", str(path), code=2)
        assert words in out and out.count("\n") == 1, out
    out = invoke("import-reviews", str(whole), "--deck", "Nope", code=2)
    assert "no deck named 'Nope'" in out and out.count("\n") == 1
    with deck_env.connection() as conn:
        assert conn.scalar(select(func.count()).select_from(reviews)) == 1  # the answer given here
        assert conn.scalar(select(func.count()).select_from(nodes)) == 14


def test_undo_takes_back_the_answer_given_here_never_one_from_anki(deck_env, invoke, studied):
    whole, _deck_package, _kinds = studied
    invoke("import-reviews", str(whole))
    after_import = schedule_and_log(deck_env, "gpu", "placement")
    # The answer given here yesterday to Data Parallelism comes before Anki's of this morning: it
    # is not the card's latest, so it cannot be taken back, and nothing changes.
    dp = schedule_and_log(deck_env, "dp")
    out = invoke("undo", code=2)
    assert "only the card's latest answer can be taken back" in out
    assert schedule_and_log(deck_env, "dp") == dp
    # One given here now, after Anki's: taken back, the card as the import left it.
    with deck_env.connection(write=True) as conn:
        answers.record_answer(conn, card_id(deck_env, "gpu", "placement"), 2, NOW, DAY)
    invoke("undo")
    assert schedule_and_log(deck_env, "gpu", "placement") == after_import
    assert log_of(deck_env, "dp")[1][3] == "here"


def test_switching_the_scheduler_after_an_import_replays_the_log_in_time_order(deck_env, invoke, studied):
    whole, _deck_package, _kinds = studied
    invoke("import-reviews", str(whole))
    before = {key: schedule_and_log(deck_env, key) for key in ("data", "dp")}
    # There and back: a replay by row id would meet Data Parallelism's answer of yesterday
    # (stored first) before Anki's of two days ago, and give other schedules.
    invoke("scheduler", "fsrs")
    fsrs = schedule_and_log(deck_env, "dp")
    assert fsrs != before["dp"] and [row[:3] for row in fsrs[1]] == [row[:3] for row in before["dp"][1]]
    invoke("scheduler", "sm2")
    assert {key: schedule_and_log(deck_env, key) for key in ("data", "dp")} == before


def test_reviews_of_a_pair_card_come_back_to_it(deck_env, invoke, tmp_path):
    invoke("options", "contrast_cards", "on")
    out = invoke("answer", "data", "1", "--confused-with", "compute")
    assert "New contrast card: how does Data Scaling differ from Compute Scaling?" in out
    package = tmp_path / "deck.apkg"
    export_service.export_anki(deck_env, DECK, None, package)
    anki = Anki(tmp_path, package)
    guid = pair_key_guid(DECK, "contrast", "data", "compute")
    (pair_card,) = [
        anki.col.get_card(cid) for cid in anki.col.find_cards("") if anki.col.get_card(cid).note().guid == guid
    ]
    pair_card.start_timer()
    anki.col.sched.answerCard(pair_card, 3)
    anki._stamp(at(0, 9))
    whole, _deck_package = anki.export()

    first = json.loads(invoke("import-reviews", str(whole), "--json"))
    again = json.loads(invoke("import-reviews", str(whole), "--json"))
    assert (first["added"], first["held"], first["not_from_deck"]) == (1, 0, 0)
    assert (again["added"], again["held"], again["not_from_deck"]) == (0, 1, 0)
    with deck_env.connection() as conn:
        partner = conn.execute(select(nodes.c.id).where(nodes.c.key == "compute")).scalar_one()
        pair = identity.find_card(conn, deck_env.learner_id, DECK, "data", "contrast", "compute")
        assert pair.partner_id == partner
        log = conn.execute(
            select(reviews.c.day, reviews.c.grade, reviews.c.device).where(reviews.c.card_id == pair.id)
        ).all()
    assert [tuple(row) for row in log] == [(DAY, 4, identity.ANKI_DEVICE)]
    assert (pair.reviews, pair.interval, pair.due) == (1, 1, DAY + timedelta(days=1))

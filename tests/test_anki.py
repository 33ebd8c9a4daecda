"""The Anki export, checked by importing it into a real Anki collection."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy import text as sql_text

from srs.cli import cli
from srs.config import Setting
from srs.core.day import Clock
from srs.core.graph import Concept, RawEdge, assemble
from srs.env import Env
from srs.errors import ExportError
from srs.export import anki as anki_export
from srs.readers import read_deck
from srs.service import export as export_service
from srs.storage import decks, importing
from srs.storage.tables import cards, nodes

collection = pytest.importorskip("anki.collection")

DATA = Path(__file__).parent / "data"
DECK_FILE = DATA / "anki_deck.gexf"
DECK = "Scaling Hypothesis"
NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=3)

NOTES = 14
CARDS = 19
DECKS_AT_DEPTH_1 = {DECK, f"{DECK}::Data Scaling", f"{DECK}::Compute Scaling", f"{DECK}::Scaling Laws"}


def clock_at(moment: datetime) -> Clock:
    return Clock(now=lambda: moment, tz=tz.UTC)


def import_file(env: Env, path: Path, name: str | None = None) -> None:
    graph = read_deck(path)
    with env.connection(write=True) as conn:
        importing.import_graph(conn, name or graph.label(graph.root), graph, str(path), env.clock.now())


@pytest.fixture
def env(tmp_path):
    env = Env(url=f"sqlite:///{tmp_path / 'srs.sqlite3'}", clock=clock_at(NOW), seed_bundled=False)
    import_file(env, DECK_FILE)
    yield env
    env.close()


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def export(env: Env, path: Path, branch: str | None = None, depth: int = 1, now: datetime = NOW, progress=None):
    """The export `srs export anki` runs, at the moment `now`."""
    clock, env.clock = env.clock, clock_at(now)
    try:
        return export_service.export_anki(env, DECK, branch, path, depth, progress)
    finally:
        env.clock = clock


class AnkiCollection:
    """A fresh Anki collection, and what the tests ask of it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(exist_ok=True)
        self.col = collection.Collection(str(folder / "c.anki2"))

    def load(self, package: Path, with_scheduling: bool = False):
        """Import `package`; `with_scheduling` is the option "Include reviews" (its suspensions, its leech tags)."""
        request = collection.ImportAnkiPackageRequest(
            package_path=str(package), options=collection.ImportAnkiPackageOptions(with_scheduling=with_scheduling)
        )
        return self.col.import_anki_package(request).log

    def notes(self) -> dict[str, object]:
        """Every note, by its term."""
        notes = [self.col.get_note(nid) for nid in self.col.find_notes("")]
        return {note["Term"]: note for note in notes}

    def cards(self):
        return [self.col.get_card(cid) for cid in self.col.find_cards("")]

    def cards_of(self, term: str) -> dict[str, object]:
        """A note's cards, by template name."""
        note = self.notes()[term]
        return {card.template()["name"]: card for card in note.cards()}

    def deck_names(self) -> set[str]:
        return {d.name for d in self.col.decks.all_names_and_ids()} - {"Default"}

    def deck_of(self, term: str) -> str:
        return {self.col.decks.name(card.did) for card in self.notes()[term].cards()}.pop()


@pytest.fixture
def anki_col(tmp_path):
    col = AnkiCollection(tmp_path / "anki")
    yield col
    col.col.close()


def package_db(package: Path, tmp_path: Path) -> sqlite3.Connection:
    """The collection inside a package, opened with plain SQLite."""
    with zipfile.ZipFile(package) as z:
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
        target = tmp_path / f"inside-{package.stem}.anki2"
        target.write_bytes(z.read("collection.anki2"))
    return sqlite3.connect(target)


def visible(html: str) -> str:
    """A rendered side without the style sheet Anki puts first."""
    return html.split("</style>", 1)[-1]


# -- what Anki sees -------------------------------------------------------------------------------


def test_export_imports_with_one_note_per_node_and_one_card_per_card(env, out, anki_col):
    report = export(env, out / "deck.apkg")
    log = anki_col.load(out / "deck.apkg")

    assert (report.notes, report.cards, report.suspended) == (NOTES, CARDS, 0)
    assert len(log.new) == NOTES and not log.updated and not log.duplicate
    assert anki_col.col.note_count() == NOTES
    assert anki_col.col.card_count() == CARDS
    with env.connection() as conn:
        live_cards = conn.scalar(select(func.count()).select_from(cards).where(cards.c.retired.is_(False)))
    assert live_cards == CARDS
    assert report.decks == tuple(sorted(DECKS_AT_DEPTH_1))
    assert report.path == (out / "deck.apkg").absolute()
    assert os.listdir(out) == ["deck.apkg"]


def test_cards_follow_the_card_kinds(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    kinds = {term: sorted(anki_col.cards_of(term)) for term in anki_col.notes()}
    assert kinds == {
        "Scaling Hypothesis": ["Children", "Definition"],
        "Data Scaling": ["Children", "Definition"],
        "Data Quality": ["Definition"],
        "Deduplication": ["Definition"],
        "Curriculum": ["Definition"],
        "Compute Scaling": ["Children", "Definition"],
        "GPU Usage": ["Placement"],
        "Parallelism": ["Children", "Definition"],
        "Data Parallelism": ["Definition"],
        "Model Parallelism": ["Definition"],
        "Scaling Laws": ["Children", "Definition"],
        "Power Laws": ["Definition"],
        "Chinchilla Scaling": ["Definition"],
        "Chinchilla": ["Definition"],
    }


def test_every_card_renders_with_its_term(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    cards = anki_col.cards()
    assert len(cards) == CARDS
    for card in cards:
        term = card.note()["Term"]
        front, back = visible(card.question()), visible(card.answer())
        assert front.strip() and back.strip()
        assert term in front, (term, front)
        assert term in back
        assert 'id="answer"' in back


def test_fields_carry_the_context(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")
    notes = anki_col.notes()

    power = notes["Power Laws"]
    assert power["Definition"] == "y = a x^k: a straight line on log-log axes."
    assert power["Path"] == "Scaling Hypothesis › Scaling Laws"
    assert power["Parent"] == (
        '<span class="srs-label">Part of:</span> <span class="srs-name">Scaling Laws</span>'
        '<span class="srs-gloss"> — Loss falls as a power of model size, data and compute.</span>'
    )
    assert power["Siblings"] == (
        '<ul class="srs-list"><li><span class="srs-name">Chinchilla Scaling</span>'
        '<span class="srs-gloss"> — Grow parameters and tokens in equal proportion.</span></li></ul>'
    )
    assert power["Children"] == ""
    assert power["DefinitionQuestion"] == 'What is <span class="srs-term">Power Laws</span>?'
    assert power["PlacementQuestion"] == power["ChildrenQuestion"] == ""
    assert power["Key"] == "power"

    data = notes["Data Scaling"]
    assert data["Notes"] == "Check the Chinchilla paper."
    assert data["Mnemonic"] == "More data, more smarts"
    assert data["Children"].count("<li>") == 3
    assert '<span class="srs-name">Curriculum</span>' in data["Children"]
    assert data["ChildrenQuestion"] == 'Name the 3 concepts under <span class="srs-term">Data Scaling</span>.'
    assert data["ChildrenPath"] == "Scaling Hypothesis"
    assert notes["Data Quality"]["Example"] == "Filtering web text by perplexity."

    gpu = notes["GPU Usage"]
    assert gpu["Definition"] == gpu["DefinitionQuestion"] == ""
    assert gpu["PlacementQuestion"] == 'Where does <span class="srs-term">GPU Usage</span> sit in the map?'

    curriculum = notes["Curriculum"]
    assert curriculum["Parent"].startswith(
        '<span class="srs-label">Part of:</span> <span class="srs-name">Data Scaling</span>'
    )
    assert curriculum["OtherParents"] == "Compute Scaling"
    siblings = curriculum["Siblings"]
    assert [s for s in ("Data Quality", "Deduplication", "GPU Usage", "Parallelism") if s in siblings] == [
        "Data Quality",
        "Deduplication",
        "GPU Usage",
        "Parallelism",
    ]


def test_the_back_shows_what_the_terminal_shows(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    back = visible(anki_col.cards_of("Data Scaling")["Definition"].answer())
    for text in (
        "Growing the training set.",
        "Part of:",
        "Scaling Hypothesis",
        "Not to be confused with:",
        "Compute Scaling",
        "Concepts under Data Scaling:",
        "Data Quality",
        "Notes:",
        "Check the Chinchilla paper.",
        "Mnemonic:",
        "More data, more smarts",
    ):
        assert text in back, text
    placement = visible(anki_col.cards_of("GPU Usage")["Placement"].answer())
    assert "Scaling Hypothesis › Compute Scaling › " in placement
    parts = visible(anki_col.cards_of("Parallelism")["Children"].answer())
    assert "Data Parallelism" in parts and "Model Parallelism" in parts
    also = visible(anki_col.cards_of("Curriculum")["Definition"].answer())
    assert "Also under:" in also and "Compute Scaling" in also


def test_a_breadcrumb_that_gives_the_answer_away_is_masked(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    note = anki_col.notes()["Chinchilla"]
    assert note["Path"] == "Scaling Hypothesis › Scaling Laws › […] Scaling"
    front = visible(anki_col.cards_of("Chinchilla")["Definition"].question())
    assert "[…] Scaling" in front
    assert "Chinchilla Scaling" not in front


def test_text_is_escaped_and_shows_as_text(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    note = anki_col.notes()["Data Quality"]
    assert note["Definition"] == (
        "Keeping &lt;b&gt;good&lt;/b&gt; text &amp; dropping &lt;script&gt;alert(1)&lt;/script&gt; junk."
    )
    back = anki_col.cards_of("Data Quality")["Definition"].answer()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in back
    assert "<script>alert" not in back and "<b>good" not in back
    # The gloss shown beside a sibling is escaped too.
    assert "&lt;b&gt;good&lt;/b&gt;" in anki_col.notes()["Deduplication"]["Siblings"]


def test_control_characters_arrive_in_anki_as_their_stand_ins(env, out, anki_col):
    # Put straight into the database, as an older import or a direct edit may have left them.
    with env.connection(write=True) as conn:
        conn.execute(
            sql_text("UPDATE nodes SET label = :label, definition = :definition, notes = :notes WHERE key = 'dedup'"),
            {"label": "Dedup\x1b[31m", "definition": "Drops\x00 copies\x1f of \x1b[2J pages", "notes": "Ring\x07"},
        )
        conn.execute(sql_text("UPDATE nodes SET label = :label WHERE key = 'data'"), {"label": "Data\x1b Scaling"})
    result = run(env, "export", "anki", "-o", str(out / "deck.apkg"))
    assert result.exit_code == 0, result.output

    anki_col.load(out / "deck.apkg")
    notes = anki_col.notes()
    assert len(notes) == NOTES  # the unit separator, which divides a note's fields, split none
    note = notes["Dedup␛[31m"]
    assert (note["Definition"], note["Notes"]) == ("Drops␀ copies␟ of ␛[2J pages", "Ring␇")
    assert anki_col.deck_of("Dedup␛[31m") == f"{DECK}::Data␛ Scaling"
    assert '<span class="srs-name">Dedup␛[31m</span>' in notes["Data Quality"]["Siblings"]
    back = anki_col.cards_of("Dedup␛[31m")["Definition"].answer()
    assert "Drops␀ copies␟ of ␛[2J pages" in back and "\x1b" not in back


def test_the_journal_follows_the_notes_and_the_note_type_stays_as_it_was(env, out, anki_col):
    from srs.service import journal as journal_service

    export(env, out / "before.apkg")
    anki_col.load(out / "before.apkg")
    kinds = {m["id"]: [f["name"] for f in m["flds"]] for m in anki_col.col.models.all()}
    assert anki_col.notes()["Data Scaling"]["Notes"] == "Check the Chinchilla paper."

    journal_service.add(env, DECK, "Data Scaling", "Quality <b>beats</b> & size")
    env.clock = clock_at(LATER)
    journal_service.add(env, DECK, "Data Scaling", "Second\x1b thought")
    export(env, out / "after.apkg", now=LATER)
    log = anki_col.load(out / "after.apkg")

    assert (len(log.new), len(log.conflicting), len(log.updated)) == (0, 0, NOTES)
    assert {m["id"]: [f["name"] for f in m["flds"]] for m in anki_col.col.models.all()} == kinds
    assert anki_col.notes()["Data Scaling"]["Notes"] == (
        'Check the Chinchilla paper.<div class="srs-journal"><span class="srs-label">Journal:</span>'
        "<div>2026-11-26 Second␛ thought</div><div>2026-11-23 Quality &lt;b&gt;beats&lt;/b&gt; &amp; size</div></div>"
    )
    back = visible(anki_col.cards_of("Data Scaling")["Definition"].answer())
    assert "Journal:" in back and "Quality &lt;b&gt;beats&lt;/b&gt; &amp; size" in back
    assert "<b>beats" not in back and "\x1b" not in back
    assert anki_col.notes()["Data Quality"]["Notes"] == ""  # no journal, no entry


def test_tags_name_the_top_level_branch_and_the_other_parents(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")
    tags = {term: sorted(note.tags) for term, note in anki_col.notes().items()}

    assert tags["Scaling Hypothesis"] == []
    assert tags["Data Scaling"] == ["scaling-hypothesis::branch::data-scaling"]
    assert tags["Model Parallelism"] == ["scaling-hypothesis::branch::compute-scaling"]
    assert tags["Chinchilla"] == ["scaling-hypothesis::branch::scaling-laws"]
    assert tags["Curriculum"] == [
        "scaling-hypothesis::also-under::compute-scaling",
        "scaling-hypothesis::branch::compute-scaling",
        "scaling-hypothesis::branch::data-scaling",
    ]
    assert all(" " not in tag for tag_list in tags.values() for tag in tag_list)


def test_a_note_with_a_leech_among_its_cards_is_tagged_leech(env, out, anki_col, tmp_path):
    with env.connection(write=True) as conn:
        chinchilla = select(nodes.c.id).where(nodes.c.label == "Chinchilla").scalar_subquery()
        conn.execute(update(cards).where(cards.c.node_id == chinchilla).values(lapses=8))  # the threshold
        scaling = select(nodes.c.id).where(nodes.c.label == "Data Scaling").scalar_subquery()
        conn.execute(
            update(cards).where(cards.c.node_id == scaling, cards.c.kind == "children").values(lapses=8, suspended=True)
        )
        conn.execute(update(cards).where(cards.c.node_id == scaling, cards.c.kind == "definition").values(lapses=7))
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg", with_scheduling=True)  # without it, Anki drops every leech tag
    tags = {term: sorted(note.tags) for term, note in anki_col.notes().items()}
    assert [term for term, listed in tags.items() if "leech" in listed] == ["Data Scaling", "Chinchilla"]
    assert tags["Chinchilla"] == ["leech", "scaling-hypothesis::branch::scaling-laws"]
    assert tags["Data Scaling"] == ["leech", "scaling-hypothesis::branch::data-scaling"]

    env.config = replace(env.config, leech_threshold=Setting(9, "file test"))
    export(env, out / "later.apkg", now=LATER)
    anki_col.load(out / "later.apkg", with_scheduling=True)
    assert not [term for term, note in anki_col.notes().items() if "leech" in note.tags]


def test_subdecks_follow_the_graph(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    assert anki_col.deck_names() == DECKS_AT_DEPTH_1
    assert anki_col.deck_of("Scaling Hypothesis") == DECK
    assert anki_col.deck_of("Data Scaling") == f"{DECK}::Data Scaling"
    assert anki_col.deck_of("Model Parallelism") == f"{DECK}::Compute Scaling"
    # Two parents: the first one's subdeck.
    assert anki_col.deck_of("Curriculum") == f"{DECK}::Data Scaling"


def test_depth_two_makes_subdecks_for_branches_only(env, out, tmp_path):
    report = export(env, out / "deep.apkg", depth=2)
    col = AnkiCollection(tmp_path / "deep")
    try:
        col.load(out / "deep.apkg")
        assert col.deck_names() == DECKS_AT_DEPTH_1 | {
            f"{DECK}::Compute Scaling::Parallelism",
            f"{DECK}::Scaling Laws::Chinchilla Scaling",
        }
        assert col.deck_of("Parallelism") == f"{DECK}::Compute Scaling::Parallelism"
        assert col.deck_of("Data Parallelism") == f"{DECK}::Compute Scaling::Parallelism"
        assert col.deck_of("GPU Usage") == f"{DECK}::Compute Scaling"  # a leaf stays with its parent
        assert col.deck_of("Chinchilla") == f"{DECK}::Scaling Laws::Chinchilla Scaling"
        assert report.notes == NOTES
    finally:
        col.col.close()


def test_depth_zero_puts_everything_in_one_deck(env, out):
    report = export(env, out / "flat.apkg", depth=0)
    assert report.decks == (DECK,)
    assert report.notes == NOTES


def test_a_branch_exports_alone_into_its_place_in_the_deck_tree(env, out, anki_col):
    report = export(env, out / "compute.apkg", branch="Compute Scaling")
    anki_col.load(out / "compute.apkg")

    assert report.branch == "Compute Scaling"
    assert set(anki_col.notes()) == {
        "Compute Scaling",
        "GPU Usage",
        "Parallelism",
        "Data Parallelism",
        "Model Parallelism",
        "Curriculum",
    }
    assert (report.notes, report.cards) == (6, 8)
    assert anki_col.col.card_count() == 8
    # Depth counts from the branch, and the names start from the deck's root.
    assert anki_col.deck_of("Compute Scaling") == f"{DECK}::Compute Scaling"
    assert anki_col.deck_of("Curriculum") == f"{DECK}::Compute Scaling"  # its first parent is not exported
    assert anki_col.deck_of("Model Parallelism") == f"{DECK}::Compute Scaling::Parallelism"
    # The same notes as in the whole deck's export: a later full export updates them.
    assert anki_col.notes()["Curriculum"].guid == anki_export.note_guid(DECK, "curriculum")


def test_a_branch_export_followed_by_the_whole_deck_adds_only_the_rest(env, out, anki_col):
    export(env, out / "compute.apkg", branch="Compute Scaling")
    anki_col.load(out / "compute.apkg")
    export(env, out / "deck.apkg", now=LATER)
    log = anki_col.load(out / "deck.apkg")

    assert (len(log.new), len(log.updated)) == (NOTES - 6, 6)
    assert anki_col.col.note_count() == NOTES
    assert anki_col.col.card_count() == CARDS


# -- identity and updates -------------------------------------------------------------------------


def test_note_guids_are_genankis_for_deck_and_node_key():
    # Notes exported by earlier versions (genanki.guid_for) must match: Anki updates by GUID.
    assert anki_export.note_guid("Scaling Hypothesis", "scaling-hypothesis") == "t=`UoeARYv"
    assert anki_export.note_guid("Deck", "ä/ß 1") == "nigyy$-8!["
    assert anki_export.note_guid("", "") == "z+VBQ9+v.E"
    assert anki_export.note_guid("Deck", "n98") == "Dm@RA/1=W"  # an odd number of digits


@settings(max_examples=300, deadline=None)
@given(deck=st.text(max_size=40), key=st.text(max_size=40))
def test_note_guids_equal_genanki_guid_for_on_any_text(deck, key):
    assert anki_export.note_guid(deck, key) == genanki.guid_for(deck, key)


def test_ids_and_guids_are_the_same_in_every_export(env, out, tmp_path):
    export(env, out / "one.apkg")
    export(env, out / "two.apkg", now=LATER)

    def identity(package: Path):
        db = package_db(package, tmp_path)
        models, decks = db.execute("SELECT models, decks FROM col").fetchone()
        guids = sorted(row[0] for row in db.execute("SELECT guid FROM notes"))
        model_ids = sorted(json.loads(models))
        deck_ids = {d["name"]: d["id"] for d in json.loads(decks).values()}
        mods = {row[0] for row in db.execute("SELECT mod FROM notes")}
        db.close()
        return model_ids, deck_ids, guids, mods

    models1, decks1, guids1, mods1 = identity(out / "one.apkg")
    models2, decks2, guids2, mods2 = identity(out / "two.apkg")
    assert models1 == models2 == [str(anki_export.stable_id("note type", DECK))]
    assert decks1 == decks2
    assert decks1[f"{DECK}::Data Scaling"] == anki_export.stable_id("deck", f"{DECK}::Data Scaling")
    assert guids1 == guids2 and len(guids1) == NOTES
    # Every note carries the export time, so the later export is the newer one in Anki's eyes.
    assert mods1 == {int(NOW.timestamp())}
    assert mods2 == {int(LATER.timestamp())}


def test_a_later_export_updates_the_notes_and_keeps_their_reviews(env, out, anki_col, tmp_path):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")
    card = anki_col.cards_of("Power Laws")["Definition"]
    anki_col.col.sched.set_due_date([card.id], "10")  # as if learned in Anki
    before = anki_col.col.get_card(card.id)
    assert before.ivl == 10

    edited = tmp_path / "edited.gexf"
    edited.write_text(
        DECK_FILE.read_text().replace(
            "y = a x^k: a straight line on log-log axes.", "y = a x^k, straight on log-log paper."
        )
    )
    env.clock = clock_at(LATER)
    import_file(env, edited, DECK)
    export(env, out / "deck.apkg", now=LATER)
    log = anki_col.load(out / "deck.apkg")

    assert len(log.new) == 0 and len(log.updated) == NOTES
    assert anki_col.col.note_count() == NOTES
    assert anki_col.col.card_count() == CARDS
    notes = anki_col.notes()
    assert notes["Power Laws"]["Definition"] == "y = a x^k, straight on log-log paper."
    # The sibling's gloss on the other note follows the edit too.
    assert "straight on log-log paper." in notes["Chinchilla Scaling"]["Siblings"]
    after = anki_col.col.get_card(card.id)
    assert (after.ivl, after.due, after.type) == (before.ivl, before.due, before.type)


def test_importing_the_same_export_twice_changes_nothing(env, out, anki_col):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")
    log = anki_col.load(out / "deck.apkg")
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, NOTES)
    assert anki_col.col.note_count() == NOTES


def test_a_new_node_and_a_new_card_arrive_with_the_next_export(env, out, anki_col, tmp_path):
    export(env, out / "deck.apkg")
    anki_col.load(out / "deck.apkg")

    grown = (
        DECK_FILE.read_text()
        .replace(
            "    </nodes>",
            '      <node id="gopher" label="Gopher">'
            '<attvalues><attvalue for="0" value="A 280B model."/></attvalues></node>\n'
            "    </nodes>",
        )
        .replace("    </edges>", '      <edge id="e15" source="chin" target="gopher"/>\n    </edges>')
    )
    (tmp_path / "grown.gexf").write_text(grown)
    env.clock = clock_at(LATER)
    import_file(env, tmp_path / "grown.gexf", DECK)
    export(env, out / "deck.apkg", now=LATER)
    log = anki_col.load(out / "deck.apkg")

    assert len(log.new) == 1 and len(log.updated) == NOTES
    assert anki_col.col.note_count() == NOTES + 1
    # Gopher's definition card, and Chinchilla Scaling's new children card (now two children).
    assert anki_col.col.card_count() == CARDS + 2
    assert sorted(anki_col.cards_of("Chinchilla Scaling")) == ["Children", "Definition"]


# -- the library function -------------------------------------------------------------------------


def test_progress_counts_notes_up_to_the_total(env, out):
    calls = []
    export(env, out / "deck.apkg", progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, NOTES)
    assert calls[-1] == (NOTES, NOTES)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {NOTES}
    assert calls.count((NOTES, NOTES)) == 1


def test_suspended_cards_are_exported_suspended(env, out, tmp_path):
    with env.connection(write=True) as conn:
        conn.execute(update(cards).where(cards.c.kind == "placement").values(suspended=True))
    report = export(env, out / "deck.apkg")
    assert report.suspended == 1
    db = package_db(out / "deck.apkg", tmp_path)
    assert db.execute("SELECT count(*) FROM cards WHERE queue = -1").fetchone() == (1,)
    db.close()


def test_a_failure_while_writing_leaves_no_file_and_keeps_the_old_one(env, out, monkeypatch):
    target = out / "deck.apkg"
    target.write_bytes(b"the previous export")
    written = []

    def failing(self, cursor, timestamp, deck_id, ids):
        written.append(self)
        if len(written) == 5:
            raise RuntimeError("boom")
        return original(self, cursor, timestamp, deck_id, ids)

    original = anki_export.genanki.Note.write_to_db
    monkeypatch.setattr(anki_export.genanki.Note, "write_to_db", failing)
    with pytest.raises(RuntimeError):
        export(env, target)
    assert os.listdir(out) == ["deck.apkg"]
    assert target.read_bytes() == b"the previous export"


def test_a_full_disk_while_writing_notes_is_one_clear_error_and_leaves_nothing(env, out, monkeypatch):
    # SQLite's own page limit stands in for a full disk: the package's collection may grow to
    # 30 pages (120 KiB), room for its tables and note type but not for notes this long.
    connect = sqlite3.connect

    def on_a_full_disk(path, *args, **kwargs):
        connection = connect(path, *args, **kwargs)
        if str(path).endswith("collection.anki2"):
            connection.execute("PRAGMA max_page_count = 30")
        return connection

    with env.connection(write=True) as conn:  # notes long enough to need pages of their own
        deck_id = decks.find_deck(conn, DECK, env.learner_id).id
        conn.execute(update(nodes).where(nodes.c.deck_id == deck_id).values(notes="a long note " * 1500))
    monkeypatch.setattr(sqlite3, "connect", on_a_full_disk)
    with pytest.raises(ExportError, match=r"deck\.apkg: cannot write the export: database or disk is full"):
        export(env, out / "deck.apkg")
    assert os.listdir(out) == []


def test_a_failed_rename_is_a_clear_error_and_leaves_nothing(env, out, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(anki_export.os, "replace", refuse)
    with pytest.raises(ExportError, match="cannot write the export: Permission denied"):
        export(env, out / "deck.apkg")
    assert os.listdir(out) == []


def test_bad_targets_are_refused_before_any_work(env, out):
    (out / "a-file").write_text("")
    (out / "folder.apkg").mkdir()
    for path, message in [
        (out / "missing" / "deck.apkg", "does not exist"),
        (out / "a-file" / "deck.apkg", "is not a folder"),
        (out / "folder.apkg", "it is a folder"),
        (out / "deck.zip", "must end in .apkg"),
    ]:
        with pytest.raises(ExportError, match=message):
            export(env, path)
    assert sorted(os.listdir(out)) == ["a-file", "folder.apkg"]


def test_a_negative_depth_is_an_error(env, out):
    with pytest.raises(ExportError, match="depth cannot be negative"):
        export(env, out / "deck.apkg", depth=-1)
    assert os.listdir(out) == []


def test_a_deck_without_cards_is_an_error(env, out, tmp_path):
    (tmp_path / "lonely.md").write_text("# Lonely\n")
    import_file(env, tmp_path / "lonely.md")
    with pytest.raises(ExportError, match="nothing to export: deck 'Lonely' has no cards"):
        export_service.export_anki(env, "Lonely", None, out / "lonely.apkg")
    assert os.listdir(out) == []


# -- pure pieces ---------------------------------------------------------------------------------


def layout_graph(labels: dict[str, str], edges: list[tuple[str, str]]):
    return assemble([Concept(key, label) for key, label in labels.items()], [RawEdge(a, b) for a, b in edges])


def test_plan_layout_places_and_tags_nodes():
    graph = layout_graph(
        {"r": "Root", "a": "A", "b": "B", "a1": "A1", "s": "Shared", "a1x": "A1x"},
        [("r", "a"), ("r", "b"), ("a", "a1"), ("a", "s"), ("b", "s"), ("a1", "a1x")],
    )
    plan = anki_export.plan_layout("My Deck", graph, top="r", depth=2)
    assert {n: p.deck for n, p in plan.items()} == {
        "r": "My Deck",
        "a": "My Deck::A",
        "b": "My Deck::B",
        "a1": "My Deck::A::A1",
        "s": "My Deck::A",
        "a1x": "My Deck::A::A1",
    }
    assert plan["s"].tags == ("my-deck::branch::a", "my-deck::branch::b", "my-deck::also-under::b")
    assert plan["a1x"].tags == ("my-deck::branch::a",)
    assert plan["a1"].tags == ("my-deck::branch::a",)
    assert plan["r"].tags == ()
    # Exported alone, B keeps Shared: its first parent A is outside the branch.
    branch = anki_export.plan_layout("My Deck", graph, top="b", depth=1)
    assert {n: p.deck for n, p in branch.items()} == {"b": "My Deck::B", "s": "My Deck::B"}
    # A leaf sits with its parent rather than in a subdeck of its own.
    leaf = layout_graph({"r": "R", "l": "Leaf"}, [("r", "l")])
    assert anki_export.plan_layout("D", leaf, top="r", depth=3)["l"].deck == "D"


def test_plan_layout_stops_subdecks_at_the_depth():
    graph = layout_graph(
        {"r": "R", "a": "A", "b": "B", "c": "C", "leaf": "Leaf"}, [("r", "a"), ("a", "b"), ("b", "c"), ("c", "leaf")]
    )
    decks = {n: p.deck for n, p in anki_export.plan_layout("D", graph, top="r", depth=2).items()}
    assert decks == {"r": "D", "a": "D::A", "b": "D::A::B", "c": "D::A::B", "leaf": "D::A::B"}
    assert {n: p.deck for n, p in anki_export.plan_layout("D", graph, top="r", depth=0).items()} == dict.fromkeys(
        decks, "D"
    )


def test_plan_layout_of_a_branch_names_decks_from_the_root():
    graph = layout_graph({"r": "Root", "a": "A", "a1": "A1", "leaf": "Leaf"}, [("r", "a"), ("a", "a1"), ("a1", "leaf")])
    plan = anki_export.plan_layout("D", graph, top="a1", depth=1)
    assert set(plan) == {"a1", "leaf"}
    assert plan["a1"].deck == plan["leaf"].deck == "D::A::A1"


def test_slugs_and_deck_parts():
    assert anki_export.slug("Data Scaling") == "data-scaling"
    assert anki_export.slug("  GPU: usage / cost_x ") == "gpu-usage-cost-x"
    assert anki_export.slug("Ökonomie") == "ökonomie"
    assert anki_export.slug("???") == "untitled"
    assert anki_export.deck_part("A::B") == "A:B"
    assert anki_export.deck_part("  spaced   out ") == "spaced out"


def test_stable_ids_are_in_genanki_range_and_differ_by_name():
    a, b = anki_export.stable_id("deck", "X"), anki_export.stable_id("deck", "X::Y")
    assert a != b
    assert all((1 << 30) <= i < (1 << 31) for i in (a, b))
    assert anki_export.stable_id("deck", "X") == a


# -- the command line -----------------------------------------------------------------------------


def run(env: Env, *args: str):
    return CliRunner().invoke(cli, list(args), obj=env)


def test_cli_writes_the_package(env, out):
    result = run(env, "export", "anki", "-o", str(out / "deck.apkg"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DECK}: {NOTES} notes, {CARDS} cards in 4 decks -> {out / 'deck.apkg'}\n"
    assert os.listdir(out) == ["deck.apkg"]


def test_cli_writes_a_branch(env, out):
    result = run(env, "export", "anki", "Parallelism", "-o", str(out / "p.apkg"), "--depth", "0", "--deck", DECK)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{DECK} › Parallelism: 3 notes, 4 cards in 1 deck -> {out / 'p.apkg'}\n"


def test_export_group_lists_anki():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "anki" in result.output
    result = CliRunner().invoke(cli, ["export", "anki", "--help"])
    assert "Example:" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "{out}/missing/deck.apkg", "--deck", DECK], "does not exist"),
        (["-o", "{out}/a-file/deck.apkg", "--deck", DECK], "is not a folder"),
        (["-o", "{out}/folder.apkg", "--deck", DECK], "it is a folder"),
        (["-o", "{out}/deck.txt", "--deck", DECK], "must end in .apkg"),
        (["No Such Branch", "-o", "{out}/deck.apkg", "--deck", DECK], "no node 'No Such Branch'"),
        (["-o", "{out}/deck.apkg", "--deck", "Nope"], "no deck named 'Nope'"),
        (["-o", "{out}/deck.apkg", "--deck", "Lonely"], "nothing to export"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_no_file(env, out, tmp_path, args, message):
    (tmp_path / "lonely.md").write_text("# Lonely\n")
    import_file(env, tmp_path / "lonely.md")
    (out / "a-file").write_text("")
    (out / "folder.apkg").mkdir()
    before = sorted(os.listdir(out))

    result = run(env, "export", "anki", *[a.format(out=out) for a in args])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert sorted(os.listdir(out)) == before


def test_notes_name_children_and_parents_as_the_edges_do(tmp_path, out, anki_col):
    deck_file = tmp_path / "animals.csv"
    deck_file.write_text(
        "source,target,kind\ndog,animal,is-a\ncat,animal,is-a\nanimal,tail,has-part\ndog,paw,\nanimal,paw,has-part\n"
    )
    env = Env(url=f"sqlite:///{tmp_path / 'animals.sqlite3'}", clock=clock_at(NOW), seed_bundled=False)
    try:
        import_file(env, deck_file)
        export_service.export_anki(env, "animal", None, out / "animals.apkg", 1, None)
    finally:
        env.close()
    anki_col.load(out / "animals.apkg")
    notes = anki_col.notes()
    animal = notes["animal"]
    assert (
        animal["ChildrenQuestion"]
        == 'Name the 4 concepts under <span class="srs-term">animal</span>: 2 kinds, 2 parts.'
    )
    assert animal["Children"] == (
        '<div class="srs-group"><span class="srs-label">Kinds of animal:</span><ul class="srs-list">'
        '<li><span class="srs-name">dog</span></li><li><span class="srs-name">cat</span></li></ul></div>'
        '<div class="srs-group"><span class="srs-label">Parts of animal:</span><ul class="srs-list">'
        '<li><span class="srs-name">tail</span></li><li><span class="srs-name">paw</span></li></ul></div>'
    )
    assert notes["cat"]["Parent"] == '<span class="srs-label">Kind of:</span> <span class="srs-name">animal</span>'
    assert notes["paw"]["Parent"] == '<span class="srs-label">Part of:</span> <span class="srs-name">dog</span>'
    back = visible(anki_col.cards_of("animal")["Children"].answer())
    assert "Kinds of animal:" in back and "Parts of animal:" in back
    assert "Kind of:" in visible(anki_col.cards_of("cat")["Placement"].answer())


# -- pair cards -----------------------------------------------------------------------------------


def test_a_contrast_card_is_a_pair_note_that_real_anki_imports_and_a_re_export_updates(env, out, anki_col):
    from srs.service import options as options_service
    from srs.service.study import answer_node

    options_service.set_option(env, DECK, "contrast_cards", True)
    answer_node(env, DECK, "Deduplication", 1, confused_with="Data Quality")
    report = export(env, out / "deck.apkg")
    assert (report.notes, report.cards) == (NOTES + 1, CARDS + 1)
    log = anki_col.load(out / "deck.apkg")
    assert len(log.new) == NOTES + 1

    pair_ids = anki_col.col.find_notes('"note:srs pair (Scaling Hypothesis)"')
    assert len(pair_ids) == 1
    note = anki_col.col.get_note(pair_ids[0])
    assert note.note_type()["id"] == anki_export.stable_id("pair note type", DECK)
    assert note.guid == genanki.guid_for(DECK, "contrast", "dedup", "quality")
    assert note["Question"] == 'How does <span class="srs-term">Data Quality</span> differ from Deduplication?'
    assert note["Path"] == "Scaling Hypothesis › Data Scaling"
    assert note["FirstDefinition"] == (
        "Keeping &lt;b&gt;good&lt;/b&gt; text &amp; dropping &lt;script&gt;alert(1)&lt;/script&gt; junk."
    )
    assert (note["Second"], note["SecondDefinition"], note["Link"]) == (
        "Deduplication",
        "Removing repeated documents.",
        "",
    )
    (card,) = note.cards()
    assert anki_col.col.decks.name(card.did) == f"{DECK}::Data Scaling"
    back = visible(card.answer())
    assert "<script>alert" not in back and "<b>good" not in back
    assert "Removing repeated documents." in back

    log = anki_col.load(export(env, out / "later.apkg", now=LATER).path)
    assert (len(log.new), len(log.updated)) == (0, NOTES + 1)
    assert anki_col.col.note_count() == NOTES + 1

"""The storage layer on a real SQLite file and a real PostgreSQL server: imports, the queue,
answers, undo, schema versions. Each test runs on both, but those about SQLite itself (its
files, query plans, bulk inserts), which run on SQLite alone."""

import sqlite3
import threading
from collections import defaultdict
from datetime import date, timedelta, timezone

import pytest
from sqlalchemy import event, func, inspect, select

from srs.core.graph import Concept, RawEdge, assemble
from srs.env import Env
from srs.errors import AmbiguousError, NotFoundError, SrsError, StorageError
from srs.readers import read_deck
from srs.storage import db, decks, exports, repo, study
from srs.storage.models import Card, Node, Review

TODAY = date(2026, 11, 23)

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def chain_graph(n_children=3, definition="About {}."):
    concepts = [Concept("root", "Root", "The top.")]
    edges = []
    for i in range(n_children):
        concepts.append(Concept(f"c{i}", f"Child {i}", definition.format(i)))
        edges.append(RawEdge("root", f"c{i}"))
    return assemble(concepts, edges)


def load(env, graph, name="Deck", dry_run=False):
    with env.session(write=not dry_run) as s:
        return repo.import_graph(s, name, graph, "test", env.clock.now(), dry_run=dry_run)


def counts(env):
    with env.session() as s:
        return {t.__table__.name: s.scalar(select(func.count()).select_from(t)) for t in (Node, Card, Review)}


def test_import_creates_nodes_cards_and_reimport_changes_nothing(env, data):
    graph = read_deck(data / "small.gexf")
    report = load(env, graph, "Small")
    assert report.created and report.nodes == 5 and report.cards_added == 7
    assert counts(env) == {"nodes": 5, "cards": 7, "reviews": 0}
    with env.session() as s:
        before = [
            (c.id, c.node.key, c.kind, study.card_content(s, c)) for c in s.scalars(select(Card).order_by(Card.id))
        ]
    again = load(env, graph, "Small")
    assert again.unchanged
    with env.session() as s:
        assert [
            (c.id, c.node.key, c.kind, study.card_content(s, c)) for c in s.scalars(select(Card).order_by(Card.id))
        ] == before


def test_card_content_from_the_neighbourhood_equals_building_from_the_whole_graph(env, data):
    from srs.core.cards import build_cards

    for name, graph in (("Small", read_deck(data / "small.gexf")), ("Anki", read_deck(data / "anki_deck.gexf"))):
        load(env, graph, name)
        expected = {(spec.node_key, spec.kind.value): spec.content for spec in build_cards(graph)}
        with env.session() as s:
            deck = repo.get_deck(s, name)
            got = {
                (c.node.key, c.kind): study.card_content(s, c)
                for c in s.scalars(select(Card).where(Card.deck_id == deck.id))
            }
            assert got == expected
            assert build_cards(exports.load_graph(s, deck)) == build_cards(graph)


def test_dry_run_writes_nothing(env, data):
    report = load(env, read_deck(data / "small.gexf"), "Small", dry_run=True)
    assert report.created and report.cards_added == 7
    assert counts(env) == {"nodes": 0, "cards": 0, "reviews": 0}


def test_a_failed_import_leaves_the_database_as_it_was(env, data):
    load(env, chain_graph(), "Deck")
    with pytest.raises(RuntimeError), env.session(write=True) as s:
        repo.import_graph(s, "Deck", chain_graph(5), "test", env.clock.now())
        raise RuntimeError("the disk went away half way")
    assert counts(env) == {"nodes": 4, "cards": 5, "reviews": 0}


def answer(env, card_id, grade, ms=1500):
    with env.session(write=True) as s:
        return study.record_answer(s, card_id, grade, env.clock.now(), env.clock.today(), ms).id


def card(env, card_id):
    with env.session() as s:
        c = s.get(Card, card_id)
        return (c.easiness, c.repetitions, c.interval, c.due, c.reviews, c.lapses, c.last_day, c.last_grade)


def test_the_answer_recorded_is_the_row_stored_in_the_review_log(any_env):
    load(any_env, chain_graph())
    with any_env.connection(write=True) as conn:
        card_id = conn.scalar(select(Card.id).order_by(Card.id).limit(1))
        logged = study.record_answer(conn, card_id, 4, any_env.clock.now(), TODAY, 1500)
    with any_env.connection() as conn:
        stored = conn.execute(select(Review.__table__)).one()
    row = dict(stored._mapping)
    if row["at"].tzinfo is None:  # SQLite keeps the UTC time without its zone
        row["at"] = row["at"].replace(tzinfo=timezone.utc)
    assert logged._asdict() == row


def card_id(env, key, kind="definition"):
    with env.session() as s:
        return s.scalar(select(Card.id).join(Node).where(Node.key == key, Card.kind == kind))


def test_answers_follow_sm2_with_due_days(env, now):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    answer(env, cid, 4)
    assert card(env, cid) == (250, 1, 1, TODAY + timedelta(1), 1, 0, TODAY, 4)
    now.advance(days=1)
    answer(env, cid, 5)
    assert card(env, cid) == (260, 2, 6, TODAY + timedelta(7), 2, 0, TODAY + timedelta(1), 5)
    now.advance(days=6)
    answer(env, cid, 3)
    # ceil(6 * 2.6) = 16 days, EF 2.6 - 0.14
    assert card(env, cid) == (246, 3, 16, TODAY + timedelta(23), 3, 0, TODAY + timedelta(7), 3)


def test_same_day_repeats_are_drills_that_move_nothing(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    first = answer(env, cid, 1)
    after_first = card(env, cid)
    assert after_first == (250, 0, 1, TODAY + timedelta(1), 1, 1, TODAY, 1)
    answer(env, cid, 3)
    answer(env, cid, 5)
    assert card(env, cid)[:6] == after_first[:6]
    with env.session() as s:
        log = [
            (r.grade, r.drill, r.interval_before, r.interval_after)
            for r in s.scalars(select(Review).order_by(Review.id))
        ]
        assert log == [(1, False, 0, 1), (3, True, 1, 1), (5, True, 1, 1)]
        assert s.get(Review, first).duration_ms == 1500


def test_undo_restores_the_card_and_the_log_exactly(env, now):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    answer(env, cid, 5)
    now.advance(days=1)
    before = card(env, cid)
    rid = answer(env, cid, 0)
    assert card(env, cid) != before
    with env.session(write=True) as s:
        study.undo_answer(s, rid)
    assert card(env, cid) == before
    assert counts(env)["reviews"] == 1
    with env.session(write=True) as s, pytest.raises(NotFoundError):
        study.undo_answer(s, rid)


def test_only_the_latest_answer_of_a_card_can_be_undone(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    first = answer(env, cid, 2)
    answer(env, cid, 4)
    with env.session(write=True) as s, pytest.raises(Exception, match="latest answer"):
        study.undo_answer(s, first)


def while_another_writes(env, write, then):
    """Run `write(conn)` in another `Env`'s write transaction, in a thread, and `then()` here once
    it has written but not committed; the other transaction commits 0.3 s later."""
    other = Env(url=env.url, clock=env.clock, seed_bundled=False)
    written, release = threading.Event(), threading.Event()

    def hold():
        with other.connection(write=True) as conn:
            write(conn)
            written.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert written.wait(10)
        threading.Timer(0.3, release.set).start()
        return then()
    finally:
        release.set()
        holder.join()
        other.close()


def test_an_answer_waits_for_another_to_the_same_card_and_counts_as_its_drill(env):
    """The second answer waits for the first one's transaction (SQLite's write lock taken at
    BEGIN, PostgreSQL's lock on the card's row), then sees it: one review, one drill."""
    load(env, chain_graph())
    cid = card_id(env, "c0")
    while_another_writes(
        env, lambda conn: study.record_answer(conn, cid, 4, env.clock.now(), TODAY), lambda: answer(env, cid, 5)
    )
    assert card(env, cid) == (250, 1, 1, TODAY + timedelta(1), 1, 0, TODAY, 5)
    with env.session() as s:
        assert [(r.grade, r.drill) for r in s.scalars(select(Review).order_by(Review.id))] == [(4, False), (5, True)]


def test_an_undo_waits_for_an_answer_to_the_same_card_and_then_refuses(env):
    """The answer being written becomes the card's latest: the earlier one can no longer be
    taken back, and the log and the card stay as the two answers left them."""
    load(env, chain_graph())
    cid = card_id(env, "c0")
    first = answer(env, cid, 2)

    def undo_first():
        with pytest.raises(SrsError, match="only the card's latest answer"), env.session(write=True) as s:
            study.undo_answer(s, first)

    while_another_writes(env, lambda conn: study.record_answer(conn, cid, 4, env.clock.now(), TODAY), undo_first)
    assert card(env, cid) == (250, 0, 1, TODAY + timedelta(1), 1, 1, TODAY, 4)
    with env.session() as s:
        assert [(r.grade, r.drill) for r in s.scalars(select(Review).order_by(Review.id))] == [(2, False), (4, True)]


def test_a_read_never_waits_for_a_writer_and_sees_what_was_committed(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    seen = while_another_writes(
        env, lambda conn: study.record_answer(conn, cid, 4, env.clock.now(), TODAY), lambda: card(env, cid)
    )
    assert seen == (250, 0, 0, None, 0, 0, None, None)
    assert card(env, cid)[4] == 1


def test_a_write_in_a_read_transaction_is_a_bug_and_changes_nothing(env):
    load(env, chain_graph())
    with pytest.raises(RuntimeError, match="a write in a read-only transaction"), env.session() as s:
        study.record_answer(s, card_id(env, "c0"), 4, env.clock.now(), TODAY)
    assert counts(env)["reviews"] == 0


def test_queue_due_first_most_overdue_first_then_new_parents_first(env, now):
    load(env, chain_graph(4))
    ids = {k: card_id(env, k) for k in ("c0", "c1", "c2", "c3")}
    answer(env, ids["c2"], 5)  # due in 1 day
    now.advance(days=1)
    answer(env, ids["c1"], 5)  # due the day after
    now.advance(days=3)
    with env.session() as s:
        deck = repo.get_deck(s)
        queue = study.study_queue(s, deck, env.clock.today())
        root_def, root_children = card_id(env, "root"), card_id(env, "root", "children")
        assert queue == [ids["c2"], ids["c1"], root_def, root_children, ids["c0"], ids["c3"]]


def test_daily_limits_cap_new_cards_and_reviews(env):
    load(env, chain_graph(30))
    with env.session(write=True) as s:
        deck = repo.get_deck(s)
        repo.set_limits(deck, new_per_day=5)
    with env.session() as s:
        deck = repo.get_deck(s)
        assert len(study.study_queue(s, deck, TODAY)) == 5
    for cid in range(1, 4):
        answer(env, cid, 5)
    with env.session() as s:
        deck = repo.get_deck(s)
        counts_today = repo.day_counts(s, deck, TODAY)
        assert (counts_today.new, counts_today.introduced, counts_today.new_total) == (2, 3, 29)
        assert len(study.study_queue(s, deck, TODAY)) == 2
        with pytest.raises(Exception, match="negative"):
            repo.set_limits(deck, reviews_per_day=-1)


def test_a_failed_card_stays_in_todays_queue_until_it_reaches_4(env):
    load(env, chain_graph(2))
    cid = card_id(env, "c0")
    answer(env, cid, 2)
    with env.session() as s:
        deck = repo.get_deck(s)
        assert study.study_queue(s, deck, TODAY)[0] == cid
    answer(env, cid, 4)
    with env.session() as s:
        assert cid not in study.study_queue(s, repo.get_deck(s), TODAY)


def test_branch_queue_holds_only_the_subtree(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    with env.session() as s:
        deck = repo.get_deck(s, "small")  # deck names match in any case
        branch = repo.find_node(s, deck, "Compute")
        labels = [s.get(Card, c).node.label for c in study.study_queue(s, deck, TODAY, branch)]
        assert labels == ["Compute", "Compute", "Data Parallelism", "Model Parallelism"]
        assert repo.day_counts(s, deck, TODAY, branch).new == 4


def test_find_node_by_id_label_and_path(env, data):
    graph = assemble(
        [
            Concept("r", "Root", "x"),
            Concept("a", "A", "x"),
            Concept("b", "B", "x"),
            Concept("a-x", "Leaf", "x"),
            Concept("b-x", "Leaf", "y"),
        ],
        [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "a-x"), RawEdge("b", "b-x")],
    )
    load(env, graph)
    with env.session() as s:
        deck = repo.get_deck(s)
        assert repo.find_node(s, deck, "a-x").key == "a-x"
        assert repo.find_node(s, deck, "b/leaf").key == "b-x"
        assert repo.find_node(s, deck, "Root/A/Leaf").key == "a-x"
        with pytest.raises(
            AmbiguousError, match=r"'Leaf' matches 2 nodes, give the path: 'Root/A/Leaf', 'Root/B/Leaf'"
        ):
            repo.find_node(s, deck, "Leaf")
        with pytest.raises(NotFoundError, match="no node 'Zed' in deck 'Deck'"):
            repo.find_node(s, deck, "Zed")
        with pytest.raises(NotFoundError, match="no deck named 'Nope'; decks: 'Deck'"):
            repo.get_deck(s, "Nope")


def test_a_move_between_parents_of_one_name_is_reported_by_path(env):
    ml = [Concept(key="ml", label="ML"), Concept(key="inner", label="ML"), Concept(key="sup", label="Supervised")]
    load(env, assemble(ml, [RawEdge("ml", "inner"), RawEdge("inner", "sup")]))
    with env.session(write=True) as s:
        report = repo.import_graph(s, "Deck", assemble([ml[0], ml[2]], [RawEdge("ml", "sup")]), "test", env.clock.now())
    assert report.moved == [("Supervised", "ML/ML", "ML")]
    assert report.removed == ["ML"]


def test_edited_graph_keeps_history_and_retires_removed_nodes(env):
    load(env, chain_graph(3))
    cid = card_id(env, "c1")
    answer(env, cid, 5)
    edited = assemble(
        [
            Concept("root", "Root", "The top."),
            Concept("c1", "Child One", "Now with a better definition."),
            Concept("c3", "Child 3", "New."),
        ],
        [RawEdge("root", "c1"), RawEdge("root", "c3")],
    )
    report = load(env, edited)
    assert report.renamed == [("Child 1", "Child One")]
    assert report.changed == [("Child One", ["definition"])]
    assert report.added == ["Child 3"] and report.removed == ["Child 0", "Child 2"]
    assert card_id(env, "c1") == cid
    assert card(env, cid)[:5] == (260, 1, 1, TODAY + timedelta(1), 1)
    with env.session() as s:
        c = s.get(Card, cid)
        assert study.card_content(s, c).definition == "Now with a better definition."
        deck = repo.get_deck(s)
        assert [n.label for n in repo.retired_nodes(s, deck)] == ["Child 0", "Child 2"]
        assert s.scalar(select(func.count()).where(Card.retired.is_(True))) == 2
        # Retired cards leave the queue; the root keeps its children card (2 children remain).
        assert len(study.study_queue(s, deck, TODAY)) == 3 + 1 - 1  # root def + children + c3 (c1 answered)


def test_summaries_and_tree_counts(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 4)
    with env.session() as s:
        [summary] = repo.deck_summaries(s, TODAY)
        assert (summary.nodes, summary.cards, summary.due, summary.new, summary.reviewed_today) == (5, 7, 0, 6, 1)
        deck = repo.get_deck(s)
        root, nodes = repo.deck_tree(s, deck, TODAY)
        top = nodes[root]
        assert (top.counts.due, top.counts.new, top.counts.learned, top.counts.cards) == (0, 6, 1, 7)
        compute = next(n for n in nodes.values() if n.key == "compute")
        assert (compute.counts.new, compute.counts.learned, compute.counts.cards) == (3, 1, 4)


def test_a_card_failed_today_counts_as_due_in_the_tree_as_in_the_day_counts(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)  # due tomorrow, but back again today
    with env.session() as s:
        deck = repo.get_deck(s)
        assert repo.day_counts(s, deck, TODAY).due == 1
        root, nodes = repo.deck_tree(s, deck, TODAY)
        compute = next(n for n in nodes.values() if n.key == "compute")
        assert (nodes[root].counts.due, compute.counts.due, compute.counts.learned) == (1, 1, 1)
    answer(env, card_id(env, "data-parallelism"), 4)  # the drill passed: nothing left today
    with env.session() as s:
        deck = repo.get_deck(s)
        root, nodes = repo.deck_tree(s, deck, TODAY)
        assert (repo.day_counts(s, deck, TODAY).due, nodes[root].counts.due) == (0, 0)
        root, nodes = repo.deck_tree(s, deck, TODAY + timedelta(days=1))
        assert nodes[root].counts.due == 1  # tomorrow it is due as the schedule says


# -- schema versions and database errors -------------------------------------------------------


def test_a_new_database_is_at_the_current_schema(env):
    with env.connection() as conn:
        assert db.schema_version(conn) == db.SCHEMA_VERSION


def test_migrations_run_in_order_once(database_url):
    engine = db.open_engine(database_url, migrate_schema=False)
    assert db.migrate(engine, {}, head=1) == 1
    ran = []

    def step(n):
        def run(conn):
            ran.append(n)
            conn.exec_driver_sql(f"CREATE TABLE extra{n} (id INTEGER)")

        return run

    assert db.migrate(engine, {2: step(2), 3: step(3)}, head=3) == 3
    assert db.migrate(engine, {2: step(2), 3: step(3)}, head=3) == 3
    assert ran == [2, 3]
    with pytest.raises(StorageError, match="newer version of srs"):
        db.migrate(engine, {}, head=2)
    engine.dispose()


OLD_CARD_INDEXES = {
    # Schema 1: the due-card index without `retired` and `rank`.
    1: {
        "ix_cards_due": "CREATE INDEX ix_cards_due ON cards (deck_id, suspended, reviews, due)",
        "ix_cards_new": "CREATE INDEX ix_cards_new ON cards (deck_id, suspended, reviews, rank)",
        "ix_cards_last_day": "CREATE INDEX ix_cards_last_day ON cards (deck_id, last_day)",
    },
    # Schema 2: every card in the due-day and answer-day indexes; `retired` not in the new-card one.
    2: {
        "ix_cards_due": "CREATE INDEX ix_cards_due ON cards (deck_id, due, rank, suspended, retired, reviews)",
        "ix_cards_new": "CREATE INDEX ix_cards_new ON cards (deck_id, suspended, reviews, rank)",
        "ix_cards_last_day": "CREATE INDEX ix_cards_last_day ON cards (deck_id, last_day)",
    },
    # Schema 3: the indexes as they are now (schema 4 changed node keys, not tables).
    3: {},
}


@sqlite_only
@pytest.mark.parametrize("version", sorted(OLD_CARD_INDEXES))
def test_an_older_database_is_upgraded_in_place_and_keeps_its_history(tmp_path, env, data, version):
    # The database as that release wrote it, with a deck and an answer in it.
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)
    env.close()
    path = env.url.database
    fresh = tmp_path / "fresh.sqlite3"
    db.open_engine(f"sqlite:///{fresh}").dispose()
    with sqlite3.connect(path) as conn:
        for name, sql in OLD_CARD_INDEXES[version].items():
            conn.execute(f"DROP INDEX {name}")
            conn.execute(sql)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.close()

    engine = db.open_engine(env.url)
    with engine.connect() as conn:
        assert db.schema_version(conn) == db.SCHEMA_VERSION == 4
    engine.dispose()

    def schema(file):
        with sqlite3.connect(file) as conn:
            rows = conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
        conn.close()
        return [(kind, name, " ".join(sql.split())) for kind, name, sql in rows]

    assert schema(path) == schema(fresh)  # exactly what a new database gets
    with env.session() as s:
        assert s.scalar(select(func.count(Review.id))) == 1
        assert study.study_queue(s, repo.get_deck(s), TODAY)[0] == card_id(env, "data-parallelism")


def plan_of(env, run, marker):
    """SQLite's plan for the one statement `run` sends that contains `marker`."""
    engine = env.engine()
    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    with env.session() as s:
        run(s)
    event.remove(engine, "before_cursor_execute", keep)
    [(statement, parameters)] = [(q, p) for q, p in sent if marker in q]
    with engine.connect() as conn:
        return " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))


@sqlite_only
def test_the_due_queue_reads_its_cards_off_an_index(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    plan = plan_of(env, lambda s: study.study_queue(s, repo.get_deck(s), TODAY), "cards.due <=")
    assert "USING COVERING INDEX ix_cards_due (deck_id=? AND due<?)" in plan
    assert "TEMP B-TREE" not in plan  # no sort: the index is already in queue order


@sqlite_only
def test_the_day_indexes_hold_answered_cards_only_and_every_queue_still_reads_an_index(env, data):
    """New cards are in neither the due-day nor the answer-day index (an import does not grow
    them), and the queries that use those indexes still do: each asks for a day, which tells
    SQLite the partial index holds every row it could want."""
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)

    def queue(s):
        study.study_queue(s, repo.get_deck(s), TODAY)

    assert "USING INDEX ix_cards_last_day (deck_id=? AND last_day=?)" in plan_of(env, queue, "cards.last_day =")
    assert "USING COVERING INDEX ix_cards_new (deck_id=? AND suspended=? AND reviews=?)" in plan_of(
        env, queue, "cards.reviews = "
    )
    assert "USING COVERING INDEX ix_cards_new (deck_id=?)" in plan_of(
        env, lambda s: repo.deck_summaries(s, TODAY), "SELECT count(*) AS count_1 \nFROM cards"
    )
    # How many entries each index holds, as SQLite's own statistics count them.
    with env.engine().begin() as conn:
        conn.exec_driver_sql("ANALYZE cards")
        entries = {
            name: int(stat.split()[0]) for name, stat in conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1")
        }
    assert counts(env)["cards"] == 7
    assert entries == {"ix_cards_due": 1, "ix_cards_last_day": 1, "ix_cards_new": 7, "sqlite_autoindex_cards_1": 7}


def test_a_failing_migration_changes_nothing(database_url):
    engine = db.open_engine(database_url, migrate_schema=False)
    db.migrate(engine, {}, head=1)

    def broken(conn):
        conn.exec_driver_sql("CREATE TABLE half (id INTEGER)")
        raise RuntimeError("step failed")

    with pytest.raises(RuntimeError):
        db.migrate(engine, {2: broken}, head=2)
    with engine.connect() as conn:
        assert db.schema_version(conn) == 1
        assert not inspect(conn).has_table("half")
    engine.dispose()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes")
    with pytest.raises(StorageError, match="not an SQLite database"):
        db.open_engine(f"sqlite:///{path}")
    assert path.read_text() == "my precious notes"


def test_a_read_only_folder_is_reported(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        import os

        if os.access(folder, os.W_OK):
            # Root may write anywhere; /proc is a folder even root cannot create files in.
            with pytest.raises(StorageError, match=r"^/proc/srs-test\.db: cannot open the database file$"):
                db.open_engine("sqlite:////proc/srs-test.db")
        else:
            with pytest.raises(
                StorageError, match=r"ro/x\.db: cannot create the database: the folder is not writable$"
            ):
                db.open_engine(f"sqlite:///{folder / 'x.db'}")
    finally:
        folder.chmod(0o700)


@sqlite_only
def test_a_locked_database_is_reported_and_nothing_is_lost(env, db_path, monkeypatch):
    load(env, chain_graph())
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(db_path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        from srs.env import Env

        other = Env(url=env.url, clock=env.clock, seed_bundled=False)
        with pytest.raises(StorageError, match="locked by another program"), other.session(write=True) as s:
            study.record_answer(s, 1, 4, env.clock.now(), TODAY)
        other.close()
    finally:
        blocker.rollback()
        blocker.close()
    assert counts(env)["reviews"] == 0


def test_node_path_follows_first_parents_up_to_the_root(env):
    # "shared" sits under "b" first (its first edge in the file) and under "a1" too.
    concepts = [Concept(k, k.upper(), f"About {k}.") for k in ("root", "a", "a1", "b", "shared", "leaf")]
    edges = [
        RawEdge("root", "a"),
        RawEdge("a", "a1"),
        RawEdge("root", "b"),
        RawEdge("b", "shared"),
        RawEdge("a1", "shared"),
        RawEdge("shared", "leaf"),
    ]
    load(env, assemble(concepts, edges))
    with env.session() as s:
        deck = repo.get_deck(s, "Deck")
        by_key = {k: repo.find_node(s, deck, k) for k in ("root", "a1", "leaf")}
        assert [n.key for n in decks.node_path(s, by_key["leaf"])] == ["root", "b", "shared", "leaf"]
        assert [n.key for n in decks.node_path(s, by_key["a1"])] == ["root", "a", "a1"]
        assert [n.key for n in decks.node_path(s, by_key["root"])] == ["root"]
        assert decks.path_text(s, by_key["leaf"]) == "ROOT/B/SHARED/LEAF"


def index_names(env):
    with env.engine().connect() as conn:
        return sorted(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())


@sqlite_only
def test_a_large_first_import_builds_the_indexes_again(env, monkeypatch):
    expected = index_names(env)
    assert "ix_cards_due" in expected and "ix_edges_parent" in expected
    monkeypatch.setattr(repo, "REBUILD_INDEXES_FROM", 2)  # a small graph takes the large-import path
    # A failure after the indexes were dropped takes the drop back with everything else.
    with pytest.raises(RuntimeError), env.session(write=True) as s:
        repo.import_graph(s, "Deck", chain_graph(5), "test", env.clock.now())
        assert "ix_cards_due" in index_names_in(s)
        raise RuntimeError("the disk went away half way")
    assert index_names(env) == expected and counts(env) == {"nodes": 0, "cards": 0, "reviews": 0}
    load(env, chain_graph(5))
    assert index_names(env) == expected
    assert counts(env) == {"nodes": 6, "cards": 7, "reviews": 0}
    # The queue reads through the rebuilt indexes as before.
    with env.session() as s:
        deck = repo.get_deck(s, "Deck")
        assert len(study.study_queue(s, deck, TODAY)) == 7


@sqlite_only
def test_bulk_insert_stores_what_an_insert_through_sqlalchemy_stores(env, tmp_path, clock):
    """Each value goes through its column's processor (JSON, booleans, and dates in SQLite's own
    text form), empty values as well as full ones, and columns left out get their defaults."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from srs.env import Env
    from srs.storage import tables

    when = datetime(2026, 11, 23, 12, 30, tzinfo=timezone.utc)
    decks = [
        {"id": 1, "name": "A", "source": "a.gexf", "imported_at": when},
        {"id": 2, "name": "B", "source": "", "imported_at": None},
    ]
    nodes = [
        {"id": 1, "deck_id": 1, "key": "a", "label": "A", "attrs": {"x": "1"}, "retired": True},
        {"id": 2, "deck_id": 1, "key": "b", "label": "B", "attrs": {}, "retired": False},
        {"id": 3, "deck_id": 2, "key": "c", "label": "C", "attrs": {}, "retired": True},
    ]
    cards = [
        {"deck_id": 1, "node_id": 1, "kind": "definition", "due": TODAY, "last_grade": 4, "suspended": True},
        {"deck_id": 1, "node_id": 2, "kind": "definition", "due": None, "last_grade": None, "suspended": False},
        {
            "deck_id": 2,
            "node_id": 3,
            "kind": "children",
            "due": TODAY + timedelta(days=3),
            "last_grade": 0,
            "suspended": False,
        },
    ]
    through_core = Env(url=f"sqlite:///{tmp_path / 'core.sqlite3'}", clock=clock, seed_bundled=False)
    for bulk, e in ((True, env), (False, through_core)):
        with e.session(write=True) as s:
            for table, rows in ((tables.decks, decks), (tables.nodes, nodes), (tables.cards, cards)):
                if bulk:
                    repo.bulk_insert(s, table, tuple(rows[0]), [tuple(row.values()) for row in rows])
                else:
                    s.execute(insert(table), rows)

    def stored(e, table):
        with e.engine().connect() as conn:
            return conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").all()

    for table in ("decks", "nodes", "cards"):
        assert stored(env, table) == stored(through_core, table)
    through_core.close()
    assert [tuple(r) for r in stored(env, "decks")] == [
        (1, "A", "a.gexf", "", "2026-11-23 12:30:00.000000", 20, 200),
        (2, "B", "", "", None, 20, 200),
    ]
    assert [(r.attrs, r.retired) for r in stored(env, "nodes")] == [('{"x": "1"}', 1), ("{}", 0), ("{}", 1)]
    assert [(r.due, r.last_grade, r.suspended, r.easiness) for r in stored(env, "cards")] == [
        ("2026-11-23", 4, 1, 250),
        (None, None, 0, 250),
        ("2026-11-26", 0, 0, 250),
    ]


@sqlite_only
@pytest.mark.parametrize("count", [1, 75, 76, 77, 153, 250])
def test_bulk_insert_puts_many_rows_in_a_statement_and_keeps_their_order(env, count):
    """Rows go in batches of as many as fit SQLite's smallest parameter limit (999), at most 100:
    76 rows of 13 values to a statement, 100 of 3. Every row arrives, in the order given."""
    from srs.storage import tables

    batches = defaultdict(list)  # table -> (rows in the statement, times it ran)

    def keep(_conn, _cursor, statement, parameters, _context, many):
        if statement.startswith("INSERT INTO"):
            assert statement.count("?") <= 999
            table, rows = statement.split()[2], statement.count("), (") + 1
            batches[table].append((rows, len(parameters) if many else 1))

    event.listen(env.engine(), "before_cursor_execute", keep)
    with env.session(write=True) as s:
        repo.bulk_insert(s, tables.decks, ("id", "name"), [(1, "A")])
        node_columns = (
            "id",
            "deck_id",
            "key",
            "label",
            "definition",
            "example",
            "notes",
            "mnemonic",
            "color",
            "attrs",
            "depth",
            "rank",
            "retired",
        )
        nodes = [
            (1000 - i, 1, f"k{i}", f"Label {i}", "", "", "", "", None, {"i": i}, 1, i, i % 2 == 0) for i in range(count)
        ]
        repo.bulk_insert(s, tables.nodes, node_columns, nodes)
        repo.bulk_insert(
            s, tables.edges, ("deck_id", "parent_id", "child_id"), [(1, 1000, 1000 - i) for i in range(count)]
        )
    event.remove(env.engine(), "before_cursor_execute", keep)
    assert (
        sum(rows * times for rows, times in batches["nodes"])
        == sum(rows * times for rows, times in batches["edges"])
        == count
    )
    assert max(rows for rows, _ in batches["nodes"]) == min(count, 76)
    assert max(rows for rows, _ in batches["edges"]) == min(count, 100)
    assert len(batches["nodes"]) <= 2 and len(batches["edges"]) <= 2  # the full batches in one go, then the rest
    with env.engine().connect() as conn:
        stored = conn.exec_driver_sql("SELECT id, key, attrs, retired FROM nodes ORDER BY rank").all()
        assert stored == [(1000 - i, f"k{i}", f'{{"i": {i}}}', int(i % 2 == 0)) for i in range(count)]
        children = conn.exec_driver_sql("SELECT child_id, kind, position FROM edges ORDER BY id").all()
        assert children == [(1000 - i, "hierarchy", 0) for i in range(count)]


def test_a_column_goes_through_its_processor_with_each_empty_value_converted_once():
    calls = []

    def process(value):
        calls.append(value)
        return f"<{value!r}>"

    column = [{"a": 1}, {}, None, {}, "", False, "x", "", 0]
    assert repo._processed(column, process) == [
        "<{'a': 1}>",
        "<{}>",
        None,
        "<{}>",
        "<''>",
        "<False>",
        "<'x'>",
        "<''>",
        "<0>",
    ]
    assert calls == [{"a": 1}, {}, "", False, "x", 0]


def test_a_default_written_into_the_statement_reads_back_as_itself():
    values = [None, 0, 250, True, False, 1.5, "", "hierarchy", 'it\'s "quoted"; --']
    literals = [repo._sql_literal(v) for v in values]
    assert literals[:5] == ["NULL", "0", "250", "1", "0"] and literals[8] == "'it''s \"quoted\"; --'"
    with sqlite3.connect(":memory:") as conn:
        assert list(conn.execute(f"SELECT {', '.join(literals)}").fetchone()) == [
            None,
            0,
            250,
            1,
            0,
            1.5,
            "",
            "hierarchy",
            'it\'s "quoted"; --',
        ]
    with pytest.raises(TypeError):
        repo._sql_literal(b"bytes")


def index_names_in(session):
    return sorted(session.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())

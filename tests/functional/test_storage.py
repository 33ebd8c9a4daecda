"""The storage layer on a real SQLite file and a real PostgreSQL server: imports, the queue,
answers, undo, schema versions. Each test runs on both, but those about SQLite itself (its
files, bulk inserts), which run on SQLite alone."""

import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, inspect, select, update

from srs.core import identity
from srs.core.answer import log_record
from srs.core.graph import Concept, RawEdge, assemble
from srs.env import Env
from srs.errors import AmbiguousError, NotFoundError, SrsError, StorageError
from srs.readers import read_deck
from srs.service.decks import deck_summaries
from srs.storage import answers, db, decks, importing, queue
from srs.storage import learners as learner_rows
from srs.storage.tables import cards, edges, learner_notes, learners, meta, node_edits, nodes, reviews, voids
from srs.storage.tables import decks as deck_rows
from srs.storage.tree import deck_tree

TODAY = date(2026, 11, 23)

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

cards_and_keys = (
    select(cards, nodes.c.key.label("node_key")).join(nodes, nodes.c.id == cards.c.node_id).order_by(cards.c.id)
)
"""Every card with its node's key, in the order they were made."""


def chain_graph(n_children=3, definition="About {}."):
    concepts = [Concept("root", "Root", "The top.")]
    edges = []
    for i in range(n_children):
        concepts.append(Concept(f"c{i}", f"Child {i}", definition.format(i)))
        edges.append(RawEdge("root", f"c{i}"))
    return assemble(concepts, edges)


def load(env, graph, name="Deck", dry_run=False):
    with env.connection(write=not dry_run) as conn:
        return importing.import_graph(conn, name, graph, "test", env.clock.now(), dry_run=dry_run)


def counts(env):
    with env.connection() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in (nodes, cards, reviews)}


def test_import_creates_nodes_cards_and_reimport_changes_nothing(env, data):
    graph = read_deck(data / "small.gexf")
    report = load(env, graph, "Small")
    assert report.created and report.nodes == 5 and report.cards_added == 7
    assert counts(env) == {"nodes": 5, "cards": 7, "reviews": 0}
    with env.connection() as conn:
        before = [(c.id, c.node_key, c.kind, queue.card_content(conn, c)) for c in conn.execute(cards_and_keys)]
    again = load(env, graph, "Small")
    assert again.unchanged
    with env.connection() as conn:
        assert [(c.id, c.node_key, c.kind, queue.card_content(conn, c)) for c in conn.execute(cards_and_keys)] == before


def test_card_content_from_the_neighbourhood_equals_building_from_the_whole_graph(env, data):
    from srs.core.cards import build_cards

    for name, graph in (("Small", read_deck(data / "small.gexf")), ("Anki", read_deck(data / "anki_deck.gexf"))):
        load(env, graph, name)
        expected = {(spec.node_key, spec.kind.value): spec.content for spec in build_cards(graph)}
        with env.connection() as conn:
            deck = decks.find_deck(conn, name, env.learner_id)
            got = {
                (c.node_key, c.kind): queue.card_content(conn, c)
                for c in conn.execute(cards_and_keys.where(cards.c.deck_id == deck.id))
            }
            assert got == expected
            assert build_cards(decks.load_graph(conn, deck)) == build_cards(graph)


def test_dry_run_writes_nothing(env, data):
    report = load(env, read_deck(data / "small.gexf"), "Small", dry_run=True)
    assert report.created and report.cards_added == 7
    assert counts(env) == {"nodes": 0, "cards": 0, "reviews": 0}


def test_a_failed_import_leaves_the_database_as_it_was(env, data):
    load(env, chain_graph(), "Deck")
    with pytest.raises(RuntimeError), env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", chain_graph(5), "test", env.clock.now())
        raise RuntimeError("the disk went away half way")
    assert counts(env) == {"nodes": 4, "cards": 5, "reviews": 0}


def answer(env, card_id, grade, ms=1500):
    with env.connection(write=True) as conn:
        return answers.record_answer(conn, card_id, grade, env.clock.now(), env.clock.today(), ms).id


def card(env, card_id):
    with env.connection() as conn:
        c = queue.get_card(conn, card_id)
        return (c.easiness, c.repetitions, c.interval, c.due, c.reviews, c.lapses, c.last_day, c.last_grade)


def test_the_answer_stored_is_the_cores_log_entry_and_the_card_its_new_schedule(any_env):
    load(any_env, chain_graph())
    with any_env.connection(write=True) as conn:
        card_id, deck_id = conn.execute(select(cards.c.id, cards.c.deck_id).order_by(cards.c.id).limit(1)).one()
        logged = answers.record_answer(conn, card_id, 4, any_env.clock.now(), TODAY, 1500)
    with any_env.connection() as conn:
        stored = conn.execute(select(reviews)).one()
        card_now = conn.execute(select(cards).where(cards.c.id == card_id)).one()
        device = conn.scalar(select(meta.c.value).where(meta.c.key == "device_id"))
    row = dict(stored._mapping)
    if row["at"].tzinfo is None:  # SQLite keeps the UTC time without its zone
        row["at"] = row["at"].replace(tzinfo=timezone.utc)
    assert (logged.id, logged.card_id) == (row["id"], card_id)
    # Its global identity: a UUIDv7 of the answer's millisecond (the clock's, 0 microseconds past
    # it), and the device the database made for itself.
    event_id = row.pop("event_id")
    assert event_id[:18] == "01a20846-fe00-7000" and event_id[19] in "89ab" and len(event_id) == 36
    assert int(event_id.replace("-", "")[:12], 16) == identity.unix_ms(any_env.clock.now())
    assert row.pop("device") == device
    assert row == {
        "id": logged.id,
        "deck_id": deck_id,
        "card_id": card_id,
        "learner_id": any_env.learner_id,
        "at": any_env.clock.now().astimezone(timezone.utc),
        "kind": "answer",
        **log_record(logged.entry),
    }
    assert answers.schedule_of(card_now) == logged.entry.after


def card_id(env, key, kind="definition"):
    with env.connection() as conn:
        return conn.scalar(
            select(cards.c.id)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.key == key, cards.c.kind == kind)
        )


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
    with env.connection() as conn:
        log = [
            (r.grade, r.drill, r.interval_before, r.interval_after)
            for r in conn.execute(select(reviews).order_by(reviews.c.id))
        ]
        assert log == [(1, False, 0, 1), (3, True, 1, 1), (5, True, 1, 1)]
        assert conn.scalar(select(reviews.c.duration_ms).where(reviews.c.id == first)) == 1500


def test_undo_restores_the_card_and_the_log_exactly(env, now):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    answer(env, cid, 5)
    now.advance(days=1)
    before = card(env, cid)
    rid = answer(env, cid, 0)
    assert card(env, cid) != before
    with env.connection(write=True) as conn:
        answers.undo_answer(conn, rid)
    assert card(env, cid) == before
    assert counts(env)["reviews"] == 1
    with env.connection(write=True) as conn, pytest.raises(NotFoundError):
        answers.undo_answer(conn, rid)


def test_only_the_latest_answer_of_a_card_can_be_undone(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    first = answer(env, cid, 2)
    answer(env, cid, 4)
    with env.connection(write=True) as conn, pytest.raises(Exception, match="latest answer"):
        answers.undo_answer(conn, first)


def while_another_writes(env, write, then, commit_after: float | None = 0.3):
    """Run `write(conn)` in another `Env`'s write transaction, in a thread, and `then()` here once
    it has written but not committed; the other transaction commits `commit_after` seconds later
    (for a `then` that waits for it), or with None once `then` has returned (for one that must
    not wait: one that did would see the commit, 10 s later)."""
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
        if commit_after is not None:
            threading.Timer(commit_after, release.set).start()
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
        env, lambda conn: answers.record_answer(conn, cid, 4, env.clock.now(), TODAY), lambda: answer(env, cid, 5)
    )
    assert card(env, cid) == (250, 1, 1, TODAY + timedelta(1), 1, 0, TODAY, 5)
    with env.connection() as conn:
        assert [(r.grade, r.drill) for r in conn.execute(select(reviews).order_by(reviews.c.id))] == [
            (4, False),
            (5, True),
        ]


def test_an_undo_waits_for_an_answer_to_the_same_card_and_then_refuses(env):
    """The answer being written becomes the card's latest: the earlier one can no longer be
    taken back, and the log and the card stay as the two answers left them."""
    load(env, chain_graph())
    cid = card_id(env, "c0")
    first = answer(env, cid, 2)

    def undo_first():
        with pytest.raises(SrsError, match="only the card's latest answer"), env.connection(write=True) as conn:
            answers.undo_answer(conn, first)

    while_another_writes(env, lambda conn: answers.record_answer(conn, cid, 4, env.clock.now(), TODAY), undo_first)
    assert card(env, cid) == (250, 0, 1, TODAY + timedelta(1), 1, 1, TODAY, 4)
    with env.connection() as conn:
        assert [(r.grade, r.drill) for r in conn.execute(select(reviews).order_by(reviews.c.id))] == [
            (2, False),
            (4, True),
        ]


def test_a_read_never_waits_for_a_writer_and_sees_what_was_committed(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    seen = while_another_writes(
        env,
        lambda conn: answers.record_answer(conn, cid, 4, env.clock.now(), TODAY),
        lambda: card(env, cid),
        commit_after=None,
    )
    assert seen == (250, 0, 0, None, 0, 0, None, None)
    assert card(env, cid)[4] == 1


def test_a_write_in_a_read_transaction_is_a_bug_and_changes_nothing(env):
    load(env, chain_graph())
    cid = card_id(env, "c0")
    with pytest.raises(RuntimeError, match="a write in a read-only transaction"), env.connection() as conn:
        answers.record_answer(conn, cid, 4, env.clock.now(), TODAY)
    assert counts(env)["reviews"] == 0


def test_queue_due_first_most_overdue_first_then_new_parents_first(env, now):
    load(env, chain_graph(4))
    ids = {k: card_id(env, k) for k in ("c0", "c1", "c2", "c3")}
    answer(env, ids["c2"], 5)  # due in 1 day
    now.advance(days=1)
    answer(env, ids["c1"], 5)  # due the day after
    now.advance(days=3)
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        session_queue = queue.study_queue(conn, deck, env.clock.today())
        root_def, root_children = card_id(env, "root"), card_id(env, "root", "children")
        assert session_queue == [ids["c2"], ids["c1"], root_def, root_children, ids["c0"], ids["c3"]]


def test_daily_limits_cap_new_cards_and_reviews(env):
    load(env, chain_graph(30))
    with env.connection(write=True) as conn:
        decks.set_limits(conn, decks.find_deck(conn, None, env.learner_id), new_per_day=5)
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert len(queue.study_queue(conn, deck, TODAY)) == 5
    for cid in range(1, 4):
        answer(env, cid, 5)
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        counts_today = queue.day_counts(conn, deck, TODAY)
        assert (counts_today.new, counts_today.introduced, counts_today.new_total) == (2, 3, 29)
        assert len(queue.study_queue(conn, deck, TODAY)) == 2
    with pytest.raises(SrsError, match="^a daily limit cannot be negative$"), env.connection(write=True) as conn:
        decks.set_limits(conn, decks.find_deck(conn, None, env.learner_id), new_per_day=3, reviews_per_day=-1)
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert (deck.new_per_day, deck.reviews_per_day) == (5, 200)  # the refused change left both as they were


def test_a_failed_card_stays_in_todays_queue_until_it_reaches_4(env):
    load(env, chain_graph(2))
    cid = card_id(env, "c0")
    answer(env, cid, 2)
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert queue.study_queue(conn, deck, TODAY)[0] == cid
    answer(env, cid, 4)
    with env.connection() as conn:
        assert cid not in queue.study_queue(conn, decks.find_deck(conn, None, env.learner_id), TODAY)


def test_branch_queue_holds_only_the_subtree(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    with env.connection() as conn:
        deck = decks.find_deck(conn, "small", env.learner_id)  # deck names match in any case
        branch = decks.find_node(conn, deck, "Compute")
        shown = queue.cards_with_nodes(conn, queue.study_queue(conn, deck, TODAY, branch))
        assert [node.label for _, node in shown] == ["Compute", "Compute", "Data Parallelism", "Model Parallelism"]
        assert queue.day_counts(conn, deck, TODAY, branch).new == 4


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
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert decks.find_node(conn, deck, "a-x").key == "a-x"
        assert decks.find_node(conn, deck, "b/leaf").key == "b-x"
        assert decks.find_node(conn, deck, "Root/A/Leaf").key == "a-x"
        with pytest.raises(
            AmbiguousError, match=r"'Leaf' matches 2 nodes, give the path: 'Root/A/Leaf', 'Root/B/Leaf'"
        ):
            decks.find_node(conn, deck, "Leaf")
        with pytest.raises(NotFoundError, match="no node 'Zed' in deck 'Deck'"):
            decks.find_node(conn, deck, "Zed")
        with pytest.raises(NotFoundError, match="no deck named 'Nope'; decks: 'Deck'"):
            decks.find_deck(conn, "Nope", env.learner_id)


def test_a_move_between_parents_of_one_name_is_reported_by_path(env):
    ml = [Concept(key="ml", label="ML"), Concept(key="inner", label="ML"), Concept(key="sup", label="Supervised")]
    load(env, assemble(ml, [RawEdge("ml", "inner"), RawEdge("inner", "sup")]))
    report = load(env, assemble([ml[0], ml[2]], [RawEdge("ml", "sup")]))
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
    with env.connection() as conn:
        c = queue.get_card(conn, cid)
        assert queue.card_content(conn, c).definition == "Now with a better definition."
        deck = decks.find_deck(conn, None, env.learner_id)
        assert [n.label for n in decks.retired_nodes(conn, deck)] == ["Child 0", "Child 2"]
        assert conn.scalar(select(func.count()).where(cards.c.retired.is_(True))) == 2
        # Retired cards leave the queue; the root keeps its children card (2 children remain).
        assert len(queue.study_queue(conn, deck, TODAY)) == 3 + 1 - 1  # root def + children + c3 (c1 answered)


def test_summaries_and_tree_counts(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 4)
    [summary] = deck_summaries(env, with_retired=True)
    assert (summary.nodes, summary.cards, summary.due, summary.new, summary.reviewed_today) == (5, 7, 0, 6, 1)
    assert (summary.name, summary.retired_nodes, summary.retired) == ("Small", 0, ())
    with env.connection() as conn:
        root, nodes = deck_tree(conn, decks.find_deck(conn, None, env.learner_id), TODAY)
        top = nodes[root]
        assert (top.counts.due, top.counts.new, top.counts.learned, top.counts.cards) == (0, 6, 1, 7)
        compute = next(n for n in nodes.values() if n.key == "compute")
        assert (compute.counts.new, compute.counts.learned, compute.counts.cards) == (3, 1, 4)


def test_a_card_failed_today_counts_as_due_in_the_tree_as_in_the_day_counts(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)  # due tomorrow, but back again today
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert queue.day_counts(conn, deck, TODAY).due == 1
        root, nodes = deck_tree(conn, deck, TODAY)
        compute = next(n for n in nodes.values() if n.key == "compute")
        assert (nodes[root].counts.due, compute.counts.due, compute.counts.learned) == (1, 1, 1)
    answer(env, card_id(env, "data-parallelism"), 4)  # the drill passed: nothing left today
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        root, nodes = deck_tree(conn, deck, TODAY)
        assert (queue.day_counts(conn, deck, TODAY).due, nodes[root].counts.due) == (0, 0)
        root, nodes = deck_tree(conn, deck, TODAY + timedelta(days=1))
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
    4: {},
    5: {},
    6: {},
    7: {},
    8: {},
    9: {},
    10: {},
}


SCHEMA_6_COLUMNS = {
    "decks": ("scheduler", "desired_retention"),
    "cards": ("stability", "difficulty"),
    "reviews": ("stability_before", "difficulty_before", "stability_after", "difficulty_after"),
}
"""The columns schema 6 added (with the table `fsrs_parameters`)."""

REVIEW_INDEXES_BEFORE_7 = {
    "ix_reviews_card": "card_id, day, drill, grade, interval_before, duration_ms",
    "ix_reviews_deck_day": "deck_id, day, drill, interval_before, duration_ms",
    "ix_reviews_deck_grade": "deck_id, drill, grade, interval_before",
}
"""The statistics' indexes of the log before schema 7 closed each with the event's kind."""


INDEXES_BEFORE_10 = {
    "ix_cards_due": "ON cards (deck_id, due, rank, suspended, retired, reviews) WHERE due IS NOT NULL",
    "ix_cards_new": "ON cards (deck_id, suspended, reviews, rank, retired)",
    "ix_cards_last_day": "ON cards (deck_id, last_day) WHERE last_day IS NOT NULL",
    "ux_cards_single": "ON cards (node_id, kind) WHERE partner_id IS NULL",
    "ix_reviews_deck_day": "ON reviews (deck_id, day, drill, interval_before, duration_ms, kind)",
    "ix_reviews_deck_grade": "ON reviews (deck_id, drill, grade, interval_before, kind)",
    "ix_reviews_day": "ON reviews (day)",
}
"""The indexes schema 10 opened with the learner, as schema 9 had them."""

LEARNERS_TABLES = ("fsrs_parameters", "journal", "reviews", "cards")
"""The tables schema 10 gave a learner."""


def make_schema_9(execute, dialect: str) -> None:
    """Undo schema 10 with `execute`: the learners, and the learner of every card, event, journal
    entry and fit. On SQLite each of those tables is rebuilt as schema 9 wrote it; the caller
    turns its foreign keys off."""
    for name in INDEXES_BEFORE_10:
        execute(f"DROP INDEX {name}")
    if dialect == "postgresql":
        for table in LEARNERS_TABLES:
            execute(f"ALTER TABLE {table} DROP COLUMN learner_id")  # its unique key goes with it
        execute("ALTER TABLE cards ADD UNIQUE (node_id, kind, partner_id)")
    else:
        execute("PRAGMA legacy_alter_table = ON")  # the references to `cards` stay on that name
        for table in LEARNERS_TABLES:
            (sql,) = execute(f"SELECT sql FROM sqlite_master WHERE name = '{table}'").fetchone()
            old = (
                sql.replace("\n\tlearner_id INTEGER NOT NULL, ", "")
                .replace("UNIQUE (learner_id, node_id, kind, partner_id)", "UNIQUE (node_id, kind, partner_id)")
                .replace(", \n\tFOREIGN KEY(learner_id) REFERENCES learners (id) ON DELETE CASCADE", "")
            )
            assert "learner" not in old, old
            indexes = [
                row[0]
                for row in execute(f"SELECT sql FROM sqlite_master WHERE tbl_name = '{table}' AND type = 'index'")
                if row[0] is not None
            ]
            for index in execute(
                f"SELECT name FROM sqlite_master WHERE tbl_name = '{table}' AND sql IS NOT NULL AND type = 'index'"
            ).fetchall():
                execute(f"DROP INDEX {index[0]}")
            execute(f"ALTER TABLE {table} RENAME TO {table}_10")
            execute(old)
            columns = ", ".join(row[1] for row in execute(f"PRAGMA table_info('{table}')").fetchall())
            execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}_10")
            execute(f"DROP TABLE {table}_10")
            for index in indexes:
                execute(index)
        execute("PRAGMA legacy_alter_table = OFF")
    execute("DROP TABLE learners")
    for name, sql in INDEXES_BEFORE_10.items():
        execute(f"CREATE {'UNIQUE ' if name.startswith('ux_') else ''}INDEX {name} {sql}")


def make_schema_10(execute) -> None:
    """Undo schema 11 with `execute`: the learners' own notes and mnemonics."""
    execute("DROP TABLE learner_notes")


def make_schema_8(execute) -> None:
    """Undo schema 9 with `execute`: the voids of events taken back, the cards' suspension stamps."""
    execute("DROP TABLE voids")
    execute("ALTER TABLE cards DROP COLUMN suspended_at")


def make_schema_7(execute) -> None:
    """Undo schema 8 with `execute`: the log's event ids and devices, and the device id."""
    execute("DROP INDEX ux_reviews_event_id")
    execute("ALTER TABLE reviews DROP COLUMN event_id")
    execute("ALTER TABLE reviews DROP COLUMN device")
    execute("DELETE FROM meta WHERE key = 'device_id'")


def make_schema_6(execute, dialect: str) -> None:
    """Undo schema 7 with `execute` (a function running one SQL statement): the options and
    journal tables, the log's event kind, and the pair card's partner, whose unique key goes
    back to (node, kind). On SQLite the cards table is rebuilt as schema 6 wrote it; the caller
    turns its foreign keys off."""
    execute("DROP TABLE deck_options")
    execute("DROP TABLE journal")
    for name in REVIEW_INDEXES_BEFORE_7:
        execute(f"DROP INDEX {name}")
    execute("ALTER TABLE reviews DROP COLUMN kind")
    for name, columns in REVIEW_INDEXES_BEFORE_7.items():
        execute(f"CREATE INDEX {name} ON reviews ({columns})")
    execute("DROP INDEX ux_cards_single")
    if dialect == "postgresql":
        execute("ALTER TABLE cards DROP CONSTRAINT cards_node_id_kind_partner_id_key")
        execute("ALTER TABLE cards DROP COLUMN partner_id")
        execute("ALTER TABLE cards ADD UNIQUE (node_id, kind)")
        return
    (sql,) = execute("SELECT sql FROM sqlite_master WHERE name = 'cards'").fetchone()
    old = (
        sql.replace("\n\tpartner_id INTEGER, ", "")
        .replace("UNIQUE (node_id, kind, partner_id)", "UNIQUE (node_id, kind)")
        .replace(", \n\tFOREIGN KEY(partner_id) REFERENCES nodes (id) ON DELETE CASCADE", "")
    )
    assert "partner" not in old
    indexes = [row[0] for row in execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cards' AND name LIKE 'ix_%'")]
    execute("PRAGMA legacy_alter_table = ON")  # the log's references stay on the name `cards`
    execute("ALTER TABLE cards RENAME TO cards_7")
    execute(old)
    columns = ", ".join(row[1] for row in execute("PRAGMA table_info('cards')").fetchall())
    execute(f"INSERT INTO cards ({columns}) SELECT {columns} FROM cards_7")
    execute("DROP TABLE cards_7")
    execute("PRAGMA legacy_alter_table = OFF")
    for index in indexes:
        execute(index)


def make_older(conn: sqlite3.Connection, version: int) -> None:
    """Turn a database of this version into one as schema `version` wrote it (its tables and
    indexes; a test sets the keys that schema 4 rewrites itself)."""
    make_schema_10(conn.execute)
    if version < 10:
        make_schema_9(conn.execute, "sqlite")
    if version < 9:
        make_schema_8(conn.execute)
    if version < 8:
        make_schema_7(conn.execute)
    if version < 7:
        make_schema_6(conn.execute, "sqlite")
    if version < 6:
        for table, columns in SCHEMA_6_COLUMNS.items():
            for column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DROP TABLE fsrs_parameters")
    if version < 5:
        conn.execute("ALTER TABLE cards DROP COLUMN buried_on")
        conn.execute("ALTER TABLE edges DROP COLUMN relation")
        conn.execute("DROP TABLE cram_answers")
        conn.execute("DROP TABLE node_edits")
    for name, sql in OLD_CARD_INDEXES[version].items():
        conn.execute(f"DROP INDEX {name}")
        conn.execute(sql)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))


def sqlite_schema(file) -> dict:
    """Every table's columns, keys and indexes as SQLite describes them: what a migration must
    leave exactly as a new database has it. (A column added by ALTER TABLE sits after the
    table's constraints in its stored CREATE statement, so that text is not compared.)"""
    with sqlite3.connect(file) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        schema = {}
        for table in tables:
            indexes = {}
            for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{table}')"):
                sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
                columns = [row[2] for row in conn.execute(f"PRAGMA index_info('{name}')")]
                indexes[name if origin == "c" else (origin, tuple(columns))] = (
                    unique,
                    partial,
                    columns,
                    " ".join(sql.split()) if sql else None,
                )
            schema[table] = {
                "columns": conn.execute(f"PRAGMA table_info('{table}')").fetchall(),
                "foreign keys": sorted(conn.execute(f"PRAGMA foreign_key_list('{table}')").fetchall()),
                "indexes": indexes,
            }
    conn.close()
    return schema


@sqlite_only
@pytest.mark.parametrize("version", sorted(OLD_CARD_INDEXES))
def test_an_older_database_is_upgraded_in_place_and_keeps_its_history(tmp_path, env, data, version):
    # The database as that release wrote it, with a deck and an answer in it.
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)
    answered_at_several_moments(env)
    ids_before = event_ids(env)
    env.close()
    path = env.url.database
    fresh = tmp_path / "fresh.sqlite3"
    db.open_engine(f"sqlite:///{fresh}").dispose()
    with sqlite3.connect(path) as conn:
        make_older(conn, version)
    conn.close()
    assert sqlite_schema(path) != sqlite_schema(fresh)

    engine = db.open_engine(env.url)
    with engine.connect() as conn:
        assert db.schema_version(conn) == db.SCHEMA_VERSION == 11
    engine.dispose()

    assert sqlite_schema(path) == sqlite_schema(fresh)  # exactly what a new database gets
    first = card_id(env, "data-parallelism")
    with env.connection() as conn:
        assert conn.execute(select(reviews.c.card_id, reviews.c.grade, reviews.c.kind).limit(1)).all() == [
            (first, 2, "answer")
        ]
        assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.partner_id.is_(None))) == 7
        # What the database held is its one learner's: the first to open it, the test's.
        assert conn.execute(select(learners.c.id, learners.c.name)).all() == [(env.learner_id, env.learner)]
        assert {row[0] for row in conn.execute(select(cards.c.learner_id).union(select(reviews.c.learner_id)))} == {
            env.learner_id
        }
        assert conn.scalar(select(func.count()).select_from(voids)) == 0
    if version < 8:
        assert_ids_made_from_time_and_row(env)
    else:
        assert event_ids(env) == ids_before


def event_ids(env) -> list[str]:
    with env.connection() as conn:
        return list(conn.scalars(select(reviews.c.event_id).order_by(reviews.c.id)))


def answered_at_several_moments(env) -> None:
    """Five answers to three cards: two in one microsecond, one in the next millisecond's
    first microsecond, and one a day later given before an earlier one was stored."""
    base = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=timezone.utc)
    moments = [
        ("data-parallelism", base),
        ("model-parallelism", base),
        ("data-parallelism", base + timedelta(microseconds=544)),
        ("model-parallelism", base + timedelta(days=1)),
        ("data-parallelism", base - timedelta(hours=2)),
    ]
    for key, at in moments:
        with env.connection(write=True) as conn:
            answers.record_answer(conn, card_id(env, key), 4, at, at.date())


def assert_ids_made_from_time_and_row(env, device: str | None = None) -> None:
    """Every answer keeps its row and has the id made from its time and row id: unique, and
    sorting as (at, row id) does; and the device the database made."""
    with env.connection() as conn:
        rows = conn.execute(select(reviews.c.id, reviews.c.at, reviews.c.event_id, reviews.c.device)).all()
        stored_device = conn.scalar(select(meta.c.value).where(meta.c.key == "device_id"))
    assert len(rows) == 6
    assert [event_id for _, _, event_id, _ in rows] == [identity.from_moment(at, row_id) for row_id, at, _, _ in rows]
    assert len({event_id for _, _, event_id, _ in rows}) == 6
    by_time = [row_id for row_id, *_ in sorted(rows, key=lambda r: (r.at, r.id))]
    assert [row_id for row_id, *_ in sorted(rows, key=lambda r: r.event_id)] == by_time
    assert {d for *_, d in rows} == {stored_device} and len(stored_device) == 36
    if device is not None:
        assert stored_device != device


@pytest.mark.parametrize("version", [4, 5, 6, 7, 8, 9, 10])
def test_the_latest_steps_bring_a_database_up_on_every_database_with_its_history(env, data, version):
    load(env, read_deck(data / "small.gexf"), "Small")
    answer(env, card_id(env, "data-parallelism"), 2)
    answered_at_several_moments(env)

    def described(conn):
        look = inspect(conn)
        return {
            table: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in look.get_columns(table)],
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in look.get_indexes(table)),
                sorted(tuple(u["column_names"]) for u in look.get_unique_constraints(table)),
                sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in look.get_foreign_keys(table)),
            )
            for table in sorted(look.get_table_names())
        }

    engine = env.engine()
    ids_before = event_ids(env)
    with engine.connect() as conn:
        new = described(conn)
        n_cards = conn.scalar(select(func.count(cards.c.id)))
        first_device = conn.scalar(select(meta.c.value).where(meta.c.key == "device_id"))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # for the rebuild
        with conn.begin():
            make_schema_10(conn.exec_driver_sql)
            if version < 10:
                make_schema_9(conn.exec_driver_sql, conn.dialect.name)
        if conn.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
    with engine.begin() as conn:
        if version < 9:
            make_schema_8(conn.exec_driver_sql)
        if version < 8:
            make_schema_7(conn.exec_driver_sql)
    if version < 7:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # for the rebuild
            with conn.begin():
                make_schema_6(conn.exec_driver_sql, conn.dialect.name)
            if conn.dialect.name == "sqlite":
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
    with engine.begin() as conn:
        if version < 6:
            for table, columns in SCHEMA_6_COLUMNS.items():
                for column in columns:
                    conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
            conn.exec_driver_sql("DROP TABLE fsrs_parameters")
        if version < 5:
            conn.exec_driver_sql("ALTER TABLE cards DROP COLUMN buried_on")
            conn.exec_driver_sql("ALTER TABLE edges DROP COLUMN relation")
            conn.exec_driver_sql("DROP TABLE cram_answers")
            conn.exec_driver_sql("DROP TABLE node_edits")
        conn.exec_driver_sql(f"UPDATE meta SET value = '{version}' WHERE key = 'schema_version'")
    assert db.migrate(engine) == db.SCHEMA_VERSION
    with engine.connect() as conn:
        assert described(conn) == new
        assert (
            conn.execute(select(reviews.c.grade, reviews.c.kind).order_by(reviews.c.id)).all()
            == [(2, "answer")] + [(4, "answer")] * 5
        )
        assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.partner_id.is_(None))) == n_cards
        assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.stability.is_(None))) == n_cards == 7
        assert conn.execute(select(deck_rows.c.scheduler, deck_rows.c.desired_retention)).all() == [("sm2", 0.9)]
        assert conn.scalar(select(func.count(reviews.c.id)).where(reviews.c.stability_after.is_(None))) == 6
        assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.buried_on.is_(None))) == 7
        assert conn.scalar(select(func.count(edges.c.id)).where(edges.c.relation == "")) == 4
        # Everything is the one learner's, who (before schema 10) has no name until someone opens the database.
        ((learner, name),) = conn.execute(select(learners.c.id, learners.c.name)).all()
        assert name == ("" if version < 10 else env.learner)
        assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.learner_id == learner)) == n_cards
        assert conn.scalar(select(func.count(reviews.c.id)).where(reviews.c.learner_id == learner)) == 6
        if version < 9:
            assert conn.scalar(select(func.count(cards.c.id)).where(cards.c.suspended_at.is_(None))) == 7
            assert conn.scalar(select(func.count()).select_from(voids)) == 0
    if version < 8:
        assert_ids_made_from_time_and_row(env, first_device)
    else:  # schema 8 made the ids and the device id: a database at 8 or later keeps them
        with engine.connect() as conn:
            assert conn.scalar(select(meta.c.value).where(meta.c.key == "device_id")) == first_device
        assert event_ids(env) == ids_before
    # An answer recorded after the upgrade gets a new id and the device, as in a new database.
    answer(env, card_id(env, "model-parallelism"), 5)
    with env.connection() as conn:
        device = conn.scalar(select(meta.c.value).where(meta.c.key == "device_id"))
        latest = conn.execute(select(reviews).order_by(reviews.c.id.desc()).limit(1)).one()
    assert (
        latest.device == device
        and latest.event_id[14] == "7"
        and latest.event_id[:13].replace("-", "") == (f"{identity.unix_ms(latest.at):012x}")
    )


def test_notes_written_before_schema_11_become_every_learners_own(env, data):
    load(env, read_deck(data / "small.gexf"), "Small")
    with env.connection(write=True) as conn:
        ben = learner_rows.become(conn, "ben")
    at = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
    engine = env.engine()
    # Schema 10 kept the notes a learner wrote in the node's row, the file's in an edit row.
    with engine.begin() as conn:
        make_schema_10(conn.exec_driver_sql)
        node = conn.scalar(select(nodes.c.id).where(nodes.c.key == "data"))
        conn.execute(update(nodes).where(nodes.c.id == node).values(notes="Mostly the Pile.", mnemonic="D"))
        conn.execute(
            insert(node_edits),
            [
                {"node_id": node, "field": "notes", "file_text": "From the web.", "edited_at": at},
                {"node_id": node, "field": "mnemonic", "file_text": "", "edited_at": at},
                {"node_id": node, "field": "example", "file_text": "An old example.", "edited_at": at},
            ],
        )
        conn.exec_driver_sql("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    assert db.migrate(engine) == db.SCHEMA_VERSION == 11
    with env.connection() as conn:
        # The deck's text is the file's again; the example's edit is the deck's, as before.
        assert conn.execute(select(nodes.c.notes, nodes.c.mnemonic).where(nodes.c.id == node)).one() == (
            "From the web.",
            "",
        )
        assert conn.execute(select(node_edits.c.field, node_edits.c.file_text)).all() == [
            ("example", "An old example.")
        ]
        own = conn.execute(
            select(learner_notes.c.learner_id, learner_notes.c.field, learner_notes.c.text, learner_notes.c.edited_at)
            .where(learner_notes.c.node_id == node)
            .order_by(learner_notes.c.learner_id, learner_notes.c.field)
        ).all()
        assert [(who, name, text, utc(when)) for who, name, text, when in own] == [
            (env.learner_id, "mnemonic", "D", at),
            (env.learner_id, "notes", "Mostly the Pile.", at),
            (ben, "mnemonic", "D", at),
            (ben, "notes", "Mostly the Pile.", at),
        ]
        # Each learner sees what they saw before.
        for learner in (env.learner_id, ben):
            seen = decks.get_node(conn, node, learner)
            assert (seen.notes, seen.mnemonic) == ("Mostly the Pile.", "D")


def utc(at: datetime) -> datetime:
    """A stored moment in UTC (SQLite gives it back without its zone)."""
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


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
        with pytest.raises(StorageError, match="locked by another program"), other.connection(write=True) as conn:
            answers.record_answer(conn, 1, 4, env.clock.now(), TODAY)
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
    with env.connection() as conn:
        deck = decks.find_deck(conn, "Deck", env.learner_id)
        by_key = {k: decks.find_node(conn, deck, k) for k in ("root", "a1", "leaf")}
        assert [n.key for n in decks.node_path(conn, by_key["leaf"])] == ["root", "b", "shared", "leaf"]
        assert [n.key for n in decks.node_path(conn, by_key["a1"])] == ["root", "a", "a1"]
        assert [n.key for n in decks.node_path(conn, by_key["root"])] == ["root"]
        assert decks.path_text(conn, by_key["leaf"]) == "ROOT/B/SHARED/LEAF"


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
        learners_cards = [{**card, "learner_id": e.learner_id} for card in cards]
        with e.connection(write=True) as conn:
            for table, rows in ((tables.decks, decks), (tables.nodes, nodes), (tables.cards, learners_cards)):
                if bulk:
                    importing.bulk_insert(conn, table, tuple(rows[0]), [tuple(row.values()) for row in rows])
                else:
                    conn.execute(insert(table), rows)

    def stored(e, table):
        with e.engine().connect() as conn:
            return conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").all()

    for table in ("decks", "nodes", "cards"):
        assert stored(env, table) == stored(through_core, table)
    through_core.close()
    assert [tuple(r) for r in stored(env, "decks")] == [
        (1, "A", "a.gexf", "", "2026-11-23 12:30:00.000000", 20, 200, "sm2", 0.9),
        (2, "B", "", "", None, 20, 200, "sm2", 0.9),
    ]
    assert [(r.attrs, r.retired) for r in stored(env, "nodes")] == [('{"x": "1"}', 1), ("{}", 0), ("{}", 1)]
    assert [(r.due, r.last_grade, r.suspended, r.easiness) for r in stored(env, "cards")] == [
        ("2026-11-23", 4, 1, 250),
        (None, None, 0, 250),
        ("2026-11-26", 0, 0, 250),
    ]


@sqlite_only
@pytest.mark.parametrize("count", [1, 75, 76, 77, 99, 100, 101, 153, 250])
def test_bulk_insert_stores_every_row_in_the_order_given(env, count):
    """However many rows (one, a few, many statements' worth and a remainder), each arrives once,
    with its values, in the order given."""
    from srs.storage import tables

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
    with env.connection(write=True) as conn:
        importing.bulk_insert(conn, tables.decks, ("id", "name"), [(1, "A")])
        importing.bulk_insert(conn, tables.nodes, node_columns, nodes)
        importing.bulk_insert(
            conn, tables.edges, ("deck_id", "parent_id", "child_id"), [(1, 1000, 1000 - i) for i in range(count)]
        )
    with env.engine().connect() as conn:
        stored = conn.exec_driver_sql("SELECT id, key, attrs, retired FROM nodes ORDER BY rank").all()
        assert stored == [(1000 - i, f"k{i}", f'{{"i": {i}}}', int(i % 2 == 0)) for i in range(count)]
        children = conn.exec_driver_sql("SELECT child_id, kind, position FROM edges ORDER BY id").all()
        assert children == [(1000 - i, "hierarchy", 0) for i in range(count)]


def test_a_default_written_into_the_statement_reads_back_as_itself():
    values = [None, 0, 250, True, False, 1.5, "", "hierarchy", 'it\'s "quoted"; --']
    literals = [importing._sql_literal(v) for v in values]
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
        importing._sql_literal(b"bytes")

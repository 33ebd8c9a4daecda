"""The rules storage shares (`srs.storage.scope`) give the core's answers on a real database."""

from datetime import date, timedelta
from itertools import product

import pytest
from sqlalchemy import literal, select, update

from srs.core.answer import repeat_today
from srs.core.graph import Concept, RawEdge, assemble
from srs.core.mastery import card_mastery, card_state, node_mastery
from srs.core.queue import is_buried
from srs.storage import answers, decks, importing, scope
from srs.storage.tables import cards
from srs.storage.tree import deck_tree

TODAY = date(2026, 11, 23)


def test_the_sql_repeat_today_picks_the_cards_the_core_rule_does(env):
    days = [None, TODAY - timedelta(1), TODAY, TODAY + timedelta(1)]
    grades = [None, 0, 1, 2, 3, 4, 5]
    combos = list(product(days, grades))
    graph = assemble(
        [Concept("root", "Root", "The top."), *(Concept(f"c{i}", f"C {i}", f"About {i}.") for i in range(len(combos)))],
        [RawEdge("root", f"c{i}") for i in range(len(combos))],
    )
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph, "test", env.clock.now())
    with env.connection(write=True) as conn:
        ids = list(conn.scalars(select(cards.c.id).order_by(cards.c.id)))
        assert len(ids) >= len(combos)
        for card_id, (last_day, last_grade) in zip(ids, combos, strict=False):
            conn.execute(update(cards).where(cards.c.id == card_id).values(last_day=last_day, last_grade=last_grade))
    with env.connection() as conn:
        by_sql = set(conn.scalars(select(cards.c.id).where(scope.repeat_today(TODAY))))
        by_core = {row.id for row in conn.execute(select(cards)) if repeat_today(answers.schedule_of(row), TODAY)}
    assert by_sql == by_core
    assert len(by_core) == 4  # today, graded 0..3


def test_the_sql_unburied_picks_the_cards_the_core_rule_does_not_bury(env):
    days = [None, TODAY - timedelta(1), TODAY, TODAY + timedelta(1)]
    graph = assemble(
        [Concept("root", "Root", "The top."), *(Concept(f"c{i}", f"C {i}", f"About {i}.") for i in range(len(days)))],
        [RawEdge("root", f"c{i}") for i in range(len(days))],
    )
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph, "test", env.clock.now())
        ids = list(conn.scalars(select(cards.c.id).order_by(cards.c.id)))
        for card_id, day in zip(ids, days, strict=False):
            conn.execute(update(cards).where(cards.c.id == card_id).values(buried_on=day))
    with env.connection() as conn:
        by_sql = set(conn.scalars(select(cards.c.id).where(scope.unburied(TODAY))))
        by_core = {row.id for row in conn.execute(select(cards)) if not is_buried(row.buried_on, TODAY)}
    assert by_sql == by_core == set(ids) - {ids[2]}  # all but the one buried today


def test_the_sql_states_and_mastery_are_the_core_ones(env):
    with env.connection() as conn:
        for reviews in (0, 1, 4):
            for interval in (*range(0, 30), 400):
                r, i = literal(reviews), literal(interval)
                state = card_state(reviews, interval)
                assert conn.scalar(select(scope.state_sql(r, i))) == state.value, (reviews, interval)
                assert conn.scalar(select(scope.mastery_sql(r, i))) == card_mastery(state, interval), (
                    reviews,
                    interval,
                )


def test_the_map_gives_each_node_the_mastery_and_due_count_the_core_rules_give(env):
    """deck_tree's own counts per node, against the core rules over the same stored cards."""
    intervals = [0, 1, 5, 6, 13, 20, 21, 60]
    graph = assemble(
        [Concept("root", "Root", "The top."), *(Concept(f"c{i}", f"C {i}", f"About {i}.") for i in range(8))],
        [RawEdge("root", f"c{i}") for i in range(8)],
    )
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Deck", graph, "test", env.clock.now())
    with env.connection(write=True) as conn:
        rows = list(conn.execute(select(cards.c.id, cards.c.node_id).order_by(cards.c.id)))
        for n, (card_id, _) in enumerate(rows):
            interval = intervals[n % len(intervals)]
            reviews = 0 if n % 5 == 0 else 1 + n % 3
            due = TODAY + timedelta(days=(n % 3) - 1)
            last = (TODAY, 2) if n % 7 == 3 else (None, None)
            conn.execute(
                update(cards)
                .where(cards.c.id == card_id)
                .values(reviews=reviews, interval=interval, due=due, last_day=last[0], last_grade=last[1])
            )
    with env.connection() as conn:
        root_id, tree = deck_tree(conn, decks.find_deck(conn, "Deck", env.learner_id), TODAY)
    with env.connection() as conn:
        stored = list(conn.execute(select(cards).where(cards.c.retired.is_(False))))
    checked = 0
    for node_id, node in tree.items():
        own = [row for row in stored if row.node_id == node_id]
        states = [(card_state(row.reviews, row.interval), row.interval) for row in own]
        assert node.counts.own_mastery == pytest.approx(node_mastery(states)), node.label
        if node_id != root_id:
            due = [
                row
                for row in own
                if (row.reviews > 0 and row.due <= TODAY) or repeat_today(answers.schedule_of(row), TODAY)
            ]
            assert node.counts.due == len(due), node.label
            checked += 1
    assert checked == 8
    assert {round(n.counts.own_mastery, 3) for n in tree.values()} - {0.0}  # some young or mature nodes

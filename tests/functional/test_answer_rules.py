"""The answer rules the core defines, as storage's SQL applies them on a real database."""

from datetime import date, timedelta
from itertools import product

from sqlalchemy import select, update

from srs.core.answer import repeat_today
from srs.core.graph import Concept, RawEdge, assemble
from srs.storage import repo, study
from srs.storage.tables import cards

TODAY = date(2026, 11, 23)


def test_the_sql_repeat_today_picks_the_cards_the_core_rule_does(env):
    days = [None, TODAY - timedelta(1), TODAY, TODAY + timedelta(1)]
    grades = [None, 0, 1, 2, 3, 4, 5]
    combos = list(product(days, grades))
    graph = assemble(
        [Concept("root", "Root", "The top."), *(Concept(f"c{i}", f"C {i}", f"About {i}.") for i in range(len(combos)))],
        [RawEdge("root", f"c{i}") for i in range(len(combos))],
    )
    with env.session(write=True) as s:
        repo.import_graph(s, "Deck", graph, "test", env.clock.now())
    with env.connection(write=True) as conn:
        ids = list(conn.scalars(select(cards.c.id).order_by(cards.c.id)))
        assert len(ids) >= len(combos)
        for card_id, (last_day, last_grade) in zip(ids, combos, strict=False):
            conn.execute(update(cards).where(cards.c.id == card_id).values(last_day=last_day, last_grade=last_grade))
    with env.connection() as conn:
        by_sql = set(conn.scalars(select(cards.c.id).where(study.repeat_today(TODAY))))
        by_core = {row.id for row in conn.execute(select(cards)) if repeat_today(study.schedule_of(row), TODAY)}
    assert by_sql == by_core
    assert len(by_core) == 4  # today, graded 0..3

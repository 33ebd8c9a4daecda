"""Studying through storage on a real SQLite file and a real PostgreSQL server: what many cards
show, read at once, and a scheduler other than SM-2 plugged in at the core's seam alone."""

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from srs.core.answer import Schedule
from srs.core.cards import build_cards
from srs.readers import read_deck
from srs.storage import answers, decks, importing, queue
from srs.storage.tables import cards, nodes

TODAY = date(2026, 11, 23)
BUNDLED = Path(__file__).parents[2] / "decks" / "scaling-hypothesis.gexf"


def load(env, path, name):
    with env.connection(write=True) as conn:
        importing.import_graph(conn, name, read_deck(path), "test", env.clock.now())


def test_what_many_cards_show_read_at_once_equals_building_from_the_whole_graph(env, data, tmp_path):
    # A deck whose node X has two parents, one deeper than the other, beside the bundled map.
    shared = tmp_path / "shared.json"
    shared.write_text(
        '{"directed": true, "nodes": ['
        + ", ".join(f'{{"id": "{k}", "label": "{k.title()}", "definition": "About {k}."}}' for k in "rabcx")
        + '], "links": ['
        + ", ".join(f'{{"source": "{p}", "target": "{c}"}}' for p, c in ["ra", "rb", "bc", "ax", "cx"])
        + "]}"
    )
    for name, path in (("Shared", shared), ("Bundled", BUNDLED), ("Anki", data / "anki_deck.gexf")):
        load(env, path, name)
        expected = {(spec.node_key, spec.kind.value): spec.content for spec in build_cards(read_deck(path))}
        with env.connection() as conn:
            ids = list(
                conn.scalars(
                    select(cards.c.id)
                    .join(nodes, nodes.c.id == cards.c.node_id)
                    .where(nodes.c.deck_id == decks.find_deck(conn, name, env.learner_id).id)
                    .order_by(cards.c.id.desc())
                )
            )
            shown = queue.cards_with_nodes(conn, ids)
            contents = queue.card_contents(conn, shown)
        assert [card.id for card, _ in shown] == ids  # in the order asked for
        assert {(node.key, card.kind): content for (card, node), content in zip(shown, contents, strict=True)} == (
            expected
        )


class EveryThreeDays:
    """A scheduler that is not SM-2: every review is due three days on, easiness counting reviews."""

    def review(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        return schedule._replace(easiness=schedule.easiness + 1, repetitions=7, interval=3, due=today + timedelta(3))

    def drill(self, schedule: Schedule, grade: int, today: date) -> Schedule:
        return schedule


def schedule(env, card_id) -> Schedule:
    with env.connection() as conn:
        return answers.schedule_of(queue.get_card(conn, card_id))


def test_another_scheduler_plugs_in_at_the_seam_and_undo_gives_the_card_back_exactly(env):
    load(env, BUNDLED, "Scaling")
    with env.connection() as conn:
        card_id = queue.study_queue(conn, decks.find_deck(conn, None, env.learner_id), TODAY)[0]
    before = schedule(env, card_id)
    with env.connection(write=True) as conn:
        first = answers.record_answer(conn, card_id, 2, env.clock.now(), TODAY, scheduler=EveryThreeDays())
        drill = answers.record_answer(conn, card_id, 5, env.clock.now(), TODAY, scheduler=EveryThreeDays())
    reviewed = Schedule(251, 7, 3, TODAY + timedelta(3), reviews=1, lapses=1, last_day=TODAY, last_grade=2)
    assert schedule(env, card_id) == reviewed._replace(last_grade=5)
    assert (first.entry.after, drill.entry.drill) == (reviewed, True)
    with env.connection(write=True) as conn:
        answers.undo_answer(conn, drill.id)
    assert schedule(env, card_id) == reviewed
    with env.connection(write=True) as conn:
        answers.undo_answer(conn, first.id)
    assert schedule(env, card_id) == before == Schedule()


def test_a_nodes_detail_lists_each_cards_latest_five_grades_latest_first(env):
    from srs.service.nodes import find_node

    load(env, BUNDLED, "Scaling")
    with env.connection() as conn:
        node = decks.find_node(conn, decks.find_deck(conn, None, env.learner_id), "Scaling Laws")
        definition, children = (queue.card_of(conn, node, kind).id for kind in ("definition", "children"))
    for day, grades in enumerate([(1, 2, 3), (4, 5), (0, 3)]):
        with env.connection(write=True) as conn:
            for grade in grades:
                answers.record_answer(conn, definition, grade, env.clock.now(), TODAY + timedelta(day))
    with env.connection(write=True) as conn:
        answers.record_answer(conn, children, 4, env.clock.now(), TODAY)
    detail = find_node(env, "Scaling", "Scaling Laws")
    assert {card.kind: card.last_grades for card in detail.cards} == {"definition": (3, 0, 5, 4, 3), "children": (4,)}


def test_srs_due_lists_the_same_cards_however_many_it_reads_at_once(env, monkeypatch):
    from srs.service import study

    load(env, BUNDLED, "Scaling")
    whole = study.due_today(env, None, None, 25)
    monkeypatch.setattr(study, "CARDS_PER_READ", 4)
    assert study.due_today(env, None, None, 25) == whole
    assert len(whole.next) == 20  # the day's new cards: the deck's daily limit
    assert [card.term for card in whole.next[:2]] == ["Scaling Hypothesis", "Scaling Hypothesis"]

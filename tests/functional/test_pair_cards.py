"""Cards about two nodes, through the command line on SQLite and PostgreSQL: a contrast card
after two sibling lapses on one day or a lapse marked as a confusion, relation cards from a
file's labelled links, both retired and restored with their nodes, links and options, and
never taken for a node's own cards."""

import json

import pytest
from sqlalchemy import select, update

from srs.storage.tables import cards, nodes, reviews

OUTLINE = """\
- Root: The top.
  - Fruit: Things that grow from flowers.
    - Apple: A round fruit of the rose family.
    - Pear: A fruit narrower at the stalk.
  - Tool: A thing made to do work.
    - Hammer: A tool that strikes.
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


def seen_yesterday(run, now) -> None:
    """Apple, Pear and Hammer learnt on one day and due the next, which it is now: a lapse is an
    answer below 3 to a card seen before."""
    for label in ("Apple", "Pear", "Hammer"):
        run("answer", label, "4")
    now.advance(days=1)


def pair_cards(env) -> list[tuple[str, str, str, bool, int]]:
    """(kind, node label, partner label, retired, reviews) of every pair card, by id."""
    first, second = nodes.alias("first"), nodes.alias("second")
    with env.connection() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(cards.c.kind, first.c.label, second.c.label, cards.c.retired, cards.c.reviews)
                .join(first, first.c.id == cards.c.node_id)
                .join(second, second.c.id == cards.c.partner_id)
                .order_by(cards.c.id)
            )
        ]


def test_two_sibling_lapses_on_one_day_make_one_contrast_card(run, env, now, deck):
    run("options", "contrast_cards", "on")
    seen_yesterday(run, now)
    assert run("answer", "Apple", "1") == "Apple (definition card): review graded 1; again today, then due 2026-11-25\n"
    assert pair_cards(env) == []
    assert run("answer", "Pear", "2").splitlines() == [
        "Pear (definition card): review graded 2; again today, then due 2026-11-25",
        "New contrast card: how does Pear differ from Apple?",
    ]
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]
    # Drills of the day, and lapses again another day, make no second card for the pair.
    answered = json.loads(run("answer", "Apple", "1", "--json"))
    assert (answered["drill"], answered["contrasts"]) == (True, [])
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]


def test_new_cards_failed_on_their_first_answer_make_no_card(run, env, deck):
    """A new card's first answer below 3 is learning it, not confusing it with a sibling."""
    run("options", "contrast_cards", "on")
    run("answer", "Apple", "1")
    assert "contrast" not in run("answer", "Pear", "1")
    assert pair_cards(env) == []


def test_the_contrast_card_shows_both_definitions_and_comes_first_among_new_cards(run, env, now, deck):
    run("options", "contrast_cards", "on")
    seen_yesterday(run, now)
    run("answer", "Apple", "1")
    run("answer", "Pear", "1")
    day = json.loads(run("due", "--json"))
    new = [(c["term"], c["kind"]) for c in day["next"] if c["state"] == "new"]
    assert new[0] == ("Apple", "contrast")
    shown = json.loads(run("show", "Pear", "--json"))
    assert [c["kind"] for c in shown["cards"]] == ["definition"]
    assert shown["pair_cards"] == [
        {
            "kind": "contrast",
            "with": "Apple",
            "front": ["Root › Fruit", "How does Apple differ from Pear?"],
            "back": ["Apple: A round fruit of the rose family.", "Pear: A fruit narrower at the stalk."],
            "state": "new",
            "interval": 0,
            "due": None,
            "reviews": 0,
            "lapses": 0,
        }
    ]
    text = run("show", "Apple")
    assert "── contrast card with Pear · new\n" in text
    assert "  How does Apple differ from Pear?\n" in text
    # `srs answer NODE` still answers the node's own card.
    assert run("answer", "Apple", "4").startswith("Apple (definition card): drill graded 4")


def test_lapses_on_two_days_or_of_non_siblings_make_no_card(run, env, now, deck):
    run("options", "contrast_cards", "on")
    seen_yesterday(run, now)
    run("answer", "Apple", "1")
    run("answer", "Hammer", "1")  # not a sibling of Apple
    now.advance(days=1)
    assert "contrast" not in run("answer", "Pear", "1")
    assert pair_cards(env) == []


def test_with_contrast_cards_off_lapses_make_no_card(run, env, now, deck):
    seen_yesterday(run, now)
    run("answer", "Apple", "1")
    answered = json.loads(run("answer", "Pear", "1", "--json"))
    assert answered["contrasts"] == []
    assert pair_cards(env) == []


def test_a_lapse_marked_confused_with_a_sibling_makes_its_card_once(run, env, deck):
    run("options", "contrast_cards", "on")
    assert run("answer", "Pear", "1", "--confused-with", "Apple").splitlines() == [
        "Pear (definition card): review graded 1; again today, then due 2026-11-24",
        "New contrast card: how does Pear differ from Apple?",
    ]
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]
    # Apple's lapse now, and the same mark again, find the pair's card made already.
    assert json.loads(run("answer", "Apple", "0", "--confused-with", "Pear", "--json"))["contrasts"] == []
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("Apple", "1", "--confused-with", "Hammer"),
            "Error: 'Hammer' is not a sibling of 'Apple': a node can be confused only with another child of its parent",
        ),
        (
            ("Apple", "1", "--confused-with", "Apple"),
            "Error: 'Apple' is not a sibling of 'Apple': a node can be confused only with another child of its parent",
        ),
        (("Apple", "4", "--confused-with", "Pear"), "Error: a confusion is marked on a lapse: a grade below 3, not 4"),
        (("Apple", "1", "--confused-with", "Peach"), "Error: no node 'Peach' in deck 'Deck'; did you mean 'Pear'?"),
    ],
)
def test_a_confusion_that_cannot_be_marked_is_one_line_and_records_nothing(run, env, deck, args, message):
    run("options", "contrast_cards", "on")
    assert run("answer", *args, code=2) == message + "\n"
    with env.connection() as conn:
        assert conn.scalar(select(reviews.c.id).limit(1)) is None
    assert pair_cards(env) == []


def test_a_confusion_with_contrast_cards_off_is_refused(run, env, deck):
    assert run("answer", "Apple", "1", "--confused-with", "Pear", code=2) == (
        "Error: contrast cards are off for this deck: `srs options contrast_cards on` turns them on\n"
    )
    assert pair_cards(env) == []


def test_a_contrast_card_is_retired_with_a_node_and_comes_back_with_its_history(run, env, now, deck):
    run("options", "contrast_cards", "on")
    run("answer", "Apple", "1", "--confused-with", "Pear")
    now.advance(days=1)
    run("answer", "Apple", "1", "--kind", "definition")
    with env.connection() as conn:
        card_id = conn.scalar(select(cards.c.id).where(cards.c.kind == "contrast"))
    from srs.service.study import record

    record(env, card_id, 4, 0)
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 1)]
    deck.write_text(OUTLINE.replace("    - Pear: A fruit narrower at the stalk.\n", ""))
    run("import", str(deck), "--deck", "Deck")
    assert pair_cards(env) == [("contrast", "Apple", "Pear", True, 1)]
    assert "contrast" not in json.dumps(json.loads(run("due", "--limit", "50", "--json")))
    deck.write_text(OUTLINE)
    run("import", str(deck), "--deck", "Deck")
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 1)]
    with env.connection() as conn:
        assert conn.scalar(select(reviews.c.grade).where(reviews.c.card_id == card_id)) == 4


def test_contrast_cards_off_retires_them_and_on_brings_them_back(run, env, deck):
    run("options", "contrast_cards", "on")
    run("answer", "Apple", "1", "--confused-with", "Pear")
    run("options", "contrast_cards", "off")
    assert pair_cards(env) == [("contrast", "Apple", "Pear", True, 0)]
    run("options", "contrast_cards", "on")
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]


def test_pair_cards_are_not_the_nodes_own(run, env, deck):
    """The map's mastery, burying a node and its leeches go by the node's own cards."""
    run("options", "contrast_cards", "on")
    run("answer", "Apple", "1", "--confused-with", "Pear")
    with env.connection(write=True) as conn:
        conn.execute(update(cards).where(cards.c.kind == "contrast").values(lapses=9))
    assert json.loads(run("leeches", "--json"))["leeches"] == []
    run("bury", "Pear")
    assert pair_cards(env) == [("contrast", "Apple", "Pear", False, 0)]
    with env.connection() as conn:
        buried = conn.scalar(select(cards.c.buried_on).where(cards.c.kind == "contrast"))
    assert buried is None


# -- relation cards ------------------------------------------------------------------------------

GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">
<attributes class="node"><attribute id="d" title="definition" type="string"/></attributes>
<attributes class="edge"><attribute id="k" title="kind" type="string"/></attributes>
<nodes>
<node id="w" label="Weather"><attvalues><attvalue for="d" value="The state of the air."/></attvalues></node>
<node id="r" label="Rain"><attvalues><attvalue for="d" value="Water falling from clouds."/></attvalues></node>
<node id="f" label="Flood"><attvalues><attvalue for="d" value="Water over dry land."/></attvalues></node>
<node id="s" label="Sun"><attvalues><attvalue for="d" value="The star we orbit."/></attvalues></node>
</nodes>
<edges>
<edge id="1" source="w" target="r"/>
<edge id="2" source="w" target="f"/>
<edge id="3" source="w" target="s"/>
<edge id="4" source="r" target="f"><attvalues><attvalue for="k" value="causes"/></attvalues></edge>
{extra}
</edges></graph></gexf>
"""


SUN_TO_RAIN = (
    '<edge id="5" source="s" target="r"><attvalues><attvalue for="k" value="evaporates into"/></attvalues></edge>'
)


def test_relation_cards_follow_the_links_and_the_option(run, env, tmp_path):
    path = tmp_path / "weather.gexf"
    path.write_text(GEXF.format(extra=SUN_TO_RAIN))
    run("import", str(path), "--deck", "Weather")
    assert pair_cards(env) == []
    assert run("options", "relation_cards", "on", "--deck", "Weather") == "Weather: relation_cards is on (was off)\n"
    assert pair_cards(env) == [("relation", "Rain", "Flood", False, 0), ("relation", "Sun", "Rain", False, 0)]
    shown = json.loads(run("show", "Rain", "--json"))["pair_cards"]
    assert [(c["kind"], c["with"], c["front"], c["back"]) for c in shown] == [
        (
            "relation",
            "Flood",
            ["Weather", "How does Rain relate to Flood?"],
            ["Rain — causes → Flood", "Rain: Water falling from clouds.", "Flood: Water over dry land."],
        ),
        (
            "relation",
            "Sun",
            ["Weather", "How does Sun relate to Rain?"],
            ["Sun — evaporates into → Rain", "Sun: The star we orbit.", "Rain: Water falling from clouds."],
        ),
    ]
    # A link gone from the file retires its card; the node's own cards stay as they are.
    path.write_text(GEXF.format(extra=""))
    run("import", str(path), "--deck", "Weather")
    assert pair_cards(env) == [("relation", "Rain", "Flood", False, 0), ("relation", "Sun", "Rain", True, 0)]
    assert [c["kind"] for c in json.loads(run("show", "Sun", "--json"))["cards"]] == ["definition"]
    run("options", "relation_cards", "off", "--deck", "Weather")
    assert pair_cards(env) == [("relation", "Rain", "Flood", True, 0), ("relation", "Sun", "Rain", True, 0)]
    path.write_text(GEXF.format(extra=SUN_TO_RAIN))
    run("import", str(path), "--deck", "Weather")
    assert pair_cards(env) == [("relation", "Rain", "Flood", True, 0), ("relation", "Sun", "Rain", True, 0)]
    run("options", "relation_cards", "on", "--deck", "Weather")
    assert pair_cards(env) == [("relation", "Rain", "Flood", False, 0), ("relation", "Sun", "Rain", False, 0)]

"""Graph-aware learning through the command line, on SQLite and PostgreSQL: `srs options`,
progressive layering in `srs due` and `srs frontier`, parent checks with `srs answer`, and
siblings kept apart."""

import json
from datetime import date

import pytest
from sqlalchemy import select, update

from srs.storage.tables import cards, deck_options, nodes, reviews

TODAY = date(2026, 11, 23)

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare
"""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


def due(run) -> tuple[int, list[tuple[str, str]]]:
    """(new, the next cards as (term, kind)) as `srs due --json` gives them."""
    day = json.loads(run("due", "--json"))
    return day["new"], [(card["term"], card["kind"]) for card in day["next"]]


def logged(env) -> list[tuple[str, int, bool, str]]:
    with env.connection() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(nodes.c.label, reviews.c.grade, reviews.c.drill, reviews.c.kind)
                .join(cards, cards.c.id == reviews.c.card_id)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .order_by(reviews.c.id)
            )
        ]


# -- srs options ---------------------------------------------------------------------------------


def test_options_are_shown_set_and_kept_and_bad_ones_change_nothing(run, env, deck):
    assert run("options") == (
        "Deck: options\n"
        "  unlock_after_days  0    a node's new cards wait until every parent's definition card has an interval"
        " of this many days (0: off)\n"
        "  parent_checks      off  a lapse puts the node's parent's definition card in today's queue, when that"
        " card is not mature\n"
        "  sibling_spacing    off  a session never shows two cards of sibling nodes one after the other, where"
        " another order exists\n"
        "  contrast_cards     off  two sibling nodes that lapse on one day (or one marked confused with the other)"
        " get a card on how they differ\n"
        "  relation_cards     off  every link of the graph outside the hierarchy that says what it is gets a card"
        " on how its two nodes relate\n"
        "  implicit_credit    off  a pass on a node's card moves its ancestors' definition cards (3 levels up) a"
        " little later\n"
        "  socratic_prompts   off  a branch's definition card asks one question to think over under its answer,"
        " a different one each review\n"
        "  journal            off  the end of a session on a branch asks for a line on what it taught you, kept in"
        " the branch's journal\n"
    )
    assert run("options", "unlock_after_days", "7") == "Deck: unlock_after_days is 7 (was 0)\n"
    assert run("options", "parent-checks", "on") == "Deck: parent_checks is on (was off)\n"
    assert run("options", "parent_checks", "yes") == "Deck: parent_checks is on (unchanged)\n"
    assert json.loads(run("options", "--json")) == {
        "deck": "Deck",
        "options": {
            "unlock_after_days": 7,
            "parent_checks": True,
            "sibling_spacing": False,
            "contrast_cards": False,
            "relation_cards": False,
            "implicit_credit": False,
            "socratic_prompts": False,
            "journal": False,
        },
    }
    assert json.loads(run("options", "sibling_spacing", "on", "--json")) == {
        "deck": "Deck",
        "options": {"sibling_spacing": True},
        "was": False,
    }
    assert run("options", "unlock_after_days").startswith("Deck: options\n  unlock_after_days  7  ")
    with env.connection() as conn:
        stored = sorted(conn.execute(select(deck_options.c.key, deck_options.c.value)).all())
    assert stored == [("parent_checks", True), ("sibling_spacing", True), ("unlock_after_days", 7)]

    assert run("options", "unlock_after_day", "3", code=2) == (
        "Error: no deck option 'unlock_after_day'; did you mean 'unlock_after_days'?\n"
    )
    assert run("options", "unlock_after_days", "soon", code=2) == (
        "Error: unlock_after_days is a whole number of days, not 'soon'\n"
    )
    assert run("options", "parent_checks", "2", code=2) == "Error: parent_checks is on or off, not '2'\n"
    assert run("options", "--deck", "Dek", code=2) == "Error: no deck named 'Dek'; did you mean 'Deck'?\n"
    with env.connection() as conn:
        assert sorted(conn.execute(select(deck_options.c.key, deck_options.c.value)).all()) == stored
    # Back at its default, an option's row goes.
    run("options", "sibling_spacing", "off")
    with env.connection() as conn:
        assert conn.scalar(select(deck_options.c.key).where(deck_options.c.key == "sibling_spacing")) is None


# -- progressive layering ------------------------------------------------------------------------


def new_cards_are_on_the_frontier(run) -> None:
    """The queue's new cards (storage's query) are all of nodes the core's frontier says are ready."""
    ready = {n["label"] for n in json.loads(run("frontier", "--json"))["ready"]}
    day = json.loads(run("due", "--limit", "100", "--json"))
    assert {card["term"] for card in day["next"] if card["state"] == "new"} <= ready


def test_a_layer_opens_when_every_parent_holds_the_interval(run, env, now, deck):
    run("options", "unlock_after_days", "6")
    assert due(run) == (2, [("Root", "definition"), ("Root", "children")])
    assert run("frontier") == (
        "Deck: new cards wait until every parent's definition card holds 6 days\n"
        "Ready to learn (1):\n"
        "  Root\n"
        "Locked (4):\n"
        "  Parent: waits for Root (new); opens 2026-11-24\n"
        "  Bare: waits for Root (new); opens 2026-11-24\n"
        # Parent, locked and new, is first answered the day it opens: its parts open a day later.
        "  Part A: waits for Parent (new); opens 2026-11-25\n"
        "  Part B: waits for Parent (new); opens 2026-11-25\n"
        "Next layer opens 2026-11-24.\n"
    )
    new_cards_are_on_the_frontier(run)
    run("answer", "Root", "4")  # 1 day
    assert due(run) == (1, [("Root", "children")])
    new_cards_are_on_the_frontier(run)
    now.advance(days=1)
    assert due(run)[1] == [("Root", "definition"), ("Root", "children")]
    run("answer", "Root", "4")  # 6 days: Parent and Bare open, Parent's parts wait for it
    assert due(run) == (
        4,
        [("Root", "children"), ("Parent", "definition"), ("Parent", "children"), ("Bare", "placement")],
    )
    shown = json.loads(run("frontier", "--json"))
    assert [n["label"] for n in shown["ready"]] == ["Root", "Parent", "Bare"]
    assert [(n["label"], n["opens"], [w["label"] for w in n["waits_for"]]) for n in shown["locked"]] == [
        ("Part A", "2026-11-25", ["Parent"]),
        ("Part B", "2026-11-25", ["Parent"]),
    ]
    assert shown["next_layer"] == "2026-11-25"
    # A branch's frontier holds its own nodes.
    branch = json.loads(run("frontier", "Parent", "--json"))
    assert (branch["branch"], [n["label"] for n in branch["ready"]]) == ("Parent", ["Parent"])
    assert [n["label"] for n in branch["locked"]] == ["Part A", "Part B"]
    new_cards_are_on_the_frontier(run)
    run("answer", "Parent", "5")
    now.advance(days=1)
    run("answer", "Parent", "5")  # 6 days: its parts open too
    new_cards_are_on_the_frontier(run)
    assert json.loads(run("frontier", "--json"))["locked"] == []


def test_a_parent_that_can_never_reach_the_interval_locks_no_child(run, env, deck):
    run("options", "unlock_after_days", "30")
    with env.connection(write=True) as conn:
        root = conn.scalar(select(nodes.c.id).where(nodes.c.label == "Root"))
        conn.execute(update(cards).where(cards.c.node_id == root, cards.c.kind == "definition").values(suspended=True))
    assert due(run)[1] == [
        ("Root", "children"),
        ("Parent", "definition"),
        ("Parent", "children"),
        ("Bare", "placement"),
    ]
    assert "Part A: waits for Parent (new)" in run("frontier")


def test_layering_off_introduces_new_cards_parents_first_as_before(run, deck):
    run("options", "unlock_after_days", "6")
    run("options", "unlock_after_days", "0")
    assert due(run) == (
        7,
        [
            ("Root", "definition"),
            ("Root", "children"),
            ("Parent", "definition"),
            ("Parent", "children"),
            ("Bare", "placement"),
            ("Part A", "definition"),
            ("Part B", "definition"),
        ],
    )


# -- parent checks -------------------------------------------------------------------------------


def lapse_of_part_a(run, now):
    """Parent learned (6 days, due in 6), Part A learned yesterday and lapsing today."""
    run("answer", "Parent", "4")
    now.advance(days=1)
    run("answer", "Parent", "4")
    run("answer", "Part A", "4")
    now.advance(days=1)
    return run("answer", "Part A", "1")


def test_a_lapse_puts_the_parent_in_todays_queue_as_a_check_logged_as_one(run, env, now, deck):
    run("options", "parent_checks", "on")
    assert lapse_of_part_a(run, now) == (
        "Part A (definition card): review graded 1; again today, then due 2026-11-26\n"
        "To check today: Parent (its definition card joins today's queue)\n"
    )
    run("undo")
    assert json.loads(run("answer", "Part A", "1", "--json"))["checks"] == ["Parent"]
    assert due(run)[1][:2] == [("Part A", "definition"), ("Parent", "definition")]
    assert run("answer", "Parent", "4") == "Parent (definition card): check graded 4; next due 2026-12-10\n"
    run("undo")
    assert json.loads(run("answer", "Parent", "4", "--json"))["check"] is True
    assert logged(env)[-2:] == [("Part A", 1, False, "answer"), ("Parent", 4, False, "check")]
    assert ("Parent", "definition") not in due(run)[1]  # answered: the check is done
    run("undo")  # the check taken back: it is in today's queue again
    assert due(run)[1][:2] == [("Part A", "definition"), ("Parent", "definition")]
    run("undo")  # and the lapse: no check is left
    assert ("Parent", "definition") not in due(run)[1]


def test_without_parent_checks_a_lapse_brings_no_check(run, env, now, deck):
    assert lapse_of_part_a(run, now) == (
        "Part A (definition card): review graded 1; again today, then due 2026-11-26\n"
    )
    assert ("Parent", "definition") not in due(run)[1]
    assert run("answer", "Parent", "4").startswith("Parent (definition card): review graded 4")
    assert {kind for *_rest, kind in logged(env)} == {"answer"}


def test_a_check_reads_as_any_answer_in_the_statistics_and_a_replay(run, env, now, deck):
    run("options", "parent_checks", "on")
    lapse_of_part_a(run, now)
    run("answer", "Parent", "4")
    with env.connection() as conn:
        before = sorted(tuple(row) for row in conn.execute(select(cards.c.id, cards.c.interval, cards.c.due)))
    stats = json.loads(run("stats", "--json"))
    # Replayed under FSRS and back under SM-2: every schedule as it was, the check included.
    run("scheduler", "fsrs")
    run("scheduler", "sm2")
    with env.connection() as conn:
        assert sorted(tuple(row) for row in conn.execute(select(cards.c.id, cards.c.interval, cards.c.due))) == before
    assert json.loads(run("stats", "--json")) == stats
    run("options", "parent_checks", "off")  # the statistics read the log alike either way
    assert json.loads(run("stats", "--json")) == stats


# -- siblings apart --------------------------------------------------------------------------------


def test_sibling_spacing_keeps_siblings_apart_and_parents_first(run, tmp_path):
    path = tmp_path / "wide.md"
    path.write_text("- Root: Top.\n  - X1: One.\n    - Y1: a.\n    - Y2: b.\n  - X2: Two.\n  - X3: Three.\n")
    run("import", str(path), "--deck", "Wide")
    plain = [
        ("Root", "definition"),
        ("Root", "children"),
        ("X1", "definition"),
        ("X1", "children"),
        ("X2", "definition"),
        ("X3", "definition"),
        ("Y1", "definition"),
        ("Y2", "definition"),
    ]
    assert due(run)[1] == plain
    run("options", "sibling_spacing", "on")
    assert due(run)[1] == [plain[i] for i in (0, 2, 1, 3, 6, 4, 7, 5)]

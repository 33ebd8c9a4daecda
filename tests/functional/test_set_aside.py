"""`srs suspend`, `unsuspend`, `bury` and `unbury`: which cards leave which queues and counts,
when they come back, and that taking a change back leaves every card row as it was."""

import json
from datetime import date, timedelta, timezone

import pytest
from sqlalchemy import select

from srs.service import set_aside as set_aside_service
from srs.service import study as study_service
from srs.storage.tables import cards, nodes

TODAY = date(2026, 11, 23)
TOMORROW = TODAY + timedelta(days=1)

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare
"""

EVERY_CARD = [
    ("Root", "definition"),
    ("Root", "children"),
    ("Parent", "definition"),
    ("Parent", "children"),
    ("Bare", "placement"),
    ("Part A", "definition"),
    ("Part B", "definition"),
]
"""The deck's cards, in the order a session takes them when all are new."""


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return "Deck"


def card_rows(env) -> dict[tuple[str, str], dict]:
    """Every card row, whole, by (label, kind)."""
    with env.connection() as conn:
        rows = conn.execute(select(nodes.c.label, cards).join(nodes, nodes.c.id == cards.c.node_id)).all()
    # Less the stamp of the card's last suspend or unsuspend, which every change moves on (a sync
    # takes the later of two devices' changes): the row is otherwise exactly as it was.
    return {
        (row.label, row.kind): {k: v for k, v in row._mapping.items() if k not in ("label", "suspended_at")}
        for row in rows
    }


def _utc(at):
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


def due(run, *args) -> tuple[int, int, list[tuple[str, str]]]:
    """(due, new, the next cards as (term, kind)) as `srs due --json` gives them."""
    day = json.loads(run("due", *args, "--json"))
    return day["due"], day["new"], [(card["term"], card["kind"]) for card in day["next"]]


def tree_counts(run) -> dict[str, tuple[int, int]]:
    """(due, new) of every branch of `srs tree --json`, by label."""
    out = {}

    def walk(branch):
        out[branch["label"]] = (branch["due"], branch["new"])
        for child in branch.get("children", []):
            walk(child)

    walk(json.loads(run("tree", "--json")))
    return out


def test_a_buried_node_leaves_todays_queue_and_counts_and_is_back_tomorrow(run, env, now, deck):
    assert due(run) == (0, 7, EVERY_CARD)
    before = card_rows(env)

    assert run("bury", "Parent") == 'Buried 2 cards of "Parent" until tomorrow.\n'
    without = [card for card in EVERY_CARD if card[0] != "Parent"]
    assert due(run) == (0, 5, without)
    assert due(run, "Parent") == (0, 2, [("Part A", "definition"), ("Part B", "definition")])
    assert tree_counts(run) == {
        "Root": (0, 5),
        "Parent": (0, 2),
        "Part A": (0, 1),
        "Part B": (0, 1),
        "Bare": (0, 1),
    }
    assert json.loads(run("decks", "--json"))[0]["new"] == 5
    buried = {key: row | {"buried_on": TODAY} if key[0] == "Parent" else row for key, row in before.items()}
    assert card_rows(env) == buried  # nothing but the day it was buried on
    assert run("bury", "Parent") == (
        'Nothing to bury: the 2 cards of "Parent" are suspended or buried today already.\n'
    )

    now.advance(days=1)
    assert due(run) == (0, 7, EVERY_CARD)
    assert tree_counts(run)["Root"] == (0, 7)
    assert card_rows(env) == buried  # the schedule untouched
    assert run("bury", "Parent", "--json") != ""  # buried again, on the new day
    assert card_rows(env)[("Parent", "definition")]["buried_on"] == TOMORROW


def test_buried_due_cards_and_drills_leave_the_due_count(run, env, now, deck):
    run("answer", "Part A", "4")  # due tomorrow
    now.advance(days=1)
    run("answer", "Part B", "2")  # a lapse of a new card: asked again today
    assert due(run)[:2] == (2, 5)
    assert due(run)[2][:2] == [("Part B", "definition"), ("Part A", "definition")]

    assert run("bury", "Part A") == 'Buried 1 card of "Part A" until tomorrow.\n'
    assert run("bury", "Part B") == 'Buried 1 card of "Part B" until tomorrow.\n'
    assert due(run) == (0, 5, EVERY_CARD[:5])
    assert tree_counts(run)["Parent"] == (0, 2)
    assert study_service.session_cards(env, study_service.branch_scope(env, deck, "Part A")) == []
    now.advance(days=1)
    # back: Part A due since yesterday, Part B (its lapse gave it one day) due today
    assert due(run)[:2] == (2, 5)
    assert due(run)[2][:2] == [("Part A", "definition"), ("Part B", "definition")]


def test_with_its_cards_set_aside_a_branch_has_nothing_due_and_points_elsewhere(run, env, deck):
    scope = study_service.branch_scope(env, deck, "Parent")
    run("suspend", "Part A")
    run("suspend", "Part B")
    run("bury", "Parent")
    assert study_service.start_session(env, scope) == (scope, [])
    nothing = study_service.nothing_due(env, scope)
    assert (nothing.new_limit_reached, nothing.next_branch.label) == (False, "Bare")
    run("bury", "Bare")
    assert study_service.nothing_due(env, scope).next_branch is None
    run("unbury", "Parent")
    assert len(study_service.start_session(env, scope)[1]) == 2


def test_suspending_a_branch_takes_its_whole_subtree_and_unsuspending_restores_every_row(run, env, deck):
    before = card_rows(env)
    assert run("suspend", "Parent") == 'Suspended 4 cards of "Parent" and what is below it.\n'
    assert due(run) == (0, 3, [("Root", "definition"), ("Root", "children"), ("Bare", "placement")])
    assert tree_counts(run)["Parent"] == (0, 0)
    assert run("suspend", "Parent") == (
        'Nothing to suspend: the 4 cards of "Parent" and what is below it are suspended already.\n'
    )
    assert run("suspend", "Part A") == 'Nothing to suspend: the 1 card of "Part A" is suspended already.\n'
    assert run("unsuspend", "Part A") == 'Unsuspended 1 card of "Part A".\n'
    assert due(run)[2][-1] == ("Part A", "definition")
    assert json.loads(run("unsuspend", "Parent", "--json")) == {
        "deck": "Deck",
        "node": json.loads(run("show", "Parent", "--json"))["id"],
        "label": "Parent",
        "below": True,
        "cards": 4,
        "changed": 3,
    }
    assert card_rows(env) == before
    with env.connection() as conn:  # each card stamped with its last change: the unsuspend, now
        stamps = set(conn.scalars(select(cards.c.suspended_at)))
    assert {_utc(at) for at in stamps if at is not None} == {env.clock.now()} and len(stamps - {None}) == 1
    assert run("unsuspend", "Root") == (
        'Nothing to unsuspend: the 7 cards of "Root" and what is below it are not suspended.\n'
    )
    assert json.loads(run("suspend", "Bare", "--json"))["below"] is False


def test_a_suspended_card_stays_out_across_days_and_keeps_its_schedule(run, env, now, deck):
    run("answer", "Part A", "5")
    run("suspend", "Part A")
    before = card_rows(env)
    now.advance(days=3)
    assert ("Part A", "definition") not in due(run)[2]
    assert due(run)[:2] == (0, 6)
    assert card_rows(env) == before
    run("unsuspend", "Part A")
    assert due(run)[:2] == (1, 6)


def test_unbury_brings_a_branch_back_today_exactly_as_it_was(run, env, deck):
    before = card_rows(env)
    run("bury", "Parent")
    run("bury", "Part B")
    assert run("unbury", "Root") == 'Unburied 3 cards of "Root" and what is below it.\n'
    assert card_rows(env) == before
    assert due(run) == (0, 7, EVERY_CARD)
    assert run("unbury", "Part B") == 'Nothing to unbury: the 1 card of "Part B" is not buried today.\n'


def test_bury_leaves_suspended_cards_suspended(run, env, deck):
    run("suspend", "Parent")
    assert run("bury", "Parent") == (
        'Nothing to bury: the 2 cards of "Parent" are suspended or buried today already.\n'
    )
    assert {key: row["buried_on"] for key, row in card_rows(env).items() if key[0] == "Parent"} == {
        ("Parent", "definition"): None,
        ("Parent", "children"): None,
    }
    run("unsuspend", "Part A")
    run("unsuspend", "Parent")
    assert run("bury", "Parent") == 'Buried 2 cards of "Parent" until tomorrow.\n'


def test_show_says_which_cards_are_suspended_and_which_buried_today(run, now, deck):
    run("bury", "Parent")
    run("suspend", "Part A")
    shown = json.loads(run("show", "Parent", "--json"))
    assert [(c["kind"], c["suspended"], c["buried"]) for c in shown["cards"]] == [
        ("definition", False, True),
        ("children", False, True),
    ]
    assert [(c["suspended"], c["buried"]) for c in json.loads(run("show", "Part A", "--json"))["cards"]] == [
        (True, False)
    ]
    assert [(c["suspended"], c["buried"]) for c in json.loads(run("show", "Part B", "--json"))["cards"]] == [
        (False, False)
    ]
    text = run("show", "Parent")
    assert "── definition card · new · buried until tomorrow\n" in text
    assert "── children card · new · buried until tomorrow\n" in text
    assert "── definition card · new · suspended\n" in run("show", "Part A")
    assert "── definition card · new\n" in run("show", "Part B")
    now.advance(days=1)
    assert [c["buried"] for c in json.loads(run("show", "Parent", "--json"))["cards"]] == [False, False]
    assert "buried" not in run("show", "Parent")


@pytest.mark.parametrize("command", ["suspend", "unsuspend", "bury", "unbury"])
def test_a_wrong_name_gets_the_closest_ones_and_changes_nothing(run, env, deck, command):
    before = card_rows(env)
    assert run(command, "Part C", code=2) == (
        "Error: no node 'Part C' in deck 'Deck'; did you mean 'Part B', 'Part A' or 'Parent'?\n"
    )
    assert run(command, "Parent", "--deck", "Dek", code=2) == "Error: no deck named 'Dek'; did you mean 'Deck'?\n"
    assert card_rows(env) == before


def test_what_the_study_screen_sets_aside_is_put_back_exactly(env, deck):
    before = card_rows(env)
    ids = {key: row["id"] for key, row in before.items()}
    suspended = set_aside_service.suspend_card(env, ids[("Parent", "children")])
    assert suspended.leaving == (ids[("Parent", "children")],)
    buried = set_aside_service.bury_card(env, ids[("Parent", "definition")])
    assert buried.leaving == (ids[("Parent", "definition")], ids[("Parent", "children")])
    assert [m.card_id for m in buried.before] == [ids[("Parent", "definition")]]  # the suspended one left as it is
    rows = card_rows(env)
    assert (rows[("Parent", "children")]["suspended"], rows[("Parent", "definition")]["buried_on"]) == (True, TODAY)
    set_aside_service.put_back(env, buried.before)
    set_aside_service.put_back(env, suspended.before)
    assert card_rows(env) == before

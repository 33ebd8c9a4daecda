"""The rules for the learner's edits, on plain values: an edit row's file text, and what a
re-import does with each edited field."""

from srs.core.diff import NodeRecord, diff_graph
from srs.core.edits import Conflict, EditPlan, field_text, file_text_after, reconcile
from srs.core.graph import Concept, RawEdge, assemble

FILE = "Said by the file."


def graph(alpha: str, notes: str = "", example: str = ""):
    return assemble(
        [Concept("r", "Root", "Top."), Concept("a", "Alpha", alpha, example, notes)],
        [RawEdge("r", "a")],
    )


def stored(alpha: str, notes: str = "", example: str = ""):
    g = graph(alpha, notes, example)
    return {k: NodeRecord(c, tuple(g.parents[k])) for k, c in g.concepts.items()}


def test_an_edit_row_remembers_the_files_text_from_the_first_edit():
    assert file_text_after("File.", None, "Mine.") == "File."
    assert file_text_after("Mine.", "File.", "Mine again.") == "File."
    assert file_text_after("Mine.", "File.", "File.") is None
    assert file_text_after("", None, "A note.") == ""


def test_typed_text_is_cleaned_as_a_files():
    assert field_text(" \r\nline\r\nnext\rlast\x1b[0m\x00 \t\n") == "line\nnext\nlast\u241b[0m\u2400"
    assert field_text("a\tb") == "a\tb"


def plan_for(learner: str, file_now: str, theirs: bool = False, notes=("", "")):
    before, after = stored(learner, notes[0]), graph(file_now, notes[1])
    diff = diff_graph(before, after)
    plan = reconcile(before, after, diff, {"a": {"definition": FILE}}, theirs)
    return plan, diff


def test_an_unchanged_file_keeps_the_learners_text_unreported():
    plan, diff = plan_for("Mine.", FILE)
    assert plan == EditPlan(kept={"a": {"definition": "Mine."}})
    assert diff.changed == {}


def test_the_file_saying_what_the_learner_wrote_merges():
    plan, diff = plan_for("Mine.", "Mine.")
    assert plan == EditPlan(dropped=[("a", "definition")], merged=[("a", "definition")])


def test_both_changed_is_a_conflict_the_learners_text_kept_and_the_files_seen():
    plan, diff = plan_for("Mine.", "Theirs.")
    assert plan == EditPlan(
        kept={"a": {"definition": "Mine."}},
        seen=[("a", "definition", "Theirs.")],
        conflicts=[Conflict("a", "Alpha", "definition", "Mine.", "Theirs.", "yours")],
    )
    assert diff.changed == {}


def test_theirs_takes_the_files_text_in_a_conflict():
    plan, diff = plan_for("Mine.", "Theirs.", theirs=True)
    assert plan == EditPlan(
        dropped=[("a", "definition")],
        conflicts=[Conflict("a", "Alpha", "definition", "Mine.", "Theirs.", "theirs")],
    )
    # Reported as the conflict alone, not also as a change.
    assert diff.changed == {}


def test_other_changes_of_an_edited_node_are_still_reported():
    before, after = stored("Mine.", example="Old."), graph(FILE, example="New.")
    diff = diff_graph(before, after)
    plan = reconcile(before, after, diff, {"a": {"definition": FILE}})
    assert plan.kept == {"a": {"definition": "Mine."}}
    assert diff.changed == {"a": ["example"]}


def own_plan(deck_notes: str, file_notes: str, theirs: bool = False):
    """A learner whose own notes of Alpha are 'My note.' imports a file; the deck said `deck_notes`."""
    before, after = stored(FILE, deck_notes), graph(FILE, file_notes)
    diff = diff_graph(before, after)
    return reconcile(before, after, diff, {}, theirs, own={"a": {"notes": "My note."}}), diff


def test_a_file_saying_the_learners_own_notes_changes_nothing():
    # Their own export, say: the deck's notes stay the deck's, nothing is reported.
    plan, diff = own_plan("Deck note.", "My note.")
    assert plan == EditPlan(kept={"a": {"notes": "Deck note."}})
    assert diff.changed == {}


def test_a_file_with_the_decks_notes_or_none_leaves_the_learners_own_alone():
    for file_notes in ("Deck note.", ""):
        plan, diff = own_plan("Deck note.", file_notes)
        assert plan == EditPlan()
        assert diff.changed == {}


def test_new_notes_in_the_file_are_the_decks_and_a_conflict_for_the_learners_own():
    plan, diff = own_plan("Deck note.", "New note.")
    # The deck's notes become the file's (nothing kept); the learner's own stay, reported.
    assert plan == EditPlan(conflicts=[Conflict("a", "Alpha", "notes", "My note.", "New note.", "yours")])
    assert diff.changed == {}


def test_theirs_drops_the_learners_own_notes_for_the_files():
    plan, diff = own_plan("Deck note.", "New note.", theirs=True)
    assert plan == EditPlan(
        own_dropped=[("a", "notes")],
        conflicts=[Conflict("a", "Alpha", "notes", "My note.", "New note.", "theirs")],
    )


def test_an_edited_node_gone_from_the_file_is_left_alone():
    before = stored("Mine.")
    after = assemble([Concept("r", "Root", "Top.")], [])
    assert reconcile(before, after, diff_graph(before, after), {"a": {"definition": FILE}}) == EditPlan()

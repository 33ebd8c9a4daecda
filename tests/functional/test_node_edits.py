"""A node's text edited in the program: a re-import keeps it, merges it or reports a conflict, on
real files through the real command, on SQLite and PostgreSQL. (The definition and example are
the deck's; notes and a mnemonic each learner's own, tests/functional/test_own_notes.py.)"""

import json
from datetime import timedelta, timezone

import pytest
from sqlalchemy import select

from srs.errors import NotFoundError, SrsError
from srs.service.decks import save_notes
from srs.service.nodes import edit_node, load_node, undo_edit
from srs.storage import decks
from srs.storage.tables import learner_notes, node_edits, nodes

MP = "The model itself is split across devices."
MINE = "Each device holds a slice of the layers."
THEIRS = "Layers or tensors are split across devices."


def node_id(env, key):
    with env.connection() as conn:
        return conn.scalar(select(nodes.c.id).where(nodes.c.key == key))


def field(env, key, name):
    """The node's `name` as the learner sees it (their own notes and mnemonic where they wrote them)."""
    with env.connection() as conn:
        return getattr(decks.get_node(conn, node_id(env, key), env.learner_id), name)


def deck_field(env, key, name):
    """The node's `name` as the deck holds it (every learner's who has no text of their own)."""
    with env.connection() as conn:
        return conn.scalar(select(nodes.c[name]).where(nodes.c.key == key))


def node_rows(env, table, text):
    """Every row of `table` (the edit rows, or the learners' own notes) as (node key, field,
    `text`, edited_at in UTC)."""
    with env.connection() as conn:
        rows = conn.execute(
            select(nodes.c.key, table.c.field, text, table.c.edited_at).join(nodes, nodes.c.id == table.c.node_id)
        ).all()
    # SQLite gives the time back without its zone (UTC, as written); PostgreSQL in its own.
    return sorted(
        (key, name, text, at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc))
        for key, name, text, at in rows
    )


def own_rows(env):
    """Every learner's own notes and mnemonics: (node key, field, text, edited_at)."""
    return node_rows(env, learner_notes, learner_notes.c.text)


def edit_rows(env):
    """Every edit row: (node key, field, file_text, edited_at)."""
    return node_rows(env, node_edits, node_edits.c.file_text)


def snapshot(env):
    """The nodes' text fields, the edit rows and the learners' own notes, ids included: all an
    edit and its undo touch."""
    with env.connection() as conn:
        texts = conn.execute(
            select(nodes.c.id, nodes.c.definition, nodes.c.example, nodes.c.notes, nodes.c.mnemonic).order_by(
                nodes.c.id
            )
        ).all()
        rows = conn.execute(select(node_edits).order_by(node_edits.c.id)).all()
        own = conn.execute(select(learner_notes).order_by(learner_notes.c.id)).all()
        return [tuple(r) for r in texts], [tuple(r) for r in rows], [tuple(r) for r in own]


def with_definition(data, tmp_path, text, name="edited.gexf"):
    """small.gexf with Model Parallelism's definition changed to `text`."""
    out = tmp_path / name
    out.write_text((data / "small.gexf").read_text().replace(MP, text))
    return out


@pytest.fixture
def small(run, data):
    run("import", str(data / "small.gexf"))
    return data / "small.gexf"


def test_an_edit_holds_the_learners_text_and_remembers_the_files(env, small, now):
    edit = edit_node(env, node_id(env, "model-parallelism"), {"definition": f"  {MINE}\r\n", "notes": "Cut the net."})
    assert [(f.field, f.before, f.after, f.row_before) for f in edit.fields] == [
        ("definition", MP, MINE, None),
        ("notes", "", "Cut the net.", None),
    ]
    assert deck_field(env, "model-parallelism", "definition") == MINE
    at = now()
    assert edit_rows(env) == [("model-parallelism", "definition", MP, at)]
    # The notes are the learner's own: the deck's stay as the file said.
    assert own_rows(env) == [("model-parallelism", "notes", "Cut the net.", at)]
    assert (field(env, "model-parallelism", "notes"), deck_field(env, "model-parallelism", "notes")) == (
        "Cut the net.",
        "",
    )
    assert load_node(env, node_id(env, "model-parallelism")).edited == frozenset({"definition", "notes"})
    # A second edit keeps what the file said at the first; a field given its own text is no edit.
    now.advance(hours=1)
    again = edit_node(
        env, node_id(env, "model-parallelism"), {"definition": "Split the layers.", "notes": "Cut the net."}
    )
    assert [(f.field, f.before, f.after) for f in again.fields] == [("definition", MINE, "Split the layers.")]
    assert edit_rows(env) == [("model-parallelism", "definition", MP, at + timedelta(hours=1))]
    assert own_rows(env) == [("model-parallelism", "notes", "Cut the net.", at)]
    # Edited back to the file's text, a definition holds no edit; notes written back to the
    # deck's are the learner's still (kept with when, for a sync), but show as the deck's.
    now.advance(hours=1)
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MP, "notes": ""})
    assert edit_rows(env) == []
    assert own_rows(env) == [("model-parallelism", "notes", "", at + timedelta(hours=2))]
    assert load_node(env, node_id(env, "model-parallelism")).edited == frozenset()


def test_deck_text_typed_in_is_cleaned_as_an_import_cleans_a_file(env, small):
    edit_node(env, node_id(env, "data"), {"example": "a\x1b[31mred\x00\tTab\rline\n", "mnemonic": "\x9b ok"})
    assert field(env, "data", "example") == "a\u241b[31mred\u2400\tTab\nline"
    assert field(env, "data", "mnemonic") == "\x9b ok"  # a C1 control is text a file may hold too
    with pytest.raises(SrsError, match="^the notes is 20,001 characters; the limit is 20,000$"):
        edit_node(env, node_id(env, "data"), {"notes": "x" * 20_001})
    with pytest.raises(NotFoundError, match="no longer in the deck"):
        edit_node(env, 10_000, {"notes": "lost"})
    with pytest.raises(ValueError, match="not a field the learner edits: label"):
        edit_node(env, node_id(env, "data"), {"label": "Data!"})


def test_undo_puts_back_the_fields_and_edit_rows_exactly(env, small, now):
    nid = node_id(env, "model-parallelism")
    edit_node(env, nid, {"definition": MINE, "example": "Megatron."})
    now.advance(minutes=5)
    before = snapshot(env)
    # Changes an edited field, adds a new edit, and takes one back to the file's text.
    edit = edit_node(env, nid, {"definition": "Split it.", "notes": "N", "example": ""})
    assert snapshot(env) != before
    undo_edit(env, edit)
    assert snapshot(env) == before
    # An edit of nothing takes back nothing.
    nothing = edit_node(env, nid, {"definition": MINE})
    assert not nothing.changed
    undo_edit(env, nothing)
    assert snapshot(env) == before
    # A field changed since the edit is not overwritten: the later text stays.
    first = edit_node(env, nid, {"mnemonic": "M"})
    edit_node(env, nid, {"mnemonic": "MM"})
    after = snapshot(env)
    with pytest.raises(
        SrsError, match="^the mnemonic of 'Model Parallelism' changed since; the edit was not taken back$"
    ):
        undo_edit(env, first)
    assert snapshot(env) == after


def test_notes_saved_from_the_notes_dialog_are_edits_too(env, small):
    save_notes(env, node_id(env, "data"), "Remember the Pile. ", "D for data")
    assert edit_rows(env) == []
    assert [row[:3] for row in own_rows(env)] == [
        ("data", "mnemonic", "D for data"),
        ("data", "notes", "Remember the Pile."),
    ]
    assert (field(env, "data", "notes"), field(env, "data", "mnemonic")) == ("Remember the Pile.", "D for data")


def test_an_unchanged_file_keeps_the_edit_and_reports_nothing(run, env, small):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    rows = edit_rows(env)
    assert run("import", str(small)).splitlines() == ["Scaling: already up to date (5 nodes); nothing changed."]
    assert field(env, "model-parallelism", "definition") == MINE
    assert edit_rows(env) == rows


def test_a_file_changed_elsewhere_keeps_the_edit_and_changes_the_rest(run, env, small, data, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    changed = tmp_path / "changed.gexf"
    changed.write_text(
        small.read_text()
        .replace("Eight GPUs, eight slices.", "Eight GPUs.")
        .replace(
            '<attvalue for="0" value="The model itself',
            '<attvalue for="1" value="Megatron."/><attvalue for="0" value="The model itself',
        )
    )
    assert run("import", str(changed)).splitlines() == [
        "Scaling (update, 5 nodes):",
        "  ~ changed: Data Parallelism (example)",
        "  ~ changed: Model Parallelism (example)",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {changed} for the detail)",
    ]
    assert field(env, "model-parallelism", "definition") == MINE
    assert field(env, "model-parallelism", "example") == "Megatron."
    assert [row[:3] for row in edit_rows(env)] == [("model-parallelism", "definition", MP)]


def test_the_file_saying_what_the_learner_wrote_merges_the_edit(run, env, small, data, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    same = with_definition(data, tmp_path, MINE)
    assert run("import", str(same), "--dry-run").splitlines() == [
        "Scaling (update, 5 nodes) — dry run, nothing written:",
        "  = merged: Model Parallelism (definition): the file now says what you wrote",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {same} for the detail)",
    ]
    assert len(edit_rows(env)) == 1
    assert json.loads(run("import", str(same), "--json"))["merged"] == [
        {"label": "Model Parallelism", "field": "definition"}
    ]
    assert edit_rows(env) == []
    assert field(env, "model-parallelism", "definition") == MINE
    assert "already up to date" in run("import", str(same))
    # The edit merged, the file's text is the node's own again: a later change in the file is taken.
    assert "  ~ changed: Model Parallelism (definition)" in run("import", str(small)).splitlines()
    assert field(env, "model-parallelism", "definition") == MP


def test_both_changed_is_a_conflict_reported_once_and_the_learners_text_kept(run, env, small, data, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    theirs = with_definition(data, tmp_path, THEIRS)
    conflict = "  ! conflict: Model Parallelism (definition): edited by you and changed in the file; "
    assert run("import", str(theirs), "--dry-run").splitlines() == [
        "Scaling (update, 5 nodes) — dry run, nothing written:",
        conflict + "would keep yours (--theirs takes the file's)",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {theirs} for the detail)",
    ]
    assert [row[:3] for row in edit_rows(env)] == [("model-parallelism", "definition", MP)]
    assert run("import", str(theirs)).splitlines() == [
        "Scaling (update, 5 nodes):",
        conflict + "kept yours (--theirs takes the file's)",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {theirs} for the detail)",
    ]
    assert field(env, "model-parallelism", "definition") == MINE
    # The file's new text counts as seen: the same file reports the conflict no more.
    assert [row[:3] for row in edit_rows(env)] == [("model-parallelism", "definition", THEIRS)]
    assert run("import", str(theirs)).splitlines() == ["Scaling: already up to date (5 nodes); nothing changed."]
    # A further change in the file is a conflict again.
    third = with_definition(data, tmp_path, "Tensors are sharded.", "third.gexf")
    report = json.loads(run("import", str(third), "--json"))
    assert report["conflicts"] == [
        {
            "label": "Model Parallelism",
            "field": "definition",
            "yours": MINE,
            "theirs": "Tensors are sharded.",
            "kept": "yours",
        }
    ]
    assert report["changed"] == [] and report["unchanged"] is False
    assert field(env, "model-parallelism", "definition") == MINE
    # To take the file's text after all, the learner writes it in: the field is the file's again.
    edit_node(env, node_id(env, "model-parallelism"), {"definition": "Tensors are sharded."})
    assert edit_rows(env) == []
    assert "already up to date" in run("import", str(third))


def test_theirs_takes_the_files_text_in_a_conflict_only(run, env, small, data, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    edit_node(env, node_id(env, "data"), {"definition": "What a model reads."})
    theirs = with_definition(data, tmp_path, THEIRS)
    dry = run("import", str(theirs), "--theirs", "--dry-run").splitlines()
    assert dry[1] == (
        "  ! conflict: Model Parallelism (definition): edited by you and changed in the file; "
        "would take the file's (--theirs)"
    )
    assert field(env, "model-parallelism", "definition") == MINE
    report = json.loads(run("import", str(theirs), "--theirs", "--json"))
    assert report["conflicts"] == [
        {"label": "Model Parallelism", "field": "definition", "yours": MINE, "theirs": THEIRS, "kept": "theirs"}
    ]
    assert field(env, "model-parallelism", "definition") == THEIRS
    # Data's edit was in no conflict (its file text is as it was): --theirs leaves it.
    assert field(env, "data", "definition") == "What a model reads."
    assert [row[:3] for row in edit_rows(env)] == [("data", "definition", "The examples a model learns from.")]
    assert "already up to date" in run("import", str(theirs), "--theirs")


def test_empty_notes_in_a_file_leave_edited_notes_alone(run, env, small, data, tmp_path):
    run("import", str(small))
    with_notes = tmp_path / "notes.gexf"
    with_notes.write_text(
        small.read_text()
        .replace('<attribute id="2"', '<attribute id="3" title="notes" type="string"/><attribute id="2"')
        .replace(
            'value="The examples a model learns from."/>',
            'value="The examples a model learns from."/><attvalue for="3" value="From the web."/>',
        )
    )
    run("import", str(with_notes))
    edit_node(env, node_id(env, "data"), {"notes": "Mostly the Pile."})
    assert "already up to date" in run("import", str(small))
    assert field(env, "data", "notes") == "Mostly the Pile."
    assert deck_field(env, "data", "notes") == "From the web."
    assert [row[:3] for row in own_rows(env)] == [("data", "notes", "Mostly the Pile.")]


def test_exporting_to_gephi_and_importing_back_merges_every_edit(run, env, small, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE, "example": "Megatron,\n\tsplit."})
    edit_node(env, node_id(env, "data"), {"notes": "Mostly the Pile.", "mnemonic": "D"})
    own = own_rows(env)
    out = tmp_path / "progress.gexf"
    run("export", "gexf", "-o", str(out))
    report = json.loads(run("import", str(out), "--json"))
    assert report["conflicts"] == []
    # The deck's edits merge; the file says the learner's own notes, which stay theirs alone.
    assert report["merged"] == [
        {"label": "Model Parallelism", "field": "definition"},
        {"label": "Model Parallelism", "field": "example"},
    ]
    assert report["changed"] == []
    assert edit_rows(env) == []
    assert own_rows(env) == own
    assert (deck_field(env, "data", "notes"), deck_field(env, "data", "mnemonic")) == ("", "")
    assert field(env, "model-parallelism", "example") == "Megatron,\n\tsplit."
    assert "already up to date" in run("import", str(out))


def test_an_edited_node_gone_from_the_file_keeps_its_edit_when_it_comes_back(run, env, small, data, tmp_path):
    edit_node(env, node_id(env, "model-parallelism"), {"definition": MINE})
    text = small.read_text()
    start = text.index('<node id="model-parallelism"')
    without = tmp_path / "without.gexf"
    without.write_text(
        text[:start]
        + text[text.index("</node>", start) + len("</node>") :].replace(
            '<edge id="3" source="compute" target="model-parallelism" weight="1.0"/>', ""
        )
    )
    assert "  - retired: Model Parallelism" in run("import", str(without)).splitlines()
    assert [row[:3] for row in edit_rows(env)] == [("model-parallelism", "definition", MP)]
    assert "  + restored: Model Parallelism" in run("import", str(small)).splitlines()
    assert field(env, "model-parallelism", "definition") == MINE
    # Deleted for good with --prune, the node takes its edits with it.
    run("import", str(without), "--prune", "--yes")
    assert edit_rows(env) == []

"""`srs search`: the nodes whose label, definition, example or notes hold every word of a search,
best first, on SQLite and PostgreSQL."""

import json

from click.testing import CliRunner
from sqlalchemy import text

from srs.cli import cli
from srs.storage import decks, search

DECK = {
    "directed": True,
    "nodes": [
        {"id": "root", "label": "Scaling", "definition": "Bigger models, more data, more compute."},
        {"id": "compute", "label": "Compute", "definition": "Processing power, counted in FLOPs."},
        {
            "id": "dp",
            "label": "Data Parallelism",
            "definition": "Every device holds the whole model and takes a slice of each batch.",
            "example": "Eight GPUs, eight slices: 50% of the batch on each of two.",
        },
        {"id": "mp", "label": "Model Parallelism", "definition": "The model itself is split across devices."},
        {"id": "data", "label": "Data", "definition": "The examples a model learns from.", "notes": "See a_b/c."},
        {"id": "dq", "label": "Data quality", "definition": "How clean the DATA is."},
        {"id": "gone", "label": "Data leak", "definition": "Soon gone from the file."},
    ],
    "links": [
        {"source": "root", "target": "compute"},
        {"source": "root", "target": "data"},
        {"source": "compute", "target": "dp"},
        {"source": "compute", "target": "mp"},
        {"source": "data", "target": "dq"},
        {"source": "data", "target": "gone"},
    ],
}


def import_deck(run, tmp_path, deck=DECK, name="Scaling"):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(deck))
    run("import", str(path), "--deck", name)


def found(run, *args, code=0):
    """(path, field) of each hit of `srs search ... --json`."""
    return [(hit["path"], hit["field"]) for hit in json.loads(run("search", *args, "--json", code=code))]


def test_label_matches_come_first_then_the_other_fields_each_in_the_maps_order(run, tmp_path):
    import_deck(run, tmp_path)
    assert run("search", "data") == (
        "Scaling/Data\n"
        "  label: Data\n"
        "Scaling/Compute/Data Parallelism\n"
        "  label: Data Parallelism\n"
        "Scaling/Data/Data quality\n"
        "  label: Data quality\n"
        "Scaling/Data/Data leak\n"
        "  label: Data leak\n"
        "Scaling\n"
        "  definition: Bigger models, more data, more compute.\n"
    )
    assert found(run, "parallelism") == [
        ("Scaling/Compute/Data Parallelism", "label"),
        ("Scaling/Compute/Model Parallelism", "label"),
    ]
    assert found(run, "MODEL") == [
        ("Scaling/Compute/Model Parallelism", "label"),
        ("Scaling", "definition"),
        ("Scaling/Data", "definition"),
        ("Scaling/Compute/Data Parallelism", "definition"),
    ]


def test_every_word_must_occur_each_in_any_field(run, tmp_path):
    import_deck(run, tmp_path)
    assert json.loads(run("search", "gpus SLICE", "--json")) == [
        {
            "key": "dp",
            "label": "Data Parallelism",
            "path": "Scaling/Compute/Data Parallelism",
            "field": "example",
            "excerpt": "Eight GPUs, eight slices: 50% of the batch on each of two.",
        }
    ]
    assert found(run, "data clean") == [("Scaling/Data/Data quality", "definition")]
    assert run("search", "gpus", "SLICE", "--json") == run("search", "gpus SLICE", "--json")  # unquoted
    assert found(run, "notes", "--limit", "3", code=1) == []  # field names are not searched
    assert found(run, "a_b/c") == [("Scaling/Data", "notes")]


def test_percent_underscore_and_the_escape_character_are_searched_as_themselves(run, tmp_path):
    import_deck(run, tmp_path)
    assert found(run, "50%") == [("Scaling/Compute/Data Parallelism", "example")]
    assert found(run, "a_b") == [("Scaling/Data", "notes")]
    assert found(run, "b/c") == [("Scaling/Data", "notes")]
    # as wildcards these would match "50% of", "See" and "model"
    assert found(run, "50%o", code=1) == []
    assert found(run, "s_e", code=1) == found(run, "mo_el", code=1) == []
    assert found(run, "/", code=0) == [("Scaling/Data", "notes")]
    assert found(run, "%", code=0) == [("Scaling/Compute/Data Parallelism", "example")]
    assert found(run, "_", code=0) == [("Scaling/Data", "notes")]


def test_no_match_is_one_line_on_stdout_and_exit_code_1_as_grep_says_it(env, run, tmp_path):
    import_deck(run, tmp_path)
    for args, out in (
        (["transformer"], "no node in deck 'Scaling' matches 'transformer'\n"),
        (["x y", "--json"], "[]\n"),
    ):
        result = CliRunner().invoke(cli, ["search", *args], obj=env, catch_exceptions=False)
        assert (result.exit_code, result.stdout, result.stderr) == (1, out, "")


def test_the_limit_lists_the_best_and_counts_the_rest(run, tmp_path):
    import_deck(run, tmp_path)
    assert run("search", "data", "--limit", "2") == (
        "Scaling/Data\n  label: Data\nScaling/Compute/Data Parallelism\n  label: Data Parallelism\n"
        "… and 3 more (--limit 5 lists them all)\n"
    )
    assert len(json.loads(run("search", "data", "--json", "--limit", "4"))) == 4
    assert "Error: Invalid value for '--limit': 0 is not in the range x>=1." in run(
        "search", "data", "--limit", "0", code=2
    )


def test_text_without_a_word_is_a_user_error(run, tmp_path):
    import_deck(run, tmp_path)
    assert run("search", " \t ", code=2) == "Error: give some text to search for\n"


def test_retired_nodes_are_not_found_and_the_deck_is_chosen_by_name(run, tmp_path):
    import_deck(run, tmp_path)
    kept = {**DECK, "nodes": DECK["nodes"][:-1], "links": DECK["links"][:-1]}
    import_deck(run, tmp_path, kept)
    assert found(run, "leak", code=1) == []
    import_deck(run, tmp_path, {"directed": True, "nodes": [{"id": "r", "label": "Data leak"}], "links": []}, "Other")
    assert run("search", "leak", code=2) == (
        "Error: there are several decks, choose one with --deck: 'Other', 'Scaling'\n"
    )
    assert found(run, "leak", "--deck", "Other") == [("Data leak", "label")]
    assert found(run, "leak", "--deck", "Scaling", code=1) == []


def test_deck_text_is_searched_in_any_case_as_stored(env, run, tmp_path):
    import_deck(run, tmp_path)
    with env.engine().begin() as conn:
        conn.execute(text("UPDATE nodes SET notes = :notes WHERE key = 'mp'"), {"notes": "Split ACROSS\n\tGPUs"})
    with env.connection() as conn:
        deck = decks.find_deck(conn, None, env.learner_id)
        assert [row.key for row in search.matching_nodes(conn, deck, ["device", "gpus"])] == ["dp", "mp"]
        assert [row.key for row in search.matching_nodes(conn, deck, ["split", "gpus"])] == ["mp"]
    # the field named is the one holding most of the words: the definition has one, the notes both
    assert json.loads(run("search", "split", "--json"))[0]["excerpt"] == "The model itself is split across devices."
    assert json.loads(run("search", "ACROSS gpus", "--json"))[0] == {
        "key": "mp",
        "label": "Model Parallelism",
        "path": "Scaling/Compute/Model Parallelism",
        "field": "notes",
        "excerpt": "Split ACROSS GPUs",
    }


def test_letters_beyond_ascii_match_in_any_case(run, tmp_path):
    deck = {"directed": True, "nodes": [{"id": "r", "label": "Équipe", "definition": "Ein ÜBERBLICK, straße."}]}
    import_deck(run, tmp_path, {**deck, "links": []}, "Team")
    assert found(run, "équipe") == found(run, "ÉQUIPE") == [("Équipe", "label")]
    assert json.loads(run("search", "überblick STRAßE", "--json"))[0]["excerpt"] == ("Ein ÜBERBLICK, straße.")
    assert json.loads(run("show", "équipe", "--json"))["label"] == "Équipe"  # names, too

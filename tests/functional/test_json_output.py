"""`--json` on `import`, `limits` and `export`: the same facts as the text, for scripts."""

import json
import sqlite3
import zipfile

from srs.readers import read_deck


def edited(data, tmp_path):
    """small.gexf with a rename, an edited definition, a move and a new node."""
    text = (data / "small.gexf").read_text()
    text = text.replace('label="Data Parallelism"', 'label="Data-Parallel Training"')
    text = text.replace("The model itself is split across devices.", "Layers are split across devices.")
    text = text.replace('source="compute" target="model-parallelism"', 'source="data" target="model-parallelism"')
    text = text.replace(
        '<edge id="1" source="scaling" target="data"/>',
        '<edge id="1" source="scaling" target="data"/><edge id="7" source="scaling" target="laws"/>',
    )
    text = text.replace("</nodes>", '<node id="laws" label="Scaling Laws"></node></nodes>')
    path = tmp_path / "edited.gexf"
    path.write_text(text)
    return path


def test_import_json_holds_what_the_report_says(run, data, tmp_path):
    created = json.loads(run("import", str(data / "small.gexf"), "--json"))
    assert created == {
        "deck": "Scaling",
        "created": True,
        "nodes": 5,
        "dry_run": False,
        "unchanged": False,
        "matched": [],
        "added": ["Scaling", "Compute", "Data Parallelism", "Model Parallelism", "Data"],
        "changed": [],
        "renamed": [],
        "moved": [],
        "retired": [],
        "restored": [],
        "deleted": [],
        "merged": [],
        "conflicts": [],
        "cards": {"added": 7, "retired": 0, "restored": 0, "deleted": 0},
        "lint": {"errors": 0, "warnings": 4},
    }
    path = edited(data, tmp_path)
    text = run("import", str(path), "--dry-run")
    assert text.splitlines() == [
        "Scaling (update, 6 nodes) — dry run, nothing written:",
        "  + added: Scaling Laws",
        "  ~ changed: Model Parallelism (definition)",
        "  ~ renamed: Data Parallelism -> Data-Parallel Training",
        "  > moved: Model Parallelism: Compute -> Data",
        "  cards: 1 added, 1 retired",
        f"lint: 1 error, 6 warnings (srs lint {path} for the detail)",  # Scaling Laws has no definition
    ]
    dry = json.loads(run("import", str(path), "--dry-run", "--json"))
    assert dry == {
        "deck": "Scaling",
        "created": False,
        "nodes": 6,
        "dry_run": True,
        "unchanged": False,
        "matched": [],
        "added": ["Scaling Laws"],
        "changed": [{"label": "Model Parallelism", "fields": ["definition"]}],
        "renamed": [{"from": "Data Parallelism", "to": "Data-Parallel Training", "matched_by": "id"}],
        "moved": [{"label": "Model Parallelism", "from": "Compute", "to": "Data"}],
        "retired": [],
        "restored": [],
        "deleted": [],
        "merged": [],
        "conflicts": [],
        "cards": {"added": 1, "retired": 1, "restored": 0, "deleted": 0},
        "lint": {"errors": 1, "warnings": 6},
    }
    assert json.loads(run("import", str(path), "--json")) == {**dry, "dry_run": False}
    again = json.loads(run("import", str(path), "--json"))
    assert (again["unchanged"], again["added"], again["cards"]["added"]) == (True, [], 0)


def test_import_json_of_retiring_restoring_and_pruning(run, data, tmp_path):
    run("import", str(data / "small.gexf"))
    text = (data / "small.gexf").read_text()  # without the node Data and its edge
    start = text.index('<node id="data" ')
    text = text[:start] + text[text.index("</node>", start) + len("</node>") :]
    smaller = tmp_path / "smaller.gexf"
    smaller.write_text(text.replace('<edge id="1" source="scaling" target="data"/>', ""))
    retired = json.loads(run("import", str(smaller), "--json"))
    assert (retired["retired"], retired["deleted"], retired["cards"]) == (
        ["Data"],
        [],
        {"added": 0, "retired": 2, "restored": 0, "deleted": 0},
    )
    restored = json.loads(run("import", str(data / "small.gexf"), "--json"))
    assert (restored["restored"], restored["cards"]) == (
        ["Data"],
        {"added": 0, "retired": 0, "restored": 2, "deleted": 0},
    )
    pruned = json.loads(run("import", str(smaller), "--prune", "--yes", "--json"))
    assert (pruned["retired"], pruned["deleted"], pruned["cards"]) == (
        [],
        [{"label": "Data", "answers": 0}],
        {"added": 0, "retired": 1, "restored": 0, "deleted": 1},
    )


def test_limits_json(run, data):
    run("import", str(data / "small.gexf"))
    assert json.loads(run("limits", "--json")) == {"deck": "Scaling", "new_per_day": 20, "reviews_per_day": 200}
    assert json.loads(run("limits", "--new", "5", "--json")) == {
        "deck": "Scaling",
        "new_per_day": 5,
        "reviews_per_day": 200,
    }
    assert run("limits") == "Scaling: 5 new cards and 200 reviews a day\n"


def test_export_json_says_what_was_written(run, data, tmp_path):
    run("import", str(data / "small.gexf"))
    apkg = tmp_path / "compute.apkg"
    anki = json.loads(run("export", "anki", "Compute", "-o", str(apkg), "--json"))
    assert anki == {
        "path": str(apkg),
        "deck": "Scaling",
        "branch": "Compute",
        "notes": 3,
        "cards": 4,
        "suspended": 0,
        "decks": ["Scaling::Compute"],
    }
    assert (
        run("export", "anki", "Compute", "-o", str(apkg))
        == f"Scaling › Compute: 3 notes, 4 cards in 1 deck -> {apkg}\n"
    )
    with zipfile.ZipFile(apkg) as package:
        package.extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM cards").fetchone() == (4,)

    gexf = tmp_path / "map.gexf"
    assert json.loads(run("export", "gexf", "-o", str(gexf), "--json")) == {
        "path": str(gexf),
        "class": False,
        "deck": "Scaling",
        "branch": None,
        "nodes": 5,
        "edges": 4,
    }
    graph = read_deck(gexf)
    assert (len(graph), sum(len(p) for p in graph.parents.values())) == (5, 4)

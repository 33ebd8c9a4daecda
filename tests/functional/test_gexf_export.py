"""The map back to Gephi: mastery on every node, and a round trip that changes nothing."""

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from sqlalchemy import select, update
from sqlalchemy import text as sql_text

from srs.core.mastery import CardState
from srs.env import Env
from srs.errors import SrsError
from srs.export.gexf import mastery_color
from srs.readers import read_deck
from srs.service.export import export_gexf
from srs.storage import answers, importing
from srs.storage.tables import cards, nodes


def setup_deck(env, data, now):
    with env.connection(write=True) as conn:
        importing.import_graph(conn, "Small", read_deck(data / "small.gexf"), "x", env.clock.now())
    with env.connection(write=True) as conn:
        node_id = conn.scalar(select(nodes.c.id).where(nodes.c.key == "data-parallelism"))
        conn.execute(update(nodes).where(nodes.c.id == node_id).values(notes="Think of eight photocopiers."))
        cid = conn.scalar(select(cards.c.id).where(cards.c.node_id == node_id))
    for grade, days in ((5, 1), (5, 6), (5, 0)):
        with env.connection(write=True) as conn:
            answers.record_answer(conn, cid, grade, env.clock.now(), env.clock.today())
        now.advance(days=days)


def test_export_carries_learning_state_and_reimports_as_a_no_op(env, data, now, tmp_path):
    setup_deck(env, data, now)
    out = tmp_path / "map.gexf"
    report = export_gexf(env, None, None, out)
    assert (report.nodes, report.edges) == (5, 4)
    g = nx.read_gexf(out)
    dp = g.nodes["data-parallelism"]
    assert dp["label"] == "Data Parallelism"
    assert dp["notes"] == "Think of eight photocopiers."
    assert (dp["srs_state"], dp["srs_interval"], dp["srs_reviews"], dp["srs_easiness"]) == ("young", 17, 3, 2.8)
    assert dp["srs_mastery"] == pytest.approx(17 / 21, abs=1e-3)
    assert dp["srs_due"] == "2026-12-17"
    assert dp["color"] == "#e66414"  # the node's own colour survives as an attribute
    assert g.nodes["data"]["srs_state"] == "new"
    assert g.nodes["data"]["viz"]["color"] == {"r": 170, "g": 170, "b": 170, "a": 1.0}
    with env.connection() as conn:
        again = importing.import_graph(conn, "Small", read_deck(out), str(out), env.clock.now())
    assert again.unchanged


def test_export_is_gexf_1_2draft(env, data, now, tmp_path):
    # 1.2draft, which Gephi and every networkx release read; networkx 3.4 (Python 3.10) reads no 1.3.
    setup_deck(env, data, now)
    out = tmp_path / "map.gexf"
    export_gexf(env, None, None, out)
    gexf, viz = "http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz"
    root = ET.parse(out).getroot()
    assert (root.tag, root.get("version")) == (f"{{{gexf}}}gexf", "1.2")
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == f"{gexf} {gexf}/gexf.xsd"
    types = {a.get("id"): a.get("type") for a in root.iter(f"{{{gexf}}}attribute")}
    assert set(types.values()) == {"string", "integer", "double"}  # all three are 1.2draft types
    assert (types["srs_interval"], types["srs_mastery"], types["definition"]) == ("integer", "double", "string")
    colours = {
        node.get("id"): tuple(node.find(f"{{{viz}}}color").get(c) for c in "rgb")
        for node in root.iter(f"{{{gexf}}}node")
    }
    grey = ("170", "170", "170")
    young = ("114", "200", "50")  # mastery 17/21, between yellow and green
    assert colours == {
        "scaling": grey,
        "compute": grey,
        "data-parallelism": young,
        "model-parallelism": grey,
        "data": grey,
    }


def test_branch_export_and_errors(env, data, now, tmp_path):
    setup_deck(env, data, now)
    report = export_gexf(env, None, "Compute", tmp_path / "compute.gexf")
    assert (report.nodes, report.edges) == (3, 2)
    with pytest.raises(SrsError, match="does not exist"):
        export_gexf(env, None, None, tmp_path / "no" / "such.gexf")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".sqlite3" and "sqlite3" not in p.name) == [
        "compute.gexf"
    ]


def test_mastery_colours_run_from_red_to_green():
    assert mastery_color(0.0, CardState.NEW) == (170, 170, 170)
    assert mastery_color(0.0, CardState.LEARNING) == (220, 60, 50)
    assert mastery_color(0.5, CardState.YOUNG) == (220, 200, 50)
    assert mastery_color(1.0, CardState.MATURE) == (50, 200, 50)


def fresh_database_from(file, tmp_path):
    """`srs import FILE` into a new database (the real command), and that database's nodes by key."""
    from click.testing import CliRunner

    from srs.cli import cli

    db = tmp_path / "fresh.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(file)])
    assert result.exit_code == 0, result.output
    fresh = Env(url=f"sqlite:///{db}", seed_bundled=False)
    try:
        with fresh.connection() as conn:
            return {n.key: (n.label, n.definition, n.notes, dict(n.attrs)) for n in conn.execute(select(nodes))}
    finally:
        fresh.close()


def test_control_characters_in_the_database_are_exported_as_their_stand_ins(run, env, data, tmp_path):
    run("import", str(data / "small.gexf"))
    nul, shown = ("\x00", "␀") if env.engine().dialect.name == "sqlite" else ("", "")  # PostgreSQL text holds no NUL
    # Put straight into the database, as an older import, the app's notes or a direct edit may have.
    with env.connection(write=True) as conn:
        conn.execute(
            sql_text("UPDATE nodes SET label = :label, definition = :definition, notes = :notes WHERE key = 'compute'"),
            {
                "label": "Com\x1b[31mpute",
                "definition": f"FLOPs\x07 spent{nul} on training",
                "notes": "\x1b]52;c;evil\x07",
            },
        )
    out = tmp_path / "map.gexf"
    assert run("export", "gexf", "-o", str(out)) == f"Wrote 5 nodes and 4 edges to {out}\n"

    node = nx.read_gexf(out).nodes["compute"]
    assert (node["label"], node["definition"], node["notes"]) == (
        "Com␛[31mpute",
        f"FLOPs␇ spent{shown} on training",
        "␛]52;c;evil␇",
    )
    label, definition, notes, _ = fresh_database_from(out, tmp_path)["compute"]
    assert (label, definition, notes) == ("Com␛[31mpute", f"FLOPs␇ spent{shown} on training", "␛]52;c;evil␇")


def test_a_node_with_twenty_thousand_attributes_exports_them_all(run, env, data, tmp_path):
    run("import", str(data / "small.gexf"))
    many = {f"measure {i:05}": f"value {i}" for i in range(20_000)}
    with env.connection(write=True) as conn:
        conn.execute(update(nodes).where(nodes.c.key == "data").values(attrs=many))
    out = tmp_path / "map.gexf"
    run("export", "gexf", "-o", str(out))

    node = nx.read_gexf(out).nodes["data"]
    assert {name: node[name] for name in many} == many
    *_, attrs = fresh_database_from(out, tmp_path)["data"]
    assert attrs == many

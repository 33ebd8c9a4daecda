"""What a file's edges say: which of them make the hierarchy and which way they point, the word
kept and said on the cards, and a renamed node matched again by its definition."""

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from test_reimport import answer_on_days, history

from srs.cli import cli
from srs.storage.tables import cards, edges, nodes, reviews

ANIMALS = [
    ("animal", "Animal", "A living thing that moves and eats."),
    ("dog", "Dog", "A domesticated carnivore that barks."),
    ("cat", "Cat", "A small carnivore that purrs."),
    ("tail", "Tail", "The hind end of an animal's body."),
]


def gexf(tmp_path, edge_list, name="map.gexf", concepts=ANIMALS, default="directed"):
    """A GEXF file with `concepts` (id, label, definition) and `edge_list` (source, target, kind)."""
    node_xml = "".join(
        f'<node id="{key}" label="{label}"><attvalues><attvalue for="d" value="{definition}"/></attvalues></node>'
        for key, label, definition in concepts
    )
    edge_xml = "".join(
        f'<edge id="e{i}" source="{s}" target="{t}">'
        + (f'<attvalues><attvalue for="k" value="{kind}"/></attvalues>' if kind else "")
        + "</edge>"
        for i, (s, t, kind) in enumerate(edge_list)
    )
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">'
        f'<graph defaultedgetype="{default}">'
        '<attributes class="node"><attribute id="d" title="definition" type="string"/></attributes>'
        '<attributes class="edge"><attribute id="k" title="kind" type="string"/></attributes>'
        f"<nodes>{node_xml}</nodes><edges>{edge_xml}</edges></graph></gexf>\n"
    )
    return path


def tree(run):
    """Each node's label with its children's labels, from `srs tree --json`."""
    out = {}

    def walk(item):
        out[item["label"]] = [child["label"] for child in item.get("children", [])]
        for child in item.get("children", []):
            walk(child)

    walk(json.loads(run("tree", "--json")))
    return out


def stored_relations(env):
    """(parent label, child label, relation) of every hierarchy edge stored, in the order written."""
    parent, child = nodes.alias("p"), nodes.alias("c")
    with env.connection() as conn:
        return conn.execute(
            select(parent.c.label, child.c.label, edges.c.relation)
            .join(parent, parent.c.id == edges.c.parent_id)
            .join(child, child.c.id == edges.c.child_id)
            .where(edges.c.kind == "hierarchy")
            .order_by(edges.c.id)
        ).all()


@pytest.mark.parametrize(
    "kind", ["is-a", "is_a", "isa", "subclass-of", "instance-of", "part-of", "broader", "Is-A", "BROADER"]
)
def test_each_child_to_parent_kind_points_at_the_parent(run, env, tmp_path, kind):
    path = gexf(tmp_path, [("dog", "animal", kind), ("cat", "animal", kind), ("animal", "tail", "")])
    assert run("import", str(path)).splitlines() == [
        "Animal (new deck, 4 nodes):",
        "  + 4 nodes",
        "  cards: 5 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {path} for the detail)",
    ]
    assert tree(run) == {"Animal": ["Dog", "Cat", "Tail"], "Dog": [], "Cat": [], "Tail": []}
    assert stored_relations(env) == [("Animal", "Dog", kind), ("Animal", "Cat", kind), ("Animal", "Tail", "")]


def test_an_undirected_graph_follows_the_word_too(run, tmp_path):
    path = gexf(tmp_path, [("dog", "animal", "is-a"), ("animal", "cat", "")], default="undirected")
    run("import", str(path), "--root", "animal")
    assert tree(run)["Animal"] == ["Dog", "Cat"]


def test_a_parent_child_header_keeps_its_direction_whatever_the_kind(run, env, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("parent,child,kind\nanimal,dog,is-a\nanimal,cat,is-a\n")
    run("import", str(path))
    assert tree(run) == {"animal": ["dog", "cat"], "dog": [], "cat": []}
    assert stored_relations(env) == [("animal", "dog", "is-a"), ("animal", "cat", "is-a")]


NO_HIERARCHY = (
    "Error: {path}: no edge makes a hierarchy: every edge's kind was read as a plain link ('includes' (2), "
    "'see-also' (1)); name the kinds that point from parent to child with --hierarchy KIND, or from child to "
    "parent with --hierarchy-up KIND\n"
)


def test_a_file_without_hierarchy_edges_names_the_kinds_it_read_as_links(env, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("source,target,relation\nanimal,dog,includes\nanimal,cat,includes\ndog,cat,see-also\n")
    for extra in ([], ["--root", "animal"]):  # refused, rather than a deck of one node
        result = CliRunner().invoke(cli, ["import", str(path), *extra], obj=env)
        assert result.exit_code == 2
        assert result.stderr == NO_HIERARCHY.format(path=path)
    with env.connection() as conn:
        assert conn.scalar(select(nodes.c.id)) is None


def test_hierarchy_names_a_kind_that_points_down_and_hierarchy_up_one_that_points_up(run, env, tmp_path):
    down = tmp_path / "down.csv"
    down.write_text("source,target,relation\nanimal,dog,includes\nanimal,cat,includes\ndog,cat,see-also\n")
    run("import", str(down), "--hierarchy", "Includes")
    assert tree(run) == {"animal": ["dog", "cat"], "dog": [], "cat": []}
    up = tmp_path / "up.csv"
    up.write_text("source,target,relation\ndog,animal,specialises\ncat,animal,specialises\n")
    run("import", str(up), "--deck", "Up", "--hierarchy-up", "specialises", "--hierarchy", "includes")
    assert json.loads(run("tree", "--deck", "Up", "--json"))["children"][1]["label"] == "cat"
    # A built-in kind named the other way round is read as the option says.
    flipped = gexf(
        tmp_path, [("animal", "dog", "is-a"), ("animal", "cat", "is-a")], name="flipped.gexf", concepts=ANIMALS[:3]
    )
    run("import", str(flipped), "--deck", "Flipped", "--hierarchy", "is-a")
    assert json.loads(run("tree", "--deck", "Flipped", "--json"))["label"] == "Animal"


def test_a_kind_cannot_point_both_ways(env, tmp_path):
    path = gexf(tmp_path, [("dog", "animal", "is-a")])
    result = CliRunner().invoke(cli, ["import", str(path), "--hierarchy", "x", "--hierarchy-up", "X"], obj=env)
    assert result.exit_code == 2
    assert result.stderr == "Error: the edge kind 'x' cannot point both down and up the hierarchy\n"


def test_cards_name_the_children_as_the_edges_do(run, tmp_path):
    path = gexf(tmp_path, [("dog", "animal", "is-a"), ("cat", "animal", "subclass-of"), ("animal", "tail", "")])
    run("import", str(path))
    shown = run("show", "Animal")
    assert "  Name the 3 concepts under Animal: 2 kinds, 1 other." in shown
    assert shown.split("── children card · new\n")[1].splitlines()[:8] == [
        "  Name the 3 concepts under Animal: 2 kinds, 1 other.",
        "  A living thing that moves and eats.",
        "  ----",
        "  Kinds of Animal:",
        "    Dog — A domesticated carnivore that barks.",
        "    Cat — A small carnivore that purrs.",
        "  Concepts under Animal:",
        "    Tail — The hind end of an animal's body.",
    ]
    assert "  Kinds of Animal: Dog, Cat" in shown and "  Concepts under Animal: Tail" in shown
    assert "  Kind of: Animal — A living thing that moves and eats." in run("show", "Dog")
    assert "  Part of: Animal — A living thing that moves and eats." in run("show", "Tail")

    kinds_only = gexf(
        tmp_path, [("dog", "animal", "is-a"), ("cat", "animal", "instance-of")], name="kinds.gexf", concepts=ANIMALS[:3]
    )
    run("import", str(kinds_only), "--deck", "Kinds")
    assert "  Name the 2 kinds of Animal." in run("show", "--deck", "Kinds", "Animal")
    parts = gexf(
        tmp_path, [("animal", "dog", "has-part"), ("cat", "animal", "part-of")], name="parts.gexf", concepts=ANIMALS[:3]
    )
    run("import", str(parts), "--deck", "Parts")
    assert "  Name the 2 parts of Animal." in run("show", "--deck", "Parts", "Animal")


def test_the_gexf_export_writes_the_words_back_and_a_round_trip_keeps_them(run, env, tmp_path):
    path = gexf(tmp_path, [("dog", "animal", "is-a"), ("animal", "cat", ""), ("animal", "tail", "has-part")])
    run("import", str(path))
    out = tmp_path / "out.gexf"
    run("export", "gexf", "-o", str(out))
    ns = {"g": "http://www.gexf.net/1.2draft"}
    written = [
        (e.get("source"), e.get("target"), [v.get("value") for v in e.iter("{http://www.gexf.net/1.2draft}attvalue")])
        for e in ET.parse(out).getroot().iterfind(".//g:edge", ns)
    ]
    assert written == [("dog", "animal", ["is-a"]), ("animal", "cat", []), ("animal", "tail", ["has-part"])]
    before = stored_relations(env)
    assert run("import", str(out)) == "Animal: already up to date (4 nodes); nothing changed.\n"
    assert (
        stored_relations(env)
        == before
        == [
            ("Animal", "Dog", "is-a"),
            ("Animal", "Cat", ""),
            ("Animal", "Tail", "has-part"),
        ]
    )


def test_words_new_to_an_old_deck_are_stored_without_a_change_reported(run, env, tmp_path):
    path = gexf(tmp_path, [("dog", "animal", "is-a"), ("cat", "animal", "is-a")], concepts=ANIMALS[:3])
    run("import", str(path))
    with env.connection(write=True) as conn:  # as a deck imported before schema 5 has them
        conn.execute(edges.update().values(relation=""))
    assert run("import", str(path)) == "Animal: already up to date (3 nodes); nothing changed.\n"
    assert stored_relations(env) == [("Animal", "Dog", "is-a"), ("Animal", "Cat", "is-a")]


# -- a node renamed by a tool that regenerated every id -------------------------------------------


def regenerated(tmp_path, concepts, edge_list, name, prefix="n"):
    """The map again as another tool writes it: every id new (`n0`, `n1`, ... in a new order)."""
    ids = {key: f"{prefix}{i}" for i, (key, _label, _definition) in enumerate(reversed(concepts))}
    return gexf(
        tmp_path,
        [(ids[s], ids[t], kind) for s, t, kind in edge_list],
        name=name,
        concepts=[(ids[key], label, definition) for key, label, definition in concepts],
    )


def test_a_renamed_node_with_a_new_id_keeps_its_cards_and_history(run, env, now, tmp_path):
    edge_list = [("animal", "dog", ""), ("animal", "cat", ""), ("animal", "tail", "")]
    run("import", str(gexf(tmp_path, edge_list)))
    answer_on_days(env, now, ["dog", "cat"])
    before = history(env)
    renamed = [
        ("animal", "Animal", "A living thing that moves and eats."),
        ("dog", "Domestic Dog", "A domesticated carnivore that barks loudly."),
        ("cat", "Cat", "A small carnivore that purrs."),
        ("tail", "Tail", "The hind end of an animal's body."),
    ]
    path = regenerated(tmp_path, renamed, edge_list, "renamed.gexf")
    assert run("import", str(path)).splitlines() == [
        "Animal (update, 4 nodes):",
        "  = matched by label: Animal",
        "  = matched by label: Cat",
        "  = matched by label: Tail",
        "  ~ changed: Domestic Dog (definition)",
        "  ~ renamed (matched by definition): Dog -> Domestic Dog",
        "  cards: 0 added, 0 retired",
        f"lint: 0 errors, 4 warnings (srs lint {path} for the detail)",
    ]
    after = history(env)
    assert after[("Domestic Dog", "definition")][:5] == before[("Dog", "definition")][:5]
    assert after[("Domestic Dog", "definition")][4] == [5, 5]
    with env.connection() as conn:
        assert conn.scalar(select(nodes.c.key).where(nodes.c.label == "Domestic Dog")) == "n2"
        assert conn.scalar(select(nodes.c.id).where(nodes.c.retired.is_(True))) is None
        assert conn.scalar(select(reviews.c.id).join(cards).where(cards.c.retired.is_(True))) is None
    report = json.loads(run("import", str(path), "--json"))
    assert report["unchanged"] is True
    again = [*renamed[:1], ("dog", "Hound", renamed[1][2]), *renamed[2:]]
    report = json.loads(run("import", str(regenerated(tmp_path, again, edge_list, "2.gexf")), "--json"))
    assert report["renamed"] == [{"from": "Domestic Dog", "to": "Hound", "matched_by": "id"}]
    report = json.loads(run("import", str(regenerated(tmp_path, renamed, edge_list, "3.gexf", "m")), "--json"))
    assert report["renamed"] == [{"from": "Hound", "to": "Domestic Dog", "matched_by": "definition"}]
    assert {"label": "Domestic Dog", "by": "definition"} in report["matched"]
    assert history(env)[("Domestic Dog", "definition")][:5] == before[("Dog", "definition")][:5]


def test_a_definition_two_nodes_could_match_is_not_matched(run, env, tmp_path):
    concepts = [*ANIMALS, ("puppy", "Puppy", "A domesticated carnivore that barks.")]
    edge_list = [("animal", "dog", ""), ("animal", "cat", ""), ("animal", "tail", ""), ("animal", "puppy", "")]
    run("import", str(gexf(tmp_path, edge_list, concepts=concepts)))
    renamed = [*concepts[:1], ("dog", "Hound", "A domesticated carnivore that barks."), *concepts[2:4]]
    path = regenerated(tmp_path, renamed, edge_list[:3], "renamed.gexf")
    lines = run("import", str(path), "--yes").splitlines()
    # Dog and Puppy both fit Hound: neither is taken for it.
    assert "  + added: Hound" in lines
    assert "  - retired: Dog" in lines and "  - retired: Puppy" in lines
    assert not [line for line in lines if "renamed:" in line]


def test_a_renamed_node_under_another_parent_is_not_matched(run, tmp_path):
    concepts = [*ANIMALS, ("plant", "Plant", "A living thing that grows in soil.")]
    edge_list = [("animal", "dog", ""), ("animal", "cat", ""), ("animal", "tail", ""), ("animal", "plant", "")]
    run("import", str(gexf(tmp_path, edge_list, concepts=concepts)))
    renamed = [*concepts[:1], ("dog", "Hound", ANIMALS[1][2]), *concepts[2:]]
    moved = [("animal", "cat", ""), ("animal", "tail", ""), ("animal", "plant", ""), ("plant", "dog", "")]
    lines = run("import", str(regenerated(tmp_path, renamed, moved, "moved.gexf"))).splitlines()
    assert "  + added: Hound" in lines and "  - retired: Dog" in lines


# -- a CSV edge list without its nodes file ---------------------------------------------------------


def test_an_edge_list_without_its_nodes_file_warns_that_it_makes_a_new_deck(env, data, tmp_path):
    runner = CliRunner()
    nodes_file = tmp_path / "nodes.csv"
    nodes_file.write_text("id,label,definition\nScaling,Scaling Hypothesis,Making things larger.\n")
    first = runner.invoke(cli, ["import", str(data / "edges.csv"), "--nodes", str(nodes_file)], obj=env)
    assert first.exit_code == 0, first.output
    assert first.stderr == f"lint: 3 errors, 2 warnings (srs lint {data / 'edges.csv'} for the detail)\n"
    again = runner.invoke(cli, ["import", str(data / "edges.csv")], obj=env)
    assert again.exit_code == 0
    assert again.stderr == (
        "warning: the new deck 'Scaling' has the node ids of deck 'Scaling Hypothesis': was its --nodes file "
        "left out? To update that deck instead, add --deck 'Scaling Hypothesis'\n"
        f"lint: 4 errors, 1 warning (srs lint {data / 'edges.csv'} for the detail)\n"
    )
    assert again.stdout.splitlines()[0] == "Scaling (new deck, 4 nodes):"
    named = runner.invoke(cli, ["import", str(data / "edges.csv"), "--deck", "Scaling Hypothesis"], obj=env)
    lint = f"lint: 4 errors, 1 warning (srs lint {data / 'edges.csv'} for the detail)\n"
    assert named.exit_code == 0 and named.stderr == lint

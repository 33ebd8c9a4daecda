"""The teacher's view, on SQLite and PostgreSQL: `srs class` gives, per node, how many of the
class studied it, their mean mastery and the lapse rate, and the nodes the class finds hardest;
`srs export gexf --class` paints the map with the class's mean mastery."""

import json

import networkx as nx
import pytest
from test_learners import OUTLINE, env_as, runner


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


@pytest.fixture
def studied(run, env, deck, now, tmp_path):
    """Three learners: this one knows Root's definition for 6 days, Bob failed Part A twice,
    Carol passed it once."""
    bob, carol = env_as(env, "bob", tmp_path), env_as(env, "carol", tmp_path)
    run("answer", "Root", "5")
    runner(bob)("answer", "Part A", "1")
    runner(carol)("answer", "Part A", "4")
    now.advance(days=1)
    run("answer", "Root", "5")
    runner(bob)("answer", "Part A", "2")
    yield
    bob.close()
    carol.close()


def figures(key, label, studied, mastery, reviews, lapses, rate):
    return {
        "key": key,
        "label": label,
        "learners": 3,
        "studied": studied,
        "mastery": mastery,
        "reviews": reviews,
        "lapses": lapses,
        "lapse_rate": rate,
    }


def test_class_gives_each_nodes_figures_over_every_learner(run, studied):
    view = json.loads(run("class", "--json"))
    keys = {node["label"]: node["key"] for node in view["nodes"]}
    part_a = figures(keys["Part A"], "Part A", 2, 0.0, 3, 2, 0.6667)
    assert view == {
        "deck": "Deck",
        "branch": None,
        "learners": 3,
        "nodes": [
            # Root's definition at 6 days is 6/21 of one of its six cards (two for each learner).
            figures(keys["Root"], "Root", 1, round(6 / 21 / 6, 4), 2, 0, 0.0),
            figures(keys["Parent"], "Parent", 0, 0.0, 0, 0, None),
            figures(keys["Bare"], "Bare", 0, 0.0, 0, 0, None),
            part_a,
            figures(keys["Part B"], "Part B", 0, 0.0, 0, 0, None),
        ],
        "hardest": [part_a],
    }
    assert run("class") == (
        "Deck: a class of 3 learners, 5 nodes\n"
        "  Node    Studied  Mastery  Lapse rate\n"
        "  Root        1/3       5%          0%\n"
        "  Parent      0/3       0%           -\n"
        "  Bare        0/3       0%           -\n"
        "  Part A      2/3       0%         67%\n"
        "  Part B      0/3       0%           -\n"
        "Hardest for the class:\n"
        "  1. Part A: 67% of 3 reviews lapsed, mastery 0%\n"
    )
    branch = json.loads(run("class", "Parent", "--json"))
    assert (branch["branch"], [node["label"] for node in branch["nodes"]]) == ("Parent", ["Parent", "Part A", "Part B"])


def test_class_of_one_learner_without_lapses_says_so(run, deck):
    assert run("class", "Bare").splitlines() == [
        "Bare (Deck): a class of 1 learner, 1 node",
        "  Node  Studied  Mastery  Lapse rate",
        "  Bare      0/1       0%           -",
        "No lapses yet: nothing the class finds hard.",
    ]
    assert run("class", "Nowhere", code=2) == "Error: no node 'Nowhere' in deck 'Deck'\n"


def test_export_gexf_with_class_paints_the_classes_mean_mastery(run, studied, tmp_path):
    mine, theirs = tmp_path / "mine.gexf", tmp_path / "class.gexf"
    run("export", "gexf", "-o", str(mine))
    assert json.loads(run("export", "gexf", "--class", "-o", str(theirs), "--json"))["class"] is True
    by_label = {
        path.name: {data["label"]: data for _key, data in nx.read_gexf(path).nodes(data=True)}
        for path in (mine, theirs)
    }
    assert by_label["mine.gexf"]["Root"]["srs_mastery"] == pytest.approx(0.143)
    assert by_label["class.gexf"]["Root"]["srs_mastery"] == pytest.approx(0.048)
    assert (by_label["mine.gexf"]["Part A"]["srs_reviews"], by_label["class.gexf"]["Part A"]["srs_reviews"]) == (0, 3)
    assert by_label["class.gexf"]["Part A"]["srs_lapses"] == 2
    # The class map is a map like the other: importing it changes nothing.
    assert "already up to date" in run("import", str(theirs), "--deck", "Deck")

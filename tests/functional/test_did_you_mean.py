"""A deck or node name that matches nothing gets the closest names, on SQLite and PostgreSQL."""

import pytest

from srs.errors import NotFoundError
from srs.storage import decks


@pytest.fixture
def two_decks(run, data):
    run("import", str(data / "small.gexf"))
    run("import", str(data / "outline.md"), "--deck", "Scaling notes")


def test_a_mistyped_node_gets_the_closest_labels(run, two_decks):
    assert run("show", "Data Paralelism", "--deck", "Scaling", code=2) == (
        "Error: no node 'Data Paralelism' in deck 'Scaling'; did you mean 'Data Parallelism' or 'Model Parallelism'?\n"
    )
    assert run("answer", "compte", "4", "--deck", "Scaling", code=2) == (
        "Error: no node 'compte' in deck 'Scaling'; did you mean 'Compute'?\n"
    )
    assert run("tree", "Nothing like it", "--deck", "Scaling", code=2) == (
        "Error: no node 'Nothing like it' in deck 'Scaling'\n"
    )


def test_a_mistyped_deck_gets_the_closest_names_else_the_list(run, two_decks):
    assert run("due", "--deck", "Scalin", code=2) == (
        "Error: no deck named 'Scalin'; did you mean 'Scaling' or 'Scaling notes'?\n"
    )
    assert run("due", "--deck", "Other", code=2) == "Error: no deck named 'Other'; decks: 'Scaling', 'Scaling notes'\n"


def test_a_retired_node_is_not_offered(env, run, data, tmp_path):
    run("import", str(data / "small.gexf"))
    lines = (data / "small.gexf").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if 'id="model-parallelism"' in line)
    kept = lines[:start] + lines[start + 4 :]  # the node, its definition, colour and closing tag
    gone = tmp_path / "gone.gexf"
    gone.write_text("\n".join(line for line in kept if 'target="model-parallelism"' not in line))
    assert "  - retired: Model Parallelism" in run("import", str(gone))
    with env.connection() as conn:
        deck = decks.find_deck(conn, "Scaling", env.learner_id)
        with pytest.raises(NotFoundError) as raised:
            decks.find_node(conn, deck, "Model Parallelism")
    assert str(raised.value) == "no node 'Model Parallelism' in deck 'Scaling'; did you mean 'Data Parallelism'?"

"""An edited graph keeps the learning: scenario tests through the command line on real files."""

import json
import re

from sqlalchemy import select, update

from srs.storage import answers, decks
from srs.storage.tables import cards, nodes, reviews


def answer_on_days(env, now, keys):
    """Answer the definition card of each node 5, then 5 again the next day."""
    for _day in range(2):
        with env.connection(write=True) as conn:
            for key in keys:
                cid = conn.scalar(
                    select(cards.c.id)
                    .join(nodes, nodes.c.id == cards.c.node_id)
                    .where(nodes.c.key == key, cards.c.kind == "definition")
                )
                answers.record_answer(conn, cid, 5, env.clock.now(), env.clock.today())
        now.advance(days=1)


def history(env):
    """Per node label and card kind: the card's schedule and its answers."""
    with env.connection() as conn:
        out = {}
        for card in conn.execute(select(cards, nodes.c.label).join(nodes, nodes.c.id == cards.c.node_id)):
            grades = list(
                conn.scalars(select(reviews.c.grade).where(reviews.c.card_id == card.id).order_by(reviews.c.id))
            )
            out[(card.label, card.kind)] = (
                card.id,
                card.repetitions,
                card.interval,
                card.due,
                grades,
                card.retired,
            )
        return out


def test_ids_kept_every_kind_of_edit(run, env, now, data, tmp_path):
    run("import", str(data / "small.gexf"))
    answer_on_days(env, now, ["compute", "data-parallelism", "model-parallelism", "data"])
    before = history(env)
    text = (data / "small.gexf").read_text()
    text = text.replace('label="Data Parallelism"', 'label="Data-Parallel Training"')  # rename
    text = text.replace(
        "The model itself is split across devices.", "Layers or tensors are split across devices."
    )  # edit
    text = text.replace(
        'source="compute" target="model-parallelism"', 'source="data" target="model-parallelism"'
    )  # move
    text = text.replace(
        '<edge id="1" source="scaling" target="data"/>',
        '<edge id="1" source="scaling" target="data"/><edge id="7" source="scaling" target="laws"/>',
    )
    text = text.replace(
        "</nodes>",
        '<node id="laws" label="Scaling Laws">'
        '<attvalues><attvalue for="0" value="Loss falls as a power of size."/></attvalues></node></nodes>',
    )
    edited = tmp_path / "edited.gexf"
    edited.write_text(text)
    out = run("import", str(edited))
    assert out.splitlines() == [
        "Scaling (update, 6 nodes):",
        "  + added: Scaling Laws",
        "  ~ changed: Model Parallelism (definition)",
        "  ~ renamed: Data Parallelism -> Data-Parallel Training",
        "  > moved: Model Parallelism: Compute -> Data",
        "  cards: 1 added, 1 retired",
        f"lint: 0 errors, 7 warnings (srs lint {edited} for the detail)",
    ]
    after = history(env)
    # Every studied card keeps its id, schedule and answers under its new name and place.
    assert after[("Data-Parallel Training", "definition")][:5] == before[("Data Parallelism", "definition")][:5]
    assert after[("Model Parallelism", "definition")][:5] == before[("Model Parallelism", "definition")][:5]
    assert after[("Compute", "definition")][:5] == before[("Compute", "definition")][:5]
    # Compute is down to one child, so its "name the parts" card retires; Data, with one, gets none.
    assert after[("Compute", "children")][5] is True
    assert ("Data", "children") not in after
    shown = json.loads(run("show", "Model Parallelism", "--json"))
    assert shown["path"] == "Scaling/Data/Model Parallelism"
    assert shown["cards"][0]["front"][0] == "Scaling › Data"
    assert shown["cards"][0]["back"][0] == "Layers or tensors are split across devices."


def test_removed_nodes_retire_with_history_and_prune_deletes_them(run, env, now, data, tmp_path):
    run("import", str(data / "small.gexf"))
    answer_on_days(env, now, ["model-parallelism"])
    text = (data / "small.gexf").read_text()
    text = re.sub(r'<node id="model-parallelism".*?</node>', "", text, flags=re.S)
    text = text.replace('<edge id="3" source="compute" target="model-parallelism" weight="1.0"/>', "")
    smaller = tmp_path / "smaller.gexf"
    smaller.write_text(text)
    out = run("import", str(smaller))
    assert "  - retired: Model Parallelism" in out.splitlines()
    assert "cards: 0 added, 2 retired" in out  # its definition card, and Compute's children card
    retired = history(env)[("Model Parallelism", "definition")]
    assert retired[4:] == ([5, 5], True)
    decks = json.loads(run("decks", "--json"))
    assert decks[0]["retired"] == ["Model Parallelism"]
    assert "retired (1): Model Parallelism" in run("decks")
    # Bringing it back restores the same card with its history.
    run("import", str(data / "small.gexf"))
    assert history(env)[("Model Parallelism", "definition")][:5] == retired[:5]
    assert history(env)[("Model Parallelism", "definition")][5] is False
    run("import", str(smaller))
    dry = run("import", str(smaller), "--prune", "--dry-run")
    assert "  x deleted for good: Model Parallelism (2 answers in its history)" in dry.splitlines()
    assert ("Model Parallelism", "definition") in history(env)
    run("import", str(smaller), "--prune", "--yes")
    assert ("Model Parallelism", "definition") not in history(env)
    with env.connection() as conn:
        assert conn.scalar(select(reviews.c.id).limit(1)) is None


def test_regenerated_ids_are_matched_by_label(run, env, now, data, tmp_path):
    run("import", str(data / "small.gexf"))
    answer_on_days(env, now, ["data-parallelism", "compute"])
    before = history(env)
    text = (data / "small.gexf").read_text()
    for i, key in enumerate(["scaling", "compute", "data-parallelism", "model-parallelism", "data"]):
        text = text.replace(f'"{key}"', f'"n{i}"')
    renumbered = tmp_path / "renumbered.gexf"
    renumbered.write_text(text)
    out = run("import", str(renumbered)).splitlines()
    assert out[:6] == [
        "Scaling (update, 5 nodes):",
        "  = matched by label: Scaling",
        "  = matched by label: Compute",
        "  = matched by label: Data Parallelism",
        "  = matched by label: Model Parallelism",
        "  = matched by label: Data",
    ]
    after = history(env)
    assert {k: v[:5] for k, v in after.items()} == {k: v[:5] for k, v in before.items()}
    assert json.loads(run("show", "n2", "--json"))["label"] == "Data Parallelism"
    # Matched once, the new ids are the keys from now on: the same file again changes nothing.
    assert "already up to date" in run("import", str(renumbered))


def test_the_decks_notes_survive_a_file_that_says_nothing_of_them(run, env, data):
    run("import", str(data / "small.gexf"))
    with env.connection(write=True) as conn:  # as a file with notes would have left them
        deck = decks.find_deck(conn, None, env.learner_id)
        conn.execute(
            update(nodes)
            .where(nodes.c.id == decks.find_node(conn, deck, "Data").id)
            .values(notes="Remember the Pile.", mnemonic="D for data")
        )
    assert "already up to date" in run("import", str(data / "small.gexf"))
    shown = json.loads(run("show", "Data", "--json"))
    assert (shown["notes"], shown["mnemonic"]) == ("Remember the Pile.", "D for data")

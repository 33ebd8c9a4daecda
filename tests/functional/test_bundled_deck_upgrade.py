"""A learner who studied the first release of the bundled deck imports the corrected one through
`srs import`: every answered card of a node still in the deck keeps its exact history, the
merged-away nodes' cards are retired with theirs, and the new concepts come as new cards."""

import json
from pathlib import Path

from sqlalchemy import select

from srs.storage.tables import cards, nodes, reviews

ROOT = Path(__file__).resolve().parents[2]
FIRST_RELEASE = ROOT / "tests" / "data" / "scaling-hypothesis-v1.gexf"
CORRECTED = ROOT / "decks" / "scaling-hypothesis.gexf"

MERGED_AWAY = {
    "definition": "Definition",
    "capability-jumps": "Sudden Capability Jumps",
    "parallel-processing": "Parallel Processing",
    "data-constraints": "Data Constraints",
    "power-and-chip-supply": "Power and Chip Supply",
    "energy-use": "Energy Use",
    "diminishing-returns": "Diminishing Returns",
    "flops": "FLOPs",
    "weights-and-biases": "Weights and Biases",
}
NEW = {
    "Tokens per Parameter",
    "Scaling Reasoning with Reinforcement Learning",
    "Sample Efficiency of Larger Models",
    "Algorithmic Progress and Effective Compute",
    "Inverse and U-Shaped Scaling",
    "Predicting Downstream Skills from Loss",
    "Pretraining and Post-Training",
    "Next-Token Prediction",
    "Frontier Model",
}
# Answered before the upgrade: nodes kept as they were, reworded, moved, renamed, merged into,
# and merged away; by id, as a learner's script would name them.
ANSWERED = [
    "alexnet",  # unchanged
    "mixture-of-experts",  # its definition corrected
    "grokking",  # moved under generalization
    "human-mental-depth",  # renamed Mental-Depth Objection
    "compute",  # took in flops
    "emergent-abilities",  # took in capability-jumps
    "flops",  # merged away
    "capability-jumps",  # merged away
    "weights-and-biases",  # merged away
]


def card_histories(env):
    """Per (node key, card kind): the card's id, schedule, retired flag and its answers in order."""
    with env.connection() as conn:
        out = {}
        for card in conn.execute(select(cards, nodes.c.key).join(nodes, cards.c.node_id == nodes.c.id)):
            log = [
                tuple(row)
                for row in conn.execute(select(reviews).where(reviews.c.card_id == card.id).order_by(reviews.c.id))
            ]
            schedule = (card.easiness, card.repetitions, card.interval, card.due, card.reviews, card.lapses)
            out[(card.key, card.kind)] = (card.id, schedule, card.last_day, card.last_grade, card.retired, log)
        return out


def test_the_corrected_deck_keeps_every_history_the_first_release_gave(run, env, now):
    assert "149 nodes" in run("import", str(FIRST_RELEASE))
    for grades in ((4, 5), (2, 4), (5,)):  # three days of study
        for key in ANSWERED:
            for grade in grades:
                run("answer", key, str(grade))
        run("answer", "emergent-abilities", "4", "--kind", "children")
        now.advance(days=1)
    before = card_histories(env)
    answered = {k: v for k, v in before.items() if v[5]}
    assert {key for key, _ in answered} == set(ANSWERED)

    # The normal path: 9 of 149 nodes retire, under half and none deleted, so it asks nothing (no --yes).
    report = json.loads(run("import", str(CORRECTED), "--json"))

    assert sorted(report["retired"]) == sorted(MERGED_AWAY.values())
    assert sorted(report["added"]) == sorted(NEW)
    assert report["deleted"] == []
    assert report["lint"] == {"errors": 0, "warnings": 6}  # the six single children the deck's notes explain
    assert {m["label"]: m["to"] for m in report["moved"]}["Grokking"] == "Generalization"
    assert {r["from"]: r["to"] for r in report["renamed"]}["Human Mental Depth"] == "Mental-Depth Objection"
    after = card_histories(env)
    for (key, kind), (card_id, schedule, last_day, last_grade, _, log) in answered.items():
        assert after[(key, kind)][0] == card_id
        assert after[(key, kind)][1:4] == (schedule, last_day, last_grade), (key, kind)
        assert after[(key, kind)][5] == log, (key, kind)
        assert after[(key, kind)][4] is (key in MERGED_AWAY), (key, kind)
    # The merged-away nodes are retired, not deleted: their cards and answers stay, out of the queue.
    retired = {key for (key, _), card in after.items() if card[4]}
    assert set(MERGED_AWAY) <= retired
    shown = json.loads(run("show", "flops", "--json"))
    assert (shown["retired"], [c["reviews"] for c in shown["cards"]]) == (True, [3])
    # The new concepts are new cards: never answered, not among the cards there were.
    old_ids = {card[0] for card in before.values()}
    with env.connection() as conn:
        added = conn.execute(
            select(cards.c.id, cards.c.kind, cards.c.reviews, cards.c.due)
            .join(nodes, cards.c.node_id == nodes.c.id)
            .where(nodes.c.label.in_(NEW))
        ).all()
    # Pretraining and Post-Training has two children, the other new nodes none.
    assert sorted(card.kind for card in added) == ["children"] + ["definition"] * len(NEW)
    assert all(card.id not in old_ids and card.reviews == 0 and card.due is None for card in added)
    [deck] = json.loads(run("decks", "--json"))
    assert (deck["nodes"], deck["cards"]) == (149, 186)

"""Several learners on one database, on SQLite and PostgreSQL: the decks are shared and every
schedule, answer, statistic, journal entry and FSRS fit is one learner's; an import gives every
learner the cards of the graph and keeps each one's history; `srs learners` lists and renames
them; the learner comes from --learner, $SRS_LEARNER, the config file or the user's name."""

import json

import pytest
from cli_support import runner
from click.testing import CliRunner
from sqlalchemy import func, select

from srs.cli import cli
from srs.config import load_config
from srs.env import Env
from srs.storage.tables import cards, learners, nodes, reviews

OUTLINE = """\
- Root: The top.
  - Parent: Has parts.
    - Part A: The first part.
    - Part B: The second part.
  - Bare: Stands alone.
"""


def env_as(env, name: str, tmp_path) -> Env:
    """Another process's `Env` on the same database, run as the learner `name`."""
    config = load_config({"HOME": str(tmp_path / "home"), "SRS_LEARNER": name})
    return Env(url=env.url, clock=env.clock, seed_bundled=False, config=config)


@pytest.fixture
def bob(env, tmp_path):
    other = env_as(env, "bob", tmp_path)
    yield other
    other.close()


@pytest.fixture
def deck(run, tmp_path):
    path = tmp_path / "deck.md"
    path.write_text(OUTLINE)
    run("import", str(path), "--deck", "Deck")
    return path


def learner_cards(env, name: str) -> dict[tuple[str, str], tuple[int, bool]]:
    """(reviews, retired) of every card of the learner, by (node label, card kind)."""
    with env.connection() as conn:
        return {
            (label, kind): (n, bool(retired))
            for label, kind, n, retired in conn.execute(
                select(nodes.c.label, cards.c.kind, cards.c.reviews, cards.c.retired)
                .join(nodes, nodes.c.id == cards.c.node_id)
                .join(learners, learners.c.id == cards.c.learner_id)
                .where(learners.c.name == name)
            )
        }


NEW_DECK = {
    ("Root", "definition"): (0, False),
    ("Root", "children"): (0, False),
    ("Parent", "definition"): (0, False),
    ("Parent", "children"): (0, False),
    ("Bare", "definition"): (0, False),
    ("Part A", "definition"): (0, False),
    ("Part B", "definition"): (0, False),
}
"""Every card of the deck as a learner who never answered has it."""


def test_two_learners_study_one_deck_with_their_own_schedules(run, env, bob, deck):
    as_bob = runner(bob)
    assert run("answer", "Root", "4").startswith("Root (definition card): review graded 4")
    run("answer", "Parent", "2")
    assert run("summary") == "Deck: 1 due, 5 new today, 2 done\n"
    # Bob's cards are all new: nothing of the other learner's shows.
    assert as_bob("summary") == "Deck: 0 due, 7 new today, 0 done\n"
    as_bob("answer", "Bare", "5")
    assert as_bob("summary") == "Deck: 0 due, 6 new today, 1 done\n"
    assert run("summary") == "Deck: 1 due, 5 new today, 2 done\n"

    mine = json.loads(run("stats", "--json"))["activity"]
    theirs = json.loads(as_bob("stats", "--json"))["activity"]
    assert (mine["answers"], mine["new"], theirs["answers"], theirs["new"]) == (2, 2, 1, 1)

    # Undo takes back the learner's own latest answer, never the other's.
    assert run("undo").startswith("Took back")
    assert as_bob("summary") == "Deck: 0 due, 6 new today, 1 done\n"
    assert run("summary") == "Deck: 0 due, 6 new today, 1 done\n"
    with env.connection() as conn:
        by_learner = dict(
            conn.execute(
                select(learners.c.name, func.count(reviews.c.id))
                .join(reviews, reviews.c.learner_id == learners.c.id)
                .group_by(learners.c.name)
            ).all()
        )
    assert by_learner == {"bob": 1, env.learner: 1}


def test_each_learner_keeps_their_own_journal(run, env, bob, deck):
    as_bob = runner(bob)
    run("journal", "Parent", "Mine")
    as_bob("journal", "Parent", "Bob's")
    assert "Mine" in run("journal") and "Bob's" not in run("journal")
    assert "Bob's" in as_bob("journal") and "Mine" not in as_bob("journal")


def test_an_import_gives_every_learner_the_graphs_cards_and_keeps_each_ones_history(run, env, bob, deck):
    as_bob = runner(bob)
    run("answer", "Part A", "4")
    as_bob("answer", "Part B", "4")
    deck.write_text(OUTLINE.replace("    - Part B: The second part.\n", "") + "  - New: Came later.\n")
    run("import", str(deck), "--deck", "Deck", "--yes")
    # Part B gone: Parent has one part left, and no card asking for its parts.
    new_node = {("New", "definition"): (0, False), ("Parent", "children"): (0, True)}
    assert learner_cards(env, env.learner) == {
        **NEW_DECK,
        ("Part A", "definition"): (1, False),
        ("Part B", "definition"): (0, True),
        **new_node,
    }
    assert learner_cards(env, "bob") == {**NEW_DECK, ("Part B", "definition"): (1, True), **new_node}
    # Bob's answered card was retired with its history, and comes back with it.
    deck.write_text(OUTLINE)
    run("import", str(deck), "--deck", "Deck", "--yes")
    assert learner_cards(env, "bob") == {
        **NEW_DECK,
        ("Part B", "definition"): (1, False),
        ("New", "definition"): (0, True),
    }


def test_a_learner_who_opens_the_database_later_gets_every_deck(env, deck, tmp_path):
    late = env_as(env, "carol", tmp_path)
    try:
        assert runner(late)("summary") == "Deck: 0 due, 7 new today, 0 done\n"
    finally:
        late.close()
    assert learner_cards(env, "carol") == NEW_DECK


def test_learners_lists_them_and_renames_one(run, env, bob, deck, now):
    runner(bob)("answer", "Root", "3")
    me = env.learner
    listed = json.loads(run("learners", "--json"))
    assert listed == [
        {"name": name, "answers": n, "first_day": day, "last_day": day, "current": name == me}
        for name, n, day in sorted([("bob", 1, "2026-11-23"), (me, 0, None)])
    ]
    width = max(len(me), 3)
    rows = {
        "bob": f"  {'bob':{width}}       1 answer  2026-11-23 to 2026-11-23",
        me: f"* {me:{width}}      0 answers  no answers yet",
    }
    assert run("learners").splitlines() == [rows[name] for name in sorted(rows)]
    assert run("learners", "rename", "bob", "Robert") == "Learner 'bob' is now 'Robert'.\n"
    assert [one["name"] for one in json.loads(run("learners", "--json"))] == sorted(["Robert", me])
    assert run("learners", "rename", "bob", "Bo", code=2) == "Error: no learner named 'bob'\n"
    assert run("learners", "rename", "Robert", me, code=2) == f"Error: there is a learner named {me!r} already\n"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("  ", "--learner: a learner's name cannot be blank"),
        ("a\x1b[31mb", "--learner: a learner's name cannot hold control characters: 'a\\x1b[31mb'"),
        ("x" * 201, "--learner: a learner's name is at most 200 characters, not 201"),
    ],
)
def test_a_learners_name_that_is_not_one_is_one_line_and_changes_nothing(env, deck, given, message):
    with env.connection() as conn:
        before = conn.scalar(select(func.count()).select_from(learners))
    url = env.url.render_as_string(hide_password=False)
    result = CliRunner(env={"SRS_DATABASE_URL": url, "SRS_DB": None}).invoke(cli, ["--learner", given, "summary"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {message}"]
    with env.connection() as conn:
        assert conn.scalar(select(func.count()).select_from(learners)) == before


def test_a_database_from_before_learners_belongs_to_whoever_opens_it_first(env, deck, run, tmp_path):
    run("answer", "Root", "4")
    with env.connection(write=True) as conn:  # as the upgrade leaves it: the learner has no name
        conn.execute(learners.update().values(name=""))
    env.close()
    first = env_as(env, "dana", tmp_path)
    try:
        assert runner(first)("summary") == "Deck: 0 due, 6 new today, 1 done\n"
        with first.connection() as conn:
            assert conn.execute(select(learners.c.name)).scalars().all() == ["dana"]
    finally:
        first.close()


def test_the_learner_setting_comes_from_the_option_the_environment_the_file_or_the_user(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "srs").mkdir(parents=True)
    environ = {"HOME": str(home), "USER": "ada"}
    assert (load_config(environ).learner.value, load_config(environ).learner.source) == ("ada", "default")
    (home / ".config" / "srs" / "config.toml").write_text('learner = "from-file"\n')
    assert load_config(environ).learner.value == "from-file"
    assert load_config({**environ, "SRS_LEARNER": "from-env"}).learner.value == "from-env"
    assert load_config({**environ, "SRS_LEARNER": ""}).learner.value == "from-file"
    chosen = load_config({**environ, "SRS_LEARNER": "from-env"}, learner=" from-option ").learner
    assert (chosen.value, chosen.source) == ("from-option", "option")


def test_fsrs_parameters_are_each_learners(run, env, bob, deck):
    from srs.storage import schedulers

    with env.connection(write=True) as conn:
        schedulers.save_parameters(conn, env.learner_id, [0.5] * 21, 500, env.clock.now())
    assert json.loads(run("fsrs", "parameters", "--json"))["source"] == "fitted"
    assert json.loads(runner(bob)("fsrs", "parameters", "--json"))["source"] == "defaults"

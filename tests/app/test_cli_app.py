"""How the command line opens the app: `srs` and `srs review`, and the errors they report first."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import srs.cli
from srs.cli import cli
from srs.tui.app import SrsApp


@pytest.fixture
def opened(monkeypatch):
    """Pretend to be in a terminal, and record the app that would run instead of running it."""
    apps: list[SrsApp] = []
    monkeypatch.setattr(srs.cli, "_in_terminal", lambda: True)
    monkeypatch.setattr(SrsApp, "run", lambda self, *args, **kwargs: apps.append(self))
    return apps


def run(env, *args: str):
    return CliRunner().invoke(cli, list(args), obj=env)


def test_srs_opens_the_app_on_the_map(env, opened):
    result = run(env)
    assert result.exit_code == 0, result.output
    [app] = opened
    assert app.env is env
    assert (app.deck_name, app.start_branch, app.start_review) == (None, None, False)


def test_srs_without_a_terminal_prints_todays_counts(env):
    result = run(env)
    assert result.exit_code == 0
    assert result.output == "Scaling Hypothesis: 0 due, 16 new today, 0 done\n"


def test_srs_review_opens_a_session_on_the_branch(env, opened):
    result = run(env, "review", "Distributed Training", "--chunk", "5")
    assert result.exit_code == 0, result.output
    [app] = opened
    assert (app.deck_name, app.start_branch, app.start_review, app.chunk_size) == (
        "Scaling Hypothesis",
        "Distributed Training",
        True,
        5,
    )


def test_srs_review_of_the_whole_deck(env, opened):
    result = run(env, "review", "--deck", "scaling hypothesis")
    assert result.exit_code == 0, result.output
    [app] = opened
    assert (app.deck_name, app.start_branch, app.start_review, app.chunk_size) == ("Scaling Hypothesis", None, True, 10)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "NoSuchBranch"], "Error: no node 'NoSuchBranch' in deck 'Scaling Hypothesis'"),
        (["review", "--deck", "Nope"], "Error: no deck named 'Nope'; decks: 'Scaling Hypothesis'"),
    ],
)
def test_srs_review_of_something_that_is_not_there_exits_2_with_one_line(env, opened, args, message):
    result = run(env, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert opened == []


def test_srs_review_without_decks(empty_env, opened):
    result = run(empty_env, "review")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: there are no decks yet: import one with `srs import FILE`"]


def test_srs_review_needs_a_terminal(env):
    result = run(env, "review")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: srs review needs a terminal; `srs due` lists today's cards"]


def test_srs_review_refuses_an_empty_chunk(env, opened):
    result = run(env, "review", "--chunk", "0")
    assert result.exit_code == 2
    assert opened == []


def test_srs_review_has_help_with_an_example(env):
    result = run(env, "review", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and 'srs review "Distributed Training" --chunk 5' in result.output

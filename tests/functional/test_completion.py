"""Tab completion: `--deck` completes deck names and NODE / BRANCH the node names of the deck
given (or the config's, or the only one), read from a real database, on SQLite and PostgreSQL,
through click's completion and through the installed command as a shell runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from srs.cli import cli

OUTLINE = """\
- Physics: The study of matter.
  - Mechanics: Motion and forces.
    - Momentum: Mass times velocity.
    - Moment of Inertia: Resistance to turning.
  - Magnetism: Fields of moving charges.
  - Optics: Light.
"""


@pytest.fixture
def two_decks(run, tmp_path):
    (tmp_path / "physics.md").write_text(OUTLINE)
    (tmp_path / "music.md").write_text("- Music: Sound in time.\n  - Melody: A line of notes.\n  - Metre: The beat.\n")
    run("import", str(tmp_path / "physics.md"), "--deck", "Physics")
    run("import", str(tmp_path / "music.md"), "--deck", "Music & Me")


def completions(env, *words: str) -> list[str]:
    """What click offers for the last of `words` after `srs` and the ones before it."""
    *args, incomplete = words
    complete = ShellComplete(cli, {"obj": env}, "srs", "_SRS_COMPLETE")
    return [item.value for item in complete.get_completions(args, incomplete)]


def test_deck_names_complete_in_any_case(env, two_decks):
    assert completions(env, "tree", "--deck", "") == ["Music & Me", "Physics"]
    assert completions(env, "tree", "--deck", "mu") == ["Music & Me"]
    assert completions(env, "import", "x.md", "--deck", "P") == ["Physics"]
    assert completions(env, "config", "--deck", "ph") == ["Physics"]
    assert completions(env, "due", "--deck", "Chem") == []


def test_node_names_complete_from_the_deck_given(env, two_decks):
    assert completions(env, "review", "--deck", "Physics", "M") == [
        "Mechanics",
        "Magnetism",
        "Momentum",
        "Moment of Inertia",
    ]
    assert completions(env, "show", "--deck", "physics", "mom") == ["Momentum", "Moment of Inertia"]
    assert completions(env, "answer", "--deck", "Music & Me", "me") == ["Melody", "Metre"]
    assert completions(env, "export", "anki", "--deck", "Physics", "Op") == ["Optics"]
    assert completions(env, "frontier", "--deck", "Physics", "Mag") == ["Magnetism"]
    assert completions(env, "options", "--deck", "ph") == ["Physics"]
    assert completions(env, "options", "--deck", "Physics", "unl") == ["unlock_after_days"]
    assert completions(env, "options", "--deck", "Physics", "") == [
        "unlock_after_days",
        "parent_checks",
        "sibling_spacing",
        "contrast_cards",
        "relation_cards",
        "implicit_credit",
        "socratic_prompts",
        "journal",
    ]
    for command in ("tree", "due", "stats"):
        assert completions(env, command, "--deck", "Physics", "Mag") == ["Magnetism"]


def test_a_path_completes_the_children_of_the_node_before_the_slash(env, two_decks):
    assert completions(env, "review", "--deck", "Physics", "Mechanics/") == [
        "Mechanics/Momentum",
        "Mechanics/Moment of Inertia",
    ]
    assert completions(env, "review", "--deck", "Physics", "Physics/Mechanics/mom") == [
        "Physics/Mechanics/Momentum",
        "Physics/Mechanics/Moment of Inertia",
    ]
    assert completions(env, "review", "--deck", "Physics", "Nowhere/") == []


def test_node_names_come_from_the_config_files_deck(env, two_decks, tmp_path, monkeypatch):
    (tmp_path / "config" / "srs").mkdir(parents=True)
    (tmp_path / "config" / "srs" / "config.toml").write_text('deck = "Music & Me"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert completions(env, "review", "M") == ["Music", "Melody", "Metre"]


def test_without_a_deck_to_choose_from_nothing_is_offered(env, two_decks):
    assert completions(env, "review", "M") == []  # several decks and none named
    assert completions(env, "review", "--deck", "Nope", "M") == []


def test_the_only_deck_needs_no_name(env, run, tmp_path):
    (tmp_path / "physics.md").write_text(OUTLINE)
    run("import", str(tmp_path / "physics.md"))
    assert completions(env, "show", "Mo") == ["Momentum", "Moment of Inertia"]


def _shell_env(env, tmp_path, **extra) -> dict[str, str]:
    """The environment of a shell whose `srs` uses the test's database."""
    shell = {k: v for k, v in os.environ.items() if k not in ("SRS_DB", "SRS_DATABASE_URL")}
    shell.update(
        SRS_DATABASE_URL=env.url.render_as_string(hide_password=False),
        XDG_CONFIG_HOME=str(tmp_path / "no-config"),
        **extra,
    )
    shell["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{shell.get('PATH', '')}"
    return shell


def test_the_command_answers_a_shells_completion_request(env, two_decks, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "srs"],
        env=_shell_env(
            env, tmp_path, _SRS_COMPLETE="zsh_complete", COMP_WORDS="srs review --deck Physics Me", COMP_CWORD="4"
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == ["plain", "Mechanics", "_"]
    assert out.stderr == ""


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_with_the_readmes_line(env, two_decks, tmp_path):
    if not (Path(sys.executable).parent / "srs").exists():
        pytest.skip("the srs command is not installed beside this Python")
    script = (
        'eval "$(_SRS_COMPLETE=bash_source srs)"\n'
        "COMP_WORDS=(srs due --deck Phys); COMP_CWORD=3; _srs_completion srs\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMPREPLY=(); COMP_WORDS=(srs tree --deck Physics Mechanics/Mo); COMP_CWORD=4; _srs_completion srs\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(
        ["bash", "--norc", "-c", script], env=_shell_env(env, tmp_path), capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines() == ["Physics", "Mechanics/Momentum", "Mechanics/Moment of Inertia"]


@pytest.mark.parametrize(
    ("shell", "line"),
    [
        ("bash", "complete -o nosort -F _srs_completion srs"),
        ("zsh", "#compdef srs"),
        ("fish", 'complete --no-files --command srs --arguments "(_srs_completion)";'),
    ],
)
def test_each_shells_script_is_printed(env, tmp_path, shell, line):
    out = subprocess.run(
        [sys.executable, "-m", "srs"],
        env=_shell_env(env, tmp_path, _SRS_COMPLETE=f"{shell}_source"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert line in [text.strip() for text in out.stdout.splitlines()]


def test_every_command_that_takes_a_node_or_branch_completes_its_name(env, two_decks):
    import click

    def commands(group, path=()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, (*path, name))
            elif any(isinstance(p, click.Argument) and p.name in ("node", "branch") for p in command.params):
                yield (*path, name)

    found = sorted(commands(cli))
    assert {("review",), ("suspend",), ("bury",), ("leeches",), ("export", "gexf")} <= set(found)
    for path in found:
        assert (path, completions(env, *path, "--deck", "Physics", "mom")) == (path, ["Momentum", "Moment of Inertia"])


def test_srs_scheduler_completes_its_schedulers_and_the_decks(env, two_decks):
    assert completions(env, "scheduler", "") == ["sm2", "fsrs"]
    assert completions(env, "scheduler", "F") == ["fsrs"]
    assert completions(env, "scheduler", "fsrs", "--deck", "ph") == ["Physics"]

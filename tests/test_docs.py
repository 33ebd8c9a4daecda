"""The README documents every command, and its quick start is the two commands CI relies on."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_command_is_in_the_readme():
    from test_cli import all_commands

    for path, _command in all_commands():
        name = " ".join(path)
        assert f"`srs {name}" in README, f"srs {name} is missing from the README"


def test_quick_start_is_a_run_command_and_a_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n```", README.split("## Quick start")[1].split("##")[0], re.S)
    assert blocks == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/srs",
        "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/pytest",
    ]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert 'pip install --quiet ".[test]"' in ci and "bin/pytest" in ci

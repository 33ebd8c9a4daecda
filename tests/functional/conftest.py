"""Fixtures of the functional tier: every test here that takes `env` runs on SQLite and on
PostgreSQL (mark one `sqlite_only` where it is about SQLite itself)."""

import pytest
from click.testing import CliRunner

from srs.cli import cli


@pytest.fixture
def env(any_env):
    return any_env


@pytest.fixture
def run(env):
    """Run an `srs` command in-process on the test database; returns its output."""

    def invoke(*args, code=0):
        result = CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return invoke

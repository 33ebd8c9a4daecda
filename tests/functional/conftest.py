"""Fixtures of the functional tier: every test here that takes `env` runs on SQLite and on
PostgreSQL (mark one `sqlite_only` where it is about SQLite itself)."""

import pytest
from cli_support import runner


@pytest.fixture
def env(any_env):
    return any_env


@pytest.fixture
def run(env):
    """Run an `srs` command in-process on the test database; returns its output."""
    return runner(env)

"""Fixtures for the terminal app's tests: a temporary database on a fixed clock holding a small
deck, and a timer the test moves by hand. The helpers they use are in app_support.py."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from app_support import FIXTURES, Look, Timer, answer_on, fixed_clock, import_deck

from srs.core.day import Clock
from srs.env import Env
from srs.tui.app import SrsApp


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Run `async def` tests in a fresh event loop: the project needs no asyncio plugin for
    the few app tests that drive `App.run_test()`."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None


@pytest.fixture
def clock() -> Clock:
    return fixed_clock()


@pytest.fixture
def empty_env(tmp_path, clock):
    env = Env(f"sqlite:///{tmp_path / 'srs.sqlite3'}", clock, seed_bundled=False)
    yield env
    env.close()


@pytest.fixture
def env(empty_env):
    """A database holding the 12-node, 16-card "Scaling Hypothesis" deck, nothing answered."""
    import_deck(empty_env, FIXTURES / "scaling.gexf")
    return empty_env


@pytest.fixture
def studied_env(env):
    """The deck after some weeks of study: a mature, a young, a learning card, some due today,
    and answers on the two days before today (a streak of 2)."""
    for day in ("2026-10-01", "2026-10-02", "2026-10-08", "2026-10-25"):
        answer_on(env, "Chinchilla", day, 5)  # intervals 1, 6, 17, 48: mature
    answer_on(env, "Data Quality", "2026-11-10", 4)
    answer_on(env, "Data Quality", "2026-11-11", 4)  # interval 6, due 17 Nov: young and overdue
    answer_on(env, "Kaplan Laws", "2026-11-21", 4)
    answer_on(env, "Kaplan Laws", "2026-11-22", 4)  # interval 6: young, due 28 Nov
    answer_on(env, "GPU Usage", "2026-11-22", 3)  # interval 1: learning, due today
    return env


@pytest.fixture
def timer() -> Timer:
    return Timer()


@pytest.fixture
def make_app(env, timer):
    def make(**options) -> SrsApp:
        return SrsApp(env, timer=timer, **options)

    return make


@pytest.fixture
def look(env) -> Look:
    return Look(env)

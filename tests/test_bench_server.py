"""The server benchmark's learners (`tests/bench/bench_server.py`), a few at once on SQLite and
on PostgreSQL: every answer a learner was told was recorded is in the log, and the log holds
no other."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from srs.core import events
from srs.env import Env
from srs.storage import tables

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from bench_server import Plan, audit, prepare, run_learners  # noqa: E402 - the bench's folder is no package

LEARNERS = ["learner-1", "learner-2", "learner-3"]
ANSWERS = 5


@pytest.fixture
def url(database_url) -> str:
    """A fresh database holding the bundled deck, as the benchmark gives its learners; SQLite, then PostgreSQL."""
    url = database_url.render_as_string(hide_password=False)
    prepare(url)
    return url


def test_every_answer_of_learners_at_once_is_stored_once(url):

    results = run_learners(url, LEARNERS, Plan(answers=ANSWERS, seconds=120, think=0.01))

    assert [(r.name, r.errors, r.ran_out) for r in results] == [(name, [], False) for name in LEARNERS]
    assert [len(r.review_ids) for r in results] == [ANSWERS] * len(LEARNERS)
    assert [len(r.committed_ms) for r in results] == [ANSWERS] * len(LEARNERS)
    assert [len(r.next_card_ms) for r in results] == [ANSWERS] * len(LEARNERS)
    held = [review_id for r in results for review_id in r.review_ids]
    assert len(set(held)) == len(LEARNERS) * ANSWERS
    env = Env(url=url, seed_bundled=False)
    try:
        with env.connection() as conn:
            stored = set(conn.scalars(select(tables.reviews.c.id).where(tables.reviews.c.kind.in_(events.ANSWERS))))
            total = conn.scalar(select(func.count()).select_from(tables.reviews))
            whose = dict(
                conn.execute(
                    select(tables.reviews.c.id, tables.learners.c.name).join(
                        tables.learners, tables.learners.c.id == tables.reviews.c.learner_id
                    )
                ).all()
            )
    finally:
        env.close()
    assert stored == set(held)
    # Each learner's answers are in the log as theirs: a schedule of their own each.
    assert {r.name: {whose[review_id] for review_id in r.review_ids} for r in results} == {
        name: {name} for name in LEARNERS
    }
    assert total == len(held)
    found = audit(url, results)
    assert (found.reported, found.stored, found.lost, found.unreported) == (15, 15, 0, 0)


def test_the_audit_counts_an_answer_the_log_does_not_hold_as_lost(url):
    results = run_learners(url, LEARNERS[:2], Plan(answers=2, seconds=120, think=0.01))
    gone = results[0].review_ids[-1]
    env = Env(url=url, seed_bundled=False)
    try:
        with env.connection(write=True) as conn:
            conn.execute(tables.reviews.delete().where(tables.reviews.c.id == gone))
    finally:
        env.close()

    found = audit(url, results)

    assert (found.reported, found.stored, found.lost, found.unreported) == (4, 3, 1, 0)

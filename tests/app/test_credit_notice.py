"""Implicit credit in the study screen, through the real app: the answer whose pass credits an
ancestor's card says so in a notification, and undo takes the credit back with it."""

from __future__ import annotations

from datetime import date

from app_support import answer_on
from sqlalchemy import select

from srs.service import options as options_service
from srs.storage.tables import cards, nodes


def due_of(env, label: str) -> date | None:
    with env.connection() as conn:
        return conn.scalar(
            select(cards.c.due)
            .join(nodes, nodes.c.id == cards.c.node_id)
            .where(nodes.c.label == label, cards.c.kind == "definition")
        )


async def test_a_pass_that_credits_an_ancestor_says_so_and_undo_takes_it_back(make_app, env):
    for day in ("2026-10-01", "2026-10-02", "2026-10-08", "2026-10-25"):
        answer_on(env, "Scaling Laws", day, 5)  # 48 days, due 12 December: 29 days gone by
    answer_on(env, "Chinchilla", "2026-11-22", 4)  # due today
    options_service.set_option(env, None, "implicit_credit", True)
    app = make_app(branch="Scaling Laws", review=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.screen.card.content.term == "Chinchilla"
        await pilot.press("space", "4")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Credited 1 ancestor card: due a little later."]
        assert due_of(env, "Scaling Laws") == date(2026, 12, 15)  # a tenth of 29 days
        await pilot.press("u")
        await pilot.pause()
        assert due_of(env, "Scaling Laws") == date(2026, 12, 12)
        assert app.screen.card.content.term == "Chinchilla"

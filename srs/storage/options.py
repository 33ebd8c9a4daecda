"""A deck's options as the table `deck_options` holds them: a row for each option the learner
set, none for an option at its default (`srs.core.options` has the options and their rules).

Core statements on `srs.storage.tables`; every function takes `conn` and leaves the transaction
to its caller.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from srs.core.options import DeckOptions, check, deck_options, option
from srs.storage.tables import deck_options as option_rows


def stored_options(conn, deck_id: int) -> dict[str, object]:
    """The values stored for the deck, by option name, as they are stored."""
    return dict(
        conn.execute(select(option_rows.c.key, option_rows.c.value).where(option_rows.c.deck_id == deck_id)).all()
    )


def options_of(conn, deck_id: int) -> DeckOptions:
    """The options the deck follows."""
    return deck_options(stored_options(conn, deck_id))


def set_option(conn, deck_id: int, key: str, value: object) -> None:
    """Set the deck's option `key` to `value` (checked); at its default, the row goes."""
    chosen = option(key)
    value = check(chosen.key, value)
    where = (option_rows.c.deck_id == deck_id, option_rows.c.key == chosen.key)
    conn.execute(delete(option_rows).where(*where))
    if value != chosen.default:
        conn.execute(insert(option_rows).values(deck_id=deck_id, key=chosen.key, value=value))

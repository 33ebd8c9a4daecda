"""A deck's options, for `srs options` and the app's deck screen: show them, set one."""

from __future__ import annotations

from dataclasses import dataclass

from srs.core import options as rules
from srs.env import Env
from srs.storage import decks, pairs
from srs.storage import options as stored

PAIR_OPTIONS = ("contrast_cards", "relation_cards")
"""Options that make or retire cards when set (`srs.storage.pairs.sync_pairs`)."""


@dataclass(frozen=True)
class OptionValue:
    """One option of a deck, with what it is set to."""

    key: str
    value: int | bool
    default: int | bool
    help: str


@dataclass(frozen=True)
class DeckOptionValues:
    """A deck's options, in `srs.core.options.OPTIONS`' order."""

    deck: str
    options: tuple[OptionValue, ...]

    def value(self, key: str) -> int | bool:
        """The value of the option `key`."""
        return next(o.value for o in self.options if o.key == key)


def _values(deck_name: str, follows: rules.DeckOptions) -> DeckOptionValues:
    return DeckOptionValues(
        deck_name,
        tuple(OptionValue(o.key, getattr(follows, o.key), o.default, o.help) for o in rules.OPTIONS),
    )


def show(env: Env, deck_name: str | None) -> DeckOptionValues:
    """The deck's options."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        return _values(deck.name, stored.options_of(conn, deck.id))


def set_option(
    env: Env, deck_name: str | None, key: str, value: str | int | bool
) -> tuple[DeckOptionValues, int | bool]:
    """Set the deck's option `key` to `value` (text as typed, or the value itself); the deck's
    options afterwards, and the value the option had before. A bad key or value changes nothing."""
    chosen = rules.option(key)
    checked = rules.parse(chosen.key, value) if isinstance(value, str) else rules.check(chosen.key, value)
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        was = getattr(stored.options_of(conn, deck.id), chosen.key)
        stored.set_option(conn, deck.id, chosen.key, checked)
        if chosen.key in PAIR_OPTIONS:
            pairs.sync_pairs(conn, deck.id)
        return _values(deck.name, stored.options_of(conn, deck.id)), was

"""A deck's options: the graph-aware ways of learning, each one a deck may turn on or tune.

Every option is written down here once, with its type, default and the values it takes; the
database holds only the options a learner set (`deck_options`), and what it holds is read back
through `deck_options`, so a value stored by hand that an option cannot take is its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from srs.core.names import did_you_mean
from srs.errors import OptionError

FLAG_WORDS = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
"""How a flag may be typed."""


@dataclass(frozen=True)
class Option:
    """One deck option."""

    key: str
    kind: type
    """`int` (a whole number from `minimum`) or `bool` (a flag)."""
    default: int | bool
    help: str
    """What it does, in one line."""
    minimum: int = 0
    maximum: int = 3650


OPTIONS = (
    Option(
        "unlock_after_days",
        int,
        0,
        "a node's new cards wait until every parent's definition card has an interval of this many days (0: off)",
    ),
    Option(
        "parent_checks",
        bool,
        False,
        "a lapse puts the node's parent's definition card in today's queue, when that card is not mature",
    ),
    Option(
        "sibling_spacing",
        bool,
        False,
        "a session never shows two cards of sibling nodes one after the other, where another order exists",
    ),
    Option(
        "contrast_cards",
        bool,
        False,
        "two sibling nodes that lapse on one day (or one marked confused with the other) get a card on how they differ",
    ),
    Option(
        "relation_cards",
        bool,
        False,
        "every link of the graph outside the hierarchy that says what it is gets a card on how its two nodes relate",
    ),
    Option(
        "implicit_credit",
        bool,
        False,
        "a pass on a node's card moves its ancestors' definition cards (3 levels up) a little later",
    ),
    Option(
        "socratic_prompts",
        bool,
        False,
        "a branch's definition card asks one question to think over under its answer, a different one each review",
    ),
    Option(
        "journal",
        bool,
        False,
        "the end of a session on a branch asks for a line on what it taught you, kept in the branch's journal",
    ),
)
"""Every deck option, in the order they are shown."""

BY_KEY = {option.key: option for option in OPTIONS}


def option(key: str) -> Option:
    """The option called `key`; an `OptionError` with the closest names when there is none."""
    found = BY_KEY.get(key.strip().lower().replace("-", "_"))
    if found is None:
        hint = did_you_mean(key, BY_KEY) or f"; options: {', '.join(BY_KEY)}"
        raise OptionError(f"no deck option {key!r}{hint}")
    return found


def parse(key: str, text: str) -> int | bool:
    """The value `text` (as a learner types it) means for the option `key`, checked."""
    chosen = option(key)
    if chosen.kind is bool:
        if text.strip().lower() not in FLAG_WORDS:
            raise OptionError(f"{chosen.key} is on or off, not {text!r}")
        return FLAG_WORDS[text.strip().lower()]
    try:
        number = int(text.strip())
    except ValueError:
        raise OptionError(f"{chosen.key} is a whole number of days, not {text!r}") from None
    return check(chosen.key, number)


def check(key: str, value: object) -> int | bool:
    """`value` as the option `key` holds it; an `OptionError` when it cannot take it."""
    chosen = option(key)
    if chosen.kind is bool:
        if not isinstance(value, bool):
            raise OptionError(f"{chosen.key} is on or off, not {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"{chosen.key} is a whole number of days, not {value!r}")
    if not chosen.minimum <= value <= chosen.maximum:
        raise OptionError(f"{chosen.key} is between {chosen.minimum} and {chosen.maximum} days, not {value}")
    return value


def shown(value: int | bool) -> str:
    """An option's value as the learner reads it: on/off, or the number."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


@dataclass(frozen=True)
class DeckOptions:
    """The options a deck follows (`OPTIONS`' defaults where the learner set none)."""

    unlock_after_days: int = 0
    parent_checks: bool = False
    sibling_spacing: bool = False
    contrast_cards: bool = False
    relation_cards: bool = False
    implicit_credit: bool = False
    socratic_prompts: bool = False
    journal: bool = False


def deck_options(stored: Mapping[str, object]) -> DeckOptions:
    """A deck's options from the values stored for it: an unknown key (a later version's) is
    left alone, and a value its option cannot take counts as the option's default."""
    values: dict[str, Any] = {}
    for name, value in stored.items():
        if name in BY_KEY:
            try:
                values[name] = check(name, value)
            except OptionError:
                continue
    return DeckOptions(**values)

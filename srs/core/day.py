"""The learner's day: one place that turns an instant into the calendar day reviews belong to.

A day starts at a rollover hour (04:00 by default, as in Anki) in the learner's time zone, so a
session past midnight still counts for the evening it began in. Due dates are whole days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4


def learner_day(now: datetime, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """The learner's calendar day at the aware instant `now`, in `tz`, starting at `rollover_hour`."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the clock must give an aware datetime")
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"the rollover hour is 0..23, not {rollover_hour}")
    local = now.astimezone(tz)
    return (local - timedelta(hours=rollover_hour)).date()


def due_after(today: date, last_day: date | None, interval: int) -> date:
    """The day a card answered `today` falls due again, `interval` days on.

    Counting from the later of today and the card's previous answer means a clock that jumped
    backwards can never schedule a card before a day it was already answered on.
    """
    if interval < 0:
        raise ValueError("an interval cannot be negative")
    base = today if last_day is None or today >= last_day else last_day
    return base + timedelta(days=interval)


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one answer, ending today or yesterday; else 0.

    `days` are the distinct days with answers, newest first (only as many are read as the run
    needs). A streak still holds in the morning before the first answer of the day: it ends
    only when a whole day passes without study. Days after `today` do not count.
    """
    run = 0
    expected = today
    for day in days:
        if day > today:
            continue
        if run == 0 and day == today - timedelta(days=1):
            expected = day
        if day != expected:
            break
        run += 1
        expected -= timedelta(days=1)
    return run


@dataclass(frozen=True)
class Clock:
    """Where the program asks the time: an aware-`now` function, a time zone and a rollover hour."""

    now: Callable[[], datetime]
    """Returns the current instant, timezone-aware."""
    tz: tzinfo
    """The learner's time zone."""
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR
    """The hour at which a new learner's day begins."""

    def today(self) -> date:
        """The learner's day now."""
        return learner_day(self.now(), self.tz, self.rollover_hour)

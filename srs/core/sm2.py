"""SuperMemo SM-2, as published by Piotr Wozniak (1990), as a pure function.

The easiness factor (EF) is held in whole hundredths: every change SM-2 makes to it is a
multiple of 0.02, so integer arithmetic keeps it exact and `ceil(interval * EF)` never turns an
exact 15.0 into 16 days through binary rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

EF_START = 250
EF_FLOOR = 130


class Grade(IntEnum):
    """SM-2's answer scale, 0 (blackout) to 5 (perfect)."""

    BLACKOUT = 0
    WRONG_FAMILIAR = 1
    WRONG_EASY = 2
    HARD = 3
    GOOD = 4
    PERFECT = 5


GRADE_MEANINGS: dict[int, str] = {
    0: "blackout",
    1: "wrong, but familiar",
    2: "wrong, easy once seen",
    3: "right, with difficulty",
    4: "right, after a pause",
    5: "perfect",
}

PASSING = 3
"""A review graded below this is a lapse and restarts the repetitions."""

DRILL_BELOW = 4
"""SM-2 step 7: within a day, a card answered below this comes back until it reaches it."""

MAX_INTERVAL = 36_500
"""The longest interval, in days (a hundred years), as Anki's and py-fsrs's default maximum. SM-2
itself has none: a card answered early day after day (`srs review --ahead`) multiplies its
interval by its easiness each day, past any calendar within a month."""


@dataclass(frozen=True)
class Sm2State:
    """A card's SM-2 schedule: easiness factor, successful repetitions in a row, interval in days."""

    easiness: float = 2.5
    repetitions: int = 0
    interval: int = 0

    def __post_init__(self) -> None:
        if self.repetitions < 0 or self.interval < 0:
            raise ValueError("repetitions and interval cannot be negative")
        ef = round(self.easiness * 100)
        if ef < EF_FLOOR:
            raise ValueError(f"easiness {self.easiness} is below SM-2's floor of 1.3")
        # Normalise to the exact hundredth so equal states compare equal.
        object.__setattr__(self, "easiness", ef / 100)

    @property
    def ef100(self) -> int:
        """The easiness factor in whole hundredths (2.5 is 250)."""
        return round(self.easiness * 100)


def check_grade(grade: object) -> int:
    """Return `grade` as an int if it is one of SM-2's grades 0..5, else raise ValueError."""
    if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 5:
        raise ValueError(f"a grade is a whole number from 0 to 5, not {grade!r}")
    return int(grade)


def easiness_change(grade: int) -> int:
    """SM-2's EF change for `grade`, in hundredths: 0.1 - (5-q)(0.08 + (5-q)0.02)."""
    miss = 5 - check_grade(grade)
    return 10 - miss * (8 + miss * 2)


def review(state: Sm2State, grade: int) -> Sm2State:
    """Apply one review graded `grade` (0..5) to `state` and return the new state."""
    grade = check_grade(grade)
    if grade < PASSING:
        # The repetitions restart; SM-2 leaves EF alone when q < 3.
        return Sm2State(state.easiness, repetitions=0, interval=1)
    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        # ceil(interval * EF) in integers, with the EF held before this answer.
        interval = min(-(-state.interval * state.ef100 // 100), MAX_INTERVAL)
    ef = max(EF_FLOOR, state.ef100 + easiness_change(grade))
    return Sm2State(ef / 100, repetitions=repetitions, interval=interval)

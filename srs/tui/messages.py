"""What a screen asks of the app: messages it posts, which bubble up to `SrsApp`'s handlers.

The app alone moves between the map and the study screens; a screen says what the learner chose
(study this, back to the map) and the app decides what that shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from srs.service.study import Scope


@dataclass
class StudyRequested(Message):
    """Study the scope: a session on its cards, or what there is instead if none is due."""

    scope: Scope
    replace: bool = False
    """Take the place of the screen that asks, rather than open above it."""


@dataclass
class MapRequested(Message):
    """Back to the deck's map."""

    deck: str
    answered: bool = False
    """Answers were recorded (or taken back) since the map was drawn: its counts are read again."""

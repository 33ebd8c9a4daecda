"""The steps of a study session, which `u` takes back one at a time, the latest first: an answer,
a suspend, a bury, an edit of the card's node.

Each kind of step is a small class that takes itself back, in the database (committed) and in
the session's queue; the study screen keeps them in one list and knows no kind in particular
when it undoes one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from srs.core.queue import StudyQueue
from srs.env import Env
from srs.service import nodes as node_service
from srs.service import set_aside as set_aside_service
from srs.service import study as study_service


class Step(ABC):
    """One thing the learner did in a session, which `u` can take back."""

    chunk: int
    """The chunk it was done in."""

    @abstractmethod
    def undo(self, env: Env, queue: StudyQueue) -> None:
        """Take the step back: the database first, then the session's queue, so that the card it
        was done to shows again. Raises `SrsError` when the database cannot, and then changes
        nothing."""


@dataclass(frozen=True)
class Answered(Step):
    """A card answered (a review or a drill)."""

    chunk: int
    answer: study_service.Answer

    def undo(self, env: Env, queue: StudyQueue) -> None:
        study_service.take_back(env, self.answer.review_id, cram=self.answer.cram)
        queue.undo_step()


@dataclass(frozen=True)
class SetAside(Step):
    """Cards taken out of the session and of the queues: what they were is put back."""

    chunk: int
    cards: set_aside_service.CardsSetAside

    def undo(self, env: Env, queue: StudyQueue) -> None:
        set_aside_service.put_back(env, self.cards.before)
        queue.undo_step()


@dataclass(frozen=True)
class Suspended(SetAside):
    """The card shown, suspended (`@`)."""


@dataclass(frozen=True)
class Buried(SetAside):
    """The card shown and its node's other cards, buried until tomorrow (`-`)."""


@dataclass(frozen=True)
class Edited(Step):
    """The text of the card's node edited (`e`, `n`): the card stays where it is in the session,
    and undo puts the node's text and its edit rows back as they were."""

    chunk: int
    edit: node_service.NodeEdit

    def undo(self, env: Env, queue: StudyQueue) -> None:
        node_service.undo_edit(env, self.edit)


def answers(steps: list[Step], chunk: int | None = None) -> list[study_service.Answer]:
    """The answers among the steps (of one chunk, where `chunk` is given), oldest first."""
    return [s.answer for s in steps if isinstance(s, Answered) and (chunk is None or s.chunk == chunk)]

"""The kinds of event the answer log holds (`reviews.kind`).

Every reader of the log (the statistics, a replay, the evaluation, undo) reads an answer and a
check alike: a check is the learner's answer to a card a lapse brought into the queue, and only
its kind says why it was asked. An event of another kind moves a schedule without being an
answer of the learner's.
"""

from __future__ import annotations

ANSWER = "answer"
"""The learner's answer to a card the session or `srs answer` asked."""

CHECK = "check"
"""The learner's answer to a parent's definition card a lapse of its child put in today's queue."""

CREDIT = "credit"
"""A schedule moved for the learner's answer to another card, not an answer itself: an ancestor's
definition card's due day moved out by a pass on its descendant (`srs.core.credit`; its `grade`
is minus the ancestor's level, below every grade). It is logged in its answer's transaction right after it, and taken
back with it."""

ANSWERS = (ANSWER, CHECK)
"""The kinds that are the learner's answers."""

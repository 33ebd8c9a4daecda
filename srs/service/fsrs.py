"""The learner's own FSRS parameters, fitted to their log (`srs fsrs optimize`), the ones in use
(`srs fsrs parameters`), and how well SM-2 and FSRS predict the learner's answers (`srs evaluate`).

The parameters belong to the learner, not to a deck: a fit is made from every deck's log, or
from one deck's where asked, and every FSRS deck schedules with the latest fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from fsrs.scheduler import DEFAULT_PARAMETERS

from srs.core import evaluate as scoring
from srs.core.evaluate import Scores
from srs.core.fsrs_fit import MIN_REVIEWS, fit_parameters, is_default, review_items
from srs.env import Env
from srs.errors import SrsError
from srs.storage import decks, history, reschedule, schedulers


class NotEnoughReviews(SrsError):
    """A log too short to evaluate the schedulers on."""


@dataclass(frozen=True)
class Fit:
    """What `optimize` did: a fit stored, or the defaults kept, and why."""

    deck: str | None
    """The deck whose log was read; None for every deck's."""
    reviews: int
    """Reviews of cards seen on an earlier day: what a fit learns from."""
    needed: int
    """The reviews a fit needs (`MIN_REVIEWS`)."""
    weights: tuple[float, ...]
    """The parameters in use after it: the new fit's, else the ones in use before."""
    stored: bool
    """A new fit was stored, and FSRS decks schedule with it from now on."""
    rescheduled: tuple[str, ...] = ()
    """The decks that follow FSRS, their logs replayed with the new fit (by name)."""
    moved: int = 0
    """Their cards whose due day the new fit moved."""


@dataclass(frozen=True)
class Parameters:
    """The FSRS parameters every FSRS deck schedules with, and where they came from."""

    weights: tuple[float, ...]
    fitted: bool
    """Fitted to the learner's log; False for FSRS-6's published defaults."""
    reviews: int | None
    """The reviews the fit was made from; None for the defaults."""
    fitted_at: datetime | None


@dataclass(frozen=True)
class Evaluation:
    """How well each scheduler predicted the learner's reviews (lower scores are better)."""

    deck: str | None
    """The deck whose log was read; None for every deck's."""
    reviews: int
    """Reviews predicted."""
    folds: int
    folds_fitted: int
    """Folds with enough reviews before them for a fit of their own (the others used the defaults)."""
    needed: int
    """The reviews a fold's past needs for a fit (`MIN_REVIEWS`)."""
    sm2: Scores
    fsrs_defaults: Scores
    fsrs_fitted: Scores | None
    """None where no fold had enough reviews before it to fit."""


def _log(env: Env, deck_name: str | None):
    """(the deck's name or None, the log's answers in order, drills too) for one deck or for every deck."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id) if deck_name is not None else None
        return (None if deck is None else deck.name), history.reviews_in_order(conn, env.learner_id, deck)


def optimize(env: Env, deck_name: str | None = None, progress: reschedule.Progress | None = None) -> Fit:
    """Fit FSRS's parameters to the learner's log (every deck's, or `deck_name`'s alone) with
    fsrs-rs and store them, with the number of reviews they were fitted to, and replay the log of
    every deck that follows FSRS with them, in the same transaction: a deck's cards always hold
    what its scheduler makes of its log, as a switch leaves them. Below `MIN_REVIEWS` reviews,
    or where fsrs-rs keeps its defaults, nothing is stored.

    Raises `NotFoundError` for a deck that is not there.
    """
    name, log = _log(env, deck_name)
    items = review_items(log)
    weights = fit_parameters(items)
    if weights is None or is_default(weights):
        return Fit(name, len(items), MIN_REVIEWS, parameters(env).weights, stored=False)
    rescheduled, moved = [], 0
    with env.connection(write=True) as conn:
        schedulers.save_parameters(conn, env.learner_id, weights, len(items), env.clock.now())
        for deck in schedulers.deck_schedulers(conn):
            if deck.scheduler == "fsrs":
                scheduler = schedulers.deck_scheduler(conn, deck.id, env.learner_id)
                done = reschedule.reschedule_deck(conn, deck.id, env.learner_id, scheduler, progress)
                rescheduled.append(deck.name)
                moved += len(done.moved)
    return Fit(name, len(items), MIN_REVIEWS, weights, stored=True, rescheduled=tuple(rescheduled), moved=moved)


def parameters(env: Env) -> Parameters:
    """The FSRS parameters in use: the learner's latest fit, else FSRS-6's published defaults."""
    with env.connection() as conn:
        fit = schedulers.latest_fit(conn, env.learner_id)
    if fit is None:
        return Parameters(tuple(DEFAULT_PARAMETERS), fitted=False, reviews=None, fitted_at=None)
    # SQLite gives back the UTC time it was given without its zone.
    at = fit.fitted_at if fit.fitted_at.tzinfo is not None else fit.fitted_at.replace(tzinfo=timezone.utc)
    return Parameters(tuple(float(w) for w in fit.weights), fitted=True, reviews=fit.reviews, fitted_at=at)


def evaluate(env: Env, deck_name: str | None = None) -> Evaluation:
    """Score SM-2, FSRS with its defaults and FSRS fitted to the past on the learner's log
    (every deck's, or `deck_name`'s alone), as srs-benchmark scores them (`srs.core.evaluate`).

    Raises `NotFoundError` for a deck that is not there, and `NotEnoughReviews` for a log with
    fewer reviews to predict than the split has parts.
    """
    name, log = _log(env, deck_name)
    items = len(review_items(log))
    if items < scoring.FOLDS + 1:
        where = f"the log of deck {name!r}" if name is not None else "the log"
        raise NotEnoughReviews(
            f"{where} has {items} reviews of cards seen on an earlier day; "
            f"evaluating needs at least {scoring.FOLDS + 1}"
        )
    scores = scoring.evaluate(log)
    return Evaluation(
        deck=name,
        reviews=scores.reviews,
        folds=scores.folds,
        folds_fitted=scores.folds_fitted,
        needed=MIN_REVIEWS,
        sm2=scores.sm2,
        fsrs_defaults=scores.fsrs_defaults,
        fsrs_fitted=scores.fsrs_fitted,
    )

"""`srs import-reviews`: the reviews given in Anki to the notes this deck exported, brought back
into the deck's log as answers, and the cards' schedules rebuilt by replay.

A note is found by its GUID (`srs.export.anki.note_guids`: every export of the deck gives a node's
note the same one), a card of it by its template's `ord` (`TEMPLATE_ORDER`, as the export made
the templates), the card in this database by (deck, node key, kind) (`identity.find_card`); a
pair card's note by its GUID from its kind and two keys (`srs.export.anki.pair_key_guid`). Each
review's event id comes from its revlog id and its card (`srs.core.identity.anki_review_id`), so
importing the same file again adds nothing. All of it happens in one transaction.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType

from srs.core.day import learner_day
from srs.core.identity import anki_review_id
from srs.env import Env
from srs.errors import DeckFileError
from srs.readers.anki_package import AnkiReview, read_reviews
from srs.storage import decks, identity
from srs.storage.arrivals import ArrivingAnswer, add_answers

ANKI_BUTTON_GRADES = MappingProxyType({1: 1, 2: 3, 3: 4, 4: 5})
"""Anki's buttons as this program's grades: Again is 1 (forgotten: a lapse, and under FSRS
Again), Hard 3 (recalled with difficulty), Good 4, Easy 5: the grades whose FSRS ratings are
those buttons (`srs.core.fsrs.GRADE_TO_RATING`), and under SM-2 the nearest meaning."""

ANSWER_TYPES = frozenset({0, 1, 2})
"""Anki's review log types that are answers moving Anki's schedule: learning, review and
relearning steps (a step later on the same day is a drill here, by the same-day rule). Left out:
3, a review in a filtered deck that does not reschedule (a cram, as `srs review --cram`'s), and
4 and 5, a manual reschedule or reset (no answer: this deck's schedule comes from its answers)."""


PAIR_TEMPLATE_ORD = 0
"""The template of a pair card's note (`srs.export.anki.pair_note_type` has one)."""

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class ReviewsImport:
    """What importing a package's reviews did."""

    path: str
    deck: str
    added: int
    """Answers added to the log."""
    held: int
    """Answers the log already held (from an earlier import of the same reviews)."""
    foreign: int
    """Entries of notes (or cards) this deck does not have: another deck's, or Anki's own."""
    left_out: int
    """Entries of this deck's cards that are not answers (`ANSWER_TYPES`)."""
    cards: int
    """Cards whose schedule was rebuilt."""
    device: str
    """This database's device id."""


def import_reviews(env: Env, deck_name: str | None, path: str | os.PathLike) -> ReviewsImport:
    """Add the answers of the Anki package `path` to the deck's log and rebuild their cards'
    schedules, all or nothing."""
    from srs.export.anki import TEMPLATE_ORDER, note_guids, pair_key_guid  # deferred: genanki is needed only here

    file = Path(path)
    log = read_reviews(file)  # before the database: a broken file changes nothing
    if not log:
        raise DeckFileError(
            file,
            "the package holds no reviews: export it from Anki as a collection package, or as a deck "
            "package with its scheduling included",
        )
    kinds = {ord_: kind for kind, ord_ in TEMPLATE_ORDER.items()}
    clock = env.clock
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        graph = decks.load_graph(conn, deck, include_links=False, include_attrs=False)
        keys = {guid: key for key, guid in note_guids(deck.name, graph).items()}
        # A pair card's note has one card, of the pair note type's one template.
        pair_notes = {
            pair_key_guid(deck.name, *pair): pair for pair in identity.pair_keys(conn, deck.id, deck.learner_id)
        }
        by_card: dict[int, list[ArrivingAnswer]] = defaultdict(list)
        foreign = left_out = 0
        wanted: list[tuple[int, AnkiReview, str]] = []
        card_ids: dict[tuple[str, str, str | None], int | None] = {}
        for review in log:
            key: str | None
            kind: str | None
            partner: str | None = None
            if review.note_guid in pair_notes and review.template_ord == PAIR_TEMPLATE_ORD:
                kind, key, partner = pair_notes[review.note_guid]
            else:
                key, kind = keys.get(review.note_guid), kinds.get(review.template_ord)
            if key is None or kind is None:
                foreign += 1
                continue
            if (key, kind, partner) not in card_ids:
                card = identity.find_card(conn, deck.learner_id, deck.name, key, kind, partner)
                card_ids[key, kind, partner] = card.id if card is not None else None
            card_id = card_ids[key, kind, partner]
            if card_id is None:
                foreign += 1
            elif review.ease not in ANKI_BUTTON_GRADES or review.kind not in ANSWER_TYPES:
                left_out += 1
            else:
                wanted.append(
                    (card_id, review, anki_review_id(review.revlog_id, review.note_guid, review.template_ord))
                )
        held = identity.held_events(conn, (event_id for _, _, event_id in wanted))
        for card_id, review, event_id in wanted:
            if event_id in held:
                continue
            at = EPOCH + timedelta(milliseconds=review.revlog_id)  # Anki's revlog id is the review's time
            by_card[card_id].append(
                ArrivingAnswer(
                    event_id=event_id,
                    device=identity.ANKI_DEVICE,
                    at=at,
                    day=learner_day(at, clock.tz, clock.rollover_hour),
                    grade=ANKI_BUTTON_GRADES[review.ease],
                    duration_ms=review.duration_ms,
                )
            )
        for card_id, arriving in by_card.items():
            add_answers(conn, card_id, arriving)
        return ReviewsImport(
            path=str(path),
            deck=deck.name,
            added=sum(map(len, by_card.values())),
            held=len(wanted) - sum(map(len, by_card.values())),
            foreign=foreign,
            left_out=left_out,
            cards=len(by_card),
            device=identity.device_id(conn),
        )

"""Studying: a session's scope (a deck or a branch), today's queue and counts, each card, each
answer and its undo, and what to offer when nothing is due; for the app's study screen and for
`srs due`, `srs answer` and `srs undo`.

Every answer is committed before the call returns, so it is stored before the next card shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from srs.core import events
from srs.core.answer import again_today, days_to_next, repeat_today
from srs.core.cards import CardContent
from srs.core.fsrs import FsrsScheduler, retrievability
from srs.core.leech import LeechRule, is_leech, made_leech
from srs.core.mastery import CardState
from srs.core.queue import PLAN, Beyond
from srs.core.reflection import socratic_prompt
from srs.core.sm2 import PASSING
from srs.env import Env
from srs.errors import NotFoundError, OptionError, SrsError
from srs.service.decks import MapNode, load_map
from srs.storage import answers, credit, decks, layering, pairs, queue, schedulers
from srs.storage.cram import record_cram_answer, undo_cram_answer
from srs.storage.options import options_of


@dataclass(frozen=True)
class Scope:
    """What a study session covers: a whole deck or one branch of it."""

    deck: str
    """The deck's name."""
    branch_id: int | None = None
    """The node whose subtree is studied; None for the whole deck."""
    title: str = ""
    """How the session is named on screen: the branch's label or the deck's name."""
    new_cards: bool = True
    """Whether new cards join the due ones (the `r` review of the whole deck leaves them out)."""
    beyond: Beyond = PLAN
    """What the session takes beyond the day's plan: cards due ahead, extra new cards, a cram."""

    @property
    def cram(self) -> bool:
        """A cram session: every live card, answers that move no schedule."""
        return self.beyond.cram


def branch_scope(env: Env, deck_name: str | None, branch: str | None, new_cards: bool = True) -> Scope:
    """The session on `branch` (a node id, label or label path) of the deck, or on the whole deck.

    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        if branch is None:
            return Scope(deck.name, None, deck.name, new_cards)
        node = decks.find_node(conn, deck, branch)
        return Scope(deck.name, node.id, node.label, new_cards)


def asks_journal(env: Env, scope: Scope) -> bool:
    """Whether the end of a session on `scope` asks for a line for its branch's journal: a
    session on a branch, of a deck whose `journal` option is on."""
    if scope.branch_id is None:
        return False
    with env.connection() as conn:
        return options_of(conn, decks.find_deck(conn, scope.deck, env.learner_id).id).journal


def session_cards(env: Env, scope: Scope) -> list[int]:
    """Today's cards for the scope, in the order they should come (see `queue.study_queue`)."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, scope.deck, env.learner_id)
        branch = decks.get_node(conn, scope.branch_id, env.learner_id) if scope.branch_id is not None else None
        return queue.study_queue(conn, deck, env.clock.today(), branch, new_cards=scope.new_cards, beyond=scope.beyond)


def start_session(env: Env, scope: Scope) -> tuple[Scope, list[int]]:
    """The session to run on `scope` and its cards. A review of due cards alone that finds none
    due starts on the scope's new cards instead (as Anki's Study Now does), so `r` and
    `srs review` always study when there is something to study; no cards means nothing is left
    for today."""
    cards = session_cards(env, scope)
    if not cards and not scope.new_cards:
        with_new = replace(scope, new_cards=True)
        cards = session_cards(env, with_new)
        if cards:
            return with_new, cards
    return scope, cards


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen shows it."""

    id: int
    node_id: int
    content: CardContent
    notes: str
    mnemonic: str
    state: CardState
    answered_today: bool
    """Already answered earlier today, so this answer is a drill."""
    days_to_next: tuple[int, ...] = ()
    """For each grade 0..5, in how many days the card comes back if answered so (0: today)."""
    lapses: int = 0
    leech: bool = False
    """Its lapses reached the learner's `leech_threshold`."""
    stability: float | None = None
    """FSRS's stability in days; None under SM-2 or for a new card."""
    difficulty: float | None = None
    """FSRS's difficulty, 1 to 10; None under SM-2 or for a new card."""
    retrievability: float | None = None
    """FSRS's probability of recall today; None under SM-2 or for a new card."""
    prompt: str | None = None
    """The question to think over after the answer (`socratic_prompts`): on a branch's
    definition card where the deck's option is on, else None."""


def leech_rule(env: Env) -> LeechRule:
    """What the learner's settings say about leeches."""
    return LeechRule(env.config.leech_threshold.value, env.config.leech_suspend.value)


def load_card(env: Env, card_id: int) -> StudyCard:
    """The card as the study screen shows it. Raises `NotFoundError` for a card gone."""
    with env.connection() as conn:
        card = queue.get_card(conn, card_id)
        node = decks.get_node(conn, card.node_id, env.learner_id)
        today = env.clock.today()
        schedule = answers.schedule_of(card)
        scheduler = schedulers.deck_scheduler(conn, card.deck_id, card.learner_id)
        fsrs = scheduler if isinstance(scheduler, FsrsScheduler) else None
        recall = retrievability(schedule, today, fsrs) if fsrs is not None else None
        content = queue.card_content(conn, card, node)
        prompts = options_of(conn, card.deck_id).socratic_prompts
        return StudyCard(
            card.id,
            node.id,
            content,
            node.notes,
            node.mnemonic,
            queue.state_of(card),
            card.last_day == today,
            tuple(days_to_next(schedule, today, scheduler).values()),
            card.lapses,
            is_leech(card.lapses, env.config.leech_threshold.value),
            schedule.stability if recall is not None else None,
            schedule.difficulty if recall is not None else None,
            recall,
            socratic_prompt(content, card.reviews) if prompts else None,
        )


@dataclass(frozen=True)
class Answer:
    """One recorded answer, as the session keeps it for undo and for its summaries."""

    review_id: int
    card_id: int
    grade: int
    drill: bool
    first_time: bool
    """The card's first ever review (it was new)."""
    duration_ms: int
    due: date | None
    interval: int
    lapses: int = 0
    """The card's lapses after the answer."""
    made_leech: bool = False
    """This answer's lapse brought the card to the learner's `leech_threshold`."""
    suspended: bool = False
    """The answer made the card a leech and suspended it (`leech_suspend`)."""
    cram: bool = False
    """A cram answer: logged apart (its id is in `cram_answers`), the card's schedule unchanged."""
    check: bool = False
    """The answer was to a check (a parent's card a lapse brought in), and is logged as one."""
    checks: tuple[int, ...] = ()
    """The cards this answer's lapse brings into today's queue as checks (`parent_checks`)."""
    credits: tuple[int, ...] = ()
    """The ancestors' definition cards this pass credited (`implicit_credit`): due a little later."""
    contrasts: tuple[str, ...] = ()
    """The siblings this answer's lapse made a contrast card with (`contrast_cards`): their labels."""
    lapse: bool = False
    """The day's first answer, below 3: it may be marked as confused with a sibling (`confuse`;
    `confusable` offers no sibling for a pair card's)."""


def _answer_checked(conn, card_id: int, grade: int, env: Env, duration_ms: int, rule: LeechRule):
    """Record an answer as `answers.record_answer` does, logged as a check where it answers one;
    with the checks its lapse brings in, where the deck's `parent_checks` says so, and the
    credits its pass earns its node's ancestors, where the deck's `implicit_credit` says so, and
    the labels of the siblings it made contrast cards with, where `contrast_cards` says so."""
    card = queue.get_card(conn, card_id)
    today = env.clock.today()
    now = env.clock.now()
    options = options_of(conn, card.deck_id)
    checking = options.parent_checks
    if options.implicit_credit:
        credit.hold_answers(conn, card.deck_id)
    kind = events.CHECK if checking and layering.is_pending_check(conn, card, today) else events.ANSWER
    recorded = answers.record_answer(conn, card_id, grade, now, today, duration_ms, leeches=rule, kind=kind)
    lapsed = recorded.entry.after.lapses > recorded.entry.before.lapses
    checks = layering.checks_after_lapse(conn, card.node_id, today, card.learner_id) if checking and lapsed else []
    credited = credit.record_credits(conn, recorded, card.node_id, now, today) if options.implicit_credit else []
    made = pairs.contrasts_after_lapse(conn, card, recorded.entry, today)
    return recorded, kind == events.CHECK, tuple(checks), credited, _partners(conn, made, card.node_id)


def _partners(conn, card_ids: list[int], node_id: int) -> tuple[str, ...]:
    """The labels of the other nodes of the pair cards `card_ids`, all of which `node_id` is in."""
    out = []
    for card_id in card_ids:
        card = queue.get_card(conn, card_id)
        out.append(decks.get_node(conn, card.partner_id if card.node_id == node_id else card.node_id).label)
    return tuple(out)


def record(env: Env, card_id: int, grade: int, duration_ms: int, cram: bool = False) -> Answer:
    """Record an answer and commit it (a review, or a drill if the card was answered today);
    one that makes the card a leech suspends it in the same transaction where `leech_suspend`
    says so. With `cram`, a cram answer, which moves nothing."""
    if cram:
        return _record_cram(env, card_id, grade, duration_ms)
    rule = leech_rule(env)
    with env.connection(write=True) as conn:
        recorded, check, checks, credited, contrasts = _answer_checked(conn, card_id, grade, env, duration_ms, rule)
    entry = recorded.entry
    return Answer(
        recorded.id,
        card_id,
        entry.grade,
        entry.drill,
        entry.first_review,
        entry.duration_ms,
        entry.after.due,
        entry.after.interval,
        entry.after.lapses,
        made_leech(entry.before, entry.after, rule.threshold),
        recorded.suspended,
        check=check,
        checks=checks,
        credits=tuple(c.card_id for c in credited),
        contrasts=contrasts,
        lapse=not entry.drill and entry.grade < PASSING,
    )


@dataclass(frozen=True)
class Confusion:
    """A lapse marked as confused with a sibling: the pair's contrast card."""

    card_id: int
    label: str
    """The sibling's label."""
    made: bool
    """The mark made the card (else the pair had one already)."""


def confusable(env: Env, card_id: int) -> tuple[tuple[int, str], ...]:
    """The siblings (id, label) the node of `card_id` may be marked as confused with, where its
    deck's `contrast_cards` is on (none otherwise, and none for a card about a pair)."""
    with env.connection() as conn:
        card = queue.get_card(conn, card_id)
        if card.partner_id is not None or not options_of(conn, card.deck_id).contrast_cards:
            return ()
        node = decks.get_node(conn, card.node_id, env.learner_id)
        _parents, siblings, _children = decks.node_neighbours(conn, node)
        return tuple(dict.fromkeys((s.id, s.label) for s in siblings))


def confuse(env: Env, card_id: int, other_id: int) -> Confusion:
    """Mark the lapse of `card_id` as a confusion with the sibling `other_id`, and commit the
    pair's contrast card (made where it has none). Raises `NotSiblingsError` for a node that is
    not a sibling, `OptionError` where the deck's `contrast_cards` is off."""
    with env.connection(write=True) as conn:
        card = queue.get_card(conn, card_id)
        node, other = decks.get_node(conn, card.node_id, env.learner_id), decks.get_node(conn, other_id, env.learner_id)
        _contrasts_on(conn, card.deck_id)
        made_id, made = pairs.confused_with(conn, node, other)
        return Confusion(made_id, other.label, made)


def _contrasts_on(conn, deck_id: int) -> None:
    if not options_of(conn, deck_id).contrast_cards:
        raise OptionError("contrast cards are off for this deck: `srs options contrast_cards on` turns them on")


def _record_cram(env: Env, card_id: int, grade: int, duration_ms: int) -> Answer:
    with env.connection(write=True) as conn:
        answer_id = record_cram_answer(conn, card_id, grade, env.clock.now(), env.clock.today(), duration_ms)
        card = queue.get_card(conn, card_id)
    return Answer(answer_id, card_id, grade, False, False, duration_ms, card.due, card.interval, cram=True)


def take_back(env: Env, review_id: int, cram: bool = False) -> None:
    """Undo an answer: the card's schedule and the log exactly as before it (unsuspended, if the
    answer suspended it as a leech), committed; with `cram`, the cram answer `review_id` leaves
    the cram log."""
    with env.connection(write=True) as conn:
        if cram:
            undo_cram_answer(conn, review_id)
        else:
            answers.undo_answer(conn, review_id, leech_rule(env), env.clock.now())


def due_dates(env: Env, card_ids: list[int]) -> dict[int, date | None]:
    """When each of the cards is asked next (today for a same-day repeat still to come)."""
    with env.connection() as conn:
        return queue.next_days(conn, card_ids, env.clock.today())


AHEAD_DAYS = 7
"""The days ahead the nothing-due screen offers to study."""
EXTRA_NEW = 10
"""The extra new cards the nothing-due screen offers."""


@dataclass(frozen=True)
class NothingDue:
    """What to offer when a session would be empty."""

    new_limit_reached: bool
    """New cards exist but today's limit of new cards is used up."""
    new_per_day: int
    next_branch: MapNode | None
    """Another branch with cards to study today."""
    ahead_days: int = AHEAD_DAYS
    due_ahead: int = 0
    """Cards of the scope falling due within `ahead_days` days: a session ahead would bring them."""
    new_beyond: int = 0
    """New cards of the scope the daily limit holds back: extra new cards would bring them."""
    cards: int = 0
    """Live cards of the scope: what a cram would go through."""


def nothing_due(env: Env, scope: Scope, ahead_days: int = AHEAD_DAYS) -> NothingDue:
    """Why the scope has nothing to study, where else there is work, and what studying beyond
    the day's plan would bring (cards due within `ahead_days`, new cards past the limit, a cram)."""
    today = env.clock.today()
    with env.connection() as conn:
        deck = decks.find_deck(conn, scope.deck, env.learner_id)
        branch = decks.get_node(conn, scope.branch_id, env.learner_id) if scope.branch_id is not None else None
        counts = queue.day_counts(conn, deck, today, branch)
        deck_counts = queue.day_counts(conn, deck, today)
        new_per_day = deck.new_per_day
        due_ahead = queue.due_within(conn, deck, today, ahead_days, branch)
        live = queue.live_cards(conn, deck, branch)
    deck_map = load_map(env, scope.deck)
    new_allowed = deck_counts.new > 0
    return NothingDue(
        new_limit_reached=counts.new == 0 and counts.new_total > 0,
        new_per_day=new_per_day,
        next_branch=deck_map.next_branch_with_work(scope.branch_id, new_allowed),
        ahead_days=ahead_days,
        due_ahead=due_ahead,
        new_beyond=counts.new_total - counts.new,
        cards=live,
    )


# -- for the command line -----------------------------------------------------------------------


@dataclass(frozen=True)
class DueCard:
    """One of the next cards of a day's session, as `srs due` lists it."""

    card: int
    node: str
    """The node's id in its map file."""
    term: str
    kind: str
    state: CardState
    due: date | None


@dataclass(frozen=True)
class DueToday:
    """Today's counts for a deck or a branch, and the next cards its session brings."""

    deck: str
    branch: str | None
    """The branch's label; None for the whole deck."""
    today: date
    due: int
    new: int
    done: int
    """Cards answered today (reviews and new cards; drills not counted)."""
    next: tuple[DueCard, ...]


CARDS_PER_READ = 1000
"""Cards `due_today` reads in one go."""


def due_today(env: Env, deck_name: str | None, branch: str | None, limit: int) -> DueToday:
    """The day's counts and the first `limit` cards of the session on the deck or `branch`.

    A fixed number of queries for each `CARDS_PER_READ` cards listed, not a few for every card.
    Raises `NotFoundError` / `AmbiguousError` for a deck or branch that is not there.
    """
    today = env.clock.today()
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        counts = queue.day_counts(conn, deck, today, node)
        listed = queue.study_queue(conn, deck, today, node)[:limit]
        shown, contents = [], []
        # In batches: each statement names a batch's cards, which stays within what a database
        # takes (SQLite 32766 values to a statement, PostgreSQL 65535) whatever `limit` asks.
        for start in range(0, len(listed), CARDS_PER_READ):
            batch = queue.cards_with_nodes(conn, listed[start : start + CARDS_PER_READ])
            shown.extend(batch)
            contents.extend(queue.card_contents(conn, batch))
    return DueToday(
        deck=deck.name,
        branch=node.label if node else None,
        today=today,
        due=counts.due,
        new=counts.new,
        done=counts.reviewed + counts.introduced,
        next=tuple(
            DueCard(card.id, card_node.key, content.term, card.kind, queue.state_of(card), card.due)
            for (card, card_node), content in zip(shown, contents, strict=True)
        ),
    )


@dataclass(frozen=True)
class NodeAnswer:
    """An answer given to a node's card by name, as `srs answer` reports it."""

    deck: str
    node: str
    """The node's id in its map file."""
    label: str
    kind: str
    grade: int
    drill: bool
    due: date | None
    again_today: bool
    """Answered below 4: the card comes back today."""
    interval: int
    easiness: float
    lapses: int = 0
    made_leech: bool = False
    """This answer's lapse brought the card to the learner's `leech_threshold`."""
    suspended: bool = False
    """The answer made the card a leech and suspended it (`leech_suspend`)."""
    check: bool = False
    """The answer was to a check, and is logged as one."""
    checks: tuple[str, ...] = ()
    """The labels of the parents whose definition cards this answer's lapse brings in as checks."""
    credits: tuple[CreditedCard, ...] = ()
    """The ancestors' definition cards this pass credited (`implicit_credit`), nearest first."""
    contrasts: tuple[str, ...] = ()
    """The labels of the siblings this answer made a contrast card with (`contrast_cards`)."""


@dataclass(frozen=True)
class CreditedCard:
    """An ancestor's definition card a pass credited: due a little later."""

    node: str
    """The node's id in its map file."""
    label: str
    level: int
    """How many steps up the hierarchy (1: a parent)."""
    due_before: date
    due: date


def answer_node(
    env: Env,
    deck_name: str | None,
    node_name: str,
    grade: int,
    kind: str | None = None,
    confused_with: str | None = None,
) -> NodeAnswer:
    """Record an answer to the node's card of `kind` (by default its definition or placement
    card) and commit it; with `confused_with` (a sibling's id, label or path), a lapse marked as
    a confusion with it, which gives the pair a contrast card. Raises `NotFoundError` /
    `AmbiguousError` for a deck, node or card that is not there, or a node with several cards
    and no kind; `SrsError` (`OptionError`, `NotSiblingsError`) for a confusion that cannot be
    marked (nothing is recorded then)."""
    rule = leech_rule(env)
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, node_name)
        card = queue.card_of(conn, node, kind)
        confused: tuple[str, ...] = ()
        if confused_with is not None:  # checked, and its card made, before the answer is recorded
            other = decks.find_node(conn, deck, confused_with)
            _contrasts_on(conn, deck.id)
            if grade >= PASSING:
                raise SrsError(f"a confusion is marked on a lapse: a grade below {PASSING}, not {grade}")
            confused = (other.label,) if pairs.confused_with(conn, node, other)[1] else ()
        recorded, check, checks, credited, contrasts = _answer_checked(conn, card.id, grade, env, 0, rule)
        contrasts = (*confused, *contrasts)
        checked = [decks.get_node(conn, queue.get_card(conn, c).node_id, env.learner_id).label for c in checks]
        credit_nodes = {c.node_id: decks.get_node(conn, c.node_id, env.learner_id) for c in credited}
    entry = recorded.entry
    return NodeAnswer(
        deck=deck.name,
        node=node.key,
        label=node.label,
        kind=card.kind,
        grade=entry.grade,
        drill=entry.drill,
        due=entry.after.due,
        again_today=again_today(entry.grade),
        interval=entry.after.interval,
        easiness=entry.after.easiness / 100,
        lapses=entry.after.lapses,
        made_leech=made_leech(entry.before, entry.after, rule.threshold),
        suspended=recorded.suspended,
        check=check,
        checks=tuple(checked),
        credits=tuple(
            CreditedCard(credit_nodes[c.node_id].key, credit_nodes[c.node_id].label, c.level, c.due_before, c.due_after)
            for c in credited
        ),
        contrasts=contrasts,
    )


@dataclass(frozen=True)
class TakenBack:
    """An answer taken back, and where its card stands now."""

    label: str
    kind: str
    grade: int
    day: date
    """The learner's day the answer counted for."""
    drill: bool
    new_again: bool
    """The card was new before the answer, and is again."""
    again_today: bool
    """The card is still to be asked again today (answered below 4 earlier today)."""
    due: date | None
    credits: int = 0
    """The credits to ancestors' cards (`implicit_credit`) taken back with it."""


def undo_last(env: Env, deck_name: str | None) -> TakenBack:
    """Take back the deck's latest answer (from any front end) and commit it.

    Raises `NotFoundError` when the deck has no answers left.
    """
    with env.connection(write=True) as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        undone = answers.undo_last_answer(conn, deck, leech_rule(env), env.clock.now())
        if undone is None:
            raise NotFoundError(f"nothing to undo: deck {deck.name!r} has no answers")
        taken, credits_taken = undone
        card = queue.get_card(conn, taken.card_id)
        label = decks.get_node(conn, card.node_id, env.learner_id).label
    return TakenBack(
        label=label,
        kind=card.kind,
        grade=taken.grade,
        day=taken.day,
        drill=taken.drill,
        new_again=card.reviews == 0,
        again_today=repeat_today(answers.schedule_of(card), env.clock.today()),
        due=card.due,
        credits=credits_taken,
    )

"""Exports of a deck or a branch to the files other programs read: an Anki package, GEXF for Gephi.

Each call finds the deck (and branch), checks where the file may go (never over the database in
use: its path comes from the connection), reads what the format needs in one transaction and
hands it to the writer in `srs.export`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from srs.env import Env
from srs.export.files import export_target
from srs.storage import decks, exports, journal, pairs
from srs.storage.db import database_file

if TYPE_CHECKING:
    from srs.core.fsrs import FsrsScheduler
    from srs.export.anki import ExportReport, Progress
    from srs.export.gexf import GexfReport

DEFAULT_DEPTH = 1
"""Subdeck levels below the exported branch (`srs.export.anki.DEFAULT_DEPTH`)."""


def export_anki(
    env: Env,
    deck_name: str | None,
    branch: str | None,
    path: str | os.PathLike,
    depth: int = DEFAULT_DEPTH,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the deck, or `branch` (a node id, a label or a label path) and everything below it,
    as the Anki package `path`, with `depth` subdeck levels below it."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        return _anki(env, conn, deck, node, path, depth, progress)


def export_branch(env: Env, node_id: int, path: str | os.PathLike, progress: Progress | None = None) -> ExportReport:
    """Write the branch under `node_id` (the whole deck from its root) as an Anki package."""
    with env.connection() as conn:
        node = decks.get_node(conn, node_id, env.learner_id)
        deck = exports.deck_of(conn, node)
        return _anki(env, conn, deck, None if node.key == deck.root_key else node, path, DEFAULT_DEPTH, progress)


def _anki(env: Env, conn, deck, node, path: str | os.PathLike, depth: int, progress: Progress | None) -> ExportReport:
    from srs.export import anki  # deferred: genanki is only needed to export

    # Where the package goes is checked before any work.
    anki.check_depth(depth)
    shown = anki.package_path(path)
    target = export_target(path, database_file(conn.engine.url))
    graph = decks.load_graph(conn, deck, include_links=False, include_attrs=False)
    cards = exports.exported_cards(conn, deck, node)
    branch = node.key if node is not None else None
    pair_notes = [anki.PairNote(*row) for row in pairs.exported_pairs(conn, deck, node)]
    return anki.write_anki(
        target,
        shown,
        deck.name,
        graph,
        cards,
        branch,
        depth,
        env.clock.now(),
        progress,
        leech_threshold=env.config.leech_threshold.value,
        pairs=pair_notes,
        journal=_journal(conn, deck),
    )


def _journal(conn, deck) -> dict[str, list[tuple[date, str]]]:
    """The deck's journal entries as an export takes them: (day, text) by node key, newest first."""
    return {
        key: [(row.day, row.text) for row in rows]
        for key, rows in journal.entries_by_key(conn, deck.id, deck.learner_id).items()
    }


def export_gexf(
    env: Env, deck_name: str | None, branch: str | None, path: Path, whole_class: bool = False
) -> GexfReport:
    """Write the deck's graph, or `branch` and everything below it, with the learner's state on
    every node (with `whole_class`, the state of every learner's cards of it together, coloured
    by their mean mastery), as the GEXF file `path`; the file appears whole or not at all."""
    from srs.errors import SrsError
    from srs.export import gexf

    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, None if whole_class else env.learner_id)
        node = decks.find_node(conn, deck, branch) if branch else None
        target = export_target(path, database_file(conn.engine.url))
        count, names = exports.attribute_names(conn, deck, node)
        if not count:
            raise SrsError(f"{node.label if node else deck.name!r} has no nodes to export")
        edges = gexf.write_gexf(
            target,
            path,
            deck.name,
            env.clock.today(),
            gexf.extra_attributes(names),
            exports.concepts_with_cards(conn, deck, node),
            exports.exported_edges(conn, deck, node),
            None if whole_class else _fsrs(conn, deck),
            {} if whole_class else _journal(conn, deck),
        )
    return gexf.GexfReport(path, count, edges, deck.name, node.label if node is not None else None)


def _fsrs(conn, deck) -> FsrsScheduler | None:
    """The deck's FSRS scheduler where the deck follows FSRS; None under SM-2."""
    from srs.core.fsrs import FsrsScheduler
    from srs.storage.schedulers import deck_scheduler

    scheduler = deck_scheduler(conn, deck.id, deck.learner_id)
    return scheduler if isinstance(scheduler, FsrsScheduler) else None

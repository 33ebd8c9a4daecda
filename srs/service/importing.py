"""Importing a deck file: read it, check it, and bring its deck in line with it, in one transaction.

What changed (or, for a dry run, would change) comes back as an `ImportReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from srs.core.diff import Removal
from srs.core.graph import DEFAULT_KINDS
from srs.core.lint import UNASKED_UP_TO, counts, lint
from srs.core.text import plural
from srs.env import Env
from srs.errors import LintError
from srs.readers import EXTENSIONS, read_deck
from srs.storage import decks, pairs
from srs.storage.importing import ImportReport, deck_with_keys, import_graph

__all__ = ["ImportReport", "import_file"]


def import_file(
    env: Env,
    file: Path,
    deck_name: str | None = None,
    root: str | None = None,
    fmt: str | None = None,
    nodes_file: Path | None = None,
    dry_run: bool = False,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
    yes: bool = False,
    agreed: Removal | None = None,
    theirs: bool = False,
    hierarchy: Sequence[str] = (),
    hierarchy_up: Sequence[str] = (),
    strict: bool = False,
) -> ImportReport:
    """Import the graph in `file` as the deck `deck_name` (by default named after its root), or
    update that deck from it; with `dry_run`, only say what would change.

    `root`, `fmt` and `nodes_file` are `srs.readers.read_deck`'s, and so is `progress`, called
    with the bytes read and the file's size. A database made by this import does not get the
    bundled decks: the learner brought their own. Bad input raises an `SrsError` before anything
    is written; so is `ConfirmationNeeded` for an import that would delete nodes (`prune`) or
    retire more than half of the deck, unless `yes`, or the learner `agreed` to that removal when
    asked (the error's `removal`).

    A field the learner edited in the program keeps the learner's text; where the file changed
    it too, that is a conflict in the report, and `theirs` takes the file's text for it.

    A new deck made from a CSV without `nodes_file` whose node ids
    are another deck's names that deck in the report's `same_keys_as`. `hierarchy` names more
    edge kinds read as parent -> child, `hierarchy_up` more read as child -> parent (see
    `srs.core.graph.EdgeKinds`).

    The graph is linted first (`srs.core.lint`; a map of more than `UNASKED_UP_TO` nodes only with
    `strict`): the report counts its errors and warnings, and with `strict` a graph with errors is
    refused (`LintError`) before anything is written.
    """
    env.seed_bundled = False
    kinds = DEFAULT_KINDS.adding(hierarchy, hierarchy_up) if hierarchy or hierarchy_up else DEFAULT_KINDS
    graph = read_deck(file, fmt=fmt, root=root, nodes_file=nodes_file, progress=progress, kinds=kinds)
    linted = strict or len(graph) <= UNASKED_UP_TO
    lint_errors, lint_warnings = counts(lint(graph)) if linted else (0, 0)
    if strict and lint_errors:
        raise LintError(
            f"{file}: the linter found {plural(lint_errors, 'error')} in the map, so --strict imports "
            f"nothing (srs lint {file} for the detail)"
        )
    name = deck_name or graph.label(graph.root)
    with env.connection(write=not dry_run) as conn:
        report = import_graph(
            conn,
            name,
            graph,
            str(file.resolve()),
            env.clock.now(),
            dry_run=dry_run,
            prune=prune,
            limits=env.config.deck_limits(),
            yes=yes,
            agreed=agreed,
            theirs=theirs,
            learner=env.learner_id,
        )
        # A CSV edge list read without its nodes file names its nodes by id alone, so its root's
        # label, and the deck named after it, differ from the import that had the file.
        csv = (fmt or EXTENSIONS.get(file.suffix.lower())) == "csv"
        if report.created and csv and nodes_file is None and deck_name is None:
            report.same_keys_as = deck_with_keys(conn, graph, name)
        if not dry_run:  # pair cards follow their nodes and links in and out of the graph
            pairs.sync_pairs(conn, decks.find_deck(conn, name, env.learner_id).id)
        report.linted = linted
        report.lint_errors, report.lint_warnings = lint_errors, lint_warnings
        return report

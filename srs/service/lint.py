"""Linting a map before its cards are made: a deck file as read, or a stored deck's live nodes
and hierarchy, through the core's rules (`srs.core.lint`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from srs.core.graph import DEFAULT_KINDS
from srs.core.lint import UNASKED_UP_TO, Finding, counts, lint
from srs.env import Env
from srs.readers import read_deck
from srs.storage import decks


@dataclass(frozen=True)
class LintReport:
    """What the linter found in one map."""

    source: str
    """The file linted, or the deck's name."""
    findings: tuple[Finding, ...]
    """Node by node in the map's order (`srs.core.lint.lint`)."""

    @property
    def errors(self) -> int:
        return counts(list(self.findings))[0]

    @property
    def warnings(self) -> int:
        return counts(list(self.findings))[1]


def lint_file(
    file: Path,
    fmt: str | None = None,
    root: str | None = None,
    nodes_file: Path | None = None,
    hierarchy: Sequence[str] = (),
    hierarchy_up: Sequence[str] = (),
) -> LintReport:
    """Lint the map in `file`, read as `srs.readers.read_deck` reads it (and `srs import` would).
    Bad input raises an `SrsError`."""
    kinds = DEFAULT_KINDS.adding(hierarchy, hierarchy_up) if hierarchy or hierarchy_up else DEFAULT_KINDS
    graph = read_deck(file, fmt=fmt, root=root, nodes_file=nodes_file, kinds=kinds)
    return LintReport(str(file), tuple(lint(graph)))


def lint_deck(env: Env, deck_name: str | None) -> LintReport:
    """Lint a stored deck as it stands: its live nodes (with the learner's edits) and hierarchy."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        graph = decks.load_graph(conn, deck, include_links=False, include_attrs=False)
    return LintReport(deck.name, tuple(lint(graph)))


def deck_findings(env: Env, deck_name: str | None) -> dict[str, tuple[Finding, ...]]:
    """A stored deck's findings by node key (for the app's detail pane); none for a deck of more
    than `UNASKED_UP_TO` live nodes, which only `srs lint` lints."""
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        size = next(row.nodes for row in decks.deck_sizes(conn, env.learner_id) if row.id == deck.id)
        if size > UNASKED_UP_TO:
            return {}
        graph = decks.load_graph(conn, deck, include_links=False, include_attrs=False)
    found: dict[str, list[Finding]] = {}
    for item in lint(graph):
        found.setdefault(item.key, []).append(item)
    return {key: tuple(items) for key, items in found.items()}

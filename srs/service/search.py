"""Searching a deck for text, for `srs search`: the nodes whose label, definition, example or
notes hold every word, best matches first, each with its path and an excerpt of what matched."""

from __future__ import annotations

from dataclasses import dataclass

from srs.core.search import ranked, search_words
from srs.env import Env
from srs.errors import SrsError
from srs.storage import decks, search


@dataclass(frozen=True)
class SearchHit:
    """A node a search found."""

    key: str
    """The node's id in its map file."""
    label: str
    path: tuple[str, ...]
    """Labels from the root down to the node itself."""
    field: str
    """Where the search matched: label, definition, example or notes."""
    excerpt: str
    """That field's text around the match, on one line."""


@dataclass(frozen=True)
class SearchResult:
    """What a search of one deck found."""

    deck: str
    hits: tuple[SearchHit, ...]
    """The best matches, as many as asked for."""
    more: int
    """How many other nodes match, beyond `hits`."""


def search_deck(env: Env, deck_name: str | None, text: str, limit: int) -> SearchResult:
    """The deck's live nodes that hold every word of `text` (any case), the best `limit` first:
    label matches (the whole label, its start, anywhere in it), then the other fields, each in
    the map's order.

    Raises `SrsError` for text without a word, `NotFoundError` / `AmbiguousError` for the deck.
    """
    words = search_words(text)
    if not words:
        raise SrsError("give some text to search for")
    with env.connection() as conn:
        deck = decks.find_deck(conn, deck_name, env.learner_id)
        shown, matching = ranked(words, search.matching_nodes(conn, deck, words), limit)
        paths = decks.node_paths(conn, [node.id for node, _ in shown])
    hits = tuple(
        SearchHit(node.key, node.label, tuple(n.label for n in paths[node.id]), where.field, where.excerpt)
        for node, where in shown
    )
    return SearchResult(deck.name, hits, matching - len(shown))


@dataclass(frozen=True)
class NodeText:
    """The texts of a node a search looks in beside its label."""

    definition: str
    example: str
    notes: str


def node_texts(env: Env, node_ids: list[int]) -> dict[int, NodeText]:
    """The definition, example and notes of each of the nodes (the map's finder searches them)."""
    with env.connection() as conn:
        return {
            row.id: NodeText(row.definition, row.example, row.notes)
            for row in search.node_texts(conn, node_ids, env.learner_id)
        }

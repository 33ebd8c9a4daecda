"""Decks and the nodes in them: finding them by name, a node's path and neighbours, its notes.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves the
transaction to its caller. Rows come back as SQLAlchemy `Row`s whose attributes are the columns;
where a function takes a deck or a node, any object with those columns as attributes will do.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Row, Select, func, literal, select, update

from srs.core.graph import Concept, ConceptGraph, name_list, path_key
from srs.core.names import did_you_mean
from srs.errors import AmbiguousError, NotFoundError, SrsError
from srs.storage.learner_notes import node_columns, own_text
from srs.storage.scope import HIERARCHY
from srs.storage.tables import cards, decks, edges, nodes

MAX_DEPTH = 10_000
"""How far up a path is followed: deeper than any map, a bound should the hierarchy ever loop."""


# -- decks and nodes by name ------------------------------------------------------------------


def deck_names(conn) -> list[str]:
    return list(conn.scalars(select(decks.c.name).order_by(decks.c.name)))


def labels_starting(conn, deck, start: str, limit: int) -> list[str]:
    """The labels of the deck's live nodes that start with `start` (in any case), each once, in
    the map's order, at most `limit` of them: what completing a node's name offers."""
    found = conn.execute(
        select(nodes.c.label, func.min(nodes.c.rank).label("first"))
        .where(
            nodes.c.deck_id == deck.id,
            nodes.c.retired.is_(False),
            func.lower(nodes.c.label).startswith(start.lower(), autoescape=True),
        )
        .group_by(nodes.c.label)
        .order_by("first", nodes.c.label)
        .limit(limit)
    )
    return [row.label for row in found]


def find_deck(conn, name: str | None, learner: int | None) -> Row:
    """The deck called `name` (exactly, else in any case) as `learner` studies it: its row with
    `learner_id` (what `srs.storage.scope` narrows every question of it to; None, for a question
    about every learner's cards together); without a name, the only deck there is."""
    as_studied = select(decks, literal(learner).label("learner_id"))
    if name is not None:
        deck = conn.execute(as_studied.where(decks.c.name == name)).first()
        if deck is None:
            deck = conn.execute(as_studied.where(func.lower(decks.c.name) == name.lower())).first()
        if deck is None:
            known = deck_names(conn)
            hint = did_you_mean(name, known) or (
                f"; decks: {name_list(known)}" if known else "; there are no decks yet"
            )
            raise NotFoundError(f"no deck named {name!r}{hint}")
        return deck
    found = conn.execute(as_studied.order_by(decks.c.name).limit(2)).all()
    if not found:
        raise NotFoundError("there are no decks yet: import one with `srs import FILE`")
    if len(found) > 1:
        raise AmbiguousError(f"there are several decks, choose one with --deck: {name_list(deck_names(conn))}")
    return found[0]


def deck_sizes(conn, learner: int) -> list[Row]:
    """Every deck, by name, as `learner` studies it (`find_deck`): its row with `nodes` (live
    ones), `retired_nodes` (gone from the file, kept with their history) and `cards` (the
    learner's live ones, suspended ones included) beside its columns."""

    def count(table, *where):
        return select(func.count()).select_from(table).where(table.c.deck_id == decks.c.id, *where).scalar_subquery()

    return conn.execute(
        select(
            decks,
            literal(learner).label("learner_id"),
            count(nodes, nodes.c.retired.is_(False)).label("nodes"),
            count(nodes, nodes.c.retired.is_(True)).label("retired_nodes"),
            count(cards, cards.c.learner_id == learner, cards.c.retired.is_(False)).label("cards"),
        ).order_by(decks.c.name)
    ).all()


def retired_nodes(conn, deck) -> list[Row]:
    """The deck's nodes gone from the file (kept with their history), by label."""
    return conn.execute(
        select(nodes).where(nodes.c.deck_id == deck.id, nodes.c.retired.is_(True)).order_by(nodes.c.label)
    ).all()


def set_limits(conn, deck, new_per_day: int | None = None, reviews_per_day: int | None = None) -> Row:
    """Change a deck's daily limits of new cards and reviews; the deck as it is now."""
    values = {
        name: value
        for name, value in (("new_per_day", new_per_day), ("reviews_per_day", reviews_per_day))
        if value is not None
    }
    if any(value < 0 for value in values.values()):
        raise SrsError("a daily limit cannot be negative")
    if values:
        conn.execute(update(decks).where(decks.c.id == deck.id).values(**values))
    return conn.execute(select(decks, literal(deck.learner_id).label("learner_id")).where(decks.c.id == deck.id)).one()


def node_path(conn, node) -> list[Row]:
    """The nodes from the root down to `node`, along first parents (one recursive query)."""
    return node_paths(conn, [node.id])[node.id]


def node_paths(conn, node_ids: list[int]) -> dict[int, list[Row]]:
    """`node_path` of each of the nodes, in one query however many they are."""
    if not node_ids:
        return {}
    first_edge = edges.alias("first_edge")
    start = select(nodes.c.id.label("start"), nodes.c.id.label("id"), literal(0).label("step"))
    up = start.where(nodes.c.id.in_(node_ids)).cte("up", recursive=True)
    up = up.union_all(
        select(up.c.start, edges.c.parent_id, up.c.step + 1)
        .join(up, edges.c.child_id == up.c.id)
        .where(
            edges.c.kind == HIERARCHY,
            # the child's first parent: its hierarchy edge written first
            edges.c.id
            == select(func.min(first_edge.c.id))
            .where(first_edge.c.child_id == edges.c.child_id, first_edge.c.kind == HIERARCHY)
            .scalar_subquery(),
            up.c.step < MAX_DEPTH,
        )
    )
    chains: dict[int, dict[int, Row]] = {node_id: {} for node_id in node_ids}  # by id, from the node up
    closed: set[int] = set()
    for row in conn.execute(
        select(up.c.start, *nodes.c).join(nodes, nodes.c.id == up.c.id).order_by(up.c.start, up.c.step)
    ):
        chain = chains[row.start]
        if row.start in closed:
            continue
        if row.id in chain:  # a cycle (impossible in an imported graph) ends the path where it closes
            closed.add(row.start)
            continue
        chain[row.id] = row
    return {first: list(chain.values())[::-1] for first, chain in chains.items()}


def path_text(conn, node) -> str:
    return "/".join(n.label for n in node_path(conn, node))


def _nodes_of(learner: int | None) -> Select:
    """A select of nodes; with `learner`, each as they see it (their own notes and mnemonic,
    `srs.storage.learner_notes`) with `learner_id` beside its columns."""
    if learner is None:
        return select(nodes)
    return select(*node_columns(learner), literal(learner).label("learner_id"))


def find_node(conn, deck, name: str, retired: bool = False) -> Row:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`.

    With `retired`, a node gone from the file (kept with its history) is found by its id or
    label where no live node matches.
    """
    live = (nodes.c.deck_id == deck.id, nodes.c.retired.is_(False))
    # A deck without ids keys its nodes by a digest of the label path: a path finds its node so.
    node = conn.execute(_nodes_of(deck.learner_id).where(*live, nodes.c.key.in_((name, path_key(name))))).first()
    if node is not None:
        return node
    matches = conn.execute(_nodes_of(deck.learner_id).where(*live, func.lower(nodes.c.label) == name.lower())).all()
    if not matches and "/" in name:
        matches = _match_path(conn, deck, [part.strip() for part in name.strip("/").split("/")])
    if len(matches) == 1:
        return matches[0]
    if matches:
        paths = [path_text(conn, m) for m in matches]
        raise AmbiguousError(f"{name!r} matches {len(matches)} nodes, give the path: {name_list(paths)}")
    if retired and (gone := _retired_node(conn, deck, name)) is not None:
        return gone
    labels = conn.scalars(select(nodes.c.label).where(*live))
    raise NotFoundError(f"no node {name!r} in deck {deck.name!r}{did_you_mean(name, labels)}")


def _retired_node(conn, deck, name: str) -> Row | None:
    """The retired node that `name` means (its id or its label), or None. A retired node is out
    of the hierarchy, so no path leads to it."""
    gone = (nodes.c.deck_id == deck.id, nodes.c.retired.is_(True))
    node = conn.execute(_nodes_of(deck.learner_id).where(*gone, nodes.c.key.in_((name, path_key(name))))).first()
    if node is not None:
        return node
    matches = conn.execute(
        _nodes_of(deck.learner_id).where(*gone, func.lower(nodes.c.label) == name.lower()).order_by(nodes.c.key)
    ).all()
    if len(matches) > 1:
        keys = [m.key for m in matches]
        raise AmbiguousError(f"{name!r} matches {len(matches)} retired nodes, give the id: {name_list(keys)}")
    return matches[0] if matches else None


def _match_path(conn, deck, parts: list[str]) -> list[Row]:
    candidates = conn.execute(
        _nodes_of(deck.learner_id).where(
            nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), func.lower(nodes.c.label) == parts[-1].lower()
        )
    ).all()
    wanted = [p.lower() for p in parts]
    return [node for node in candidates if [n.label.lower() for n in node_path(conn, node)][-len(wanted) :] == wanted]


def get_node(conn, node_id: int, learner: int | None = None) -> Row:
    """The node `node_id`; with `learner`, as that learner studies it (with `learner_id`, what
    the questions about its cards are narrowed to)."""
    node = conn.execute(_nodes_of(learner).where(nodes.c.id == node_id)).first()
    if node is None:
        raise NotFoundError("that concept is no longer in the deck")
    return node


# -- a node's neighbours -------------------------------------------------------------------------


def node_neighbours(conn, node) -> tuple[list[Row], list[Row], list[Row]]:
    """(parents, siblings, children) of a node among the live nodes of its deck; each row has the
    node's columns and the `relation` of the edge that joins it (to the node, or to the parent
    a sibling was found under)."""
    return nodes_neighbours(conn, [node.id])[node.id]


def nodes_neighbours(conn, node_ids: list[int]) -> dict[int, tuple[list[Row], list[Row], list[Row]]]:
    """`node_neighbours` of each of the nodes, in two queries however many they are."""
    if not node_ids:
        return {}

    def linked(end, other, of: set[int], order) -> dict[int, list[Row]]:
        """The nodes at the `end` of the hierarchy edges whose `other` end is one of `of`, by that end."""
        out: dict[int, list[Row]] = {i: [] for i in of}
        for row in conn.execute(
            # the edge's place too, so that a node can be put back among its siblings (`around`)
            select(
                other.label("of"),
                *nodes.c,
                edges.c.relation.label("relation"),
                edges.c.position.label("edge_position"),
                edges.c.id.label("edge_id"),
            )
            .join(edges, end == nodes.c.id)
            .where(other.in_(of), edges.c.kind == HIERARCHY)
            .order_by(other, order, edges.c.id)
        ):
            out[row.of].append(row)
        return out

    parents = linked(edges.c.parent_id, edges.c.child_id, set(node_ids), edges.c.id)
    # the children of the nodes and of their parents (the nodes' siblings), in one query
    children = linked(
        edges.c.child_id,
        edges.c.parent_id,
        {*node_ids, *(p.id for ps in parents.values() for p in ps)},
        edges.c.position,
    )
    out = {}
    for node_id in node_ids:
        siblings: list[Row] = []
        seen = {node_id}
        for parent in parents[node_id]:
            for sibling in children[parent.id]:
                if sibling.id not in seen:
                    seen.add(sibling.id)
                    siblings.append(sibling)
        out[node_id] = (parents[node_id], siblings, children[node_id])
    return out


def concept(node) -> Concept:
    """A stored node (a row, or any object with its columns) as the core's concept."""
    return Concept(
        key=node.key,
        label=node.label,
        definition=node.definition,
        example=node.example,
        notes=node.notes,
        mnemonic=node.mnemonic,
        color=node.color,
        attrs=node.attrs or {},
    )


def neighbourhood(conn, node) -> ConceptGraph:
    """The part of the graph a node's cards show: its path to the root, parents, siblings, children."""
    return neighbourhoods(conn, [node])[node.id]


def neighbourhoods(conn, of: list) -> dict[int, ConceptGraph]:
    """`neighbourhood` of each node of `of`, in three queries however many they are."""
    ids = list(dict.fromkeys(node.id for node in of))
    paths = node_paths(conn, ids)
    neighbours = nodes_neighbours(conn, ids)
    return {node.id: around(node, paths[node.id], *neighbours[node.id]) for node in of}


def around(node, path: list, parents: list, siblings: list, children: list) -> ConceptGraph:
    """`neighbourhood` from the node's path (`node_path`) and neighbours (`node_neighbours`), read already."""
    near = {n.key: n for n in [*path, *parents, *siblings, *children]}
    parent_keys: dict[str, list[str]] = {key: [] for key in near}
    child_keys: dict[str, list[str]] = {key: [] for key in near}
    for upper, lower in zip(path, path[1:-1], strict=False):
        parent_keys[lower.key] = [upper.key]
        child_keys[upper.key] = [lower.key]
    parent_keys[node.key] = [p.key for p in parents]
    for parent in parents[1:]:
        child_keys[parent.key] = [node.key]
    if parents:
        # Siblings are gathered over every parent, first parent first; hang them on the first,
        # with the node in its place among that parent's children.
        first = parents[0]
        at = sum(1 for s in siblings if s.of == first.id and _edge_order(s) < _edge_order(first))
        kin = [s.key for s in siblings]
        child_keys[first.key] = [*kin[:at], node.key, *kin[at:]]
    child_keys[node.key] = [c.key for c in children]
    # The file's words for the edges around the node (rows from `node_neighbours` carry them).
    relations = {(p.key, node.key): p.relation for p in parents if getattr(p, "relation", "")}
    relations.update(((node.key, c.key), c.relation) for c in children if getattr(c, "relation", ""))
    if parents:
        relations.update(((parents[0].key, s.key), s.relation) for s in siblings if getattr(s, "relation", ""))
    return ConceptGraph(
        root=path[0].key,
        concepts={k: concept(n) for k, n in near.items()},
        children=child_keys,
        parents=parent_keys,
        relations=relations,
    )


def _edge_order(row) -> tuple[int, int]:
    """Where the edge a neighbour was found by stands among its parent's children."""
    return row.edge_position, row.edge_id


# -- the whole graph ------------------------------------------------------------------------------


def concept_columns(learner: int | None) -> tuple[ColumnElement, ...]:
    """A node's row id, then what a `Concept` is built from (its other attributes apart), the
    notes and mnemonic as `learner` sees them (None: the deck's)."""
    return (
        nodes.c.id,
        nodes.c.key,
        nodes.c.label,
        nodes.c.definition,
        nodes.c.example,
        own_text("notes", learner),
        own_text("mnemonic", learner),
        nodes.c.color,
    )


def load_graph(conn, deck, include_links: bool = True, include_attrs: bool = True) -> ConceptGraph:
    """The deck's live graph, whole, in two queries: for exports that show every node.

    Without `include_links` the graph holds the hierarchy alone; without `include_attrs` its
    concepts leave out the file's other attributes (which cost a JSON decoding per node).
    """
    columns = [*concept_columns(deck.learner_id), *([nodes.c.attrs] if include_attrs else [])]
    concepts: dict[str, Concept] = {}
    key_of: dict[int, str] = {}
    for node_id, key, label, definition, example, notes, mnemonic, color, *attrs in conn.execute(
        select(*columns).where(nodes.c.deck_id == deck.id, nodes.c.retired.is_(False)).order_by(nodes.c.rank)
    ):
        key_of[node_id] = key
        other = (attrs[0] or {}) if include_attrs else {}
        concepts[key] = Concept(key, label, definition, example, notes, mnemonic, color, other)
    children: dict[str, list[str]] = {key: [] for key in concepts}
    parents: dict[str, list[str]] = {key: [] for key in concepts}
    links: list[tuple[str, str, str]] = []
    positions: dict[tuple[str, str], int] = {}
    relations: dict[tuple[str, str], str] = {}
    for parent_id, child_id, kind, position, relation in conn.execute(
        select(edges.c.parent_id, edges.c.child_id, edges.c.kind, edges.c.position, edges.c.relation)
        .where(edges.c.deck_id == deck.id)
        .order_by(edges.c.id)
    ):
        parent, child = key_of.get(parent_id), key_of.get(child_id)
        if parent is None or child is None:
            continue
        if kind == HIERARCHY:
            parents[child].append(parent)
            children[parent].append(child)
            positions[(parent, child)] = position
            if relation:
                relations[(parent, child)] = relation
        elif include_links:
            links.append((parent, child, kind))
    for parent, kids in children.items():
        if len(kids) > 1:
            kids.sort(key=lambda c: positions[(parent, c)])
    return ConceptGraph(
        root=deck.root_key, concepts=concepts, children=children, parents=parents, links=links, relations=relations
    )

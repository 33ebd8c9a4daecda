"""Decks and the nodes in them: finding them by name, a node's path and neighbours, its notes.

Core statements on `srs.storage.tables`; every function takes `conn` (a Connection) and leaves the
transaction to its caller. Rows come back as SQLAlchemy `Row`s whose attributes are the columns;
where a function takes a deck or a node, any object with those columns as attributes will do.
"""

from __future__ import annotations

from sqlalchemy import Row, func, literal, select, update

from srs.core.graph import Concept, ConceptGraph, name_list, path_key
from srs.core.names import did_you_mean
from srs.errors import AmbiguousError, NotFoundError
from srs.storage.scope import HIERARCHY
from srs.storage.tables import decks, edges, nodes

MAX_DEPTH = 10_000
"""How far up a path is followed: deeper than any map, a bound should the hierarchy ever loop."""


# -- decks and nodes by name ------------------------------------------------------------------


def deck_names(conn) -> list[str]:
    return list(conn.scalars(select(decks.c.name).order_by(decks.c.name)))


def find_deck(conn, name: str | None = None) -> Row:
    """The deck called `name` (exactly, else in any case); without a name, the only deck there is."""
    if name is not None:
        deck = conn.execute(select(decks).where(decks.c.name == name)).first()
        if deck is None:
            deck = conn.execute(select(decks).where(func.lower(decks.c.name) == name.lower())).first()
        if deck is None:
            known = deck_names(conn)
            hint = did_you_mean(name, known) or (
                f"; decks: {name_list(known)}" if known else "; there are no decks yet"
            )
            raise NotFoundError(f"no deck named {name!r}{hint}")
        return deck
    found = conn.execute(select(decks).order_by(decks.c.name).limit(2)).all()
    if not found:
        raise NotFoundError("there are no decks yet: import one with `srs import FILE`")
    if len(found) > 1:
        raise AmbiguousError(f"there are several decks, choose one with --deck: {name_list(deck_names(conn))}")
    return found[0]


def node_path(conn, node) -> list[Row]:
    """The nodes from the root down to `node`, along first parents (one recursive query)."""
    first_edge = edges.alias("first_edge")
    up = select(literal(node.id).label("id"), literal(0).label("step")).cte("up", recursive=True)
    up = up.union_all(
        select(edges.c.parent_id, up.c.step + 1)
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
    ids = list(conn.scalars(select(up.c.id).order_by(up.c.step)))
    chain: list[int] = []
    for node_id in ids:  # a cycle (impossible in an imported graph) ends the path where it closes
        if node_id in chain:
            break
        chain.append(node_id)
    found = {n.id: n for n in conn.execute(select(nodes).where(nodes.c.id.in_(chain)))}
    return [found[i] for i in reversed(chain) if i in found]


def path_text(conn, node) -> str:
    return "/".join(n.label for n in node_path(conn, node))


def find_node(conn, deck, name: str) -> Row:
    """The node that `name` means: a node id, a label (any case), or a label path `A/B/C`."""
    live = (nodes.c.deck_id == deck.id, nodes.c.retired.is_(False))
    # A deck without ids keys its nodes by a digest of the label path: a path finds its node so.
    node = conn.execute(select(nodes).where(*live, nodes.c.key.in_((name, path_key(name))))).first()
    if node is not None:
        return node
    matches = conn.execute(select(nodes).where(*live, func.lower(nodes.c.label) == name.lower())).all()
    if not matches and "/" in name:
        matches = _match_path(conn, deck, [part.strip() for part in name.strip("/").split("/")])
    if len(matches) == 1:
        return matches[0]
    if matches:
        paths = [path_text(conn, m) for m in matches]
        raise AmbiguousError(f"{name!r} matches {len(matches)} nodes, give the path: {name_list(paths)}")
    labels = conn.scalars(select(nodes.c.label).where(*live))
    raise NotFoundError(f"no node {name!r} in deck {deck.name!r}{did_you_mean(name, labels)}")


def _match_path(conn, deck, parts: list[str]) -> list[Row]:
    candidates = conn.execute(
        select(nodes).where(
            nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), func.lower(nodes.c.label) == parts[-1].lower()
        )
    ).all()
    wanted = [p.lower() for p in parts]
    return [node for node in candidates if [n.label.lower() for n in node_path(conn, node)][-len(wanted) :] == wanted]


def get_node(conn, node_id: int) -> Row:
    node = conn.execute(select(nodes).where(nodes.c.id == node_id)).first()
    if node is None:
        raise NotFoundError("that concept is no longer in the deck")
    return node


def set_notes(conn, node_id: int, notes: str | None = None, mnemonic: str | None = None) -> None:
    """Change a node's notes or mnemonic (kept across re-imports)."""
    values = {name: value for name, value in (("notes", notes), ("mnemonic", mnemonic)) if value is not None}
    if values and conn.execute(update(nodes).where(nodes.c.id == node_id).values(**values)).rowcount == 0:
        raise NotFoundError("that concept is no longer in the deck")


# -- a node's neighbours -------------------------------------------------------------------------


def node_neighbours(conn, node) -> tuple[list[Row], list[Row], list[Row]]:
    """(parents, siblings, children) of a node among the live nodes of its deck."""

    def linked(through, to, order) -> list[Row]:
        """The nodes at the `through` end of the hierarchy edges whose other end is `to`."""
        return conn.execute(
            select(nodes).join(edges, through == nodes.c.id).where(to, edges.c.kind == HIERARCHY).order_by(order)
        ).all()

    parents = linked(edges.c.parent_id, edges.c.child_id == node.id, edges.c.id)
    children = linked(edges.c.child_id, edges.c.parent_id == node.id, edges.c.position)
    siblings: list[Row] = []
    seen = {node.id}
    for parent in parents:
        for sibling in linked(edges.c.child_id, edges.c.parent_id == parent.id, edges.c.position):
            if sibling.id not in seen:
                seen.add(sibling.id)
                siblings.append(sibling)
    return parents, siblings, children


def concept(node) -> Concept:
    """A stored node (a row or an ORM object) as the core's concept."""
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
    path = node_path(conn, node)
    parents, siblings, children = node_neighbours(conn, node)
    around = {n.key: n for n in [*path, *parents, *siblings, *children]}
    parent_keys: dict[str, list[str]] = {key: [] for key in around}
    child_keys: dict[str, list[str]] = {key: [] for key in around}
    for upper, lower in zip(path, path[1:-1], strict=False):
        parent_keys[lower.key] = [upper.key]
        child_keys[upper.key] = [lower.key]
    parent_keys[node.key] = [p.key for p in parents]
    for i, parent in enumerate(parents):
        # Siblings are gathered over every parent, first parent first; hang them on the first.
        child_keys[parent.key] = [node.key, *(s.key for s in siblings)] if i == 0 else [node.key]
    child_keys[node.key] = [c.key for c in children]
    return ConceptGraph(
        root=path[0].key, concepts={k: concept(n) for k, n in around.items()}, children=child_keys, parents=parent_keys
    )

"""A deck's map: its live hierarchy with each branch's due, new and learned counts and mastery.

Core statements on `srs.storage.tables`; `deck_tree` takes `conn` (a Connection) and any deck
with the columns as attributes (a Core row will do).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection, and_, func, select

from srs.bulk import collector_paused
from srs.storage.scope import HIERARCHY, asked_today, is_new, mastery_sql, unburied
from srs.storage.tables import cards, edges, nodes


@dataclass
class BranchCounts:
    """Per node of the tree: counts over the node and everything below it."""

    due: int = 0
    new: int = 0
    learned: int = 0
    """Cards that have been reviewed at least once."""
    cards: int = 0
    nodes: int = 0
    """Live nodes in the branch, itself included."""
    mastery_sum: float = 0.0
    """The sum over those nodes of each node's own mastery."""
    own_mastery: float = 0.0
    """The node's own mastery: the mean over its cards (see `srs.core.mastery`)."""

    @property
    def mastery(self) -> float:
        """The branch's mastery: the mean over its nodes of their own mastery."""
        return self.mastery_sum / self.nodes if self.nodes else 0.0


@dataclass
class TreeNode:
    """One node of the map, with the counts of its branch (its own, before `roll_up`)."""

    id: int
    key: str
    label: str
    color: str | None
    children: list[int]
    counts: BranchCounts


def roll_up(tree: dict[int, TreeNode]) -> None:
    """Turn each node's own counts into its branch's, counting every node below it once.

    Where a node's branch holds no shared node (one with two parents), its children's branches
    are apart and their totals add up, bottom-up. A node above a shared one walks its branch
    instead, counting each node once and taking the total of each apart branch it reaches whole.
    """
    first_parent: dict[int, int] = {}
    more_parents: dict[int, list[int]] = {}  # of the shared nodes only: most decks have none
    for nid, node in tree.items():
        for child in node.children:
            parent = first_parent.setdefault(child, nid)
            if parent != nid and nid not in more_parents.setdefault(child, []):
                more_parents[child].append(nid)
    above_shared: set[int] = set()
    todo = list(more_parents)
    while todo:
        below = todo.pop()
        for parent in (first_parent.get(below), *more_parents.get(below, ())):
            if parent is not None and parent not in above_shared:
                above_shared.add(parent)
                todo.append(parent)
    for nid in _children_first(tree):
        node = tree[nid]
        if node.children and nid not in above_shared:
            total = node.counts
            for child in node.children:
                _add(total, tree[child].counts)
    own = {nid: replace(tree[nid].counts) for nid in above_shared}
    for nid in above_shared:
        total = replace(own[nid])
        seen = {nid}
        todo = list(tree[nid].children)
        while todo:
            below = todo.pop()
            if below not in seen:
                seen.add(below)
                _add(total, own.get(below, tree[below].counts))
                if below in above_shared:
                    todo.extend(tree[below].children)
        tree[nid].counts = total


def _children_first(tree: dict[int, TreeNode]) -> list[int]:
    """The node ids, each after all its children: the reverse of rank order where that has
    parents first (every deck imported since ranks became topological), else a post-order walk."""
    place = {nid: i for i, nid in enumerate(tree)}
    if all(place[child] > i for i, node in enumerate(tree.values()) for child in node.children):
        return list(reversed(place))
    order: list[int] = []
    entered: set[int] = set()
    for start in tree:
        if start in entered:
            continue
        entered.add(start)
        stack = [(start, iter(tree[start].children))]
        while stack:
            nid, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(nid)
            elif child not in entered:  # `entered` also ends a loop, which an import never makes
                entered.add(child)
                stack.append((child, iter(tree[child].children)))
    return order


def _add(total: BranchCounts, part: BranchCounts) -> None:
    total.due += part.due
    total.new += part.new
    total.learned += part.learned
    total.cards += part.cards
    total.nodes += part.nodes
    total.mastery_sum += part.mastery_sum


# bench_core map, 100k nodes: 0.78 s with the collector paused, 1.19 s with it running.
@collector_paused()
def deck_tree(conn: Connection, deck, today: date) -> tuple[int | None, dict[int, TreeNode]]:
    """The live hierarchy of a deck with due / new / learned counts rolled up each branch.

    A node with two parents shows under both, and counts once in any branch above it. A
    branch's due cards are those a session on it would bring today before new ones: cards due
    today or overdue, and cards answered below 4 earlier today (they come back the same day);
    suspended cards and cards buried today count in neither due nor new.
    Two queries, whatever the deck's size: one for nodes with their card counts, one for edges.
    """
    rows = conn.execute(
        select(
            nodes.c.id,
            nodes.c.key,
            nodes.c.label,
            nodes.c.color,
            func.count(cards.c.id).filter(and_(asked_today(today), cards.c.suspended.is_(False), unburied(today))),
            func.count(cards.c.id).filter(and_(is_new(), cards.c.suspended.is_(False), unburied(today))),
            # Mastery is the node's own cards': a card about it and another node is counted as
            # work (due, new) but colours neither.
            func.count(cards.c.id).filter(cards.c.reviews > 0, cards.c.partner_id.is_(None)),
            func.count(cards.c.id).filter(cards.c.partner_id.is_(None)),
            func.coalesce(func.sum(mastery_sql()).filter(cards.c.partner_id.is_(None)), 0.0),
        )
        .outerjoin(
            cards,
            and_(cards.c.node_id == nodes.c.id, cards.c.learner_id == deck.learner_id, cards.c.retired.is_(False)),
        )
        .where(nodes.c.deck_id == deck.id, nodes.c.retired.is_(False))
        .group_by(nodes.c.id)
        .order_by(nodes.c.rank)
    ).all()
    tree: dict[int, TreeNode] = {}
    root = None
    for node_id, key, label, color, due, new, learned, count, mastery in rows:
        own_mastery = float(mastery) / count if count else 0.0
        own = BranchCounts(due, new, learned, count, 1, own_mastery, own_mastery)
        tree[node_id] = TreeNode(node_id, key, label, color, [], own)
        if key == deck.root_key:
            root = node_id
    for parent_id, child_id in conn.execute(
        select(edges.c.parent_id, edges.c.child_id)
        .where(edges.c.deck_id == deck.id, edges.c.kind == HIERARCHY)
        .order_by(edges.c.parent_id, edges.c.position)
    ):
        if parent_id in tree and child_id in tree:
            tree[parent_id].children.append(child_id)
    roll_up(tree)
    return root, tree


def map_top(conn: Connection, deck) -> tuple[int | None, dict[int, TreeNode], int]:
    """The top of a deck's map without its counts: the root and its children, each with its
    own children's ids and zero counts; and how many nodes the deck holds, retired ones included
    (read from an index alone). A few small statements, whatever the deck's size.
    """
    size = conn.execute(select(func.count()).select_from(nodes).where(nodes.c.deck_id == deck.id)).scalar_one()
    row = conn.execute(
        select(nodes.c.id, nodes.c.key, nodes.c.label, nodes.c.color).where(
            nodes.c.deck_id == deck.id, nodes.c.retired.is_(False), nodes.c.key == deck.root_key
        )
    ).first()
    if row is None:
        return None, {}, size
    root = TreeNode(row.id, row.key, row.label, row.color, [], BranchCounts())
    root.children = _live_children(conn, [root.id])[root.id]
    tree = {root.id: root}
    branches = [nid for nid in dict.fromkeys(root.children) if nid != root.id]
    for row in conn.execute(
        select(nodes.c.id, nodes.c.key, nodes.c.label, nodes.c.color).where(nodes.c.id.in_(branches))
    ):
        tree[row.id] = TreeNode(row.id, row.key, row.label, row.color, [], BranchCounts())
    for parent_id, children in _live_children(conn, branches).items():
        tree[parent_id].children = children
    return root.id, tree, size


def _live_children(conn: Connection, parent_ids: list[int]) -> dict[int, list[int]]:
    """Each parent's live children in the map's order, as `deck_tree` lists them."""
    child = nodes.alias("child")
    out: dict[int, list[int]] = {nid: [] for nid in parent_ids}
    for parent_id, child_id in conn.execute(
        select(edges.c.parent_id, edges.c.child_id)
        .join(child, child.c.id == edges.c.child_id)
        # No deck_id condition: SQLite would walk the deck's edges by it instead of the parents'.
        .where(edges.c.parent_id.in_(parent_ids), edges.c.kind == HIERARCHY, child.c.retired.is_(False))
        .order_by(edges.c.parent_id, edges.c.position)
    ):
        out[parent_id].append(child_id)
    return out

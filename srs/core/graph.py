"""A concept graph: concepts, the parent->child hierarchy between them, and other links.

An edge's kind says whether it is part of the hierarchy and which way it points: parent ->
child (`contains`, `has-part`, `narrower`, ...; an edge without a kind too) or child -> parent
(`is-a`, `part-of`, `broader`, ...); any other kind makes a plain link.

`assemble` turns what a deck file holds (concepts and raw edges) into a validated
`ConceptGraph`: one root, no cycle in the hierarchy, every edge between known concepts. It is
pure: the file readers in `srs.readers` call it, and so do the tests, with plain values.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from srs.errors import GraphError

HIERARCHY_KINDS = frozenset(
    {"", "hierarchy", "child", "children", "contains", "has-part", "has part", "subtopic", "subclass", "narrower"}
)
"""Edge kinds that mean parent->child (matched in any case); see `UPWARD_KINDS` for the others."""

UPWARD_KINDS = frozenset(
    {
        *("is-a", "is_a", "isa", "is a"),
        *("subclass-of", "subclass_of", "subclassof", "subclass of"),
        *("instance-of", "instance_of", "instanceof", "instance of"),
        *("part-of", "part_of", "partof", "part of"),
        "broader",
    }
)
"""Edge kinds that mean child->parent (in any case): an edge source -> target of one of these
kinds says that target is the parent. An edge of any kind in neither set is a plain link."""


@dataclass(frozen=True)
class EdgeKinds:
    """Which edge kinds make the hierarchy, and which way each points (kinds in lower case)."""

    down: frozenset[str] = HIERARCHY_KINDS
    """Kinds read as parent -> child."""
    up: frozenset[str] = UPWARD_KINDS
    """Kinds read as child -> parent."""

    def adding(self, down: Iterable[str] = (), up: Iterable[str] = ()) -> EdgeKinds:
        """These kinds and more: `down` read as parent -> child, `up` as child -> parent, each
        in place of the direction a built-in kind of that name has."""
        more_down = {kind.strip().lower() for kind in down}
        more_up = {kind.strip().lower() for kind in up}
        both = more_down & more_up
        if both:
            raise GraphError(f"the edge kind {min(both)!r} cannot point both down and up the hierarchy")
        return EdgeKinds((self.down - more_up) | more_down, (self.up - more_down) | more_up)


DEFAULT_KINDS = EdgeKinds()

LIST_LIMIT = 8
"""How many names an error message lists before it says how many more there are."""


_NO_ATTRS: Mapping[str, str] = MappingProxyType({})


class Concept(NamedTuple):
    """One node of the graph, as the deck file describes it.

    A named tuple rather than a frozen dataclass: as immutable, and a large deck makes 100k of
    them on every import and export, at a sixth of the cost each.
    """

    key: str
    """The node's stable identity: the file's node id, or the label path where there is none."""
    label: str
    definition: str = ""
    example: str = ""
    notes: str = ""
    mnemonic: str = ""
    color: str | None = None
    """The node's colour in the file, as `#rrggbb`."""
    attrs: Mapping[str, str] = _NO_ATTRS
    """Attributes the program has no use for, kept so an export can write them back."""


class RawEdge(NamedTuple):
    """An edge as a file states it, before the hierarchy is worked out (a named tuple, like
    `Concept`: a file holds as many)."""

    source: str
    target: str
    kind: str = ""
    directed: bool = True
    parent_first: bool = False
    """The reader knows that `source` is the parent (a `parent,child` CSV header), whatever the
    kind says; else a child -> parent kind turns the edge round."""


@dataclass
class ConceptGraph:
    """A validated concept graph with a single root."""

    root: str
    concepts: dict[str, Concept]
    children: dict[str, list[str]]
    parents: dict[str, list[str]]
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """Edges outside the hierarchy: (source key, target key, kind)."""
    relations: dict[tuple[str, str], str] = field(default_factory=dict)
    """The file's word for a hierarchy edge (`is-a`, `part-of`, ...), by (parent key, child
    key); an edge the file gave no kind is not in it."""

    def relation(self, parent: str, child: str) -> str:
        """What the file called the edge from `parent` to `child`: its kind, or ''."""
        return self.relations.get((parent, child), "")

    def __post_init__(self) -> None:
        self._depth: dict[str, int] | None = None
        self._order: list[str] | None = None

    def __len__(self) -> int:
        return len(self.concepts)

    def label(self, key: str) -> str:
        return self.concepts[key].label

    def depths(self) -> dict[str, int]:
        """Each node's depth (the root is 0), in breadth-first, parents-first order."""
        if self._depth is None:
            self._depth = breadth_first(self.root, self.children)
        return self._depth

    def parents_first(self) -> list[str]:
        """Every key, each after all of its parents: the order new cards are introduced in.

        Breadth-first with siblings in file order wherever that already puts every node after
        its parents (a tree always), so the order a deck had stays; see `parents_first`."""
        if self._order is None:
            self._order = parents_first(self.depths(), self.parents)
        return self._order

    def subtree(self, key: str) -> list[str]:
        """The keys of `key` and all its descendants, breadth-first from `key`."""
        return list(breadth_first(key, self.children))

    def path(self, key: str) -> list[str]:
        """The keys from the root down to `key`, following each node's first parent."""
        keys = [key]
        while self.parents.get(keys[-1]):
            keys.append(self.parents[keys[-1]][0])
        return keys[::-1]

    def siblings(self, key: str) -> list[str]:
        """The other children of every parent of `key`, first parent's first, without repeats."""
        seen = {key}
        out: list[str] = []
        for parent in self.parents.get(key, ()):
            for sibling in self.children[parent]:
                if sibling not in seen:
                    seen.add(sibling)
                    out.append(sibling)
        return out


def breadth_first(start: str, children: Mapping[str, list[str]]) -> dict[str, int]:
    """Keys reachable from `start` mapped to their depth below it, in breadth-first order."""
    depth = {start: 0}
    todo = deque([start])
    while todo:
        key = todo.popleft()
        for child in children.get(key, ()):
            if child not in depth:
                depth[child] = depth[key] + 1
                todo.append(child)
    return depth


def parents_first(walk: Iterable[str], parents: Mapping[str, list[str]]) -> list[str]:
    """The keys of `walk` in a topological order: each after every one of its parents in `walk`.

    Of all such orders, the one closest to `walk`: a node is taken as soon as its last parent
    is, and among the nodes whose parents are all taken, the one that comes first in `walk`. So
    where `walk` already is topological it comes back unchanged. Kahn's algorithm by hand,
    because networkx is not a dependency of the program, and its `topological_sort` breaks ties
    in an order of its own rather than the walk's.
    """
    order = list(walk)
    place = {key: i for i, key in enumerate(order)}
    if all(place[p] < place[key] for key in order for p in parents.get(key, ()) if p in place):
        return order  # the usual case: a tree, or a graph whose walk already has parents first
    waiting = {key: sum(1 for p in parents.get(key, ()) if p in place) for key in order}
    children: dict[str, list[str]] = {key: [] for key in order}
    for key in order:
        for parent in parents.get(key, ()):
            if parent in place:
                children[parent].append(key)
    ready = [place[key] for key in order if waiting[key] == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        key = order[heapq.heappop(ready)]
        out.append(key)
        for child in children[key]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, place[child])
    if len(out) < len(order):  # assemble refuses a cycle; this guards a graph built another way
        raise GraphError("the hierarchy has a cycle", tuple(k for k in order if waiting[k]))
    return out


PATH_KEY_DIGITS = 32
"""Hex digits of a path key: 128 bits, so that no two label paths share a key in practice."""


N = TypeVar("N", bound=Hashable)
"""A node of an outline: a key, an id, whatever `children` maps."""


def outline(start: N, children: Mapping[N, Sequence[N]], max_depth: int | None = None) -> list[tuple[N, int, bool]]:
    """The hierarchy below `start` as an outline: (node, level, listed) in depth-first order,
    children in their order. `listed` says whether the node's children are within `max_depth`
    (and so follow it). A node met again on its own path (a cycle) is not followed. A loop, not
    recursion: a map may be thousands of levels deep."""
    rows: list[tuple[N, int, bool]] = []
    on_path: set[N] = set()
    stack: list[tuple[N, int, bool]] = [(start, 0, False)]
    while stack:
        node, level, leaving = stack.pop()
        if leaving:
            on_path.discard(node)
            continue
        listed = max_depth is None or level < max_depth
        rows.append((node, level, listed))
        if listed:
            on_path.add(node)
            stack.append((node, level, True))
            stack.extend((child, level + 1, False) for child in reversed(children[node]) if child not in on_path)
    return rows


def path_key(path: str) -> str:
    """The key of a node known only by its label path (`A/B/C`): a digest of the path, as short
    at any depth (the path itself is the labels along the node's first parents)."""
    return hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:PATH_KEY_DIGITS]


def path_digests(
    labels: Mapping[str, str],
    first_parent: Callable[[str], str | None],
    start: str = "",
    top: Callable[[str], str] | None = None,
    fold: bool = False,
) -> dict[str, bytes]:
    """The SHA-256 of `start` followed by each node's path text, by key, without building the texts.

    A node's path text is its first parent's, a slash and its label (`A/B/C`, case-folded with
    `fold`); a node without a parent in `labels` (or on a loop of first parents) starts with
    `top(key)`, its label by default. Each digest goes on from its parent's, so a chain of n
    nodes costs n steps rather than n² characters, and nothing here recurses.
    """
    begin = hashlib.sha256(start.encode("utf-8", "surrogatepass"))
    state: dict[str, hashlib._Hash] = {}
    for key in labels:
        if key in state:
            continue
        parent = first_parent(key)
        above = state.get(parent) if parent is not None else None
        if above is not None:  # the usual case, nodes coming parents-first: one step
            above = above.copy()
            above.update(f"/{labels[key].casefold() if fold else labels[key]}".encode("utf-8", "surrogatepass"))
            state[key] = above
            continue
        climb, seen = [key], {key}
        while True:
            parent = first_parent(climb[-1])
            if parent is None or parent not in labels or parent in seen:
                break
            if parent in state:
                above = state[parent]
                break
            climb.append(parent)
            seen.add(parent)
        for item in reversed(climb):
            label = labels[item].casefold() if fold else labels[item]
            if above is None:
                above = begin.copy()
                above.update((top(item) if top is not None else label).encode("utf-8", "surrogatepass"))
            else:
                above = above.copy()
                above.update(f"/{label}".encode("utf-8", "surrogatepass"))
            state[item] = above
    return {key: digest.digest() for key, digest in state.items()}


def first_parent_of(graph: ConceptGraph) -> Callable[[str], str | None]:
    """A function giving a node's first parent in `graph` (None for the root)."""
    parents = graph.parents
    return lambda key: parents[key][0] if parents.get(key) else None


def path_keys(graph: ConceptGraph) -> dict[str, str]:
    """Each node's key by label path (see `path_key`), by its key in `graph`."""
    labels = {key: concept.label for key, concept in graph.concepts.items()}
    return {key: digest.hex()[:PATH_KEY_DIGITS] for key, digest in path_digests(labels, first_parent_of(graph)).items()}


def name_list(names: Iterable[str], limit: int = LIST_LIMIT) -> str:
    """`a, b, c` or `a, b, … and 12 more` for an error message."""
    names = list(names)
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def assemble(
    concepts: Iterable[Concept], edges: Iterable[RawEdge], root: str | None = None, kinds: EdgeKinds = DEFAULT_KINDS
) -> ConceptGraph:
    """Validate concepts and edges into a `ConceptGraph`, raising `GraphError` on what cannot be learned.

    `root` (a key or a unique label) picks the root; the nodes outside its subtree are left out.
    Without it the root is the one node that has no parent. `kinds` says which edge kinds make
    the hierarchy, and which way each points.
    """
    nodes: dict[str, Concept] = {}
    for concept in concepts:
        if concept.key in nodes:
            raise GraphError(f"node id {concept.key!r} appears more than once", (concept.key,))
        nodes[concept.key] = concept
    if not nodes:
        raise GraphError("the graph has no nodes")

    directed: list[tuple[str, str]] = []
    undirected: list[tuple[str, str]] = []
    links: list[tuple[str, str, str]] = []
    relations: dict[tuple[str, str], str] = {}
    down, up = kinds.down, kinds.up
    for number, (source, target, kind, is_directed, parent_first) in enumerate(edges, 1):
        if source not in nodes or target not in nodes:
            end = source if source not in nodes else target
            raise GraphError(f"edge {number} ({source} -> {target}) names no node {end!r}", (source, target))
        if kind:  # most edges have no kind: the hierarchy, parent -> child
            word = kind.strip().lower()
            if word in up:
                if not parent_first:
                    source, target = target, source
                # The word says which end is the parent, in a directed graph or not.
                is_directed = True
            elif word not in down:
                links.append((source, target, kind))
                continue
            if word:
                relations.setdefault((source, target), kind.strip())
        if source == target:
            raise GraphError(f"the hierarchy has a cycle: {nodes[source].label!r} is its own parent", (source,))
        elif is_directed:
            directed.append((source, target))
        else:
            undirected.append((source, target))
    if not directed and not undirected and links and len(nodes) > 1:
        raise GraphError(no_hierarchy(links))

    root_key = _find_key(root, nodes) if root is not None else None
    if undirected:
        if root_key is None:
            root_key = _guess_undirected_root(nodes, directed, undirected)
        directed, more_links = _orient(root_key, directed, undirected)
        links.extend(more_links)
        for parent, child in directed:  # an undirected edge's word goes with the way it was turned
            if (parent, child) not in relations and (child, parent) in relations:
                relations[(parent, child)] = relations.pop((child, parent))

    children: dict[str, list[str]] = {key: [] for key in nodes}
    parents: dict[str, list[str]] = {key: [] for key in nodes}
    for parent, child in directed:
        if child not in children[parent]:
            children[parent].append(child)
            parents[child].append(parent)

    orphans = [key for key in nodes if not parents[key]]
    # One node without a parent that reaches every other, each with one parent at most: a tree,
    # which has no cycle to look for (the usual case, and the walk serves below as well).
    walk = breadth_first(orphans[0], children) if len(orphans) == 1 else None
    tree = walk is not None and len(walk) == len(nodes) and all(len(p) < 2 for p in parents.values())
    cycle = [] if tree else find_cycle(nodes, children)
    if cycle:
        labels = " -> ".join(nodes[k].label for k in cycle)
        raise GraphError(f"the hierarchy has a cycle: {labels}", tuple(cycle[:-1]))

    if root_key is None:
        if len(orphans) > 1:
            raise GraphError(
                f"{len(orphans)} nodes have no parent, so the root is unclear "
                f"(choose one with --root): {name_list(nodes[k].label for k in orphans)}",
                tuple(orphans),
            )
        root_key = orphans[0]

    keep = walk if walk is not None and root_key == orphans[0] else breadth_first(root_key, children)
    if len(keep) < len(nodes):
        nodes = {key: nodes[key] for key in nodes if key in keep}
        children = {key: children[key] for key in nodes}
        parents = {key: [p for p in parents[key] if p in keep] for key in nodes}
        links = [link for link in links if link[0] in keep and link[1] in keep]
    parents[root_key] = []
    if relations:
        # Only the edges the hierarchy kept: not those left out with --root, or turned into links.
        relations = {pair: word for pair, word in relations.items() if pair[0] in parents.get(pair[1], ())}
    graph = ConceptGraph(
        root=root_key, concepts=nodes, children=children, parents=parents, links=links, relations=relations
    )
    graph._depth = keep  # the walk from the root that chose the nodes is the graph's breadth-first order
    return graph


def no_hierarchy(links: Iterable[tuple[str, str, str]]) -> str:
    """What an import says of a graph none of whose edges make the hierarchy: the kinds it read
    as plain links, with how many of each, and how to name the ones that make it."""
    counts = Counter(kind.strip() for _source, _target, kind in links)
    listed = [f"{kind!r} ({count})" for kind, count in counts.most_common(LIST_LIMIT)]
    if len(counts) > LIST_LIMIT:
        listed.append(f"{len(counts) - LIST_LIMIT} more")
    return (
        f"no edge makes a hierarchy: every edge's kind was read as a plain link ({', '.join(listed)}); "
        "name the kinds that point from parent to child with --hierarchy KIND, or from child to parent "
        "with --hierarchy-up KIND"
    )


def find_cycle(nodes: Iterable[str], children: Mapping[str, list[str]]) -> list[str]:
    """The keys along one cycle of `children` (first key repeated at the end), or [] if none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in nodes:
        if start in state:
            continue
        path = [start]
        iters = [iter(children.get(start, ()))]
        state[start] = 1
        while iters:
            child = next(iters[-1], None)
            if child is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif child not in state:
                state[child] = 1
                path.append(child)
                iters.append(iter(children.get(child, ())))
    return []


def _find_key(name: str, nodes: Mapping[str, Concept]) -> str:
    if name in nodes:
        return name
    matches = [key for key, c in nodes.items() if c.label.casefold() == name.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise GraphError(f"--root {name!r} matches several nodes: {name_list(matches)}")
    raise GraphError(f"--root {name!r} is neither a node id nor a label in the file")


def _guess_undirected_root(nodes, directed, undirected) -> str:
    has_parent = {child for _, child in directed}
    degree: dict[str, int] = {}
    for a, b in [*directed, *undirected]:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    candidates = [key for key in nodes if key not in has_parent]
    if len(candidates) == 1:
        return candidates[0]
    best = max(candidates, key=lambda k: degree.get(k, 0))
    raise GraphError(
        f"the graph's edges are undirected, so its root is unclear: choose it with --root "
        f"(the best-connected node is {nodes[best].label!r})"
    )


def _orient(root: str, directed, undirected):
    """Point undirected edges away from `root`; edges between nodes at equal depth become links."""
    around: dict[str, list[str]] = {}
    for a, b in [*directed, *undirected]:
        around.setdefault(a, []).append(b)
        around.setdefault(b, []).append(a)
    depth = breadth_first(root, around)
    oriented = list(directed)
    links = []
    for a, b in undirected:
        da, db = depth.get(a), depth.get(b)
        if da is None or db is None:
            continue  # outside the root's component: dropped with it
        if da < db:
            oriented.append((a, b))
        elif db < da:
            oriented.append((b, a))
        else:
            links.append((a, b, "related"))
    return oriented, links

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from srs.core.graph import Concept, RawEdge, assemble, find_cycle
from srs.errors import GraphError


def concepts(*keys):
    return [Concept(key=k, label=k.title()) for k in keys]


def test_a_tree_has_its_parentless_node_as_root_and_breadth_first_depths():
    graph = assemble(
        concepts("r", "a", "b", "a1", "a2"),
        [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "a1"), RawEdge("a", "a2")],
    )
    assert graph.root == "r"
    assert graph.depths() == {"r": 0, "a": 1, "b": 1, "a1": 2, "a2": 2}
    assert list(graph.depths()) == ["r", "a", "b", "a1", "a2"]
    assert graph.path("a2") == ["r", "a", "a2"]
    assert graph.siblings("a1") == ["a2"]
    assert graph.subtree("a") == ["a", "a1", "a2"]


def test_a_node_with_two_parents_is_one_node_under_both():
    graph = assemble(
        concepts("r", "a", "b", "x"), [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "x"), RawEdge("b", "x")]
    )
    assert graph.parents["x"] == ["a", "b"]
    assert graph.path("x") == ["r", "a", "x"]
    assert "x" in graph.subtree("b")
    assert len(graph) == 4


def test_a_cycle_is_reported_with_its_nodes():
    with pytest.raises(GraphError, match="cycle: A -> B -> C -> A"):
        assemble(
            concepts("r", "a", "b", "c"), [RawEdge("r", "a"), RawEdge("a", "b"), RawEdge("b", "c"), RawEdge("c", "a")]
        )
    with pytest.raises(GraphError, match="'A' is its own parent"):
        assemble(concepts("a"), [RawEdge("a", "a")])
    # Every node with one parent at most, but a loop apart from the root's tree.
    with pytest.raises(GraphError, match="cycle: C -> D -> C"):
        assemble(concepts("r", "a", "c", "d"), [RawEdge("r", "a"), RawEdge("c", "d"), RawEdge("d", "c")])
    with pytest.raises(GraphError, match="cycle: C -> D -> C"):
        assemble(concepts("r", "a", "c", "d"), [RawEdge("r", "a"), RawEdge("c", "d"), RawEdge("d", "c")], root="a")


def test_a_root_chosen_below_the_top_keeps_its_subtree_in_breadth_first_order():
    edges = [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "a1"), RawEdge("a", "a2"), RawEdge("a1", "x")]
    graph = assemble(concepts("r", "a", "b", "a1", "a2", "x"), edges, root="a")
    assert graph.root == "a" and graph.parents["a"] == []
    assert graph.depths() == {"a": 0, "a1": 1, "a2": 1, "x": 2}


def test_several_roots_are_listed():
    with pytest.raises(GraphError, match=r"3 nodes have no parent.*'A', 'B', 'C'"):
        assemble(concepts("a", "b", "c"), [])


def test_root_option_picks_a_subtree_by_id_or_label():
    cs = concepts("r", "a", "b", "a1")
    edges = [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("a", "a1")]
    graph = assemble(cs, edges, root="A")
    assert graph.root == "a" and set(graph.concepts) == {"a", "a1"}
    assert graph.parents["a"] == []
    with pytest.raises(GraphError, match="neither a node id nor a label"):
        assemble(cs, edges, root="zzz")


def test_duplicate_ids_and_dangling_edges_are_errors():
    with pytest.raises(GraphError, match="node id 'a' appears more than once"):
        assemble(concepts("a", "a"), [])
    with pytest.raises(GraphError, match=r"edge 2 \(r -> ghost\) names no node 'ghost'"):
        assemble(concepts("r", "a"), [RawEdge("r", "a"), RawEdge("r", "ghost")])
    with pytest.raises(GraphError, match="no nodes"):
        assemble([], [])


def test_undirected_edges_are_oriented_away_from_the_root():
    edges = [
        RawEdge("a", "r", directed=False),
        RawEdge("a1", "a", directed=False),
        RawEdge("b", "r", directed=False),
        RawEdge("a", "b", directed=False),
    ]
    graph = assemble(concepts("r", "a", "b", "a1"), edges, root="r")
    assert graph.children["r"] == ["a", "b"]
    assert graph.children["a"] == ["a1"]
    # a and b sit at the same depth: their edge is a plain link, not hierarchy.
    assert graph.links == [("a", "b", "related")]


def test_undirected_graph_without_root_names_the_best_connected_node():
    edges = [RawEdge("hub", x, directed=False) for x in ("a", "b", "c")]
    with pytest.raises(GraphError, match="choose it with --root.*'Hub'"):
        assemble(concepts("hub", "a", "b", "c"), edges)


def test_edges_of_another_kind_are_links_outside_the_hierarchy():
    edges = [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("b", "a", kind="see also")]
    graph = assemble(concepts("r", "a", "b"), edges)
    assert graph.parents["a"] == ["r"]
    assert graph.links == [("b", "a", "see also")]


def test_find_cycle_handles_deep_chains_without_recursion():
    n = 50_000
    children = {str(i): [str(i + 1)] for i in range(n)}
    assert find_cycle(children, children) == []
    children[str(n)] = ["0"]
    assert len(find_cycle(children, children)) == n + 2


@given(
    st.integers(1, 7).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12))
    )
)
def test_a_graph_is_refused_for_a_cycle_exactly_when_networkx_finds_one(case):
    n, pairs = case
    keys = [f"k{i}" for i in range(n)]
    edges = [RawEdge(keys[a], keys[b]) for a, b in pairs]
    reference = nx.DiGraph()
    reference.add_nodes_from(keys)
    reference.add_edges_from((e.source, e.target) for e in edges)
    try:
        graph = assemble(concepts(*keys), edges)
    except GraphError as exc:
        assert ("cycle" in str(exc)) == (not nx.is_directed_acyclic_graph(reference))
        if "cycle" not in str(exc):
            assert "no parent" in str(exc)
            assert sum(1 for k in keys if reference.in_degree(k) == 0) > 1
        return
    assert nx.is_directed_acyclic_graph(reference)
    assert sorted(graph.depths()) == sorted(keys)  # the one root reaches every node
    assert all(graph.depths()[k] == nx.shortest_path_length(reference, graph.root, k) for k in keys)


def test_parents_first_puts_a_child_after_its_deeper_parent():
    # X is one step below A but two below B: breadth-first would give root, A, B, X, C.
    graph = assemble(
        concepts("root", "a", "b", "c", "x"),
        [RawEdge("root", "a"), RawEdge("root", "b"), RawEdge("b", "c"), RawEdge("a", "x"), RawEdge("c", "x")],
    )
    assert list(graph.depths()) == ["root", "a", "b", "x", "c"]
    assert graph.parents_first() == ["root", "a", "b", "c", "x"]


def test_parents_first_keeps_breadth_first_order_where_it_already_has_parents_first():
    tree = assemble(
        concepts("r", "a", "b", "a1", "a2", "b1"),
        [RawEdge("r", "b"), RawEdge("r", "a"), RawEdge("a", "a2"), RawEdge("a", "a1"), RawEdge("b", "b1")],
    )
    assert tree.parents_first() == ["r", "b", "a", "b1", "a2", "a1"]  # siblings in file order
    shared = assemble(
        concepts("r", "a", "b", "x", "y"),
        [RawEdge("r", "a"), RawEdge("r", "b"), RawEdge("b", "x"), RawEdge("a", "y"), RawEdge("b", "y")],
    )
    assert shared.parents_first() == list(shared.depths()) == ["r", "a", "b", "y", "x"]


def random_dag(draw):
    """A connected DAG under root k0: each other node has parents among the nodes before it,
    written to the file in a shuffled node and edge order."""
    n = draw(st.integers(1, 12))
    edges = []
    for i in range(1, n):
        parents = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3, unique=True))
        edges.extend(RawEdge(f"k{p}", f"k{i}") for p in parents)
    keys = draw(st.permutations([f"k{i}" for i in range(n)]))
    return concepts(*keys), draw(st.permutations(edges))


@given(st.composite(random_dag)())
def test_parents_first_on_random_dags_puts_every_node_after_all_its_parents(case):
    nodes, edges = case
    graph = assemble(nodes, edges)
    order = graph.parents_first()
    place = {key: i for i, key in enumerate(order)}
    assert sorted(order) == sorted(n.key for n in nodes)
    reference = nx.DiGraph((e.source, e.target) for e in edges)
    reference.add_nodes_from(n.key for n in nodes)
    for key in order:
        assert all(place[parent] < place[key] for parent in reference.predecessors(key))
        assert all(place[above] < place[key] for above in nx.ancestors(reference, key))
    walk = list(graph.depths())
    if all(walk.index(p) < walk.index(k) for k in walk for p in graph.parents[k]):
        assert order == walk

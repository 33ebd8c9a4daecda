"""Branch totals over random hierarchies that share nodes: each node below a branch counts once."""

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from srs.storage.tree import BranchCounts, TreeNode, roll_up


@st.composite
def hierarchies(draw):
    """A DAG under node 0, each other node with one to three parents before it, and a card count each."""
    n = draw(st.integers(1, 12))
    parents = {i: draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3, unique=True)) for i in range(1, n)}
    cards = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))  # the order the nodes are read in
    return n, parents, cards, order


@given(hierarchies())
def test_each_branch_totals_its_distinct_nodes(case):
    n, parents, cards, order = case
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    reference.add_edges_from((p, c) for c, ps in parents.items() for p in ps)
    nodes = {}
    for i in order:
        own = BranchCounts(new=cards[i], cards=cards[i], nodes=1, mastery_sum=cards[i] / 4)
        nodes[i] = TreeNode(i, str(i), str(i), None, sorted(reference.successors(i)), own)
    roll_up(nodes)
    for i in range(n):
        branch = {i, *nx.descendants(reference, i)}
        counts = nodes[i].counts
        assert (counts.nodes, counts.cards, counts.new) == (
            len(branch),
            sum(cards[k] for k in branch),
            sum(cards[k] for k in branch),
        )
        assert counts.mastery_sum == sum(cards[k] / 4 for k in branch)
        assert counts.own_mastery == 0.0

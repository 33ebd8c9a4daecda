"""The concept map as a tree: each branch with its due and new counts, coloured by mastery."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from srs.core.mastery import CardState
from srs.service.decks import DeckMap, MapNode
from srs.tui.text import clean, literal

MARKER = "▌ "
"""Drawn before a node in the deck's own colour for it, where the deck gives colours."""
LOCK = "⊘ "
"""Drawn before a locked node (progressive layering: its new cards wait for a parent); one cell
wide, as the map's widths are counted in cells."""

UNCOUNTED = "  … ·   …"
"""In place of a branch's due and new counts while they are being read."""


class ConceptTree(Tree[int]):
    """The hierarchy of a deck. Node data is the node's id; labels are drawn from `deck_map`.

    Children are added when a branch is first opened, so a deck of tens of thousands of nodes
    opens as fast as a small one. Given the top of a map (`DeckMap.counted` False), it draws the
    root and its branches without counts, and the rest once `update_map` hands it the whole map.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Study"),
        Binding("right", "open_branch", "Open", show=False),
        Binding("left", "close_branch", "Close", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "concept-tree--new",
        "concept-tree--learning",
        "concept-tree--young",
        "concept-tree--mature",
        "concept-tree--due",
        "concept-tree--zero",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), None, id=id)
        self.auto_expand = False
        self.guide_depth = 3
        self.deck_map: DeckMap | None = None
        self._shown: dict[int, list[TreeNode[int]]] = {}
        self._filled: set[int] = set()
        self._markers = False
        self.locked: set[int] = set()
        """The nodes progressive layering locks, of those shown: drawn dimmed, `LOCK` before them."""
        self.find_locked: Callable[[list[int]], frozenset[int]] | None = None
        """Which of the nodes given are locked; None with layering off. Asked for the nodes a
        branch shows as it is opened, so a large deck is never read whole for its marks."""

    # -- building -----------------------------------------------------------------------------

    def show_map(self, deck_map: DeckMap) -> None:
        """Draw a deck's map from scratch, the root open."""
        self.deck_map = deck_map
        self._shown.clear()
        self._filled.clear()
        self._markers = deck_map.coloured
        if deck_map.root is None:
            self.reset(Text("(this deck has no root)"), None)
            return
        root = deck_map.nodes[deck_map.root]
        self.reset(literal(root.label, one_line=True), root.id)
        self._shown[root.id] = [self.root]
        self._fill(self.root)
        self.root.expand()

    def update_map(self, deck_map: DeckMap) -> None:
        """Redraw with fresh counts, keeping which branches are open and where the cursor is (and
        filling the branches opened while only the top of the map was there)."""
        self.deck_map = deck_map
        self._markers = deck_map.coloured
        for nodes in list(self._shown.values()):
            for node in nodes:
                if node.is_expanded:
                    self._fill(node)
                node.refresh()

    def show_locked(self, find_locked: Callable[[list[int]], frozenset[int]] | None) -> None:
        """Mark the locked nodes of those shown, as `find_locked` tells them (None: none), and
        so on for those shown later."""
        self.find_locked = find_locked
        shown = [node for node in self._shown if node is not None]
        self.locked = set(find_locked(shown)) if find_locked is not None and shown else set()
        for nodes in self._shown.values():
            for node in nodes:
                node.refresh()

    def _fill(self, tree_node: TreeNode[int]) -> None:
        if tree_node.id in self._filled or tree_node.data is None or self.deck_map is None:
            return
        children = self.deck_map.nodes[tree_node.data].children
        if any(child_id not in self.deck_map.nodes for child_id in children):
            return  # below the top of a map whose counts are still being read: filled by update_map
        self._filled.add(tree_node.id)
        above = set()
        walk: TreeNode[int] | None = tree_node
        while walk is not None:
            above.add(walk.data)
            walk = walk.parent
        if self.find_locked is not None:
            self.locked |= self.find_locked([c for c in children if c not in above])
        for child_id in children:
            if child_id in above:  # a cycle would otherwise open forever
                continue
            child = self.deck_map.nodes[child_id]
            shown = tree_node.add(literal(child.label, one_line=True), child.id, allow_expand=bool(child.children))
            self._shown.setdefault(child.id, []).append(shown)

    @on(Tree.NodeExpanded)
    def _opened(self, event: Tree.NodeExpanded[int]) -> None:
        self._fill(event.node)

    def go_to(self, node_id: int) -> bool:
        """Open the branches down to a node and put the cursor on it (once the tree is redrawn);
        False if the node is not in the map."""
        if self.deck_map is None or not self.deck_map.counted or node_id not in self.deck_map.nodes:
            return False
        path = self.deck_map.path(node_id)
        if path[0] != self.deck_map.root:
            return False
        here = self.root
        for step in path[1:]:
            self._fill(here)
            here.expand()
            found = next((child for child in here.children if child.data == step), None)
            if found is None:
                return False
            here = found
        target = here

        def place() -> None:
            # Lines for freshly opened branches exist only once the tree has been redrawn.
            self.move_cursor(target)
            self.scroll_to_node(target, animate=False)

        self.call_after_refresh(place)
        return True

    @property
    def current(self) -> MapNode | None:
        """The map node under the cursor."""
        node = self.cursor_node
        if node is None or node.data is None or self.deck_map is None:
            return None
        return self.deck_map.nodes.get(node.data)

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The cursor has nothing to study in an empty map.
        return not (action == "select_cursor" and (self.deck_map is None or self.deck_map.root is None))

    def action_open_branch(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()
        elif node is not None and node.children:
            self.move_cursor(node.children[0])

    def action_close_branch(self) -> None:
        node = self.cursor_node
        if node is not None and node.is_expanded:
            node.collapse()
        elif node is not None and node.parent is not None:
            self.move_cursor(node.parent)

    # -- drawing ------------------------------------------------------------------------------

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        info = self.deck_map.nodes.get(node.data) if self.deck_map is not None and node.data is not None else None
        if info is None:
            return super().render_label(node, base_style, style)
        if node.allow_expand:
            prefix = Text(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, style=base_style)
        else:
            prefix = Text("", style=base_style)
        marker = Text()
        if self._markers:
            marker = Text(MARKER, style=Style(color=info.color)) if info.color else Text(" " * len(MARKER))
        if self.deck_map is not None and self.deck_map.counted:
            state = self.get_component_rich_style(f"concept-tree--{info.state.value}", partial=True)
            counts = self._counts(info)
        else:  # the counts are still being read
            state = Style()
            counts = Text(UNCOUNTED, style=self.get_component_rich_style("concept-tree--zero", partial=True))
        name = literal(info.label, state, one_line=True)
        if info.id in self.locked:
            name = Text.assemble(Text(LOCK), name)
            name.stylize(Style(dim=True))
        depth = 0
        walk = node.parent
        while walk is not None:
            depth += 1
            walk = walk.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth - prefix.cell_len - marker.cell_len
        if room >= counts.cell_len + 6:
            space = room - counts.cell_len - 1
            if name.cell_len > space:
                name.truncate(space, overflow="ellipsis")
            gap = Text(" " * (room - name.cell_len - counts.cell_len))
        else:
            gap = Text("  ")
        label = Text.assemble(marker, name, gap, counts)
        label.stylize(style)
        return Text.assemble(prefix, label)

    def _counts(self, info: MapNode) -> Text:
        due_style = self.get_component_rich_style("concept-tree--due", partial=True)
        zero_style = self.get_component_rich_style("concept-tree--zero", partial=True)
        return Text.assemble(
            (f"{info.due:>3}", due_style if info.due else zero_style),
            (" · ", zero_style),
            (f"{info.new:>3}", "" if info.new else zero_style),
        )

    def process_label(self, label) -> Text:
        # Labels are deck text: never read as markup, whatever the caller passes.
        if isinstance(label, str):
            label = Text(clean(label, one_line=True))
        return super().process_label(label)


class MasteryLegend(Widget):
    """`■ new  ■ learning  ■ young  ■ mature`, in the colours the map uses."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"legend--new", "legend--learning", "legend--young", "legend--mature"}

    def render(self) -> Text:
        text = Text()
        for state in CardState:
            if state is CardState.RETIRED:
                continue
            if text:
                text.append("  ")
            text.append("■ ", self.get_component_rich_style(f"legend--{state.value}", partial=True))
            text.append(state.value)
        return text

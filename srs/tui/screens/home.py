"""The home screen: the concept map with today's totals, and the detail of one node."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from srs.bulk import resume_after_startup
from srs.core.lint.findings import Finding
from srs.core.queue import Beyond
from srs.env import Env
from srs.errors import AmbiguousError, SrsError
from srs.service import decks as deck_service
from srs.service import frontier as frontier_service
from srs.service import nodes as node_service
from srs.service import study as study_service
from srs.tui.messages import StudyRequested
from srs.tui.text import SEPARATOR, literal, plural, short_date, tell
from srs.tui.widgets.concept_finder import ConceptFinder, FinderIndex
from srs.tui.widgets.concept_finder import prepare as prepare_finder
from srs.tui.widgets.concept_tree import ConceptTree, MasteryLegend
from srs.tui.widgets.node_detail import NodeDetailPane
from srs.tui.widgets.study_commands import StudyBeyondCommands

NO_DECK = "No decks yet. Import one with: srs import FILE"


def today_line(deck_map: deck_service.DeckMap) -> Text:
    """`Mon 23 Nov · due 12 · new 20 · done 5 · streak 4 days`, after the learner's name where
    the database holds several learners (`ana · Mon 23 Nov · …`)."""
    counts = deck_map.counts
    done = counts.reviewed + counts.introduced
    whose = Text.assemble(literal(deck_map.learner, one_line=True), " · ") if deck_map.learner else Text()
    return Text.assemble(
        whose,
        (short_date(deck_map.today, deck_map.today), "bold"),
        f" · due {counts.due} · new {counts.new} · done {done} · streak {plural(deck_map.streak, 'day')}",
    )


def _deck_row(choice: deck_service.DeckChoice) -> Table:
    """A line of the deck list: the name, and its due and new counts under the map's heading."""
    row = Table.grid(expand=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(justify="right", no_wrap=True)
    row.add_row(literal(choice.name, one_line=True), Text(f"{choice.due:>3} · {choice.new:>3}"))
    return row


def _concepts(deck_map: deck_service.DeckMap) -> Iterator[tuple[int, str, str]]:
    """Every concept of the map in its order: (node id, label, the labels above it joined by ›),
    the path as `deck_map.path` gives it, each made once from its parent's."""
    parents = deck_map.first_parents()
    paths: dict[int, str] = {}
    for nid in deck_map.preorder():
        chain = []
        top = nid
        while top not in paths and top in parents:
            chain.append(top)
            top = parents[top]
        paths.setdefault(top, "")  # the root
        for child in reversed(chain):
            parent = parents[child]
            label = deck_map.nodes[parent].label
            paths[child] = f"{paths[parent]}{SEPARATOR}{label}" if paths[parent] else label
        yield nid, deck_map.nodes[nid].label, paths[nid]


class HomeScreen(Screen[None]):
    """The map of the deck, today's totals, and the node under the cursor."""

    COMMANDS = {ConceptFinder, StudyBeyondCommands}
    """The command palette (ctrl+p) finds concepts too, beside Textual's own commands, and
    studies the highlighted branch beyond the day's plan (ahead, extra new cards, cram)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review_due", "Review due"),
        Binding("slash", "find", "Find"),
        Binding("n", "edit", "Edit"),
        Binding("s", "stats", "Stats"),
        Binding("e", "export", "Export"),
        Binding("d", "decks", "Decks"),
        Binding("o", "options", "Options", show=False),
        Binding("escape", "back_to_map", "Back to the map"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, env: Env, deck: str | None = None, *, go_to: str | None = None) -> None:
        """
        Args:
            env: The database and clock to use.
            deck: The deck to open; None for the only deck there is (the learner chooses if there are several).
            go_to: A node id, label or label path: where the map's cursor starts.
        """
        super().__init__()
        self.env = env
        self.deck_name = deck
        """The deck open, or to open."""
        self._go_to = go_to
        self.deck_map: deck_service.DeckMap | None = None
        self.detail: node_service.NodeDetail | None = None
        self._finder_index: FinderIndex | None = None
        self._findings: dict[str, tuple[Finding, ...]] = {}
        """What the linter found in the deck open, by node key (read beside the app: `_lint`)."""
        self._deck_choices: list[str] = []
        self._choosing = False
        self._several_decks = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-top"):
            yield Static(id="deck-name")
            yield Static(id="today")
        with Horizontal(id="home-main"):
            with Vertical(id="map-panel"):
                yield Static(Text("due · new"), id="map-heading")
                yield ConceptTree(id="map")
                yield OptionList(id="deck-list", compact=True, markup=False)
                yield MasteryLegend(id="legend")
            yield NodeDetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#map-panel").border_title = "Concepts"
        self.query_one("#deck-list").display = False
        self.load()

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the deck and draw the map from scratch (a large deck's top first: see
        `COUNT_IN_BACKGROUND_FROM`)."""
        tree = self.query_one(ConceptTree)
        try:
            deck_map = deck_service.load_map_top(self.env, self.deck_name)
            if deck_map.size < self.COUNT_IN_BACKGROUND_FROM:
                deck_map = deck_service.load_map(self.env, deck_map.deck)
        except AmbiguousError:
            self._choose_deck()
            return
        except SrsError as exc:
            for part in (tree, self.query_one("#map-heading"), self.query_one(MasteryLegend)):
                part.display = False
            self.set_focus(None)
            self.query_one("#deck-name", Static).update(Text("srs", style="bold"))
            message = str(exc) if deck_service.deck_names(self.env) else NO_DECK
            self.query_one(NodeDetailPane).show_message(literal(message))
            self.refresh_bindings()
            return
        self.deck_name = deck_map.deck
        self.deck_map = deck_map
        self._finder_index = None
        self._findings = {}
        if deck_map.counted:  # else once the counts are in (`_counted`): they come first
            self._lint(deck_map.deck)
        self._set_several_decks(len(deck_service.deck_names(self.env)) > 1)
        self._show_map()
        self._draw_header(deck_map)
        tree.show_locked(self._find_locked(deck_map.deck))
        tree.show_map(deck_map)
        tree.focus()
        if deck_map.counted:
            self._go_to_start()
        else:  # once the first frame is out, so that the learner sees the map's top at once
            self.call_after_refresh(self._start_counting, deck_map.deck)
        self.refresh_bindings()

    COUNT_IN_BACKGROUND_FROM = 5_000
    """Nodes (retired ones included) from which the map's top is drawn before its counts are read,
    in a worker (bench_tui, 83k nodes: the first screen at 1.4x the bare app's time, not 2.9x); a
    smaller deck's counts take some tens of milliseconds at most and come with its first frame."""

    def _go_to_start(self) -> None:
        """Put the cursor on the branch the screen was opened for, if one was named."""
        start, self._go_to = self._go_to, None
        if start is None or self.deck_map is None:
            return
        try:
            scope = study_service.branch_scope(self.env, self.deck_map.deck, start)
        except SrsError as exc:
            tell(self, str(exc), "error")
        else:
            if scope.branch_id is not None:  # always, for a branch named
                self.query_one(ConceptTree).go_to(scope.branch_id)

    def _start_counting(self, deck: str) -> None:
        # The first frame is out: the collector's start-up pause ends now, not midway through the
        # worker's `deck_tree`, whose own pause then holds (bench_core, 100k: 0.78 s, not 1.19 s).
        resume_after_startup()
        self._count_in_background(deck)

    @work(thread=True, exclusive=True, group="map-counts", exit_on_error=False)
    def _count_in_background(self, deck: str) -> deck_service.DeckMap:
        """The whole map with its counts, read beside the app (`_counted` draws it)."""
        return deck_service.load_map(self.env, deck)

    @on(Worker.StateChanged)
    def _counted(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "map-counts" or worker.node is not self:
            return
        if event.state is WorkerState.ERROR:
            tell(self, str(worker.error), "error")
            return
        deck_map = worker.result
        if event.state is not WorkerState.SUCCESS or not isinstance(deck_map, deck_service.DeckMap):
            return
        if self.deck_map is None or self.deck_map.counted or self.deck_map.deck != deck_map.deck:
            return  # another deck was opened meanwhile, or the counts were read again after a session
        self.deck_map = deck_map
        tree = self.query_one(ConceptTree)
        tree.update_map(deck_map)
        if not self._choosing:
            self._show_detail(tree.current)
        self._lint(deck_map.deck)
        self._go_to_start()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="lint", exit_on_error=False)
    def _lint(self, deck: str) -> tuple[str, dict[str, tuple[Finding, ...]]]:
        """The deck's lint findings by node key, read beside the app (`_linted` shows them): a
        large deck's take a while, and the map need not wait for them."""
        from srs.service import lint as lint_service  # here: the map's first screen does without it

        return deck, lint_service.deck_findings(self.env, deck)

    @on(Worker.StateChanged)
    def _linted(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "lint" or worker.node is not self or event.state is not WorkerState.SUCCESS:
            return  # a deck that cannot be linted shows its nodes without findings
        result = worker.result
        if not isinstance(result, tuple):
            return
        deck, findings = result
        if self.deck_map is None or deck != self.deck_map.deck:
            return  # another deck was opened meanwhile
        self._findings = findings
        if not self._choosing:
            self._show_detail(self.query_one(ConceptTree).current)

    def refresh_counts(self) -> None:
        """After a session: new counts in the header, the map and the detail pane."""
        try:
            deck_map = deck_service.load_map(self.env, self.deck_name)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self.workers.cancel_group(self, "map-counts")
        self.deck_map = deck_map
        self._draw_header(deck_map)
        tree = self.query_one(ConceptTree)
        tree.update_map(deck_map)
        tree.show_locked(self._find_locked(deck_map.deck))
        self._show_detail(tree.current)

    def _find_locked(self, deck: str):
        """What the map asks for its lock marks: None where the deck has layering off."""
        if not frontier_service.layering_on(self.env, deck):
            return None
        return partial(frontier_service.locked_among, self.env, deck)

    def _draw_header(self, deck_map: deck_service.DeckMap) -> None:
        self.query_one("#deck-name", Static).update(literal(deck_map.deck, "bold", one_line=True))
        self.query_one("#today", Static).update(today_line(deck_map))

    def _set_several_decks(self, several: bool) -> None:
        # With several decks the footer has one key more: drawn compact, all fit in 80 columns.
        self._several_decks = several
        self.query_one(Footer).compact = several

    def _show_map(self) -> None:
        """The map in the left panel, in place of the deck list."""
        self._choosing = False
        self.query_one("#deck-list").display = False
        for part in (self.query_one(ConceptTree), self.query_one("#map-heading"), self.query_one(MasteryLegend)):
            part.display = True
        self.query_one("#map-panel").border_title = "Concepts"

    def _choose_deck(self) -> None:
        """The deck list in the left panel, each deck with what waits in it today."""
        try:
            choices = deck_service.deck_choices(self.env)
        except SrsError as exc:
            tell(self, str(exc), "error")
            return
        self._choosing = True
        self._set_several_decks(len(choices) > 1)
        self.query_one(ConceptTree).display = False
        self.query_one(MasteryLegend).display = False
        self.query_one("#map-heading").display = True
        self.query_one("#map-panel").border_title = "Decks"
        deck_list = self.query_one("#deck-list", OptionList)
        deck_list.clear_options()
        deck_list.add_options([Option(_deck_row(choice), id=str(i)) for i, choice in enumerate(choices)])
        self._deck_choices = [choice.name for choice in choices]
        current = self.deck_map.deck if self.deck_map is not None else None
        deck_list.highlighted = self._deck_choices.index(current) if current in self._deck_choices else 0
        deck_list.display = True
        deck_list.focus()
        if self.deck_map is None:  # no deck open yet: the header names the program and the day
            today = self.env.clock.today()
            self.query_one("#deck-name", Static).update(Text("srs", style="bold"))
            self.query_one("#today", Static).update(Text(short_date(today, today), "bold"))
        self.query_one(NodeDetailPane).show_message(Text("Choose a deck."))
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#deck-list")
    def _deck_chosen(self, event: OptionList.OptionSelected) -> None:
        self.deck_name = self._deck_choices[event.option_index]
        self.load()
        # The new map opens on its root, on the line the cursor was already on: no highlight
        # event comes to redraw the pane.
        if self.deck_map is not None and self.deck_map.root is not None:
            self._show_detail(self.deck_map.nodes[self.deck_map.root])

    def action_decks(self) -> None:
        """Show the deck list, to study another deck."""
        self._choose_deck()

    def action_back_to_map(self) -> None:
        """Leave the deck list for the deck already open."""
        self._show_map()
        tree = self.query_one(ConceptTree)
        tree.focus()
        self._show_detail(tree.current)
        self.refresh_bindings()

    # -- the node under the cursor ------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#map")
    def _highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        self._show_detail(self.query_one(ConceptTree).current)

    def _show_detail(self, node: deck_service.MapNode | None) -> None:
        pane = self.query_one(NodeDetailPane)
        if node is None or self.deck_map is None:
            return
        try:
            self.detail = node_service.load_node(self.env, node.id)
        except SrsError as exc:
            self.detail = None
            pane.show_message(literal(str(exc)))
            return
        findings = self._findings.get(self.detail.key, ())
        pane.show(self.detail, node if self.deck_map.counted else None, self.deck_map.today, findings)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find":  # the finder lists the map's concepts: once the whole map is read
            return self.deck_map is not None and self.deck_map.counted and not self._choosing
        if action in ("review_due", "edit", "stats", "export"):
            return self.deck_map is not None and not self._choosing
        if action == "decks":
            return self._several_decks and not self._choosing
        if action == "back_to_map":
            return self._choosing and self.deck_map is not None
        return True

    def action_review_due(self) -> None:
        """Review every card due in the deck (new cards wait for a branch session)."""
        assert self.deck_map is not None
        self.post_message(
            StudyRequested(study_service.Scope(self.deck_map.deck, None, self.deck_map.deck, new_cards=False))
        )

    @on(Tree.NodeSelected, "#map")
    def _study_branch(self, event: Tree.NodeSelected[int]) -> None:
        node = self.query_one(ConceptTree).current
        if node is None or self.deck_map is None:
            return
        self.post_message(StudyRequested(study_service.Scope(self.deck_map.deck, node.id, node.label)))

    def study_scope(self) -> study_service.Scope | None:
        """The highlighted branch, for the palette's sessions beyond the day's plan."""
        node = self.query_one(ConceptTree).current
        if node is None or self.deck_map is None or self._choosing:
            return None
        return study_service.Scope(self.deck_map.deck, node.id, node.label)

    def study_beyond(self, beyond: Beyond) -> None:
        """Study the highlighted branch beyond the day's plan."""
        scope = self.study_scope()
        if scope is not None:
            self.post_message(StudyRequested(dataclasses.replace(scope, beyond=beyond)))

    def action_stats(self) -> None:
        """The deck's statistics: answers per day, forecast, year, retention, branches."""
        from srs.tui.screens.stats import StatsScreen  # here: the map's first screen does without it

        assert self.deck_map is not None
        self.app.push_screen(StatsScreen(self.env, self.deck_map.deck))

    def action_export(self) -> None:
        """Write the highlighted branch (the whole deck, from its root) to an Anki package."""
        node = self.query_one(ConceptTree).current
        if node is None:
            return

        def done(message: str | None) -> None:
            if message:
                tell(self, message)

        from srs.tui.screens.export import ExportDialog  # here: the map's first screen does without it

        self.app.push_screen(ExportDialog(self.env, node.id, node.label, self.export_folder), done)

    def action_options(self) -> None:
        """The deck's options (progressive layering, parent checks, siblings apart), to set."""
        if self.deck_map is None:
            return
        from srs.tui.screens.options import OptionsDialog  # here: the map's first screen does without it

        def done(message: str | None) -> None:
            if message:
                tell(self, message)
                self.refresh_counts()

        self.app.push_screen(OptionsDialog(self.env, self.deck_map.deck), done)

    export_folder = None
    """Where exports are offered by default (None: the current folder); tests point it elsewhere."""

    def action_find(self) -> None:
        self.app.push_screen(CommandPalette(providers=[ConceptFinder], placeholder="Find a concept…"))
        self._prepare_finder()

    @work(exclusive=True, group="finder-index")
    async def _prepare_finder(self) -> None:
        """Make the finder's index ready while the learner starts typing (a search makes what it
        needs of it itself, if it comes first)."""
        await prepare_finder(self.find_index())

    def find_index(self) -> FinderIndex:
        """Every concept of the map with its path and texts, for the finder (made as it is first
        needed)."""
        if self.deck_map is None or not self.deck_map.counted:
            return FinderIndex([])
        if self._finder_index is None:
            from srs.service import search as search_service  # here: the map's first screen does without it

            self._finder_index = FinderIndex(_concepts(self.deck_map), partial(search_service.node_texts, self.env))
        return self._finder_index

    def go_to(self, node_id: int) -> None:
        """Put the map's cursor on a node (from the finder)."""
        tree = self.query_one(ConceptTree)
        tree.focus()
        if not tree.go_to(node_id):
            tell(self, "That concept is not in the map.", "warning")

    def action_edit(self) -> None:
        """Edit the highlighted concept's definition, example, notes and mnemonic."""
        node = self.query_one(ConceptTree).current
        if node is None or self.detail is None or self.detail.id != node.id:
            return
        detail = self.detail

        def save(texts: dict[str, str] | None) -> None:
            if texts is None:
                return
            try:
                edit = node_service.edit_node(self.env, detail.id, texts)
            except SrsError as exc:
                tell(self, str(exc), "error")
                return
            if edit.changed:
                names = [change.field for change in edit.fields]
                said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
                tell(self, f"Saved the {said} of {detail.label}.")
                if self.deck_map is not None:  # the text linted has changed
                    self._lint(self.deck_map.deck)
            self._show_detail(self.query_one(ConceptTree).current)

        from srs.tui.screens.notes import EditDialog  # here: the map's first screen does without it

        self.app.push_screen(EditDialog.of(detail), save)

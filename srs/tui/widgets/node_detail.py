"""The detail pane of the home screen: one node, its neighbourhood, notes and schedule."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from srs.core.cards import Neighbour, children_heading, parent_heading
from srs.core.fsrs import memory_text
from srs.core.lint import ERROR, Finding
from srs.service.decks import MapNode
from srs.service.nodes import CardSchedule, NodeDetail
from srs.tui.text import breadcrumb, day_name, literal, plural


def related_lines(title: str, items: tuple[Neighbour, ...]) -> Text:
    """A heading and one line per related node: `  Label — short definition`."""
    text = Text.assemble((title, "bold"))
    for item in items:
        text.append("\n  ")
        text.append_text(literal(item.label, "bold", one_line=True))
        if item.gloss:
            text.append(" — ")
            text.append_text(literal(item.gloss, one_line=True))
    return text


def _marked(text: Text, field: str, detail: NodeDetail) -> Text:
    """`text`, marked `(edited)` where the field holds the learner's text rather than the file's."""
    if field in detail.edited:
        text.append(" (edited)", style="dim italic")
    return text


def _memory(card: CardSchedule) -> str:
    """What the card's scheduler holds of it: FSRS's stability, difficulty and recall today, or
    SM-2's easiness (which FSRS leaves as it was, so it is not shown under FSRS)."""
    if card.stability is not None and card.difficulty is not None:
        return memory_text(card.stability, card.difficulty, card.retrievability, compact=True)
    return f"EF {card.easiness:.2f}"


def lint_lines(findings: tuple[Finding, ...]) -> Text:
    """One line per finding: `Lint: L101 circular-definition (error): message`, the message as typed."""
    lines = []
    for item in findings:
        level = "bold red" if item.level == ERROR else "yellow"
        lines.append(
            Text.assemble(
                ("Lint: ", "bold"),
                (f"{item.code} {item.name} ", level),
                (f"({item.level}): ", level),
                literal(item.message, one_line=True),
            )
        )
    return Text("\n").join(lines)


def journal_lines(entries: tuple[tuple[date, str], ...]) -> Text:
    """The node's latest journal entries, newest first: `  2026-12-01  what the learner wrote`."""
    text = Text.assemble(("Journal", "bold"))
    for day, line in entries:
        text.append(f"\n  {day.isoformat()}  ")
        text.append_text(literal(line, one_line=True))
    return text


class NodeDetailPane(VerticalScroll):
    """Everything about the highlighted node; scrolls when it does not fit."""

    def compose(self) -> ComposeResult:
        # The learner's own notes and the schedule come before the (often long) neighbourhood.
        yield Static(id="detail-path", classes="muted")
        yield Static(id="detail-definition")
        yield Static(id="detail-example")
        yield Static(id="detail-lint")
        yield Static(id="detail-notes")
        yield Static(id="detail-journal")
        yield Static(id="detail-schedule")
        yield Static(id="detail-context")

    def show(self, detail: NodeDetail, branch: MapNode | None, today: date, findings: tuple[Finding, ...] = ()) -> None:
        """Fill the pane with a node's detail, its branch's counts and what the linter found in it."""
        self.border_title = literal(detail.label, one_line=True)
        self.query_one("#detail-path", Static).update(breadcrumb(detail.path))
        definition = literal(detail.definition) if detail.definition else Text("No definition.", style="italic")
        self.query_one("#detail-definition", Static).update(_marked(definition, "definition", detail))
        example = self.query_one("#detail-example", Static)
        example.update(
            _marked(Text.assemble(("Example: ", "bold"), literal(detail.example)), "example", detail)
            if detail.example
            else Text()
        )
        example.display = bool(detail.example)
        lint = self.query_one("#detail-lint", Static)
        lint.update(lint_lines(findings))
        lint.display = bool(findings)

        context = []
        if detail.parents:
            # "Kind of" only where the file's edge to every parent says so.
            kinds = detail.parent_relations
            context.append(related_lines(parent_heading(kinds[0] if len(set(kinds)) == 1 else ""), detail.parents))
        if detail.siblings:
            context.append(related_lines("Siblings", detail.siblings))
        groups: dict[str, list[Neighbour]] = {}
        for child, group in zip(detail.children, detail.child_relations or ("",) * len(detail.children), strict=True):
            groups.setdefault(group, []).append(child)
        for group, items in groups.items():
            context.append(related_lines(children_heading(group, detail.label), tuple(items)))
        self.query_one("#detail-context", Static).update(Text("\n").join(context))

        notes = Text.assemble(("Notes: ", "bold"), literal(detail.notes) if detail.notes else ("—", "dim"))
        notes = _marked(notes, "notes", detail)
        notes.append("\n")
        notes.append_text(
            _marked(
                Text.assemble(("Mnemonic: ", "bold"), literal(detail.mnemonic) if detail.mnemonic else ("—", "dim")),
                "mnemonic",
                detail,
            )
        )
        self.query_one("#detail-notes", Static).update(notes)
        journal = self.query_one("#detail-journal", Static)
        journal.update(journal_lines(detail.journal))
        journal.display = bool(detail.journal)
        self.query_one("#detail-schedule", Static).update(self._schedule(detail, branch, today))
        # Now, not after the next redraw (Textual's default): that redraw already shows this node.
        self.scroll_home(animate=False, immediate=True)

    def show_message(self, message: Text) -> None:
        """Show a line of text instead of a node (an empty deck, a load error)."""
        self.border_title = None
        for static in self.query(Static):
            static.update(Text())
        self.query_one("#detail-definition", Static).update(message)

    @staticmethod
    def _schedule(detail: NodeDetail, branch: MapNode | None, today: date) -> Text:
        text = Text.assemble(("Schedule", "bold"))
        if branch is not None:
            text.append(
                f"\n{branch.due} due · {branch.new} new · {branch.learned} of {plural(branch.cards, 'card')} "
                f"learned · mastery {branch.mastery:.0%} ({branch.state.value})"
            )
        if not detail.cards:
            text.append("\nno cards for this concept")
        for card in detail.cards:
            text.append(f"\n{card.kind} card · {card.state.value}")
            if card.reviews:
                text.append(
                    f" · {_memory(card)} · {plural(card.interval, 'day')} · due {day_name(card.due, today)}"
                    f"{f' ({card.due.isoformat()})' if card.due else ''}"
                    f" · {plural(card.reviews, 'review')}, {plural(card.lapses, 'lapse')}"
                )
                if card.last_grades:
                    text.append(" · last answers " + " ".join(str(g) for g in card.last_grades))
        return text

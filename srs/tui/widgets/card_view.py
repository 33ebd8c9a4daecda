"""A flashcard: its front (where it sits, the question, a hint) and, once revealed, its back; a
leech says so in the card's top border, and a card under FSRS its memory in the bottom one."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Rule, Static

from srs.core.cards import CardContent, CardKind, Neighbour, closest_siblings, link_line, parent_heading
from srs.core.fsrs import memory_text
from srs.service.study import StudyCard
from srs.tui.text import breadcrumb, literal


def question_text(card: StudyCard) -> Text:
    """The question, with the term picked out in bold."""
    content = card.content
    text = literal(content.question, one_line=True)
    term = literal(content.term, one_line=True).plain
    if term:
        start = text.plain.find(term)
        if start >= 0:
            text.stylize("bold", start, start + len(term))
    return text


def front_text(card: StudyCard) -> tuple[Text, Text, Text]:
    """(breadcrumb, question, hint) of a card's front."""
    content = card.content
    path = breadcrumb(content.path) if content.path and content.kind != CardKind.PLACEMENT.value else Text()
    hint = literal(content.hint, "italic") if content.hint else Text()
    return path, question_text(card), hint


def _neighbours(items: tuple[Neighbour, ...]) -> Text:
    lines = []
    for item in items:
        line = Text("  ")
        line.append_text(literal(item.label, "bold", one_line=True))
        if item.gloss:
            line.append(" — ")
            line.append_text(literal(item.gloss, one_line=True))
        lines.append(line)
    return Text("\n").join(lines)


PAIR_COLUMNS_FROM = 100
"""The width (in columns) from which a pair card's back shows its two nodes side by side."""


def _side(label: str, definition: str, example: str = "") -> Text:
    side = Text.assemble(literal(label, "bold", one_line=True), "\n", literal(definition))
    if example:
        side.append_text(Text.assemble("\n", ("Example: ", "bold"), literal(example)))
    return side


def pair_sides(content: CardContent) -> tuple[Text | None, Text, Text]:
    """A pair card's back in parts: the link (a relation card's; None for a contrast card),
    then each node with its definition."""
    link = literal(link_line(content), "bold", one_line=True) if content.kind == "relation" else None
    return (
        link,
        _side(content.term, content.definition, content.example),
        _side(content.partner, content.partner_definition),
    )


def pair_back(card: StudyCard, width: int) -> RenderableType:
    """A pair card's back: the two nodes side by side from `PAIR_COLUMNS_FROM` columns, else
    one after the other."""
    link, first, second = pair_sides(card.content)
    if width < PAIR_COLUMNS_FROM:
        return back_text(card)
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(first, second)
    return Group(link, Text(), grid) if link is not None else grid


def prompt_text(prompt: str) -> Text:
    """The question to think over under a branch card's answer (`socratic_prompts`); not graded."""
    return Text.assemble(("Think: ", "bold"), literal(prompt, "italic"))


def back_text(card: StudyCard) -> Text:
    """A card's back: the answer first, then where it sits and what it is told apart from (a
    pair card's: its two nodes one after the other)."""
    content = card.content
    parts: list[Text] = []
    if content.is_pair:
        link, first, second = pair_sides(content)
        return Text("\n\n").join([t for t in (link, first, second) if t is not None])
    if content.kind == CardKind.CHILDREN.value:
        groups = content.child_groups()
        if len(groups) == 1:
            parts.append(_neighbours(content.children))
        else:
            parts.extend(Text.assemble((f"{heading}:", "bold"), "\n", _neighbours(items)) for heading, items in groups)
    elif content.kind == CardKind.PLACEMENT.value:
        parts.append(breadcrumb([*content.path, content.term], "bold"))
    else:
        parts.append(literal(content.definition))
        if content.example:
            parts.append(Text.assemble(("Example: ", "bold"), literal(content.example)))
        if card.prompt:
            parts.append(prompt_text(card.prompt))
    if content.parent is not None:
        parent = Text.assemble(
            (f"{parent_heading(content.parent_relation)}: ", "bold"), literal(content.parent.label, one_line=True)
        )
        if content.parent.gloss:
            parent.append(" — ")
            parent.append_text(literal(content.parent.gloss, one_line=True))
        if content.other_parents:
            parent.append("\n")
            parent.append("Also under: ", "bold")
            parent.append_text(literal(", ".join(content.other_parents), one_line=True))
        parts.append(parent)
    if content.siblings and content.kind != CardKind.CHILDREN.value:
        shown, more = closest_siblings(content)
        siblings = Text.assemble(("Not to be confused with:", "bold"), "\n", _neighbours(shown))
        if more:
            siblings.append(f"\n  and {more} more", "italic")
        parts.append(siblings)
    if content.kind == CardKind.DEFINITION.value:
        parts.extend(
            Text.assemble((f"{heading}: ", "bold"), literal(", ".join(c.label for c in items), one_line=True))
            for heading, items in content.child_groups()
        )
    if card.notes:
        parts.append(Text.assemble(("Notes: ", "bold"), literal(card.notes)))
    if card.mnemonic:
        parts.append(Text.assemble(("Mnemonic: ", "bold"), literal(card.mnemonic)))
    return Text("\n\n").join(parts)


def leech_mark(card: StudyCard) -> str | None:
    """What the card's top border says of a leech (None for any other card)."""
    return f"leech · {card.lapses} lapses" if card.leech else None


def memory_mark(card: StudyCard) -> str | None:
    """What the card's bottom border says of its memory under FSRS (None under SM-2 and for a
    new card): `stability 12.3 d · difficulty 5.1 · recall 91%`."""
    if card.stability is None or card.difficulty is None:
        return None
    return memory_text(card.stability, card.difficulty, card.retrievability, compact=True)


class CardView(VerticalScroll):
    """One card. The back is hidden until `reveal`; long text wraps and scrolls."""

    def compose(self) -> ComposeResult:
        yield Static(id="card-path", classes="muted")
        yield Static(id="card-question")
        yield Static(id="card-hint", classes="muted")
        yield Rule(id="card-rule")
        yield Static(id="card-back")

    def on_mount(self) -> None:
        self._show_back(False)

    def show(self, card: StudyCard) -> None:
        """Show a card's front, its back hidden."""
        path, question, hint = front_text(card)
        self.query_one("#card-path", Static).update(path)
        self.query_one("#card-question", Static).update(question)
        self.query_one("#card-hint", Static).update(hint)
        self.query_one("#card-hint", Static).display = bool(hint)
        back = pair_back(card, self.app.size.width) if card.content.is_pair else back_text(card)
        self.query_one("#card-back", Static).update(back)
        self.border_title = leech_mark(card)
        self.border_subtitle = memory_mark(card)
        self._show_back(False)
        self.scroll_home(animate=False)

    def reveal(self) -> None:
        self._show_back(True)

    def _show_back(self, shown: bool) -> None:
        # Toggling `display` restyles two widgets; toggling a class would restyle the whole card.
        self.query_one("#card-rule").display = shown
        self.query_one("#card-back").display = shown

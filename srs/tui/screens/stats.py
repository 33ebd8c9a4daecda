"""The statistics screen: answers and time per day, the forecast, the year, retention, spreads
and the branches, for the deck or one branch of it."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from srs.core.stats import Bucket, Memory, Stats
from srs.core.stats_report import bar, heat_map, percent
from srs.core.text import duration, plural
from srs.env import Env
from srs.errors import SrsError
from srs.service import stats as stats_service
from srs.tui.text import SEPARATOR, literal, short_date

BAR_WIDTH = 16
"""Cells of the longest bar in the retention and spread panels."""
LABEL_WIDTH = 16
"""Cells of a branch's name in the table: the table fits 80 columns."""


def axis(first: date, last: date, today: date, width: int) -> Text:
    """The first and last day under a sparkline of `width` cells."""
    left, right = short_date(first, today), short_date(last, today)
    return Text(left + " " * max(1, width - len(left) - len(right)) + right, style="dim")


def bucket_lines(buckets: list[Bucket]) -> Text:
    top = max((b.count for b in buckets), default=0)
    lines = [Text.assemble(f"{b.label:<13}{b.count:>5} ", (bar(b.count, top, BAR_WIDTH), "bold")) for b in buckets]
    return Text("\n").join(lines)


def recall_lines(memory: Memory) -> Text:
    """FSRS's mean predicted recall today over the reviewed cards."""
    if memory.recall is None:
        return Text("no card reviewed under FSRS yet", style="dim")
    return Text.assemble(
        (f"{memory.recall:.1%}", "bold"),
        f" on average over {plural(memory.cards, 'reviewed card')}\n",
        ("as FSRS predicts it; stability: days until recall falls to 90%; difficulty: 1 easiest, 10 hardest", "dim"),
    )


def retention_lines(figures: Stats) -> Text:
    r = figures.retention
    lines = [
        Text.assemble(
            (f"{'all reviews':<13}", "bold"),
            f"{r.overall.part:>5}/{r.overall.whole:<5} {percent(r.overall):>6} ",
            (bar(r.overall.share or 0, 1, BAR_WIDTH), "bold"),
        )
    ]
    for bucket, ratio in r.ranges:
        lines.append(
            Text.assemble(
                f"{bucket.label:<13}{ratio.part:>5}/{ratio.whole:<5} {percent(ratio):>6} ",
                (bar(ratio.share or 0, 1, BAR_WIDTH), "bold"),
            )
        )
    lines.append(Text("reviews graded 3 or better; drills and new cards' first answers left out", style="dim"))
    return Text("\n").join(lines)


class StatsScreen(Screen[None]):
    """How study is going: the figures of `srs stats`, drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the map"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, env: Env, deck: str, branch_id: int | None = None) -> None:
        super().__init__()
        self.env = env
        self.deck = deck
        self.branch_id = branch_id
        self.figures: Stats | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="stats-top"):
            yield Static(id="stats-title")
            yield Static(id="stats-today")
        with VerticalScroll(id="stats-body"):
            with Horizontal(classes="stats-row"):
                with Vertical(id="activity-panel", classes="stats-panel"):
                    yield Static(id="answers-label")
                    yield Sparkline(id="answers-line")
                    yield Static(id="time-label")
                    yield Sparkline(id="time-line")
                    yield Static(id="activity-axis")
                with Vertical(id="forecast-panel", classes="stats-panel"):
                    yield Static(id="forecast-label")
                    yield Sparkline(id="forecast-line")
                    yield Static(id="forecast-axis")
            with Vertical(id="year-panel", classes="stats-panel"):
                yield Static(id="year-map")
            with Vertical(id="retention-panel", classes="stats-panel"):
                yield Static(id="retention")
            with Horizontal(classes="stats-row"):
                with Vertical(id="easiness-panel", classes="stats-panel"):
                    yield Static(id="easiness")
                with Vertical(id="intervals-panel", classes="stats-panel"):
                    yield Static(id="intervals")
            # A deck that follows FSRS only: the easiness panel above shows stability then.
            with Horizontal(id="memory-row", classes="stats-row"):
                with Vertical(id="difficulty-panel", classes="stats-panel"):
                    yield Static(id="difficulty")
                with Vertical(id="recall-panel", classes="stats-panel"):
                    yield Static(id="recall")
            with Vertical(id="branches-panel", classes="stats-panel"):
                yield DataTable(id="branch-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="attention")
        yield Footer()

    def on_mount(self) -> None:
        titles = {
            "#activity-panel": "Last 30 days",
            "#forecast-panel": "Next 30 days",
            "#year-panel": "The year",
            "#retention-panel": "Retention",
            "#easiness-panel": "Easiness",
            "#intervals-panel": "Intervals",
            "#difficulty-panel": "Difficulty",
            "#recall-panel": "Recall today",
            "#branches-panel": "Branches",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        try:
            self.figures = stats_service.load_stats(self.env, self.deck, self.branch_id)
        except SrsError as exc:
            self.query_one("#stats-title", Static).update(literal(str(exc)))
            return
        self.show(self.figures)
        self.query_one("#stats-body").focus()

    def show(self, figures: Stats) -> None:
        today = figures.today
        title = Text.assemble(literal(figures.deck, "bold", one_line=True))
        if figures.branch is not None:
            title.append(SEPARATOR)
            title.append_text(literal(figures.branch, "bold", one_line=True))
        title.append(" · statistics")
        self.query_one("#stats-title", Static).update(title)
        self.query_one("#stats-today", Static).update(
            Text.assemble((short_date(today, today), "bold"), f" · streak {plural(figures.calendar.streak, 'day')}")
        )

        a = figures.activity
        self.query_one("#answers-label", Static).update(
            Text.assemble(("answers ", "bold"), f"{a.answers} on {plural(a.days_studied, 'day')}, {a.drills} drills")
        )
        self.query_one("#answers-line", Sparkline).data = [d.answers for d in a.days]
        per_card = f", {a.seconds_per_card:.1f} s a card" if a.seconds_per_card is not None else ""
        self.query_one("#time-label", Static).update(
            Text.assemble(("time ", "bold"), f"{duration(a.duration_ms)}{per_card}")
        )
        self.query_one("#time-line", Sparkline).data = [d.duration_ms for d in a.days]
        self.query_one("#activity-axis", Static).update(axis(a.days[0].day, a.days[-1].day, today, len(a.days)))

        f = figures.forecast
        overdue = f", {f.overdue} overdue" if f.overdue else ""
        self.query_one("#forecast-label", Static).update(
            Text.assemble(("due ", "bold"), f"{plural(f.total, 'card')}{overdue}")
        )
        self.query_one("#forecast-line", Sparkline).data = [d.cards for d in f.days]
        self.query_one("#forecast-axis", Static).update(axis(f.days[0].day, f.days[-1].day, today, len(f.days)))

        c = figures.calendar
        year = Text("\n".join(heat_map(c)))
        year.append(f"\n{plural(c.answers, 'answer')} on {plural(c.days_studied, 'day')}", style="dim")
        self.query_one("#year-map", Static).update(year)

        self.query_one("#retention", Static).update(retention_lines(figures))
        memory = figures.memory
        self.query_one("#memory-row").display = memory is not None
        if memory is None:
            self.query_one("#easiness", Static).update(bucket_lines(figures.easiness))
        else:
            self.query_one("#easiness-panel").border_title = "Stability"
            self.query_one("#easiness", Static).update(bucket_lines(memory.stability))
            self.query_one("#difficulty", Static).update(bucket_lines(memory.difficulty))
            self.query_one("#recall", Static).update(recall_lines(memory))
        self.query_one("#intervals", Static).update(bucket_lines(figures.intervals))

        table = self.query_one("#branch-table", DataTable)
        table.add_column("branch", width=LABEL_WIDTH)
        for name in ("cards", "new", "learn", "young", "mature", "mastery", "due", "lapses"):
            table.add_column(Text(name, justify="right"), width=len(name))
        b = figures.branches
        for i, row in enumerate([*b.rows, *([b.total] if b.total is not None else [])]):
            name = row.label if i < len(b.rows) else f"all of {row.label}"
            name = name if len(name) <= LABEL_WIDTH else name[: LABEL_WIDTH - 1] + "…"
            numbers = (
                row.cards,
                row.new,
                row.learning,
                row.young,
                row.mature,
                f"{row.mastery:.0%}",
                row.due,
                row.lapses,
            )
            table.add_row(literal(name, one_line=True), *(Text(str(n), justify="right") for n in numbers))
        if b.attention is not None:
            attention = Text.assemble(
                ("Needs attention: ", "bold"),
                literal(b.attention.branch.label, one_line=True),
                f" — {b.attention.reason}",
            )
        elif b.rows:
            attention = Text("Needs attention: none of these branches has been studied yet")
        else:
            attention = Text("No branches below this one.")
        self.query_one("#attention", Static).update(attention)

    def action_back(self) -> None:
        self.app.pop_screen()

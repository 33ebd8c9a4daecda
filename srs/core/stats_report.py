"""The statistics as text (tables with bars, a year heat map) and as JSON with every number.

Shared by `srs stats` and the terminal app's statistics screen; takes the plain values of
`srs.core.stats` and returns strings and dicts, so it needs no database and no terminal. It sits
in the core because both front ends draw with it and neither may import the other.
"""

from __future__ import annotations

from datetime import date, timedelta

from srs.core.stats import Bucket, Calendar, Memory, Ratio, Stats
from srs.core.text import clean, duration, plural

EIGHTHS = " ▏▎▍▌▋▊▉"
SHADES = "·░▒▓█"
"""Heat map cells: no answers, then four levels up to the busiest day."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of `value` against `top` filling at most `width` cells, in eighths."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, rest = divmod(min(eighths, width * 8), 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def percent(ratio: Ratio) -> str:
    return f"{ratio.share:.1%}" if ratio.whole else "—"


def heat_level(count: int, top: int) -> int:
    """0 for no answers, else 1..4 by the share of the busiest day."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, max(1, -(-count * 4 // top)))


def heat_map(calendar: Calendar) -> list[str]:
    """The year as seven weekday rows of week columns, shaded by answers, with month names above."""
    first = calendar.start - timedelta(days=calendar.start.weekday())
    weeks = (calendar.end - first).days // 7 + 1
    top = max(calendar.counts.values(), default=0)
    months = [" "] * (weeks + 3)
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if (
                day.day == 1
                and calendar.start <= day <= calendar.end
                and all(c == " " for c in months[week : week + 4])
            ):
                months[week : week + 3] = MONTHS[day.month - 1]
    lines = ["    " + "".join(months).rstrip()]
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            cells.append(SHADES[heat_level(calendar.count(day), top)] if calendar.start <= day <= calendar.end else " ")
        lines.append(f"{WEEKDAYS[weekday]} " + "".join(cells).rstrip())
    lines.append(f"    {SHADES[0]} none  {SHADES[1:]} up to {plural(top, 'answer')} a day")
    return lines


def _bucket_lines(buckets: list[Bucket], width: int = 40) -> list[str]:
    top = max((b.count for b in buckets), default=0)
    return [f"  {b.label:14} {b.count:6}  {bar(b.count, top, width)}".rstrip() for b in buckets]


def recall_line(memory: Memory) -> str:
    """FSRS's mean predicted recall today, in a line: `Recall today, as FSRS predicts it: 91.2% on
    average over 6 reviewed cards`."""
    if memory.recall is None:
        return "Recall today, as FSRS predicts it: — (no card reviewed under FSRS yet)"
    return (
        f"Recall today, as FSRS predicts it: {memory.recall:.1%} on average over "
        f"{plural(memory.cards, 'reviewed card')}"
    )


def stats_text(stats: Stats) -> list[str]:
    """Every figure as lines of text at most 80 columns wide; deck text made safe to print (see `clean`)."""
    where = f"{_flat(stats.deck)} › {_flat(stats.branch)}" if stats.branch else _flat(stats.deck)
    out = [f"{where} — statistics on {stats.today.isoformat()}", ""]

    a = stats.activity
    spc = f", {a.seconds_per_card:.1f} s per card" if a.seconds_per_card is not None else ""
    out.append(
        f"Last {len(a.days)} days: {plural(a.answers, 'answer')} on {plural(a.days_studied, 'day')}: "
        f"{plural(a.reviews, 'review')} ({a.new} new), {plural(a.drills, 'drill')}"
    )
    out.append(f"Time: {duration(a.duration_ms)} in all{spc}")
    out.append(f"  {'day':10}  {'reviews':>7} {'drills':>6} {'time':>7}  answers")
    top = max((d.answers for d in a.days), default=0)
    for d in a.days:
        out.append(
            (
                f"  {d.day.isoformat()}  {d.reviews:7} {d.drills:6} {duration(d.duration_ms):>7}  "
                f"{bar(d.answers, top, 40)}"
            ).rstrip()
        )

    c = stats.calendar
    out += [
        "",
        f"Last {(c.end - c.start).days + 1} days: {plural(c.answers, 'answer')} on "
        f"{plural(c.days_studied, 'day')} · streak {plural(c.streak, 'day')}",
    ]
    out += ["  " + line for line in heat_map(c)]

    f = stats.forecast
    overdue = f" ({f.overdue} overdue, counted today)" if f.overdue else ""
    out += ["", f"Due in the next {len(f.days)} days: {plural(f.total, 'card')}{overdue}"]
    top = max((d.cards for d in f.days), default=0)
    for due in f.days:
        out.append(f"  {due.day.isoformat()}  {due.cards:5}  {bar(due.cards, top, 40)}".rstrip())

    r = stats.retention
    out += [
        "",
        f"Retention: {r.overall.part} of {plural(r.overall.whole, 'review')} answered 3 or better"
        f" ({percent(r.overall)})",
        "  (drills and the first answers of new cards are not counted)",
    ]
    out.append(f"  {'interval before':16} {'passed':>6} {'of':>6} {'share':>7}")
    for bucket, ratio in r.ranges:
        out.append(
            (
                f"  {bucket.label:16} {ratio.part:6} {ratio.whole:6} {percent(ratio):>7}  "
                f"{bar(ratio.share or 0, 1, 30)}"
            ).rstrip()
        )

    if stats.memory is None:
        out += ["", "Easiness of reviewed cards"] + _bucket_lines(stats.easiness)
    else:
        # FSRS moves no easiness: its stability and difficulty say instead how well each card is held.
        out += ["", recall_line(stats.memory)]
        out += ["", "Stability of reviewed cards (days until recall falls to 90%)"]
        out += _bucket_lines(stats.memory.stability)
        out += ["", "Difficulty of reviewed cards (1 easiest, 10 hardest)"] + _bucket_lines(stats.memory.difficulty)
    out += ["", "Intervals of reviewed cards"] + _bucket_lines(stats.intervals)

    b = stats.branches
    out += [
        "",
        f"  {'branch':22} {'cards':>5} {'new':>5} {'learn':>5} {'young':>5} {'mature':>6} "
        f"{'mastery':>7} {'due':>5} {'lapses':>6}",
    ]
    rows = [*b.rows, *([b.total] if b.total is not None else [])]
    for i, row in enumerate(rows):
        label = _flat(row.label) if i < len(b.rows) else f"all of {_flat(row.label)}"
        label = label if len(label) <= 22 else label[:21] + "…"
        out.append(
            f"  {label:22} {row.cards:5} {row.new:5} {row.learning:5} {row.young:5} {row.mature:6} "
            f"{row.mastery:7.0%} {row.due:5} {row.lapses:6}"
        )
    if not b.rows:
        out.append("  (no branches below this one)")
    if b.attention is not None:
        out.append(f"Needs attention: {_flat(b.attention.branch.label)} — {_flat(b.attention.reason)}")
    elif b.rows:
        out.append("Needs attention: none of these branches has been studied yet")
    return out


def _flat(text: str) -> str:
    # A label in a line or a table row: control characters visible, line breaks as spaces.
    return clean(text, one_line=True)


def _ratio(ratio: Ratio) -> dict:
    return {"passed": ratio.part, "reviews": ratio.whole, "share": ratio.share}


def _bucket(bucket: Bucket, unit: int = 1) -> dict:
    high = bucket.high / unit if unit != 1 and bucket.high is not None else bucket.high
    return {
        "label": bucket.label,
        "min": bucket.low / unit if unit != 1 else bucket.low,
        "max": high,
        "cards": bucket.count,
    }


def _day(day: date) -> str:
    return day.isoformat()


def stats_json(stats: Stats) -> dict:
    """Every figure as plain JSON values: counts, exact parts and wholes, shares, milliseconds."""
    a, c, f, r, b = stats.activity, stats.calendar, stats.forecast, stats.retention, stats.branches

    def branch(row) -> dict | None:
        if row is None:
            return None
        return {
            "id": row.key,
            "label": row.label,
            "nodes": row.nodes,
            "cards": row.cards,
            "new": row.new,
            "learning": row.learning,
            "young": row.young,
            "mature": row.mature,
            "mastery": row.mastery,
            "due": row.due,
            "lapses": row.lapses,
        }

    return {
        "deck": stats.deck,
        "branch": stats.branch,
        "today": _day(stats.today),
        "activity": {
            "days": [
                {
                    "day": _day(d.day),
                    "answers": d.answers,
                    "reviews": d.reviews,
                    "new": d.new,
                    "drills": d.drills,
                    "time_ms": d.duration_ms,
                }
                for d in a.days
            ],
            "answers": a.answers,
            "reviews": a.reviews,
            "new": a.new,
            "drills": a.drills,
            "days_studied": a.days_studied,
            "time_ms": a.duration_ms,
            "seconds_per_card": a.seconds_per_card,
        },
        "calendar": {
            "start": _day(c.start),
            "end": _day(c.end),
            "answers": c.answers,
            "days_studied": c.days_studied,
            "streak": c.streak,
            "days": {_day(d): n for d, n in c.counts.items()},
        },
        "forecast": {
            "total": f.total,
            "overdue": f.overdue,
            "days": [{"day": _day(d.day), "cards": d.cards} for d in f.days],
        },
        "retention": {
            **_ratio(r.overall),
            "ranges": [{"label": bk.label, "min": bk.low, "max": bk.high, **_ratio(ratio)} for bk, ratio in r.ranges],
        },
        "scheduler": stats.scheduler,
        # Easiness as the factor itself (2.5), as `srs show --json` gives it, not the stored
        # hundredths; under FSRS, which moves no easiness, its stability, difficulty and recall.
        **(
            {"easiness": [_bucket(x, 100) for x in stats.easiness]}
            if stats.memory is None
            else {
                "stability": [_bucket(x) for x in stats.memory.stability],
                "difficulty": [_bucket(x) for x in stats.memory.difficulty],
                "recall": stats.memory.recall,
            }
        ),
        "intervals": [_bucket(x) for x in stats.intervals],
        "branches": {
            "rows": [branch(row) for row in b.rows],
            "total": branch(b.total),
            "attention": {"id": b.attention.branch.key, "label": b.attention.branch.label, "reason": b.attention.reason}
            if b.attention
            else None,
        },
    }

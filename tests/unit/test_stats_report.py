"""The pieces the statistics are drawn with: bars in eighths and the heat map."""

from datetime import date, timedelta

from srs.core.stats import Calendar
from srs.core.stats_report import bar, heat_level, heat_map


def test_bars_fill_eighths_of_a_cell_and_never_overflow():
    assert bar(0, 10, 8) == "" and bar(5, 0, 8) == ""
    assert bar(10, 10, 8) == "█" * 8
    assert bar(1, 10, 8) == "▊"  # 6.4 eighths -> 6
    assert bar(1, 1000, 8) == "▏"  # anything above zero shows
    assert bar(3, 2, 4) == "████"
    assert bar(0.5, 1, 3) == "█▌"


def test_heat_levels_split_the_busiest_day_in_quarters():
    assert [heat_level(n, 8) for n in range(10)] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]
    assert heat_level(3, 0) == 0


def test_heat_map_weeks_start_on_monday_and_name_the_months():
    start = date(2026, 2, 25)  # a Wednesday
    cal = Calendar(start, start + timedelta(days=10), {start: 4, date(2026, 3, 1): 1, date(2026, 3, 7): 2}, 0)
    # Columns are weeks from Monday 23 February; 1 March is that week's Sunday.
    assert heat_map(cal) == [
        "    Mar",
        "Mon  ·",
        "Tue  ·",
        "Wed █·",
        "Thu ··",
        "Fri ··",
        "Sat ·▒",
        "Sun ░",
        "    · none  ░▒▓█ up to 4 answers a day",
    ]

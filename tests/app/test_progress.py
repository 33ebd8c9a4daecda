"""The session's progress line: its bars, cell by cell."""

import pytest

from srs.tui.widgets.progress import bar


@pytest.mark.parametrize(
    ("done", "total", "drawn"),
    [
        (0, 10, "··········"),
        (1, 10, "#╺········"),  # one cell exactly: the rest starts with a half cell
        (1, 4, "##╸·······"),  # 2.5 cells: a half cell ends the done part
        (1, 3, "###╸······"),  # 3.33 cells round to 3.5
        (2, 3, "######╸···"),  # 6.67 cells round to 6.5
        (9, 10, "#########╺"),
        (10, 10, "##########"),
        (12, 10, "##########"),  # more done than planned stays full
        (0, 0, "··········"),  # an empty chunk
    ],
)
def test_bars_fill_in_half_cells(done, total, drawn):
    text = bar(done, total, 10, "green", "grey")
    assert len(text.plain) == 10 and not text.style
    assert {span.style for span in text.spans} <= {"green", "grey"}
    # Whole cells drawn as '#' when done and '·' when not; half cells as they are, each in the
    # style of its side.
    cells = list(text.plain)
    for span in text.spans:
        for i in range(span.start, span.end):
            if cells[i] == "━":
                cells[i] = "#" if span.style == "green" else "·"
            else:
                assert span.style == ("green" if cells[i] == "╸" else "grey")
    assert "".join(cells) == drawn

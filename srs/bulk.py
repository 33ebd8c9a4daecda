"""Work on a whole deck at once: importing a file, exporting every note.

Such work builds hundreds of thousands of small objects that all stay alive until it ends.
Python's cyclic garbage collector runs a pass every few hundred new objects and a full pass
each time the live set grows by a quarter, so on a large deck it spends a third of the time
walking objects that are not garbage. `collector_paused` holds it off for the length of the
work; reference counting still frees everything as usual, and whatever cycles are left are
collected once the collector is back on.

Starting the program is such work too: importing SQLAlchemy and Textual and building the first
screen make tens of thousands of objects that live as long as the process. The `srs` command
pauses the collector from its first line (`pause_for_startup`); the terminal app resumes it once
its first screen is drawn (`resume_after_startup`), and a one-shot command runs to its end
without it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (usable as a decorator too)."""
    if not gc.isenabled():  # already paused by an enclosing block: leave it to that one
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_paused_for_startup = False


def pause_for_startup() -> None:
    """Pause the collector while the program starts, unless something else already did."""
    global _paused_for_startup
    # bench_tui at 100k cards: without it, collector passes take 65 ms before the first card, 260 ms before the map.
    if gc.isenabled():
        gc.disable()
        _paused_for_startup = True


def resume_after_startup() -> None:
    """Turn the collector back on after `pause_for_startup` (and only then).

    What the start made is set aside first (`gc.freeze`): nearly all of it lives as long as the
    process, so later passes need not walk it again. The price: a cycle made during the start that
    later becomes garbage (the first screen's widgets, once it closes) is kept until the process
    ends, a few megabytes at most.
    """
    global _paused_for_startup
    if _paused_for_startup:
        _paused_for_startup = False
        # bench_tui at 100k cards: 30 grades then spend 55 ms collecting (longest pass 4), 195 (55) unfrozen.
        gc.freeze()
        gc.enable()

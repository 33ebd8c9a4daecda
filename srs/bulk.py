"""Work on a whole deck at once: importing a file, exporting every note.

Such work builds hundreds of thousands of small objects that all stay alive until it ends.
Python's cyclic garbage collector runs a pass every few hundred new objects and a full pass
each time the live set grows by a quarter, so on a large deck it spends a third of the time
walking objects that are not garbage. `collector_paused` holds it off for the length of the
work; reference counting still frees everything as usual, and whatever cycles are left are
collected once the collector is back on.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


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

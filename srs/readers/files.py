"""A deck file's bytes, and its text: read whole, decoded as UTF-8, refused at a character that
deck text cannot hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from srs.errors import DeckFileError

CHUNK = 1 << 20

Progress = Callable[[int, int], None]
"""Called with (bytes read, total bytes) while a large file is read."""

ZIP_SIGNATURE = b"PK\x03\x04"
"""How a zip archive (an XMind file) begins."""
BINARY = "a binary file, not a concept graph"


def read_bytes(path: Path, progress: Progress | None, zip_ok: bool = False) -> bytes:
    """The bytes of the deck file at `path`, refused when missing, unreadable, empty or binary
    (a zip archive allowed with `zip_ok`)."""
    try:
        if path.is_dir():
            raise DeckFileError(path, "is a folder, not a deck file")
        with path.open("rb") as f:
            total = path.stat().st_size
            parts = []
            done = 0
            while chunk := f.read(CHUNK):
                parts.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except FileNotFoundError:
        raise DeckFileError(path, "no such file") from None
    except PermissionError:
        raise DeckFileError(path, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise DeckFileError(path, f"cannot read the file: {exc.strerror or exc}") from None
    data = b"".join(parts)
    if not data.strip():
        raise DeckFileError(path, "the file is empty")
    zipped = zip_ok and data.startswith(ZIP_SIGNATURE)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not zipped:
        raise DeckFileError(path, BINARY)
    return data


def text(path: Path, data: bytes) -> str:
    """`data` as UTF-8 text (a byte-order mark allowed), refused at the line of a byte that is not
    UTF-8 or of a character that deck text cannot hold."""
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckFileError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", f"line {line}") from None
    return characters_checked(path, decoded)


NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What deck text cannot hold: the control characters but tab and line breaks, U+FFFE, U+FFFF
and lone surrogates, as XML 1.0 (and so a GEXF export) refuses them; PostgreSQL refuses NUL too."""


def not_text(char: str) -> str:
    """The error message for a character that deck text cannot hold."""
    kind = "a control character" if ord(char) < 0x20 else "not a character"
    return f"holds U+{ord(char):04X} ({kind}), which deck text cannot hold"


def characters_checked(path: Path, text: str) -> str:
    """`text`, refused at the line of its first character that deck text cannot hold."""
    found = NOT_TEXT.search(text)
    if found is not None:
        raise DeckFileError(path, not_text(found[0]), f"line {text.count(chr(10), 0, found.start()) + 1}")
    return text

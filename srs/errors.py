"""The one error hierarchy of the program.

Everything a user can cause (a broken file, a wrong name, a locked database) is raised as an
`SrsError`; the command line turns it into one line on stderr and exit code 2, the terminal app
into a notification. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class SrsError(Exception):
    """A problem the user can fix; `str()` is the one line shown to them."""


class DeckFileError(SrsError):
    """A deck file that cannot be read: names the file, the place in it, and what is wrong."""

    def __init__(self, path: object, what: str, where: str | None = None) -> None:
        self.path = str(path)
        self.where = where
        self.what = what
        place = f"{self.path}:{where}" if where else self.path
        super().__init__(f"{place}: {what}")


class GraphError(SrsError):
    """A concept graph whose shape cannot be learned (no root, a cycle, a dangling edge)."""

    def __init__(self, what: str, keys: tuple[str, ...] = ()) -> None:
        super().__init__(what)
        self.keys = keys
        """The nodes it concerns, so that a reader can say where they are in the file."""


class NotFoundError(SrsError):
    """A deck or node name that matches nothing."""


class AmbiguousError(SrsError):
    """A name that matches more than one thing; the message lists the matches."""


class StorageError(SrsError):
    """The database cannot be opened, read or written (locked, read-only, not SQLite, full)."""


class ExportError(SrsError):
    """An export that cannot be written (a folder that is not there or not writable) or has nothing in it."""


class ConfigError(SrsError):
    """A config file that cannot be read, or a setting in it that is wrong: names the file and the key."""

    def __init__(self, path: object, what: str, key: str | None = None) -> None:
        self.path = str(path)
        self.key = key
        self.what = what
        super().__init__(f"{self.path}: {key}: {what}" if key else f"{self.path}: {what}")


class ConfirmationNeeded(SrsError):
    """An import that would delete nodes, or retire more than half of a deck, asked for without --yes.

    Raised before anything is written; `removal` (an `srs.core.diff.Removal`) and `question` let a
    front end ask the learner and run the import again with their answer.
    """

    def __init__(self, message: str, question: str, removal: object) -> None:
        super().__init__(message)
        self.question = question
        self.removal = removal


class LintError(SrsError):
    """A map refused by `srs import --strict` because the linter found errors in it."""


class OptionError(SrsError):
    """A deck option that does not exist, or a value it cannot take."""

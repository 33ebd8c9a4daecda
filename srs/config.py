"""The learner's settings: a TOML file, environment variables and command-line options.

`$XDG_CONFIG_HOME/srs/config.toml` (`~/.config/srs/config.toml` when the variable is unset)
may hold the keys of `Config`. Each value is taken from the first of: a command-line option,
an environment variable, the file, the built-in default; each `Setting` says which it came
from. A missing file is no error; a file that is not TOML, an unknown key or a wrong value is
a `ConfigError` naming the file and the key. Nothing here reads anything but that file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from srs.core.day import DEFAULT_ROLLOVER_HOUR
from srs.errors import ConfigError, SrsError

CONFIG_FILE = Path("srs") / "config.toml"
"""The file's path inside the user's config folder."""

DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200
"""The daily limits a deck gets without a config file: the database's own column defaults."""

DEFAULT_LEECH_THRESHOLD = 8
"""Lapses after which a card is a leech, as in Anki."""

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One effective value and where it came from."""

    value: T
    """The value in effect (None where the default is "none": no deck named, the local time zone)."""
    source: str
    """`option`, `environment`, `file PATH` or `default`."""

    @property
    def from_file(self) -> bool:
        return self.source.startswith("file ")


@dataclass(frozen=True)
class Config:
    """Every setting, each with its value and where it came from."""

    path: Path
    """The config file read, or that would be read were it there."""
    deck: Setting[str | None]
    """The deck a command uses when `--deck` names none; without one, the only deck there is."""
    learner: Setting[str]
    """Whose schedules these are (`--learner`, $SRS_LEARNER): by default the operating-system user."""
    tz: Setting[str | None]
    """The time zone the learner's days are counted in ($SRS_TZ); None for the computer's own."""
    rollover_hour: Setting[int]
    """The hour, 0 to 23, at which a learner's day starts ($SRS_ROLLOVER_HOUR)."""
    new_per_day: Setting[int]
    """The daily limit of new cards a newly imported deck starts with (`srs limits` changes a deck's)."""
    reviews_per_day: Setting[int]
    """The daily limit of reviews a newly imported deck starts with."""
    leech_threshold: Setting[int]
    """The lapses after which a card counts as a leech."""
    leech_suspend: Setting[bool]
    """Suspend a card when an answer makes it a leech (taking the answer back lifts it)."""

    def deck_limits(self) -> dict[str, int]:
        """The daily limits a newly imported deck starts with, by column."""
        return {"new_per_day": self.new_per_day.value, "reviews_per_day": self.reviews_per_day.value}

    def settings(self) -> dict[str, Setting]:
        """The settings by key, in the order of the file's documentation."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}


KEYS = tuple(f.name for f in fields(Config) if f.name != "path")
"""The keys a config file may hold."""


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/srs/config.toml`, or `~/.config/srs/config.toml` when the variable is
    unset, empty or not an absolute path (which the XDG specification says to ignore)."""
    environ = os.environ if environ is None else environ
    folder = environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(folder):
        folder = os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(folder) / CONFIG_FILE


def shown_path(path: Path, environ: Mapping[str, str] | None = None) -> str:
    """`path` as messages name it: `~/...` when it is in the home folder."""
    environ = os.environ if environ is None else environ
    home = environ.get("HOME") or os.path.expanduser("~")
    try:
        inside = path.relative_to(home)
    except ValueError:
        return str(path)
    return str(Path("~") / inside) if home not in ("", "/") else str(path)


def read_config_file(path: Path, shown: str | None = None) -> dict[str, Any]:
    """The table the TOML file at `path` holds; an empty one when there is no such file."""
    shown = str(path) if shown is None else shown
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise ConfigError(shown, "it is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError(shown, f"cannot read it: {exc.strerror or exc}") from None
    # Imported only when there is a file: `import tomllib` takes 13 ms or more (-X importtime), every command.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the same parser, as a package, before Python had it
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, f"not UTF-8 text (byte {exc.start + 1})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(shown, f"not valid TOML: {exc}") from None


def load_config(
    environ: Mapping[str, str] | None = None, deck: str | None = None, learner: str | None = None
) -> Config:
    """The settings in effect: `deck` and `learner` given as command-line options, then `environ`
    (by default the process's environment), then the config file, then the defaults."""
    environ = os.environ if environ is None else environ
    path = config_path(environ)
    shown = shown_path(path, environ)
    return resolve(read_config_file(path, shown), path, shown, environ, deck, learner)


def resolve(
    table: Mapping[str, Any],
    path: Path,
    shown: str,
    environ: Mapping[str, str],
    deck: str | None = None,
    learner: str | None = None,
) -> Config:
    """The settings from a config file's `table` (read from `path`, named `shown` in messages),
    the environment variables in `environ` and the options `deck` and `learner`, checked;
    `ConfigError` or `SrsError` for the first that is wrong."""
    for key, value in table.items():
        if key not in KEYS:
            what = "a section" if isinstance(value, dict) else "a setting"
            raise ConfigError(shown, f"not {what} srs knows (it knows {', '.join(KEYS)})", key)
    source = f"file {shown}"

    def pick(key: str, check: Callable[[Any], Any], default: Any, given: Setting | None = None) -> Setting:
        """The setting `given` by an option or the environment, else the file's, else the default."""
        in_file = Setting(default, "default")
        if key in table:  # checked even where an option or the environment wins: a wrong file is wrong
            try:
                in_file = Setting(check(table[key]), source)
            except ValueError as exc:
                raise ConfigError(shown, f"{exc}, not {as_written(table[key])}", key) from None
        return given if given is not None else in_file

    hour = environ.get("SRS_ROLLOVER_HOUR")
    zone = environ.get("SRS_TZ")  # empty means the computer's own zone, as it always has
    named = environ.get("SRS_LEARNER")  # empty: unset
    if learner is not None:
        given_learner: Setting | None = Setting(learner_name(learner, "--learner"), "option")
    elif named:
        given_learner = Setting(learner_name(named, "SRS_LEARNER"), "environment")
    else:
        given_learner = None
    return Config(
        path=path,
        deck=pick("deck", _name("a deck's name"), None, None if deck is None else Setting(deck, "option")),
        learner=pick("learner", _learner_in_file, os_user(environ), given_learner),
        tz=pick("tz", _name("the name of a time zone"), None, Setting(zone, "environment") if zone else None),
        rollover_hour=pick(
            "rollover_hour",
            _whole(0, 23),
            DEFAULT_ROLLOVER_HOUR,
            None if hour is None else Setting(_hour(hour), "environment"),
        ),
        new_per_day=pick("new_per_day", _whole(0), DEFAULT_NEW_PER_DAY),
        reviews_per_day=pick("reviews_per_day", _whole(0), DEFAULT_REVIEWS_PER_DAY),
        leech_threshold=pick("leech_threshold", _whole(1), DEFAULT_LEECH_THRESHOLD),
        leech_suspend=pick("leech_suspend", _flag, False),
    )


MAX_LEARNER_NAME = 200
"""The longest learner's name, in characters: the database's column holds this many."""


def learner_name(given: str, where: str) -> str:
    """A learner's name given as `where` (an option or a variable), checked: text of one line,
    not blank, without control characters."""
    name = given.strip()
    if not name:
        raise SrsError(f"{where}: a learner's name cannot be blank")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
        shown = name.encode("unicode_escape").decode()
        raise SrsError(f"{where}: a learner's name cannot hold control characters: '{shown}'")
    if len(name) > MAX_LEARNER_NAME:
        raise SrsError(f"{where}: a learner's name is at most {MAX_LEARNER_NAME} characters, not {len(name)}")
    return name


def _learner_in_file(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a learner's name in quotes")
    try:
        return learner_name(value, "learner")
    except SrsError as exc:
        raise ValueError(str(exc).removeprefix("learner: ")) from None


def os_user(environ: Mapping[str, str]) -> str:
    """The operating-system user's name, the learner a database is opened as by default; `learner`
    where the system has no name for the user."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # as `getpass.getuser` reads them
        if environ.get(variable, "").strip():
            return learner_name(environ[variable], variable)
    try:
        import pwd

        return learner_name(pwd.getpwuid(os.getuid()).pw_name, "the user's name")
    except (ImportError, KeyError, OSError, SrsError):
        return "learner"


def _hour(given: str) -> int:
    """$SRS_ROLLOVER_HOUR, checked as it always was."""
    hour = given.strip()
    # ASCII digits only: str.isdigit also takes '²', which int() refuses.
    if not (hour.isascii() and hour.isdigit() and 0 <= int(hour) <= 23):
        raise SrsError(f"SRS_ROLLOVER_HOUR={hour!r} is not an hour from 0 to 23 (e.g. SRS_ROLLOVER_HOUR=4)")
    return int(hour)


MAX_LIMIT = 1_000_000_000
"""The largest whole number a setting takes: far beyond any day's study, and within what every
database stores."""


def _whole(low: int, high: int | None = None) -> Callable[[Any], int]:
    """A check that a value is a whole number from `low` to `high` (or `MAX_LIMIT`, unsaid)."""

    def check(value: Any) -> int:
        # TOML's true and false are Python bools, which are ints too.
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and low <= value <= (high or MAX_LIMIT):
            return value
        if high is not None or (whole and value > MAX_LIMIT):
            raise ValueError(f"must be a whole number from {low} to {high or MAX_LIMIT}")
        raise ValueError(f"must be a whole number, {low} or more")

    return check


def _flag(value: Any) -> bool:
    """A check that a value is true or false."""
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _name(what: str) -> Callable[[Any], str]:
    """A check that a value is text, `what` the setting names."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"must be {what} in quotes")
        return value

    return check


def as_written(value: Any) -> str:
    """`value` as it would be written in the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)

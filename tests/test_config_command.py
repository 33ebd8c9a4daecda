"""The config file from the command line: `srs config`, and each setting taking effect where no
option or environment variable gives one. Real files, a real SQLite database, the real command."""

import json
import os

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from srs.cli import cli
from srs.config import KEYS


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    """Write the learner's config file (under a fresh $XDG_CONFIG_HOME); returns its path."""
    folder = tmp_path / "config-home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    path = folder / "srs" / "config.toml"

    def write(content: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def srs(tmp_path):
    """Run `srs --db FILE ...` in-process, as a learner would: no test Env, the real settings."""
    db = tmp_path / "srs.sqlite3"

    def invoke(*args, code=0, env=None):
        result = CliRunner().invoke(cli, ["--db", str(db), *args], env=env)
        assert result.exit_code == code, result.output
        return result.output

    invoke.db = db
    return invoke


def limits_in(db) -> dict:
    with create_engine(f"sqlite:///{db}").connect() as conn:
        return {
            name: (new, reviews)
            for name, new, reviews in conn.execute(text("SELECT name, new_per_day, reviews_per_day FROM decks"))
        }


def test_without_a_file_srs_config_shows_the_defaults(srs):
    path = f"{os.environ['XDG_CONFIG_HOME']}/srs/config.toml"
    assert srs("config", env={"LOGNAME": "ada"}).splitlines() == [
        f"Config file: {path} (not there: nothing is read from it)",
        "  deck             none (the only deck there is)        default",
        '  learner          "ada"                                default',
        "  tz               none (the computer's own time zone)  default",
        "  rollover_hour    4                                    default",
        "  new_per_day      20                                   default",
        "  reviews_per_day  200                                  default",
        "  leech_threshold  8                                    default",
        "  leech_suspend    false                                default",
    ]
    assert not srs.db.exists()  # showing the settings needs no database


def test_srs_config_says_where_each_value_came_from(srs, config_file):
    path = config_file(
        'deck = "Scaling"\ntz = "Asia/Tokyo"\nrollover_hour = 23\nnew_per_day = 5\nleech_threshold = 4\n'
        "leech_suspend = true\n"
    )
    environ = {"SRS_ROLLOVER_HOUR": "2", "SRS_LEARNER": "ana"}
    assert srs("--learner", "bo", "config", "--deck", "Notes", env=environ).splitlines() == [
        f"Config file: {path}",
        '  deck             "Notes"       option',
        '  learner          "bo"          option',
        f'  tz               "Asia/Tokyo"  file {path}',
        "  rollover_hour    2             environment",
        f"  new_per_day      5             file {path}",
        "  reviews_per_day  200           default",
        f"  leech_threshold  4             file {path}",
        f"  leech_suspend    true          file {path}",
    ]
    shown = json.loads(srs("config", "--json", env=environ))
    assert shown == {
        "file": str(path),
        "file_exists": True,
        "settings": {
            "deck": {"value": "Scaling", "from": f"file {path}"},
            "learner": {"value": "ana", "from": "environment"},
            "tz": {"value": "Asia/Tokyo", "from": f"file {path}"},
            "rollover_hour": {"value": 2, "from": "environment"},
            "new_per_day": {"value": 5, "from": f"file {path}"},
            "reviews_per_day": {"value": 200, "from": "default"},
            "leech_threshold": {"value": 4, "from": f"file {path}"},
            "leech_suspend": {"value": True, "from": f"file {path}"},
        },
    }
    assert tuple(shown["settings"]) == KEYS


def test_the_file_is_found_under_home_when_xdg_config_home_is_unset(srs, tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".config" / "srs").mkdir(parents=True)
    (tmp_path / ".config" / "srs" / "config.toml").write_text("new_per_day = 7\n")
    lines = srs("config").splitlines()
    assert lines[0] == "Config file: ~/.config/srs/config.toml"
    assert lines[5] == "  new_per_day      7                                    file ~/.config/srs/config.toml"


@pytest.mark.parametrize(
    "content, problem",
    [
        ("rollover_hour = 25\n", "rollover_hour: must be a whole number from 0 to 23, not 25"),
        (
            'tz = "Mars/Olympus"\n',
            'tz: "Mars/Olympus" is not a time zone (e.g. tz = "Europe/Paris" or tz = "UTC+02:00")',
        ),
        (
            'tz = "UTC+23:00"\n',
            'tz: "UTC+23:00" is +23 hours from UTC; real time zones are from -12 to +14 '
            '(e.g. tz = "Europe/Paris" or tz = "UTC+02:00")',
        ),
        ("leech_threshold = 'eight'\n", 'leech_threshold: must be a whole number, 1 or more, not "eight"'),
        ("deadline = 3\n", f"deadline: not a setting srs knows (it knows {', '.join(KEYS)})"),
    ],
)
@pytest.mark.parametrize("command", [["config"], ["decks"], ["import", "{data}/small.gexf"]])
def test_a_bad_file_is_one_line_exit_2_and_creates_nothing(srs, config_file, data, content, problem, command):
    path = config_file(content)
    out = srs(*[part.format(data=data) for part in command], code=2)
    assert out == f"Error: {path}: {problem}\n"
    assert not srs.db.exists()


def test_the_environment_wins_over_a_bad_zone_in_the_file(srs, config_file):
    config_file('tz = "Mars/Olympus"\n')
    assert json.loads(srs("config", "--json", env={"SRS_TZ": "UTC"}))["settings"]["tz"] == {
        "value": "UTC",
        "from": "environment",
    }


def test_the_file_s_deck_is_used_where_no_deck_option_names_one(srs, config_file, data):
    srs("import", str(data / "small.gexf"))
    srs("import", str(data / "outline.md"), "--deck", "Notes")
    assert srs("due", code=2) == "Error: there are several decks, choose one with --deck: 'Notes', 'Scaling'\n"
    config_file('deck = "Notes"\n')
    assert json.loads(srs("due", "--json"))["deck"] == "Notes"
    assert srs("limits") == "Notes: 20 new cards and 200 reviews a day\n"
    assert json.loads(srs("due", "--deck", "Scaling", "--json"))["deck"] == "Scaling"  # the option wins
    # An import never fills the file's deck: without --deck it makes (or updates) the graph's own.
    assert srs("import", str(data / "small.gexf")) == "Scaling: already up to date (5 nodes); nothing changed.\n"


def test_a_newly_imported_deck_gets_the_file_s_daily_limits_and_others_keep_theirs(srs, config_file, data):
    srs("import", str(data / "small.gexf"))
    srs("limits", "--new", "3")
    config_file("new_per_day = 7\nreviews_per_day = 70\n")
    srs("import", str(data / "outline.md"), "--deck", "Notes")
    srs("import", str(data / "small.gexf"))  # a re-import of an existing deck
    assert limits_in(srs.db) == {"Scaling": (3, 200), "Notes": (7, 70)}
    assert json.loads(srs("due", "--deck", "Notes", "--json"))["new"] == 7


def test_the_bundled_decks_of_a_first_run_get_the_file_s_daily_limits(srs, config_file):
    config_file("new_per_day = 9\n")
    assert srs("decks") == "Scaling Hypothesis: 149 nodes, 186 cards — 0 due, 9 new today\n"
    assert limits_in(srs.db) == {"Scaling Hypothesis": (9, 200)}


def test_the_file_s_time_zone_and_hour_move_the_learner_s_day(srs, config_file, data):
    srs("import", str(data / "small.gexf"))
    days = {}
    for zone in ("UTC-12:00", "UTC+14:00"):
        config_file(f'tz = "{zone}"\nrollover_hour = 0\n')
        days[zone] = json.loads(srs("due", "--json"))["today"]
    # 26 hours apart: on every day of the year the two zones are on different dates.
    assert days["UTC-12:00"] < days["UTC+14:00"]


def test_the_app_opens_on_the_file_s_deck(srs, config_file, data, monkeypatch):
    from srs import cli as command
    from srs.tui.app import SrsApp

    opened: list[SrsApp] = []
    monkeypatch.setattr(command, "_in_terminal", lambda: True)
    monkeypatch.setattr(SrsApp, "run", lambda self, *args, **kwargs: opened.append(self))
    srs("import", str(data / "small.gexf"))
    srs("import", str(data / "outline.md"), "--deck", "Notes")
    config_file('deck = "Notes"\n')
    srs()
    srs("review")
    assert [(app.deck_name, app.start_review) for app in opened] == [("Notes", False), ("Notes", True)]


def test_a_deck_the_file_names_that_is_not_there_says_where_it_was_named(srs, config_file, data):
    srs("import", str(data / "small.gexf"))
    path = config_file('deck = "Scalng"\n')
    assert srs("due", code=2) == f"Error: no deck named 'Scalng'; did you mean 'Scaling'? (the deck named in {path})\n"
    # A name typed on the command line is the learner's own: the file is not mentioned.
    assert srs("due", "--deck", "Scalng", code=2) == "Error: no deck named 'Scalng'; did you mean 'Scaling'?\n"

"""The settings: where the file is, what it may hold, and which source wins."""

from datetime import timedelta

import pytest

from srs.config import KEYS, Config, config_path, load_config, read_config_file, resolve, shown_path
from srs.env import system_clock
from srs.errors import ConfigError, SrsError


def write(folder, text: str | bytes):
    path = folder / "srs" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def values(config: Config) -> dict:
    return {key: (s.value, s.source) for key, s in config.settings().items()}


def test_the_file_is_under_xdg_config_home_else_under_home(tmp_path):
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/home/ada"}) == tmp_path / "srs" / "config.toml"
    assert config_path({"HOME": "/home/ada"}).as_posix() == "/home/ada/.config/srs/config.toml"
    # The XDG specification: an empty or relative value is ignored.
    assert config_path({"XDG_CONFIG_HOME": "", "HOME": "/home/ada"}).as_posix() == "/home/ada/.config/srs/config.toml"
    assert (
        config_path({"XDG_CONFIG_HOME": "cfg", "HOME": "/home/ada"}).as_posix() == "/home/ada/.config/srs/config.toml"
    )


def test_a_path_in_the_home_folder_is_shown_from_tilde(tmp_path):
    path = tmp_path / ".config" / "srs" / "config.toml"
    assert shown_path(path, {"HOME": str(tmp_path)}) == "~/.config/srs/config.toml"
    assert shown_path(path, {"HOME": "/elsewhere"}) == str(path)


def test_without_a_file_every_value_is_the_default(tmp_path):
    config = load_config({"XDG_CONFIG_HOME": str(tmp_path), "USER": "ada"})
    assert config.path == tmp_path / "srs" / "config.toml"
    assert values(config) == {
        "deck": (None, "default"),
        "learner": ("ada", "default"),
        "tz": (None, "default"),
        "rollover_hour": (4, "default"),
        "new_per_day": (20, "default"),
        "reviews_per_day": (200, "default"),
        "leech_threshold": (8, "default"),
        "leech_suspend": (False, "default"),
    }
    assert tuple(values(config)) == KEYS


def test_every_key_read_from_the_file(tmp_path):
    path = write(
        tmp_path,
        'deck = "Scaling Hypothesis"\nlearner = "ana"\ntz = "Europe/Paris"\nrollover_hour = 0\nnew_per_day = 0\n'
        "reviews_per_day = 1000\nleech_threshold = 1\nleech_suspend = true\n",
    )
    config = load_config({"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/nowhere"})
    source = f"file {path}"
    assert values(config) == {
        "deck": ("Scaling Hypothesis", source),
        "learner": ("ana", source),
        "tz": ("Europe/Paris", source),
        "rollover_hour": (0, source),
        "new_per_day": (0, source),
        "reviews_per_day": (1000, source),
        "leech_threshold": (1, source),
        "leech_suspend": (True, source),
    }
    assert config.deck_limits() == {"new_per_day": 0, "reviews_per_day": 1000}


def test_option_beats_environment_beats_file_beats_default(tmp_path):
    write(tmp_path, 'deck = "From file"\ntz = "Asia/Tokyo"\nrollover_hour = 23\n')
    environ = {"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path), "SRS_TZ": "UTC", "SRS_ROLLOVER_HOUR": " 2 "}
    config = load_config({**environ, "SRS_LEARNER": "bo"}, deck="From option")
    assert values(config) == {
        "deck": ("From option", "option"),
        "learner": ("bo", "environment"),
        "tz": ("UTC", "environment"),
        "rollover_hour": (2, "environment"),
        "new_per_day": (20, "default"),
        "reviews_per_day": (200, "default"),
        "leech_threshold": (8, "default"),
        "leech_suspend": (False, "default"),
    }
    assert load_config(environ).deck.source == "file ~/srs/config.toml"
    # An empty SRS_TZ has always meant the computer's own zone: the file's then applies.
    assert load_config({**environ, "SRS_TZ": ""}).tz.value == "Asia/Tokyo"


def test_the_clock_keeps_the_file_s_zone_and_hour(tmp_path):
    write(tmp_path, 'tz = "Pacific/Kiritimati"\nrollover_hour = 23\n')
    clock = system_clock(load_config({"XDG_CONFIG_HOME": str(tmp_path)}))
    assert clock.rollover_hour == 23
    assert clock.now().astimezone(clock.tz).utcoffset() == timedelta(hours=14)


@pytest.mark.parametrize(
    "text, message",
    [
        ("rollover_hour = 25", "rollover_hour: must be a whole number from 0 to 23, not 25"),
        ("rollover_hour = -1", "rollover_hour: must be a whole number from 0 to 23, not -1"),
        ('rollover_hour = "4"', 'rollover_hour: must be a whole number from 0 to 23, not "4"'),
        ("rollover_hour = 4.5", "rollover_hour: must be a whole number from 0 to 23, not 4.5"),
        ("rollover_hour = true", "rollover_hour: must be a whole number from 0 to 23, not true"),
        ("new_per_day = -3", "new_per_day: must be a whole number, 0 or more, not -3"),
        ("reviews_per_day = [1, 2]", "reviews_per_day: must be a whole number, 0 or more, not a list"),
        ("new_per_day = 10000000000", "new_per_day: must be a whole number from 0 to 1000000000, not 10000000000"),
        ("leech_threshold = 0", "leech_threshold: must be a whole number, 1 or more, not 0"),
        ("leech_suspend = 1", "leech_suspend: must be true or false, not 1"),
        ('leech_suspend = "yes"', 'leech_suspend: must be true or false, not "yes"'),
        ("deck = 3", "deck: must be a deck's name in quotes, not 3"),
        ('deck = "  "', 'deck: must be a deck\'s name in quotes, not "  "'),
        ("tz = 2", "tz: must be the name of a time zone in quotes, not 2"),
        ("colour = 3", "colour: not a setting srs knows (it knows " + ", ".join(KEYS) + ")"),
        ("[deck]\nname = 'x'", "deck: must be a deck's name in quotes, not a table"),
        ("[review]\nchunk = 5", "review: not a section srs knows (it knows " + ", ".join(KEYS) + ")"),
    ],
)
def test_a_bad_file_or_value_names_the_file_the_key_and_what_is_wrong(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config({"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/nowhere"})
    assert str(raised.value) == f"{path}: {message}"


@pytest.mark.parametrize("text", ["rollover_hour = ", "deck = 'a'\ndeck = 'b'", "deck = 'unclosed"])
def test_a_file_that_is_not_toml_is_one_line_naming_it(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config({"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/nowhere"})
    # The parser's own words (tomllib's, or tomli's on Python 3.10) say where.
    assert str(raised.value).startswith(f"{path}: not valid TOML: ")
    assert "\n" not in str(raised.value)


def test_a_file_that_is_not_text_or_not_a_file(tmp_path):
    path = write(tmp_path, b'deck = "\xff"\n')
    with pytest.raises(ConfigError, match=r"config.toml: not UTF-8 text \(byte 9\)$"):
        read_config_file(path)
    path.unlink()
    path.mkdir()
    with pytest.raises(ConfigError, match=r"config.toml: it is a folder, not a file$"):
        read_config_file(path)


def test_a_missing_file_is_no_error(tmp_path):
    assert read_config_file(tmp_path / "nowhere" / "config.toml") == {}


def test_the_environment_is_checked_as_it_always_was(tmp_path):
    with pytest.raises(SrsError, match=r"^SRS_ROLLOVER_HOUR='24' is not an hour from 0 to 23"):
        resolve({}, tmp_path / "config.toml", "config.toml", {"SRS_ROLLOVER_HOUR": "24"})
    config = resolve({"rollover_hour": 7}, tmp_path / "config.toml", "config.toml", {"SRS_ROLLOVER_HOUR": "5"})
    assert (config.rollover_hour.value, config.rollover_hour.source) == (5, "environment")


def test_a_wrong_value_in_the_file_is_refused_even_where_the_environment_wins(tmp_path):
    with pytest.raises(ConfigError, match=r"^config.toml: rollover_hour: must be a whole number from 0 to 23, not 99$"):
        resolve({"rollover_hour": 99}, tmp_path / "config.toml", "config.toml", {"SRS_ROLLOVER_HOUR": "5"})

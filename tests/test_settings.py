"""Settings read from the environment: a bad one is one line naming it, and nothing is touched."""

import pytest
from click.testing import CliRunner

from srs.cli import cli


def run_with(tmp_path, **environ):
    """`srs decks` on a database not yet created, with these environment variables."""
    path = tmp_path / "srs.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(path), "decks"], env=environ)
    return result, path


@pytest.mark.parametrize(
    "value, message",
    [
        ("/etc/passwd", "SRS_TZ='/etc/passwd' is not a time zone (e.g. SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00)"),
        ("Mars/Olympus", "SRS_TZ='Mars/Olympus' is not a time zone (e.g. SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00)"),
        ("UTC+99:00", "SRS_TZ='UTC+99:00' is not a time zone (e.g. SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00)"),
        (
            "UTC+23:00",
            "SRS_TZ='UTC+23:00' is +23 hours from UTC; real time zones are from -12 to +14 "
            "(e.g. SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00)",
        ),
        (
            "UTC-13:30",
            "SRS_TZ='UTC-13:30' is -13.5 hours from UTC; real time zones are from -12 to +14 "
            "(e.g. SRS_TZ=Europe/Paris or SRS_TZ=UTC+02:00)",
        ),
    ],
)
def test_a_time_zone_that_is_not_one_is_one_line_and_creates_nothing(tmp_path, value, message):
    result, path = run_with(tmp_path, SRS_TZ=value)
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")
    assert not path.exists()


@pytest.mark.parametrize("value", ["²", "24", "-1", "four", "4.5"])
def test_a_rollover_hour_that_is_not_an_hour_is_one_line_and_creates_nothing(tmp_path, value):
    result, path = run_with(tmp_path, SRS_ROLLOVER_HOUR=value)
    assert (result.exit_code, result.output) == (
        2,
        f"Error: SRS_ROLLOVER_HOUR={value!r} is not an hour from 0 to 23 (e.g. SRS_ROLLOVER_HOUR=4)\n",
    )
    assert not path.exists()


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC+14:00", "UTC-12:00", "Pacific/Kiritimati", "EST5EDT"])
def test_real_time_zones_and_hours_are_taken(tmp_path, zone):
    result, path = run_with(tmp_path, SRS_TZ=zone, SRS_ROLLOVER_HOUR="23")
    assert (result.exit_code, result.output) == (0, "Scaling Hypothesis: 149 nodes, 186 cards — 0 due, 20 new today\n")

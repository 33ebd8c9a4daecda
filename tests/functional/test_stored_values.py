"""Values read from the database that their columns cannot hold (SQLite keeps whatever it is
given): one line naming the database, the card and the value, exit code 2, nothing changed."""

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from srs.cli import cli
from srs.storage import db

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
"""SQLite keeps what it is given; PostgreSQL refuses such values when they are written."""


@pytest.fixture
def srs(env):
    def invoke(*args):
        return CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)

    return invoke


def sql(env, statement, *params):
    with sqlite3.connect(db.database_file(env.url)) as conn:
        conn.execute(statement, params)
    conn.close()


def digest(env) -> str:
    """The database file's digest, once every connection is closed (the log folded in)."""
    env.close()
    with open(db.database_file(env.url), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def card_of(env, key, kind) -> int:
    with sqlite3.connect(db.database_file(env.url)) as conn:
        (card_id,) = conn.execute(
            "SELECT cards.id FROM cards JOIN nodes ON nodes.id = cards.node_id WHERE nodes.key = ? AND cards.kind = ?",
            (key, kind),
        ).fetchone()
    conn.close()
    return card_id


def one_line(result, expected):
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {expected}\n")


@pytest.mark.parametrize(
    "column, value, what",
    [
        ("due", "9999-99-99", "has a due day that is not a date: '9999-99-99'"),
        ("last_day", "yesterday", "has a last answer day that is not a date: 'yesterday'"),
        ("easiness", "abc", "has an easiness that is not a number: 'abc'"),
        ("interval", b"\x00", "has an interval that is not a number: b'\\x00'"),
    ],
)
def test_a_bad_card_value_is_one_line_naming_the_card_in_every_command_that_reads_it(
    srs, env, data, tmp_path, column, value, what
):
    assert srs("import", str(data / "small.gexf")).exit_code == 0
    card = card_of(env, "data-parallelism", "definition")
    sql(env, f"UPDATE cards SET {column} = ?, reviews = 1 WHERE id = ?", value, card)
    before = digest(env)
    expected = f"{env.where}: card {card} (Data Parallelism, definition) {what}"
    one_line(srs("show", "Data Parallelism"), expected)
    one_line(srs("show", "Data Parallelism", "--json"), expected)
    if column != "last_day":  # the GEXF export writes the schedule, not the day of the last answer
        one_line(srs("export", "gexf", "-o", str(tmp_path / "out.gexf")), expected)
        assert not (tmp_path / "out.gexf").exists()
    assert digest(env) == before


@pytest.mark.parametrize("value", ["abc", "0", "-1", "³"])
def test_a_schema_version_that_is_not_one_is_one_line_and_changes_nothing(srs, env, data, value):
    assert srs("import", str(data / "small.gexf")).exit_code == 0
    env.close()
    sql(env, "UPDATE meta SET value = ? WHERE key = 'schema_version'", value)
    before = digest(env)
    one_line(srs("decks"), f"{env.where}: the schema version in table meta is not a version number: {value!r}")
    assert digest(env) == before

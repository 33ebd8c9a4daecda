"""What the functional tests share: the `srs` command run in-process as one learner. (A module
of its own, with a name no other test folder uses, so the tests can import it whatever else
pytest has loaded.)"""

from click.testing import CliRunner

from srs.cli import cli


def runner(env):
    """A function running an `srs` command in-process on `env` (its database, as its learner),
    checking the exit code (`code`, 0 unless told), and returning the output."""

    def invoke(*args, code=0):
        result = CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return invoke

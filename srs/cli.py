"""The command line: thin click commands over the library.

Every error a user can cause arrives here as an `SrsError` and leaves as one line on stderr with
exit code 2. Each command's docstring is its --help, with an example.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from srs.bulk import pause_for_startup
from srs.core.text import clean
from srs.errors import SrsError
from srs.readers import FORMATS

EXIT_USER_ERROR = 2


class UserError(click.ClickException):
    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str) -> None:
        # The message may quote deck text or a name the user typed: one line, controls made visible.
        super().__init__(clean(message, one_line=True))


class SrsGroup(click.Group):
    """A click group that turns the program's errors into one clean line, and whose commands take
    `--db` after their name as well as before it (`srs due --db other.db`)."""

    group_class = type  # `export` and any other group below is an SrsGroup too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(param.name == "db" for param in cmd.params):
            cmd.params.append(
                click.Option(
                    ["--db"],
                    type=click.Path(),
                    expose_value=False,
                    callback=_db_after_the_command,
                    help="SQLite file to use (as `srs --db PATH COMMAND`).",
                )
            )
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context):
        try:
            with _clean_usage_errors():
                return super().invoke(ctx)
        except SrsError as exc:
            raise UserError(str(exc) + _deck_source(ctx, exc)) from None
        except BrokenPipeError:
            # The reader went away (`srs tree | head`): stop quietly, as other command-line tools do.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open for whatever the exit still prints
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise UserError(f"{where}{exc.strerror or exc}") from None
        except Exception as exc:
            # SQLAlchemy is imported by the commands that use it, not to start every command.
            from sqlalchemy.exc import DBAPIError

            if not isinstance(exc, DBAPIError):
                raise
            from srs.storage.db import explain

            raise UserError(explain(exc)) from None


@contextmanager
def _clean_usage_errors():
    """Click's own errors about a command's arguments (an extra one, a bad value) may quote what
    was typed: the line they print shows its control characters as visible stand-ins too."""
    try:
        yield
    except click.ClickException as exc:
        # click types `message` Final, but prints whatever it holds when the error reaches it.
        exc.message = clean(exc.message, one_line=True)  # type: ignore[misc]
        raise


def _echo(text: str = "", *, err: bool = False) -> None:
    """Print a line (or lines) of output. Every command prints through here (or `_json`).

    Output quotes deck text and names the user typed; `clean` shows their control characters as
    visible stand-ins, so that a deck can never clear the screen, plant a link or write to the
    clipboard through the terminal.
    """
    click.echo(clean(text), err=err)


def _one_line(text: str) -> str:
    """A label, name or path for a single line (a table row): line breaks become spaces."""
    return clean(text, one_line=True)


def _indented(text: str) -> str:
    """Text that may run over several lines, each indented by two spaces under its heading."""
    return "\n".join(f"  {part}" for part in clean(text).split("\n"))


def _env(ctx: click.Context):
    """The shared Env, built on first use from --db and the settings (tests may pass one in as `obj`)."""
    from srs.env import Env, system_clock
    from srs.storage.db import database_url

    if ctx.obj is None:
        root = ctx.find_root()
        config = _settings(ctx)
        ctx.obj = Env(url=database_url(root.params.get("db")), clock=system_clock(config), config=config)
        root.call_on_close(ctx.obj.close)  # the database's connections end with the command
    return ctx.obj


def _settings(ctx: click.Context):
    """The learner's settings (`srs.config`: environment, config file, defaults), read once."""
    from srs.config import load_config

    root = ctx.find_root()
    if "srs.config" not in root.meta:
        root.meta["srs.config"] = load_config(learner=root.params.get("learner"))
    return root.meta["srs.config"]


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
"""DEL and the C1 controls (among them CSI and OSC, which some terminals obey): `json.dumps`
escapes C0 controls but leaves these raw. They only occur inside strings, where \\u escapes are valid."""


def _json(data) -> None:
    """Print `data` as JSON for scripts: non-ASCII text readable, every control character escaped."""
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    except RecursionError:  # `srs tree --json` of a map thousands of levels deep
        text = _deep_json(data)
    click.echo(text.translate(_JSON_ESCAPES))


def _deep_json(data) -> str:
    """`data` as compact JSON, written with a loop instead of recursion. Without indentation:
    indenting a map thousands of levels deep would take more room than the map itself."""
    out: list[str] = []
    open_values: list[tuple[Iterator, str, list[bool]]] = []  # (items, closer, [first?])

    def begin(value) -> None:
        if isinstance(value, (dict, list)):
            out.append("{" if isinstance(value, dict) else "[")
            items = iter(value.items()) if isinstance(value, dict) else ((None, v) for v in value)
            open_values.append((items, "}" if isinstance(value, dict) else "]", [True]))
        else:
            out.append(json.dumps(value, ensure_ascii=False, default=str))

    begin(data)
    while open_values:
        items, closer, first = open_values[-1]
        item = next(items, None)
        if item is None:
            open_values.pop()
            out.append(closer)
            continue
        key, value = item
        if not first[0]:
            out.append(", ")
        first[0] = False
        if key is not None:
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
        begin(value)
    return "".join(out)


@click.group(cls=SrsGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", type=click.Path(), envvar="SRS_DB", help="SQLite file to use (default: in your user data folder)."
)
@click.option(
    "--learner",
    metavar="NAME",
    help="Whose schedules to use (default: $SRS_LEARNER, the config file's learner, your user name).",
)
@click.version_option(package_name="srs-concepts", prog_name="srs")
@click.pass_context
def cli(ctx: click.Context, db: str | None, learner: str | None) -> None:
    """Learn a concept graph by spaced repetition.

    With no command, opens the terminal app on the concept map (or, when not run in a
    terminal, prints today's counts for every deck).

    \b
    Example:
        srs import my-map.gexf
        srs
        srs review
    """
    if ctx.invoked_subcommand is None:
        if _in_terminal():
            _run_app(_env(ctx), deck=_settings(ctx).deck.value)
        else:
            ctx.invoke(summary)


def _db_after_the_command(ctx: click.Context, _param, path: str | None) -> None:
    if path is not None:  # given after the command's name: it counts as if given before
        ctx.find_root().params["db"] = path


def _deck_option(f):
    """--deck NAME; without it, the config file's `deck` (None: the only deck there is)."""
    return click.option(
        "--deck",
        "deck_name",
        callback=_deck_or_default,
        shell_complete=_complete_deck,
        help="Deck to use, where the database holds several.",
    )(f)


def _deck_or_default(ctx: click.Context, _param, name: str | None) -> str | None:
    if name is not None:
        return name
    ctx.find_root().meta["srs.deck from the config"] = True
    return _settings(ctx).deck.value


def _deck_source(ctx: click.Context, exc: SrsError) -> str:
    """Where the deck an error names came from, when it was the config file's, not typed."""
    if not ctx.meta.get("srs.deck from the config"):
        return ""
    deck = _settings(ctx).deck
    if deck.value is None or not str(exc).startswith(f"no deck named {deck.value!r}"):
        return ""
    return f" (the deck named in {deck.source.removeprefix('file ')})"


# -- tab completion (`_SRS_COMPLETE=bash_source srs`; see the README) --------------------------


def _complete_deck(ctx: click.Context, _param, incomplete: str) -> list[str]:
    """The decks whose name starts with what was typed."""
    from srs.service.completion import deck_names

    return _completing(ctx, lambda env: deck_names(env, incomplete))


def _complete_node(ctx: click.Context, _param, incomplete: str) -> list[str]:
    """The nodes of the deck given before (or the config's, or the only one) whose label, or
    path after a `/`, starts with what was typed."""
    from srs.service.completion import node_names

    deck = ctx.params.get("deck_name")  # --deck typed before the word, else the config's deck
    return _completing(ctx, lambda env: node_names(env, deck if isinstance(deck, str) else None, incomplete))


def _completing(ctx: click.Context, names) -> list[str]:
    """`names(env)`, or nothing where the database or the deck cannot say: a shell that is
    completing a word has no room for an error, and the command itself will report it."""
    from sqlalchemy.exc import SQLAlchemyError

    made = ctx.obj is None
    try:
        env = _env(ctx)
        try:
            return names(env)
        finally:
            if made:  # the command's own close never comes: completion ends before it runs
                env.close()
    except (SrsError, SQLAlchemyError, OSError):
        return []


def _import_deck_option(f):
    """--deck NAME for an import: never the config file's deck, which would fill another graph into it."""
    return click.option(
        "--deck", "deck_name", shell_complete=_complete_deck, help="Deck to use, where the database holds several."
    )(f)


def _json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


def _in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _run_app(env, **options) -> None:
    from srs.tui.app import SrsApp  # deferred: Textual is only loaded for the app

    SrsApp(env, **options).run()


@cli.command("summary", hidden=True)
@click.pass_context
def summary(ctx: click.Context) -> None:
    """Today's counts for every deck."""
    from srs.service.decks import deck_summaries

    rows = deck_summaries(_env(ctx))
    if not rows:
        _echo("No decks yet. Import one with: srs import FILE")
        return
    for row in rows:
        _echo(f"{_one_line(row.name)}: {row.due} due, {row.new} new today, {row.reviewed_today} done")


# -- import -----------------------------------------------------------------------------------


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_import_deck_option
@click.option("--root", help="Node id or label of the root (required where it is unclear).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Format, when the extension does not say.")
@click.option(
    "--nodes",
    "nodes_file",
    type=click.Path(path_type=Path),
    help="For a CSV edge list: a CSV of nodes (id,label,definition,...).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete nodes gone from the file, with their review history, instead of retiring them.",
)
@click.option("--yes", is_flag=True, help="Go ahead with a --prune, or with retiring most of the deck, without asking.")
@click.option(
    "--theirs",
    is_flag=True,
    help="Where you edited a field in the program and the file changed it too, take the file's.",
)
@click.option(
    "--hierarchy",
    multiple=True,
    metavar="KIND",
    help="An edge kind that points from parent to child (repeatable), beside contains, has-part, narrower, ...",
)
@click.option(
    "--hierarchy-up",
    multiple=True,
    metavar="KIND",
    help="An edge kind that points from child to parent (repeatable), beside is-a, part-of, broader, ...",
)
@click.option("--strict", is_flag=True, help="Refuse a map in which the linter finds errors (see srs lint).")
@_json_option
@click.pass_context
def import_(
    ctx,
    file: Path,
    deck_name,
    root,
    fmt,
    nodes_file,
    dry_run,
    prune,
    yes,
    theirs,
    hierarchy,
    hierarchy_up,
    strict,
    as_json,
) -> None:
    """Import a concept graph, or update a deck from an edited one.

    Reads GEXF, GraphML, node-link JSON, CSV, Markdown outlines, Mermaid mindmaps, OPML, JSON
    Canvas (Obsidian), Freeplane/FreeMind and XMind. Nodes are matched by id, so an edited graph
    keeps the review history of every card that still exists; nodes gone from the file are
    retired, not deleted. The deck is named after the root unless --deck says.

    An import that would delete nodes (--prune) or retire more than half of the deck asks first
    in a terminal; elsewhere it needs --yes, and without it changes nothing.

    A field you edited in the program keeps your text. Where the file changed it too, the
    import reports a conflict once and keeps yours, or with --theirs takes the file's.

    The map is linted first (see srs lint): a line on stderr counts what was found, and with
    --strict a map with errors is refused, nothing imported.

    \b
    Example:
        srs import scaling.gexf
        srs import scaling.gexf --dry-run
        srs import notes.md --deck "My notes"
        srs import scaling.gexf --prune --yes    # delete retired nodes for good
        srs import scaling.gexf --theirs         # conflicts with your edits: the file's text
        srs import map.gexf --hierarchy includes --hierarchy-up specialises
        srs import map.gexf --strict             # refuse a map the linter finds errors in
    """
    from srs.errors import ConfirmationNeeded
    from srs.service.importing import import_file

    def run(agreed=None):
        return import_file(
            _env(ctx),
            file,
            deck_name,
            root=root,
            fmt=fmt,
            nodes_file=nodes_file,
            dry_run=dry_run,
            prune=prune,
            progress=_progress_bar(file),
            yes=yes,
            agreed=agreed,
            theirs=theirs,
            hierarchy=hierarchy,
            hierarchy_up=hierarchy_up,
            strict=strict,
        )

    try:
        report = run()
    except ConfirmationNeeded as asked:
        if not _can_ask():
            raise
        if not click.confirm(_one_line(asked.question), default=False, err=True):
            _echo("Nothing changed.", err=True)
            ctx.exit(1)
        # Asked outside the write transaction, then imported again: only what was agreed to, or less.
        report = run(agreed=asked.removal)
    if report.same_keys_as is not None:
        other = _one_line(report.same_keys_as)
        _echo(
            f"warning: the new deck {_one_line(report.deck)!r} has the node ids of deck {other!r}: "
            f"was its --nodes file left out? To update that deck instead, add --deck {other!r}",
            err=True,
        )
    if as_json:
        _json(
            {
                **_report_json(report, dry_run),
                "lint": {"errors": report.lint_errors, "warnings": report.lint_warnings} if report.linted else None,
            }
        )
        return
    _print_report(report, dry_run)
    if not report.linted and not report.unchanged:
        from srs.core.lint import UNASKED_UP_TO

        _echo(
            f"lint: not run on a map of more than {UNASKED_UP_TO:,} nodes (srs lint {_one_line(str(file))} runs it)",
            err=True,
        )
    elif (report.lint_errors or report.lint_warnings) and not report.unchanged:  # said when it changed
        from srs.core.text import plural

        # On stderr, after the report: what the linter found is advice on the file, not a change made.
        errors, warnings = plural(report.lint_errors, "error"), plural(report.lint_warnings, "warning")
        _echo(f"lint: {errors}, {warnings} (srs lint {_one_line(str(file))} for the detail)", err=True)


def _can_ask() -> bool:
    """Whether there is someone at a terminal to answer a question."""
    return sys.stdin.isatty()


def _report_json(report, dry_run: bool) -> dict:
    """The import report for scripts: the same facts as the text."""
    pruned = {label for label, _ in report.pruned}
    by_definition = {label for label, how in report.matched_by if how == "definition"}
    return {
        "deck": report.deck,
        "created": report.created,
        "nodes": report.nodes,
        "dry_run": dry_run,
        "unchanged": report.unchanged,
        "matched": [{"label": label, "by": how} for label, how in report.matched_by],
        "added": report.added,
        "changed": [{"label": label, "fields": fields} for label, fields in report.changed],
        "renamed": [
            {"from": old, "to": new, "matched_by": "definition" if new in by_definition else "id"}
            for old, new in report.renamed
        ],
        "moved": [{"label": label, "from": before, "to": after} for label, before, after in report.moved],
        "retired": [label for label in report.removed if label not in pruned],
        "restored": report.restored,
        "deleted": [{"label": label, "answers": answers} for label, answers in report.pruned],
        "merged": [{"label": label, "field": name} for label, name in report.merged],
        "conflicts": [
            {"label": c.label, "field": c.field, "yours": c.yours, "theirs": c.theirs, "kept": c.taken}
            for c in report.conflicts
        ],
        "cards": {
            "added": report.cards_added,
            "retired": report.cards_retired,
            "restored": report.cards_restored,
            "deleted": report.cards_deleted,
        },
    }


def _progress_bar(file: Path):
    if not sys.stderr.isatty():
        return None
    try:
        if file.stat().st_size < 4 << 20:
            return None
    except OSError:
        return None
    bar = click.progressbar(length=file.stat().st_size, label=f"Reading {_one_line(file.name)}", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.update(done - bar.pos)
        if done >= total:
            bar.render_finish()

    return update


def _print_report(report, dry_run: bool) -> None:
    line = _one_line
    if report.unchanged:
        _echo(f"{line(report.deck)}: already up to date ({report.nodes} nodes); nothing changed.")
        return
    head = "new deck" if report.created else "update"
    _echo(f"{line(report.deck)} ({head}, {report.nodes} nodes){' — dry run, nothing written' if dry_run else ''}:")
    by_definition = {label for label, how in report.matched_by if how == "definition"}
    renamed = {new for _old, new in report.renamed}
    for label, how in report.matched_by:
        if how != "definition" or label not in renamed:  # a rename says how it was matched on its own line
            _echo(f"  = matched by {how}: {line(label)}")
    if report.created:
        _echo(f"  + {len(report.added)} nodes")
    else:
        for label in report.added:
            _echo(f"  + added: {line(label)}")
    for label, fields in report.changed:
        _echo(f"  ~ changed: {line(label)} ({', '.join(fields)})")
    for old, new in report.renamed:
        how = " (matched by definition)" if new in by_definition else ""
        _echo(f"  ~ renamed{how}: {line(old)} -> {line(new)}")
    for label, before, after in report.moved:
        _echo(f"  > moved: {line(label)}: {line(before)} -> {line(after)}")
    pruned = {label for label, _ in report.pruned}
    for label in report.removed:
        if label not in pruned:
            _echo(f"  - retired: {line(label)}")
    for label in report.restored:
        _echo(f"  + restored: {line(label)}")
    for label, answers in report.pruned:
        _echo(f"  x deleted for good: {line(label)} ({answers} answers in its history)")
    for label, name in report.merged:
        _echo(f"  = merged: {line(label)} ({name}): the file now says what you wrote")
    for conflict in report.conflicts:
        what = f"  ! conflict: {line(conflict.label)} ({conflict.field}): edited by you and changed in the file; "
        if conflict.taken == "theirs":
            _echo(what + ("would take" if dry_run else "took") + " the file's (--theirs)")
        else:
            _echo(what + ("would keep" if dry_run else "kept") + " yours (--theirs takes the file's)")
    restored = f", {report.cards_restored} restored" if report.cards_restored else ""
    deleted = f", {report.cards_deleted} deleted" if report.cards_deleted else ""
    _echo(f"  cards: {report.cards_added} added, {report.cards_retired} retired{restored}{deleted}")


# -- lint -------------------------------------------------------------------------------------


@cli.command("lint")
@click.argument("file", type=click.Path(path_type=Path), required=False)
@_deck_option
@click.option("--root", help="Node id or label of the root (required where it is unclear).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Format, when the extension does not say.")
@click.option(
    "--nodes",
    "nodes_file",
    type=click.Path(path_type=Path),
    help="For a CSV edge list: a CSV of nodes (id,label,definition,...).",
)
@_json_option
@click.pass_context
def lint_(ctx, file: Path | None, deck_name, root, fmt, nodes_file, as_json) -> None:
    """Check a map before its cards are made: circular, missing or duplicate definitions, text
    that leans on its place in the map, grouping nodes and single children, mixed spellings
    and number notations.

    Lints FILE as `srs import` would read it, or without FILE a stored deck as it stands (the
    only one, or --deck NAME). Each finding has a stable code (see the README). Exits with 1
    when an error is found, 0 when only warnings are (or nothing).

    \b
    Example:
        srs lint my-map.gexf
        srs lint --deck "Scaling Hypothesis" --json
    """
    from srs.service.lint import lint_deck, lint_file

    if file is not None:
        if not ctx.find_root().meta.get("srs.deck from the config"):
            raise UserError("name a FILE or a --deck to lint, not both")
        report = lint_file(file, fmt=fmt, root=root, nodes_file=nodes_file)
    else:
        if root is not None or fmt is not None or nodes_file is not None:
            raise UserError("--root, --format and --nodes go with a FILE to lint")
        report = lint_deck(_env(ctx), deck_name)
    if as_json:
        _json(
            {
                "source": report.source,
                "errors": report.errors,
                "warnings": report.warnings,
                "findings": [
                    {
                        "code": f.code,
                        "name": f.name,
                        "level": f.level,
                        "key": f.key,
                        "label": f.label,
                        "message": f.message,
                    }
                    for f in report.findings
                ],
            }
        )
    else:
        _print_findings(report)
    if report.errors:
        ctx.exit(1)


def _print_findings(report) -> None:
    """The findings node by node: the node's label and key, then one line per finding."""
    from srs.core.lint import summary

    at = None
    for item in report.findings:
        if item.key != at:
            at = item.key
            _echo(f"{_one_line(item.label)} ({_one_line(item.key)}):")
        _echo(f"  {item.level} {item.code} {item.name}: {_one_line(item.message)}")
    _echo(f"lint: {summary(list(report.findings))}")


# -- decks, tree, due, show ---------------------------------------------------------------------


@cli.command()
@_json_option
@click.pass_context
def decks(ctx, as_json: bool) -> None:
    """List the decks with their node, card, due and new counts.

    \b
    Example:
        srs decks
        srs decks --json
    """
    from dataclasses import asdict

    from srs.service.decks import deck_summaries

    rows = deck_summaries(_env(ctx), with_retired=True)
    if as_json:
        _json([asdict(row) for row in rows])
        return
    if not rows:
        _echo("No decks yet. Import one with: srs import FILE")
    for row in rows:
        _echo(f"{_one_line(row.name)}: {row.nodes} nodes, {row.cards} cards — {row.due} due, {row.new} new today")
        if row.retired:
            _echo(f"  retired ({len(row.retired)}): {', '.join(map(_one_line, row.retired))}")


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@click.option("--depth", type=click.IntRange(min=0), help="Show this many levels below the branch.")
@_deck_option
@_json_option
@click.pass_context
def tree(ctx, branch, depth, deck_name, as_json) -> None:
    """Show the hierarchy with due / new / learned counts per branch.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs tree --depth 1
        srs tree "Data Scaling"
    """
    from srs.core.graph import outline
    from srs.service.decks import load_map

    deck_map = load_map(_env(ctx), deck_name, branch)
    if deck_map.branch is None:
        raise UserError(f"deck {deck_map.deck!r} has no root node")
    nodes = deck_map.nodes
    rows = outline(deck_map.branch, {nid: node.children for nid, node in nodes.items()}, depth)
    if as_json:
        _json(_nested(rows, nodes))
        return
    _echo(f"{'':40}  due   new  learned")
    for nid, level, _ in rows:
        node = nodes[nid]
        name = ("  " * level + _one_line(node.label))[:40]
        _echo(f"{name:40} {node.due:4} {node.new:5} {node.learned:8}")


def _nested(rows, nodes) -> dict:
    """The outline of `srs tree` as nested objects, each listed branch with its `children`."""
    top: dict = {}
    open_branches: list[tuple[int, dict]] = []  # the current node's ancestors, with their levels
    for nid, level, listed in rows:
        node = nodes[nid]
        item = {
            "id": node.key,
            "label": node.label,
            "due": node.due,
            "new": node.new,
            "learned": node.learned,
            "cards": node.cards,
            "mastery": round(node.mastery, 3),
        }
        if listed:
            item["children"] = []
        while open_branches and open_branches[-1][0] >= level:
            open_branches.pop()
        if open_branches:
            open_branches[-1][1]["children"].append(item)
        else:
            top = item
        open_branches.append((level, item))
    return top


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(min=0), help="How many of the next cards to list."
)
@_deck_option
@_json_option
@click.pass_context
def due(ctx, branch, limit, deck_name, as_json) -> None:
    """Today's counts and the next cards to study, for the deck or one branch.

    \b
    Example:
        srs due
        srs due "Computational Scaling" --limit 20
    """
    from srs.service.study import due_today

    env = _env(ctx)
    day = due_today(env, deck_name, branch, limit)
    upcoming = [
        {
            "card": card.card,
            "node": card.node,
            "term": card.term,
            "kind": card.kind,
            "state": card.state.value,
            "due": card.due.isoformat() if card.due else None,
        }
        for card in day.next
    ]
    data = {
        "deck": day.deck,
        "branch": day.branch,
        "today": day.today.isoformat(),
        "due": day.due,
        "new": day.new,
        "done": day.done,
        "next": upcoming,
    }
    if as_json:
        _json(data)
        return
    where = f"{_one_line(day.deck)} › {_one_line(day.branch)}" if day.branch is not None else _one_line(day.deck)
    _echo(f"{where} — {day.today.isoformat()}: {day.due} due, {day.new} new, {day.done} done today")
    for card in day.next:
        _echo(f"  {card.state.value:9} {card.kind:10} {_one_line(card.term)}")
    if not day.next:
        _echo("  Nothing left for today.")


def _history(card) -> str:
    """What a retired card's answers came to: out of every queue, it has no due day."""
    from srs.core.text import plural

    if not card.reviews:
        return "never answered"
    grades = _latest_events(card) or " ".join(map(str, card.last_grades))
    return (
        f"{plural(card.reviews, 'review')}, {plural(card.lapses, 'lapse')}, latest grades {grades}"
        f" · EF {card.easiness:.2f} · {card.interval} d"
    )


def _latest_events(card) -> str:
    """A card's latest events, latest first, each credit marked as one (`+2 d credit`); '' when
    none of them is a credit (the grades alone then say it)."""
    if all(event.credit_days is None for event in card.latest):
        return ""
    return " ".join(
        str(event.grade) if event.credit_days is None else f"[+{event.credit_days} d credit]" for event in card.latest
    )


@cli.command()
@click.argument("node", shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def show(ctx, node, deck_name, as_json) -> None:
    """Show a node's cards exactly as the learner sees them, with their schedules.

    NODE is a node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs show "Data Parallelism"
    """
    from srs.core.cards import back_lines, front_lines
    from srs.core.fsrs import memory_text
    from srs.service.nodes import find_node

    found = find_node(_env(ctx), deck_name, node)
    path = "/".join(found.path)
    if as_json:
        _json(
            {
                "id": found.key,
                "label": found.label,
                "path": path,
                "definition": found.definition,
                "notes": found.notes,
                "mnemonic": found.mnemonic,
                "retired": found.retired,
                "cards": [
                    {
                        "kind": card.kind,
                        "front": front_lines(card.content),
                        "back": back_lines(card.content),
                        "state": card.state.value,
                        "easiness": card.easiness,
                        "interval": card.interval,
                        "due": card.due.isoformat() if card.due else None,
                        "reviews": card.reviews,
                        "lapses": card.lapses,
                        "suspended": card.suspended,
                        "buried": card.buried,
                        "leech": card.leech,
                        "stability": card.stability,
                        "difficulty": card.difficulty,
                        "retrievability": card.retrievability,
                        # Only where the deck's option is on: the output stays as it was without it.
                        **({"prompt": card.prompt} if card.prompt else {}),
                    }
                    for card in found.cards
                ],
                "scheduler": found.scheduler,
                "pair_cards": [
                    {
                        "kind": card.kind,
                        "with": card.other,
                        "front": front_lines(card.content),
                        "back": back_lines(card.content),
                        "state": card.state.value,
                        "interval": card.interval,
                        "due": card.due.isoformat() if card.due else None,
                        "reviews": card.reviews,
                        "lapses": card.lapses,
                    }
                    for card in found.pair_cards
                ],
            }
        )
        return
    _echo(f"{_one_line(found.label)}  ({_one_line(path)})")
    if found.retired:
        _echo("retired: gone from the deck's file, kept with its history")
    for card in found.cards:
        _echo("")
        leech = f" · leech ({card.lapses} lapses)" if card.leech else ""
        if found.retired:
            _echo(f"── {card.kind} card · {card.state.value} · {_history(card)}{leech}")
        else:
            # SM-2's easiness, which FSRS leaves as it was, would mislead under FSRS.
            easiness = f" · EF {card.easiness:.2f}" if found.scheduler == "sm2" else ""
            _echo(
                f"── {card.kind} card · {card.state.value}"
                + (f" · due {card.due}{easiness} · {card.interval} d" if card.reviews else "")
                + (" · suspended" if card.suspended else "")
                + (" · buried until tomorrow" if card.buried else "")
                + leech
            )
            if credited := _latest_events(card):
                _echo(_indented(f"latest answers and credits: {credited}"))
        if card.stability is not None and card.difficulty is not None:
            _echo(_indented(memory_text(card.stability, card.difficulty, card.retrievability)))
        for line in front_lines(card.content):
            _echo(_indented(line))
        _echo("  ----")
        for line in back_lines(card.content):
            _echo(_indented(line))
        if card.prompt:
            _echo(_indented(f"Think: {card.prompt}"))
        if found.notes:
            _echo(_indented(f"Notes: {found.notes}"))
        if found.mnemonic:
            _echo(_indented(f"Mnemonic: {found.mnemonic}"))
    for pair in found.pair_cards:
        _echo("")
        _echo(
            f"── {pair.kind} card with {_one_line(pair.other)} · {pair.state.value}"
            + (f" · due {pair.due} · {pair.interval} d" if pair.reviews else "")
        )
        for line in front_lines(pair.content):
            _echo(_indented(line))
        _echo("  ----")
        for line in back_lines(pair.content):
            _echo(_indented(line))


@cli.command()
@click.argument("words", nargs=-1, required=True)
@_deck_option
@_json_option
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many matching nodes to list."
)
@click.pass_context
def search(ctx, words, deck_name, as_json, limit) -> None:
    """Find the nodes whose label, definition, example or notes hold WORDS, in any case.

    Several words must all occur, each in any of those fields. Label matches come first (the
    whole label, then its start, then anywhere in it), then matches in the other fields, each
    in the map's order. Each node is listed with its path, the field that matched and an
    excerpt. With no match, says so and exits with code 1, as grep does.

    \b
    Example:
        srs search parallelism
        srs search batch slice --json
    """
    from srs.service.search import search_deck

    text = " ".join(words)  # quoted or not, the words are the same search
    found = search_deck(_env(ctx), deck_name, text, limit)
    if as_json:
        _json(
            [
                {
                    "key": hit.key,
                    "label": hit.label,
                    "path": "/".join(hit.path),
                    "field": hit.field,
                    "excerpt": hit.excerpt,
                }
                for hit in found.hits
            ]
        )
    elif not found.hits:
        _echo(f"no node in deck {found.deck!r} matches {text!r}")
    else:
        for hit in found.hits:
            _echo(_one_line("/".join(hit.path)))
            _echo(f"  {hit.field}: {_one_line(hit.excerpt)}")
        if found.more:
            _echo(f"… and {found.more} more (--limit {limit + found.more} lists them all)")
    if not found.hits:
        ctx.exit(1)  # no match, as grep says it: not an error, but a script can tell


@cli.command("class")
@click.argument("branch", required=False, shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def class_(ctx, branch, deck_name, as_json) -> None:
    """How the class stands on each node of the deck (or of BRANCH and below).

    The class is every learner with cards of the deck. Per node: how many of them studied it
    (answered one of its cards), their mean mastery, and the lapse rate (lapses per review,
    every learner's together); then the nodes the class finds hardest, by lapse rate.

    \b
    Example:
        srs class
        srs class "Data Scaling" --json
        srs export gexf --class -o class.gexf
    """
    from srs.core.text import plural
    from srs.service.classes import class_view

    view = class_view(_env(ctx), deck_name, branch)

    def figures(node) -> dict:
        return {
            "key": node.key,
            "label": node.label,
            "learners": node.learners,
            "studied": node.studied,
            "mastery": round(node.mastery, 4),
            "reviews": node.reviews,
            "lapses": node.lapses,
            "lapse_rate": None if node.lapse_rate is None else round(node.lapse_rate, 4),
        }

    if as_json:
        _json(
            {
                "deck": view.deck,
                "branch": view.branch,
                "learners": view.learners,
                "nodes": [figures(node) for node in view.nodes],
                "hardest": [figures(node) for node in view.hardest],
            }
        )
        return
    where = view.deck if view.branch is None else f"{view.branch} ({view.deck})"
    _echo(f"{_one_line(where)}: a class of {plural(view.learners, 'learner')}, {plural(len(view.nodes), 'node')}")
    width = min(40, max((len(_one_line(node.label)) for node in view.nodes), default=4))
    _echo(f"  {'Node':{width}}  Studied  Mastery  Lapse rate")
    for node in view.nodes:
        rate = "-" if node.lapse_rate is None else f"{node.lapse_rate:.0%}"
        label = _one_line(node.label)
        label = label if len(label) <= width else label[: width - 1] + "…"
        _echo(f"  {label:{width}}  {f'{node.studied}/{node.learners}':>7}  {node.mastery:>7.0%}  {rate:>10}")
    if not view.hardest:
        _echo("No lapses yet: nothing the class finds hard.")
        return
    _echo("Hardest for the class:")
    for place, node in enumerate(view.hardest, 1):
        _echo(
            f"  {place}. {_one_line(node.label)}: {node.lapse_rate or 0:.0%} of "
            f"{plural(node.reviews, 'review')} lapsed, mastery {node.mastery:.0%}"
        )


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def leeches(ctx, branch, deck_name, as_json) -> None:
    """List the leeches: cards whose lapses reached leech_threshold, most lapses first.

    Each comes with what the graph suggests: a parent whose definition card is not learned yet,
    a sibling failed on the days it lapsed, a definition that names its own term. BRANCH is a
    node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs leeches
        srs leeches "Data Scaling" --json
    """
    from srs.core.text import plural
    from srs.service.leeches import find_leeches

    found = find_leeches(_env(ctx), deck_name, branch)
    if as_json:
        _json(
            {
                "deck": found.deck,
                "branch": found.branch,
                "threshold": found.threshold,
                "leeches": [
                    {
                        "key": leech.key,
                        "label": leech.label,
                        "path": "/".join(leech.path),
                        "kind": leech.kind,
                        "state": leech.state.value,
                        "lapses": leech.lapses,
                        "reviews": leech.reviews,
                        "suspended": leech.suspended,
                        "hints": {
                            "parents_not_learned": [
                                {"label": label, "state": state.value}
                                for label, state in leech.hints.parents_not_learned
                            ],
                            "failed_beside": [
                                {"label": sibling.label, "days": sibling.days} for sibling in leech.hints.failed_beside
                            ],
                            "names_itself": leech.hints.names_itself,
                        },
                    }
                    for leech in found.leeches
                ],
            }
        )
        return
    where = f"deck {found.deck!r}" if found.branch is None else f"{found.branch!r} of deck {found.deck!r}"
    lapsed = f"{plural(found.threshold, 'lapse')} or more"
    if not found.leeches:
        _echo(f"No leeches in {where}: no card has {lapsed}.")
        return
    _echo(f"{plural(len(found.leeches), 'leech', 'leeches')} in {where} ({lapsed}), most lapses first:")
    for leech in found.leeches:
        suspended = ", suspended" if leech.suspended else ""
        _echo("")
        _echo(f"{_one_line('/'.join(leech.path))}  ({leech.kind} card, {plural(leech.lapses, 'lapse')}{suspended})")
        hints = leech.hints
        for label, state in hints.parents_not_learned:
            _echo(f"  its parent is not learned yet: {_one_line(label)} ({state.value})")
        for sibling in hints.failed_beside:
            _echo(f"  failed beside {_one_line(sibling.label)} on {plural(sibling.days, 'day')} it lapsed")
        if hints.names_itself:
            _echo("  its definition names its own term")
        if not hints:
            _echo("  nothing in the graph stands out: the card's own text may need work")


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@_deck_option
@click.option(
    "--chunk",
    "chunk_size",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Cards in each chunk of the session.",
)
@click.option(
    "--ahead",
    metavar="DAYS",
    default=0,
    type=click.IntRange(min=0),
    help="Also take the cards due within DAYS days (before an exam); an early answer counts as any other.",
)
@click.option(
    "--extra-new",
    metavar="N",
    default=0,
    type=click.IntRange(min=0),
    help="Up to N new cards more than today's limit leaves (the limit itself stays).",
)
@click.option(
    "--cram",
    is_flag=True,
    help="Every card of the branch, due or not, in the order they are taught; answers move no schedule.",
)
@click.pass_context
def review(ctx, branch, deck_name, chunk_size, ahead, extra_new, cram) -> None:
    """Study in the terminal app: a branch's due and new cards, or every card due in the deck.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws". Cards come
    in chunks; between chunks you can go on or stop. Every answer is saved as it is given.

    Beyond the day's plan: --ahead DAYS also brings the cards due within DAYS days, answered as
    on any day (the next interval counts from today); --extra-new N brings up to N more new
    cards than the daily limit leaves, this once; --cram goes through every card of the branch
    in the order they are taught, and its answers are logged apart and move no schedule.

    \b
    Example:
        srs review
        srs review "Distributed Training" --chunk 5
        srs review "Scaling Laws" --ahead 7
        srs review --extra-new 10
        srs review "Data Scaling" --cram
    """
    from srs.core.queue import Beyond
    from srs.service.study import branch_scope

    if cram and (ahead or extra_new):
        raise UserError("--cram takes every card already: it goes without --ahead and --extra-new")
    env = _env(ctx)
    deck_name = branch_scope(env, deck_name, branch).deck  # a deck or branch not there: one line, before the app
    if not _in_terminal():
        raise UserError("srs review needs a terminal; `srs due` lists today's cards")
    beyond = Beyond(ahead=ahead, extra_new=extra_new, cram=cram)
    _run_app(env, deck=deck_name, branch=branch, review=True, chunk_size=chunk_size, beyond=beyond)


@cli.command()
@click.argument("node", shell_complete=_complete_node)
@click.argument("grade", type=click.IntRange(0, 5))
@click.option(
    "--kind",
    type=click.Choice(["definition", "children", "placement"]),
    help="Which of the node's cards (default: its definition card, or its placement card).",
)
@click.option(
    "--confused-with",
    "confused_with",
    metavar="OTHER",
    shell_complete=_complete_node,
    help="On a lapse (a grade below 3): the sibling you took the node for; the pair gets a contrast card.",
)
@_deck_option
@_json_option
@click.pass_context
def answer(ctx, node, grade, kind, confused_with, deck_name, as_json) -> None:
    """Record an answer to a node's card, graded 0-5, as the terminal app would.

    The first answer of the day is a review and moves the card's schedule; a card answered
    below 4 is asked again the same day, and later answers that day are drills, which are only
    logged. NODE is a node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs answer "Data Parallelism" 4
        srs answer Compute 3 --kind children --json
        srs answer "Data Parallelism" 1 --confused-with "Model Parallelism"
    """
    from srs.service.study import answer_node

    given = answer_node(_env(ctx), deck_name, node, grade, kind, confused_with)
    if as_json:
        _json(
            {
                "deck": given.deck,
                "node": given.node,
                "label": given.label,
                "kind": given.kind,
                "grade": given.grade,
                "drill": given.drill,
                "due": given.due,
                "again_today": given.again_today,
                "interval": given.interval,
                "easiness": given.easiness,
                "check": given.check,
                "checks": list(given.checks),
                "credits": [
                    {"node": c.node, "label": c.label, "level": c.level, "due_before": c.due_before, "due": c.due}
                    for c in given.credits
                ],
                "contrasts": list(given.contrasts),
            }
        )
        return
    what = "drill" if given.drill else "check" if given.check else "review"
    when = f"again today, then due {given.due}" if given.again_today else f"next due {given.due}"
    leech = ""
    if given.made_leech:
        leech = f"; a leech now ({given.lapses} lapses{', suspended' if given.suspended else ''})"
    _echo(f"{_one_line(given.label)} ({given.kind} card): {what} graded {given.grade}; {when}{leech}")
    if given.checks:
        checked = ", ".join(_one_line(label) for label in given.checks)
        _echo(f"To check today: {checked} (its definition card joins today's queue)")
    if given.credits:
        from srs.core.text import plural

        credited = ", ".join(f"{_one_line(c.label)} +{(c.due - c.due_before).days} d" for c in given.credits)
        _echo(f"Credited {plural(len(given.credits), 'ancestor card')}: {credited}")
    for other in given.contrasts:
        _echo(f"New contrast card: how does {_one_line(given.label)} differ from {_one_line(other)}?")


@cli.command()
@_deck_option
@click.pass_context
def undo(ctx, deck_name) -> None:
    """Take back the deck's last answer, given here or in the terminal app.

    The card's schedule goes back to what it was before the answer, and the answer leaves the
    log. Run it again to take back the one before.

    \b
    Example:
        srs undo
        srs undo --deck "My notes"
    """
    from srs.service.study import undo_last

    taken = undo_last(_env(ctx), deck_name)
    what = "drill" if taken.drill else "review"
    if taken.new_again:
        now = "new again"
    elif taken.again_today:
        now = f"asked again today, then due {taken.due}"
    else:
        now = f"due {taken.due}"
    _echo(
        f"Took back the {what} of {_one_line(taken.label)} ({taken.kind} card) graded {taken.grade} on {taken.day}; "
        f"the card is {now}"
    )
    if taken.credits:
        from srs.core.text import plural

        _echo(f"and its credit to {plural(taken.credits, 'ancestor card')}")


# -- suspend and bury ---------------------------------------------------------------------------


def _changed_json(changed) -> dict:
    return {
        "deck": changed.deck,
        "node": changed.node,
        "label": changed.label,
        "below": changed.below,
        "cards": changed.cards,
        "changed": changed.changed,
    }


def _report_change(changed, as_json: bool, done: str, unchanged: str, nothing: str) -> None:
    """One line saying what changed: `done` with the cards changed ({what}); or, when no card
    changed (still exit code 0), `nothing` and why: `unchanged` about the cards looked at
    ({cards}, {is_are})."""
    from srs.core.text import plural

    if as_json:
        _json(_changed_json(changed))
        return
    of = f'of "{_one_line(changed.label)}"' + (" and what is below it" if changed.below else "")
    if not changed.cards:
        _echo(f"{nothing}: there are no cards {of}.")
    elif not changed.changed:
        cards = f"{plural(changed.cards, 'card')} {of}"
        _echo(f"{nothing}: {unchanged.format(cards=cards, is_are='is' if changed.cards == 1 else 'are')}.")
    else:
        what = f"{plural(changed.changed, 'card')} {of}"
        _echo(f"{done.format(what=what)}.")


@cli.command()
@click.argument("branch", shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def suspend(ctx, branch, deck_name, as_json) -> None:
    """Suspend the cards of BRANCH and of every node below it: out of every queue until unsuspended.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws". Their
    schedules and history stay as they are.

    \b
    Example:
        srs suspend "Data Parallelism"
        srs suspend Compute --json
    """
    from srs.service.set_aside import suspend as suspend_branch

    _report_change(
        suspend_branch(_env(ctx), deck_name, branch),
        as_json,
        "Suspended {what}",
        "the {cards} {is_are} suspended already",
        "Nothing to suspend",
    )


@cli.command()
@click.argument("branch", shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def unsuspend(ctx, branch, deck_name, as_json) -> None:
    """Unsuspend the cards of BRANCH and of every node below it: back in the queues.

    \b
    Example:
        srs unsuspend Compute
    """
    from srs.service.set_aside import unsuspend as unsuspend_branch

    _report_change(
        unsuspend_branch(_env(ctx), deck_name, branch),
        as_json,
        "Unsuspended {what}",
        "the {cards} {is_are} not suspended",
        "Nothing to unsuspend",
    )


@cli.command()
@click.argument("node", shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def bury(ctx, node, deck_name, as_json) -> None:
    """Bury a node's cards until tomorrow: out of today's queues, back the next day as they are.

    Suspended cards stay suspended. `srs unbury NODE` brings them back today.

    \b
    Example:
        srs bury "Data Parallelism"
    """
    from srs.service.set_aside import bury as bury_node

    _report_change(
        bury_node(_env(ctx), deck_name, node),
        as_json,
        "Buried {what} until tomorrow",
        "the {cards} {is_are} suspended or buried today already",
        "Nothing to bury",
    )


@cli.command()
@click.argument("branch", shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def unbury(ctx, branch, deck_name, as_json) -> None:
    """Bring the cards of BRANCH (and of every node below it) buried today back into today's queues.

    \b
    Example:
        srs unbury "Data Parallelism"
    """
    from srs.service.set_aside import unbury as unbury_branch

    _report_change(
        unbury_branch(_env(ctx), deck_name, branch),
        as_json,
        "Unburied {what}",
        "the {cards} {is_are} not buried today",
        "Nothing to unbury",
    )


@cli.command()
@click.option("--new", "new_per_day", type=click.IntRange(min=0), help="New cards a day.")
@click.option("--reviews", "reviews_per_day", type=click.IntRange(min=0), help="Reviews a day.")
@_deck_option
@_json_option
@click.pass_context
def limits(ctx, new_per_day, reviews_per_day, deck_name, as_json) -> None:
    """Show or set a deck's daily limits of new cards and reviews.

    \b
    Example:
        srs limits --new 30 --reviews 300
        srs limits --json
    """
    from srs.service.decks import set_limits

    limits = set_limits(_env(ctx), deck_name, new_per_day, reviews_per_day)
    if as_json:
        _json({"deck": limits.deck, "new_per_day": limits.new_per_day, "reviews_per_day": limits.reviews_per_day})
        return
    _echo(f"{_one_line(limits.deck)}: {limits.new_per_day} new cards and {limits.reviews_per_day} reviews a day")


def _complete_option(_ctx: click.Context, _param, incomplete: str) -> list[str]:
    from srs.core.options import BY_KEY

    return [key for key in BY_KEY if key.startswith(incomplete.lower())]


@cli.command()
@click.argument("key", required=False, shell_complete=_complete_option)
@click.argument("value", required=False)
@_deck_option
@_json_option
@click.pass_context
def options(ctx, key, value, deck_name, as_json) -> None:
    """Show a deck's options, or set one: KEY VALUE (a number of days, or on/off).

    \b
    Options:
        unlock_after_days N  a node's new cards wait until every parent's definition
                             card has an interval of N days (0: off)
        parent_checks on     a lapse puts the parent's definition card, if not mature,
                             in today's queue as a check
        sibling_spacing on   no two cards of sibling nodes one after the other
        contrast_cards on    two siblings lapsed on one day get a card on how they differ
        relation_cards on    each labelled link outside the hierarchy gets a card
        implicit_credit on   a review passed moves its ancestors' definition cards
                             (3 levels up) a little later
        socratic_prompts on  a branch's definition card asks a question to think
                             over under its answer
        journal on           a session on a branch ends by asking for a line for
                             the branch's journal (see srs journal)

    \b
    Example:
        srs options
        srs options unlock_after_days 7 --deck "Scaling Hypothesis"
        srs options parent_checks on --json
    """
    from srs.core.options import option, shown
    from srs.service import options as deck_options

    env = _env(ctx)
    was = None
    if key is not None and value is not None:
        values, was = deck_options.set_option(env, deck_name, key, value)
    else:
        values = deck_options.show(env, deck_name)
    picked = values.options if key is None else tuple(o for o in values.options if o.key == option(key).key)
    if as_json:
        _json({"deck": values.deck, "options": {o.key: o.value for o in picked}, **({"was": was} if value else {})})
        return
    if was is not None:
        (set_,) = picked
        change = f"(was {shown(was)})" if was != set_.value else "(unchanged)"
        _echo(f"{_one_line(values.deck)}: {set_.key} is {shown(set_.value)} {change}")
        return
    width = max(len(o.key) for o in picked)
    _echo(f"{_one_line(values.deck)}: options")
    for o in picked:
        default = "" if o.value == o.default else f" (default {shown(o.default)})"
        _echo(f"  {o.key:<{width}}  {shown(o.value):<3}  {o.help}{default}")


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def frontier(ctx, branch, deck_name, as_json) -> None:
    """List the nodes ready to learn, and the locked ones with what each waits for.

    Under progressive layering (`srs options unlock_after_days N`), a node's new cards wait
    until every parent's definition card holds an interval of N days. A locked node opens on
    the day its last waited-for parent reaches N days, if each is answered good on its due days.

    \b
    Example:
        srs frontier
        srs frontier "Computational Scaling" --json
    """
    from srs.service.frontier import frontier as frontier_of

    shown = frontier_of(_env(ctx), deck_name, branch)
    if as_json:
        _json(
            {
                "deck": shown.deck,
                "branch": shown.branch,
                "unlock_after_days": shown.unlock_after_days,
                "ready": [{"node": key, "label": label} for key, label in shown.ready],
                "locked": [
                    {
                        "node": n.node,
                        "label": n.label,
                        "opens": n.opens.isoformat(),
                        "waits_for": [
                            {"node": w.node, "label": w.label, "interval": w.interval, "reviews": w.reviews}
                            for w in n.waits_for
                        ],
                    }
                    for n in shown.locked
                ],
                "next_layer": shown.next_layer.isoformat() if shown.next_layer else None,
            }
        )
        return
    where = _one_line(shown.deck if shown.branch is None else f"{shown.deck} › {shown.branch}")
    days = shown.unlock_after_days
    if not days:
        _echo(f"{where}: progressive layering is off (srs options unlock_after_days N turns it on)")
    else:
        _echo(f"{where}: new cards wait until every parent's definition card holds {days} days")
    _echo(f"Ready to learn ({len(shown.ready)}):" if shown.ready else "Nothing left to learn.")
    for _key, label in shown.ready:
        _echo(f"  {_one_line(label)}")
    if shown.locked:
        _echo(f"Locked ({len(shown.locked)}):")
    for n in shown.locked:
        waits = ", ".join(
            f"{_one_line(w.label)} ({'new' if not w.reviews else f'{w.interval} of {days} days'})" for w in n.waits_for
        )
        _echo(f"  {_one_line(n.label)}: waits for {waits}; opens {n.opens.isoformat()}")
    if shown.next_layer is not None:
        _echo(f"Next layer opens {shown.next_layer.isoformat()}.")


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@click.argument("words", metavar="[TEXT]", nargs=-1)
@_deck_option
@_json_option
@click.pass_context
def journal(ctx, branch, words, deck_name, as_json) -> None:
    """Write a line in a branch's journal, or list the entries (newest first).

    With TEXT, keeps it for BRANCH today; without, lists BRANCH's entries, or every branch's.
    A session on a branch asks for one at its end where the deck's `journal` option is on.

    \b
    Example:
        srs journal "Scaling Laws" "loss falls as a power of compute"
        srs journal "Scaling Laws"
        srs journal --json
    """
    from srs.core.text import plural
    from srs.service import journal as journal_service

    env = _env(ctx)
    if words:
        added = journal_service.add(env, deck_name, branch, " ".join(words))
        (entry,) = added.entries
        if as_json:
            _json({"deck": added.deck, "branch": added.branch, "entry": _journal_json(entry)})
            return
        _echo(f"{_one_line(entry.label)}: kept in its journal for {entry.day.isoformat()}")
        return
    shown = journal_service.entries(env, deck_name, branch)
    if as_json:
        _json({"deck": shown.deck, "branch": shown.branch, "entries": [_journal_json(e) for e in shown.entries]})
        return
    where = _one_line(shown.deck if shown.branch is None else f"{shown.deck} › {shown.branch}")
    if not shown.entries:
        _echo(f"{where}: no journal entries yet (srs journal BRANCH TEXT writes one)")
        return
    _echo(f"{where}: journal, {plural(len(shown.entries), 'entry', 'entries')}")
    for entry in shown.entries:
        label = "" if shown.branch is not None else f"{_one_line(entry.label)}{' (retired)' if entry.retired else ''}: "
        _echo(f"  {entry.day.isoformat()}  {label}{_one_line(entry.text)}")


def _journal_json(entry) -> dict:
    return {
        "node": entry.node,
        "label": entry.label,
        "day": entry.day.isoformat(),
        "at": entry.at.isoformat(),
        "text": entry.text,
        "retired": entry.retired,
    }


def _complete_scheduler(_ctx: click.Context, _param, incomplete: str) -> list[str]:
    return [name for name in ("sm2", "fsrs") if name.startswith(incomplete.lower())]


@cli.command("scheduler")
@click.argument("scheduler_name", metavar="[sm2|fsrs]", required=False, shell_complete=_complete_scheduler)
@click.option(
    "--retention",
    metavar="R",
    help="FSRS's desired retention, between 0 and 1: a card falls due when its recall is predicted to drop to it.",
)
@_deck_option
@_json_option
@click.pass_context
def scheduler(ctx, scheduler_name, retention, deck_name, as_json) -> None:
    """Show which scheduler each deck follows, or switch a deck to SM-2 or FSRS.

    Switching replays the deck's whole answer log under the new scheduler and rewrites every
    card's schedule as that scheduler would have given it; the log keeps each answer's own 0-5
    grade, so switching back gives back every schedule exactly. With --retention alone, the
    deck keeps its scheduler and FSRS aims at that recall. Without a scheduler or --retention,
    shows each deck's scheduler and the FSRS parameters in use.

    \b
    Example:
        srs scheduler
        srs scheduler fsrs --deck "Scaling Hypothesis"
        srs scheduler --retention 0.85
        srs scheduler sm2 --json
    """
    from srs.service import scheduler as schedulers

    env = _env(ctx)
    if scheduler_name is None and retention is None:
        _show_schedulers(schedulers.show(env, deck_name), as_json)
        return
    target = None
    if retention is not None:
        try:
            target = float(retention)
        except ValueError:
            raise UserError(
                f"a desired retention is a number between 0 and 1, such as 0.9, not {retention!r}"
            ) from None
    with _switch_bar() as progress:
        switched = schedulers.switch(env, deck_name, scheduler_name, target, progress=progress)
    if as_json:
        _json(
            {
                "deck": switched.deck,
                "scheduler": switched.scheduler,
                "was": switched.was,
                "desired_retention": switched.desired_retention,
                "retention_was": switched.retention_was,
                "changed": switched.changed,
                "replayed": switched.replayed,
                "cards": switched.cards,
                "answers": switched.answers,
                "moved": switched.moved,
                "histogram": [
                    {"label": shift.label, "from": shift.low, "to": shift.high, "cards": shift.cards}
                    for shift in switched.histogram
                ],
            }
        )
        return
    _print_switch(switched)


def _scheduler_text(name: str, retention: float) -> str:
    from srs.service.scheduler import NAMES

    return f"FSRS, desired retention {retention:g}" if name == "fsrs" else NAMES[name]


def _show_schedulers(shown, as_json: bool) -> None:
    from datetime import timezone

    parameters = shown.parameters
    if as_json:
        _json(
            {
                "decks": [
                    {"deck": deck.deck, "scheduler": deck.scheduler, "desired_retention": deck.desired_retention}
                    for deck in shown.decks
                ],
                "fsrs_parameters": {
                    "fitted": parameters.fitted,
                    "reviews": parameters.reviews,
                    "fitted_at": parameters.fitted_at.isoformat() if parameters.fitted_at else None,
                    "weights": list(parameters.weights),
                },
            }
        )
        return
    if not shown.decks:
        _echo("No decks yet. Import one with: srs import FILE")
    for deck in shown.decks:
        _echo(f"{_one_line(deck.deck)}: {_scheduler_text(deck.scheduler, deck.desired_retention)}")
    if parameters.fitted and parameters.fitted_at is not None:
        when = parameters.fitted_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        _echo(f"FSRS parameters: your own, fitted to {parameters.reviews:,} reviews on {when}")
    else:
        _echo("FSRS parameters: FSRS-6's defaults (no fit of your own yet)")


def _print_switch(switched) -> None:
    from srs.core.text import plural

    deck = _one_line(switched.deck)
    now = _scheduler_text(switched.scheduler, switched.desired_retention)
    if not switched.changed:
        _echo(f"{deck} follows {now} already; nothing changed.")
        return
    if not switched.replayed:
        _echo(
            f"{deck} stays on SM-2, which does not use a desired retention; {switched.desired_retention:g} "
            "is kept for FSRS. Nothing was replayed."
        )
        return
    was = _scheduler_text(switched.was, switched.retention_was)
    if switched.scheduler == "sm2" and switched.desired_retention != switched.retention_was:
        now += f" (desired retention {switched.desired_retention:g} kept for FSRS)"
    _echo(
        f"{deck}: {was} -> {now}. Replayed {plural(switched.answers, 'answer')} to {plural(switched.cards, 'card')}; "
        f"{plural(switched.moved, 'card')} now due on another day."
    )
    if not switched.cards:
        return
    width = max(len(shift.label) for shift in switched.histogram)
    most = max(shift.cards for shift in switched.histogram)
    for shift in switched.histogram:
        bar = "█" * round(30 * shift.cards / most) if most else ""
        _echo(f"  {shift.label:{width}}  {shift.cards:6}  {bar}".rstrip())


@contextmanager
def _switch_bar():
    """A progress bar on stderr over the answers replayed, in a terminal only (else None),
    finished when the switch ends, however it ends."""
    if not sys.stderr.isatty():
        yield None
        return
    # Drawn from the first answers replayed on: a switch that changes nothing shows none.
    bar = click.progressbar(length=1, label="Replaying the log", file=sys.stderr)
    shown = []

    def update(done: int, total: int) -> None:
        bar.length = max(total, 1)
        bar.update(done - bar.pos)
        shown.append(True)

    try:
        yield update
    finally:
        if shown:
            bar.render_finish()


@cli.command("config")
@click.option(
    "--deck", "deck_name", shell_complete=_complete_deck, help="A deck to use, as another command's --deck would."
)
@_json_option
@click.pass_context
def config_(ctx, deck_name, as_json) -> None:
    """Show each setting in effect and where it came from: option, environment, file or default.

    The settings are read from $XDG_CONFIG_HOME/srs/config.toml (~/.config/srs/config.toml
    when that is unset), a TOML file with any of the keys shown, for instance:

    \b
        deck = "Scaling Hypothesis"
        tz = "Europe/Paris"
        rollover_hour = 4
        new_per_day = 20
        reviews_per_day = 200
        leech_threshold = 8
        leech_suspend = false

    A command-line option wins over an environment variable ($SRS_TZ, $SRS_ROLLOVER_HOUR), which
    wins over the file, which wins over the default. The daily limits are those a newly
    imported deck starts with; `srs limits` changes a deck's own.

    \b
    Example:
        srs config
        srs config --json
    """
    from srs.config import as_written, load_config, shown_path
    from srs.env import system_clock

    learner = ctx.find_root().params.get("learner")
    config = _settings(ctx) if deck_name is None else load_config(deck=deck_name, learner=learner)
    system_clock(config)  # a time zone that is not one is refused here too, as by every other command
    settings = config.settings()
    if as_json:
        _json(
            {
                "file": str(config.path),
                "file_exists": config.path.is_file(),
                "settings": {key: {"value": s.value, "from": s.source} for key, s in settings.items()},
            }
        )
        return
    unset = {"deck": "none (the only deck there is)", "tz": "none (the computer's own time zone)"}
    shown = {key: _one_line(as_written(s.value)) if s.value is not None else unset[key] for key, s in settings.items()}
    there = "" if config.path.is_file() else " (not there: nothing is read from it)"
    _echo(f"Config file: {_one_line(shown_path(config.path))}{there}")
    width = max(map(len, shown.values()))
    for key, setting in settings.items():
        _echo(f"  {key:16} {shown[key]:{width}}  {_one_line(setting.source)}")


@cli.group(cls=SrsGroup, invoke_without_command=True)
@_json_option
@click.pass_context
def learners(ctx, as_json: bool) -> None:
    """List the learners of the database: each one's answers and days of study.

    Decks are shared; every schedule, answer, journal entry and FSRS fit is one learner's. A
    command runs as the learner --learner names, else $SRS_LEARNER, else the config file's
    `learner`, else your user name; a new name starts with every card new.

    \b
    Example:
        srs learners
        srs --learner ana review
        srs learners rename root ana
    """
    if ctx.invoked_subcommand is not None:
        return
    from srs.core.text import plural
    from srs.service.learners import learner_list

    found = learner_list(_env(ctx))
    if as_json:
        _json(
            [
                {
                    "name": one.name,
                    "answers": one.answers,
                    "first_day": one.first_day,
                    "last_day": one.last_day,
                    "current": one.current,
                }
                for one in found
            ]
        )
        return
    width = max(len(_one_line(one.name)) for one in found)
    for one in found:
        days = f"{one.first_day} to {one.last_day}" if one.first_day is not None else "no answers yet"
        mark = "*" if one.current else " "
        _echo(f"{mark} {_one_line(one.name):{width}}  {plural(one.answers, 'answer'):>13}  {days}")


@learners.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_context
def rename_learner(ctx, old: str, new: str) -> None:
    """Call the learner OLD NEW from now on, with all their schedules and answers.

    \b
    Example:
        srs learners rename root ana
    """
    from srs.service.learners import rename

    renamed = rename(_env(ctx), old, new)
    _echo(f"Learner {_one_line(old)!r} is now {_one_line(renamed)!r}.")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@_json_option
@click.pass_context
def backup(ctx, file: Path, force: bool, as_json: bool) -> None:
    """Copy the database to FILE, consistently, even while srs is studying from it.

    SQLite's online backup copies every committed answer, including those still in the
    database's write-ahead log (its -wal file), which a plain copy of the main file would miss.
    FILE is written whole or not at all, never over the database in use; an existing FILE is
    replaced only with --force. Open the copy with `srs --db FILE`. On PostgreSQL use pg_dump.

    \b
    Example:
        srs backup ~/srs-backup.sqlite3
        srs backup /mnt/usb/srs.sqlite3 --force
    """
    from srs.service.backup import backup_database

    made = backup_database(_env(ctx), file, force=force)
    if as_json:
        _json(
            {
                "database": made.database,
                "file": str(made.path),
                "bytes": made.size,
                "decks": made.decks,
                "answers": made.answers,
            }
        )
        return
    decks = "1 deck" if made.decks == 1 else f"{made.decks} decks"
    answers = "1 answer" if made.answers == 1 else f"{made.answers} answers"
    _echo(f"Backed up {_one_line(made.database)} to {_one_line(str(file))}: {decks}, {answers}, {made.size:,} bytes")


@cli.command("import-reviews")
@click.argument("file", type=click.Path(path_type=Path))
@_deck_option
@_json_option
@click.pass_context
def import_reviews(ctx, file: Path, deck_name, as_json: bool) -> None:
    """Add the reviews given in Anki to the deck's cards, from an Anki package (FILE).

    FILE is a collection package (.colpkg: File > Export, "Anki Collection Package") or a deck
    package exported with its scheduling (.apkg, "Include scheduling information"). The notes
    `srs export anki` wrote are found by their GUIDs; each of their reviews becomes an answer
    (Again 1, Hard 3, Good 4, Easy 5) unless the log already holds it, and each card answered
    is rescheduled by replaying its log in time order, so importing the same file again adds
    nothing. Anki's manual reschedules and reviews in filtered decks that do not reschedule
    are left out. All or nothing.

    \b
    Example:
        srs import-reviews ~/collection.colpkg
        srs import-reviews phone.apkg --deck "Scaling Hypothesis" --json
    """
    from srs.service.anki_reviews import import_reviews as import_anki_reviews

    report = import_anki_reviews(_env(ctx), deck_name, file)
    if as_json:
        _json(
            {
                "path": report.path,
                "deck": report.deck,
                "added": report.added,
                "held": report.held,
                "not_from_deck": report.foreign,
                "left_out": report.left_out,
                "cards": report.cards,
                "device": report.device,
            }
        )
        return

    def answers(n: int) -> str:
        return "1 answer" if n == 1 else f"{n} answers"

    _echo(
        f"{_one_line(report.deck)}: reviews from {_one_line(str(file))}: "
        f"{answers(report.added)} added, {report.held} already held, "
        f"{report.foreign} of notes not from this deck, {report.left_out} left out (not answers); "
        f"{report.cards} {'card' if report.cards == 1 else 'cards'} rescheduled"
    )


@cli.command("sync")
@click.argument("other")
@_json_option
@click.pass_context
def sync_command(ctx, other: str, as_json: bool) -> None:
    """Make this database and OTHER hold the same: one learner on two devices.

    OTHER is another srs database: a file's path, or a database URL (as $SRS_DATABASE_URL
    takes one). Both sides end with every answer of either (their logs' union, each card's
    schedule replayed in time order), without the answers either side took back with `srs
    undo`; a suspension and an edit of a concept's text go by the later change. Answers to a
    deck or a concept OTHER does not have stay here, and go there once it is imported there.
    Syncing again changes nothing. Each side is written in one transaction.

    \b
    Example:
        srs sync /media/usb/srs.sqlite3
        srs sync postgresql://me@server/srs --json
    """
    from srs.service.sync import sync

    report = sync(_env(ctx), other)

    def side(merged) -> dict:
        return {
            "answers": merged.answers,
            "events": merged.events,
            "voids": merged.voids,
            "removed": merged.removed,
            "notes": merged.notes,
            "journal": merged.journal,
            "suspensions": merged.suspensions,
            "pair_cards": merged.pair_cards,
            "cards_rebuilt": merged.cards,
            "missing": merged.missing,
        }

    if as_json:
        _json(
            {
                "other": report.other,
                "in_sync": report.in_sync,
                "new_device": report.new_device,
                "sent": side(report.sent),
                "received": side(report.received),
            }
        )
        return
    other_name = _one_line(report.other)
    if report.new_device:
        _echo(f"{other_name} had this database's device id (a copy of it): it has a new one now, {report.new_device}")
    if report.in_sync:
        _echo(f"{other_name}: already in sync")
        return

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    for way, merged in (("sent to", report.sent), ("received from", report.received)):
        removed = f" ({merged.removed} removed)" if merged.removed else ""
        _echo(
            f"{way.capitalize()} {other_name}: {count(merged.answers, 'answer', 'answers')}, "
            f"{count(merged.voids, 'void', 'voids')}{removed}, {count(merged.notes, 'note', 'notes')}, "
            f"{count(merged.journal, 'journal entry', 'journal entries')}, "
            f"{count(merged.suspensions, 'suspension', 'suspensions')}, "
            f"{count(merged.pair_cards, 'pair card', 'pair cards')}; "
            f"{count(merged.cards, 'card', 'cards')} rebuilt"
        )
    if report.sent.missing:
        _echo(
            f"{count(report.sent.missing, 'answer', 'answers')} to cards {other_name} does not have: "
            "import the deck there first"
        )
    if report.received.missing:
        _echo(
            f"{count(report.received.missing, 'answer', 'answers')} of {other_name} to cards this database "
            "does not have: import the deck here first"
        )


@cli.command()
@click.argument("branch", required=False, shell_complete=_complete_node)
@_deck_option
@_json_option
@click.pass_context
def stats(ctx, branch, deck_name, as_json) -> None:
    """Show learning statistics for the deck or one branch.

    Answers and time per day over the last 30 days, a year's heat map with the current streak,
    cards due on each of the next 30 days, retention (reviews graded 3 or better) by interval,
    easiness and interval spreads, and per branch the cards new / learning / young / mature,
    mastery, due cards and lapses, with the branch that most needs attention: the most due cards
    and lapses per card among studied branches, the lowest mastery on a tie.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws"; the table then
    lists its children.

    \b
    Example:
        srs stats
        srs stats "Data Scaling" --json
    """
    from srs.core.stats_report import stats_json, stats_text
    from srs.service.stats import statistics

    figures = statistics(_env(ctx), deck_name, branch)
    if as_json:
        _json(stats_json(figures))
        return
    for line in stats_text(figures):
        _echo(line)


# -- FSRS's parameters and the schedulers' scores ------------------------------------------------


def _log_deck_option(f):
    """--deck NAME for a command that reads the learner's log: without it, every deck's (never the
    config file's deck: the FSRS parameters are the learner's, not a deck's)."""
    return click.option(
        "--deck", "deck_name", shell_complete=_complete_deck, help="Read this deck's log alone (default: every deck's)."
    )(f)


def _weights_line(weights) -> str:
    return " ".join(f"{w:.4f}" for w in weights)


@cli.group()
def fsrs() -> None:
    """FSRS's parameters: fit them to your own reviews, or show the ones in use.

    \b
    Example:
        srs fsrs optimize
        srs fsrs parameters
    """


@fsrs.command("optimize")
@_log_deck_option
@_json_option
@click.pass_context
def fsrs_optimize(ctx, deck_name, as_json) -> None:
    """Fit FSRS's 21 parameters to your reviews, and schedule every FSRS deck with them.

    Reads every deck's log (one deck's with --deck), same-day drills too, and fits the parameters
    with fsrs-rs, the optimizer Anki uses. A fit needs 64 reviews of cards seen on an earlier
    day; with fewer, FSRS keeps the parameters it has and nothing is stored. The parameters are
    yours, not a deck's: every FSRS deck uses the latest fit, its log replayed with it at once.

    \b
    Example:
        srs fsrs optimize
        srs fsrs optimize --deck "Scaling Hypothesis" --json
    """
    from srs.service.fsrs import optimize

    with _switch_bar() as progress:
        fit = optimize(_env(ctx), deck_name, progress=progress)
    if as_json:
        _json(
            {
                "deck": fit.deck,
                "reviews": fit.reviews,
                "needed": fit.needed,
                "stored": fit.stored,
                "weights": list(fit.weights),
                "rescheduled": list(fit.rescheduled),
                "moved": fit.moved,
            }
        )
        return
    log = f"the log of deck {_one_line(fit.deck)!r}" if fit.deck is not None else "every deck's log"
    if fit.stored:
        _echo(f"Fitted FSRS's parameters to {fit.reviews:,} reviews ({log}); FSRS decks use them from now on:")
        _echo(f"  {_weights_line(fit.weights)}")
        if fit.rescheduled:
            names = ", ".join(repr(_one_line(name)) for name in fit.rescheduled)
            cards = "1 card" if fit.moved == 1 else f"{fit.moved:,} cards"
            _echo(f"Replayed the log of {names} with them: {cards} now due on another day.")
    elif fit.reviews < fit.needed:
        _echo(
            f"Not enough reviews to fit FSRS: {fit.reviews:,} reviews of cards seen on an earlier day ({log}), "
            f"{fit.needed} needed. FSRS keeps the parameters it has; nothing was stored."
        )
    else:
        _echo(
            f"fsrs-rs kept FSRS's default parameters for {fit.reviews:,} reviews ({log}): too few remained after "
            "it left out outliers. FSRS keeps the parameters it has; nothing was stored."
        )


@fsrs.command("parameters")
@_json_option
@click.pass_context
def fsrs_parameters(ctx, as_json) -> None:
    """Show the FSRS parameters every FSRS deck schedules with, and where they came from.

    \b
    Example:
        srs fsrs parameters
        srs fsrs parameters --json
    """
    from srs.service.fsrs import parameters

    used = parameters(_env(ctx))
    fitted_at = None if used.fitted_at is None else used.fitted_at.isoformat()
    if as_json:
        _json(
            {
                "source": "fitted" if used.fitted else "defaults",
                "reviews": used.reviews,
                "fitted_at": fitted_at,
                "weights": list(used.weights),
            }
        )
        return
    if used.fitted:
        _echo(f"Fitted to {used.reviews:,} reviews on {used.fitted_at:%Y-%m-%d %H:%M} UTC (srs fsrs optimize):")
    else:
        _echo("FSRS-6's published defaults (no fit yet: srs fsrs optimize makes one):")
    _echo(f"  {_weights_line(used.weights)}")


@cli.command("evaluate")
@_log_deck_option
@_json_option
@click.pass_context
def evaluate_(ctx, deck_name, as_json) -> None:
    """Score SM-2 and FSRS on your own reviews: how well each predicted what you recalled.

    Reads every deck's log (one deck's with --deck) and predicts each review a day or more after
    the card's last answer from the answers before it, as the srs-benchmark does: the reviews
    in time order are cut into 6 parts, and each of the last 5 is predicted from what was
    fitted on the parts before it. The
    scores are log loss and RMSE (bins); lower is better for both. FSRS is scored with its
    default parameters and with parameters fitted to the past (where it has 64 reviews or more).

    \b
    Example:
        srs evaluate
        srs evaluate --deck "Scaling Hypothesis" --json
    """
    from srs.service.fsrs import evaluate

    scores = evaluate(_env(ctx), deck_name)
    rows = [("SM-2", "sm2", scores.sm2), ("FSRS (defaults)", "fsrs_defaults", scores.fsrs_defaults)]
    if scores.fsrs_fitted is not None:
        rows.append(("FSRS (fitted)", "fsrs_fitted", scores.fsrs_fitted))
    if as_json:
        _json(
            {
                "deck": scores.deck,
                "reviews": scores.reviews,
                "folds": scores.folds,
                "folds_fitted": scores.folds_fitted,
                "needed": scores.needed,
                "sm2": {"log_loss": scores.sm2.log_loss, "rmse_bins": scores.sm2.rmse_bins},
                "fsrs_defaults": {
                    "log_loss": scores.fsrs_defaults.log_loss,
                    "rmse_bins": scores.fsrs_defaults.rmse_bins,
                },
                "fsrs_fitted": None
                if scores.fsrs_fitted is None
                else {"log_loss": scores.fsrs_fitted.log_loss, "rmse_bins": scores.fsrs_fitted.rmse_bins},
            }
        )
        return
    log = f"the log of deck {_one_line(scores.deck)!r}" if scores.deck is not None else "every deck's log"
    _echo(f"{scores.reviews:,} reviews predicted ({log}), in {scores.folds} folds, each from the reviews before it:")
    _echo(f"  {'scheduler':<16} {'log loss':>9} {'RMSE (bins)':>12}")
    for label, _key, row in rows:
        _echo(f"  {label:<16} {row.log_loss:>9.4f} {row.rmse_bins:>12.4f}")
    _echo("Lower is better for both.")
    if scores.fsrs_fitted is None:
        _echo(f"FSRS (fitted) needs {scores.needed} reviews before a fold; no fold had as many.")
    elif scores.folds_fitted < scores.folds:
        _echo(
            f"FSRS (fitted): {scores.folds - scores.folds_fitted} of {scores.folds} folds had fewer than "
            f"{scores.needed} reviews before them and used the defaults."
        )


# -- export -------------------------------------------------------------------------------------


@cli.group()
def export() -> None:
    """Write a deck to another program's format: Anki, or GEXF for Gephi.

    \b
    Example:
        srs export anki -o scaling.apkg
        srs export gexf -o scaling-progress.gexf
    """


@export.command("anki")
@click.argument("branch", required=False, shell_complete=_complete_node)
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="The .apkg file to write."
)
@click.option(
    "--depth", default=1, show_default=True, type=click.IntRange(min=0), help="Subdeck levels below the branch."
)
@_deck_option
@_json_option
@click.pass_context
def export_anki(ctx, branch, output: Path, depth: int, deck_name, as_json) -> None:
    """Write the deck, or one branch of it, as an Anki package.

    One note per concept with its context (path, parent, siblings, children, notes), one card
    per card here, in subdecks that follow the graph. Import the file in Anki with File > Import;
    importing a later export updates the same notes and keeps their reviews. Anki schedules the
    cards itself: no review history goes with them.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs export anki -o scaling.apkg
        srs export anki "Data Scaling" -o data.apkg --depth 2
        srs export anki -o scaling.apkg --json
    """
    from srs.service.export import export_anki as write_package

    report = write_package(_env(ctx), deck_name, branch, output, depth, progress=_export_bar(output))
    if as_json:
        _json(
            {
                "path": str(report.path),
                "deck": report.deck,
                "branch": report.branch,
                "notes": report.notes,
                "cards": report.cards,
                "suspended": report.suspended,
                "decks": list(report.decks),
            }
        )
        return
    what = f"{_one_line(report.deck)} › {_one_line(report.branch)}" if report.branch else _one_line(report.deck)
    decks = "1 deck" if len(report.decks) == 1 else f"{len(report.decks)} decks"
    _echo(f"{what}: {report.notes} notes, {report.cards} cards in {decks} -> {_one_line(str(report.path))}")


@export.command("gexf")
@click.argument("branch", required=False, shell_complete=_complete_node)
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="The .gexf file to write."
)
@click.option(
    "--class",
    "whole_class",
    is_flag=True,
    help="Paint the class's mean mastery (every learner of the deck), not yours.",
)
@_deck_option
@_json_option
@click.pass_context
def export_gexf(ctx, branch, output: Path, whole_class: bool, deck_name, as_json) -> None:
    """Write the graph, or one branch of it, as GEXF with what you know of every node.

    Every node keeps its id, label, definition, example, notes and mnemonic, and gains its
    learning state (srs_state, srs_mastery, srs_easiness, srs_interval, srs_due, srs_reviews,
    srs_lapses) and a colour from red (unknown) to green (mature), so Gephi shows the map by
    mastery. Importing the file again changes nothing. With --class, the state is the whole
    class's: srs_mastery is the mean over every learner of the deck, srs_reviews and srs_lapses
    their sums, srs_state the least advanced card of any of them; no journal goes with it.

    \b
    Example:
        srs export gexf -o progress.gexf
        srs export gexf --class -o class.gexf
        srs export gexf "Scaling Laws" -o laws.gexf
        srs export gexf -o progress.gexf --json
    """
    from srs.service.export import export_gexf as write

    report = write(_env(ctx), deck_name, branch, output, whole_class=whole_class)
    if as_json:
        _json(
            {
                "path": str(report.path),
                "class": whole_class,
                "deck": report.deck,
                "branch": report.branch,
                "nodes": report.nodes,
                "edges": report.edges,
            }
        )
        return
    _echo(f"Wrote {report.nodes} nodes and {report.edges} edges to {_one_line(str(output))}")


def _export_bar(output: Path):
    if not sys.stderr.isatty():
        return None
    bar = click.progressbar(length=1, label=f"Writing {_one_line(output.name)}", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.length = total
        bar.update(done - bar.pos)
        if done >= total:
            bar.render_finish()

    return update


def main() -> None:
    """The `srs` command."""
    pause_for_startup()
    cli(prog_name="srs")

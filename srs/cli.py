"""The command line: thin click commands over the library.

Every error a user can cause arrives here as an `SrsError` and leaves as one line on stderr with
exit code 2. Each command's docstring is its --help, with an example.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from srs.bulk import pause_for_startup
from srs.errors import SrsError
from srs.readers import FORMATS

EXIT_USER_ERROR = 2


class UserError(click.ClickException):
    exit_code = EXIT_USER_ERROR


class SrsGroup(click.Group):
    """A click group that turns the program's errors into one clean line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SrsError as exc:
            raise UserError(str(exc)) from None
        except BrokenPipeError:
            # The reader went away (`srs tree | head`): stop quietly, as other command-line tools do.
            sys.stdout = open(os.devnull, "w")
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


def _env(ctx: click.Context):
    """The shared Env, built on first use from --db (tests may pass one in as `obj`)."""
    from srs.env import Env
    from srs.storage.db import database_url

    if ctx.obj is None:
        root = ctx.find_root()
        ctx.obj = Env(url=database_url(root.params.get("db")))
        root.call_on_close(ctx.obj.close)  # the database's connections end with the command
    return ctx.obj


def _json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=SrsGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(), envvar="SRS_DB", help="SQLite file to use (default: in your user data folder).")
@click.version_option(package_name="srs-concepts", prog_name="srs")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
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
            _run_app(_env(ctx))
        else:
            ctx.invoke(summary)


def _deck_option(f):
    return click.option("--deck", "deck_name", help="Deck to use, where the database holds several.")(f)


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
    from srs.storage import repo

    env = _env(ctx)
    with env.session() as session:
        rows = repo.deck_summaries(session, env.clock.today())
    if not rows:
        click.echo("No decks yet. Import one with: srs import FILE")
        return
    for row in rows:
        click.echo(f"{row.name}: {row.due} due, {row.new} new today, {row.reviewed_today} done")


# -- import -----------------------------------------------------------------------------------


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_deck_option
@click.option("--root", help="Node id or label of the root (required where it is unclear).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Format, when the extension does not say.")
@click.option("--nodes", "nodes_file", type=click.Path(path_type=Path), help="For a CSV edge list: a CSV of nodes (id,label,definition,...).")
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option("--prune", is_flag=True, help="Delete nodes gone from the file, with their review history, instead of retiring them.")
@click.pass_context
def import_(ctx, file: Path, deck_name, root, fmt, nodes_file, dry_run, prune) -> None:
    """Import a concept graph, or update a deck from an edited one.

    Reads GEXF, GraphML, node-link JSON, CSV and Markdown outlines. Nodes are matched by id, so
    an edited graph keeps the review history of every card that still exists; nodes gone from
    the file are retired, not deleted. The deck is named after the root unless --deck says.

    \b
    Example:
        srs import scaling.gexf
        srs import scaling.gexf --dry-run
        srs import notes.md --deck "My notes"
        srs import scaling.gexf --prune    # delete retired nodes for good
    """
    from srs.readers import read_deck
    from srs.storage import repo

    env = _env(ctx)
    env.seed_bundled = False
    graph = read_deck(file, fmt=fmt, root=root, nodes_file=nodes_file, progress=_progress_bar(file))
    name = deck_name or graph.label(graph.root)
    with env.session(write=not dry_run) as session:
        report = repo.import_graph(session, name, graph, str(file.resolve()), env.clock.now(), dry_run=dry_run, prune=prune)
    _print_report(report, dry_run)


def _progress_bar(file: Path):
    if not sys.stderr.isatty():
        return None
    try:
        if file.stat().st_size < 4 << 20:
            return None
    except OSError:
        return None
    bar = click.progressbar(length=file.stat().st_size, label=f"Reading {file.name}", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.update(done - bar.pos)
        if done >= total:
            bar.render_finish()

    return update


def _print_report(report, dry_run: bool) -> None:
    if report.unchanged:
        click.echo(f"{report.deck}: already up to date ({report.nodes} nodes); nothing changed.")
        return
    head = "new deck" if report.created else "update"
    click.echo(f"{report.deck} ({head}, {report.nodes} nodes){' — dry run, nothing written' if dry_run else ''}:")
    for label, how in report.matched_by:
        click.echo(f"  = matched by {how}: {label}")
    if report.created:
        click.echo(f"  + {len(report.added)} nodes")
    else:
        for label in report.added:
            click.echo(f"  + added: {label}")
    for label, fields in report.changed:
        click.echo(f"  ~ changed: {label} ({', '.join(fields)})")
    for old, new in report.renamed:
        click.echo(f"  ~ renamed: {old} -> {new}")
    for label, before, after in report.moved:
        click.echo(f"  > moved: {label}: {before} -> {after}")
    pruned = {label for label, _ in report.pruned}
    for label in report.removed:
        if label not in pruned:
            click.echo(f"  - retired: {label}")
    for label in report.restored:
        click.echo(f"  + restored: {label}")
    for label, answers in report.pruned:
        click.echo(f"  x deleted for good: {label} ({answers} answers in its history)")
    restored = f", {report.cards_restored} restored" if report.cards_restored else ""
    click.echo(f"  cards: {report.cards_added} added, {report.cards_retired} retired{restored}")


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
    from srs.storage import repo

    env = _env(ctx)
    with env.session() as session:
        rows = repo.deck_summaries(session, env.clock.today())
        retired = {}
        for row in rows:
            deck = repo.get_deck(session, row.name)
            retired[row.name] = [n.label for n in repo.retired_nodes(session, deck)]
    if as_json:
        _json([{**row.__dict__, "retired": retired[row.name]} for row in rows])
        return
    if not rows:
        click.echo("No decks yet. Import one with: srs import FILE")
    for row in rows:
        click.echo(f"{row.name}: {row.nodes} nodes, {row.cards} cards — {row.due} due, {row.new} new today")
        if retired[row.name]:
            click.echo(f"  retired ({len(retired[row.name])}): {', '.join(retired[row.name])}")


@cli.command()
@click.argument("branch", required=False)
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
    from srs.storage import repo

    env = _env(ctx)
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        root, nodes = repo.deck_tree(session, deck, env.clock.today())
        start = repo.find_node(session, deck, branch).id if branch else root
    if start is None:
        raise UserError(f"deck {deck.name!r} has no root node")

    def as_dict(nid: int, level: int, seen: frozenset) -> dict:
        node = nodes[nid]
        c = node.counts
        out = {"id": node.key, "label": node.label, "due": c.due, "new": c.new, "learned": c.learned,
               "cards": c.cards, "mastery": round(c.mastery, 3)}
        if depth is None or level < depth:
            out["children"] = [as_dict(k, level + 1, seen | {nid}) for k in node.children if k not in seen]
        return out

    data = as_dict(start, 0, frozenset())
    if as_json:
        _json(data)
        return
    click.echo(f"{'':40}  due   new  learned")

    def show(item: dict, indent: int) -> None:
        name = ("  " * indent + item["label"])[:40]
        click.echo(f"{name:40} {item['due']:4} {item['new']:5} {item['learned']:8}")
        for child in item.get("children", []):
            show(child, indent + 1)

    show(data, 0)


@cli.command()
@click.argument("branch", required=False)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=0), help="How many of the next cards to list.")
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
    from srs.storage import repo, study
    from srs.storage.models import Card

    env = _env(ctx)
    today = env.clock.today()
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        node = repo.find_node(session, deck, branch) if branch else None
        counts = repo.day_counts(session, deck, today, node)
        queue = study.study_queue(session, deck, today, node)
        upcoming = []
        for card_id in queue[:limit]:
            card = session.get(Card, card_id)
            content = study.card_content(session, card, card.node)
            upcoming.append({"card": card.id, "node": card.node.key, "term": content.term, "kind": card.kind,
                             "state": study.state_of(card).value, "due": card.due.isoformat() if card.due else None})
    data = {"deck": deck.name, "branch": node.label if node else None, "today": today.isoformat(),
            "due": counts.due, "new": counts.new, "done": counts.reviewed + counts.introduced, "next": upcoming}
    if as_json:
        _json(data)
        return
    where = f"{deck.name} › {node.label}" if node else deck.name
    click.echo(f"{where} — {today.isoformat()}: {counts.due} due, {counts.new} new, {data['done']} done today")
    for item in upcoming:
        click.echo(f"  {item['state']:9} {item['kind']:10} {item['term']}")
    if not upcoming:
        click.echo("  Nothing left for today.")


@cli.command()
@click.argument("node")
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
    from srs.storage import repo, study

    env = _env(ctx)
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        found = repo.find_node(session, deck, node)
        cards = [(c, study.card_content(session, c, found), study.state_of(c)) for c in repo.cards_of(session, found)]
        path = study.path_text(session, found)
        notes, mnemonic = found.notes, found.mnemonic
    if as_json:
        _json({
            "id": found.key, "label": found.label, "path": path, "definition": found.definition,
            "notes": notes, "mnemonic": mnemonic,
            "cards": [{"kind": c.kind, "front": front_lines(content), "back": back_lines(content),
                       "state": state.value, "easiness": c.easiness / 100, "interval": c.interval,
                       "due": c.due.isoformat() if c.due else None, "reviews": c.reviews, "lapses": c.lapses}
                      for c, content, state in cards],
        })
        return
    click.echo(f"{found.label}  ({path})")
    for card, content, state in cards:
        click.echo("")
        click.echo(f"── {card.kind} card · {state.value}" + (f" · due {card.due} · EF {card.easiness / 100:.2f} · {card.interval} d" if card.reviews else ""))
        for line in front_lines(content):
            click.echo(f"  {line}")
        click.echo("  ----")
        for line in back_lines(content):
            click.echo(f"  {line}")
        if notes:
            click.echo(f"  Notes: {notes}")
        if mnemonic:
            click.echo(f"  Mnemonic: {mnemonic}")


@cli.command()
@click.argument("branch", required=False)
@_deck_option
@click.option("--chunk", "chunk_size", default=10, show_default=True, type=click.IntRange(min=1), help="Cards in each chunk of the session.")
@click.pass_context
def review(ctx, branch, deck_name, chunk_size) -> None:
    """Study in the terminal app: a branch's due and new cards, or every card due in the deck.

    BRANCH is a node id, a label, or a label path like "Scaling Laws/Power Laws". Cards come
    in chunks; between chunks you can go on or stop. Every answer is saved as it is given.

    \b
    Example:
        srs review
        srs review "Distributed Training" --chunk 5
    """
    from srs.storage import study  # Core alone: a session never needs the ORM

    env = _env(ctx)
    with env.connection() as conn:
        deck = study.find_deck(conn, deck_name)
        if branch is not None:
            study.find_node(conn, deck, branch)
        deck_name = deck.name
    if not _in_terminal():
        raise UserError("srs review needs a terminal; `srs due` lists today's cards")
    _run_app(env, deck=deck_name, branch=branch, review=True, chunk_size=chunk_size)


@cli.command()
@click.argument("node")
@click.argument("grade", type=click.IntRange(0, 5))
@click.option("--kind", type=click.Choice(["definition", "children", "placement"]), help="Which of the node's cards (default: its definition card, or its placement card).")
@_deck_option
@_json_option
@click.pass_context
def answer(ctx, node, grade, kind, deck_name, as_json) -> None:
    """Record an answer to a node's card, graded 0-5, as the terminal app would.

    The first answer of the day is a review and moves the card's schedule; a card answered
    below 4 is asked again the same day, and later answers that day are drills, which are only
    logged. NODE is a node id, a label, or a label path like "Scaling Laws/Power Laws".

    \b
    Example:
        srs answer "Data Parallelism" 4
        srs answer Compute 3 --kind children --json
    """
    from srs.core import sm2
    from srs.core.text import clean
    from srs.storage import study

    env = _env(ctx)
    with env.connection(write=True) as conn:
        deck = study.find_deck(conn, deck_name)
        found = study.find_node(conn, deck, node)
        card = study.card_of(conn, found, kind)
        logged = study.record_answer(conn, card.id, grade, env.clock.now(), env.clock.today())
    again = grade < sm2.DRILL_BELOW
    if as_json:
        _json({"deck": deck.name, "node": found.key, "label": found.label, "kind": card.kind, "grade": grade,
               "drill": logged.drill, "due": logged.due_after, "again_today": again,
               "interval": logged.interval_after, "easiness": logged.easiness_after / 100})
        return
    what = "drill" if logged.drill else "review"
    when = f"again today, then due {logged.due_after}" if again else f"next due {logged.due_after}"
    click.echo(f"{clean(found.label, one_line=True)} ({card.kind} card): {what} graded {grade}; {when}")


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
    from srs.core import sm2
    from srs.core.text import clean
    from srs.storage import study

    env = _env(ctx)
    with env.connection(write=True) as conn:
        deck = study.find_deck(conn, deck_name)
        taken = study.undo_last_answer(conn, deck)
        if taken is not None:
            card = study.get_card(conn, taken.card_id)
            label = study.get_node(conn, card.node_id).label
    if taken is None:
        raise UserError(f"nothing to undo: deck {deck.name!r} has no answers")
    what = "drill" if taken.drill else "review"
    if card.reviews == 0:
        now = "new again"
    elif card.last_day == env.clock.today() and card.last_grade < sm2.DRILL_BELOW:
        now = f"asked again today, then due {card.due}"
    else:
        now = f"due {card.due}"
    click.echo(f"Took back the {what} of {clean(label, one_line=True)} ({card.kind} card) graded {taken.grade} on {taken.day}; the card is {now}")


@cli.command()
@click.option("--new", "new_per_day", type=click.IntRange(min=0), help="New cards a day.")
@click.option("--reviews", "reviews_per_day", type=click.IntRange(min=0), help="Reviews a day.")
@_deck_option
@click.pass_context
def limits(ctx, new_per_day, reviews_per_day, deck_name) -> None:
    """Show or set a deck's daily limits of new cards and reviews.

    \b
    Example:
        srs limits --new 30 --reviews 300
    """
    from srs.storage import repo

    env = _env(ctx)
    with env.session(write=new_per_day is not None or reviews_per_day is not None) as session:
        deck = repo.get_deck(session, deck_name)
        repo.set_limits(deck, new_per_day, reviews_per_day)
        click.echo(f"{deck.name}: {deck.new_per_day} new cards and {deck.reviews_per_day} reviews a day")


@cli.command()
@click.argument("branch", required=False)
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
    from srs.stats_report import stats_json, stats_text
    from srs.storage import repo
    from srs.storage.stats import statistics

    env = _env(ctx)
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        node = repo.find_node(session, deck, branch) if branch else None
        figures = statistics(session, deck, env.clock.today(), node)
    if as_json:
        _json(stats_json(figures))
        return
    for line in stats_text(figures):
        click.echo(line)


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
@click.argument("branch", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="The .apkg file to write.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0), help="Subdeck levels below the branch.")
@_deck_option
@click.pass_context
def export_anki(ctx, branch, output: Path, depth: int, deck_name) -> None:
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
    """
    from srs.anki import export_anki as write_package
    from srs.storage import repo

    env = _env(ctx)
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        node = repo.find_node(session, deck, branch) if branch else None
        report = write_package(session, deck, node, output, depth, env.clock.now(), progress=_export_bar(output))
    what = f"{report.deck} › {report.branch}" if report.branch else report.deck
    decks = "1 deck" if len(report.decks) == 1 else f"{len(report.decks)} decks"
    click.echo(f"{what}: {report.notes} notes, {report.cards} cards in {decks} -> {report.path}")


@export.command("gexf")
@click.argument("branch", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="The .gexf file to write.")
@_deck_option
@click.pass_context
def export_gexf(ctx, branch, output: Path, deck_name) -> None:
    """Write the graph, or one branch of it, as GEXF with what you know of every node.

    Every node keeps its id, label, definition, example, notes and mnemonic, and gains its
    learning state (srs_state, srs_mastery, srs_easiness, srs_interval, srs_due, srs_reviews,
    srs_lapses) and a colour from red (unknown) to green (mature), so Gephi shows the map by
    mastery. Importing the file again changes nothing.

    \b
    Example:
        srs export gexf -o progress.gexf
        srs export gexf "Scaling Laws" -o laws.gexf
    """
    from srs.gexf_export import export_gexf as write
    from srs.storage import repo

    env = _env(ctx)
    with env.session() as session:
        deck = repo.get_deck(session, deck_name)
        node = repo.find_node(session, deck, branch) if branch else None
        report = write(session, deck, output, env.clock.today(), node)
    click.echo(f"Wrote {report.nodes} nodes and {report.edges} edges to {output}")


def _export_bar(output: Path):
    if not sys.stderr.isatty():
        return None
    bar = click.progressbar(length=1, label=f"Writing {output.name}", file=sys.stderr)

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

"""Deck files a reader must refuse, through `srs import` on a real database: one line naming the
file, the place and what is wrong, exit code 2, the database as it was; and deep chains read
without recursion."""

import json
import json.scanner
import sys

import pytest
from click.testing import CliRunner

from srs.cli import cli


@pytest.fixture
def srs(env, data):
    def invoke(*args):
        return CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)

    assert invoke("import", str(data / "small.gexf")).exit_code == 0
    return invoke


def refused(srs, path, where_what):
    """`srs import path` gives the one line `path:where_what`, and the database is as it was."""
    before = srs("decks").stdout
    result = srs("import", str(path))
    sep = ":" if where_what.startswith(("line", "node")) else ": "  # a place, or what alone
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {path}{sep}{where_what}\n")
    assert srs("decks").stdout == before == "Scaling: 5 nodes, 7 cards — 0 due, 7 new today\n"


def test_a_nul_byte_past_the_first_8_kb_of_a_csv_is_refused_at_its_line(srs, tmp_path):
    deck = tmp_path / "deck.csv"
    rows = "".join(f"Term {i},Definition {i}.,Root\n" for i in range(500))
    deck.write_text("label,definition,parent\nRoot,The top.,\n" + rows + "Bad,Has a \x00 in it.,Root\n")
    assert deck.stat().st_size > 8192
    refused(srs, deck, "line 503: holds U+0000 (a control character), which deck text cannot hold")


@pytest.mark.parametrize(
    "name, content, where_what",
    [
        (
            "deck.md",
            "- Root: the top\n  - Bell: rings \x07 here\n",
            "line 2: holds U+0007 (a control character), which deck text cannot hold",
        ),
        (
            "deck.md",
            "- Root: the top\n  - Odd: \ufffe\n",
            "line 2: holds U+FFFE (not a character), which deck text cannot hold",
        ),
        (
            "deck.csv",
            "label,parent\nRoot,\nEsc\x1b[31m,Root\n",
            "line 3: holds U+001B (a control character), which deck text cannot hold",
        ),
        (
            "deck.json",
            '{"label": "Root", "children": [{"label": "A", "definition": "x\\u0001y"}]}',
            "node 'A': holds U+0001 (a control character), which deck text cannot hold",
        ),
        (
            "deck.json",
            '{"nodes": [{"id": "a", "label": "A\\ud800"}], "links": []}',
            "node 'a' ('A\\ud800'): holds U+D800 (not a character), which deck text cannot hold",
        ),
        (
            "deck.json",
            '{"nodes": [\n{"id": "a",\n"label": "A\x02"}], "links": []}',
            "line 3: holds U+0002 (a control character), which deck text cannot hold",
        ),
        (
            "deck.gexf",
            '<gexf xmlns="http://gexf.net/1.3"><graph><nodes>\n<node id="a" label="A\x02"/></nodes></graph></gexf>',
            "line 2: holds U+0002 (a control character), which deck text cannot hold",
        ),
        (
            "deck.gexf",
            '<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="a" label="A&#1;"/></nodes></graph></gexf>',
            "line 1, column 70: reference to invalid character number",
        ),
        (
            "deck.graphml",
            '<graphml><graph>\n\n<node id="a"><data key="l">A\x1f</data></node></graph></graphml>',
            "line 3: holds U+001F (a control character), which deck text cannot hold",
        ),
    ],
)
def test_characters_deck_text_cannot_hold_are_refused_naming_the_place_and_the_character(
    srs, tmp_path, name, content, where_what
):
    deck = tmp_path / name
    deck.write_bytes(content.encode("utf-8", "surrogatepass"))
    refused(srs, deck, where_what)


def test_a_json_tree_nested_deeper_than_the_parser_goes_is_one_line(srs, tmp_path):
    deck = tmp_path / "deep.json"
    deck.write_text('{"label": "T", "children": [' * 5000 + '{"label": "End"}' + "]}" * 5000)
    refused(
        srs,
        deck,
        "the JSON nests too deep for Python's JSON parser (it stops near 1,000 levels); write a tree "
        'that deep as node-link JSON ("nodes" and "links"), an outline or a CSV table',
    )


@pytest.mark.parametrize("name", ["chain.gexf", "chain.csv", "chain.json", "chain.graphml", "chain.md"])
def test_a_5000_deep_chain_imports(env, tmp_path, name):
    n = 5000
    deck = tmp_path / name
    if name == "chain.gexf":  # nodes nested in nodes, as hierarchical GEXF has them
        deck.write_text(
            '<gexf xmlns="http://gexf.net/1.3"><graph>'
            + "".join(f'<nodes><node id="n{i}" label="Term {i}">' for i in range(n))
            + "</node></nodes>" * n
            + "</graph></gexf>"
        )
    elif name == "chain.csv":
        deck.write_text("label,parent\n" + "".join(f"Term {i},{f'Term {i - 1}' if i else ''}\n" for i in range(n)))
    elif name == "chain.json":
        nodes = ",".join(f'{{"id": "n{i}", "label": "Term {i}"}}' for i in range(n))
        links = ",".join(f'{{"source": "n{i - 1}", "target": "n{i}"}}' for i in range(1, n))
        deck.write_text(f'{{"nodes": [{nodes}], "links": [{links}]}}')
    elif name == "chain.graphml":
        deck.write_text(
            '<graphml><key id="l" for="node" attr.name="label"/><graph>'
            + "".join(f'<node id="n{i}"><data key="l">Term {i}</data></node>' for i in range(n))
            + "".join(f'<edge source="n{i - 1}" target="n{i}"/>' for i in range(1, n))
            + "</graph></graphml>"
        )
    else:  # one level of indentation a line: 1,000 levels, as an outline that deep is already 1 MB
        n = 1000
        deck.write_text("".join(" " * i + f"- Term {i}: step {i}\n" for i in range(n)))
    result = CliRunner().invoke(cli, ["import", str(deck), "--deck", "Chain"], obj=env, catch_exceptions=False)
    # The linter walks the chain too: every node but the outline's without a definition, and one
    # chain of single children from the top (the outline's steps are a word each).
    found = "0 errors, 1001 warnings" if name == "chain.md" else f"{n} errors, 1 warning"
    assert (result.exit_code, result.stderr) == (0, f"lint: {found} (srs lint {deck} for the detail)\n")
    assert f"+ {n} nodes" in result.stdout
    shown = CliRunner().invoke(cli, ["show", "--deck", "Chain", f"Term {n - 1}"], obj=env, catch_exceptions=False)
    assert shown.stdout.startswith(f"Term {n - 1}  (Term 0/Term 1/")


@pytest.mark.parametrize(
    "name, content, where_what",
    [
        (
            "deck.md",
            "- Root: top\n  - " + "L" * 600 + ": x\n",
            "line 2: the label '" + "L" * 59 + "…' is 600 characters; the limit is 500",
        ),
        (
            "deck.md",
            "- Root: top\n  - Child: " + "d" * 20_001 + "\n",
            "line 2: the definition of 'Child' is 20,001 characters; the limit is 20,000",
        ),
        (
            "deck.md",
            "- Root: top\n  - Twin: one\n  - Twin: two\n",
            "lines 2, 3: two nodes have the same label path 'Root/Twin'; give them different labels",
        ),
        ("deck.csv", "label,parent\nRoot,\nA,B\nB,A\n", "lines 3, 4: the hierarchy has a cycle: A -> B -> A"),
        (
            "deck.csv",
            "label,parent\nRoot,\nA,Root\nA,Root\n",
            "line 4: the term 'A', which names a parent in a table without ids, is on line 3 as well",
        ),
        (
            "deck.csv",
            "label,definition,parent\nRoot,top,\nChild," + "d" * 20_001 + ",Root\n",
            "line 3: the definition of 'Child' is 20,001 characters; the limit is 20,000",
        ),
        (
            "deck.csv",
            "parent,child\nRoot,A\nB,C\n",
            "lines 2, 3: 2 nodes have no parent, so the root is unclear (choose one with --root): 'Root', 'B'",
        ),
    ],
)
def test_outline_and_csv_errors_name_the_term_and_the_line(srs, tmp_path, name, content, where_what):
    deck = tmp_path / name
    deck.write_text(content)
    refused(srs, deck, where_what)


def test_a_first_parent_deeper_than_another_parent_is_read(env, tmp_path):
    deck = tmp_path / "deck.csv"
    deck.write_text("label,parent\nRoot,\nA,Root\nB,Root\nD,B\nX,D|A\n")
    result = CliRunner().invoke(cli, ["import", str(deck)], obj=env, catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, f"lint: 5 errors, 2 warnings (srs lint {deck} for the detail)\n")
    shown = CliRunner().invoke(cli, ["show", "Root/B/D/X"], obj=env, catch_exceptions=False)
    assert shown.stdout.splitlines()[0] == "X  (Root/B/D/X)"


def test_a_chain_deeper_than_pythons_recursion_limit_is_shown_by_every_command(env, tmp_path):
    n = 2000
    deck = tmp_path / "chain.csv"
    deck.write_text(
        "label,definition,parent\n" + "".join(f"Term {i},step {i},{f'Term {i - 1}' if i else ''}\n" for i in range(n))
    )

    def srs(*args, stderr=""):
        result = CliRunner().invoke(cli, [*args], obj=env, catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, stderr), result.output
        return result.stdout

    srs("import", str(deck), stderr=f"lint: 0 errors, 2201 warnings (srs lint {deck} for the detail)\n")
    lines = srs("tree").splitlines()
    assert len(lines) == 1 + n
    assert lines[1].split() == ["Term", "0", "0", str(n), "0"]
    assert lines[-1].split() == ["0", "1", "0"]  # the label's indentation fills the 40 columns
    assert len(srs("tree", "--depth", "2").splitlines()) == 1 + 3

    printed = srs("tree", "--json")
    # Parsing it back recurses once for each object and list: the pure-Python scanner obeys a raised
    # recursion limit, where the C one of some Pythons (3.12) stops at a fixed depth.
    decoder = json.JSONDecoder()
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10 * n)
    try:
        top = decoder.decode(printed)
    finally:
        sys.setrecursionlimit(limit)
    labels, item = [], top
    while item is not None:
        labels.append((item["label"], item["new"]))
        item = item["children"][0] if item["children"] else None
    assert labels == [(f"Term {i}", n - i) for i in range(n)]

    assert "Term 0" in srs("stats")
    srs("export", "gexf", "-o", str(tmp_path / "chain.gexf"))
    srs("export", "anki", "-o", str(tmp_path / "chain.apkg"))

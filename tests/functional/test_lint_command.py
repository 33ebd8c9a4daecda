"""`srs lint` on a map with one planted fault of each kind, read from its file and from the deck
stored from it, and `srs import`'s summary of what the linter found, with `--strict`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from srs.cli import cli
from srs.storage.tables import decks, nodes

FAULTS = [
    (
        "L101",
        "circular-definition",
        "error",
        "flops",
        "FLOPs",
        "the definition names the term: 'Floating-point operations'",
    ),
    ("L102", "circular-example", "error", "moe", "Mixture of Experts (MoE)", "the example names the term: 'MoE'"),
    (
        "L403",
        "single-child-branch",
        "warning",
        "budgets",
        "Compute Budgets",
        "a branch of one node: its only child is 'Spending Choices' (spending), so it has no children card; "
        "merge the two or give the child siblings",
    ),
    (
        "L402",
        "single-child-chain",
        "warning",
        "hardware",
        "Hardware",
        "a chain of single children: Hardware › Accelerators › Tensor Cores; merge levels or give them siblings",
    ),
    (
        "L201",
        "missing-definition",
        "error",
        "pipelines",
        "Data Pipelines",
        "no definition: the node gets a placement card only",
    ),
    (
        "L203",
        "context-dependent",
        "warning",
        "evidence",
        "Early Evidence",
        "the definition leans on its place in the map: 'the conjecture'",
    ),
    (
        "L301",
        "same-definition",
        "error",
        "twin-a",
        "Data Filtering",
        "the same definition as 'Corpus Cleaning' (twin-b)",
    ),
    (
        "L301",
        "same-definition",
        "error",
        "twin-b",
        "Corpus Cleaning",
        "the same definition as 'Data Filtering' (twin-a)",
    ),
    (
        "L302",
        "similar-definition",
        "warning",
        "near-a",
        "Learning Rate Warmup",
        "nearly the same definition as 'Warmup Schedule' (near-b): 95% of their words alike",
    ),
    (
        "L302",
        "similar-definition",
        "warning",
        "near-b",
        "Warmup Schedule",
        "nearly the same definition as 'Learning Rate Warmup' (near-a): 95% of their words alike",
    ),
    (
        "L303",
        "alike-sibling-labels",
        "error",
        "mix-2",
        "data-mix",
        "its label differs from its sibling 'Data Mix' (mix) only in case or punctuation",
    ),
    (
        "L401",
        "grouping-definition",
        "warning",
        "strategies",
        "Parallel Strategies",
        "the definition only lists its children (Data Parallelism, Tensor Parallelism, Pipeline Parallelism): a "
        "grouping node, which its children card teaches; say what they have in common, or leave the definition out",
    ),
    (
        "L501",
        "mixed-spelling",
        "warning",
        "regularisation",
        "Weight Decay",
        "'regularisation' is spelt with -ise; the deck mostly uses -ize (4 nodes, -ize or -ise)",
    ),
    (
        "L502",
        "mixed-numbers",
        "warning",
        "compute-cost",
        "Training Cost",
        "'1e21' is written like 1e24; the deck mostly writes 10^24 (2 nodes, powers of ten)",
    ),
    (
        "L103",
        "circular-breadcrumb",
        "error",
        "spending",
        "Spending Choices",
        "the children card's breadcrumb 'Compute Budgets' names the child 'Computation': 'Compute'",
    ),
    (
        "L202",
        "definition-length",
        "warning",
        "memory",
        "Memory",
        "the definition has 9 words (a card's answer reads best in 12 to 45)",
    ),
]
"""Every finding in tests/data/lint/faults.gexf, in the order reported: one planted fault of
each kind (a pair for the duplicates), and nothing at its clean nodes (Law with its lawn, the
root, Computation, the parallelisms, ...)."""


def text_of(faults) -> list[str]:
    lines, at = [], None
    for code, name, level, key, label, message in faults:
        if key != at:
            at = key
            lines.append(f"{label} ({key}):")
        lines.append(f"  {level} {code} {name}: {message}")
    return lines


@pytest.fixture
def faults(data):
    return data / "lint" / "faults.gexf"


def invoke(env, *args):
    return CliRunner().invoke(cli, list(args), obj=env, catch_exceptions=False)


def test_every_planted_fault_is_reported_and_nothing_else(env, faults):
    result = invoke(env, "lint", str(faults))
    assert result.exit_code == 1  # errors among them
    assert result.stdout.splitlines() == [*text_of(FAULTS), "lint: 7 errors, 9 warnings"]
    assert result.stderr == ""


def test_the_json_holds_every_finding(env, faults):
    result = invoke(env, "lint", str(faults), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "source": str(faults),
        "errors": 7,
        "warnings": 9,
        "findings": [
            {"code": code, "name": name, "level": level, "key": key, "label": label, "message": message}
            for code, name, level, key, label, message in FAULTS
        ],
    }


def test_a_stored_deck_lints_as_its_file_does(env, faults):
    assert invoke(env, "import", str(faults)).exit_code == 0
    from_file = json.loads(invoke(env, "lint", str(faults), "--json").stdout)
    result = invoke(env, "lint", "--deck", "Scaling Research", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {**from_file, "source": "Scaling Research"}
    # The only deck, without --deck, as other commands take it.
    assert invoke(env, "lint").stdout.splitlines() == [*text_of(FAULTS), "lint: 7 errors, 9 warnings"]


def test_a_learners_edit_is_what_the_deck_lint_reads(env, faults):
    from srs.service.nodes import edit_node

    invoke(env, "import", str(faults))
    with env.connection() as conn:
        node_id = conn.scalar(select(nodes.c.id).where(nodes.c.key == "memory"))
    edit_node(
        env, node_id, {"definition": "The storage a chip holds for the weights, activations and optimizer state."}
    )
    found = json.loads(invoke(env, "lint", "--json").stdout)["findings"]
    assert [f for f in found if f["key"] == "memory"] == []


def test_a_clean_map_exits_0_and_says_so(env, tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text(
        "- Scaling: Making neural networks more capable by training ever larger models on ever more data.\n"
        "  - Compute: The total arithmetic spent on training, counted in operations, and the hardware behind it.\n"
        "  - Data: The examples a network learns from, gathered from the web, books, code and papers.\n"
    )
    result = invoke(env, "lint", str(clean))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "lint: clean\n", "")
    assert json.loads(invoke(env, "lint", str(clean), "--json").stdout) == {
        "source": str(clean),
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }


def test_warnings_alone_exit_0(env, data):
    result = invoke(env, "lint", str(data / "small.gexf"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "lint: 0 errors, 4 warnings"


@pytest.mark.parametrize(
    "args, error",
    [
        (["lint", "missing.gexf"], "Error: missing.gexf: no such file"),
        (["lint", "--deck", "Nothing"], "Error: no deck named 'Nothing'"),
        (["lint", "--root", "x"], "Error: --root, --format and --nodes go with a FILE to lint"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, args, error):
    result = invoke(env, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(error) and result.stderr.count("\n") == 1


def test_a_file_and_a_deck_at_once_is_bad_input(env, faults):
    invoke(env, "import", str(faults))
    result = invoke(env, "lint", str(faults), "--deck", "Scaling Research")
    assert (result.exit_code, result.stderr) == (2, "Error: name a FILE or a --deck to lint, not both\n")


def test_import_counts_the_findings_on_stderr(env, faults):
    result = invoke(env, "import", str(faults))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Scaling Research (new deck, 27 nodes):"
    assert result.stderr == f"lint: 7 errors, 9 warnings (srs lint {faults} for the detail)\n"
    assert json.loads(invoke(env, "import", str(faults), "--json").stdout)["lint"] == {"errors": 7, "warnings": 9}
    # Imported again unchanged: nothing changed, nothing more said.
    again = invoke(env, "import", str(faults))
    assert (again.stdout, again.stderr) == ("Scaling Research: already up to date (27 nodes); nothing changed.\n", "")


def test_strict_import_refuses_a_map_with_errors_and_stores_nothing(env, faults, data):
    result = invoke(env, "import", str(faults), "--strict")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {faults}: the linter found 7 errors in the map, so --strict imports nothing "
        f"(srs lint {faults} for the detail)\n"
    )
    with env.connection() as conn:
        assert conn.scalar(select(func.count()).select_from(decks)) == 0
    # Warnings alone do not stop it.
    strict = invoke(env, "import", str(data / "small.gexf"), "--strict")
    assert strict.exit_code == 0
    assert strict.stderr == f"lint: 0 errors, 4 warnings (srs lint {data / 'small.gexf'} for the detail)\n"

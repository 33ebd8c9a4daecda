"""The map linter: a drafted concept map in, what would make poor cards out, node by node.

Pure: `lint(graph)` takes a `ConceptGraph` (read from a file, or built from a stored deck) and
returns `Finding`s, each with a stable code (`RULES` lists them with their level and meaning;
the README's table says the same). Errors are what would make a card give its answer away or
have none (circular or missing definitions, duplicates); warnings are matters of style.
"""

from __future__ import annotations

from srs.core.graph import ConceptGraph
from srs.core.lint import conventions, map_rules, node_rules
from srs.core.lint.findings import ERROR, RULES, WARNING, Finding, Rule

__all__ = ["ERROR", "RULES", "WARNING", "Finding", "Rule", "counts", "lint", "summary"]


def lint(graph: ConceptGraph) -> list[Finding]:
    """Everything the rules find in `graph`, node by node in the map's order (parents first),
    each node's findings by code."""
    found = [
        *node_rules.check(graph),
        *map_rules.check(graph),
        *conventions.check(graph),
    ]
    place = {key: i for i, key in enumerate(graph.parents_first())}
    return sorted(found, key=lambda f: (place.get(f.key, len(place)), f.code))


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings) among `findings`."""
    errors = sum(1 for f in findings if f.level == ERROR)
    return errors, len(findings) - errors


def summary(findings: list[Finding]) -> str:
    """`2 errors, 5 warnings`, or `clean`."""
    errors, warnings = counts(findings)
    if not findings:
        return "clean"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"

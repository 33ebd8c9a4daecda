"""Findings: what the linter reports, one per fault at one node, each of a rule with a stable code."""

from __future__ import annotations

from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class Rule(NamedTuple):
    """One kind of finding: its stable code, its name, its level and what it means."""

    code: str
    name: str
    level: str
    meaning: str


RULES = {
    rule.code: rule
    for rule in (
        Rule(
            "L101",
            "circular-definition",
            ERROR,
            "the definition names its own term, a word derived from it, its acronym or the acronym spelled out",
        ),
        Rule("L102", "circular-example", ERROR, "the example names the node's own term, as L101 says"),
        Rule(
            "L103",
            "circular-breadcrumb",
            ERROR,
            "a label on the children card's breadcrumb names one of the children where the card's mask leaves it "
            "visible (a derived word, an acronym or its spelling out)",
        ),
        Rule("L201", "missing-definition", ERROR, "the node has no definition"),
        Rule("L202", "definition-length", WARNING, "the definition is shorter than 12 words or longer than 45"),
        Rule(
            "L203",
            "context-dependent",
            WARNING,
            "the definition leans on its place in the map (`the conjecture`, `this approach`, `here`, `the above`) "
            "and cannot stand alone on a card",
        ),
        Rule(
            "L301",
            "same-definition",
            ERROR,
            "another node has the same definition (ignoring case, spacing and punctuation)",
        ),
        Rule(
            "L302",
            "similar-definition",
            WARNING,
            "another node's definition is nearly the same: their content words are at least 75% alike (Jaccard)",
        ),
        Rule(
            "L303", "alike-sibling-labels", ERROR, "a sibling's label differs from this one only in case or punctuation"
        ),
        Rule(
            "L401",
            "grouping-definition",
            WARNING,
            "the definition only lists the node's children: the node groups them, and its children card is what "
            "teaches it",
        ),
        Rule(
            "L402",
            "single-child-chain",
            WARNING,
            "the node starts a chain of single children: two levels or more below it have one node each",
        ),
        Rule(
            "L403",
            "single-child-branch",
            WARNING,
            "the node has one child only (a branch of one node), so no children card",
        ),
        Rule(
            "L501",
            "mixed-spelling",
            WARNING,
            "the node spells a word by the deck's less used convention (-ise/-ize, -yse/-yze, -our/-or, -ll-/-l-)",
        ),
        Rule(
            "L502",
            "mixed-numbers",
            WARNING,
            "the node writes numbers in the deck's less used notation (10^24, 1e24 or 10²⁴; 1,000 or 1000; "
            "billion or B)",
        ),
    )
}
"""Every rule by code."""


class Finding(NamedTuple):
    """One thing the linter found at one node."""

    code: str
    level: str
    key: str
    label: str
    message: str

    @property
    def name(self) -> str:
        """The rule's name (`circular-definition`)."""
        return RULES[self.code].name


def finding(code: str, key: str, label: str, message: str) -> Finding:
    """A finding of rule `code`, at its rule's level."""
    return Finding(code, RULES[code].level, key, label, message)

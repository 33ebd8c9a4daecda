"""A node's attributes as a concept: the names each field goes by in deck files, and colours."""

from __future__ import annotations

import re

from srs.core.graph import Concept

FIELD_ALIASES = {
    "label": "label",
    "name": "label",
    "term": "label",
    "title": "label",
    "definition": "definition",
    "description": "definition",
    "gloss": "definition",
    "desc": "definition",
    "example": "example",
    "examples": "example",
    "notes": "notes",
    "note": "notes",
    "annotation": "notes",
    "mnemonic": "mnemonic",
    "color": "color",
    "colour": "color",
}
STATE_PREFIX = "srs_"
"""Attributes the GEXF export writes about learning state; read back, they are not deck data."""
EDGE_KIND_NAMES = ("kind", "relation", "edge_kind", "edgetype", "edge type")
"""Edge attributes that say what kind of edge it is (see `srs.core.graph.HIERARCHY_KINDS`)."""


def field_of(name: str) -> str | None:
    """The concept field an attribute name stands for, under any alias."""
    return FIELD_ALIASES.get(name.strip().lower())


def concept_of(key: str, values: dict[str, str]) -> Concept:
    """A concept from a node's attributes, sorting known fields (under any alias) from the rest."""
    known: dict[str, str] = {}
    attrs: dict[str, str] = {}
    for name, value in values.items():
        field = field_of(name)
        if field and not known.get(field):
            known[field] = value
        elif value != "" and not name.startswith(STATE_PREFIX):
            attrs[name] = value
    get = known.get
    # Positional, in the order of Concept's fields: a file makes one for every node.
    return Concept(
        key,
        " ".join(get("label", key).split()),
        get("definition", "").strip(),
        get("example", "").strip(),
        get("notes", "").strip(),
        get("mnemonic", "").strip(),
        color(get("color")),
        attrs,
    )


def color(value: str | None) -> str | None:
    """`#rrggbb` from a hex colour with or without its `#`; None for anything else."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"#?[0-9a-fA-F]{6}", value):
        return "#" + value.lstrip("#").lower()
    return None

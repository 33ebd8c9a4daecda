"""Card building: a node and its neighbourhood in, flashcards that carry their context out.

Three kinds of card, keyed by (node, kind) so that history survives edits to the text:

- `definition`: every node with a definition. Front: the term and where it sits. Back: the
  definition, the parent, the siblings to tell it apart from, its parts.
- `children`: every node with at least two children. Front: "name the N kinds of X" where the
  file's edges say `is-a` (or `subclass-of`, `instance-of`), "name the N parts of X" where they
  say `part-of` (or `has-part`), "name the N concepts under X" otherwise.
- `placement`: a node without a definition. Front: the term. Back: its path, parent, siblings.

The content is plain data; the terminal, the command line and Anki each render it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from typing import Any, NamedTuple, TypedDict

from srs.core.graph import ConceptGraph


class CardKind(str, Enum):
    DEFINITION = "definition"
    CHILDREN = "children"
    PLACEMENT = "placement"


PAIR_KINDS = ("contrast", "relation")
"""The kinds of card about two nodes (`srs.core.pairs`): never one of a node's own cards."""


MASK = "[…]"
"""What replaces text on a card's front that would give its answer away."""

GLOSS_LENGTH = 90
"""Longest short definition (the gloss shown beside a parent, sibling or child), in characters."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


KIND = "kind"
PART = "part"
KIND_RELATIONS = frozenset(
    {
        *("is-a", "is_a", "isa", "is a", "subclass", "subclass-of", "subclass_of", "subclassof", "subclass of"),
        *("instance-of", "instance_of", "instanceof", "instance of"),
    }
)
"""Edge words (in lower case) that make the child a kind of its parent."""
PART_RELATIONS = frozenset({"part-of", "part_of", "partof", "part of", "has-part", "has_part", "haspart", "has part"})
"""Edge words (in lower case) that make the child a part of its parent."""


def relation_group(relation: str) -> str:
    """What an edge's word makes the child of its parent: `KIND`, `PART`, or '' (a concept under it)."""
    word = relation.strip().lower()
    return KIND if word in KIND_RELATIONS else PART if word in PART_RELATIONS else ""


def children_phrase(group: str, term: str) -> str:
    """How a card names the children of `term` of one group: `kinds of X`, `parts of X`, `concepts under X`."""
    return f"kinds of {term}" if group == KIND else f"parts of {term}" if group == PART else f"concepts under {term}"


def children_heading(group: str, term: str) -> str:
    """`children_phrase` as a heading: `Kinds of X`."""
    phrase = children_phrase(group, term)
    return phrase[0].upper() + phrase[1:]


def parent_heading(group: str) -> str:
    """How a card names the parent: `Kind of` for a kind, `Part of` otherwise."""
    return "Kind of" if group == KIND else "Part of"


class Neighbour(NamedTuple):
    """A related node on a card: its label and a short definition."""

    label: str
    gloss: str = ""


class CardContent(NamedTuple):
    """Everything a card shows, front and back, as plain values.

    A named tuple rather than a dataclass: an export builds one for every card of the deck.
    """

    kind: str
    term: str
    question: str
    path: tuple[str, ...] = ()
    """Labels from the root down to the parent, masked where they would give the answer away."""
    hint: str = ""
    """Extra front text: for a `children` card, the node's gloss with its parts masked."""
    definition: str = ""
    example: str = ""
    parent: Neighbour | None = None
    other_parents: tuple[str, ...] = ()
    siblings: tuple[Neighbour, ...] = ()
    children: tuple[Neighbour, ...] = ()
    parent_relation: str = ""
    """What the node is of its first parent (`relation_group`): `kind`, `part` or ''."""
    child_relations: tuple[str, ...] = ()
    """What each child is of the node (`relation_group`), in the children's order; empty where
    every one is ''."""

    def child_groups(self) -> list[tuple[str, tuple[Neighbour, ...]]]:
        """The children by what they are of the node, each group headed as `children_heading`
        says, in the order each group's first child comes."""
        if not self.child_relations:
            return [(children_heading("", self.term), self.children)] if self.children else []
        groups: dict[str, list[Neighbour]] = {}
        for child, group in zip(self.children, self.child_relations, strict=True):
            groups.setdefault(group, []).append(child)
        return [(children_heading(group, self.term), tuple(items)) for group, items in groups.items()]

    place: int = 0
    """How many of the siblings come before the node in its first parent's order: where it
    stands among them, so that a long list can show the closest ones."""
    partner: str = ""
    """A pair card's second node (`srs.core.pairs`): its label; '' on a card about one node."""
    partner_definition: str = ""
    link: str = ""
    """A relation card's link: what the edge from the node to its partner says (`causes`)."""

    @property
    def is_pair(self) -> bool:
        """A card about two nodes (a contrast or relation card)."""
        return self.kind in PAIR_KINDS

    def to_dict(self) -> dict[str, Any]:
        """The content as JSON-ready values (lists, not tuples), as the database gives it back."""

        def pair(n: Neighbour) -> dict[str, str]:
            return {"label": n.label, "gloss": n.gloss}

        return {
            "kind": self.kind,
            "term": self.term,
            "question": self.question,
            "path": list(self.path),
            "hint": self.hint,
            "definition": self.definition,
            "example": self.example,
            "parent": pair(self.parent) if self.parent else None,
            "other_parents": list(self.other_parents),
            "siblings": [pair(n) for n in self.siblings],
            "children": [pair(n) for n in self.children],
            "parent_relation": self.parent_relation,
            "child_relations": list(self.child_relations),
            "place": self.place,
            "partner": self.partner,
            "partner_definition": self.partner_definition,
            "link": self.link,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardContent:
        data = dict(data)
        parent = data.get("parent")
        data["parent"] = Neighbour(**parent) if parent else None
        data["path"] = tuple(data.get("path", ()))
        data["other_parents"] = tuple(data.get("other_parents", ()))
        data["child_relations"] = tuple(data.get("child_relations", ()))
        for name in ("siblings", "children"):
            data[name] = tuple(Neighbour(**n) for n in data.get(name, ()))
        return cls(**data)


class _Context(TypedDict):
    """What every card of a node shows whatever its kind: the `CardContent` fields they share."""

    term: str
    definition: str
    example: str
    parent: Neighbour | None
    other_parents: tuple[str, ...]
    siblings: tuple[Neighbour, ...]
    children: tuple[Neighbour, ...]
    parent_relation: str
    child_relations: tuple[str, ...]
    place: int


class CardSpec(NamedTuple):
    """A card to store: its identity within the deck and its content."""

    node_key: str
    kind: CardKind
    content: CardContent


def gloss(definition: str, limit: int = GLOSS_LENGTH) -> str:
    """The short form of a definition: its first sentence, cut at a word to `limit` characters."""
    text = " ".join(definition.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1]
    if first[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]  # do not end on half a word
    return cut.rstrip(",;: ") + "…"


def _as_words(text: str, secrets: Iterable[str]) -> re.Pattern[str] | None:
    """The secrets found in `text` as a pattern of whole words (a plural ending included), or
    None when none of them is in it at all."""
    folded = text.casefold()
    wanted = sorted({s for s in secrets if s.strip() and s.casefold() in folded}, key=len, reverse=True)
    if not wanted:  # the common case, decided without a regular expression
        return None
    words = "|".join(re.escape(secret) for secret in wanted)
    return re.compile(rf"(?<!\w)(?:{words})(?:e?s)?(?!\w)", flags=re.IGNORECASE)


def mask(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret (ignoring case) replaced by `MASK` where it stands as a word of its
    own, a plural ending included: "Exception" is hidden in "an Exception" and in "Exceptions",
    not in "BaseException", where masking would give nothing away but make the label unreadable."""
    found = _as_words(text, secrets)
    return text if found is None else found.sub(MASK, text)


def names(text: str, term: str) -> bool:
    """Whether `text` names `term` where `mask` would hide it: as a word of its own, in any case."""
    found = _as_words(text, (term,))
    return found is not None and found.search(text) is not None


class CardCache:
    """What the cards of neighbouring nodes share, kept across calls to `cards_for` on one graph:
    each node's label with its gloss, each node's children as neighbours, and each breadcrumb."""

    __slots__ = ("neighbours", "children", "paths")

    def __init__(self) -> None:
        self.neighbours: dict[str, Neighbour] = {}
        self.children: dict[str, tuple[Neighbour, ...]] = {}
        self.paths: dict[str, tuple[tuple[str, ...], str]] = {}

    def neighbour(self, graph: ConceptGraph, key: str) -> Neighbour:
        found = self.neighbours.get(key)
        if found is None:
            concept = graph.concepts[key]
            found = self.neighbours[key] = Neighbour(concept.label, gloss(concept.definition))
        return found

    def children_of(self, graph: ConceptGraph, key: str) -> tuple[Neighbour, ...]:
        found = self.children.get(key)
        if found is None:
            found = self.children[key] = tuple(self.neighbour(graph, k) for k in graph.children.get(key, ()))
        return found

    def path(self, graph: ConceptGraph, key: str) -> tuple[tuple[str, ...], str]:
        """The labels from the root down to `key` (included) along first parents, and the same
        labels case-folded in one string (to find quickly whether a secret is in any of them)."""
        found = self.paths.get(key)
        if found is not None:
            return found
        climb = [key]
        while (parents := graph.parents.get(climb[-1])) and parents[0] not in self.paths:
            climb.append(parents[0])
            if len(climb) > len(graph.concepts):
                raise ValueError(f"the first parents above {key!r} form a cycle")
        top = climb[-1]
        labels, folded = self.paths[graph.parents[top][0]] if graph.parents.get(top) else ((), "")
        for item in reversed(climb):
            label = graph.concepts[item].label
            labels, folded = self.paths[item] = ((*labels, label), f"{folded}\n{label.casefold()}")
        return labels, folded


def _masked_path(path: tuple[tuple[str, ...], str], secrets: Iterable[str]) -> tuple[str, ...]:
    labels, folded = path
    if any(s.strip() and s.casefold() in folded for s in secrets):
        return tuple(mask(label, secrets) for label in labels)
    return labels


def build_cards(graph: ConceptGraph) -> list[CardSpec]:
    """Every card of the graph, parents-first (the order new cards are introduced in)."""
    cards: list[CardSpec] = []
    cache = CardCache()
    for key in graph.parents_first():
        cards.extend(cards_for(graph, key, cache))
    return cards


def card_kinds(graph: ConceptGraph, key: str) -> list[CardKind]:
    """Which cards a node has: definition (or placement, without one) and children (2 or more)."""
    kinds = []
    if graph.concepts[key].definition:
        kinds.append(CardKind.DEFINITION)
    elif graph.parents.get(key):
        kinds.append(CardKind.PLACEMENT)
    if len(graph.children.get(key, ())) >= 2:
        kinds.append(CardKind.CHILDREN)
    return kinds


def cards_for(graph: ConceptGraph, key: str, cache: CardCache | None = None) -> list[CardSpec]:
    """The cards of one node; a `cache` shared across calls saves building its neighbours again.

    The graph need only hold the node's neighbourhood: its path to the root along first parents,
    its parents with their children, and its own children.
    """
    if cache is None:
        cache = CardCache()
    concept = graph.concepts[key]
    term = concept.label
    parents = graph.parents.get(key) or ()
    path = cache.path(graph, parents[0]) if parents else ((), "")
    parent = cache.neighbour(graph, parents[0]) if parents else None
    others = tuple(graph.concepts[p].label for p in parents[1:])
    # The first parent's other children come first either way, so `at` is the node's place among them.
    at = graph.children[parents[0]].index(key) if parents else 0
    if len(parents) == 1:  # the usual case: the parent's children but this one
        kin_neighbours = cache.children_of(graph, parents[0])
        siblings = kin_neighbours[:at] + kin_neighbours[at + 1 :]
    else:
        siblings = tuple(cache.neighbour(graph, k) for k in graph.siblings(key))
    children = cache.children_of(graph, key)
    relations = graph.relations
    parent_relation = relation_group(relations.get((parents[0], key), "")) if relations and parents else ""
    child_relations: tuple[str, ...] = ()
    if relations:  # most files give their hierarchy edges no word
        child_relations = tuple(relation_group(relations.get((key, c), "")) for c in graph.children.get(key, ()))
        if not any(child_relations):
            child_relations = ()
    context = _Context(
        term=term,
        definition=concept.definition,
        example=concept.example,
        parent=parent,
        other_parents=others,
        siblings=siblings,
        children=children,
        parent_relation=parent_relation,
        child_relations=child_relations,
        place=at,
    )
    cards: list[CardSpec] = []
    if concept.definition:
        content = CardContent(
            kind=CardKind.DEFINITION.value,
            question=f"What is {term}?",
            path=_masked_path(path, (term,)),
            **context,
        )
        cards.append(CardSpec(key, CardKind.DEFINITION, content))
    elif parents:
        content = CardContent(
            kind=CardKind.PLACEMENT.value,
            question=f"Where does {term} sit in the map?",
            path=path[0],
            **context,
        )
        cards.append(CardSpec(key, CardKind.PLACEMENT, content))
    if len(children) >= 2:
        parts = [c.label for c in children]
        content = CardContent(
            kind=CardKind.CHILDREN.value,
            question=children_question(term, len(children), child_relations),
            path=_masked_path(path, parts),
            hint=mask(cache.neighbour(graph, key).gloss, parts),
            **context,
        )
        cards.append(CardSpec(key, CardKind.CHILDREN, content))
    return cards


def children_question(term: str, count: int, groups: tuple[str, ...]) -> str:
    """The front of a children card: `Name the 3 kinds of X.`, or for children of several groups
    `Name the 4 concepts under X: 2 kinds, 1 part, 1 other.`"""
    found = dict.fromkeys(groups or ("",))
    if len(found) == 1:
        group = next(iter(found))
        return f"Name the {count} {children_phrase(group, term)}."
    counts = {group: groups.count(group) for group in found}
    nouns = {KIND: ("kind", "kinds"), PART: ("part", "parts"), "": ("other", "others")}
    each = ", ".join(f"{n} {nouns[group][n != 1]}" for group, n in counts.items())
    return f"Name the {count} concepts under {term}: {each}."


def front_lines(card: CardContent) -> list[str]:
    """The front of a card as plain text lines: breadcrumb, question, hint."""
    lines = []
    if card.path and card.kind != CardKind.PLACEMENT.value:
        lines.append(" › ".join(card.path))
    lines.append(card.question)
    if card.hint:
        lines.append(card.hint)
    return lines


def back_lines(card: CardContent) -> list[str]:
    """The back of a card as plain text lines, the answer first and then its context."""
    lines: list[str] = []
    if card.is_pair:
        return pair_back_lines(card)
    if card.kind == CardKind.DEFINITION.value:
        lines.append(card.definition)
        if card.example:
            lines.append(f"Example: {card.example}")
    elif card.kind == CardKind.CHILDREN.value:
        groups = card.child_groups()
        if len(groups) == 1:
            lines.extend(_listed(card.children))
        else:
            for heading, items in groups:
                lines.append(f"{heading}:")
                lines.extend(_listed(items))
        return lines + _parent_lines(card)
    else:
        lines.append(" › ".join([*card.path, card.term]))
    lines.extend(_parent_lines(card))
    if card.siblings:
        lines.append("Not to be confused with:")
        lines.extend(_listed(card.siblings))
    if card.kind == CardKind.DEFINITION.value:
        for heading, items in card.child_groups():
            lines.append(f"{heading}: " + ", ".join(c.label for c in items))
    return lines


def link_line(card: CardContent) -> str:
    """The link a relation card states: `A — causes → B`."""
    return f"{card.term} — {card.link} → {card.partner}"


def pair_back_lines(card: CardContent) -> list[str]:
    """The back of a pair card as plain lines: the link (for a relation card), then each node's
    definition, one after the other."""
    lines = [link_line(card)] if card.kind == "relation" else []
    for label, definition in ((card.term, card.definition), (card.partner, card.partner_definition)):
        lines.append(f"{label}: {definition}" if definition else label)
    return lines


def _parent_lines(card: CardContent) -> list[str]:
    if card.parent is None:
        return []
    text = f"{parent_heading(card.parent_relation)}: {card.parent.label}"
    if card.parent.gloss:
        text += f" — {card.parent.gloss}"
    lines = [text]
    if card.other_parents:
        lines.append("Also under: " + ", ".join(card.other_parents))
    return lines


def _listed(neighbours: tuple[Neighbour, ...]) -> list[str]:
    return [f"  {n.label}" + (f" — {n.gloss}" if n.gloss else "") for n in neighbours]


SIBLINGS_SHOWN = 5
"""Siblings a card shows of a long list: the closest ones in the parent's order."""


def closest_siblings(card: CardContent, few: int = SIBLINGS_SHOWN) -> tuple[tuple[Neighbour, ...], int]:
    """The siblings to show on a card, and how many are left out: all of them when they are
    `few` and one more at most (a line saying "and 1 more" would hide nothing), else the `few`
    that stand closest to the node in its parent's order, in that order."""
    siblings = card.siblings
    if len(siblings) <= few + 1:
        return siblings, 0
    start = min(max(card.place - few // 2, 0), len(siblings) - few)
    return siblings[start : start + few], len(siblings) - few

"""What an import changes: a stored deck compared with a graph read from a file.

Nodes are matched by key (the file's node id) first. Where a file's ids changed (another editor
re-saved it), the nodes left over on both sides are matched by label, and failing that by label
path, so the learner's history follows the concept and not the id. A node renamed as well is
matched by its definition: under the same parent, with the same or nearly the same definition
(`DEFINITION_LIKENESS`), where no other leftover node would match either of the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from srs.core.graph import Concept, ConceptGraph, first_parent_of, path_digests

DEFINITION_LIKENESS = 0.85
"""How alike two definitions must be (difflib's `SequenceMatcher.ratio`, 0 to 1, on the texts
case-folded with their spaces evened out) for a renamed node to be matched by its definition:
0.85 lets a word or two change in a sentence, not the sense of it."""

TEXT_FIELDS = ("label", "definition", "example", "color")
OWN_FIELDS = ("notes", "mnemonic")
"""Fields each learner may write their own text for (`srs.core.edits`); the deck's text of them,
the file's, is never cleared by an empty value in a file."""


@dataclass(frozen=True)
class NodeRecord:
    """A stored node, as the diff needs it: its concept and where it sat."""

    concept: Concept
    parents: tuple[str, ...] = ()
    """Keys of its parents, first parent first."""
    retired: bool = False


@dataclass
class GraphDiff:
    """Stored keys matched to file keys, and the changes, each list in the file's order."""

    matched: dict[str, str] = field(default_factory=dict)
    """File key -> stored key, for every file node that already exists."""
    matched_by: dict[str, str] = field(default_factory=dict)
    """File key -> 'label', 'path' or 'definition', for matches made without the key."""
    added: list[str] = field(default_factory=list)
    """File keys of new nodes."""
    changed: dict[str, list[str]] = field(default_factory=dict)
    """File key -> names of fields whose text changed (label changes are listed as renames)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """File key -> the stored label before."""
    moved: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """File key -> stored parent keys before the move."""
    removed: list[str] = field(default_factory=list)
    """Stored keys no longer in the file (to retire)."""
    restored: list[str] = field(default_factory=list)
    """File keys of nodes that were retired and are back."""

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.renamed or self.moved or self.removed or self.restored)


def label_paths(graph: ConceptGraph) -> dict[str, str]:
    """Each node's label path from the root (`A/B/C`), following first parents."""
    return _path_texts({key: c.label for key, c in graph.concepts.items()}, first_parent_of(graph))


def stored_paths(stored: Mapping[str, NodeRecord]) -> dict[str, str]:
    """Each stored node's label path from its root (`A/B/C`), following first parents."""
    return _path_texts(
        {key: r.concept.label for key, r in stored.items()},
        lambda k: stored[k].parents[0] if stored[k].parents else None,
    )


def _path_texts(labels: Mapping[str, str], first_parent) -> dict[str, str]:
    """Label paths along first parents, in any order of `labels` (a first parent may come later);
    a parent that is not in `labels`, or closes a loop, ends the path."""
    paths: dict[str, str] = {}
    for key in labels:
        chain = [key]
        seen = {key}
        while chain[-1] not in paths:
            parent = first_parent(chain[-1])
            if parent is None or parent not in labels or parent in seen:
                paths[chain[-1]] = labels[chain[-1]]
                break
            seen.add(parent)
            chain.append(parent)
        for below, above in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
            paths[below] = f"{paths[above]}/{labels[below]}"
    return paths


def diff_graph(stored: Mapping[str, NodeRecord], graph: ConceptGraph) -> GraphDiff:
    """Compare the stored nodes of a deck with `graph`."""
    diff = GraphDiff()
    unmatched_new = []
    for key in graph.concepts:
        if key in stored:
            diff.matched[key] = key
        else:
            unmatched_new.append(key)
    left = {k: r for k, r in stored.items() if k not in graph.concepts}
    if unmatched_new and left:
        unmatched_new = _match_unique(
            unmatched_new,
            left,
            lambda k: graph.label(k).casefold(),
            lambda r: r.concept.label.casefold(),
            "label",
            diff,
        )
    if unmatched_new and left:
        # Paths compared by digest: a deep chain's paths would add up to n² characters.
        labels = {key: concept.label for key, concept in graph.concepts.items()}
        paths = path_digests(labels, first_parent_of(graph), fold=True)
        stored_labels = {key: record.concept.label for key, record in stored.items()}
        old_paths = path_digests(
            stored_labels, lambda k: stored[k].parents[0] if stored[k].parents else None, fold=True
        )
        unmatched_new = _match_unique(
            unmatched_new, left, lambda k: paths[k], lambda r: old_paths[r.concept.key], "path", diff
        )
    if unmatched_new and left:
        unmatched_new = _match_by_definition(unmatched_new, left, stored, graph, diff)
    diff.added = unmatched_new

    new_key_of = {old: new for new, old in diff.matched.items()}
    for key, old_key in diff.matched.items():
        record = stored[old_key]
        old = record.concept
        concept = graph.concepts[key]
        if record.retired:
            diff.restored.append(key)
        if concept != old:  # most nodes of a re-import are exactly as stored: nothing to compare
            if concept.label != old.label:
                diff.renamed[key] = old.label
            fields = [name for name in TEXT_FIELDS[1:] if (getattr(concept, name) or "") != (getattr(old, name) or "")]
            fields += [
                name for name in OWN_FIELDS if getattr(concept, name) and getattr(concept, name) != getattr(old, name)
            ]
            if dict(concept.attrs) != dict(old.attrs):
                fields.append("attributes")
            if fields:
                diff.changed[key] = fields
        old_parents = tuple(new_key_of.get(p, p) for p in record.parents)
        if tuple(graph.parents.get(key, ())) != old_parents:
            diff.moved[key] = record.parents
    diff.removed = [k for k, r in stored.items() if k not in new_key_of and not r.retired]
    return diff


def _match_unique(new_keys, left, file_value, stored_value, how, diff) -> list[str]:
    """Match file keys to leftover stored records whose value is unique on both sides."""
    by_value: dict[str, list[str]] = {}
    for old_key, record in left.items():
        by_value.setdefault(stored_value(record), []).append(old_key)
    wanted: dict[str, list[str]] = {}
    for key in new_keys:
        wanted.setdefault(file_value(key), []).append(key)
    still = []
    for key in new_keys:
        value = file_value(key)
        olds = by_value.get(value, [])
        if len(olds) == 1 and len(wanted[value]) == 1:
            diff.matched[key] = olds[0]
            diff.matched_by[key] = how
            del left[olds[0]]
        else:
            still.append(key)
    return still


def _match_by_definition(new_keys, left, stored, graph: ConceptGraph, diff: GraphDiff) -> list[str]:
    """Match file keys to leftover stored nodes under the same parent (matched already, so a
    renamed parent's children come after it) with a definition at least `DEFINITION_LIKENESS`
    alike, one to one: a node with two such candidates, or a candidate two nodes would take,
    stays unmatched."""

    def text(definition: str) -> str:
        return " ".join(definition.casefold().split())

    while True:
        olds_under: dict[str | None, list[str]] = {}
        for old_key, record in left.items():
            if record.concept.definition:
                olds_under.setdefault(record.parents[0] if record.parents else None, []).append(old_key)
        pairs: list[tuple[str, str]] = []
        for key in new_keys:
            definition = graph.concepts[key].definition
            parents = graph.parents.get(key)
            parent = diff.matched.get(parents[0]) if parents else None
            if not definition or (parents and parent is None):
                continue
            matcher = SequenceMatcher(None, "", text(definition))  # difflib caches what it knows of the second
            for old_key in olds_under.get(parent, ()):
                matcher.set_seq1(text(left[old_key].concept.definition))
                if (
                    matcher.real_quick_ratio() >= DEFINITION_LIKENESS
                    and matcher.quick_ratio() >= DEFINITION_LIKENESS
                    and matcher.ratio() >= DEFINITION_LIKENESS
                ):
                    pairs.append((key, old_key))
        news_of: dict[str, int] = {}
        olds_of: dict[str, int] = {}
        for key, old_key in pairs:
            news_of[key] = news_of.get(key, 0) + 1
            olds_of[old_key] = olds_of.get(old_key, 0) + 1
        found = [(key, old_key) for key, old_key in pairs if news_of[key] == 1 and olds_of[old_key] == 1]
        if not found:
            return new_keys
        for key, old_key in found:
            diff.matched[key] = old_key
            diff.matched_by[key] = "definition"
            del left[old_key]
        taken = {key for key, _ in found}
        new_keys = [key for key in new_keys if key not in taken]
        if not new_keys or not left:
            return new_keys


@dataclass(frozen=True)
class Removal:
    """What an import would take from an existing deck: the learner is asked before a large part goes."""

    live: int
    """Nodes of the deck that are not retired, before the import."""
    retired: int
    """Of them, how many the import would retire."""
    deleted: int = 0
    """Nodes `--prune` would delete for good, with their history (retired ones included)."""

    @property
    def needs_confirmation(self) -> bool:
        """Deleting anything, or retiring more than half of the deck's live nodes."""
        return self.deleted > 0 or 2 * self.retired > self.live

    def confirmed_by(self, agreed: Removal | None) -> bool:
        """Whether the learner's yes to `agreed` (None: no yes asked for) also stands for this removal:
        it needs none, or takes no more than what they agreed to."""
        if not self.needs_confirmation:
            return True
        return agreed is not None and self.retired <= agreed.retired and self.deleted <= agreed.deleted

"""A node's text a learner edited in the program, and what a re-import does with it.

The definition and the example are the deck's: an edit changes the node's row, for every
learner, and an edit row per edited field keeps what the file said for it (`file_text`). A
re-import compares three texts for each edited field of a node still in the file: the edited
text (the row), the file's then (`file_text`) and the file's now.

- The file's text is still `file_text`: the edited text stays, and nothing is reported.
- The file now says what the learner wrote: the edit is merged (its edit row goes).
- Both changed: a conflict. The edited text stays, and the file's new text becomes
  `file_text`, so the same file does not report it again; with `theirs`, the file's text is
  taken instead and the edit row goes. Either way the conflict is reported.

Notes and a mnemonic (`OWN_FIELDS`) are each learner's own: the node's row holds the deck's text
(the file's) and a learner who wrote their own sees it instead. A re-import by that learner:

- The file says the learner's own text (their export, say): nothing changes, nothing is reported.
- The file changes the deck's text to something else: the deck's text moves on, for every
  learner without their own, and the importing learner's own text stays, a conflict reported;
  with `theirs` their own text goes, so they see the file's.

Empty notes or an empty mnemonic in a file are no change (the file says nothing about them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from srs.core.diff import OWN_FIELDS, GraphDiff, NodeRecord
from srs.core.graph import ConceptGraph
from srs.core.text import xml_text

EDITABLE = ("definition", "example", *OWN_FIELDS)
"""The fields of a node the learner edits, in the order the edit dialog shows them."""


def field_text(text: str) -> str:
    """What the learner typed for a field, as an import stores a file's text: line breaks as
    LF, a character deck text cannot hold as its visible stand-in (ESC as ␛), no blank space
    around it (the readers strip it, so an exported edit reads back the same)."""
    return xml_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def file_text_after(current: str, file_text: str | None, new: str) -> str | None:
    """An edit row's `file_text` after the learner changes a field from `current` to `new`
    (`file_text` None: the field has no edit row); None when the field is left with none.

    The first edit remembers the file's text (the field's text until then); a field edited back
    to the file's text is no edit at all.
    """
    said = current if file_text is None else file_text
    return None if new == said else said


@dataclass(frozen=True)
class Conflict:
    """A field both the learner and the file changed."""

    key: str
    """The node's key in the file."""
    label: str
    field: str
    yours: str
    """The learner's text (for notes or a mnemonic, their own)."""
    theirs: str
    """The file's text now."""
    taken: str
    """'yours' (kept) or 'theirs' (the file's, with `--theirs`)."""


@dataclass
class EditPlan:
    """What an import does with the learner's edits: the texts it keeps and the edit rows it changes."""

    kept: dict[str, dict[str, str]] = field(default_factory=dict)
    """File key -> field -> the learner's text, written instead of the file's."""
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    """(stored key, field, the file's new text): edit rows whose `file_text` moves on."""
    dropped: list[tuple[str, str]] = field(default_factory=list)
    """(stored key, field): edit rows that go (merged, or the file's text taken)."""
    own_dropped: list[tuple[str, str]] = field(default_factory=list)
    """(stored key, field): the importing learner's own texts that go (the file's taken)."""
    merged: list[tuple[str, str]] = field(default_factory=list)
    """(file key, field): edits the file now says too."""
    conflicts: list[Conflict] = field(default_factory=list)


def reconcile(
    stored: Mapping[str, NodeRecord],
    graph: ConceptGraph,
    diff: GraphDiff,
    edits: Mapping[str, Mapping[str, str]],
    theirs: bool = False,
    own: Mapping[str, Mapping[str, str]] | None = None,
) -> EditPlan:
    """The import's plan for the deck's `edits` (stored key -> field -> `file_text`) and the
    importing learner's `own` notes and mnemonics (stored key -> field -> their text), given the
    stored nodes (the deck's text), the file's `graph` and the `diff` between them.

    The fields whose stored text stays, or that are reported as conflicts, leave `diff.changed`:
    the import changes nothing there, or says so as a conflict.
    """
    plan = EditPlan()
    own = own or {}
    if not edits and not own:
        return plan
    # In the file's order, as the rest of the report; a node gone from the file retires with its edits.
    for key, concept in graph.concepts.items():
        old_key = diff.matched.get(key)
        if old_key is None:
            continue
        deck_text = stored[old_key].concept
        for name, said in sorted(edits.get(old_key, {}).items(), key=lambda item: EDITABLE.index(item[0])):
            yours, now = getattr(deck_text, name), getattr(concept, name)
            if now == yours:
                plan.merged.append((key, name))
                plan.dropped.append((old_key, name))
                continue
            _unchanged(diff, key, name)
            if now == said:
                plan.kept.setdefault(key, {})[name] = yours
            elif theirs:
                plan.conflicts.append(Conflict(key, concept.label, name, yours, now, "theirs"))
                plan.dropped.append((old_key, name))
            else:
                plan.conflicts.append(Conflict(key, concept.label, name, yours, now, "yours"))
                plan.kept.setdefault(key, {})[name] = yours
                plan.seen.append((old_key, name, now))
        for name, yours in sorted(own.get(old_key, {}).items(), key=lambda item: EDITABLE.index(item[0])):
            if name not in diff.changed.get(key, ()):
                continue  # the file says the deck's text, or nothing
            now = getattr(concept, name)
            _unchanged(diff, key, name)
            if now == yours:
                plan.kept.setdefault(key, {})[name] = getattr(deck_text, name)
            else:
                plan.conflicts.append(Conflict(key, concept.label, name, yours, now, "theirs" if theirs else "yours"))
                if theirs:
                    plan.own_dropped.append((old_key, name))
    return plan


def _unchanged(diff: GraphDiff, key: str, name: str) -> None:
    """Take `name` off the fields `diff` lists as changed for `key`."""
    fields = diff.changed.get(key)
    if fields and name in fields:
        fields.remove(name)
        if not fields:
            del diff.changed[key]

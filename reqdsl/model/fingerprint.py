"""Review stamps: a fingerprint of what an approving review approved.

A review's `stamp` field records, for each document it covers, a digest of the
document's whole content and one short hash per field of each of its elements, so that
a check can tell *that* the content changed since the approval (the digest) and name
*which* element and field changed (the short hashes). See docs/language.md, "Review
stamps", for the decision and what counts as content.

The record is plain text, one line per element, so that it stays readable and a re-stamp
diffs line by line:

    document SRS v1:<sha256 of the whole content, 64 hex digits>
    SRS owner=1a2b3c4d5e6f title=0f1e2d3c4b5a
    REQ-1 statement=5d41402abc4b rationale=7d793037a076 title=9e107d9d372b
    text 2fd4e1c67a2d 3ac340832f29

`document` starts a covered document; an `ID` line lists that element's fields as
`name=hash`; a `text`, `term` or `section` line lists the hashes of the document's
elements without an ID (prose, glossary entries, untitled sections), which have no name
to record them under. Keywords are never IDs, so the lines cannot be confused.

What is fingerprinted is the meaning, not the layout: each value as the model holds it
(strings unescaped, text blocks dedented), runs of whitespace folded into one space,
list values sorted (a list is a set in the language). `reqdsl fmt`, comments, the order
of fields or elements and line endings therefore never invalidate a stamp. Left out:
review elements (the record of validation, not the content validated), `ignore` (a
directive to the checker), a document's `status` and `version` (the outcome of the
review and RV001's business) and a requirement's `status` (its progress through
implementation and verification, which moves on after approval by design).
"""

from __future__ import annotations

import collections
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..format.verify import syntax_shape
from .elements import ModelElement, Score, Val
from .schema import COMMON_FIELDS, KIND_FIELDS

FORMAT = "v1"  # the normalisation below; a new one gets a new tag, old stamps still read
SHORT_HEX = 12  # hex digits of a per-field hash: enough to name a field, not to trust it
ANONYMOUS_KINDS = ("text", "term", "section")  # elements that may have no ID
NOT_CONTENT_KINDS = frozenset({"review"})
NOT_CONTENT_FIELDS: dict[str, frozenset[str]] = {
    "document": frozenset({"status", "version", "ignore"}),
    "requirement": frozenset({"status", "ignore"}),
}
_ALWAYS_LEFT_OUT = frozenset({"ignore"})
_HEX = re.compile(r"^[0-9a-f]+$")
_DIGEST = re.compile(rf"^{FORMAT}:[0-9a-f]{{64}}$")


class StampError(ValueError):
    """A stamp record that cannot be read (hand-edited or truncated)."""


@dataclass
class DocumentPrint:
    """The fingerprint of one document: its digest, its elements' fields, its prose."""

    document: str
    digest: str = ""
    elements: dict[str, dict[str, str]] = field(default_factory=dict)  # ID -> field -> hash
    anonymous: dict[str, list[str]] = field(default_factory=dict)  # kind -> hashes


@dataclass
class CurrentPrint(DocumentPrint):
    """A document's fingerprint as the project stands, with the elements it came from."""

    members: dict[str, ModelElement] = field(default_factory=dict)  # ID -> element
    prose: list[tuple[ModelElement, str]] = field(default_factory=list)  # element, hash
    broken: bool = False  # an element has a syntax error: its content is unknown


# ---------------------------------------------------------------- normalised values


def _words(text: str) -> str:
    return " ".join(text.split())


def _value(value: Any) -> Any:
    if isinstance(value, Val):
        return _words(value.raw)
    if isinstance(value, Score):
        return f"{value.criterion} {value.score if value.score is not None else '?'}"
    if isinstance(value, list):
        return sorted(json.dumps(_value(item), ensure_ascii=False) for item in value)
    return None


def element_fields(element: ModelElement) -> dict[str, Any]:
    """The normalised content of an element, field by field (the title included)."""
    left_out = NOT_CONTENT_FIELDS.get(element.kind, _ALWAYS_LEFT_OUT)
    out: dict[str, Any] = {}
    if element.title is not None:
        out["title"] = _words(element.title)
    for spec in (*KIND_FIELDS[element.kind], *COMMON_FIELDS):
        if spec.name in left_out or not element.has(spec.name):
            continue
        out[spec.name] = _value(getattr(element, spec.attr, None))
    for name, values in element.custom.items():
        if name not in left_out:
            out[name] = _value(values)
    for attribute in element.attributes:
        out[f"attribute:{attribute.name}"] = syntax_shape(attribute)
    if element.steps:
        out["steps"] = syntax_shape(element.steps)
    if element.body is not None:
        out["text"] = _words(element.body)
    return out


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def short_hash(value: Any) -> str:
    return hashlib.blake2b(_canonical(value), digest_size=SHORT_HEX // 2).hexdigest()


# ---------------------------------------------------------------- fingerprints


def members_by_document(elements: list[ModelElement]) -> dict[str, list[ModelElement]]:
    """The elements whose content a review of a document approves, by document ID: every
    element of the document's file (the document itself included), reviews left out."""
    out: dict[str, list[ModelElement]] = {}
    for element in elements:
        if element.document is not None and element.kind not in NOT_CONTENT_KINDS:
            out.setdefault(element.document, []).append(element)
    return out


def fingerprint(members: list[ModelElement], document: str) -> CurrentPrint:
    """The fingerprint of `document` from its members (in project order)."""
    current = CurrentPrint(document)
    full: dict[str, Any] = {}
    prose: list[Any] = []
    for element in members:
        if element.broken:
            current.broken = True
            if element.id is not None:
                current.members.setdefault(element.id, element)
            continue
        content = element_fields(element)
        if element.id is None:  # prose, a glossary entry, an untitled section
            digest = short_hash([element.kind, content])
            current.anonymous.setdefault(element.kind, []).append(digest)
            current.prose.append((element, digest))
            prose.append([element.kind, content])
            continue
        if element.id in current.members:  # a duplicate ID (SM001): the first one counts
            continue
        current.members[element.id] = element
        full[element.id] = content
        current.elements[element.id] = {name: short_hash(v) for name, v in content.items()}
    prose.sort(key=lambda item: _canonical(item))
    whole = _canonical({"elements": full, "prose": prose})
    current.digest = f"{FORMAT}:{hashlib.sha256(whole).hexdigest()}"
    return current


# ---------------------------------------------------------------- the record as text


def render_record(prints: Sequence[DocumentPrint]) -> str:
    """The text of a `stamp` field for these documents."""
    lines: list[str] = []
    for found in prints:
        lines.append(f"document {found.document} {found.digest}")
        for ident, fields in found.elements.items():
            pairs = " ".join(f"{name}={fields[name]}" for name in sorted(fields))
            lines.append(f"{ident} {pairs}".rstrip())
        for kind in ANONYMOUS_KINDS:
            hashes = found.anonymous.get(kind)
            if hashes:
                lines.append(f"{kind} {' '.join(hashes)}")
    return "\n".join(lines)


def parse_record(text: str) -> dict[str, DocumentPrint]:
    """A `stamp` field's text, by document; raises StampError naming the bad line."""
    out: dict[str, DocumentPrint] = {}
    current: DocumentPrint | None = None
    for number, line in enumerate(text.split("\n"), 1):
        words = line.split()
        if not words:
            continue
        head, rest = words[0], words[1:]
        if head == "document":
            if len(rest) != 2 or not _DIGEST.match(rest[1]):
                raise StampError(f"line {number}: expected `document ID {FORMAT}:<64 hex digits>`")
            current = out[rest[0]] = DocumentPrint(rest[0], rest[1])
        elif current is None:
            raise StampError(f"line {number}: the record must start with a `document` line")
        elif head in ANONYMOUS_KINDS:
            if not all(_is_short_hash(word) for word in rest):
                raise StampError(f"line {number}: expected `{head}` and short hashes")
            current.anonymous.setdefault(head, []).extend(rest)
        else:
            current.elements[head] = _field_hashes(rest, number)
    return out


def _field_hashes(words: list[str], number: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    for word in words:
        name, _, digest = word.rpartition("=")
        if not name or not _is_short_hash(digest):
            raise StampError(f"line {number}: expected `field=hash`, found `{word[:40]}`")
        fields[name] = digest
    return fields


def _is_short_hash(word: str) -> bool:
    return len(word) == SHORT_HEX and bool(_HEX.match(word))


def unmatched(
    recorded: list[str], current: list[tuple[ModelElement, str]]
) -> tuple[list[ModelElement], int]:
    """Prose compared as multisets of hashes: the current elements whose content the
    record does not hold (changed or added), and how many recorded ones are left over
    beyond those (removed)."""
    left = collections.Counter(recorded)
    changed: list[ModelElement] = []
    for element, digest in current:
        if left[digest] > 0:
            left[digest] -= 1
        else:
            changed.append(element)
    return changed, max(0, sum(left.values()) - len(changed))

"""`reqdsl import strictdoc SOURCE`: StrictDoc `.sdoc` documents (a file, or every
`.sdoc` under a folder) to `.req` documents, one per `.sdoc` file.

The `.sdoc` text is read line by line: `[DOCUMENT]`, `[SECTION]` ... `[/SECTION]` (and
`[[SECTION]]` ... `[[/SECTION]]`), `[REQUIREMENT]` and any other node tag of a custom
grammar, `[COMPOSITE_REQUIREMENT]` ... `[/COMPOSITE_REQUIREMENT]`, `[TEXT]` and
`[FREETEXT]` ... `[/FREETEXT]`; fields are `NAME: value` or `NAME: >>>` ... `<<<`, and
`RELATIONS:` / `REFS:` hold `- TYPE: Parent` / `VALUE: UID` entries. A `[GRAMMAR]` is
skipped: its fields are met again on the nodes, where they are mapped.

Mapping: UID -> ID, TITLE -> title, STATEMENT (or CONTENT) -> statement, RATIONALE ->
rationale, STATUS, TAGS and other fields by name (`importing.put_field`); a `Parent`
relation -> `refines` within a document level (`derives-from` across levels); a `Child`
relation -> the same link from the child; `File` relations and anything else ->
custom fields.

Under a folder, symbolic links (to a `.sdoc` file or to a folder) are not followed; the
report lists each one skipped. Every file read is bounded in size.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .importing import (
    IdMaker,
    ImportedDocument,
    ImportedElement,
    ImportFailure,
    ImportResult,
    link_field,
    note_links,
    put_field,
    read_input,
    title_from,
    tree_files,
)

_HEADER = re.compile(r"^\[(\[?)(/?)([A-Z][A-Z0-9_]*)\]?\]\s*$")
_FIELD = re.compile(r"^([A-Z][A-Z0-9_]*):\s?(.*)$")
_ENTRY = re.compile(r"^\s*(-\s+)?([A-Z][A-Z0-9_]*):\s?(.*)$")
_CLOSED_NODES = frozenset({"SECTION", "COMPOSITE_REQUIREMENT", "FREETEXT"})


@dataclass
class _Node:
    tag: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    relations: list[dict[str, str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    text: str | None = None  # FREETEXT
    dropped: int = 0  # lines of nested options (a document's OPTIONS) not imported


def parse_sdoc(text: str, name: str = "document") -> _Node:
    """The node tree of one `.sdoc` file; the root is the `[DOCUMENT]`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    root = _Node("DOCUMENT")
    stack = [root]
    current: _Node | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        header = _HEADER.match(line)
        if header:
            tag, closing = header.group(3), bool(header.group(2))
            if closing:
                while len(stack) > 1 and stack[-1].tag != tag:
                    stack.pop()
                if len(stack) > 1:
                    stack.pop()
                current = None
                continue
            if tag == "DOCUMENT":
                current = root
                continue
            node = _Node(tag)
            if tag == "GRAMMAR":
                current = None
                while index < len(lines) and not _HEADER.match(lines[index]):
                    index += 1
                continue
            stack[-1].children.append(node)
            if tag == "FREETEXT":
                body = []
                while index < len(lines) and lines[index].strip() != "[/FREETEXT]":
                    body.append(lines[index])
                    index += 1
                index += 1
                node.text = "\n".join(body).strip("\n")
                current = None
                continue
            if tag in _CLOSED_NODES:
                stack.append(node)
            current = node
            continue
        if current is None or not line.strip():
            continue
        match = _FIELD.match(line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2)
        if value.strip() == ">>>":
            body = []
            while index < len(lines) and lines[index].rstrip() != "<<<":
                body.append(lines[index])
                index += 1
            index += 1
            current.fields.append((key, "\n".join(body)))
        elif not value.strip() and key in ("RELATIONS", "REFS"):
            while index < len(lines) and lines[index].startswith(("-", " ")):
                entry = _ENTRY.match(lines[index])
                index += 1
                if entry is None:
                    continue
                if entry.group(1) or not current.relations:
                    current.relations.append({})
                current.relations[-1][entry.group(2)] = entry.group(3).strip()
        elif not value.strip():
            while index < len(lines) and lines[index].startswith(("-", " ")):
                index += 1  # nested document options (OPTIONS, METADATA)
                current.dropped += 1
        else:
            current.fields.append((key, value))
    if len(stack) > 1:
        raise ImportFailure(f"`{name}`: [{stack[-1].tag}] is never closed")
    return root


class SdocImport:
    def __init__(self, level: str, root: Path | None = None) -> None:
        self.level = level
        self.result = ImportResult()
        self.ids = IdMaker(self.result)
        self.by_uid: dict[str, ImportedElement] = {}
        self.pending: list[tuple[ImportedElement, dict[str, str]]] = []
        self.root = root  # includes resolve inside this folder only
        self.parsed: dict[Path, _Node] = {}  # every .sdoc read, by path
        self.including: list[Path] = []  # the includes being expanded (cycles)

    def document(self, root: _Node, stem: str, path: Path | None = None) -> None:
        if path is not None:
            self.including = [path]
        self.result.lose("StrictDoc document option line (OPTIONS, METADATA)", root.dropped)
        fields = dict(root.fields)
        document_id = self.ids.make(fields.get("UID") or re.sub(r"\W+", "-", stem).upper(), "DOC")
        title = fields.get("TITLE") or stem
        document = ImportedDocument(f"{document_id.lower()}.req", document_id, title)
        document.fields["level"] = [self.level]
        for key, value in root.fields:
            if key not in ("UID", "TITLE"):
                put_field(
                    self.result, document, "document", key, [value], "StrictDoc document field"
                )
        document.items = self.nodes(root.children)
        self.result.documents.append(document)

    def nodes(self, nodes: list[_Node]) -> list[ImportedElement]:
        out: list[ImportedElement] = []
        for node in nodes:
            fields = dict(node.fields)
            if node.tag == "FREETEXT" or node.tag == "TEXT":
                body = node.text if node.text is not None else fields.get("STATEMENT", "")
                out.append(ImportedElement("text", None, None, body=body))
                self.result.map(f"StrictDoc [{node.tag}] -> text")
            elif node.tag == "SECTION":
                uid = fields.get("UID")
                section = ImportedElement(
                    "section", self.ids.make(uid, "S") if uid else None, fields.get("TITLE", "")
                )
                for key, value in node.fields:
                    if key not in ("UID", "TITLE"):
                        put_field(self.result, section, "section", key, [value], "StrictDoc field")
                section.children = self.nodes(node.children)
                out.append(section)
                self.result.map("StrictDoc [SECTION] -> section")
            elif node.tag == "DOCUMENT_FROM_FILE":
                out.extend(self.include(fields.get("FILE", "")))
            else:
                out.append(self.requirement(node))
                out.extend(self.nodes(node.children))  # a composite's parts follow it
        return out

    def include(self, name: str) -> list[ImportedElement]:
        """A `[DOCUMENT_FROM_FILE]`: the included document as a section holding its
        nodes (as StrictDoc shows it), when the file is a regular `.sdoc` file inside
        the imported folder; else nothing, and the report says so."""
        path = self.resolve(name)
        if path is None:
            self.result.lose("StrictDoc [DOCUMENT_FROM_FILE] that cannot be resolved")
            self.result.notes.append(
                f"[DOCUMENT_FROM_FILE] `{name}`: not a .sdoc file inside the imported folder "
                "(or an include cycle): its content is not imported"
            )
            return []
        root = self.parsed.get(path) or self.read(path)
        self.including.append(path)
        try:
            section = ImportedElement("section", None, dict(root.fields).get("TITLE", path.stem))
            section.children = self.nodes(root.children)
        finally:
            self.including.pop()
        self.result.map("StrictDoc [DOCUMENT_FROM_FILE] -> section holding that document")
        return [section]

    def resolve(self, name: str) -> Path | None:
        if self.root is None or not name.strip() or not self.including:
            return None
        base = self.including[-1].parent
        candidate = Path(os.path.normpath(base / name.strip()))
        inside = candidate.is_relative_to(Path(os.path.normpath(self.root)))
        if not inside or candidate.suffix != ".sdoc" or candidate in self.including:
            return None
        if candidate.is_symlink() or not candidate.is_file():
            return None
        return candidate

    def read(self, path: Path) -> _Node:
        data = read_input(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailure(f"cannot read `{path}`: {error}") from error
        root = parse_sdoc(text, path.name)
        self.parsed[path] = root
        return root

    def requirement(self, node: _Node) -> ImportedElement:
        fields = dict(node.fields)
        statement = fields.get("STATEMENT") or fields.get("CONTENT")
        element = ImportedElement("requirement", self.ids.make(fields.get("UID"), "REQ"), None)
        element.title = fields.get("TITLE") or title_from(statement, element.id or "")
        if statement is None:
            statement = element.title
            self.result.notes.append(f"`{element.id}` has no STATEMENT: its statement is its title")
        element.fields["statement"] = [statement]
        self.result.map(f"StrictDoc [{node.tag}] -> requirement")
        if fields.get("UID"):
            self.by_uid[fields["UID"]] = element
        for key, value in node.fields:
            if key in ("UID", "TITLE", "STATEMENT", "CONTENT"):
                continue
            values = [part.strip() for part in value.split(",")] if key == "TAGS" else [value]
            put_field(self.result, element, "requirement", key, values, "StrictDoc field")
        for relation in node.relations:
            self.pending.append((element, relation))
        return element

    def relations(self) -> None:
        for element, relation in self.pending:
            kind = relation.get("TYPE", "Parent")
            value = relation.get("VALUE") or relation.get("PATH") or ""
            role = relation.get("ROLE")
            target = self.by_uid.get(value)
            # What the relation says besides its type and target (FORMAT, LINE_RANGE...).
            extra = [f"{key}: {text}" for key, text in relation.items()
                     if key not in ("TYPE", "VALUE", "PATH", "ROLE") and text]  # fmt: skip
            if kind in ("Parent", "Child") and target is not None and target.id and element.id:
                child, parent = (element, target) if kind == "Parent" else (target, element)
                chosen = _role_field(role) or link_field(self.level, self.level)
                child.fields.setdefault(chosen, []).append(parent.id or "")
                self.result.map(f"StrictDoc {kind} relation -> requirement field `{chosen}`")
                if role and _role_field(role) is None:
                    self.keep(child, "link-role", f"{parent.id}: {role}")
                if extra:
                    self.keep(child, "link-details", f"{parent.id}: " + "; ".join(extra))
                continue
            name = "file" if kind == "File" else f"{kind.lower()}-relation"
            text = "; ".join([value, *([f"ROLE: {role}"] if role else []), *extra])
            put_field(self.result, element, "requirement", name, [text], "StrictDoc relation")

    def keep(self, element: ImportedElement, name: str, text: str) -> None:
        put_field(self.result, element, "requirement", name, [text], "StrictDoc relation")


def _role_field(role: str | None) -> str | None:
    """The link field a StrictDoc relation ROLE names (`Refines` -> `refines`), if any."""
    from ..model.schema import TRACE_FIELDS

    if not role:
        return None
    slug = re.sub(r"[^\w]+", "-", role.strip().lower()).strip("-")
    return slug if slug in TRACE_FIELDS else None


def import_strictdoc(source: Path, level: str = "system") -> ImportResult:
    named = source.is_file()  # a file the user names is read even through a link
    files, links = ([source], []) if named else tree_files(source, ".sdoc")
    if not files:
        raise ImportFailure(f"no .sdoc file in `{source}`")
    importer = SdocImport(level, source.parent if named else source)
    roots: dict[Path, _Node] = {}
    for path in files:
        data = read_input(path, follow_links=named)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailure(f"cannot read `{path}`: {error}") from error
        roots[path] = importer.parsed[path] = parse_sdoc(text, path.name)
    # A document another one includes is imported where it is included (StrictDoc shows
    # it there, and its ReqIF export writes it once), not a second time on its own.
    included = {
        resolved
        for path, root in roots.items()
        for node in _walk(root)
        if node.tag == "DOCUMENT_FROM_FILE"
        and (resolved := _resolve_plain(path, dict(node.fields).get("FILE", ""))) is not None
    }
    for path, root in roots.items():
        if path not in included or path == source:
            importer.document(root, path.stem, path)
    importer.relations()
    note_links(importer.result, links)
    importer.result.settle()
    return importer.result


def _walk(root: _Node) -> list[_Node]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def _resolve_plain(including: Path, name: str) -> Path | None:
    return Path(os.path.normpath(including.parent / name.strip())) if name.strip() else None

"""`reqdsl import reqif FILE`: ReqIF 1.x (as DOORS, Polarion, Jama, ProR or reqdsl
write it) to `.req` documents, one per SPECIFICATION.

- the kind of an object is its SPEC-OBJECT-TYPE's LONG-NAME when that names a reqdsl
  kind (`requirement`, `section`, ...: what reqdsl's export writes); otherwise an
  object with `ReqIF.ChapterName` and no text is a section, any other a requirement;
- the ID is `ReqIF.ForeignID` (made valid: `12` -> `REQ-12`), else the object's
  IDENTIFIER; the title is `ReqIF.Name` (else the chapter name, else the first words of
  the text); the statement is `ReqIF.Text` (XHTML turned into text);
- other attributes map to the field of the same name when the values fit it, else to
  custom fields (`importing.put_field`);
- a relation whose type names a link field of its source's kind becomes that field; a
  `parent`-like relation between requirements becomes `derives-from` (or `refines`
  within a level); any other stays as a custom field listing the target IDs;
- the hierarchy gives sections; a requirement's child objects follow it in its section.

The file is parsed with defusedxml: a document type declaring entities (billion
laughs) or an external entity (XXE) is refused before anything is expanded or read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.schema import FIELD_SPECS, LEVELS
from .importing import (
    IdMaker,
    ImportedDocument,
    ImportedElement,
    ImportFailure,
    ImportResult,
    link_field,
    put_field,
    title_from,
)
from .reqif import ATTRIBUTES_LINES, CHAPTER, FOREIGN_ID, NAME, STEPS
from .xhtml import xhtml_text

_PARENT_RELATIONS = frozenset({
    "parent", "child-of", "derived", "derives", "derivation", "trace", "traces-to",
    "links-to", "link",
})  # fmt: skip
_RELATION_SYNONYMS = {
    "conflicts": "conflicts-with", "conflict": "conflicts-with", "depends": "depends-on",
    "requires": "depends-on", "derived-from": "derives-from", "refinement": "refines",
    "satisfy": "satisfies", "mitigate": "mitigates", "verify": "verifies", "tests": "verifies",
}  # fmt: skip
_TITLE_NAMES = ("reqif.name", "title", "name", "heading", "object heading")
_TEXT_NAMES = ("reqif.text", "statement", "text", "object text", "requirement text")
_ID_NAMES = ("reqif.foreignid", "id", "uid", "identifier", "key")  # the first found


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(node: Any, name: str) -> Any:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _children(node: Any, name: str) -> list[Any]:
    holder = _child(node, name)
    return list(holder) if holder is not None else []


def _ref(node: Any, wrapper: str) -> str | None:
    holder = _child(node, wrapper)
    if holder is None:
        return None
    for child in holder:
        return (child.text or "").strip()
    return None


@dataclass
class _Object:
    identifier: str
    type_name: str
    long_name: str | None
    values: list[tuple[str, list[str]]] = field(default_factory=list)  # attribute, values

    def pick(self, names: tuple[str, ...]) -> tuple[str, str] | None:
        """The first of these attributes (case-insensitive) with a value: (name, text)."""
        for wanted in names:
            for name, values in self.values:
                if name.lower() == wanted and values and values[0].strip():
                    return name, "\n".join(values)
        return None

    def get(self, names: tuple[str, ...]) -> str | None:
        found = self.pick(names)
        return found[1] if found is not None else None


class _Reader:
    def __init__(self, root: Any, notes: list[str]) -> None:
        self.root = root
        self.notes = notes  # the import report's: what could not be carried over
        self.definitions: dict[str, str] = {}  # attribute definition -> LONG-NAME
        self.enum_values: dict[str, str] = {}
        self.type_names: dict[str, str] = {}

    def content(self) -> Any:
        core = _child(self.root, "CORE-CONTENT")
        content = _child(core, "REQ-IF-CONTENT") if core is not None else None
        if content is None:
            raise ImportFailure("not a ReqIF file: no CORE-CONTENT/REQ-IF-CONTENT")
        return content

    def index(self, content: Any) -> None:
        for datatype in _children(content, "DATATYPES"):
            for value in _children(datatype, "SPECIFIED-VALUES"):
                name = value.get("LONG-NAME")
                if name is None:
                    embedded = _child(_child(value, "PROPERTIES") or [], "EMBEDDED-VALUE")
                    name = embedded.get("OTHER-CONTENT") if embedded is not None else None
                self.enum_values[value.get("IDENTIFIER", "")] = name or value.get("IDENTIFIER", "")
        for spec_type in _children(content, "SPEC-TYPES"):
            identifier = spec_type.get("IDENTIFIER", "")
            self.type_names[identifier] = spec_type.get("LONG-NAME") or identifier
            for definition in _children(spec_type, "SPEC-ATTRIBUTES"):
                ident = definition.get("IDENTIFIER", "")
                self.definitions[ident] = definition.get("LONG-NAME") or ident

    def values(self, node: Any) -> list[tuple[str, list[str]]]:
        out = []
        for value in _children(node, "VALUES"):
            tag = _local(value.tag)
            definition = _ref(value, "DEFINITION") or ""
            name = self.definitions.get(definition, "")
            if not name:
                owner = node.get("IDENTIFIER", "")
                self.notes.append(
                    f"a value of `{owner}` names no attribute definition (`{definition}`): skipped"
                )
                continue
            if tag == "ATTRIBUTE-VALUE-XHTML":
                the_value = _child(value, "THE-VALUE")
                out.append((name, [xhtml_text(the_value)] if the_value is not None else []))
            elif tag == "ATTRIBUTE-VALUE-ENUMERATION":
                refs = [(ref.text or "").strip() for ref in _children(value, "VALUES")]
                out.append((name, [self.enum_values.get(ref, ref) for ref in refs]))
            elif value.get("THE-VALUE") is not None:
                out.append((name, [value.get("THE-VALUE")]))
        return out

    def objects(self, content: Any) -> dict[str, _Object]:
        out = {}
        for node in _children(content, "SPEC-OBJECTS"):
            identifier = node.get("IDENTIFIER", "")
            type_name = self.type_names.get(_ref(node, "TYPE") or "", "")
            out[identifier] = _Object(
                identifier, type_name, node.get("LONG-NAME"), self.values(node)
            )
        return out


def _kind_of(item: _Object) -> str:
    named = item.type_name.strip().lower()
    if named in FIELD_SPECS and named != "document":
        return named
    has_text = item.get(_TEXT_NAMES) is not None
    if item.get((CHAPTER.lower(),)) is not None and not has_text:
        return "section"
    return "requirement"


class ReqifImport:
    def __init__(self, root: Any, level: str) -> None:
        self.level = level
        self.result = ImportResult()
        self.reader = _Reader(root, self.result.notes)
        self.ids = IdMaker(self.result)
        self.made: dict[str, ImportedElement] = {}  # object IDENTIFIER -> element
        self.levels: dict[str, str | None] = {}  # object IDENTIFIER -> document level
        self.placed: set[str] = set()

    def run(self) -> ImportResult:
        content = self.reader.content()
        self.reader.index(content)
        objects = self.reader.objects(content)
        for identifier, item in objects.items():
            self.made[identifier] = self.element(item)
        for specification in _children(content, "SPECIFICATIONS"):
            self.document(specification)
        unplaced = [i for i in objects if i not in self.placed]
        if unplaced:
            document = ImportedDocument(
                "unplaced.req", self.ids.make("UNPLACED", "DOC"), "Objects in no specification"
            )
            document.fields["level"] = [self.level]
            document.items = [self.made[i] for i in unplaced if self.made[i].kind != "section"]
            headings = [self.made[i].title for i in unplaced if self.made[i].kind == "section"]
            if headings:
                self.result.notes.append(
                    f"{len(headings)} section headings in no specification: skipped ("
                    + ", ".join(f"`{title}`" for title in headings)
                    + ")"
                )
            self.levels.update({i: self.level for i in unplaced})
            self.result.documents.append(document)
            self.result.notes.append(
                f"{len(unplaced)} objects in no specification: in unplaced.req"
            )
        self.relations(content)
        return self.result

    def element(self, item: _Object) -> ImportedElement:
        kind = _kind_of(item)
        picked = {
            role: item.pick(names)
            for role, names in (("id", _ID_NAMES), ("title", _TITLE_NAMES), ("text", _TEXT_NAMES))
        }
        chapter = item.pick((CHAPTER.lower(),))
        raw_id = picked["id"][1] if picked["id"] else item.identifier
        text = picked["text"][1] if picked["text"] else None
        title = picked["title"][1] if picked["title"] else None
        consumed = {found[0] for found in (*picked.values(), chapter) if found is not None}
        element = ImportedElement(kind, None, None)
        if kind == "section":
            element.title = (chapter[1] if chapter else None) or title or item.long_name or raw_id
            element.id = self.ids.make(raw_id, "S") if picked["id"] else None
            if text:
                element.children.append(ImportedElement("text", None, None, body=text))
        elif kind == "text":
            element.body = text or ""
        else:
            element.id = None if kind == "term" else self.ids.make(raw_id, "REQ")
            title = title or (chapter[1] if chapter else None) or item.long_name
            element.title = title or title_from(text, element.id or "")
            text_field = {"requirement": "statement", "goal": "statement", "term": "definition"}
            if text and kind in text_field:
                element.fields[text_field[kind]] = [text]
                self.result.map(f"ReqIF text attribute -> {kind} field `{text_field[kind]}`")
            elif text:
                put_field(self.result, element, kind, "text", [text], "ReqIF text attribute")
            elif kind == "requirement":
                element.fields["statement"] = [element.title]
                self.result.notes.append(f"`{element.id}` has no text: its statement is its title")
        for name, values in item.values:
            if name in consumed:
                continue
            if name in (ATTRIBUTES_LINES, STEPS):
                element.raw_lines.extend("\n".join(values).split("\n"))
                self.result.map(f"ReqIF attribute `{name}` -> {kind} body")
                continue
            spec = FIELD_SPECS.get(kind, {}).get(name)
            split = spec is not None and spec.value_kind.listed(spec)
            items = [part for value in values for part in value.split("\n")] if split else values
            put_field(self.result, element, kind, name, items, "ReqIF attribute")
        return element

    def document(self, specification: Any) -> None:
        values = self.reader.values(specification)
        found = dict(values)
        long_name = specification.get("LONG-NAME")
        named = re.sub(r"[^\w]+", "-", long_name).strip("-").upper() if long_name else None
        raw_id = (found.get(FOREIGN_ID) or [named or specification.get("IDENTIFIER", "DOC")])[0]
        title = (found.get(NAME) or [long_name or raw_id])[0]
        document_id = self.ids.make(raw_id, "DOC")
        document = ImportedDocument(f"{document_id.lower()}.req", document_id, title)
        level = (found.get("level") or [""])[0]
        for name, items in values:
            if name not in (FOREIGN_ID, NAME):
                put_field(
                    self.result, document, "document", name, items, "ReqIF specification attribute"
                )
        if level not in LEVELS:
            level = self.level
            document.fields["level"] = [level]
        document.items = self.hierarchy(_children(specification, "CHILDREN"), level)
        self.result.documents.append(document)

    def hierarchy(self, nodes: list[Any], level: str) -> list[ImportedElement]:
        """The elements of SPEC-HIERARCHY `nodes`: a section or decision holds those
        below it, any other element is followed by them. Walked with a stack of (node,
        list it goes into), in document order: a hierarchy 1,000 deep must not exhaust
        Python's recursion."""
        out: list[ImportedElement] = []
        stack = [(node, out) for node in reversed(nodes)]
        while stack:
            node, into = stack.pop()
            identifier = _ref(node, "OBJECT") or ""
            element = self.made.get(identifier)
            inner = _children(node, "CHILDREN")
            if element is None:
                self.result.notes.append(f"hierarchy names no object `{identifier}`: skipped")
            elif identifier in self.placed:
                self.result.notes.append(
                    f"object `{identifier}` placed twice: kept the first place"
                )
                continue
            else:
                self.placed.add(identifier)
                self.levels[identifier] = level
                into.append(element)
                if element.kind in ("section", "decision"):
                    into = element.children
            stack.extend((child, into) for child in reversed(inner))
        return out

    def relations(self, content: Any) -> None:
        for relation in _children(content, "SPEC-RELATIONS"):
            source, target = _ref(relation, "SOURCE"), _ref(relation, "TARGET")
            name = self.reader.type_names.get(_ref(relation, "TYPE") or "", "") or "relation"
            first, second = self.made.get(source or ""), self.made.get(target or "")
            if first is None or second is None or second.id is None:
                self.result.notes.append(
                    f"relation `{relation.get('IDENTIFIER')}` between unknown objects: skipped"
                )
                continue
            slug = re.sub(r"[^\w]+", "-", name.strip().lower()).strip("-")
            slug = _RELATION_SYNONYMS.get(slug, slug)
            spec = FIELD_SPECS.get(first.kind, {}).get(slug)
            if (
                spec is not None
                and spec.value_kind.ids
                and (not spec.targets or second.kind in spec.targets)
            ):
                values = first.fields.setdefault(slug, [])
                values.append(second.id)
                self.result.map(f"ReqIF relation `{name}` -> {first.kind} field `{slug}`")
            elif slug in _PARENT_RELATIONS and first.kind == second.kind == "requirement":
                chosen = link_field(self.levels.get(source or ""), self.levels.get(target or ""))
                first.fields.setdefault(chosen, []).append(second.id)
                self.result.map(f"ReqIF relation `{name}` -> requirement field `{chosen}`")
            else:
                put_field(
                    self.result,
                    first,
                    first.kind,
                    f"x-{slug}" if slug in FIELD_SPECS.get(first.kind, {}) else name,
                    [second.id],
                    "ReqIF relation",
                )


def import_reqif(data: bytes, level: str = "system") -> ImportResult:
    """Read a ReqIF file; raises ImportFailure."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except DefusedXmlException as error:
        raise ImportFailure(f"refused: {error}") from error
    except ParseError as error:
        raise ImportFailure(f"not well-formed XML: {error}") from error
    if _local(root.tag) != "REQ-IF":
        raise ImportFailure(f"not a ReqIF file (root element `{_local(root.tag)}`)")
    return ReqifImport(root, level).run()

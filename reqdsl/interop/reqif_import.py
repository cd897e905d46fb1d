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
    ATTACHMENTS,
    IdMaker,
    ImportedDocument,
    ImportedElement,
    ImportFailure,
    ImportResult,
    link_field,
    put_field,
    title_from,
)
from .reqif import (
    ATTRIBUTES_LINES,
    CHAPTER,
    FOREIGN_ID,
    LISTED_DESC,
    NAME,
    STEPS,
    from_literal_block,
)
from .xhtml import reqdsl_text, xhtml_text

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
    def __init__(self, root: Any, result: ImportResult) -> None:
        self.root = root
        self.result = result  # the import report's: what could not be carried over
        self.notes = result.notes
        self.definitions: dict[str, str] = {}  # attribute definition -> LONG-NAME
        self.listed: set[str] = set()  # definitions whose values are one item a line
        self.enum_values: dict[str, str] = {}
        self.type_names: dict[str, str] = {}
        self.unknown_definitions: set[str] = set()
        self.defaults: dict[str, list[tuple[str, list[str]]]] = {}  # type -> default values
        tool = " ".join(
            (node.text or "").strip().lower()
            for node in root.iter()
            if _local(node.tag) in ("REQ-IF-TOOL-ID", "SOURCE-TOOL-ID")
        )
        # StrictDoc writes a multi-line STRING value with `\n` for each line break.
        self.escaped_newlines = "strictdoc" in tool
        # reqdsl writes a text as one div of lines and `<br/>`s, read back exactly.
        self.own_xhtml = "reqdsl" in tool

    def content(self) -> Any:
        core = _child(self.root, "CORE-CONTENT")
        content = _child(core, "REQ-IF-CONTENT") if core is not None else None
        if content is None:
            raise ImportFailure("not a ReqIF file: no CORE-CONTENT/REQ-IF-CONTENT")
        return content

    def index(self, content: Any) -> None:
        for datatype in _children(content, "DATATYPES"):
            for value in _children(datatype, "SPECIFIED-VALUES"):
                # OTHER-CONTENT is "additional information" (ReqIF 10.8.25), often empty
                # or a colour: without a LONG-NAME, the IDENTIFIER names the value.
                identifier = value.get("IDENTIFIER", "")
                self.enum_values[identifier] = value.get("LONG-NAME") or identifier
        for spec_type in _children(content, "SPEC-TYPES"):
            identifier = spec_type.get("IDENTIFIER", "")
            self.type_names[identifier] = spec_type.get("LONG-NAME") or identifier
            for definition in _children(spec_type, "SPEC-ATTRIBUTES"):
                ident = definition.get("IDENTIFIER", "")
                self.definitions[ident] = definition.get("LONG-NAME") or ident
                if definition.get("DESC") == LISTED_DESC:
                    self.listed.add(ident)
        # A DEFAULT-VALUE is the value of every object of the type that gives none
        # (ReqIF 1.2, 10.8.12: DOORS and ReqIF Studio write them): read once the
        # definitions are all known, applied in `objects`.
        for spec_type in _children(content, "SPEC-TYPES"):
            defaults = [
                found
                for definition in _children(spec_type, "SPEC-ATTRIBUTES")
                for found in self.values(
                    definition, "DEFAULT-VALUE", owner=definition.get("IDENTIFIER", "")
                )
                if any(text.strip() for text in found[1])
            ]
            if defaults:
                self.defaults[spec_type.get("IDENTIFIER", "")] = defaults

    def values(
        self, node: Any, wrapper: str = "VALUES", owner: str = ""
    ) -> list[tuple[str, list[str]]]:
        out: list[tuple[str, list[str]]] = []
        for value in _children(node, wrapper):
            tag = _local(value.tag)
            definition = _ref(value, "DEFINITION") or owner
            name = self.definitions.get(definition, "")
            if not name:
                if not definition:
                    self.result.lose("ReqIF value that names no attribute definition")
                    continue
                # Kept under the definition's identifier (DOORS files that leave out the
                # definitions still name `..._OBJECTTEXT`).
                name = definition
                if definition not in self.unknown_definitions:
                    self.unknown_definitions.add(definition)
                    self.notes.append(
                        f"attribute definition `{definition}` is not in the file: its values "
                        "are kept under that name"
                    )
            if tag == "ATTRIBUTE-VALUE-XHTML":
                the_value = _child(value, "THE-VALUE")
                if the_value is None:
                    out.append((name, []))
                    continue
                exact = reqdsl_text(the_value) if self.own_xhtml else None
                out.append((name, [exact if exact is not None else xhtml_text(the_value)]))
            elif tag == "ATTRIBUTE-VALUE-ENUMERATION":
                refs = [(ref.text or "").strip() for ref in _children(value, "VALUES")]
                out.append((name, [self.enum_values.get(ref, ref) for ref in refs]))
            elif value.get("THE-VALUE") is not None:
                text = value.get("THE-VALUE")
                if self.escaped_newlines and tag == "ATTRIBUTE-VALUE-STRING":
                    text = text.replace("\\n", "\n")
                if definition in self.listed:
                    out.append((name, text.split("\n")))
                else:
                    out.append((name, [text]))
        return out

    def objects(self, content: Any) -> dict[str, _Object]:
        out = {}
        applied = 0
        for node in _children(content, "SPEC-OBJECTS"):
            identifier = node.get("IDENTIFIER", "")
            type_ref = _ref(node, "TYPE") or ""
            values = self.values(node)
            given = {name for name, _ in values}
            for name, default in self.defaults.get(type_ref, []):
                if name not in given:
                    values.append((name, list(default)))
                    applied += 1
            type_name = self.type_names.get(type_ref, "")
            out[identifier] = _Object(identifier, type_name, node.get("LONG-NAME"), values)
        if applied:
            self.notes.append(
                f"{applied} default values applied: an object that gives no value for an "
                "attribute with a DEFAULT-VALUE takes that value (ReqIF 1.2)"
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
    def __init__(
        self,
        root: Any,
        level: str,
        *,
        result: ImportResult | None = None,
        ids: IdMaker | None = None,
        links: dict[str, str] | None = None,
        made: dict[str, ImportedElement] | None = None,
        levels: dict[str, str | None] | None = None,
    ) -> None:
        self.level = level
        self.result = result if result is not None else ImportResult()
        self.reader = _Reader(root, self.result)
        self.ids = ids if ids is not None else IdMaker(self.result)
        self.link_map = dict(links or {})
        # Object IDENTIFIER -> element, and -> its document's level: shared by the files of
        # one archive, whose relations may name an object of another file (ReqIF 10.2).
        self.made: dict[str, ImportedElement] = made if made is not None else {}
        self.levels: dict[str, str | None] = levels if levels is not None else {}
        self.content: Any = None
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
                self.result.lose("ReqIF section heading in no specification", len(headings))
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
        self.content = content
        return self.result

    def link(self) -> None:
        """The relations, once every file of the archive is read."""
        self.relations(self.content)

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
                element.raw_lines.extend(from_literal_block("\n".join(values)).split("\n"))
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
                self.result.lose("ReqIF relation between objects not imported (or no ID)")
                self.result.notes.append(
                    f"relation `{relation.get('IDENTIFIER')}` between unknown objects: skipped"
                )
                continue
            chosen = self.link_for(name, first, second, source or "", target or "")
            if chosen is None:
                put_field(self.result, first, first.kind, name, [second.id], "ReqIF relation")
            else:
                first.fields.setdefault(chosen, []).append(second.id)
            for attribute, values in self.reader.values(relation):
                # The relation's own values stay with its source, naming the target.
                texts = [f"{second.id}: {value}" for value in values if value.strip()]
                put_field(
                    self.result, first, first.kind, attribute, texts, "ReqIF relation attribute"
                )

    def link_for(
        self, name: str, first: ImportedElement, second: ImportedElement, source: str, target: str
    ) -> str | None:
        """The link field a relation of type `name` becomes, or None when none fits: the
        user's mapping (`--link NAME=FIELD`), a link field of that name (or synonym), else
        a parent link between requirements (`refines`, `derives-from` across levels)
        whatever the tool called the type, with the type's name kept beside it."""
        slug = re.sub(r"[^\w]+", "-", name.strip().lower()).strip("-")
        wanted = self.link_map.get(name) or self.link_map.get(slug)
        slug = wanted or _RELATION_SYNONYMS.get(slug, slug)
        spec = FIELD_SPECS.get(first.kind, {}).get(slug)
        fits = spec is not None and (not spec.targets or second.kind in spec.targets)
        if spec is not None and spec.value_kind.ids and fits:
            how = "as asked" if wanted else "by name"
            self.result.map(f"ReqIF relation `{name}` -> {first.kind} field `{slug}` ({how})")
            return slug
        if first.kind == second.kind == "requirement":
            chosen = link_field(self.levels.get(source), self.levels.get(target))
            self.result.map(f"ReqIF relation `{name}` -> requirement field `{chosen}`")
            if slug not in _PARENT_RELATIONS and chosen != slug:
                put_field(
                    self.result, first, "requirement", "link-role", [f"{second.id}: {name}"],
                    "ReqIF relation type",
                )  # fmt: skip
            return chosen
        return None


# A .reqifz archive (ReqIF 1.2, 10.2: a zip of .reqif files and the files they
# reference) is unpacked in memory within these bounds, whatever its headers claim.
ARCHIVE_MAX_MEMBERS = 1000
ARCHIVE_MAX_TOTAL = 256 * 1024 * 1024  # bytes unpacked, all members together
ARCHIVE_MAX_RATIO = 100  # unpacked / packed, per member: XML packs 5-30 times, a bomb 1000


def _read_member(archive: Any, info: Any, budget: int) -> bytes:
    """A member's bytes, read in chunks and stopped as soon as it passes the budget or
    the ratio: the sizes in the zip's headers are the sender's word, not a bound."""
    ratio_cap = max(info.compress_size, 1024) * ARCHIVE_MAX_RATIO
    cap = min(budget, ratio_cap)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > cap:
                why = "the archive's size limit" if cap == budget else "a zip bomb's ratio"
                raise ImportFailure(f"refused: `{info.filename}` unpacks past {why}")
            chunks.append(chunk)
    return b"".join(chunks)


def unpack_reqifz(data: bytes) -> tuple[list[tuple[str, bytes]], dict[str, bytes]]:
    """The .reqif files and the other files of a .reqifz archive, by member name; raises
    ImportFailure for a member path that would leave the output folder, a link, too
    many members, or more unpacked bytes than the bounds allow."""
    import io
    import stat
    import zipfile

    from .importing import safe_relative

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFailure(f"not a readable .reqifz (zip) archive: {error}") from error
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > ARCHIVE_MAX_MEMBERS:
            raise ImportFailure(
                f"refused: the archive holds {len(members)} files, more than {ARCHIVE_MAX_MEMBERS}"
            )
        reqifs: list[tuple[str, bytes]] = []
        others: dict[str, bytes] = {}
        budget = ARCHIVE_MAX_TOTAL
        for info in members:
            name = safe_relative(info.filename)
            if name is None:
                raise ImportFailure(f"refused: archive member `{info.filename}` is not a plain "
                                    "relative path inside the archive")  # fmt: skip
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ImportFailure(f"refused: archive member `{name}` is a symbolic link")
            try:
                content = _read_member(archive, info, budget)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as error:
                raise ImportFailure(f"cannot unpack `{name}`: {error}") from error
            budget -= len(content)
            if name.lower().endswith(".reqif"):
                reqifs.append((name, content))
            else:
                others[name] = content
    if not reqifs:
        raise ImportFailure("the archive holds no .reqif file")
    return reqifs, others


def _inert_name(result: ImportResult, name: str) -> str:
    """An attachment's name, but one reqdsl would read as part of the project (a `.req`
    file, a `reqdsl.toml`) gets `.attachment` added: a planted file stays a file."""
    last = name.rsplit("/", 1)[-1].lower()
    if last.endswith(".req") or last == "reqdsl.toml":
        result.notes.append(f"attachment `{name}` written as `{name}.attachment`")
        return name + ".attachment"
    return name


def _parse(data: bytes) -> Any:
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
    return root


def import_reqif(
    data: bytes, level: str = "system", links: dict[str, str] | None = None
) -> ImportResult:
    """Read a ReqIF file, or a .reqifz archive (a zip: each .reqif in it, the other
    files as attachments); `links` maps relation type names to link fields. Raises
    ImportFailure."""
    if data[:4] == b"PK\x03\x04":
        files, attachments = unpack_reqifz(data)
    else:
        files, attachments = [("", data)], {}
    result = ImportResult()
    ids = IdMaker(result)
    made: dict[str, ImportedElement] = {}
    levels: dict[str, str | None] = {}
    importers = []
    for name, content in files:
        try:
            importer = ReqifImport(
                _parse(content), level, result=result, ids=ids, links=links, made=made,
                levels=levels,
            )  # fmt: skip
            importer.run()
        except ImportFailure as error:
            raise ImportFailure(f"`{name}`: {error}" if name else str(error)) from error
        importers.append(importer)
    for importer in importers:
        importer.link()
    for name, content in attachments.items():
        result.attachments[_inert_name(result, name)] = content
    if attachments:
        result.map(f"archive file -> {ATTACHMENTS}/ (unchanged)", len(attachments))
    result.settle()
    return result

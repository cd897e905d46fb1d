"""`reqdsl export --format reqif`: ReqIF 1.2 (OMG formal/2016-07-01, namespace
http://www.omg.org/spec/ReqIF/20110401/reqif.xsd).

- DATATYPES: one string type, one XHTML type, and an enumeration per enumerated field
  of each kind (`requirement.priority`: must, should, could, wont);
- SPEC-TYPES: a SPEC-OBJECT-TYPE per element kind in the project (LONG-NAME = the kind)
  with `ReqIF.ForeignID` (the ID), `ReqIF.Name` (the title), `ReqIF.Text` (XHTML: a
  statement, a term's definition, a text block), `ReqIF.ChapterName` (sections) and an
  attribute per field; a SPEC-RELATION-TYPE per link field (LONG-NAME = the field); a
  SPECIFICATION-TYPE for documents;
- SPEC-OBJECTS: every element (sections, terms and text blocks included); a field's
  value is written as in the `.req` file, list items one per line; a data element's
  attribute lines and a scenario's or activity's steps as `.req` text
  (`reqdsl.attributes`, `reqdsl.steps`);
- SPEC-RELATIONS: a relation per link (source: the element that names the other);
  a link to an unknown ID, or to a document (a review's `covers`), stays a string
  attribute named like its field;
- SPECIFICATIONS: one per document, its fields as values, the hierarchy of its
  sections (and of a decision's criteria and options).
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET  # writing only: parsing goes through defusedxml

from .. import __version__
from ..model.elements import ModelElement
from ..model.project import Project
from ..model.schema import FIELD_SPECS, FieldSpec
from .model_view import TEXT_FIELD, LinkIndex, attributes_source, steps_source
from .xml_writer import indent, serialize

REQIF_NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
XHTML_NS = "http://www.w3.org/1999/xhtml"
FOREIGN_ID, NAME, TEXT, CHAPTER = "ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", "ReqIF.ChapterName"
ATTRIBUTES_LINES, STEPS = "reqdsl.attributes", "reqdsl.steps"
# Those two hold `.req` text, indented. StrictDoc reads a multi-line string as
# reStructuredText unless told otherwise, and its HTML export stops at the first
# "Unexpected indentation": written as an RST literal block (`::`, a blank line, each line
# indented four spaces), the text is shown as code there, and reqdsl's import takes the
# block off again (`from_literal_block`).
_LITERAL = "::\n\n"
_INDENT = "    "
LIST_SEPARATOR = "\n"
# The DESC of an attribute definition whose values are lists, one item a line (a custom
# field given several values): reqdsl's import splits them back.
LISTED_DESC = "reqdsl: a list, one item a line"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_PREFIXES = {REQIF_NS: "", XHTML_NS: "xhtml"}


def _q(tag: str) -> str:
    return f"{{{REQIF_NS}}}{tag}"


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _ident(prefix: str, text: str) -> str:
    """An xsd:ID: letters, digits, `_`, `.`, `-`; anything else becomes `_`."""
    return prefix + re.sub(r"[^\w.\-]", "_", text)


class _Writer:
    def __init__(self, project: Project, when: str) -> None:
        self.project = project
        self.when = when
        self.links = LinkIndex(project)
        self.object_ids: dict[int, str] = {}  # id(element) -> IDENTIFIER
        self.xhtml: list[tuple[ET.Element, str]] = []  # filled after indenting
        self.kinds: dict[str, dict[str, str]] = {}  # kind -> attribute name -> datatype
        self.listed: set[tuple[str, str]] = set()  # (kind, custom field) written one a line

    def node(self, parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
        return ET.SubElement(
            parent, _q(tag), {k.replace("_", "-"): v for k, v in attributes.items()}
        )

    def identifiable(
        self, parent: ET.Element, tag: str, identifier: str, name: str | None = None
    ) -> ET.Element:
        attributes = {"IDENTIFIER": identifier, "LAST-CHANGE": self.when}
        if name is not None:
            attributes["LONG-NAME"] = _xml_text(name)
        return ET.SubElement(parent, _q(tag), attributes)

    def ref(self, parent: ET.Element, wrapper: str, tag: str, target: str) -> None:
        ET.SubElement(ET.SubElement(parent, _q(wrapper)), _q(tag)).text = target

    # -------------------------------------------------------------- attribute plan
    def plan(self) -> None:
        for element in self.project.elements:
            names = self.kinds.setdefault(element.kind, {FOREIGN_ID: "STRING"})
            # A section's title is its ReqIF.ChapterName, any other title its ReqIF.Name:
            # never both on one type (StrictDoc maps both to TITLE and refuses the type).
            names[CHAPTER if element.kind == "section" else NAME] = "STRING"
            if element.kind in TEXT_FIELD or element.kind == "text":
                names[TEXT] = "XHTML"
            for name, spec in FIELD_SPECS[element.kind].items():
                if name != TEXT_FIELD.get(element.kind):
                    names[name] = spec.value_kind.reqif_datatype
            for name in element.custom:
                names.setdefault(name, "STRING")
            if element.attributes:
                names[ATTRIBUTES_LINES] = "STRING"
            if element.steps:
                names[STEPS] = "STRING"
        self.plan_lists()

    def plan_lists(self) -> None:
        """A custom field is written one item a line when some element gives it several
        values and no value holds a line break (which would read back as two items)."""
        several: set[tuple[str, str]] = set()
        broken: set[tuple[str, str]] = set()
        for element in self.project.elements:
            for name, values in element.custom.items():
                if len(values) > 1:
                    several.add((element.kind, name))
                if any("\n" in value.raw for value in values):
                    broken.add((element.kind, name))
        self.listed = several - broken

    def datatypes(self, parent: ET.Element) -> None:
        types = self.node(parent, "DATATYPES")
        string = self.identifiable(types, "DATATYPE-DEFINITION-STRING", "DT-STRING", "String")
        string.set("MAX-LENGTH", "1000000")
        self.identifiable(types, "DATATYPE-DEFINITION-XHTML", "DT-XHTML", "XHTML")
        for kind, names in self.kinds.items():
            for name, datatype in names.items():
                if datatype != "ENUMERATION":
                    continue
                spec = FIELD_SPECS[kind][name]
                enum = self.identifiable(
                    types, "DATATYPE-DEFINITION-ENUMERATION", _ident("DT-", f"{kind}.{name}"), name
                )
                values = self.node(enum, "SPECIFIED-VALUES")
                for key, value in enumerate(spec.values):
                    item = self.identifiable(
                        values, "ENUM-VALUE", self.enum_id(kind, name, value), value
                    )
                    properties = self.node(item, "PROPERTIES")
                    self.node(properties, "EMBEDDED-VALUE", KEY=str(key), OTHER_CONTENT=value)

    def enum_id(self, kind: str, name: str, value: str) -> str:
        return _ident("EV-", f"{kind}.{name}.{value}")

    def attribute_id(self, kind: str, name: str) -> str:
        return _ident("AD-", f"{kind}.{name}")

    def spec_types(self, parent: ET.Element) -> None:
        types = self.node(parent, "SPEC-TYPES")
        for kind, names in self.kinds.items():
            if kind == "document":
                tag, identifier = "SPECIFICATION-TYPE", "ST-document"
            else:
                tag, identifier = "SPEC-OBJECT-TYPE", _ident("SOT-", kind)
            spec_type = self.identifiable(types, tag, identifier, kind)
            attributes = self.node(spec_type, "SPEC-ATTRIBUTES")
            for name, datatype in names.items():
                definition = self.identifiable(
                    attributes,
                    f"ATTRIBUTE-DEFINITION-{datatype}",
                    self.attribute_id(kind, name),
                    name,
                )
                if (kind, name) in self.listed:
                    definition.set("DESC", LISTED_DESC)
                target = "DT-STRING" if datatype == "STRING" else "DT-XHTML"
                if datatype == "ENUMERATION":
                    spec: FieldSpec = FIELD_SPECS[kind][name]
                    definition.set("MULTI-VALUED", "true" if spec.many else "false")
                    target = _ident("DT-", f"{kind}.{name}")
                self.ref(definition, "TYPE", f"DATATYPE-DEFINITION-{datatype}-REF", target)
        for name in sorted({link.field for link in self.links.links()}):
            self.identifiable(types, "SPEC-RELATION-TYPE", _ident("SRT-", name), name)

    # -------------------------------------------------------------- values
    def values(self, parent: ET.Element, element: ModelElement) -> None:
        kind = element.kind
        values = self.node(parent, "VALUES")

        def string(name: str, text: str) -> None:
            value = self.node(values, "ATTRIBUTE-VALUE-STRING", THE_VALUE=_xml_text(text))
            self.ref(
                value,
                "DEFINITION",
                "ATTRIBUTE-DEFINITION-STRING-REF",
                self.attribute_id(kind, name),
            )

        if element.id is not None:
            string(FOREIGN_ID, element.id)
        if element.title is not None:
            string(CHAPTER if kind == "section" else NAME, element.title)
        text_field = TEXT_FIELD.get(kind)
        text = element.body if kind == "text" else element.word(text_field) if text_field else None
        if text is not None:
            value = self.node(values, "ATTRIBUTE-VALUE-XHTML")
            self.ref(
                value, "DEFINITION", "ATTRIBUTE-DEFINITION-XHTML-REF", self.attribute_id(kind, TEXT)
            )
            self.xhtml.append((self.node(value, "THE-VALUE"), text))
        first = self.first(element)
        for name, spec in FIELD_SPECS[kind].items():
            if name == text_field or not element.has(name):
                continue
            texts = spec.value_kind.written(element, spec)
            if spec.value_kind.reqif_datatype == "ENUMERATION":
                value = self.node(values, "ATTRIBUTE-VALUE-ENUMERATION")
                definition = self.attribute_id(kind, name)
                self.ref(value, "DEFINITION", "ATTRIBUTE-DEFINITION-ENUMERATION-REF", definition)
                chosen = self.node(value, "VALUES")
                for text in texts:
                    enum_ref = ET.SubElement(chosen, _q("ENUM-VALUE-REF"))
                    enum_ref.text = self.enum_id(kind, name, text)
                continue
            if spec.value_kind.ids and first:  # the links to objects are relations
                texts = [text for text in texts if not self.is_object(text)]
            if texts:
                string(name, LIST_SEPARATOR.join(texts))
        for name, custom in element.custom.items():
            string(name, LIST_SEPARATOR.join(value.raw for value in custom))
        if element.attributes:
            lines = "\n".join(attributes_source(self.project, element))
            string(ATTRIBUTES_LINES, literal_block(lines))
        steps = steps_source(self.project, element)
        if steps is not None:
            string(STEPS, literal_block(steps))

    def first(self, element: ModelElement) -> bool:
        """Not the second definition of a duplicate ID (which has no relations)."""
        return element.id is not None and self.project.index.get(element.id) is element

    def is_object(self, target: str) -> bool:
        found = self.project.index.get(target)
        return found is not None and found.kind != "document"

    # -------------------------------------------------------------- objects
    def object_id(self, element: ModelElement) -> str:
        known = self.object_ids.get(id(element))
        if known is None:
            if self.first(element):
                known = _ident("SO-", element.id or "")
            else:
                known = _ident("SO-", f"{element.kind}.{element.path}.{element.order}")
            self.object_ids[id(element)] = known
        return known

    def spec_objects(self, parent: ET.Element) -> None:
        objects = self.node(parent, "SPEC-OBJECTS")
        for element in self.project.elements:
            if element.kind == "document":
                continue
            item = self.identifiable(objects, "SPEC-OBJECT", self.object_id(element))
            self.values(item, element)
            self.ref(item, "TYPE", "SPEC-OBJECT-TYPE-REF", _ident("SOT-", element.kind))

    def spec_relations(self, parent: ET.Element) -> None:
        relations = self.node(parent, "SPEC-RELATIONS")
        number = 0
        for element in self.project.elements:
            if element.kind == "document" or not self.first(element):
                continue
            for link in self.links.outgoing(element.id or ""):
                if not self.is_object(link.target):
                    continue
                number += 1
                relation = self.identifiable(relations, "SPEC-RELATION", f"SR-{number}")
                self.ref(relation, "SOURCE", "SPEC-OBJECT-REF", self.object_id(element))
                target = self.project.index[link.target]
                self.ref(relation, "TARGET", "SPEC-OBJECT-REF", self.object_id(target))
                self.ref(relation, "TYPE", "SPEC-RELATION-TYPE-REF", _ident("SRT-", link.field))

    # -------------------------------------------------------------- hierarchy
    def specifications(self, parent: ET.Element) -> None:
        specifications = self.node(parent, "SPECIFICATIONS")
        by_path: dict[str, list[ModelElement]] = {}
        for element in self.project.elements:
            by_path.setdefault(element.path, []).append(element)
        for path, elements in by_path.items():
            document = elements[0] if elements[0].kind == "document" else None
            name = document.title if document is not None else path
            identifier = _ident("SP-", document.id if document and document.id else path)
            specification = self.identifiable(specifications, "SPECIFICATION", identifier, name)
            if document is not None:
                self.values(specification, document)
            self.hierarchy(specification, [e for e in elements if e.kind != "document"])
            self.ref(specification, "TYPE", "SPECIFICATION-TYPE-REF", "ST-document")

    def hierarchy(self, specification: ET.Element, elements: list[ModelElement]) -> None:
        """Rebuild the nesting from each element's enclosing section titles (elements
        come in source order) and a criterion's or option's decision."""
        children: dict[int, list[ModelElement]] = {}  # id(parent) or 0 -> children
        stack: list[ModelElement] = []  # open sections
        decisions: dict[str, ModelElement] = {}
        for element in elements:
            if element.parent is not None and element.parent in decisions:
                children.setdefault(id(decisions[element.parent]), []).append(element)
                continue
            titles = element.section
            while stack and (
                len(stack) > len(titles) or [s.title or "" for s in stack] != titles[: len(stack)]
            ):
                stack.pop()
            owner = id(stack[-1]) if stack else 0
            children.setdefault(owner, []).append(element)
            if element.kind == "section":
                stack.append(element)
            if element.kind == "decision" and element.id is not None:
                decisions[element.id] = element

        # A stack, not recursion: sections may nest deeper than Python's recursion limit.
        pending: list[tuple[ET.Element, int]] = [(specification, 0)]
        while pending:
            parent, key = pending.pop()
            if key not in children:
                continue
            holder = self.node(parent, "CHILDREN")
            for child in children[key]:
                node = self.identifiable(holder, "SPEC-HIERARCHY", "SH-" + self.object_id(child))
                self.ref(node, "OBJECT", "SPEC-OBJECT-REF", self.object_id(child))
                pending.append((node, id(child)))


def _xhtml(holder: ET.Element, text: str) -> None:
    """Text as an XHTML div: lines joined by `<br/>` and a line break (read back exactly
    by the import, `xhtml.reqdsl_text`). The line break is whitespace to an XHTML
    reader, but a tool that keeps only the text nodes (StrictDoc's default import)
    would otherwise join "about<br/>40,000" into "about40,000"."""
    div = ET.SubElement(holder, f"{{{XHTML_NS}}}div")
    lines = _xml_text(text).split("\n")
    div.text = lines[0]
    for line in lines[1:]:
        ET.SubElement(div, f"{{{XHTML_NS}}}br").tail = "\n" + line


def export_reqif(project: Project, when: datetime.datetime | None = None) -> str:
    """The project as a ReqIF 1.2 document; `when` is the LAST-CHANGE of everything
    (now, to the second, if not given)."""
    moment = when or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    stamp = moment.isoformat().replace("+00:00", "Z")
    writer = _Writer(project, stamp)
    writer.plan()
    root = ET.Element(_q("REQ-IF"))
    header = writer.identifiable(writer.node(root, "THE-HEADER"), "REQ-IF-HEADER", "reqdsl-header")
    del header.attrib["LAST-CHANGE"]
    for tag, text in (
        ("CREATION-TIME", stamp),
        ("REQ-IF-TOOL-ID", "reqdsl"),
        ("REQ-IF-VERSION", "1.0"),
        ("SOURCE-TOOL-ID", f"reqdsl {__version__}"),
        ("TITLE", _xml_text(project.config.name or project.root.name or "reqdsl project")),
    ):
        writer.node(header, tag).text = text
    content = writer.node(writer.node(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    writer.datatypes(content)
    writer.spec_types(content)
    writer.spec_objects(content)
    writer.spec_relations(content)
    writer.specifications(content)
    indent(root)
    for holder, text in writer.xhtml:  # after indenting: whitespace here is content
        _xhtml(holder, text)
    body = serialize(root, _PREFIXES)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def literal_block(source: str) -> str:
    """`.req` text as a reStructuredText literal block (see `_LITERAL`)."""
    return _LITERAL + "\n".join(_INDENT + line if line else "" for line in source.split("\n"))


def from_literal_block(text: str) -> str:
    """The text of a literal block `literal_block` wrote; any other text as it is (a
    file reqdsl wrote before, or another tool's)."""
    if not text.startswith(_LITERAL):
        return text
    lines = text[len(_LITERAL) :].split("\n")
    if not all(line.startswith(_INDENT) or not line for line in lines):
        return text
    return "\n".join(line[len(_INDENT) :] for line in lines)

"""`reqdsl import doorstop SOURCE`: a Doorstop tree (folders holding `.doorstop.yml`,
one YAML file per item) to `.req` documents, one per Doorstop document.

- a document's level follows its depth in the tree: the root document is stakeholder
  level, its children system level, deeper documents software level;
- an item's file name is its ID; `text` is the statement; `header` is the title (else
  the first words of the text); items are ordered by `level` (`1.2.3`);
- a non-normative item with a header opens a section (its ID is the item's) holding the
  items whose level continues its own; a non-normative item without a header is text;
- `links` become `derives-from` (to a document higher in the tree) or `refines`;
- `ref`, `references`, `derived`, `active: false` and any attribute of the document's
  own become custom fields; Doorstop's review stamps (`reviewed`, link fingerprints)
  are its own bookkeeping and are not imported (the report says so).

YAML is read with `yaml.safe_load` (no Python objects are built from tags), each file
bounded in size. Symbolic links in the tree (item files, document folders) are not
followed; the report lists each one skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.schema import LEVELS
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
)

_STANDARD = frozenset(
    {"active", "derived", "header", "level", "links", "normative", "reviewed", "text"}
)


@dataclass
class _Document:
    prefix: str
    parent: str | None
    folder: Path
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _load_yaml(path: Path) -> Any:
    import yaml

    data = read_input(path)
    try:
        return yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ImportFailure(f"cannot read `{path}`: {error}") from error


def _level_key(value: Any) -> tuple[int, ...]:
    parts = [int(part) for part in re.findall(r"\d+", str(value if value is not None else "1"))]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts) or (1,)


def _scan(source: Path, result: ImportResult) -> tuple[list[_Document], list[str]]:
    """The documents of the tree as Doorstop finds them, and the links left out (see
    importing.tree_files): a folder holding `.doorstop.yml` is a document; hidden folders
    and folders holding `.doorstop.skip` (and all below them) are not read; a document's
    items are its `.yml` and `.md` files named with its prefix, in its folder and its
    sub-folders that are not documents themselves."""
    folders, links = _document_folders(source)
    documents = []
    for folder, files in folders:
        data = _load_yaml(folder / ".doorstop.yml") or {}
        settings = data.get("settings", {}) if isinstance(data, dict) else {}
        prefix = str(settings.get("prefix") or folder.name)
        parent = settings.get("parent")
        document = _Document(prefix, str(parent) if parent else None, folder)
        for path in files:
            if not path.stem.lower().startswith(prefix.lower()):
                result.lose("file in a Doorstop document that is not one of its items")
                result.notes.append(
                    f"skipped `{path.relative_to(source).as_posix()}`: not named like an "
                    f"item of `{prefix}`"
                )
                continue
            item = _load_md(path) if path.suffix == ".md" else _load_yaml(path)
            if isinstance(item, dict):
                document.items.append((path.stem, item))
            else:
                result.lose("Doorstop item file that holds no attributes")
        documents.append(document)
    if not documents:
        raise ImportFailure(f"no Doorstop document (.doorstop.yml) under `{source}`")
    return documents, links


def _document_folders(source: Path) -> tuple[list[tuple[Path, list[Path]]], list[str]]:
    """Each document folder with its item candidates (`.yml`, `.md`, not hidden), and
    the symbolic links met. No link is followed."""
    owner: dict[Path, Path] = {}  # folder -> the document folder it belongs to
    found: dict[Path, list[Path]] = {}
    links: list[str] = []
    for folder, dirs, names in os.walk(source, followlinks=False):
        base = Path(folder)
        if ".doorstop.skip" in names:
            dirs[:] = []
            continue
        for name in list(dirs):
            if name.startswith(".") or (base / name).is_symlink():
                if (base / name).is_symlink():
                    links.append((base / name).relative_to(source).as_posix())
                dirs.remove(name)
        dirs.sort()
        if ".doorstop.yml" in names and not (base / ".doorstop.yml").is_symlink():
            owner[base] = base
            found[base] = []
        elif base.parent in owner and base != source:
            owner[base] = owner[base.parent]
        home = owner.get(base)
        for name in sorted(names):
            path = base / name
            if name.startswith(".") or path.suffix not in (".yml", ".md"):
                continue
            if path.is_symlink():
                links.append(path.relative_to(source).as_posix())
            elif home is not None and path.is_file():
                found[home].append(path)
    return sorted(found.items()), sorted(links)


def _load_md(path: Path) -> dict[str, Any] | None:
    """A Doorstop Markdown item: YAML front matter between `---` lines, then the text
    (a first `# ` line is the header)."""
    import yaml

    text = read_input(path).decode("utf-8-sig", "replace").replace("\r\n", "\n")
    match = re.match(r"---\n(.*?)\n---\n?(.*)\Z", text, re.DOTALL)
    if match is None:
        return None
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ImportFailure(f"cannot read `{path}`: {error}") from error
    if not isinstance(data, dict):
        return None
    body = match.group(2).strip("\n")
    head, _, rest = body.partition("\n")
    if head.startswith("# ") and "header" not in data:
        data["header"], body = head[2:].strip(), rest.strip("\n")
    data.setdefault("text", body)
    return data


def _links(item: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for link in item.get("links") or []:
        if isinstance(link, dict):
            out.extend(str(key) for key in link)
        elif link is not None:
            out.append(str(link))
    return out


class DoorstopImport:
    def __init__(self, documents: list[_Document]) -> None:
        self.documents = documents
        self.result = ImportResult()
        self.ids = IdMaker(self.result)
        self.levels: dict[str, str] = {}  # prefix -> level
        self.item_level: dict[str, str] = {}  # item UID -> its document's level
        self.made: dict[str, ImportedElement] = {}
        by_prefix = {document.prefix: document for document in documents}
        for document in documents:
            depth, parent = 0, document.parent
            while parent in by_prefix and depth < len(documents):
                depth, parent = depth + 1, by_prefix[parent].parent
            self.levels[document.prefix] = LEVELS[min(depth, 2)]

    def run(self) -> ImportResult:
        for document in self.documents:
            self.document(document)
        for document in self.documents:
            for uid, item in document.items:
                element = self.made.get(uid)
                for target in _links(item):
                    if element is None or element.kind != "requirement":
                        continue
                    if target not in self.made or self.made[target].id is None:
                        put_field(
                            self.result, element, "requirement", "link", [target], "Doorstop link"
                        )
                        continue
                    chosen = link_field(self.item_level.get(uid), self.item_level.get(target))
                    element.fields.setdefault(chosen, []).append(self.made[target].id or "")
                    self.result.map(f"Doorstop link -> requirement field `{chosen}`")
        stamps = sum(1 for d in self.documents for _, item in d.items if item.get("reviewed"))
        self.result.lose("Doorstop review stamp (`reviewed`)", stamps)
        fingerprints = sum(
            1
            for d in self.documents
            for _, item in d.items
            for link in item.get("links") or []
            if isinstance(link, dict)
            for value in link.values()
            if value
        )
        self.result.lose("Doorstop link fingerprint", fingerprints)
        if stamps:
            self.result.notes.append(
                "Doorstop review stamps (`reviewed`, link fingerprints) are not imported"
            )
        return self.result

    def document(self, source: _Document) -> None:
        level = self.levels[source.prefix]
        document_id = self.ids.make(source.prefix, "DOC")
        document = ImportedDocument(
            f"{document_id.lower()}.req", document_id, f"{source.prefix} ({level} requirements)"
        )
        document.fields["level"] = [level]
        if source.parent:
            document.fields["description"] = [
                f"Doorstop document {source.prefix}, child of {source.parent}"
            ]
        items = sorted(source.items, key=lambda pair: _level_key(pair[1].get("level")))
        stack: list[tuple[tuple[int, ...], ImportedElement]] = []
        for uid, item in items:
            self.item_level[uid] = level
            key = _level_key(item.get("level"))
            while stack and key[: len(stack[-1][0])] != stack[-1][0]:
                stack.pop()
            while stack and len(stack[-1][0]) >= len(key):
                stack.pop()
            element = self.element(uid, item)
            holder = stack[-1][1].children if stack else document.items
            holder.append(element)
            if element.kind == "section":
                stack.append((key, element))
        self.result.documents.append(document)

    def element(self, uid: str, item: dict[str, Any]) -> ImportedElement:
        text = str(item.get("text") or "").rstrip("\n")
        header = str(item.get("header") or "").strip()
        normative = item.get("normative", True) is not False
        if not normative:
            if header:
                section = ImportedElement("section", self.ids.make(uid, "S"), header)
                if text:
                    section.children.append(ImportedElement("text", None, None, body=text))
                self.made[uid] = section
                self.result.map("Doorstop non-normative item with a header -> section")
                return section
            self.result.map("Doorstop non-normative item -> text")
            return ImportedElement("text", None, None, body=text)
        element = ImportedElement("requirement", self.ids.make(uid, "REQ"), None)
        element.title = header or title_from(text, element.id or uid)
        if not text:
            self.result.notes.append(f"`{uid}` has no text: its statement is its title")
        element.fields["statement"] = [text or element.title]
        self.result.map("Doorstop item -> requirement (`text` -> statement, `header` -> title)")
        self.made[uid] = element
        if item.get("derived"):
            put_field(
                self.result, element, "requirement", "derived", ["true"], "Doorstop attribute"
            )
        if item.get("active") is False:
            put_field(
                self.result, element, "requirement", "active", ["false"], "Doorstop attribute"
            )
        for key, value in item.items():
            if key in _STANDARD or value in (None, "", []):
                continue
            put_field(
                self.result, element, "requirement", str(key), _texts(value), "Doorstop attribute"
            )
        return element


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(item) for item in value]
    return [_text(value)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value).rstrip("\n")


def import_doorstop(source: Path) -> ImportResult:
    if not source.is_dir():
        raise ImportFailure(f"`{source}` is not a folder")
    scanned = ImportResult()
    documents, links = _scan(source, scanned)
    result = DoorstopImport(documents).run()
    result.lost.update(scanned.lost)
    result.notes[:0] = scanned.notes
    note_links(result, links)
    result.settle()
    return result

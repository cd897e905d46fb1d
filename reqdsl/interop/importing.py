"""What every import shares: an intermediate model of documents and elements, the
mapping of foreign attributes to fields, IDs made valid, and the writing of formatted
`.req` files and the `reqdsl.toml` that declares the custom fields.

Foreign attributes are never dropped silently: an attribute whose name is a field of
the element's kind and whose values are valid for it becomes that field; any other
becomes a custom field (a string field declared in reqdsl.toml, named after the
attribute, with an `x-` prefix where the name is taken by a built-in field); on a
section, which has no fields, it is kept in a `text` block. Every mapping is counted in
the report that `reqdsl import` prints.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model.schema import BASE_ATTRIBUTES, COMMON_FIELDS, FIELD_SPECS, LEVEL_RANK
from ..parse.lexicon import lexicon
from ..parse.text import dedent_text_block

# What the importers write must parse: the lexicon's terminals, matched whole.
_LEXICON = lexicon()
_ID = _LEXICON.id
KEYWORDS = frozenset(_LEXICON.keywords)
_COMMON = frozenset(spec.name for spec in COMMON_FIELDS)


@dataclass
class ImportedElement:
    kind: str
    id: str | None
    title: str | None
    fields: dict[str, list[str]] = field(default_factory=dict)
    custom: dict[str, list[str]] = field(default_factory=dict)  # declared string fields
    children: list[ImportedElement] = field(default_factory=list)  # sections, decisions
    body: str | None = None  # a text element's Markdown
    raw_lines: list[str] = field(default_factory=list)  # attribute lines, steps (.req text)


@dataclass
class ImportedDocument:
    file_name: str
    id: str
    title: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    custom: dict[str, list[str]] = field(default_factory=dict)
    items: list[ImportedElement] = field(default_factory=list)


@dataclass
class _Pending:
    """A foreign attribute waiting for the decision of where its field goes."""

    element: ImportedElement | ImportedDocument
    kind: str
    name: str
    values: list[str]
    origin: str


@dataclass
class ImportResult:
    documents: list[ImportedDocument] = field(default_factory=list)
    custom_fields: dict[str, set[str]] = field(default_factory=dict)  # kind -> names
    mappings: Counter[str] = field(default_factory=Counter)  # "what -> where" lines
    lost: Counter[str] = field(default_factory=Counter)  # values not carried over, by what
    notes: list[str] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)  # safe relative path -> data
    pending: list[_Pending] = field(default_factory=list)

    def map(self, line: str, count: int = 1) -> None:
        self.mappings[line] += count

    def lose(self, what: str, count: int = 1) -> None:
        """Count `count` source values that the import does not carry over."""
        if count > 0:
            self.lost[what] += count

    def settle(self) -> None:
        """Decide where each pending foreign attribute goes, per field: from all its
        values at once (a field whose values do not all fit a built-in field is a custom
        field for every element, never split in two)."""
        settle_fields(self)

    def report(self) -> str:
        """The mapping report for the terminal. Its lines quote foreign attribute names
        and IDs: every control and bidi character in them is made visible and inert."""
        from ..render.text import printable

        self.settle()
        lines = ["mapping:"]
        lines += [f"  {line}  (x{count})" for line, count in sorted(self.mappings.items())]
        if self.lost:
            lines.append("not carried over:")
            lines += [f"  {what}  (x{count})" for what, count in sorted(self.lost.items())]
        else:
            lines.append("not carried over: nothing")
        lines += [f"note: {note}" for note in self.notes]
        return "".join(printable(line) + "\n" for line in lines)

    def report_data(self) -> dict[str, object]:
        """The report as JSON data (docs/interop.md, "The mapping report"): a script
        checks that nothing was lost with `not data["not_carried_over"]`."""
        self.settle()
        return {
            "mapped": [
                {"what": what, "count": count} for what, count in sorted(self.mappings.items())
            ],
            "not_carried_over": [
                {"what": what, "count": count} for what, count in sorted(self.lost.items())
            ],
            "lost_values": sum(self.lost.values()),
            "notes": list(self.notes),
            "attachments": sorted(self.attachments),
        }


class IdMaker:
    """Valid, unique IDs: `12` -> `R-12`, `a b` -> `a-b`, a keyword -> `test-1`."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.taken: set[str] = set()
        # The last number given to each base: `X`, `X-2`, ... up to it are taken, so the
        # next `X` starts there (counting from 2 each time was quadratic in duplicates).
        self.numbers: dict[str, int] = {}

    def make(self, raw: str | None, fallback: str) -> str:
        text = (raw or "").strip()
        candidate = re.sub(r"[^\w.\-]+", "-", text).strip("-")
        if not candidate or not _ID.fullmatch(candidate):
            candidate = re.sub(r"[^\w.\-]+", "-", f"{fallback}-{candidate}".strip("-"))
            candidate = candidate.rstrip("-")
        if candidate in KEYWORDS:
            candidate += "-1"
        base, number = candidate, self.numbers.get(candidate, 1)
        if number > 1:
            candidate = f"{base}-{number}"
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.numbers[base] = number
        self.taken.add(candidate)
        if text and candidate != text:
            self.result.notes.append(f"ID `{text}` written as `{candidate}`")
        return candidate


def valid_id(text: str) -> bool:
    return _LEXICON.is_id(text)


def field_slug(name: str) -> str:
    slug = re.sub(r"[^\w.]+", "-", name.strip().lower()).strip("-.")
    return slug if slug and _ID.fullmatch(slug) else "x-" + (slug or "field")


def _valid_for(kind: str, name: str, values: list[str]) -> list[str] | None:
    """The values normalised for a built-in field, or None when they do not fit."""
    spec = FIELD_SPECS[kind].get(name)
    if spec is None or not values or (len(values) > 1 and not spec.many):
        return None
    out = []
    for value in values:
        text = spec.value_kind.normalise(spec, value)
        if text is None:
            return None
        out.append(text)
    return out


def put_field(
    result: ImportResult,
    element: ImportedElement | ImportedDocument,
    kind: str,
    name: str,
    values: list[str],
    origin: str,
) -> None:
    """Give `element` the foreign attribute `name` once the import is read
    (`ImportResult.settle`): as the field of that name when all the values of that
    attribute, on every element of the kind, fit it, else as a custom field (or, on a
    section, as text)."""
    values = [value for value in values if value.strip()]
    if values:
        result.pending.append(_Pending(element, kind, name, values, origin))


def _imported_ids(result: ImportResult) -> set[str]:
    ids: set[str] = set()
    stack: list[ImportedElement] = [item for doc in result.documents for item in doc.items]
    ids.update(doc.id for doc in result.documents)
    while stack:
        element = stack.pop()
        if element.id:
            ids.add(element.id)
        stack.extend(element.children)
    return ids


def settle_fields(result: ImportResult) -> None:
    """Per (kind, attribute): the built-in field when every value fits it (for a field
    of IDs: names an imported element), else a custom field for all of them."""
    pending, result.pending = result.pending, []
    if not pending:
        return
    ids = _imported_ids(result)
    fits: dict[tuple[str, str], bool] = {}
    for item in pending:
        key = (item.kind, item.name)
        slug = field_slug(item.name)
        fitted = _fitted(item.kind, slug, item.values, ids)
        fits[key] = fits.get(key, True) and fitted is not None
    for item in pending:
        _place(result, item, fits[(item.kind, item.name)])


def _fitted(kind: str, slug: str, values: list[str], ids: set[str]) -> list[str] | None:
    if slug in _COMMON and slug != "tags":
        return None
    fitted = _valid_for(kind, slug, values)
    spec = FIELD_SPECS[kind].get(slug)
    if fitted is not None and spec is not None and spec.value_kind.ids:
        # Free text that happens to look like an ID (`example-document.pdf`) is no link.
        return fitted if all(value in ids for value in fitted) else None
    return fitted


def _place(result: ImportResult, item: _Pending, fits: bool) -> None:
    element, kind, name, values, origin = (
        item.element, item.kind, item.name, item.values, item.origin
    )  # fmt: skip
    slug = field_slug(name)
    fitted = _valid_for(kind, slug, values) if fits else None
    if fitted is not None:
        known = element.fields.setdefault(slug, [])
        known.extend(value for value in fitted if value not in known)
        result.map(f"{origin} `{name}` -> {kind} field `{slug}`")
        return
    if kind == "section" and isinstance(element, ImportedElement):
        text = "\n".join(f"{name}: {value}" for value in values)
        element.children.insert(0, ImportedElement("text", None, None, body=text))
        result.map(f"{origin} `{name}` -> text in the section")
        return
    taken = slug in FIELD_SPECS.get(kind, {}) or slug in BASE_ATTRIBUTES or slug in _COMMON
    custom = "x-" + slug if taken else slug
    element.custom.setdefault(custom, []).extend(values)
    result.custom_fields.setdefault(kind, set()).add(custom)
    result.map(f"{origin} `{name}` -> custom {kind} field `{custom}`")


def link_field(source_level: str | None, target_level: str | None) -> str:
    """A parent link: `derives-from` when the parent's level is higher, else `refines`."""
    if source_level and target_level and LEVEL_RANK[target_level] > LEVEL_RANK[source_level]:
        return "derives-from"
    return "refines"


def title_from(text: str | None, fallback: str) -> str:
    """A title for an element that has none: the first words of its text."""
    line = (text or "").strip().split("\n", 1)[0].strip()
    if not line:
        return fallback
    if len(line) <= 60:
        return line
    cut = line[:60].rsplit(" ", 1)[0]
    return cut + "..."


# ---------------------------------------------------------------------- writing
def quote(text: str) -> str:
    """A string literal, or a text block when the text spans lines (and reads back the
    same: no `\"\"\"` inside, no indentation shared by every line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text and '"""' not in text:
        block = '"""\n' + text + '\n"""'
        if dedent_text_block(block) == text:
            return block
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _value(kind: str, name: str, value: str) -> str:
    spec = FIELD_SPECS[kind].get(name)
    if spec is None:
        return quote(value)
    return value if spec.value_kind.writes_bare(spec, value) else quote(value)


def _fields(kind: str, fields: dict[str, list[str]], custom: dict[str, list[str]]) -> list[str]:
    order = {name: index for index, name in enumerate(FIELD_SPECS[kind])}
    named = sorted(fields.items(), key=lambda item: order.get(item[0], len(order)))
    lines = [f"{name}: {', '.join(_value(kind, name, v) for v in vs)}" for name, vs in named]
    lines += [f"{name}: {', '.join(quote(v) for v in vs)}" for name, vs in custom.items()]
    return lines


def _element_lines(element: ImportedElement) -> list[str]:
    """The element's lines, with the elements it holds inside its braces (a blank line
    between a section's items). With a stack of what is still to write (an element, or
    lines as they are) rather than a call per level: a ReqIF hierarchy 1,000 deep must
    not exhaust Python's recursion."""
    lines: list[str] = []
    stack: list[ImportedElement | list[str]] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            lines += item
        elif item.kind == "text":
            lines.append("text " + quote_block(item.body or ""))
        elif item.kind == "section":
            head = "section " + (f"{item.id} " if item.id else "") + quote(item.title or "")
            lines.append(head + " {")
            stack.append(["}"])
            for index, child in enumerate(reversed(item.children)):
                stack += [child, [""]] if index < len(item.children) - 1 else [child]
        else:
            if item.kind == "term":
                head = "term " + quote(item.title or "")
            else:
                head = f"{item.kind} {item.id} {quote(item.title or item.id or '')}"
            fields = _fields(item.kind, item.fields, item.custom)
            if not (fields or item.children or item.raw_lines):
                lines.append(head)
                continue
            lines += [head + " {", *fields]
            stack += [["}"], item.raw_lines, *reversed(item.children)]
    return lines


_QUOTE_RUN = re.compile('"{3,}')


def quote_block(text: str) -> str:
    """A text block for a `text` element (which takes nothing else). A text block has no
    escapes and three quotes would end it: a run of three or more quotes is written as
    Markdown character references (`&quot;`), which the site shows as the same quotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _QUOTE_RUN.sub(lambda match: "&quot;" * len(match.group()), text)
    return '"""\n' + text + '\n"""'


def document_text(document: ImportedDocument) -> str:
    from ..format import format_text

    lines = [f"document {document.id} {quote(document.title)} {{"]
    lines += _fields("document", document.fields, document.custom)
    lines.append("}")
    for item in document.items:
        lines += ["", *_element_lines(item)]
    return format_text("\n".join(lines) + "\n")


def config_text(result: ImportResult, name: str | None) -> str:
    lines = ["[project]", f"name = {_toml_string(name or 'Imported requirements')}"]
    for kind in sorted(result.custom_fields):
        lines += ["", f"[fields.{kind}]"]
        lines += [f'{_toml_key(n)} = "string"' for n in sorted(result.custom_fields[kind])]
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml_string(name)


class ImportFailure(Exception):
    """The source cannot be imported; the message says why."""


# ---------------------------------------------------------------------- reading
def tree_files(source: Path, suffix: str) -> tuple[list[Path], list[str]]:
    """Every regular file under `source` whose name ends with `suffix`, sorted, and the
    symbolic links met instead (to such a file, or to a folder), as paths relative to
    `source`. No link is followed: a tree from someone else may link `REQ002.yml` to
    `~/.config/gh/hosts.yml`, whose token would be copied into the imported project."""
    files: list[Path] = []
    links: list[str] = []
    for folder, dirs, names in os.walk(source, followlinks=False):
        base = Path(folder)
        dirs.sort()
        for name in dirs:
            if (base / name).is_symlink():
                links.append((base / name).relative_to(source).as_posix())
        for name in names:
            path = base / name
            if not name.endswith(suffix):
                continue
            if path.is_symlink():
                links.append(path.relative_to(source).as_posix())
            elif path.is_file():
                files.append(path)
    return sorted(files), sorted(links)


def note_links(result: ImportResult, links: list[str]) -> None:
    for link in links:
        result.notes.append(
            f"skipped `{link}`: a symbolic link (links in an imported tree are not followed)"
        )


def read_input(path: Path, *, follow_links: bool = False) -> bytes:
    """The bytes of one source file, bounded (util.files.read_bounded); raises
    ImportFailure. `follow_links` only for the file the user named."""
    from ..util.files import read_bounded

    try:
        return read_bounded(path, follow_links=follow_links)
    except OSError as error:
        raise ImportFailure(f"cannot read `{path}`: {error.strerror or error}") from error


def write_import(result: ImportResult, out: Path, *, name: str | None, force: bool) -> list[Path]:
    """Write the documents and reqdsl.toml into `out`; existing files are kept unless
    `force`."""
    from ..util.files import write_atomic

    result.settle()
    if not result.documents:  # else a reqdsl.toml alone, and "no .req file" from the check
        lost = "; ".join(f"{what} (x{count})" for what, count in sorted(result.lost.items()))
        raise ImportFailure(
            "nothing to import: the source holds no document (in ReqIF, no SPECIFICATION "
            "with an object)" + (f"; not carried over: {lost}" if lost else "")
            + "; nothing written"
        )  # fmt: skip
    unique_file_names(result)
    planned: dict[Path, str | bytes] = {
        out / doc.file_name: document_text(doc) for doc in result.documents
    }
    planned[out / "reqdsl.toml"] = config_text(result, name)
    for relative, data in sorted(result.attachments.items()):
        planned[out / ATTACHMENTS / relative] = data
    existing = {path for path in planned if path.exists() or path.is_symlink()}
    earlier = _earlier_import(out)
    if out.is_dir():
        existing.update(out.rglob("*.req"))
    if existing and not force:
        names = ", ".join(sorted(str(path.relative_to(out)) for path in existing)[:5])
        raise ImportFailure(
            f"`{out}` already holds {names}; import into a new folder, or use --force"
        )
    for path in planned:
        _refuse_links(out, path)
    # --force: the files an earlier import wrote and this one does not are removed, so
    # the closing check does not count them; files it did not write stay (and are named).
    for path in sorted(earlier - set(planned)):
        _refuse_links(out, path)
        if path.is_file():
            path.unlink()
    for path in sorted(existing - set(planned) - earlier):
        if path.suffix == ".req":
            result.notes.append(
                f"`{path.relative_to(out)}` was not written by an import: left in place"
            )
    for path, content in planned.items():
        write_atomic(path, content)
    manifest = [path.relative_to(out).as_posix() for path in planned]
    write_atomic(out / MANIFEST, "".join(line + "\n" for line in sorted(manifest)))
    return list(planned)


ATTACHMENTS = "attachments"  # where a .reqifz archive's other files go
MANIFEST = ".reqdsl-import"  # the files an import wrote, for the next --force


def _earlier_import(out: Path) -> set[Path]:
    """The files an earlier import into `out` wrote (its manifest), each a plain
    relative path inside `out`; anything else in the manifest is ignored."""
    from ..util.files import read_bounded

    try:
        text = read_bounded(out / MANIFEST, 1024 * 1024).decode("utf-8", "replace")
    except OSError:
        return set()
    paths = set()
    for line in text.splitlines():
        relative = safe_relative(line)
        if relative is not None:
            paths.add(out / relative)
    return paths


def safe_relative(name: str) -> str | None:
    """`name` as a relative POSIX path that stays inside the folder it is joined to, or
    None: no absolute path, drive, backslash, `..`, empty or control-character part."""
    if not name or "\\" in name or ":" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") or not part.isprintable() for part in parts):
        return None
    return "/".join(parts)


def _refuse_links(out: Path, path: Path) -> None:
    """Writing `path` must not go through a symbolic link inside `out` (a folder of the
    output swapped for a link to somewhere else)."""
    current = path
    while current != out and out in current.parents:
        if current.is_symlink():
            raise ImportFailure(f"refused: `{current.relative_to(out)}` is a symbolic link")
        current = current.parent


def _file_key(name: str) -> str:
    """What makes two file names the same file on a case-insensitive file system
    (Windows, macOS): `SRS.req` and `srs.req`, `É` composed or not."""
    return unicodedata.normalize("NFC", name).casefold()


def unique_file_names(result: ImportResult) -> None:
    """Give each document a file name no other document's matches, ignoring case: two
    specifications `SRS` and `srs` would both be written to `srs.req`, the second over
    the first. The later one gets `srs-2.req`, and the report says so."""
    taken: set[str] = set()
    numbers: dict[str, int] = {}  # the last number tried for a name (see IdMaker)
    for document in result.documents:
        wanted = document.file_name
        stem = wanted.removesuffix(".req")
        name, number = wanted, numbers.get(_file_key(stem), 1)
        if number > 1:
            name = f"{stem}-{number}.req"
        while _file_key(name) in taken:
            number += 1
            name = f"{stem}-{number}.req"
        numbers[_file_key(stem)] = number
        taken.add(_file_key(name))
        if name != wanted:
            document.file_name = name
            result.notes.append(
                f"document `{document.id}` written to `{name}`: another document has the "
                f"file name `{wanted}` (file names must differ in more than case)"
            )

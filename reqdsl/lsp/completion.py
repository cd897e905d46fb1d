"""Completion: what may be written at the cursor, read from the text before it.

While typing, the file is often broken, so the context comes from a light scan of the
text (strings, text blocks and comments skipped, braces counted) rather than from the
syntax tree: the kind of the enclosing block, then the line up to the cursor. Offered:
field names of that kind (and the keywords allowed there), and for a field's value the
IDs of the kinds it accepts, its enumeration, booleans, compliance references with their
titles (`gdpr:` first, then its entries), ATT&CK techniques, or check codes for `ignore`.

The long lists (IDs, catalogue entries, techniques) keep only the values starting with
the word typed (case-insensitive), never the element the cursor is in, and at most
LIMIT items: a link field of a 10,000-requirement project answered with every
requirement (3.4 MB of JSON, seconds per keystroke). A cut list says so (`incomplete`),
so the editor asks again as the word grows. Short lists (field names, keywords, enums)
are returned whole for the editor's own fuzzy matching.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from ..catalogs import Catalog
from ..model.project import Project
from ..model.schema import FIELD_SPECS, PRIMITIVE_TYPES, FieldSpec
from ..parse.lexicon import lexicon

# The keywords offered where an element or a step starts, as the grammar has them.
ELEMENT_KINDS = lexicon().element_kinds
SCENARIO_STEPS = lexicon().scenario_steps
ACTIVITY_STEPS = lexicon().activity_steps
_SCENARIO_BLOCKS = frozenset({"alt", "opt", "loop", "else"})
_ACTIVITY_BLOCKS = frozenset({"if", "else", "fork", "and", "while"})

_SCAN = re.compile(r'"""[\s\S]*?(?:"""|\Z)|"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[{}]')
# The word being typed: the last run of word characters, tried only where a run starts
# (from every character of a long run, `[^\s,{}"]*$` was quadratic in the line).
_PARTIAL = re.compile(r'(?<![^\s,{}"])[^\s,{}"]*+$')
_VALUE = r'(?:"[^"\n]*"|[^\s,"{}]+)(?:[ \t]+-?\d+(?:\.\d+)?)?'
_FIELD_VALUE = re.compile(rf"([^\W\d][\w.-]*)[ \t]*:[ \t]*(?:{_VALUE}[ \t]*,\s*)*$")
_AFTER_ARROW = re.compile(r"(?:->|-->)[ \t]*$")
_AFTER_VIA = re.compile(r"\bvia[ \t]+$")
_AFTER_BY = re.compile(r"\bby[ \t]+$")
# Where a new item may start: after `{`, or after a complete `name: value, value`.
_ITEM_START = re.compile(rf"(?:\{{|[\w.-]+[ \t]*:[ \t]*{_VALUE}(?:[ \t]*,[ \t]*{_VALUE})*)[ \t]+$")
_ATTRIBUTE_TYPE = re.compile(r"\battribute[ \t]+[^\W\d][\w.-]*[ \t]*:[ \t]*$")
# The patterns above end in `$` and are searched: tried from every start, they cost the
# square of the text they see (6.6 s per request on a 20,000-character line). They see
# only the last _CONTEXT characters of the line before the cursor: a field written more
# than that far back gets no completion, and no line can hold the server up.
_CONTEXT = 1000
LIMIT = 200  # items per answer; more is `incomplete`


@dataclass(frozen=True)
class Completions:
    items: list[types.CompletionItem]
    start: int  # where the word the items replace starts
    incomplete: bool  # more items matched than LIMIT


@dataclass(frozen=True)
class Block:
    kind: str | None  # the keyword that opened it (`requirement`, `alt`, ...)
    id: str | None


def enclosing_blocks(text: str) -> list[Block]:
    """The blocks open at the end of `text`, outermost first."""
    stack: list[Block] = []
    for match in _SCAN.finditer(text):
        token = match.group(0)
        if token == "{":
            line_start = text.rfind("\n", 0, match.start()) + 1
            words = text[line_start : match.start()].replace("}", " ").split()
            kind = words[0] if words else None
            ident = words[1] if len(words) > 1 and not words[1].startswith('"') else None
            stack.append(Block(kind, ident))
        elif token == "}" and stack:
            stack.pop()
    return stack


def _in_string_or_comment(text: str) -> bool:
    """Whether the end of `text` is inside a string, text block or comment."""
    last = None
    for match in _SCAN.finditer(text):
        last = match
    if last is None or last.end() != len(text):
        return False
    token = last.group(0)
    if token.startswith("#"):
        return True
    if token.startswith('"""'):
        return len(token) < 6 or not token.endswith('"""')
    if token.startswith('"'):
        return len(token) == 1 or not token.endswith('"') or token.endswith('\\"')
    return False


class Completer:
    def __init__(self, project: Project, catalogs: dict[str, Catalog]) -> None:
        self.project = project
        self.catalogs = catalogs

    def complete(self, text: str, offset: int) -> Completions:
        """Items for the cursor at `offset`, at most LIMIT of them."""
        before = text[:offset]
        if _in_string_or_comment(before):
            return Completions([], offset, incomplete=False)
        line = before[before.rfind("\n") + 1 :]
        partial = _PARTIAL.search(line)
        word = partial.group(0) if partial else ""
        start = offset - len(word)
        head = line[: len(line) - len(word)][-_CONTEXT:]
        blocks = enclosing_blocks(before)
        name, colon, rest = word.partition(":")
        kind = blocks[-1].kind if blocks else None
        if colon and not _FIELD_VALUE.search(head) and name in FIELD_SPECS.get(kind or "", {}):
            head, word = head + name + ":", rest  # `verification:` typed without a space
            start += len(name) + 1
        items = self._items(blocks, head, word)
        return Completions(items[:LIMIT], start, incomplete=len(items) > LIMIT)

    # ------------------------------------------------------------------ contexts
    def _items(self, blocks: list[Block], head: str, word: str) -> list[types.CompletionItem]:
        block = blocks[-1] if blocks else Block(None, None)
        if _ATTRIBUTE_TYPE.search(head):
            primitives = [_item(p, types.CompletionItemKind.TypeParameter) for p in PRIMITIVE_TYPES]
            return primitives + self._ids(("data",), word, blocks)
        field_match = _FIELD_VALUE.search(head)
        if field_match and block.kind in FIELD_SPECS:
            name = field_match.group(1)
            spec = FIELD_SPECS[block.kind].get(name)
            if spec is not None:
                return self._values(spec, blocks, word)
            custom = self.project.config.custom_fields.get(block.kind, {}).get(name)
            return [_item(value, types.CompletionItemKind.EnumMember) for value in custom or ()]
        if _AFTER_ARROW.search(head) or _AFTER_BY.search(head):
            return self._ids(("actor", "component"), word, blocks)
        if _AFTER_VIA.search(head):
            return self._ids(("flow",), word, blocks)
        if head.strip() and not _ITEM_START.search(head):
            return []
        return self._names(block, blocks, word)

    def _names(self, block: Block, blocks: list[Block], word: str) -> list[types.CompletionItem]:
        """Field names and keywords where an item starts."""
        items: list[types.CompletionItem] = []
        kind = block.kind
        if kind in FIELD_SPECS and kind not in ("section",):
            specs = FIELD_SPECS[kind]
            for spec in specs.values():
                items.append(_field_item(kind, spec))
            for name in self.project.config.custom_fields.get(kind, {}):
                items.append(
                    types.CompletionItem(
                        label=name,
                        kind=types.CompletionItemKind.Field,
                        detail="custom field (reqdsl.toml)",
                        insert_text=f"{name}: ",
                    )
                )
        keywords: tuple[str, ...] = ()
        if not blocks:
            keywords = ("document", *ELEMENT_KINDS, "section", "text", "term")
        elif kind == "section":
            keywords = (*ELEMENT_KINDS, "section", "text", "term")
        elif kind == "decision":
            keywords = ("criterion", "option")
        elif kind == "data":
            keywords = ("attribute",)
        elif kind == "scenario" or (kind in _SCENARIO_BLOCKS and _inside(blocks, "scenario")):
            keywords = SCENARIO_STEPS
            items += self._ids(("actor", "component"), word, blocks)
        elif kind == "activity" or (kind in _ACTIVITY_BLOCKS and _inside(blocks, "activity")):
            keywords = ACTIVITY_STEPS
        items += [_item(k, types.CompletionItemKind.Keyword) for k in keywords]
        return items

    def _values(
        self, spec: FieldSpec, blocks: list[Block], word: str
    ) -> list[types.CompletionItem]:
        return spec.value_kind.complete(spec, _Source(self, blocks, word))

    # ------------------------------------------------------------------ sources
    def _ids(
        self,
        kinds: tuple[str, ...],
        word: str,
        blocks: list[Block],
        parent: str | None = None,
    ) -> list[types.CompletionItem]:
        """The IDs of `kinds` starting with `word`, but not those of the blocks the cursor
        is in (an element never links to itself); at most LIMIT + 1, enough to tell
        that the list was cut."""
        items: list[types.CompletionItem] = []
        enclosing = {block.id for block in blocks}
        for element in self.project.index.values():
            if element.kind not in kinds or element.id is None or element.id in enclosing:
                continue
            if parent is not None and element.parent != parent:
                continue
            if not _starts(element.id, word):
                continue
            if len(items) > LIMIT:
                break
            items.append(
                types.CompletionItem(
                    label=element.id,
                    kind=types.CompletionItemKind.Reference,
                    detail=f"{element.kind}: {element.title or ''}".rstrip(": "),
                    documentation=_statement(element),
                )
            )
        return items

    def _compliance(self, word: str, *, gdpr_only: bool) -> list[types.CompletionItem]:
        schemes = {
            scheme: catalog
            for scheme, catalog in self.catalogs.items()
            if scheme != "attack" and (scheme == "gdpr" or not gdpr_only)
        }
        scheme, colon, _ = word.partition(":")
        if not colon or scheme not in schemes:
            return [
                types.CompletionItem(
                    label=f"{name}:",
                    kind=types.CompletionItemKind.Module,
                    detail=catalog.title,
                    command=types.Command("", "editor.action.triggerSuggest"),
                )
                for name, catalog in sorted(schemes.items())
            ]
        catalog = schemes[scheme]
        return [
            types.CompletionItem(
                label=f"{scheme}:{entry.ref}",
                kind=types.CompletionItemKind.Constant,
                detail=entry.title,
                sort_text=f"{index:05d}",
            )
            for index, entry in enumerate(catalog.entries())
            if _starts(f"{scheme}:{entry.ref}", word)
        ]

    def _techniques(self, word: str) -> list[types.CompletionItem]:
        catalog = self.catalogs.get("attack")
        if catalog is None:
            return []
        return [
            types.CompletionItem(
                label=f'"{entry.ref}"',
                kind=types.CompletionItemKind.Constant,
                detail=entry.details.get("full_name", entry.title),
                filter_text=f'"{entry.ref} {entry.title}',
                sort_text=f"{index:05d}",
            )
            for index, entry in enumerate(catalog.entries())
            if entry.details.get("status", "active") == "active" and _starts(entry.ref, word)
        ]

    def _codes(self) -> list[types.CompletionItem]:
        from ..checks.registry import all_rules

        return [
            types.CompletionItem(
                label=rule.code, kind=types.CompletionItemKind.Value, detail=rule.summary
            )
            for rule in all_rules()
        ]


def _starts(value: str, word: str) -> bool:
    """Whether `value` starts with the word typed, ignoring case."""
    return value[: len(word)].casefold() == word.casefold()


def _inside(blocks: list[Block], kind: str) -> bool:
    return any(block.kind == kind for block in blocks)


def _nearest(blocks: list[Block], kind: str) -> str | None:
    for block in reversed(blocks):
        if block.kind == kind:
            return block.id
    return None


class _Source:
    """The completer's sources, as a value kind asks for them (model/value_kinds.py)."""

    def __init__(self, completer: Completer, blocks: list[Block], word: str) -> None:
        self.completer = completer
        self.blocks = blocks
        self.word = word

    def ids(self, spec: FieldSpec) -> list[types.CompletionItem]:
        # A decision chooses one of its own options.
        parent = _nearest(self.blocks, "decision") if spec.name == "chosen" else None
        return self.completer._ids(spec.targets, self.word, self.blocks, parent=parent)

    def criteria(self) -> list[types.CompletionItem]:
        parent = _nearest(self.blocks, "decision")
        return self.completer._ids(("criterion",), self.word, self.blocks, parent=parent)

    def words(self, words: Sequence[str], *, members: bool) -> list[types.CompletionItem]:
        kind = types.CompletionItemKind.EnumMember if members else types.CompletionItemKind.Value
        return [_item(word, kind) for word in words]

    def compliance(self, *, gdpr_only: bool) -> list[types.CompletionItem]:
        return self.completer._compliance(self.word, gdpr_only=gdpr_only)

    def techniques(self) -> list[types.CompletionItem]:
        return self.completer._techniques(self.word)

    def codes(self) -> list[types.CompletionItem]:
        return self.completer._codes()


def _item(label: str, kind: types.CompletionItemKind) -> types.CompletionItem:
    return types.CompletionItem(label=label, kind=kind)


def _field_item(kind: str, spec: FieldSpec) -> types.CompletionItem:
    flags = ["required"] if spec.required else []
    if spec.many:
        flags.append("list")
    values = spec.value_kind
    detail = values.name + (f" ({', '.join(flags)})" if flags else "") + values.detail(spec)
    return types.CompletionItem(
        label=spec.name,
        kind=types.CompletionItemKind.Field,
        detail=detail,
        documentation=spec.description or None,
        insert_text=f"{spec.name}: ",
        sort_text=("0" if spec.required else "1") + spec.name,
    )


def _statement(element: object) -> str | None:
    word = getattr(element, "word", None)
    if word is None:
        return None
    statement = word("statement")
    return statement if isinstance(statement, str) else None

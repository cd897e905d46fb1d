"""The canonical layout of a `.req` file, written from its concrete syntax tree.

- One item (field, element, attribute, step, section, text, term) per line, four spaces
  of indentation per block level; at most one blank line between items, where the
  author left one; none after `{` or before `}`.
- Single spaces between tokens; none before `:`, `,` and `]` or after `[`.
- A block that holds one or two fields and nothing else, with no comment, blank line or
  multi-line text block inside, stays on one line when that line fits in 100 columns:
  `zone Z-NET "Internet" { trust: untrusted }`. Document headers and sections are
  always laid out over several lines. An empty block is `{}`.
- `} else ... {` and `} and {` join the closing brace of the previous branch.
- Multiplicities lose their inner spaces (`[0..*]`); strings, numbers and references are
  kept as written; the lines of a multi-line text block are re-indented to the
  indentation of the line it starts on (its text, once dedented, is unchanged).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from lark import Token, Tree

from .tokens import tokens_of
from .writer import INDENT, Layout, Writer

WIDTH = 100
MAX_INLINE_FIELDS = 2

_BLOCKS = frozenset({
    "field_block", "data_block", "decision_block", "scenario_block", "activity_block",
    "step_block", "astep_block",
})  # fmt: skip
_TIGHT_BEFORE = frozenset({"COLON", "COMMA", "RSQB"})
_ALWAYS_EXPANDED = frozenset({"document", "section"})

Node = Tree[Token] | Token
# A step of printing: a generator that prints part of the tree and yields the steps that
# print the parts inside it, in order (see `Printer.file`).
Step = Iterator["Step"]


def reflow_text_block(token: str, margin: str) -> str:
    """Re-indent the lines after the first of a `\"\"\"` block to `margin`.

    The block's meaning (see reqdsl.parse.text.dedent_text_block) is unchanged: the
    common indentation of those lines is replaced by `margin`, whitespace-only lines
    become empty, and the line of the closing quotes gets the margin.
    """
    lines = token[3:-3].split("\n")
    if len(lines) == 1:
        return token
    first, rest = lines[0].rstrip(), lines[1:]
    indents = [len(line) - len(line.lstrip()) for line in rest if line.strip()]
    common = min(indents) if indents else 0
    out = [margin + line[common:] if line.strip() else "" for line in rest[:-1]]
    last = rest[-1]
    out.append(margin + last[common:] if last.strip() else margin)
    return '"""' + first + "\n" + "\n".join(out) + '"""'


def token_text(token: Token) -> str:
    if token.type == "MULTIPLICITY":
        return "".join(str(token).split())
    return str(token)


def _separator(previous: Node | None, child: Node) -> Layout:
    if isinstance(child, Token) and child.type in _TIGHT_BEFORE:
        return "tight"
    if isinstance(previous, Token) and previous.type == "LSQB":
        return "tight"
    return "space"


def flat(nodes: list[Node]) -> str:
    """The one-line rendering of nodes (no comments, no multi-line tokens)."""
    parts: list[str] = []
    previous: Node | None = None
    for node in nodes:
        if isinstance(node, Token):
            if parts and _separator(previous, node) == "space":
                parts.append(" ")
            parts.append(token_text(node))
            previous = node
            continue
        text = flat(list(node.children))
        if parts and _separator(previous, node) == "space":
            parts.append(" ")
        parts.append(text)
        previous = node
    return "".join(parts)


def _tokens(node: Node) -> list[Token]:
    return tokens_of(node)


class Printer:
    def __init__(self, writer: Writer) -> None:
        self.writer = writer

    def file(self, tree: Tree[Token]) -> None:
        """Print the tree. Each part is printed by a step that yields the steps of the
        parts inside it, run here from a stack: a call per level of nesting would
        exhaust Python's recursion on sections nested a few hundred deep."""
        stack: list[Step] = [self._items(tree.children)]
        while stack:
            inner = next(stack[-1], None)
            if inner is None:
                stack.pop()
            else:
                stack.append(inner)

    def _items(self, children: list[Node]) -> Step:
        for child in children:
            yield self.node(child, "item")

    def node(self, node: Node, layout: Layout) -> Step:
        if isinstance(node, Token):
            self.token(node, layout)
            return
        children = list(node.children)
        if node.data in _BLOCKS:
            yield self.block(children, layout, may_inline=True)
            return
        split = next(
            (
                index
                for index, child in enumerate(children)
                if isinstance(child, Token) and child.type == "LBRACE"
            ),
            None,
        )
        if split is not None:  # a section: header tokens, then its items in braces
            yield self.sequence(children[:split], layout)
            yield self.block(children[split:], "space", may_inline=False)
            return
        expanded = node.data in _ALWAYS_EXPANDED
        previous: Node | None = None
        for index, child in enumerate(children):
            child_layout = layout if index == 0 else _separator(previous, child)
            if expanded and isinstance(child, Tree) and child.data in _BLOCKS:
                yield self.block(list(child.children), child_layout, may_inline=False)
            else:
                yield self.node(child, child_layout)
            previous = child

    def sequence(self, nodes: list[Node], layout: Layout) -> Step:
        previous: Node | None = None
        for index, child in enumerate(nodes):
            yield self.node(child, layout if index == 0 else _separator(previous, child))
            previous = child

    def token(self, token: Token, layout: Layout) -> None:
        text = token_text(token)
        reflow = reflow_text_block if token.type == "TEXT_BLOCK" and "\n" in text else None
        assert token.start_pos is not None and token.end_pos is not None
        self.writer.token(text, token.start_pos, token.end_pos, layout, reflow)

    def block(self, children: list[Node], layout: Layout, *, may_inline: bool) -> Step:
        lbrace, items, rbrace = children[0], children[1:-1], children[-1]
        assert isinstance(lbrace, Token) and isinstance(rbrace, Token)
        assert lbrace.start_pos is not None and rbrace.start_pos is not None
        writer = self.writer
        commented = writer.has_comment_between(lbrace.start_pos, rbrace.start_pos)
        if not items and not commented:
            self.token(lbrace, layout)
            self.token(rbrace, "tight")
            return
        if may_inline and not commented and self._fits_inline(lbrace, items, layout):
            self.token(lbrace, layout)
            for item in items:
                yield self.node(item, "space")
            self.token(rbrace, "space")
            return
        self.token(lbrace, layout)
        writer.indent += 1
        for item in items:
            yield self.node(item, "item")
        writer.flush_comments(rbrace.start_pos, "item")
        writer.indent -= 1
        self.token(rbrace, "line")

    def _fits_inline(self, lbrace: Token, items: list[Node], layout: Layout) -> bool:
        if len(items) > MAX_INLINE_FIELDS:
            return False
        if not all(isinstance(item, Tree) and item.data == "field" for item in items):
            return False
        if any("\n" in token for item in items for token in _tokens(item)):
            return False
        writer = self.writer
        assert lbrace.start_pos is not None
        for previous, item in itertools.pairwise(items):
            end, start = _tokens(previous)[-1].end_pos, _tokens(item)[0].start_pos
            assert end is not None and start is not None
            if writer.blank_between(end, start):
                return False  # the author grouped the fields: keep them apart
        writer.flush_comments(lbrace.start_pos, layout)
        if writer.break_pending:
            start = len(INDENT) * (writer.indent + 1)
        else:
            start = writer.column() + (1 if layout == "space" else 0)
        return start + len("{ ") + len(flat(items)) + len(" }") <= WIDTH

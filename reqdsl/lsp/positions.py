"""Positions between reqdsl and the client.

reqdsl counts in Unicode code points over normalised text (no BOM, LF line endings);
LSP counts lines from 0 and characters in the negotiated encoding: UTF-16 code units by
default, or UTF-8 bytes or UTF-32 code points. Line numbers agree (CRLF and CR are one
line break in both); a BOM kept at the start of the client's text shifts line 0 by one.
"""

from __future__ import annotations

import bisect

from lsprotocol import types

from ..source import Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """Length of `text` in the encoding's code units."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class PositionMap:
    """Converts between offsets / spans of one normalised text and LSP positions."""

    def __init__(self, text: str, encoding: str = UTF16, *, bom: bool = False) -> None:
        self.text = text
        self.encoding = str(encoding)
        self.bom = bom
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self.starts = starts

    def line_text(self, line: int) -> str:
        """Text of 0-based line `line` without its line break."""
        if line < 0 or line >= len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line] : offset]
        shift = 1 if self.bom and line == 0 else 0
        return types.Position(line=line, character=units(before, self.encoding) + shift)

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def offset(self, position: types.Position) -> int:
        """The offset of an LSP position (clamped to the text; past a line's end is its end)."""
        if position.line >= len(self.starts):
            return len(self.text)
        line = max(position.line, 0)
        text = self.line_text(line)
        wanted = position.character - (1 if self.bom and line == 0 else 0)
        counted = 0
        for index, char in enumerate(text):
            if counted >= wanted:
                return self.starts[line] + index
            counted += units(char, self.encoding)
        return self.starts[line] + len(text)

    def end(self) -> types.Position:
        return self.position(len(self.text))

"""Source files and spans.

A `Span` stores both offsets and 1-based line/column pairs: the parser gets all four
from its tokens for free, and every consumer (text, JSON, SARIF, LSP) needs lines and
columns, so computing them once at parse time is cheaper than on every rendering.
Columns count Unicode code points from 1; a BOM is never counted (it is removed before
parsing), and CRLF or lone CR line endings are normalised to LF.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .i18n import _


class Span(NamedTuple):
    """Where a node stands: character offsets [start, end) and 1-based line/columns.

    `end_column` is the column just after the last character, as LSP and SARIF expect.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def cover(self, other: Span) -> Span:
        """The smallest span holding both."""
        first = self if self.start <= other.start else other
        last = self if self.end >= other.end else other
        return Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end or (self.start == self.end == offset)


def normalise_text(raw: str) -> str:
    """Drop a leading BOM and turn CRLF / CR line endings into LF."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw


@dataclass
class SourceFile:
    """One file of a project: its path relative to the project (with `/`) and its text."""

    relpath: str
    text: str
    path: Path | None = None
    _line_starts: list[int] | None = field(default=None, repr=False)

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_text(self, line: int) -> str:
        """The text of 1-based line `line`, without its line ending ('' when out of range)."""
        starts = self.line_starts()
        if line < 1 or line > len(starts):
            return ""
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(start, end, line, column, end_line, end_column)


@dataclass
class DecodeProblem:
    """Bytes that are not UTF-8 (reported as SY001 at the first bad byte)."""

    message: str
    span: Span
    hint: str | None = None


def decode_source(data: bytes) -> tuple[str, DecodeProblem | None]:
    """Decode UTF-8; invalid bytes become U+FFFD and one problem naming the first."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        before = data[: error.start].decode("utf-8", errors="replace")
        if before.startswith("\ufeff"):
            before = before[1:]
        before = before.replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        offset = len(before)
        byte = data[error.start]
        problem = DecodeProblem(
            _("the file is not valid UTF-8: byte {byte} cannot be decoded").format(
                byte=f"0x{byte:02x}"
            ),
            Span(offset, offset + 1, line, column, line, column + 1),
            hint=_("save the file as UTF-8"),
        )
        return text, problem

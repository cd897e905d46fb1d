"""Lays out tokens line by line, placing each comment where it was.

The printer tells the writer, for each token, how it joins what came before:

- `item`: starts a new line at the current indentation; a blank line written before it
  in the source is kept (several become one),
- `line`: starts a new line, never after a blank line (a closing `}`),
- `space` / `tight`: continues the line after a space / directly.

Comments keep their place: a comment that followed a token on the same line stays at
the end of that token's line; a comment on a line of its own stays on a line of its own
before the token that followed it (with the blank line before it, if there was one).
When a comment ends a line in the middle of a construct, the construct goes on in the
next line, indented one level more.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from .tokens import Comment

INDENT = "    "

Layout = str  # "item" | "line" | "space" | "tight"


class Writer:
    def __init__(self, source: str, comments: list[Comment]) -> None:
        self.source = source
        self.comments = comments
        self.starts = [comment.start for comment in comments]
        self.next_comment = 0
        self.lines: list[str] = []
        self.line = ""  # the line being written ("" only before anything is written)
        self.indent = 0
        self.last_end = 0  # source offset after the last token or comment written
        self.started = False
        self.after_open = False  # the last thing written is an opening `{`
        self.break_pending = False  # a comment ended the current line

    # ------------------------------------------------------------------ queries
    def column(self) -> int:
        """Width of the current output line so far."""
        return len(self.line) - (self.line.rfind("\n") + 1)

    def has_comment_between(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        return index < len(self.starts) and self.starts[index] < end

    def blank_between(self, end: int, start: int) -> bool:
        """Whether the source holds a blank line between offsets `end` and `start`."""
        return self.source.count("\n", end, start) >= 2

    # ------------------------------------------------------------------ writing
    def token(
        self,
        text: str,
        start: int,
        end: int,
        layout: Layout,
        reflow: Callable[[str, str], str] | None = None,
    ) -> None:
        """Write one token. `reflow(text, margin)` re-indents a multi-line token."""
        self.flush_comments(start, layout)
        if layout in ("item", "line") or not self.started:
            blank = layout == "item" and self._blank_before(start)
            self._new_line(self.indent, blank)
        elif self.break_pending:
            self._new_line(self.indent + 1, False)
        elif layout == "space":
            self.line += " "
        if reflow is not None:
            margin = self.line[self.line.rfind("\n") + 1 :]
            margin = margin[: len(margin) - len(margin.lstrip(" "))]
            text = reflow(text, margin)
        self.line += text
        self.break_pending = False
        self.after_open = text == "{"
        self.last_end = end
        self.started = True

    def flush_comments(self, before: int, layout: Layout) -> None:
        """Write every comment that starts before offset `before`."""
        while self.next_comment < len(self.comments):
            comment = self.comments[self.next_comment]
            if comment.start >= before:
                return
            self.next_comment += 1
            trailing = self.started and "\n" not in self.source[self.last_end : comment.start]
            if trailing:
                self.line += "  " + comment.text
            else:
                inside = layout in ("space", "tight") and self.started
                blank = self._blank_before(comment.start)
                self._new_line(self.indent + (1 if inside else 0), blank)
                self.line += comment.text
            self.break_pending = True
            self.after_open = False
            self.last_end = comment.end
            self.started = True

    def text(self) -> str:
        self.flush_comments(len(self.source) + 1, "item")
        lines = [*self.lines, self.line] if self.started else []
        return "\n".join(lines) + "\n" if lines else ""

    # ------------------------------------------------------------------ helpers
    def _blank_before(self, start: int) -> bool:
        if not self.started or self.after_open:
            return False
        return self.source.count("\n", self.last_end, start) >= 2

    def _new_line(self, indent: int, blank: bool) -> None:
        if self.started:
            self.lines.append(self.line)
            if blank:
                self.lines.append("")
        self.line = INDENT * indent

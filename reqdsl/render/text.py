"""The text rendering of diagnostics (spec section 5): one block per diagnostic, then a summary.

Each block is `path:line:col: severity[CODE] message`, the source line and a caret line
under the span, then the hint, the related locations and the fixes. Tabs in the source
line are expanded to tab stops, and the caret line is laid out with the same stops so the
caret stays under the span. Columns count Unicode code points; East Asian wide characters
are taken as one column wide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence

from ..diagnostics import Diagnostic, Severity, Summary
from ..i18n import N_, _, format_percent, plural
from ..model.config_schema import COVERAGE_KEYS
from ..source import SourceFile, Span
from ..util.batches import batches
from ..util.unicode import BIDI_CONTROLS

TAB_SIZE = 4


_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}


def use_color(stream: object) -> bool:
    """Whether to colour output written to `stream`.

    `NO_COLOR` set to a non-empty value turns colour off (no-color.org) and wins over
    everything else, as in CPython; otherwise `FORCE_COLOR` set to a non-empty value turns
    it on; otherwise colour is used only when the stream is a terminal.
    """
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _isatty(stream)


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


def render_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, SourceFile],
    summary: Summary,
    *,
    color: bool,
) -> str:
    """The whole text report, ending with a newline."""
    return "".join(text_report_pieces(diagnostics, sources, summary, color=color))


def text_report_pieces(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, SourceFile],
    summary: Summary,
    *,
    color: bool,
) -> Iterator[str]:
    """`render_text`'s text a batch of diagnostics at a time (reqdsl.util.batches), for a
    writer that writes each as it comes (the whole report of 170,000 diagnostics is over
    50 MB)."""
    style = _Style(color)
    for batch in batches(diagnostics):
        yield "".join("\n".join(_diagnostic_lines(d, sources, style)) + "\n\n" for d in batch)
    yield "\n".join(summary_lines(summary)) + "\n"


def summary_lines(summary: Summary) -> list[str]:
    """`3 files, 42 elements: 1 error, 2 warnings, 0 infos`, then how many findings a
    syntax error withholds and the coverage line, if any."""
    counts = ", ".join(
        (
            plural("{n} error", "{n} errors", summary.errors),
            plural("{n} warning", "{n} warnings", summary.warnings),
            plural("{n} info", "{n} infos", summary.infos),
        )
    )
    files = plural("{n} file", "{n} files", summary.files)
    elements = plural("{n} element", "{n} elements", summary.elements)
    lines = [
        _("{files}, {elements}: {counts}").format(files=files, elements=elements, counts=counts)
    ]
    if summary.withheld:
        lines.append(
            plural(
                "{n} finding withheld until the syntax errors are fixed",
                "{n} findings withheld until the syntax errors are fixed",
                summary.withheld,
            )
        )
    if summary.coverage:
        lines.append(coverage_line(summary.coverage))
    return lines


def coverage_line(coverage: Mapping[str, float | None]) -> str:
    """`coverage: verification 80.0%, mitigation n/a, ...`: the known figures in spec
    order, then any others; a figure over nothing is `n/a`, never 100 %."""
    keys = [key for key in COVERAGE_KEYS if key in coverage]
    keys += [key for key in coverage if key not in COVERAGE_KEYS]
    figures = ", ".join(f"{_(COVERAGE_NAMES[key]) if key in COVERAGE_NAMES else key} "
                        f"{_figure(coverage[key])}" for key in keys)  # fmt: skip
    return _("coverage: {figures}").format(figures=figures)


# The coverage figures' names as the reports and the site show them (their keys in JSON
# and reqdsl.toml never change).
COVERAGE_NAMES = {
    "verification": N_("verification"),
    "derivation": N_("derivation"),
    "satisfaction": N_("satisfaction"),
    "mitigation": N_("mitigation"),
    "evidence": N_("evidence"),
}


def _figure(value: float | None) -> str:
    return _("n/a (nothing to measure)") if value is None else format_percent(value)


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def wrap(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled else text

    def bold(self, text: str) -> str:
        return self.wrap(text, _BOLD)

    def severity(self, text: str, severity: Severity) -> str:
        return self.wrap(text, _SEVERITY_STYLE[severity])


# Terminal control characters in user text (an ESC in a title, a bidi override in a
# statement) must never reach the terminal: each becomes one visible character, so the
# caret under a source line stays aligned. C0 controls map to the Control Pictures block.
_CONTROL = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_CONTROL[0x7F] = 0x2421
_CONTROL.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_CONTROL.update(dict.fromkeys(BIDI_CONTROLS, 0xFFFD))


def printable(text: str) -> str:
    """`text` with every terminal control character made visible and inert. (Every
    character mapped is one `str.isprintable` refuses, so printable text is returned as
    it is without the slower translation; a tab, not printable, is left by both.)"""
    return text if text.isprintable() else text.translate(_CONTROL)


def _location(path: str, span: Span) -> str:
    return f"{printable(path)}:{span.line}:{span.column}:"


def _diagnostic_lines(
    diagnostic: Diagnostic, sources: Mapping[str, SourceFile], style: _Style
) -> list[str]:
    label = f"{diagnostic.severity.value}[{diagnostic.code}]"
    lines = [
        f"{style.bold(_location(diagnostic.path, diagnostic.span))} "
        f"{style.severity(label, diagnostic.severity)} {printable(diagnostic.message)}"
    ]
    source = sources.get(diagnostic.path)
    if source is not None:
        excerpt = excerpt_lines(printable(source.line_text(diagnostic.span.line)), diagnostic.span)
        if excerpt:
            text, caret = excerpt
            lines += [text, style.severity(caret, diagnostic.severity)]
    if diagnostic.hint:
        lines.append(f"  = {style.bold('hint')}: {printable(diagnostic.hint)}")
    for related in diagnostic.related:
        location = _location(related.path, related.span)
        lines.append(f"  {style.bold('note')}: {location} {printable(related.message)}")
    for fix in diagnostic.fixes:
        lines.append(f"  = {style.bold('fix')}: {printable(fix.description)}")
    return lines


def excerpt_lines(line: str, span: Span) -> tuple[str, str] | None:
    """The source line with tabs expanded and the caret line under `span`, or None if empty.

    On the span's own line the caret runs to `end_column`; a span that ends on a later
    line is underlined to the end of its first line. At least one `^` is always drawn.
    """
    if not line:
        return None
    expanded = line.expandtabs(TAB_SIZE)
    start = _display_column(line, span.column)
    last = span.end_column if span.end_line == span.line else len(line) + 1
    end = _display_column(line, last)
    width = max(1, end - start)
    caret = " " * start + "^" + "~" * (width - 1)
    return expanded, caret


def _display_column(line: str, column: int) -> int:
    """The 0-based display offset of 1-based code-point `column`, tabs expanded as `expandtabs`.

    Columns past the end of the line count one display cell each.
    """
    index = max(column, 1) - 1
    prefix = line[:index]
    return len(prefix.expandtabs(TAB_SIZE)) + max(0, index - len(line))

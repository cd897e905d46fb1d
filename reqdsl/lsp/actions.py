"""Quick fixes: each candidate of a "did you mean `X`?" hint, and the fixes that rules
attach to their diagnostics (reqdsl.diagnostics.Fix)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic

_DID_YOU_MEAN = re.compile(r"did you mean ((?:`[^`]+`(?:,? or |, )?)+)\?")
_CANDIDATE = re.compile(r"`([^`]+)`")


def candidates(hint: str | None) -> list[str]:
    """The suggestions of a "did you mean `A` or `B`?" hint, in order."""
    if not hint:
        return []
    match = _DID_YOU_MEAN.search(hint)
    return _CANDIDATE.findall(match.group(1)) if match else []


def replacement(candidate: str, written: str) -> str:
    """Keep the quotes when the value was written as a string."""
    if written.startswith('"') and not candidate.startswith('"'):
        return f'"{candidate}"'
    return candidate


def quick_fixes(diagnostic: Diagnostic, text: str) -> list[tuple[str, int, int, str]]:
    """(title, start, end, new text) for each fix of a diagnostic on `text`."""
    fixes: list[tuple[str, int, int, str]] = []
    span = diagnostic.span
    written = text[span.start : span.end]
    for candidate in candidates(diagnostic.hint):
        new = replacement(candidate, written)
        if new != written:
            fixes.append((f"Replace `{written}` with `{new}`", span.start, span.end, new))
    for fix in diagnostic.fixes:
        if fix.path == diagnostic.path:
            fixes.append((fix.description[:1].upper() + fix.description[1:],
                          fix.span.start, fix.span.end, fix.replacement))  # fmt: skip
    return fixes

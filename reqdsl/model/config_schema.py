"""The shape of reqdsl.toml, written once: which tables and keys exist, and where a key is
written in the file (line and column), so that a misspelt table or key is reported where
it stands, with the closest known name, instead of being silently ignored.

`tomllib` gives values without positions; `locate` finds a dotted key in the text with a
line scanner that knows TOML's headers (`[a.b]`, `[[a]]`), dotted and quoted keys and
one-line inline tables, which is all a reqdsl.toml needs. Its patterns have no nested
quantifiers: linear in the file's length, whatever the file holds.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ..i18n import N_

# The four figures of the language reference (section 4), then reqdsl's `evidence`: of the
# requirements automated tests verify, those whose automated tests all passed in the
# JUnit reports (docs/language.md, extensions).
COVERAGE_KEYS = ("verification", "derivation", "satisfaction", "mitigation", "evidence")

# The parties a GDPR record names (Art. 30(1)(a) and 30(2)(a)), each a name and contact.
PARTIES = ("controller", "representative", "dpo", "processor")
PARTY_KEYS = ("name", "contact")

# None: a value (any type; load_config checks types). A dict: a table with these keys.
# FREE: a table whose keys are the user's (element kinds, field names, schemes, codes).
FREE: dict[str, Any] = {}
SCHEMA: dict[str, Any] = {
    "project": {
        "name": None,
        "version": None,
        "sources": None,
        "documents": None,
        "language": None,
    },
    "build": {"site_dir": None},
    "diagrams": {"traceability_limit": None},
    "checks": {
        "disable": None,
        "severity": FREE,
        "vague_terms": {"add": None, "remove": None},
        "coverage": {key: None for key in COVERAGE_KEYS},
    },
    "tests": {"junit": None},
    "fields": FREE,
    "catalogs": FREE,
    "compliance": {
        "iso27001": {"excluded": FREE},
        # docs/compliance.md, "Who keeps the record": Art. 30(1)(a) and 30(2)(a) parties,
        # the data-subject rights that do not apply (Art. 15 to 22), the DPIA outcome.
        "gdpr": {
            "role": None,
            **{party: dict.fromkeys(PARTY_KEYS) for party in PARTIES},
            "joint-controllers": None,
            "not-applicable": FREE,
            "dpia": {"outcome": None, "reference": None, "justification": None},
        },
    },
}
# Tables a project may not set: read only from the user's own configuration.
USER_ONLY = {
    "render": N_(
        "a project never chooses the programs reqdsl runs; set `[render]` in your own "
        "~/.config/reqdsl/config.toml"
    )
}


@dataclass(frozen=True)
class UnknownKey:
    path: tuple[str, ...]  # the dotted key as written, e.g. ("check",) or ("checks", "coverag")
    suggestion: str | None  # the closest known name at that level
    reason: str | None = None  # why a known name is refused (USER_ONLY)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def unknown_keys(data: dict[str, Any]) -> list[UnknownKey]:
    """Every table or key of `data` (parsed reqdsl.toml) that SCHEMA does not know."""
    found: list[UnknownKey] = []

    def walk(table: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...]) -> None:
        if schema is FREE:
            return
        for key, value in table.items():
            here = (*path, key)
            if not path and key in USER_ONLY:
                found.append(UnknownKey(here, None, USER_ONLY[key]))
                continue
            if key not in schema:
                close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
                found.append(UnknownKey(here, close[0] if close else None))
                continue
            sub = schema[key]
            if isinstance(sub, dict) and isinstance(value, dict):
                walk(value, sub, here)

    walk(data, SCHEMA, ())
    return found


_KEY = r'(?:[A-Za-z0-9_-]+|"[^"\n]*"|\'[^\'\n]*\')'
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_HEADER = re.compile(rf"[ \t]*\[\[?[ \t]*({_DOTTED})[ \t]*\]\]?")
_ASSIGN = re.compile(rf"[ \t]*({_DOTTED})[ \t]*=")
_INLINE_KEY = re.compile(rf"[{{,][ \t]*({_DOTTED})[ \t]*=")
_PART = re.compile(_KEY)


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


@dataclass(frozen=True)
class Place:
    line: int  # from 1
    column: int  # from 1, in code points
    length: int


def locate(text: str, path: tuple[str, ...]) -> Place | None:
    """Where the key `path` is written in `text` (the key itself, or for a table its
    header), or where its longest written prefix is; None when nothing of it is written."""
    best: tuple[int, Place] | None = None
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), 1):
        header = _HEADER.match(line)
        if header is not None and not _ASSIGN.match(line):
            table = _parts(header.group(1))
            best = _better(
                best, table, path, Place(number, header.start(1) + 1, len(header.group(1)))
            )
            continue
        assign = _ASSIGN.match(line)
        if assign is None:
            continue
        key = (*table, *_parts(assign.group(1)))
        best = _better(best, key, path, Place(number, assign.start(1) + 1, len(assign.group(1))))
        rest_start = assign.end()
        rest = line[rest_start:]
        brace = rest.find("{")
        if brace < 0:
            continue
        for inner in _INLINE_KEY.finditer(rest, brace):
            inner_key = (*key, *_parts(inner.group(1)))
            column = rest_start + inner.start(1) + 1
            best = _better(best, inner_key, path, Place(number, column, len(inner.group(1))))
    return best[1] if best is not None else None


def _better(
    best: tuple[int, Place] | None, key: tuple[str, ...], path: tuple[str, ...], place: Place
) -> tuple[int, Place] | None:
    """Keep the place whose key is the longest prefix of `path` (the first such)."""
    if key != path[: len(key)]:
        return best
    if best is None or len(key) > best[0]:
        return (len(key), place)
    return best

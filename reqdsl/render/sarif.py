"""The SARIF 2.1.0 rendering of diagnostics (`reqdsl check --format sarif`).

One run, with the rule table built from `RuleInfo` (plus a minimal entry for any code a
diagnostic uses that the table lacks). Regions use the diagnostics' 1-based lines and
columns as they are: the run declares `columnKind: unicodeCodePoints`, and `endColumn`
is exclusive in both SARIF and `Span`. Each result carries a partial fingerprint built
from its code, path and message (not its line), so code-scanning services can follow a
result when lines move; equal triples in one run are told apart by a `:N` suffix in
report order, as GitHub does for its own line hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from urllib.parse import quote

from ..diagnostics import Diagnostic, Fix, Related, RuleInfo, Severity
from ..source import Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "reqdsl"
INFORMATION_URI = "https://github.com/reqdsl/reqdsl"
ROOT_BASE_ID = "PROJECTROOT"
FINGERPRINT_KEY = "reqdsl/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, object]


def sarif_level(severity: Severity) -> str:
    return _LEVELS[severity]


def render_sarif(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[RuleInfo],
    *,
    tool_version: str,
    root_uri: str | None,
) -> str:
    """A SARIF 2.1.0 log with one run, indented by 2, ending with a newline."""
    base_id = ROOT_BASE_ID if root_uri is not None else None
    table = _RuleTable(rules)
    fingerprints = _Fingerprints()
    results = [
        _result(diagnostic, table.index(diagnostic), fingerprints, base_id)
        for diagnostic in diagnostics
    ]
    run: Json = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": table.descriptors,
            }
        },
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {ROOT_BASE_ID: {"uri": _directory_uri(root_uri)}}
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = results
    log: Json = {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


class _RuleTable:
    """`tool.driver.rules` and the index of each code in it (the first entry wins)."""

    def __init__(self, rules: Sequence[RuleInfo]) -> None:
        self.descriptors: list[Json] = []
        self._index: dict[str, int] = {}
        for rule in rules:
            if rule.code not in self._index:
                self._add(rule.code, _rule_descriptor(rule))

    def index(self, diagnostic: Diagnostic) -> int:
        if diagnostic.code not in self._index:
            self._add(diagnostic.code, _minimal_descriptor(diagnostic))
        return self._index[diagnostic.code]

    def _add(self, code: str, descriptor: Json) -> None:
        self._index[code] = len(self.descriptors)
        self.descriptors.append(descriptor)


def _rule_descriptor(rule: RuleInfo) -> Json:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description or rule.summary},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
    }


def _minimal_descriptor(diagnostic: Diagnostic) -> Json:
    return {
        "id": diagnostic.code,
        "shortDescription": {"text": diagnostic.code},
        "defaultConfiguration": {"level": sarif_level(diagnostic.severity)},
    }


class _Fingerprints:
    """Stable hashes of (code, path, message), numbered when the same triple recurs."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def next(self, diagnostic: Diagnostic) -> str:
        digest = fingerprint(diagnostic)
        count = self._seen.get(digest, 0) + 1
        self._seen[digest] = count
        return f"{digest}:{count}"


def fingerprint(diagnostic: Diagnostic) -> str:
    key = "\0".join((diagnostic.code, diagnostic.path, diagnostic.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(
    diagnostic: Diagnostic, rule_index: int, fingerprints: _Fingerprints, base_id: str | None
) -> Json:
    result: Json = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": sarif_level(diagnostic.severity),
        "message": {"text": _message_text(diagnostic)},
        "locations": [
            {"physicalLocation": _physical_location(diagnostic.path, diagnostic.span, base_id)}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprints.next(diagnostic)},
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            _related_location(number, related, base_id)
            for number, related in enumerate(diagnostic.related, start=1)
        ]
    if diagnostic.fixes:
        result["fixes"] = [_fix(fix, base_id) for fix in diagnostic.fixes]
    return result


def _message_text(diagnostic: Diagnostic) -> str:
    if not diagnostic.hint:
        return diagnostic.message
    separator = " " if diagnostic.message.endswith((".", "!", "?")) else ". "
    return f"{diagnostic.message}{separator}{diagnostic.hint}"


def _related_location(number: int, related: Related, base_id: str | None) -> Json:
    return {
        "id": number,
        "physicalLocation": _physical_location(related.path, related.span, base_id),
        "message": {"text": related.message},
    }


def _fix(fix: Fix, base_id: str | None) -> Json:
    replacement: Json = {"deletedRegion": _region(fix.span)}
    if fix.replacement:
        replacement["insertedContent"] = {"text": fix.replacement}
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {
                "artifactLocation": _artifact_location(fix.path, base_id),
                "replacements": [replacement],
            }
        ],
    }


def _physical_location(path: str, span: Span, base_id: str | None) -> Json:
    return {"artifactLocation": _artifact_location(path, base_id), "region": _region(span)}


def _artifact_location(path: str, base_id: str | None) -> Json:
    location: Json = {"uri": path_uri(path)}
    if base_id is not None:
        location["uriBaseId"] = base_id
    return location


def _region(span: Span) -> Json:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def path_uri(path: str) -> str:
    """A relative URI reference for a project path (`/` separators; spaces etc. escaped)."""
    return quote(path, safe="/")


def _directory_uri(uri: str) -> str:
    return uri if uri.endswith("/") else uri + "/"

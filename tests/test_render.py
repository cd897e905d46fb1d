"""The text, JSON and SARIF renderings of diagnostics."""

from __future__ import annotations

import io
import json
import re

import pytest

from reqdsl.diagnostics import Diagnostic, Fix, Related, RuleInfo, Severity, Summary
from reqdsl.render import render_json, render_sarif, render_text, use_color
from reqdsl.render.text import TAB_SIZE
from reqdsl.source import SourceFile, Span

TEXT = (
    'requirement SRS-1 "Réservation" {\n'
    '\tstatement: "Le début\tshall be fast"\n'
    "\tverification: test\n"
    "}\n"
)
SOURCE = SourceFile("docs/srs.req", TEXT)
SOURCES = {SOURCE.relpath: SOURCE}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def span_of(needle: str, source: SourceFile = SOURCE, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = source.text.index(needle, start + 1)
    return source.span(start, start + len(needle))


def diag(
    needle: str = "fast",
    *,
    code: str = "QU001",
    severity: Severity = Severity.WARNING,
    message: str = "vague term 'fast'",
    path: str = "docs/srs.req",
    hint: str | None = None,
    related: list[Related] | None = None,
    fixes: list[Fix] | None = None,
) -> Diagnostic:
    return Diagnostic(
        code, severity, message, path, span_of(needle), hint, related or [], fixes or []
    )


def summary(
    files: int = 0,
    elements: int = 0,
    errors: int = 0,
    warnings: int = 0,
    infos: int = 0,
    coverage: dict[str, float] | None = None,
) -> Summary:
    return Summary(files, elements, errors, warnings, infos, coverage)


def excerpt(rendered: str) -> tuple[str, str]:
    """The source line and caret line that follow the first header line."""
    lines = rendered.splitlines()
    return lines[1], lines[2]


def underlined(source_line: str, caret_line: str) -> str:
    start = caret_line.index("^")
    return source_line[start : len(caret_line)]


# --- text --------------------------------------------------------------------------------


def test_header_line_uses_code_point_columns() -> None:
    rendered = render_text([diag()], SOURCES, summary(), color=False)
    span = span_of("fast")
    assert span.line == 2
    assert span.column == len('\tstatement: "Le début\tshall be ') + 1
    assert (
        rendered.splitlines()[0]
        == f"docs/srs.req:2:{span.column}: warning[QU001] vague term 'fast'"
    )


def test_caret_sits_under_span_after_tab_and_non_ascii() -> None:
    rendered = render_text([diag("fast")], SOURCES, summary(), color=False)
    source_line, caret_line = excerpt(rendered)
    assert "\t" not in source_line
    assert source_line == '\tstatement: "Le début\tshall be fast"'.expandtabs(TAB_SIZE)
    assert caret_line.strip() == "^~~~"
    assert underlined(source_line, caret_line) == "fast"


def test_caret_covers_expanded_tab_inside_span() -> None:
    rendered = render_text([diag("début\tshall")], SOURCES, summary(), color=False)
    source_line, caret_line = excerpt(rendered)
    start = caret_line.index("^")
    assert source_line[start:].startswith("début ")
    assert len(caret_line) == source_line.index("shall") + len("shall")
    assert set(caret_line[start + 1 :]) == {"~"}


def test_caret_at_line_start_with_tab() -> None:
    rendered = render_text([diag("verification")], SOURCES, summary(), color=False)
    source_line, caret_line = excerpt(rendered)
    assert caret_line == " " * TAB_SIZE + "^" + "~" * (len("verification") - 1)
    assert underlined(source_line, caret_line) == "verification"


def test_multi_line_span_is_underlined_to_end_of_first_line() -> None:
    start = TEXT.index("SRS-1")
    span = SOURCE.span(start, TEXT.index("}\n", start) + 1)
    d = Diagnostic("SM005", Severity.ERROR, "required field missing", "docs/srs.req", span)
    source_line, caret_line = excerpt(render_text([d], SOURCES, summary(), color=False))
    assert source_line == 'requirement SRS-1 "Réservation" {'
    assert underlined(source_line, caret_line) == 'SRS-1 "Réservation" {'


def test_empty_span_and_span_at_end_of_line_draw_one_caret() -> None:
    end_of_line = TEXT.index("\n")
    empty = Diagnostic("SY001", Severity.ERROR, "expected '}'", "docs/srs.req", SOURCE.span(5, 5))
    at_end = Diagnostic(
        "SY001",
        Severity.ERROR,
        "expected '}'",
        "docs/srs.req",
        SOURCE.span(end_of_line, end_of_line),
    )
    _, caret = excerpt(render_text([empty], SOURCES, summary(), color=False))
    assert caret == " " * 5 + "^"
    source_line, caret = excerpt(render_text([at_end], SOURCES, summary(), color=False))
    assert caret == " " * len(source_line) + "^"


def test_no_excerpt_without_source_or_for_empty_line() -> None:
    missing = diag(path="other.req")
    blank_source = SourceFile("blank.req", "\n\nx\n")
    blank = Diagnostic("SY001", Severity.ERROR, "oops", "blank.req", blank_source.span(0, 0))
    rendered = render_text(
        [missing, blank], {**SOURCES, "blank.req": blank_source}, summary(), color=False
    )
    assert rendered.split("\n\n")[:2] == [
        f"other.req:2:{missing.column}: warning[QU001] vague term 'fast'",
        "blank.req:1:1: error[SY001] oops",
    ]


def test_hint_related_and_fixes_follow_the_excerpt() -> None:
    first = span_of("verification")
    d = diag(
        "SRS-1",
        code="SM001",
        severity=Severity.ERROR,
        message="duplicate id 'SRS-1'",
        hint="rename one of them",
        related=[Related("first defined here", "docs/a.req", first)],
        fixes=[Fix("rename to SRS-2", "docs/srs.req", span_of("SRS-1"), "SRS-2")],
    )
    lines = render_text([d], SOURCES, summary(), color=False).splitlines()
    assert lines[0] == "docs/srs.req:1:13: error[SM001] duplicate id 'SRS-1'"
    assert lines[3:6] == [
        "  = hint: rename one of them",
        "  note: docs/a.req:3:2: first defined here",
        "  = fix: rename to SRS-2",
    ]


def test_blank_line_between_diagnostics_and_before_summary() -> None:
    d1 = diag("fast")
    d2 = diag("Le", code="QU002", message="no shall")
    rendered = render_text([d1, d2], SOURCES, summary(files=1, elements=1, warnings=2), color=False)
    blocks = rendered.split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].startswith("docs/srs.req:2:")
    assert blocks[1].startswith("docs/srs.req:2:")
    assert blocks[2] == "1 file, 1 element: 0 errors, 2 warnings, 0 infos\n"
    assert rendered.endswith("infos\n")


def test_summary_alone_when_no_diagnostics() -> None:
    rendered = render_text(
        [], {}, summary(files=3, elements=42, errors=1, warnings=2, infos=0), color=False
    )
    assert rendered == "3 files, 42 elements: 1 error, 2 warnings, 0 infos\n"
    single = render_text([], {}, summary(files=1, elements=1, infos=1), color=False)
    assert single == "1 file, 1 element: 0 errors, 0 warnings, 1 info\n"


def test_coverage_line_in_spec_order_with_present_keys_only() -> None:
    coverage = {"mitigation": 50, "verification": 80, "derivation": 100.0}
    rendered = render_text([], {}, summary(files=1, elements=2, coverage=coverage), color=False)
    assert rendered.splitlines() == [
        "1 file, 2 elements: 0 errors, 0 warnings, 0 infos",
        "coverage: verification 80.0%, derivation 100.0%, mitigation 50.0%",
    ]


def test_color_only_when_asked() -> None:
    diagnostics = [
        diag("fast", hint="say how fast"),
        diag("SRS-1", code="SM001", severity=Severity.ERROR, message="dup"),
        diag("Le", code="QU005", severity=Severity.INFO, message="not ears"),
    ]
    plain = render_text(diagnostics, SOURCES, summary(), color=False)
    coloured = render_text(diagnostics, SOURCES, summary(), color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31merror[SM001]\x1b[0m" in coloured
    assert "\x1b[33mwarning[QU001]\x1b[0m" in coloured
    assert "\x1b[36minfo[QU005]\x1b[0m" in coloured
    assert coloured.startswith("\x1b[1mdocs/srs.req:2:")
    assert ANSI.sub("", coloured) == plain


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return monkeypatch


def test_use_color_follows_the_tty(clean_env: pytest.MonkeyPatch) -> None:
    assert use_color(FakeStream(tty=True)) is True
    assert use_color(FakeStream(tty=False)) is False
    assert use_color(object()) is False
    closed = io.StringIO()
    closed.close()
    assert use_color(closed) is False


def test_no_color_disables_colour_on_a_tty(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NO_COLOR", "1")
    assert use_color(FakeStream(tty=True)) is False
    clean_env.setenv("NO_COLOR", "")
    assert use_color(FakeStream(tty=True)) is True


def test_force_color(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FORCE_COLOR", "1")
    assert use_color(FakeStream(tty=False)) is True
    clean_env.setenv("FORCE_COLOR", "")
    assert use_color(FakeStream(tty=False)) is False
    clean_env.setenv("FORCE_COLOR", "1")
    clean_env.setenv("NO_COLOR", "1")
    assert use_color(FakeStream(tty=True)) is False


# --- JSON --------------------------------------------------------------------------------

SPEC_DIAGNOSTIC_KEYS = {
    "code": str,
    "severity": str,
    "message": str,
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
}
SPEC_SUMMARY_KEYS = ["files", "elements", "errors", "warnings", "infos"]


def test_json_shape_matches_the_spec() -> None:
    d = diag("début", code="SM002", severity=Severity.ERROR, message="unknown id 'début'")
    rendered = render_json([d], Summary.count([d], files=3, elements=42))
    assert rendered.endswith("}\n")
    assert rendered.startswith('{\n  "diagnostics": [')
    assert "début" in rendered  # not escaped
    report = json.loads(rendered)
    assert list(report) == ["diagnostics", "summary"]
    (item,) = report["diagnostics"]
    assert list(item) == list(SPEC_DIAGNOSTIC_KEYS)
    for key, kind in SPEC_DIAGNOSTIC_KEYS.items():
        assert type(item[key]) is kind, key
    assert item["severity"] == "error"
    assert (item["line"], item["column"]) == (d.line, d.column)
    assert item["end_column"] - item["column"] == len("début")
    assert list(report["summary"]) == SPEC_SUMMARY_KEYS
    assert report["summary"] == {
        "files": 3,
        "elements": 42,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
    }
    assert all(type(value) is int for value in report["summary"].values())


def test_json_optional_parts_and_empty_report() -> None:
    d = diag(
        hint="state a bound",
        related=[Related("see", "docs/srs.req", span_of("SRS-1"))],
        fixes=[Fix("drop it", "docs/srs.req", span_of("fast"), "")],
    )
    report = json.loads(render_json([d], summary(coverage={"verification": 80.0})))
    item = report["diagnostics"][0]
    assert list(item)[len(SPEC_DIAGNOSTIC_KEYS) :] == ["hint", "related", "fixes"]
    assert report["summary"]["coverage"] == {"verification": 80.0}
    empty = json.loads(render_json([], summary()))
    assert empty == {"diagnostics": [], "summary": dict.fromkeys(SPEC_SUMMARY_KEYS, 0)}


# --- SARIF -------------------------------------------------------------------------------

RULES = [
    RuleInfo("QU001", "quality.vague-term", Severity.WARNING, "vague term", "a longer text"),
    RuleInfo("SM001", "semantic.duplicate-id", Severity.ERROR, "duplicate id"),
    RuleInfo("QU005", "quality.not-ears", Severity.INFO, "not ears"),
]
SARIF_LEVELS = {"none", "note", "warning", "error"}


def check_region(region: dict[str, object]) -> None:
    assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
    for value in region.values():
        assert type(value) is int and value >= 1
    assert region["endLine"] >= region["startLine"]  # type: ignore[operator]
    if region["endLine"] == region["startLine"]:
        assert region["endColumn"] >= region["startColumn"]  # type: ignore[operator]


def check_physical_location(location: dict[str, object], base_id: str | None) -> None:
    artifact = location["artifactLocation"]
    assert isinstance(artifact, dict)
    assert isinstance(artifact["uri"], str) and not artifact["uri"].startswith("/")
    assert artifact.get("uriBaseId") == base_id
    check_region(location["region"])  # type: ignore[arg-type]


def check_sarif(log: dict, base_id: str | None = None) -> None:
    """The parts of SARIF 2.1.0 we emit, with the spec's required keys and value sets."""
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "reqdsl" and isinstance(driver["version"], str)
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert isinstance(rule["shortDescription"]["text"], str)
        assert rule["defaultConfiguration"]["level"] in SARIF_LEVELS
    assert run["columnKind"] == "unicodeCodePoints"
    for result in run["results"]:
        assert result["level"] in SARIF_LEVELS
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        check_physical_location(result["locations"][0]["physicalLocation"], base_id)
        for related in result.get("relatedLocations", []):
            assert type(related["id"]) is int and related["id"] >= 0
            check_physical_location(related["physicalLocation"], base_id)
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                assert change["replacements"]
                for replacement in change["replacements"]:
                    check_region(replacement["deletedRegion"])
        assert all(isinstance(v, str) for v in result["partialFingerprints"].values())


def sarif(
    diagnostics: list[Diagnostic], root_uri: str | None = None, rules: list[RuleInfo] = RULES
) -> dict:
    rendered = render_sarif(diagnostics, rules, tool_version="0.1.0", root_uri=root_uri)
    assert rendered.endswith("}\n")
    assert rendered.startswith('{\n  "$schema"')
    return json.loads(rendered)


def test_sarif_results_rules_and_levels() -> None:
    diagnostics = [
        diag("fast"),
        diag("SRS-1", code="SM001", severity=Severity.ERROR, message="dup"),
        diag("Le", code="QU005", severity=Severity.INFO, message="not ears"),
    ]
    log = sarif(diagnostics)
    check_sarif(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert rules[0] == {
        "id": "QU001",
        "name": "quality.vague-term",
        "shortDescription": {"text": "vague term"},
        "fullDescription": {"text": "a longer text"},
        "defaultConfiguration": {"level": "warning"},
    }
    assert rules[1]["fullDescription"] == {"text": "duplicate id"}
    assert rules[2]["defaultConfiguration"] == {"level": "note"}
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in run["results"]] == [
        ("QU001", 0, "warning"),
        ("SM001", 1, "error"),
        ("QU005", 2, "note"),
    ]
    first = run["results"][0]
    assert first["message"] == {"text": "vague term 'fast'"}
    span = span_of("fast")
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "docs/srs.req"},
        "region": {
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        },
    }
    assert "originalUriBaseIds" not in run


def test_sarif_unknown_code_gets_a_minimal_rule() -> None:
    d = diag(code="XX999", severity=Severity.ERROR, message="odd")
    log = sarif([d, d])
    check_sarif(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(RULES) + 1
    assert rules[-1]["id"] == "XX999"
    assert rules[-1]["defaultConfiguration"] == {"level": "error"}
    assert [r["ruleIndex"] for r in log["runs"][0]["results"]] == [len(RULES)] * 2


def test_sarif_root_uri_related_fixes_and_hint() -> None:
    d = diag(
        "SRS-1",
        code="SM001",
        severity=Severity.ERROR,
        message="duplicate id 'SRS-1'",
        hint="rename one of them",
        related=[Related("first defined here", "docs/a.req", span_of("verification"))],
        fixes=[
            Fix("rename", "docs/srs.req", span_of("SRS-1"), "SRS-2"),
            Fix("delete", "docs/srs.req", span_of("fast"), ""),
        ],
    )
    log = sarif([d], root_uri="file:///home/me/project")
    check_sarif(log, base_id="PROJECTROOT")
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"PROJECTROOT": {"uri": "file:///home/me/project/"}}
    (result,) = run["results"]
    assert result["message"]["text"] == "duplicate id 'SRS-1'. rename one of them"
    (related,) = result["relatedLocations"]
    assert related["id"] == 1
    assert related["message"] == {"text": "first defined here"}
    assert related["physicalLocation"]["artifactLocation"] == {
        "uri": "docs/a.req",
        "uriBaseId": "PROJECTROOT",
    }
    rename, delete = result["fixes"]
    assert rename["description"] == {"text": "rename"}
    (change,) = rename["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "docs/srs.req", "uriBaseId": "PROJECTROOT"}
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"] == {"text": "SRS-2"}
    assert replacement["deletedRegion"]["startColumn"] == span_of("SRS-1").column
    assert "insertedContent" not in delete["artifactChanges"][0]["replacements"][0]
    root_with_slash = sarif([d], root_uri="file:///home/me/project/")
    assert root_with_slash["runs"][0]["originalUriBaseIds"] == run["originalUriBaseIds"]


def test_sarif_uri_is_escaped_and_text_kept_unicode() -> None:
    d = diag(path="docs/exigences été.req", message="terme « rapide »")
    rendered = render_sarif([d], RULES, tool_version="1.0", root_uri=None)
    assert "terme « rapide »" in rendered
    uri = json.loads(rendered)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "docs/exigences%20%C3%A9t%C3%A9.req"


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    results = sarif(diagnostics)["runs"][0]["results"]
    return [result["partialFingerprints"]["reqdsl/v1"] for result in results]


def test_sarif_fingerprints_are_stable_and_ignore_lines() -> None:
    here = diag("fast")
    moved = Diagnostic(here.code, here.severity, here.message, here.path, span_of("SRS-1"))
    other = diag("fast", message="vague term 'quick'")
    assert fingerprints([here]) == fingerprints([here]) == fingerprints([moved])
    assert fingerprints([other]) != fingerprints([here])
    first, second = fingerprints([here, moved])
    assert first.endswith(":1") and second.endswith(":2")
    assert first.rsplit(":", 1)[0] == second.rsplit(":", 1)[0]


SARIF_SUBSET_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "text": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}},
        },
        "level": {"enum": ["none", "note", "warning", "error"]},
        "region": {
            "type": "object",
            "required": ["startLine"],
            "properties": {
                "startLine": {"type": "integer", "minimum": 1},
                "startColumn": {"type": "integer", "minimum": 1},
                "endLine": {"type": "integer", "minimum": 1},
                "endColumn": {"type": "integer", "minimum": 1},
            },
        },
        "artifactLocation": {
            "type": "object",
            "required": ["uri"],
            "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}},
        },
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation", "region"],
            "properties": {
                "artifactLocation": {"$ref": "#/$defs/artifactLocation"},
                "region": {"$ref": "#/$defs/region"},
            },
        },
        "rule": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/$defs/text"},
                "fullDescription": {"$ref": "#/$defs/text"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {"level": {"$ref": "#/$defs/level"}},
                },
            },
        },
        "fix": {
            "type": "object",
            "required": ["artifactChanges"],
            "properties": {
                "description": {"$ref": "#/$defs/text"},
                "artifactChanges": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["artifactLocation", "replacements"],
                        "properties": {
                            "artifactLocation": {"$ref": "#/$defs/artifactLocation"},
                            "replacements": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["deletedRegion"],
                                    "properties": {
                                        "deletedRegion": {"$ref": "#/$defs/region"},
                                        "insertedContent": {"$ref": "#/$defs/text"},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"$ref": "#/$defs/level"},
                "message": {"$ref": "#/$defs/text"},
                "locations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"physicalLocation": {"$ref": "#/$defs/physicalLocation"}},
                    },
                },
                "relatedLocations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "physicalLocation", "message"],
                        "properties": {
                            "id": {"type": "integer", "minimum": -1},
                            "physicalLocation": {"$ref": "#/$defs/physicalLocation"},
                            "message": {"$ref": "#/$defs/text"},
                        },
                    },
                },
                "fixes": {"type": "array", "items": {"$ref": "#/$defs/fix"}},
                "partialFingerprints": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
            },
        },
    },
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string"},
                                    "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                                },
                            }
                        },
                    },
                    "originalUriBaseIds": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "properties": {"uri": {"type": "string", "pattern": "/$"}},
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                },
            },
        },
    },
}


def test_sarif_against_subset_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    d = diag(
        "SRS-1",
        code="SM001",
        severity=Severity.ERROR,
        message="dup",
        related=[Related("first", "docs/a.req", span_of("fast"))],
        fixes=[Fix("rename", "docs/srs.req", span_of("SRS-1"), "SRS-2")],
    )
    log = sarif([d, diag(code="ZZ001")], root_uri="file:///p")
    jsonschema.validate(log, SARIF_SUBSET_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        bad = json.loads(json.dumps(log))
        bad["runs"][0]["results"][0]["level"] = "info"
        jsonschema.validate(bad, SARIF_SUBSET_SCHEMA)


def _many(count: int) -> list[Diagnostic]:
    """`count` diagnostics, every third with a hint, related place and fix."""
    found = []
    for n in range(count):
        extra: dict = {}
        if n % 3 == 0:
            extra = {
                "hint": f"hint {n}",
                "related": [Related("see", "docs/srs.req", span_of("SRS-1"))],
                "fixes": [Fix("drop it", "docs/srs.req", span_of("fast"), "")],
            }
        found.append(diag(message=f"vague term {n} é", **extra))
    return found


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2345])
def test_the_reports_written_in_pieces_are_the_reports_made_whole(count: int) -> None:
    """`reqdsl check` writes its JSON and text reports a piece of 1,000 diagnostics at a
    time (a 100,000-requirement report is 50 MB): joined, the pieces are the text the
    reports were made as in one string, across the pieces' boundaries too."""
    from reqdsl.render.json_report import json_report_pieces
    from reqdsl.render.text import _diagnostic_lines, _Style, summary_lines, text_report_pieces

    found = _many(count)
    total = summary(coverage={"verification": 80.0})
    items = [json.dumps(d.to_json(), ensure_ascii=False) for d in found]
    listed = "[\n" + ",\n".join(f"    {item}" for item in items) + "\n  ]" if items else "[]"
    totals = json.dumps(total.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    whole = f'{{\n  "diagnostics": {listed},\n  "summary": {totals}\n}}\n'
    pieces = list(json_report_pieces(found, total))
    assert "".join(pieces) == whole == render_json(found, total)
    assert len(pieces) == (4 + -(-count // 1000) if count else 3)  # head, [, ..., ], tail
    json.loads(whole)
    for color in (False, True):
        style = _Style(color)
        blocks = ["\n".join(_diagnostic_lines(d, SOURCES, style)) for d in found]
        blocks.append("\n".join(summary_lines(total)))
        text = "\n\n".join(blocks) + "\n"
        pieces = list(text_report_pieces(found, SOURCES, total, color=color))
        assert "".join(pieces) == text == render_text(found, SOURCES, total, color=color)
        assert len(pieces) == -(-count // 1000) + 1

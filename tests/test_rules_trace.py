"""Traceability rules (TR001-TR004) and the coverage figures: the case files in
tests/cases/, and the figures themselves (spec section 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reqdsl.checks.registry import run_checks
from reqdsl.model.facts.trace import compute_coverage, percentage, trace_facts
from reqdsl.model.project import load_project

from .conftest import SHARED
from .expect_cases import CASES, case_ids, cases, check_case, make_project


@pytest.mark.parametrize("case", cases("TR"), ids=case_ids)
def test_case(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path)


@pytest.mark.parametrize(
    ("covered", "total", "figure"),
    [(0, 0, None), (1, 2, 50.0), (2, 3, 66.7), (1, 3, 33.3), (1, 16, 6.3), (3, 16, 18.8),
     (0, 5, 0.0), (999, 1000, 99.9), (9999, 10000, 100.0)],
)  # fmt: skip
def test_percentage_rounds_half_up_to_one_decimal(
    covered: int, total: int, figure: float | None
) -> None:
    assert percentage(covered, total) == figure


def test_coverage_of_an_empty_project(tmp_path: Path) -> None:
    (tmp_path / "d.req").write_text('document D "D" {}\n', encoding="utf-8")
    # 0 of 0 is n/a (None, JSON null), never 100 %.
    assert compute_coverage(load_project(tmp_path, use_cache=False)) == {
        "verification": None,
        "derivation": None,
        "satisfaction": None,
        "mitigation": None,
        "evidence": None,
    }


def test_coverage_figures(tmp_path: Path) -> None:
    project = load_project(make_project(CASES / "TR004", tmp_path), use_cache=False)
    assert compute_coverage(project) == {
        "verification": 50.0,
        "derivation": 50.0,
        "satisfaction": 100.0,
        "mitigation": 50.0,
        "evidence": None,  # no JUnit report read
    }


def test_coverage_counts_links_as_written(tmp_path: Path) -> None:
    # TR001's case: 6 of 8 software/system requirements link upward, one to an unknown
    # ID; the stakeholder requirement and the goal are both linked to.
    project = load_project(make_project(CASES / "TR001", tmp_path), use_cache=False)
    coverage = compute_coverage(project)
    assert coverage["derivation"] == percentage(6, 8)
    assert coverage["satisfaction"] == 100.0


def test_mitigation_needs_a_justification(tmp_path: Path) -> None:
    (tmp_path / "m.req").write_text(
        'document M "M" {}\n'
        'component C "C" { kind: process }\n'
        'threat T-1 "a" { category: spoofing target: C status: accepted justification: "ok" }\n'
        'threat T-2 "b" { category: spoofing target: C status: transferred }\n'
        'threat T-3 "c" { category: spoofing target: C status: not-applicable '
        'justification: " " }\n'
        'threat T-4 "d" { category: spoofing target: C status: open justification: "x" }\n',
        encoding="utf-8",
    )
    assert compute_coverage(load_project(tmp_path, use_cache=False))["mitigation"] == 25.0


def test_conformance_trace_summary(reqdsl) -> None:
    process = reqdsl("check", "--format", "json", "--no-cache", str(SHARED / "conformance/trace"))
    summary = json.loads(process.stdout)["summary"]
    assert summary["coverage"] == {
        "verification": 50.0,
        "derivation": 66.7,
        "satisfaction": 50.0,
        "mitigation": None,  # the corpus project has no threat: n/a
        "evidence": None,  # no JUnit report read
    }


def test_threshold_diagnostic(tmp_path: Path) -> None:
    project = load_project(make_project(CASES / "TR004", tmp_path), use_cache=False)
    found = [d for d in run_checks(project) if d.code == "TR004"]
    assert [(d.path, d.line, d.column, d.severity.value) for d in found] == [
        ("reqdsl.toml", 6, 1, "error"),
        ("reqdsl.toml", 9, 1, "error"),
    ]
    assert found[0].message == (
        "verification coverage is 50.0% (1 of 2 requirements verified by tests), "
        "below the threshold of 100%"
    )


def test_threshold_compares_the_unrounded_figure(tmp_path: Path) -> None:
    # 2 of 3 is shown as 66.7% but does not meet a threshold of 66.7.
    (tmp_path / "reqdsl.toml").write_text(
        "[checks]\ncoverage = { derivation = 66.7 }\n", encoding="utf-8"
    )
    (tmp_path / "d.req").write_text(
        'document D "D" { level: software }\n'
        'requirement R-1 "a" { statement: "The system shall log." verification: inspection '
        "compliance: iso27001:A.5.1 }\n"
        'requirement R-2 "b" { statement: "The system shall sign." verification: inspection '
        "refines: R-1 }\n"
        'requirement R-3 "c" { statement: "The system shall be." verification: inspection '
        "ignore: TR001 }\n",
        encoding="utf-8",
    )
    project = load_project(tmp_path, use_cache=False)
    assert compute_coverage(project)["derivation"] == 66.7
    (tr004,) = [d for d in run_checks(project) if d.code == "TR004"]
    assert "66.7% (2 of 3 " in tr004.message and (tr004.line, tr004.column) == (2, 14)


def test_facts_are_computed_once_per_project(tmp_path: Path) -> None:
    project = load_project(make_project(CASES / "TR003", tmp_path), use_cache=False)
    assert trace_facts(project) is trace_facts(project)


def test_rules_are_documented(reqdsl) -> None:
    process = reqdsl("rules", "--format", "json")
    rules = {r["code"]: r for r in json.loads(process.stdout)["rules"]}
    names = {
        "TR001": "trace.no-upward-link",
        "TR002": "trace.unreferenced-need",
        "TR003": "trace.untested",
        "TR004": "trace.coverage-threshold",
    }
    for code, name in names.items():
        assert rules[code]["name"] == name
        for part in ("description", "why", "example", "fix", "reference"):
            assert rules[code][part], f"{code} has no {part}"
        assert "29148" in rules[code]["reference"]
    assert rules["TR004"]["severity"] == "error"

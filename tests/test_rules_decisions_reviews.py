"""Decision (DE) and review (RV) rules, driven by the case files in tests/cases/, and the
weighted totals of a decision matrix in exact decimals."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reqdsl.model.facts.decisions import weighted_totals
from reqdsl.model.project import Project, load_project

from .conftest import run_reqdsl
from .expect_cases import CASES, assert_failing_case, case_ids, cases, check_case

CASE_FILES = cases("DE", "RV")


@pytest.mark.parametrize("case", CASE_FILES, ids=case_ids)
def test_case_file(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path, house_style=("DE", "RV"))


@pytest.mark.parametrize("code", ["DE001", "DE002", "DE003", "DE004", "RV001", "RV002", "RV003"])
def test_every_rule_has_a_failing_case(code: str, tmp_path: Path) -> None:
    assert_failing_case(code, tmp_path)


def test_de003_names_both_totals(tmp_path: Path) -> None:
    found = [
        d for d in check_case(CASES / "DE003.req", tmp_path)["diagnostics"] if d["code"] == "DE003"
    ]
    assert found[0]["message"] == (
        "chosen option `O-D1` has a weighted total of 9.75 but `O-D2` has 13.5, "
        "and decision `DEC-WORSE` has no `rationale`"
    )


def test_rules_are_listed() -> None:
    result = run_reqdsl("rules")
    assert result.returncode == 0, result.stderr
    for code, name in [
        ("DE001", "decision.accepted-without-choice"),
        ("DE002", "decision.missing-score"),
        ("DE003", "decision.choice-without-rationale"),
        ("DE004", "decision.addresses-nothing"),
        ("RV001", "review.stale-approval"),
        ("RV002", "review.content-changed"),
        ("RV003", "review.unstamped-approval"),
    ]:
        assert re.search(rf"^{code}\s+{re.escape(name)}\s", result.stdout, re.M), code


# ---------------------------------------------------------------- weighted totals

HEADER = 'document D "Decisions" { level: system }\n'


def load(tmp_path: Path, text: str) -> Project:
    (tmp_path / "d.req").write_text(HEADER + text, encoding="utf-8")
    return load_project(tmp_path, use_cache=False)


def totals(tmp_path: Path, text: str, decision: str = "DEC") -> dict[str, Decimal]:
    project = load(tmp_path, text)
    return weighted_totals(project.index[decision], project)


def test_totals_are_exact_decimals(tmp_path: Path) -> None:
    result = totals(
        tmp_path,
        """
        decision DEC "Store" {
            status: proposed
            criterion C-COST "Cost" { weight: 2 }
            criterion C-HA "Availability" { weight: 5 }
            criterion C-SKILL "Skills" { weight: 1.5 }
            option O-REDIS "Redis" { scores: C-COST 4, C-HA 4, C-SKILL 5 }
            option O-PG "PostgreSQL" { scores: C-COST 5, C-HA 3, C-SKILL 4 }
            option O-NONE "Nothing" { scores: C-COST 5, C-HA 0, C-SKILL 5 }
        }
        """,
    )
    assert result == {
        "O-REDIS": Decimal("35.5"),
        "O-PG": Decimal("31"),
        "O-NONE": Decimal("17.5"),
    }
    assert list(result) == ["O-REDIS", "O-PG", "O-NONE"]  # the order written
    assert all(isinstance(total, Decimal) for total in result.values())


def test_totals_do_not_round(tmp_path: Path) -> None:
    # 0.1 x 3 is 0.3 exactly (a float would give 0.30000000000000004), and long weights
    # keep every digit.
    result = totals(
        tmp_path,
        """
        decision DEC "Precision" {
            status: proposed
            criterion C1 "One" { weight: 0.1 }
            criterion C2 "Two" { weight: 1234567890.123456789012345678901 }
            option O1 "One" { scores: C1 3 }
            option O2 "Two" { scores: C1 1.5, C2 2.5 }
        }
        """,
    )
    assert result["O1"] == Decimal("0.3")
    assert str(result["O1"]) == "0.3"
    # 0.15 + 3086419725.3086419725308641972525, more digits than the default context keeps
    assert result["O2"] == Decimal("3086419725.4586419725308641972525")


def test_missing_and_invalid_count_zero(tmp_path: Path) -> None:
    result = totals(
        tmp_path,
        """
        decision DEC "Gaps" {
            status: proposed
            criterion C-A "A" { weight: 1.5 }
            criterion C-B "B" { weight: -2 }
            criterion C-C "C" { description: "no weight" }
            option O-MISSING "Missing" { scores: C-A 2 }
            option O-RANGE "Out of range" { scores: C-A 7, C-B 4, C-C 4 }
            option O-TWICE "Scored twice" { scores: C-A 1, C-A 5 }
            option O-EMPTY "Nothing"
        }
        """,
    )
    assert result == {
        "O-MISSING": Decimal("3.0"),
        "O-RANGE": Decimal(0),  # 7 is out of range, C-B and C-C have no valid weight
        "O-TWICE": Decimal("1.5"),  # the first pair counts
        "O-EMPTY": Decimal(0),
    }


def test_totals_ignore_foreign_criteria_and_other_decisions(tmp_path: Path) -> None:
    project = load(
        tmp_path,
        """
        decision DEC "First" {
            status: proposed
            criterion C1 "Cost" { weight: 2 }
            option O1 "A" { scores: C1 3, C2 5 }
        }
        decision DEC-2 "Second" {
            status: proposed
            criterion C2 "Speed" { weight: 10 }
            option O2 "B" { scores: C2 1 }
        }
        """,
    )
    assert weighted_totals(project.index["DEC"], project) == {"O1": Decimal(6)}
    assert weighted_totals(project.index["DEC-2"], project) == {"O2": Decimal(10)}


def test_totals_of_a_decision_without_options(tmp_path: Path) -> None:
    assert totals(tmp_path, 'decision DEC "Empty" { status: proposed }\n') == {}

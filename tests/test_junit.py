"""JUnit XML reports: matching `automated-by`, per-test and per-requirement status,
and parsing that refuses external entities and entity expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from reqdsl.interop.junit import (
    JunitError,
    automated_results,
    normalise_test_id,
    parse_junit,
    read_junit,
    verification_statuses,
)
from reqdsl.model.project import load_project

DATA = Path(__file__).resolve().parent / "data" / "interop" / "junit"

PROJECT = """document SRS "Software" { level: software }
requirement R-FAIL "Fails" { statement: "The system shall fail." verification: test }
requirement R-PASS "Passes" { statement: "The system shall pass." verification: test }
requirement R-SKIP "Skipped" { statement: "The system shall skip." verification: test }
requirement R-GONE "Not run" { statement: "The system shall vanish." verification: test }
requirement R-MANUAL "Manual" { statement: "The system shall be inspected." verification: test }
requirement R-NONE "No test" { statement: "The system shall be untested." verification: test }
document TP "Tests" {}
test T-FAIL "a" { verifies: R-FAIL, R-PASS automated-by: "tests.test_booking::test_reserve_free_slot" }
test T-PASS "b" { verifies: R-PASS automated-by: "tests.test_booking.test_confirmation_time" }
test T-NODE "c" { verifies: R-PASS automated-by: "tests/test_privacy.py::TestExport::test_export_json" }
test T-PARAM "d" { verifies: R-SKIP automated-by: "tests.test_privacy.TestExport::test_erase" }
test T-GONE "e" { verifies: R-GONE automated-by: "tests.test_booking::test_deleted" }
test T-MANUAL "f" { verifies: R-MANUAL }
"""


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "p.req").write_text(PROJECT, encoding="utf-8")
    return load_project(tmp_path, use_cache=False)


def test_cases_are_known_by_both_separators() -> None:
    cases = parse_junit((DATA / "results.xml").read_bytes())
    assert cases["tests.test_booking::test_reserve_free_slot"].status == "failed"
    assert cases["tests.test_booking.test_reserve_free_slot"].status == "failed"
    assert cases["tests.test_booking::test_confirmation_time"].status == "passed"
    assert cases["tests.test_privacy.TestExport::test_erase[expired]"].status == "skipped"
    assert cases["tests.test_privacy.TestExport::test_erase[expired]"].message == "needs a database"


def test_pytest_node_ids_are_normalised() -> None:
    assert normalise_test_id("tests/test_x.py::TestA::test_b") == "tests.test_x.TestA::test_b"
    assert normalise_test_id("tests.test_x::test_b") == "tests.test_x::test_b"
    assert normalise_test_id("pkg.Class.method") == "pkg.Class.method"


def test_each_test_and_requirement_gets_a_status(project) -> None:  # type: ignore[no-untyped-def]
    results = read_junit([DATA / "results.xml"])
    by_test = {key: value.status for key, value in automated_results(project, results).items()}
    assert by_test == {
        "T-FAIL": "failed",
        "T-PASS": "passed",
        "T-NODE": "passed",
        "T-PARAM": "skipped",
        "T-GONE": "not-run",
    }  # T-MANUAL is not automated: no result
    statuses = {key: value.status for key, value in verification_statuses(project, results).items()}
    assert statuses == {
        "R-FAIL": "failed",  # worst of its tests
        "R-PASS": "failed",  # T-FAIL verifies it too
        "R-SKIP": "skipped",
        "R-GONE": "not-run",
        "R-MANUAL": "not-automated",
        "R-NONE": "untested",
    }
    assert verification_statuses(project, results)["R-PASS"].tests == (
        ("T-FAIL", "failed"),
        ("T-PASS", "passed"),
        ("T-NODE", "passed"),
    )


def test_the_worst_result_wins_across_reports(tmp_path: Path, project) -> None:  # type: ignore[no-untyped-def]
    rerun = tmp_path / "rerun.xml"
    rerun.write_text(
        '<testsuite name="x"><testcase classname="tests.test_booking" name="test_confirmation_time">'
        '<error message="boom"/></testcase></testsuite>',
        encoding="utf-8",
    )
    results = read_junit([DATA / "results.xml", rerun])
    assert results.cases["tests.test_booking::test_confirmation_time"].status == "failed"
    assert automated_results(project, results)["T-PASS"].message == "boom"


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    report = tmp_path / "xxe.xml"
    report.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE testsuite [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        '<testsuite><testcase classname="a" name="b"><failure message="&leak;"/></testcase></testsuite>',
        encoding="utf-8",
    )
    with pytest.raises(JunitError) as caught:
        read_junit([report])
    assert "TOP-SECRET-VALUE" not in str(caught.value)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    report = tmp_path / "laughs.xml"
    report.write_text(
        f'<?xml version="1.0"?><!DOCTYPE testsuite [{entities}]>'
        '<testsuite><testcase classname="a" name="&a9;"/></testsuite>',
        encoding="utf-8",
    )
    with pytest.raises(JunitError, match="refused"):
        read_junit([report])


@pytest.mark.parametrize(
    ("content", "message"),
    [("<html/>", "not a JUnit report"), ("<testsuite>", "not well-formed")],
)
def test_bad_reports_are_reported(tmp_path: Path, content: str, message: str) -> None:
    report = tmp_path / "bad.xml"
    report.write_text(content, encoding="utf-8")
    with pytest.raises(JunitError, match=message):
        read_junit([report])

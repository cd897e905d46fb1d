"""Test results are evidence, and a failing test is a gap (issue 17, part 3).

A failed test used to change nothing: `reqdsl build --junit r.xml --strict` exited 0, the
matrix said "0 with gaps", the dashboard and `check` did not mention it. Now JUnit reports
(given with `--junit`, or named in reqdsl.toml under `[tests] junit`) are inputs of the
one check pipeline behind check, build and export: a failed test is TR008 (error) and a
gap of every requirement it verifies, a skipped one TR009, an `automated-by` naming no
case of the reports TR010 with a did-you-mean; `evidence` is a fifth coverage figure.
Requirements verified by inspection, analysis or demonstration need a `test` element too
(TR006), and a test's `method` must be one the requirement asks for (TR007)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_reqdsl

MODEL = (
    'document SRS "Software" { level: software }\n'
    'goal G "Goal" { statement: "Patients book online." }\n'
    'requirement R-1 "Reserve" {\n'
    '    statement: "The booking service shall reserve a free slot."\n'
    "    verification: test\n"
    "    satisfies: G\n"
    "}\n"
    'requirement R-2 "Confirm" {\n'
    '    statement: "The booking service shall confirm a booking."\n'
    "    verification: test\n"
    "    satisfies: G\n"
    "}\n"
    'test T-1 "Reserve a free slot" {\n'
    "    verifies: R-1\n"
    "    method: test\n"
    '    automated-by: "tests.test_booking::test_reserve_free_slot"\n'
    "}\n"
    'test T-2 "Confirm" {\n'
    "    verifies: R-2\n"
    "    method: test\n"
    '    automated-by: "tests.test_booking::test_confirm"\n'
    "}\n"
)


def _report(failed: bool = True, skipped: bool = False, confirm: str = "test_confirm") -> str:
    reserve = (
        '<failure message="AssertionError: slot 09:00 still free">assert owner</failure>'
        if failed
        else ""
    )
    confirm_body = '<skipped message="needs a mail server"/>' if skipped else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest">\n'
        f'<testcase classname="tests.test_booking" name="test_reserve_free_slot">{reserve}'
        "</testcase>\n"
        f'<testcase classname="tests.test_booking" name="{confirm}">{confirm_body}</testcase>\n'
        "</testsuite></testsuites>\n"
    )


def _project(tmp_path: Path, model: str = MODEL, toml: str | None = None) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "model.req").write_text(model, encoding="utf-8")
    if toml is not None:
        (project / "reqdsl.toml").write_text(toml, encoding="utf-8")
    return project


def _diagnostics(result) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout)["diagnostics"]


def _codes(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(d["code"] for d in _diagnostics(result))


# ------------------------------------------------------------- the case
def test_a_failing_test_fails_the_build_and_shows_as_a_gap(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = tmp_path / "r.xml"
    report.write_text(_report(failed=True), encoding="utf-8")
    out = tmp_path / "site"
    build = run_reqdsl(
        "build", str(project), "--junit", str(report), "--strict", "-o", str(out), "--no-diagrams"
    )
    assert build.returncode == 1, build.stdout + build.stderr
    assert "TR008" in build.stderr and "test_reserve_free_slot" in build.stderr
    # Published all the same (--allow-errors): the matrix and the dashboard say so.
    run_reqdsl(
        "build", str(project), "--junit", str(report), "-o", str(out), "--no-diagrams",
        "--allow-errors", "-q",
    )  # fmt: skip
    matrix = (out / "traceability.html").read_text(encoding="utf-8")
    assert "1 with gaps" in matrix and "0 with gaps" not in matrix
    row = matrix[matrix.index('id="R-1"') if 'id="R-1"' in matrix else matrix.index("R-1") :]
    row = row[: row.index("</tr>")]
    assert "test T-1 failed" in row
    home = (out / "index.html").read_text(encoding="utf-8")
    evidence = home[home.index("Evidence") :]
    evidence = evidence[: evidence.index("</tr>")]
    assert "50 %" in evidence and "1 of 2" in evidence
    assert "Failed tests" in home and "TR008" in home
    check = run_reqdsl("check", "--format", "json", "--junit", str(report), str(project))
    assert check.returncode == 1
    failed = [d for d in _diagnostics(check) if d["code"] == "TR008"]
    assert len(failed) == 1 and failed[0]["severity"] == "error"
    assert failed[0]["line"] == 16  # the automated-by value of T-1
    assert "slot 09:00 still free" in failed[0]["message"]
    assert json.loads(check.stdout)["summary"]["coverage"]["evidence"] == 50.0


def test_a_failing_test_is_a_gap_in_the_exported_matrix_and_json(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = tmp_path / "r.xml"
    report.write_text(_report(failed=True), encoding="utf-8")
    csv = run_reqdsl("export", str(project), "--format", "csv", "--junit", str(report))
    assert csv.returncode == 0, csv.stderr
    row = next(line for line in csv.stdout.splitlines() if line.startswith("R-1,"))
    assert "test T-1 failed" in row
    exported = json.loads(
        run_reqdsl("export", str(project), "--format", "json", "--junit", str(report)).stdout
    )
    assert exported["coverage"]["evidence"] == 50.0


def test_passing_reports_give_full_evidence_and_a_clean_check(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = tmp_path / "r.xml"
    report.write_text(_report(failed=False), encoding="utf-8")
    check = run_reqdsl("check", "--strict", "--junit", str(report), str(project))
    assert check.returncode == 0, check.stdout
    assert "evidence 100.0%" in check.stdout
    plain = run_reqdsl("check", str(project))  # no report: no evidence measured
    assert "evidence n/a (nothing to measure)" in plain.stdout


# ------------------------------------------------------- reports in reqdsl.toml
def test_reports_named_in_reqdsl_toml_are_read_by_check_build_and_export(tmp_path: Path) -> None:
    project = _project(tmp_path, toml='[tests]\njunit = ["reports/*.xml"]\n')
    (project / "reports").mkdir()
    (project / "reports" / "junit.xml").write_text(_report(failed=True), encoding="utf-8")
    check = run_reqdsl("check", "--format", "json", str(project))
    assert check.returncode == 1 and "TR008" in _codes(check)
    out = tmp_path / "site"
    build = run_reqdsl("build", str(project), "-o", str(out), "--no-diagrams", "-q")
    assert build.returncode == 1 and "TR008" in build.stderr
    exported = json.loads(run_reqdsl("export", str(project), "--format", "json").stdout)
    assert exported["coverage"]["evidence"] == 50.0
    assert exported["test_reports"] == ["reports/junit.xml"]
    # The report is an input of the check: a fixed test is never answered from the cache.
    (project / "reports" / "junit.xml").write_text(_report(failed=False), encoding="utf-8")
    again = run_reqdsl("check", "--format", "json", str(project))
    assert again.returncode == 0 and "TR008" not in _codes(again)


def test_junit_on_the_command_line_adds_to_the_named_reports(tmp_path: Path) -> None:
    project = _project(tmp_path, toml='[tests]\njunit = ["reports/junit.xml"]\n')
    (project / "reports").mkdir()
    (project / "reports" / "junit.xml").write_text(_report(failed=False), encoding="utf-8")
    extra = tmp_path / "more.xml"
    extra.write_text(_report(failed=True), encoding="utf-8")  # the worst result counts
    check = run_reqdsl("check", "--format", "json", "--junit", str(extra), str(project))
    assert "TR008" in _codes(check)


def test_a_named_report_that_is_missing_is_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path, toml='[tests]\njunit = ["reports/junit.xml"]\n')
    for command in (
        ["check", str(project)],
        ["export", str(project), "--format", "json"],
        ["build", str(project), "-o", str(tmp_path / "site"), "--no-diagrams", "-q"],
    ):
        result = run_reqdsl(*command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "reports/junit.xml" in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_a_pattern_that_matches_no_report_is_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path, toml='[tests]\njunit = ["reports/*.xml"]\n')
    result = run_reqdsl("check", str(project))
    assert result.returncode == 2 and "reports/*.xml" in result.stderr


def test_a_named_report_must_stay_inside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside.xml"
    outside.write_text(_report(failed=False), encoding="utf-8")
    for entry in ("../outside.xml", str(outside)):
        project = tmp_path / f"p{len(entry)}"
        project.mkdir()
        (project / "model.req").write_text(MODEL, encoding="utf-8")
        (project / "reqdsl.toml").write_text(f'[tests]\njunit = ["{entry}"]\n', encoding="utf-8")
        result = run_reqdsl("check", str(project))
        assert result.returncode == 2 and "inside the project" in result.stderr
    # A pattern's match is checked when read: a link out of the project is refused.
    linked = _project(tmp_path, toml='[tests]\njunit = ["reports/*.xml"]\n')
    (linked / "reports").mkdir()
    (linked / "reports" / "link.xml").symlink_to(outside)
    result = run_reqdsl("check", str(linked))
    assert result.returncode == 2 and "outside the project" in result.stderr


# ---------------------------------------------------------- warnings on evidence
def test_an_automated_by_with_a_typo_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = tmp_path / "r.xml"
    report.write_text(_report(failed=False, confirm="test_confirms"), encoding="utf-8")
    check = run_reqdsl("check", "--format", "json", "--junit", str(report), str(project))
    found = [d for d in _diagnostics(check) if d["code"] == "TR010"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert found[0]["line"] == 21
    assert "tests.test_booking::test_confirms" in (found[0].get("hint") or "")
    assert run_reqdsl("check", "--strict", "--junit", str(report), str(project)).returncode == 1


def test_a_skipped_test_is_a_warning(tmp_path: Path) -> None:
    project = _project(tmp_path)
    report = tmp_path / "r.xml"
    report.write_text(_report(failed=False, skipped=True), encoding="utf-8")
    check = run_reqdsl("check", "--format", "json", "--junit", str(report), str(project))
    assert check.returncode == 0
    found = [d for d in _diagnostics(check) if d["code"] == "TR009"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "needs a mail server" in found[0]["message"]
    assert json.loads(check.stdout)["summary"]["coverage"]["evidence"] == 50.0


# ------------------------------------------------- every verification method
INSPECTED = (
    'document SRS "Software" { level: software }\n'
    'goal G "Goal" { statement: "Patients book online." }\n'
    'requirement R-1 "Readable" {\n'
    '    statement: "The booking page shall use a font of at least 16 pixels."\n'
    "    verification: inspection\n"
    "    satisfies: G\n"
    "}\n"
)


def test_an_inspected_requirement_with_no_test_element_is_reported(tmp_path: Path) -> None:
    project = _project(tmp_path, INSPECTED, '[checks]\nseverity = { TR006 = "warning" }\n')
    check = run_reqdsl("check", "--format", "json", str(project))
    found = [d for d in _diagnostics(check) if d["code"] == "TR006"]
    assert [(d["line"], d["severity"]) for d in found] == [(3, "warning")]
    assert "inspection" in found[0]["message"]
    # A `test` element of any method closes it.
    (project / "tests.req").write_text(
        'test T-1 "Font review" { verifies: R-1 method: inspection }\n', encoding="utf-8"
    )
    assert "TR006" not in _codes(run_reqdsl("check", "--format", "json", str(project)))


def test_tr006_is_an_info_by_default_and_a_gap_in_the_matrix(tmp_path: Path) -> None:
    project = _project(tmp_path, INSPECTED)
    check = run_reqdsl("check", "--format", "json", str(project))
    found = [d for d in _diagnostics(check) if d["code"] == "TR006"]
    assert [d["severity"] for d in found] == ["info"]
    csv = run_reqdsl("export", str(project), "--format", "csv")
    row = next(line for line in csv.stdout.splitlines() if line.startswith("R-1,"))
    assert "no test element" in row


def test_a_test_whose_method_does_not_match_is_a_warning(tmp_path: Path) -> None:
    model = INSPECTED + 'test T-1 "Font" {\n    verifies: R-1\n    method: demonstration\n}\n'
    project = _project(tmp_path, model)
    check = run_reqdsl("check", "--format", "json", str(project))
    found = [d for d in _diagnostics(check) if d["code"] == "TR007"]
    assert [(d["line"], d["severity"]) for d in found] == [(9, "warning")]
    assert "demonstration" in found[0]["message"] and "inspection" in found[0]["message"]


def test_did_you_mean_work_is_bounded_however_many_tests_match_nothing(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """3,000 automated tests against a report of 3,000 other cases in the same module:
    each TR010 is reported, but the did-you-mean comparisons stay within a fixed budget
    (comparing every test with every case would be 9 million)."""
    import difflib

    from reqdsl.commands.check import check_project
    from reqdsl.interop.junit import SUGGESTION_BUDGET

    count = 3000
    lines = [
        'document SRS "S" { level: software }',
        'requirement R-1 "r" { statement: "The service shall work." verification: test }',
    ]
    lines += [
        f'test T-{i} "t" {{ verifies: R-1 automated-by: "tests.test_mod::test_case_{i}_x" }}'
        for i in range(count)
    ]
    project = _project(tmp_path, "\n".join(lines) + "\n")
    cases = "".join(
        f'<testcase classname="tests.test_mod" name="test_case_{i}_y"/>' for i in range(count)
    )
    report = tmp_path / "r.xml"
    report.write_text(f"<testsuite>{cases}</testsuite>", encoding="utf-8")
    compared = 0
    original = difflib.SequenceMatcher.set_seq1

    def counting(self, a):  # type: ignore[no-untyped-def]
        nonlocal compared
        compared += 1
        return original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    diagnostics = check_project(project, use_cache=False, junit=[report])[1]
    assert sum(1 for d in diagnostics if d.code == "TR010") == count
    assert compared <= SUGGESTION_BUDGET + count

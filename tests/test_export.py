"""`reqdsl export`: the JSON export (every element, links both ways, its published
schema), the traceability matrix as CSV and XLSX (formula injection neutralised), and
JUnit results in both."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from reqdsl.cli import main
from reqdsl.interop.json_export import json_schema
from reqdsl.interop.matrix import COLUMNS, neutralise_cell
from reqdsl.model.project import load_project

from .conftest import ROOT, run_reqdsl

VALID = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "valid"
DATA = Path(__file__).resolve().parent / "data" / "interop"


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    project = tmp_path / "valid"
    shutil.copytree(VALID, project)
    return project


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["export", *args]) == 0
    return capsys.readouterr().out


def test_json_export_is_complete_and_matches_its_schema(valid: Path) -> None:
    done = run_reqdsl("export", str(valid), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    jsonschema.validate(data, json_schema())
    project = load_project(valid, use_cache=False)
    assert [e["id"] for e in data["elements"]] == [e.id for e in project.elements]
    assert data["coverage"] == {
        "verification": 100.0,
        "derivation": 100.0,
        "satisfaction": 100.0,
        "mitigation": 100.0,
        "evidence": None,  # no JUnit report read
    }
    by_id = {e["id"]: e for e in data["elements"] if e["id"]}
    requirement = by_id["REQ-BOOK-001"]
    assert requirement["statement"].startswith("When a patient selects a free slot")
    assert requirement["fields"]["verification"] == ["test"]
    assert requirement["fields"]["priority"] == "must"
    assert requirement["level"] == "software" and requirement["section"] == ["Functions"]
    assert {
        "field": "derives-from",
        "id": "N-BOOK",
        "kind": "requirement",
        "resolved": True,
    } in requirement["links"]["outgoing"]
    incoming = {(link["field"], link["id"]) for link in requirement["links"]["incoming"]}
    assert incoming == {("verifies", "TC-BOOK-1"), ("depends-on", "REQ-BOOK-002")}
    assert requirement["location"] == {
        "path": "srs.req",
        "line": 9,
        "column": 5,
        "end_line": 17,
        "end_column": 6,
    }
    patient = by_id["PATIENT-DATA"]
    assert {
        "name": "email",
        "type": "email",
        "multiplicity": None,
        "flags": ["personal", "unique"],
    } in patient["attributes"]
    assert by_id["SC-BOOK"]["steps"].startswith('PATIENT -> WEB: "choose a free slot" via F-BOOK')
    term = next(e for e in data["elements"] if e["kind"] == "term")
    assert term["title"] == "Slot" and term["statement"].startswith("A 15-minute period")


def test_json_schema_is_published_in_the_docs(capsys: pytest.CaptureFixture[str]) -> None:
    page = (ROOT / "docs" / "interop.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- schema:start -->\n```json\n(.*?)```\n<!-- schema:end -->", page, re.S)
    assert block, "docs/interop.md has no schema block"
    printed = _export(capsys, "--schema")
    assert json.loads(block.group(1)) == json.loads(printed) == json_schema(), (
        "run: reqdsl export --schema, and paste it into docs/interop.md"
    )


def test_csv_matrix_has_a_row_per_requirement(
    valid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _export(capsys, str(valid), "--format", "csv", "--no-cache")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert len(by_id) == 11
    assert by_id["N-BOOK"]["Children"] == "REQ-BOOK-001, REQ-BOOK-002, REQ-UX-001"
    assert by_id["REQ-SEC-001"]["Mitigates"] == "T-STUFF"
    assert by_id["REQ-PRIV-001"]["Tests"] == "TC-PRIV"
    assert by_id["REQ-PRIV-002"]["Compliance"] == "gdpr:17(1)(a), gdpr:5(1)(e)"
    assert by_id["REQ-BOOK-001"]["Verification status"] == ""  # no report given


HOSTILE = """document D "=cmd|' /C calc'!A0" { level: system }
requirement R-1 "=HYPERLINK(\\"http://x.invalid\\", \\"click\\")" {
    statement: "-2+3 shall never be a formula."
    owner: "@SUM(A1:A2)"
    verification: test
    tags: safe
}
requirement R-2 "+1 then" { statement: "\\tThe tab shall stay text." }
"""


def test_csv_and_xlsx_neutralise_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "hostile"
    project.mkdir()
    (project / "d.req").write_text(HOSTILE, encoding="utf-8")
    text = _export(capsys, str(project), "--format", "csv", "--no-cache")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles == {"R-1": '\'=HYPERLINK("http://x.invalid", "click")', "R-2": "'+1 then"}
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    out = tmp_path / "matrix.xlsx"
    assert main(["export", str(project), "--format", "xlsx", "-o", str(out), "--no-cache"]) == 0
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == list(COLUMNS)  # row 1: the title
    assert values[2][1].startswith("'=HYPERLINK") and values[3][1] == "'+1 then"
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            assert cell.data_type != "f"
            assert cell.value is None or not str(cell.value).startswith(("=", "+", "-", "@", "\t"))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_neutralise_cell(text: str) -> None:
    assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("plain -text") == "plain -text"


def test_xlsx_matrix_of_the_valid_project(valid: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert main(["export", str(valid), "--format", "xlsx", "-o", str(out), "--no-cache"]) == 0
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 13 and rows[2][0] == "REQ-BOOK-001"  # title, header, 11 rows
    assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref.startswith("A2:")
    assert main(["export", str(valid), "--format", "xlsx"]) == 2  # a workbook needs -o


def test_junit_failure_shows_on_its_requirement(
    valid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = str(DATA / "junit" / "results.xml")
    data = json.loads(_export(capsys, str(valid), "--junit", report, "--no-cache"))
    jsonschema.validate(data, json_schema())
    by_id = {e["id"]: e for e in data["elements"] if e["id"]}
    assert by_id["TC-BOOK-1"]["test_result"] == {
        "status": "failed",
        "message": "AssertionError: slot 09:00 still free",
    }
    assert by_id["REQ-BOOK-001"]["verification"] == {
        "status": "failed",
        "tests": {"TC-BOOK-1": "failed"},
    }
    assert by_id["REQ-BOOK-002"]["verification"]["status"] == "not-automated"
    assert by_id["REQ-UX-001"]["verification"]["status"] == "untested"
    assert data["test_reports"] == [report]
    text = _export(capsys, str(valid), "--format", "csv", "--junit", report, "--no-cache")
    rows = {
        row[0]: dict(zip(COLUMNS, row, strict=True))
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))
    }
    assert rows["REQ-BOOK-001"]["Test results"] == "TC-BOOK-1: failed"
    assert rows["REQ-BOOK-001"]["Verification status"] == "failed"


def test_export_reports_unusable_input(tmp_path: Path, valid: Path) -> None:
    missing = run_reqdsl("export", str(valid), "--junit", str(tmp_path / "none.xml"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr

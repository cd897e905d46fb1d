"""Coverage of nothing is not 100 % (issue 17, part 2): a figure that counts nothing is
"n/a" in the text report, `null` in JSON, explained on the dashboard, and a threshold set
on it fails (TR005) instead of being met by itself."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_reqdsl

NO_THREATS = (
    'document D "d" { level: software }\n'
    'requirement R "r" {\n'
    '    statement: "The editor shall open a report of 100 pages within 2 seconds."\n'
    "    verification: test\n"
    "    compliance: iso27001:A.8.26\n"
    "}\n"
    'test T "t" { verifies: R }\n'
)


def _project(tmp_path: Path, toml: str | None = None) -> Path:
    (tmp_path / "a.req").write_text(NO_THREATS, encoding="utf-8")
    if toml is not None:
        (tmp_path / "reqdsl.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_text_and_json_say_n_a_for_a_figure_over_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    text = run_reqdsl("check", str(project))
    assert text.returncode == 0
    assert "mitigation n/a (nothing to measure)" in text.stdout
    assert "mitigation 100" not in text.stdout and "verification 100.0%" in text.stdout
    data = json.loads(run_reqdsl("check", "--format", "json", str(project)).stdout)
    assert data["summary"]["coverage"]["mitigation"] is None
    assert data["summary"]["coverage"]["verification"] == 100.0
    exported = json.loads(run_reqdsl("export", "--format", "json", str(project)).stdout)
    assert exported["coverage"]["mitigation"] is None


def test_a_threshold_on_nothing_is_never_met_by_itself(tmp_path: Path) -> None:
    project = _project(tmp_path, "[checks]\ncoverage = { mitigation = 100 }\n")
    result = run_reqdsl("check", "--format", "json", str(project))
    assert result.returncode == 1
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "TR005"]
    assert [(d["path"], d["line"], d["column"]) for d in found] == [("reqdsl.toml", 2, 14)]
    assert "there is no threat" in found[0]["message"]


def test_the_dashboard_explains_n_a_and_shows_no_green_100(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = tmp_path / "site"
    result = run_reqdsl("build", str(project), "-o", str(out), "--no-diagrams", "-q")
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    row = page[page.index("Mitigation") :]
    row = row[: row.index("</tr>")]
    assert "n/a" in row and "nothing to measure: there is no threat" in row
    assert "100 %" not in row and "rq-ok" not in row

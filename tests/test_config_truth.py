"""No false green from configuration (issue 17, part 1): a reqdsl.toml setting that is not
applied, an exclusion of a control that does not exist, a path that names no project or
a file of a project, each gets a finding or a clear exit 2, never a clean run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_reqdsl
from .expect_cases import case_ids, cases, check_case

CLEAN = (
    'document D "d" { level: software }\n'
    'requirement R "r" {\n'
    '    statement: "The editor shall open a report of 100 pages within 2 seconds."\n'
    "    verification: inspection\n"
    "    compliance: iso27001:A.8.26\n"
    "}\n"
)


@pytest.mark.parametrize("case", cases("CF"), ids=case_ids)
def test_case(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def _project(tmp_path: Path, toml: str | None, text: str = CLEAN) -> Path:
    (tmp_path / "a.req").write_text(text, encoding="utf-8")
    if toml is not None:
        (tmp_path / "reqdsl.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _codes(result) -> list[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
    data = json.loads(result.stdout)
    return [(d["code"], d["path"], d["line"], d["column"]) for d in data["diagnostics"]]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[check]\ndisable = []\n", ("CF001", "reqdsl.toml", 1, 2)),
        ("[checks]\ncoverag = { verification = 100 }\n", ("CF001", "reqdsl.toml", 2, 1)),
        ('[checks]\ndisable = ["QU01", "XX999"]\n', ("CF003", "reqdsl.toml", 2, 12)),
        ('[checks]\nseverity = { QU999 = "error" }\n', ("CF002", "reqdsl.toml", 2, 14)),
        (
            '[compliance.iso27001]\nexcluded = { "A.7.44" = "no such control" }\n',
            ("SM008", "reqdsl.toml", 2, 14),
        ),
    ],
)
def test_each_configuration_mistake_of_the_issue_is_reported_at_its_key(
    tmp_path: Path, toml: str, expected: tuple[str, str, int, int]
) -> None:
    project = _project(tmp_path, toml)
    result = run_reqdsl("check", "--format", "json", str(project))
    assert expected in _codes(result), result.stdout
    assert run_reqdsl("check", "--strict", str(project)).returncode == 1


def test_a_misspelt_key_says_what_was_meant(tmp_path: Path) -> None:
    project = _project(tmp_path, "[checks]\ncoverag = { verification = 100 }\n")
    shown = run_reqdsl("check", str(project)).stdout
    assert "unknown key `checks.coverag`" in shown
    assert "did you mean `checks.coverage`?" in shown


def test_unknown_keys_follow_the_schema() -> None:
    from reqdsl.model.config_schema import unknown_keys

    data = {
        "project": {"name": "x", "sourcs": ["."]},
        "checks": {"coverage": {"verification": 1, "derivatoin": 2}, "severity": {"ANY": "x"}},
        "fields": {"requirement": {"anything": "string"}},
        "extra": {},
    }
    found = {(u.dotted, u.suggestion) for u in unknown_keys(data)}
    assert found == {
        ("project.sourcs", "sources"),
        ("checks.coverage.derivatoin", "derivation"),
        ("extra", None),
    }


def test_locate_finds_tables_dotted_and_inline_keys() -> None:
    from reqdsl.model.config_schema import locate

    text = (
        "[project]\n"
        'name = "x"\n'
        "[checks]\n"
        'severity = { QU001 = "error", "QU999" = "error" }\n'
        "[checks.coverage]\n"
        "verification = 100\n"
        'compliance.iso27001.excluded."A.7.44" = "no"\n'
    )
    assert locate(text, ("project",)) == locate(text, ("project",))
    place = locate(text, ("checks", "severity", "QU999"))
    assert place is not None and (place.line, place.column) == (4, 31)
    place = locate(text, ("checks", "coverage", "verification"))
    assert place is not None and (place.line, place.column) == (6, 1)
    place = locate(text, ("checks", "coverage", "nothing"))  # the longest written prefix
    assert place is not None and (place.line, place.column) == (5, 2)


def test_a_file_is_checked_within_its_project_and_alone_in_the_report(tmp_path: Path) -> None:
    project = _project(tmp_path, '[checks]\nseverity = { QU001 = "error" }\n')
    (project / "docs").mkdir()
    vague = CLEAN.replace("document D", "document E").replace("R ", "S ")
    vague = vague.replace("within 2 seconds", "quickly")
    (project / "docs" / "b.req").write_text(vague, encoding="utf-8")
    # The file's project (reqdsl.toml found upwards): QU001 is an error there.
    result = run_reqdsl("check", "--format", "json", str(project / "docs" / "b.req"))
    codes = _codes(result)
    assert codes and {path for _, path, _, _ in codes} == {"docs/b.req"}
    assert ("QU001", "docs/b.req", 3, 61) in codes
    assert result.returncode == 1
    # The other file alone is clean: exit 0, though the project has an error elsewhere.
    clean = run_reqdsl("check", "--format", "json", str(project / "a.req"))
    shown = json.loads(clean.stdout)["diagnostics"]
    # (An info may remain: TR006, the inspected requirement has no `test` element.)
    assert clean.returncode == 0 and [d for d in shown if d["severity"] != "info"] == []
    # A folder inside the project checks the whole project, with its reqdsl.toml.
    inside = run_reqdsl("check", "--format", "json", str(project / "docs"))
    assert ("QU001", "docs/b.req", 3, 61) in _codes(inside)


def test_build_of_a_file_says_what_it_expects(tmp_path: Path) -> None:
    project = _project(tmp_path, None)
    result = run_reqdsl("build", str(project / "a.req"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "give the project folder" in result.stderr
    assert not (project / "site").exists()


def test_a_folder_with_no_req_file_is_no_clean_check(tmp_path: Path) -> None:
    result = run_reqdsl("check", str(tmp_path))
    assert result.returncode == 2
    assert "no .req file" in result.stderr and result.stderr.count("\n") == 1
    assert "100" not in result.stdout + result.stderr


def test_a_sources_folder_that_does_not_exist_is_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path, '[project]\nsources = [".", "requirements"]\n')
    result = run_reqdsl("check", str(project))
    assert result.returncode == 2
    assert "`requirements`, which is not a folder" in result.stderr
    assert result.stderr.count("\n") == 1


def test_every_command_finds_the_project_of_a_folder_inside_it(tmp_path: Path) -> None:
    """One lookup for every command: a folder inside the project names the project, so
    `cache dir`, `export` and `report` agree with `check` on which project it is."""
    project = _project(tmp_path, '[project]\nname = "Inside"\n')
    inside = project / "docs"
    inside.mkdir()
    assert (
        run_reqdsl("cache", "dir", str(inside)).stdout
        == run_reqdsl("cache", "dir", str(project)).stdout
    )
    exported = json.loads(run_reqdsl("export", "--format", "json", str(inside)).stdout)
    assert exported["project"]["name"] == "Inside"
    refused = run_reqdsl("export", str(project / "a.req"))
    assert refused.returncode == 2 and "give the project folder" in refused.stderr

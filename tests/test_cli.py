"""The real `reqdsl` command: exit codes, formats, catalogue look-ups, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from reqdsl.util.cache_dirs import project_cache_dir

from .conftest import ROOT, run_reqdsl

SAMPLE = ROOT / "samples" / "clinic"


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def test_sample_checks_clean() -> None:
    result = run_reqdsl("check", str(SAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_errors_exit_1_with_text_location_and_caret(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.req": 'document D "d" { level: system }\nrequirement R "r" {\n  statement: "The system shall run."\n  risk: extreme\n}\n'
        },
    )
    result = run_reqdsl("check", str(tmp_path))
    assert result.returncode == 1
    assert "a.req:4:9: error[SM004]" in result.stdout
    lines = result.stdout.splitlines()
    caret = lines[lines.index("  risk: extreme") + 1]
    assert caret.index("^") == 8
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_json_shape_and_strict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.req": 'document D "d" { level: software }\nrequirement R "r" { statement: "The tool rotates logs." verification: test }\n'
        },
    )
    result = run_reqdsl("check", "--format", "json", str(tmp_path))
    data = json.loads(result.stdout)
    assert set(data) == {"diagnostics", "summary"}
    assert {"files", "elements", "errors", "warnings", "infos"} <= set(data["summary"])
    first = data["diagnostics"][0]
    assert set(first) >= {
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
    }
    assert result.returncode == 0  # warnings only
    assert run_reqdsl("check", "--strict", str(tmp_path)).returncode == 1


def test_sarif_is_2_1_0(tmp_path: Path) -> None:
    write(tmp_path, {"a.req": 'document D "d"\nrequirement R "r" { statment: "x" }\n'})
    result = run_reqdsl("check", "--format", "sarif", str(tmp_path))
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"SM004", "SM005"}
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.req"


def test_bad_configuration_is_exit_2_without_traceback(tmp_path: Path) -> None:
    write(tmp_path, {"reqdsl.toml": "[checks]\ndisable = 3\n", "a.req": 'document D "d"\n'})
    result = run_reqdsl("check", str(tmp_path))
    assert result.returncode == 2
    assert "checks.disable" in result.stderr and "Traceback" not in result.stderr
    write(tmp_path, {"reqdsl.toml": "[checks\n"})
    result = run_reqdsl("check", str(tmp_path))
    assert result.returncode == 2 and "not valid TOML" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_reqdsl("check", str(tmp_path / "missing")).returncode == 2
    assert run_reqdsl("nonsense").returncode == 2
    assert run_reqdsl("check", "--format", "xml", str(tmp_path)).returncode == 2


def test_unreadable_and_binary_files_are_diagnostics(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a.req": b'document D "d"\nstakeholder S "caf\xe9"\n', "b.req": b"\x00\x01\x02binary"},
    )
    result = run_reqdsl("check", "--format", "json", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    codes = {(d["path"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert ("a.req", "SY001") in codes and ("b.req", "SY001") in codes


def test_warm_cache_gives_the_same_report(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.req": 'document D "d" { level: system }\nrequirement R "r" { statement: "x" risk: big }\n'
        },
    )
    cold = run_reqdsl("check", "--format", "json", str(tmp_path))
    cache = project_cache_dir(tmp_path)
    assert cache.is_dir() and not (tmp_path / ".reqdsl_cache").exists()  # outside the project
    warm = run_reqdsl("check", "--format", "json", str(tmp_path))
    assert cold.stdout == warm.stdout
    for entry in cache.rglob("*.*"):
        entry.write_bytes(b"garbage")
    assert run_reqdsl("check", "--format", "json", str(tmp_path)).stdout == cold.stdout


def test_catalog_list_and_show() -> None:
    listing = json.loads(run_reqdsl("catalog", "list", "iso27001", "--format", "json").stdout)
    assert len(listing["entries"]) == 93
    shown = run_reqdsl("catalog", "show", "gdpr:6(1)(b)")
    assert shown.returncode == 0 and "Lawfulness of processing" in shown.stdout
    revoked = run_reqdsl("catalog", "show", "attack:T1002")
    assert revoked.returncode == 1 and "T1560" in revoked.stderr


def test_rules_lists_every_spec_code_with_a_description() -> None:
    spec_codes = {"SY001", *(f"SM00{i}" for i in range(1, 9))}
    rules = json.loads(run_reqdsl("rules", "--format", "json").stdout)["rules"]
    by_code = {r["code"]: r for r in rules}
    assert spec_codes <= set(by_code)
    for code in spec_codes:
        assert len(by_code[code]["description"]) > 80


def test_cached_files_are_bound_again_when_custom_fields_change(tmp_path: Path) -> None:
    """The cache keeps bound files; binding depends on reqdsl.toml's custom fields, so a
    new declaration must not be answered from the cache (no stale SM004)."""
    write(
        tmp_path,
        {
            "a.req": 'document D "d" {\n    level: system\n}\n'
            'requirement R-1 "r" {\n    statement: "The system shall log."\n'
            '    ticket: "T-1"\n}\n'
        },
    )
    first = json.loads(run_reqdsl("check", "--format", "json", str(tmp_path)).stdout)
    assert "SM004" in {d["code"] for d in first["diagnostics"]}
    (tmp_path / "reqdsl.toml").write_text('[fields.requirement]\nticket = "string"\n')
    second = json.loads(run_reqdsl("check", "--format", "json", str(tmp_path)).stdout)
    assert "SM004" not in {d["code"] for d in second["diagnostics"]}

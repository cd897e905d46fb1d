"""Inputs at the limits: huge statements, many files, link loops, unreadable files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .conftest import run_reqdsl

HEADER = 'document D "d" { level: software }\n'


def check_json(folder: Path) -> tuple[int, dict]:
    result = run_reqdsl("check", "--format", "json", "--no-cache", str(folder))
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_five_megabyte_statement(tmp_path: Path) -> None:
    words = "The service shall log the event " * (5_000_000 // 32)
    (tmp_path / "big.req").write_text(
        HEADER + f'requirement R "r" {{ statement: "{words}" verification: inspection }}\n',
        encoding="utf-8",
    )
    code, report = check_json(tmp_path)
    assert code == 0  # warnings only
    assert report["summary"]["elements"] == 2
    assert any(d["code"] == "QU003" for d in report["diagnostics"])


def test_two_thousand_files(tmp_path: Path) -> None:
    for index in range(2000):
        (tmp_path / f"f{index:04d}.req").write_text(
            f'document D{index} "d"\nstakeholder S{index} "s"\n', encoding="utf-8"
        )
    code, report = check_json(tmp_path)
    assert code == 0
    assert report["summary"]["files"] == 2000
    assert report["summary"]["elements"] == 4000


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a.req").write_text(HEADER, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "loop2")
    code, report = check_json(tmp_path)
    assert code == 0 and report["summary"]["files"] == 1


def test_unreadable_file_is_a_diagnostic_naming_it(tmp_path: Path) -> None:
    (tmp_path / "ok.req").write_text(HEADER + 'stakeholder S "s"\n', encoding="utf-8")
    os.symlink(tmp_path / "missing-target", tmp_path / "gone.req")
    code, report = check_json(tmp_path)
    assert code == 1
    [problem] = [d for d in report["diagnostics"] if d["path"] == "gone.req"]
    assert problem["code"] == "SY001" and "cannot read" in problem["message"]
    assert report["summary"]["elements"] == 2  # the other file is still checked


def test_configuration_with_wrong_types_is_exit_2(tmp_path: Path) -> None:
    for text in (
        '[checks]\ncoverage = { verification = "all" }\n',
        '[checks]\nseverity = { QU001 = "fatal" }\n',
        '[project]\nsources = ["../elsewhere"]\n',
        "[fields.requirement]\nasil = 3\n",
        '[diagrams]\ntraceability_limit = "many"\n',
        "[diagrams]\ntraceability_limit = -1\n",
    ):
        (tmp_path / "reqdsl.toml").write_text(text, encoding="utf-8")
        result = run_reqdsl("check", str(tmp_path))
        assert result.returncode == 2, text
        assert result.stderr.startswith("reqdsl: reqdsl.toml"), result.stderr

"""`reqdsl init`: a new project checks clean, and nothing is ever overwritten."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_reqdsl


def test_init_creates_a_project_that_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run_reqdsl("init", str(target))
    assert result.returncode == 0, result.stderr
    report = json.loads(run_reqdsl("check", "--format", "json", str(target)).stdout)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0
    text = "".join(
        (target / name).read_text(encoding="utf-8") for name in ("stakeholders.req", "system.req")
    )
    for kind in ("requirement", "test", "flow", "threat", "decision", "review", "derives-from"):
        assert f"{kind} " in text or f"{kind}:" in text, kind
    assert report["summary"]["coverage"]["verification"] == 100.0


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "system.req").write_text("# mine\n", encoding="utf-8")
    result = run_reqdsl("init", str(tmp_path))
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr
    assert (tmp_path / "system.req").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "reqdsl.toml").exists()


def test_init_name_cannot_break_the_files(tmp_path: Path) -> None:
    result = run_reqdsl("init", "--name", 'Evil" }\ndocument X "', str(tmp_path))
    assert result.returncode == 0
    report = json.loads(run_reqdsl("check", "--format", "json", str(tmp_path)).stdout)
    assert report["summary"]["errors"] == 0

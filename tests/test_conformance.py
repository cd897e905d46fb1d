"""The shared conformance corpus, through the corpus's own runner (../shared/conformance)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import SHARED, reqdsl_command

RUNNER = SHARED / "conformance" / "run.py"
PROJECTS = (
    sorted(p.name for p in (SHARED / "conformance").iterdir() if p.is_dir())
    if RUNNER.exists()
    else []
)


def test_corpus_is_present_in_ci() -> None:
    """CI always has ../shared beside the clone: never let the corpus be skipped there."""
    if os.environ.get("CI"):
        assert RUNNER.exists(), f"conformance runner missing at {RUNNER}"


@pytest.mark.skipif(
    not RUNNER.exists(), reason="the shared conformance corpus is not beside this checkout"
)
@pytest.mark.parametrize("project", PROJECTS)
def test_conformance_project(project: str) -> None:
    command = " ".join(reqdsl_command())
    result = subprocess.run(
        [sys.executable, str(RUNNER), "--reqdsl", command, str(SHARED / "conformance" / project)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "REQDSL_NO_CACHE": "1"},  # never write caches into ../shared
    )
    assert result.returncode == 0, result.stdout + result.stderr

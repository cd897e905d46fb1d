"""Shared fixtures: where the conformance corpus is, how to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REQDSL_SHARED", ROOT.parent / "shared"))


def reqdsl_command() -> list[str]:
    """The installed console script next to this interpreter (the real CLI)."""
    script = Path(sys.executable).with_name("reqdsl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reqdsl.cli"]


def run_reqdsl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*reqdsl_command(), *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture
def reqdsl():
    return run_reqdsl

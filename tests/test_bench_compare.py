"""bench/compare.py: one command prints the comparison table (reqdsl only here: no peer
is installed by the tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.bench]

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "bench" / "compare.py"

ROWS = [
    "| check, cold |",
    "| check, warm cache |",
    "| HTML build, full |",
    "| HTML rebuild, nothing changed |",
    "| HTML rebuild, one statement edited |",
    "| peak RSS MB, check cold |",
    "| peak RSS MB, HTML build full |",
]


def run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(COMPARE), "--sizes", "1000", "--runs", "1"]
    command += ["--tools", "reqdsl", "--reqdsl-no-diagrams", "--work", str(tmp_path)]
    command += ["--venvs", str(tmp_path / "no-venvs"), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_reqdsl_only_prints_the_table(tmp_path: Path) -> None:
    done = run(tmp_path)
    table = done.stdout
    assert "### N = 1,000" in table
    assert "| operation | reqdsl |" in table
    for row in ROWS:
        assert row in table, row
    # every timing row holds a number: every operation ran and succeeded
    for line in table.splitlines():
        if line.startswith(("| check", "| HTML", "| peak")):
            value = line.split("|")[2].strip()
            assert float(value) > 0, line
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    ops = {r["op"] for r in records}
    assert ops == {
        "validate",
        "validate-warm-cache",
        "html",
        "html-noop-rebuild",
        "html-incremental-1-edit",
    }
    assert all(r["rc"] == 0 and not r["timed_out"] for r in records)
    # the one-edit run changed the requirement the peers' harness edits too
    assert "Edit 1." in (tmp_path / "data" / "n1000" / "reqdsl" / "SYS001.req").read_text()
    page = tmp_path / "out" / "n1000" / "reqdsl" / "site" / "documents" / "sys001.html"
    assert "Edit 1." in page.read_text(encoding="utf-8")
    # no peer was installed
    assert not (tmp_path / "no-venvs").exists()
    # --report prints the same table again from the JSON lines
    again = subprocess.run(
        [sys.executable, str(COMPARE), "--report", str(tmp_path / "results.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.strip() == table.strip()


def test_a_run_over_the_limit_is_recorded_not_fatal(tmp_path: Path) -> None:
    table = run(tmp_path, "--timeout", "0.05").stdout
    assert "| check, cold | > 0.05 s |" in table
    # operations that need the state of one that did not finish are skipped
    assert "| check, warm cache | skipped |" in table

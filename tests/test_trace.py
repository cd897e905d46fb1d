"""`reqdsl trace ID`: the impact tree, up and down, in text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reqdsl.cli import main
from reqdsl.interop.trace import impact_tree
from reqdsl.model.project import load_project

from .conftest import run_reqdsl

VALID = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "valid"


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    project = tmp_path / "valid"
    shutil.copytree(VALID, project)
    return project


def test_down_is_what_a_change_affects(valid: Path) -> None:
    tree = impact_tree(load_project(valid, use_cache=False), "N-BOOK", "down")
    children = [(child.via, child.id) for child in tree.children]
    assert children == [
        ("derives-from", "REQ-BOOK-001"),
        ("derives-from", "REQ-BOOK-002"),
        ("derives-from", "REQ-UX-001"),
    ]
    first = tree.children[0]
    assert [(c.via, c.id) for c in first.children] == [
        ("depends-on", "REQ-BOOK-002"),
        ("verifies", "TC-BOOK-1"),
    ]
    again = tree.children[1]
    assert again.repeated and again.children == []  # shown under REQ-BOOK-001 already


def test_up_and_down_in_text(valid: Path) -> None:
    done = run_reqdsl("trace", "REQ-BOOK-001", str(valid), "--no-cache")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("up: what it links to")
    assert '└── (derives-from) N-BOOK [requirement] "Book online"' in done.stdout
    assert '    ├── (source) ST-PAT [stakeholder] "Patient"' in done.stdout
    assert "(repeated, see above)" in done.stdout
    assert '└── (verifies) TC-BOOK-1 [test] "Reserve a free slot"' in done.stdout


def test_json_and_one_direction(valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", "T-STUFF", str(valid), "--down", "--format", "json", "--no-cache"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"id", "down"}
    mitigation = data["down"]["children"][0]
    assert (mitigation["id"], mitigation["via"], mitigation["kind"]) == (
        "REQ-SEC-001",
        "mitigates",
        "requirement",
    )
    assert mitigation["children"][0]["id"] == "TC-SEC-1"
    assert main(["trace", "T-STUFF", str(valid), "--up", "--format", "json", "--no-cache"]) == 0
    up = json.loads(capsys.readouterr().out)["up"]
    assert [(c["via"], c["id"]) for c in up["children"]] == [("target", "F-BOOK")]


def test_cycles_and_dangling_links_stay_finite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.req").write_text(
        'document D "d" { level: system }\n'
        'requirement A "a" { statement: "A shall x." refines: B }\n'
        'requirement B "b" { statement: "B shall y." refines: A, GHOST }\n',
        encoding="utf-8",
    )
    assert main(["trace", "A", str(tmp_path), "--up", "--no-cache"]) == 0
    text = capsys.readouterr().out
    assert '(refines) A [requirement] "a" (repeated, see above)' in text
    assert "(refines) GHOST [unknown ID]" in text


def test_unknown_id_is_a_usage_error(valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", "REQ-BOOK-01", str(valid), "--no-cache"]) == 2
    assert "did you mean `REQ-BOOK-001`" in capsys.readouterr().err

"""`reqdsl diff`: added, removed and changed elements field by field, suspect links,
between folders and between git revisions (a real temporary repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reqdsl.cli import main
from reqdsl.interop.diff import diff_projects
from reqdsl.interop.diff_render import diff_markdown
from reqdsl.interop.git_revisions import RevisionError, baseline_diff, split_range
from reqdsl.model.project import load_project

from .conftest import run_reqdsl

VALID = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "valid"


def _edit(project: Path) -> None:
    """Change a requirement's statement and a need's priority, drop a threat's
    likelihood, remove a requirement and add one."""
    srs = project / "srs.req"
    text = srs.read_text(encoding="utf-8")
    text = text.replace("reserve that slot for the patient.", "reserve that slot for 10 minutes.")
    start = text.index("    requirement REQ-UX-001")
    end = text.index("}\n", text.index("compliance: wcag", start)) + 2
    text = text[:start] + text[end:]
    text += '\nrequirement REQ-NEW "New" { statement: "The booking service shall log in <b>bold</b>." }\n'
    srs.write_text(text, encoding="utf-8")
    needs = project / "stakeholders.req"
    needs.write_text(
        needs.read_text(encoding="utf-8").replace(
            "status: approved\n        source: ST-PAT", "status: proposed\n        source: ST-PAT"
        ),
        encoding="utf-8",
    )
    threats = project / "threats.req"
    threats.write_text(
        threats.read_text(encoding="utf-8").replace("    likelihood: medium\n", ""),
        encoding="utf-8",
    )


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(VALID, old)
    shutil.copytree(VALID, new)
    _edit(new)
    return old, new


def test_diff_names_changes_and_suspect_links(versions: tuple[Path, Path]) -> None:
    old, new = versions
    diff = diff_projects(load_project(old, use_cache=False), load_project(new, use_cache=False))
    assert [item.id for item in diff.added] == ["REQ-NEW"]
    assert [item.id for item in diff.removed] == ["REQ-UX-001"]
    changed = {change.element.id: change.changes for change in diff.changed}
    assert set(changed) == {"REQ-BOOK-001", "N-BOOK", "T-DBLEAK"}
    (statement,) = changed["REQ-BOOK-001"]
    assert statement.field == "statement" and statement.new.endswith("for 10 minutes.")  # type: ignore[union-attr]
    assert [(c.field, c.old, c.new) for c in changed["N-BOOK"]] == [
        ("status", "approved", "proposed")
    ]
    assert [(c.field, c.old, c.new) for c in changed["T-DBLEAK"]] == [
        ("likelihood", "medium", None)
    ]
    suspect = {(s.source.id, s.field, s.target, s.reason) for s in diff.suspect}
    assert suspect == {
        ("TC-BOOK-1", "verifies", "REQ-BOOK-001", "changed"),  # a test of a changed requirement
        ("REQ-BOOK-002", "depends-on", "REQ-BOOK-001", "changed"),
        ("REQ-BOOK-001", "derives-from", "N-BOOK", "changed"),  # derived from a changed need
        ("REQ-BOOK-002", "derives-from", "N-BOOK", "changed"),
        ("REQ-SEC-002", "mitigates", "T-DBLEAK", "changed"),
    }


def test_cli_formats_and_exit_codes(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = versions
    done = run_reqdsl("diff", str(old), str(new), "--no-cache")
    assert done.returncode == 1, done.stderr
    assert '  ~ requirement REQ-BOOK-001 "Reserve a free slot"' in done.stdout
    assert "      status: 'approved' -> 'proposed'" in done.stdout
    assert (
        '  ! test TC-BOOK-1 "Reserve a free slot": verifies REQ-BOOK-001 (REQ-BOOK-001 changed)'
        in done.stdout
    )
    assert main(["diff", str(old), str(new), "--format", "json", "--no-cache"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["added"] == [{"id": "REQ-NEW", "kind": "requirement", "title": "New"}]
    assert {"field": "likelihood", "old": "medium", "new": None} in next(
        c for c in data["changed"] if c["id"] == "T-DBLEAK"
    )["changes"]
    assert main(["diff", str(old), str(old), "--no-cache"]) == 0
    assert capsys.readouterr().out.endswith(": none\n")
    assert main(["diff", str(old)]) == 2


def test_markdown_escapes_user_text(versions: tuple[Path, Path]) -> None:
    old, new = versions
    (new / "srs.req").write_text(
        (new / "srs.req")
        .read_text(encoding="utf-8")
        .replace('"Reserve a free slot"', '"Reserve <script>x</script> | slot"'),
        encoding="utf-8",
    )
    text = diff_markdown(
        diff_projects(load_project(old, use_cache=False), load_project(new, use_cache=False)),
        "Changes since v1",
    )
    assert text.startswith("# Changes since v1\n")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert (
        "| title | Reserve a free slot | Reserve &lt;script&gt;x&lt;/script&gt; \\| slot |" in text
    )
    assert "## Suspect links" in text and "<b>" not in text


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose project lives in `spec/`: v1 committed, then v2 committed."""
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo / "spec")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    _git(repo, "tag", "v1")
    _edit(repo / "spec")
    _git(repo, "commit", "-q", "-am", "v2")
    return repo


def test_git_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = repo / "spec"
    assert main(["diff", "--git", "v1..HEAD", str(spec), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["old"], data["new"]) == ("v1", "HEAD")
    assert [item["id"] for item in data["removed"]] == ["REQ-UX-001"]
    assert {s["id"] for s in data["suspect"]} == {
        "TC-BOOK-1",
        "REQ-BOOK-001",
        "REQ-BOOK-002",
        "REQ-SEC-002",
    }
    assert main(["diff", "--git", "HEAD", str(spec), "--no-cache"]) == 0  # work tree = HEAD
    capsys.readouterr()
    (spec / "tests.req").write_text(
        (spec / "tests.req")
        .read_text(encoding="utf-8")
        .replace("kind: acceptance", "kind: system"),
        encoding="utf-8",
    )
    assert main(["diff", "--git", "HEAD", str(spec), "--no-cache"]) == 1
    assert "kind: 'acceptance' -> 'system'" in capsys.readouterr().out
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout.strip() == "M spec/tests.req"  # nothing else touched


def test_baseline_api_for_the_site(repo: Path) -> None:
    diff = baseline_diff(repo / "spec", "v1", use_cache=False)
    assert diff.old_label == "v1" and [i.id for i in diff.added] == ["REQ-NEW"]
    page = diff_markdown(diff, "Changes since v1")
    assert "## Changed" in page and "`REQ-BOOK-001` (requirement)" in page


def test_bad_revisions_are_reported(repo: Path, tmp_path: Path) -> None:
    done = run_reqdsl("diff", "--git", "nope..HEAD", str(repo / "spec"))
    assert done.returncode == 2 and "reqdsl:" in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(RevisionError):
        split_range("--upload-pack=x")
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(RevisionError):
        baseline_diff(outside, "HEAD")

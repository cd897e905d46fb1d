"""Fuzzing the whole `reqdsl build` (issue #10): a handful of real builds, MkDocs
included, of damaged copies of the conformance `valid` project.

A build takes a second or two, so the CI budget is a few examples (the page generation
before MkDocs is fuzzed with many more in tests/test_fuzz.py). Properties: never a
traceback; the exit status is 0 or 1 (2 would be MkDocs failing or an internal error);
on exit 1 the previously published site is left exactly as it was; with
`--allow-errors` a site is published all the same. REQDSL_FUZZ_EXAMPLES raises the budget
(to 2% of it: a build is slow).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqdsl.cli import main

from .test_fuzz import CONFORMANCE, budget, mutations

pytestmark = [pytest.mark.slow, pytest.mark.build]

VALID = CONFORMANCE / "valid"
FILES = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*.req"))


def contents(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.blake2b(
            path.read_bytes(), digest_size=16
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(project: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", str(project), "-o", str(out), "-q", "--no-cache", *extra])
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the valid project and its site, built once."""
    root = tmp_path_factory.mktemp("fuzz-build")
    project = root / "project"
    shutil.copytree(VALID, project)
    out = root / "site"
    code, _, err = build(project, out, "--no-diagrams")
    assert code == 0, err
    return project, out


@pytest.mark.parametrize("allow_errors", [False, True], ids=["plain", "allow-errors"])
@budget(6, share=0.02)
@given(name=st.sampled_from(FILES), data=st.data())
def test_damaged_project_builds_or_keeps_the_previous_site(
    published: tuple[Path, Path], name: str, data: st.DataObject, allow_errors: bool
) -> None:
    project, out = published
    for relpath in FILES:  # undo the previous example's damage
        shutil.copyfile(VALID / relpath, project / relpath)
    (project / name).write_bytes(data.draw(mutations((VALID / name).read_bytes()), label="bytes"))
    before = contents(out)
    extra = ["--no-diagrams", *(["--allow-errors"] if allow_errors else [])]
    code, stdout, stderr = build(project, out, *extra)
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert code in (0, 1), stderr
    if code == 1 and not allow_errors:
        assert "not updated" in stdout
        assert contents(out) == before, "a failed build changed the published site"
    else:
        assert (out / "index.html").is_file()
    leftovers = [p.name for p in out.parent.iterdir() if "reqdsl-staging" in p.name]
    assert leftovers == []

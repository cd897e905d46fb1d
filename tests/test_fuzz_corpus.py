"""Inputs that once made a fuzzer fail, replayed on every run (tests/data/fuzz/, see the
README there): each through `reqdsl check` and the page generation in this process, as
it is and after a document header (the parser fuzzers of tests/test_parser.py prepend
one), through both parsers (the fast lexer must agree with Lark's, or both must fail),
and all of them together through one real `reqdsl build`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reqdsl.source import normalise_text

from .test_fuzz import check_folder, generate_pages, parse_both
from .test_fuzz_build import build

FOLDER = Path(__file__).resolve().parent / "data" / "fuzz"
HEADER = b'document D "Doc" { level: software }\n'
# A case is a `.req` file (checked alone) or a folder (a whole project, checked as one).
CASES = sorted(p for p in FOLDER.iterdir() if p.suffix == ".req" or p.is_dir())


def _project(case: Path, into: Path, *, header: bool) -> Path:
    project = into / "project"
    if case.is_dir():
        shutil.copytree(case, project)
    else:
        project.mkdir()
        data = case.read_bytes()
        (project / case.name).write_bytes(HEADER + data if header else data)
    return project


def test_the_corpus_is_there() -> None:
    assert len([c for c in CASES if c.suffix == ".req"]) >= 2
    assert (FOLDER / "README.md").is_file()


# A file is replayed as it is and behind a document header; a project folder as it is.
_REPLAYS = [
    pytest.param(case, header, id=f"{case.name}-{'with-header' if header else 'as-is'}")
    for case in CASES
    for header in ((False,) if case.is_dir() else (False, True))
]


@pytest.mark.parametrize(("case", "header"), _REPLAYS)
def test_input_that_once_failed_is_checked_and_generated(
    case: Path, header: bool, tmp_path: Path
) -> None:
    project = _project(case, tmp_path, header=header)
    check_folder(project)  # never raises, every diagnostic inside its file
    for path in sorted(project.rglob("*.req")):
        text = normalise_text(path.read_bytes().decode("utf-8", errors="replace"))
        contextual, fast = parse_both(text)  # the fast lexer agrees, or both fail
        assert contextual == fast or (str(contextual) + str(fast)).count("error:") == 2
    assert "docs/index.md" in generate_pages(project)


def test_the_whole_corpus_builds(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for case in CASES:
        if case.is_dir():
            shutil.copytree(case, project / case.name)
        else:
            (project / case.name).write_bytes(case.read_bytes())
    out = tmp_path / "site"
    code, _, stderr = build(project, out, "--no-diagrams", "--allow-errors")
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert code in (0, 1), stderr
    assert (out / "index.html").is_file()

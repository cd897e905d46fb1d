"""The per-document matrix and diagnostics pages (and the document pages) kept from the
previous build (reqdsl.site.page_cache) give, after an edit, exactly the site a clean
build gives: every generated page and every published file, byte for byte.

The workload is bench/gen.py's (documents of 100 requirements linked across levels),
small, with the page-split thresholds lowered so that the matrix and the diagnostics are
a page per document as at 10,000 requirements."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reqdsl.site.builder import BuildOptions, build_site
from reqdsl.site.pages import diagnostics, matrix
from reqdsl.site.publish import MARKER
from reqdsl.util.cache_dirs import project_cache_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from gen import generate  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.build]


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.blake2b(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MARKER and path.name != ".reqdsl-pages"
    }


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _statement(project: Path) -> None:  # the benchmark's edit
    text = (project / "SYS001.req").read_text(encoding="utf-8")
    start = text.index("statement:", text.index("requirement SYS001_0001 "))
    end = text.index("\n", start)
    edited = text[: end - 1] + ' The value shall be logged."' + text[end:]
    (project / "SYS001.req").write_text(edited, encoding="utf-8")


def _relink(project: Path) -> None:
    # Children move from one system requirement to another (other files' matrix rows
    # and gaps change, SWR001's text alone changes).
    text = (project / "SWR001.req").read_text(encoding="utf-8")
    start = text.index("derives-from:", text.index("requirement SWR001_0001 "))
    end = text.index("\n", start)
    (project / "SWR001.req").write_text(
        text[:start] + "derives-from: SYS001_0002, SYS002_0003" + text[end:], encoding="utf-8"
    )


def _duplicate_and_unresolved(project: Path) -> None:
    # A second SYS001_0003 in another file (SM001, anchors), a link that no longer
    # resolves, and a retitled element other pages link to.
    replace(project / "STK001.req", 'requirement STK001_0001 "', 'requirement STK001_0001 "New ')
    replace(project / "SWR002.req", "derives-from: SYS", "derives-from: GONE_1, SYS")
    path = project / "SWR003.req"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\nrequirement SYS001_0003 "Twin" {\n    statement: "The system shall log."\n}\n',
        encoding="utf-8",
    )


def _remove_requirement(project: Path) -> None:
    # One requirement fewer: every later element's order (and section anchors) shift.
    text = (project / "SYS001.req").read_text(encoding="utf-8")
    start = text.index("    requirement SYS001_0005 ")
    end = text.index("    requirement SYS001_0006 ")
    (project / "SYS001.req").write_text(text[:start] + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    "edits",
    [[_statement], [_relink, _statement], [_duplicate_and_unresolved], [_remove_requirement]],
    ids=["statement", "relink", "duplicate", "remove"],
)
def test_kept_pages_equal_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: list[Callable[[Path], None]]
) -> None:
    monkeypatch.setattr(matrix, "SPLIT_ROWS", 50)
    monkeypatch.setattr(diagnostics, "SPLIT_ROWS", 50)
    project = tmp_path / "p"
    generate(600, project)
    out = tmp_path / "site"

    def options(**more: object) -> BuildOptions:
        return BuildOptions(project=project, output=out, diagrams=False, allow_errors=True, **more)  # type: ignore[arg-type]

    build_site(options(), stream=None)
    sources = project_cache_dir(project) / "site"
    for step, edit in enumerate(edits):
        edit(project)
        result = build_site(options(), stream=None)
        assert result.state == "built"
        if edit is _statement:  # the pages of the other files are kept
            assert result.pages_kept >= 3 * 5
        docs = next(sources.iterdir()) / "docs"
        assert (docs / "traceability" / "sys001.md").is_file()
        assert (docs / "diagnostics" / "swr001.md").is_file()
        # A clean build: a new sources folder (no page kept) and a new output (MkDocs
        # renders everything).
        clean_sources, clean_out = tmp_path / f"clean-sources-{step}", tmp_path / f"clean-{step}"
        clean = BuildOptions(
            project=project,
            output=clean_out,
            diagrams=False,
            allow_errors=True,
            sources=clean_sources,
        )
        assert build_site(clean, stream=None).pages_kept == 0
        # The Markdown generated (kept or not) and the published HTML, byte for byte.
        assert files(docs) == files(clean_sources / "docs")
        assert files(out) == files(clean_out)

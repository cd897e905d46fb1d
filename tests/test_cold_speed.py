"""Issue 19, cold speed: the rules that dominate a check at 100,000 requirements grow
linearly, and loading keeps nothing that nothing reads.

Growth is measured by counting work, not by timing it (the machine is shared): the
number of Python lines reqdsl's own code executes (`sys.settrace` line events in
modules under `reqdsl/`). That count is the same on a quiet and on a loaded machine;
doubling the input must not come near quadrupling it.
"""

from __future__ import annotations

import shutil
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqdsl.checks import load_rule_modules
from reqdsl.checks.quality import _longest_first
from reqdsl.checks.registry import CheckContext, all_rules
from reqdsl.model.project import load_project
from reqdsl.site.publish import site_hashes, stamped

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from gen import generate

REQDSL = str(Path(__file__).resolve().parents[1] / "reqdsl")
HEADER = 'document D "d" { level: software }\n'


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of reqdsl's own code `work` executes."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def call(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(REQDSL) else None

    sys.settrace(call)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _rule_work(project_folder: Path, code: str) -> Callable[[], object]:
    load_rule_modules()
    project = load_project(project_folder, use_cache=False)
    (chosen,) = [r for r in all_rules() if r.code == code]
    return lambda: list(chosen.check(CheckContext(project)))


@pytest.mark.parametrize("code", ["QU001", "QU003", "QU004", "SM006", "TR001"])
def test_dominant_rules_grow_linearly_with_the_project(tmp_path: Path, code: str) -> None:
    generate(300, tmp_path / "small")
    generate(600, tmp_path / "large")
    small = lines_run(_rule_work(tmp_path / "small", code))
    large = lines_run(_rule_work(tmp_path / "large", code))
    assert small > 0
    assert large / small < 2.6, (code, small, large)


def _vague_project(folder: Path, terms: int) -> Path:
    folder.mkdir()
    statement = "The system shall be " + " and ".join(["fast"] * terms) + "."
    (folder / "a.req").write_text(
        HEADER + f'requirement R-1 "r" {{ statement: "{statement}" }}\n', encoding="utf-8"
    )
    return folder


def test_vague_terms_in_one_statement_are_linear(tmp_path: Path) -> None:
    """Overlapping matches were resolved by comparing each match with every one kept:
    quadratic in the terms of one statement (400 -> 800 terms: 4x the lines)."""
    small = lines_run(_rule_work(_vague_project(tmp_path / "s", 400), "QU001"))
    large = lines_run(_rule_work(_vague_project(tmp_path / "l", 800), "QU001"))
    assert large / small < 2.6, (small, large)


def test_loading_releases_each_files_stored_values_as_it_goes(tmp_path: Path) -> None:
    """The files parsed (or read from the cache) were all kept until the last element
    was made from them: the model and every file's field dictionaries at once."""
    generate(1000, tmp_path / "p")
    load_project(tmp_path / "p")  # fill the parse cache: the second load reads it back
    tracemalloc.start()
    try:
        project = load_project(tmp_path / "p")
        size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(project.elements) > 1000
    # What is left is the model; the peak may exceed it by a file's worth and the
    # reading buffers, not by every file's dictionaries of values (15 % before).
    assert peak - size < 0.1 * size, (peak, size)


def _longest_first_by_comparison(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The former definition: each match compared with every match kept."""
    kept: list[tuple[int, int]] = []
    for begin, end in sorted(found, key=lambda match: (match[0] - match[1], match[0])):
        if all(end <= other_begin or begin >= other_end for other_begin, other_end in kept):
            kept.append((begin, end))
    return sorted(kept)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=30))
def test_longest_first_keeps_what_the_comparison_with_every_match_kept(
    spans: list[tuple[int, int]],
) -> None:
    found = [(begin, begin + length) for begin, length in spans]
    assert _longest_first(found) == _longest_first_by_comparison(found)


_OPENED: list[str] | None = None


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _OPENED is not None and isinstance(args[0], str):
        _OPENED.append(args[0])


def test_a_copied_site_is_sealed_by_hashing_only_the_files_written_since(tmp_path: Path) -> None:
    """The incremental build copies the published site, lets MkDocs rewrite a few files
    and seals the result: the copy's unchanged files keep the hashes verified before the
    copy (the whole site was hashed twice per build: 42 MB at 10,000 requirements)."""
    global _OPENED
    site = tmp_path / "site"
    for index in range(40):
        (site / f"d{index % 4}").mkdir(parents=True, exist_ok=True)
        (site / f"d{index % 4}" / f"p{index}.html").write_text(f"page {index}\n" * 50)
    sealed = site_hashes(site)
    assert sealed is not None
    staging = tmp_path / "staging"
    shutil.copytree(site, staging, copy_function=shutil.copy2, symlinks=True)
    known = stamped(staging, sealed)
    (staging / "d1" / "p5.html").write_text("page 5, edited\n")  # what MkDocs rewrote
    (staging / "d2" / "new.html").write_text("a new page\n")
    (staging / "d3" / "p3.html").unlink()
    sys.addaudithook(_record_opens)
    _OPENED = []
    try:
        resealed = site_hashes(staging, known)
        opened = sorted(Path(name).relative_to(staging).as_posix() for name in _OPENED)
    finally:
        _OPENED = None
    assert resealed == site_hashes(staging)
    assert opened == ["d1/p5.html", "d2/new.html"]


def test_a_sealed_hash_is_not_reused_for_a_file_replaced_by_a_link(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("a\n")
    (tmp_path / "secret").write_text("not the site's\n")
    sealed = site_hashes(site)
    assert sealed is not None
    known = stamped(site, sealed)
    (site / "a.html").unlink()
    (site / "a.html").symlink_to(tmp_path / "secret")
    assert site_hashes(site, known) is None


@pytest.mark.build
def test_an_incremental_build_seals_the_site_it_publishes(tmp_path: Path) -> None:
    """After an edit the copied site is sealed with the verified hashes of the files
    MkDocs left alone and fresh ones for those it wrote: the next build trusts it."""
    from reqdsl.site.builder import BuildOptions, build_site
    from reqdsl.site.publish import read_trusted_marker
    from tests.test_site_generate import copy_project

    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    options = BuildOptions(project=project, output=out, allow_errors=True, diagrams=False)
    build_site(options, stream=None)
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("shall reserve that slot", "shall quickly reserve it"))
    result = build_site(options, stream=None)
    assert result.state == "built" and result.rendered is not None  # incremental
    marker = read_trusted_marker(out)
    assert marker is not None
    assert marker["site"] == site_hashes(out)
    assert build_site(options, stream=None).state == "up to date"

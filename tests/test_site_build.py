"""`reqdsl build`: a real MkDocs Material build, published atomically.

Covers: the pages and anchors of the built site, internal links across the whole built
site, no MkDocs warnings, offline settings, a failed build keeping the previous site, a
build killed with SIGKILL midway keeping it too, two builds at once, refusing an output
folder reqdsl did not make, the no-op rebuild writing nothing, and diagrams falling back
to their source when rendering is unavailable.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from reqdsl.cli import main
from reqdsl.site.builder import BuildOptions, build_site
from reqdsl.site.publish import MARKER, recover, write_marker
from reqdsl.util.cache_dirs import project_cache_dir
from tests.conftest import reqdsl_command
from tests.test_site_generate import copy_project, write_hostile_project

pytestmark = [pytest.mark.slow, pytest.mark.build, pytest.mark.java]

ROOT = Path(__file__).resolve().parents[1]


def build(project: Path, out: Path, *extra: str) -> int:
    return main(["build", str(project), "-o", str(out), "-q", *extra])


def tree(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `folder`: content hash, inode and mtime (to see rewrites)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            found[str(path.relative_to(folder))] = (digest, stat.st_ino, stat.st_mtime_ns)
    return found


def contents(folder: Path) -> dict[str, str]:
    return {path: digest for path, (digest, _, _) in tree(folder).items()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if ".reqdsl-" in p.name and p != out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for name in ("valid", "v11-valid"):
        root = tmp_path_factory.mktemp(name)
        project = copy_project(name, root)
        result = build_site(BuildOptions(project=project, output=root / "site"), stream=None)
        assert result.exit_code == 0 and result.state == "built"
        assert result.mkdocs_warnings == []
        sites[name] = root / "site"
    return sites


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value and tag in ("a", "img", "script", "link"):
                self.urls.append(value)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.mark.parametrize("name", ["valid", "v11-valid"])
def test_pages_anchors_and_links_of_the_built_site(built: dict[str, Path], name: str) -> None:
    site = built[name]
    for page in ("index.html", "traceability.html", "gdpr.html", "iso27001.html",
                 "threats.html", "decisions.html", "validation.html", "diagrams.html",
                 "glossary.html", "diagnostics.html", "documents/index.html"):  # fmt: skip
        assert (site / page).is_file(), page
    pages = {path: parse(path) for path in site.rglob("*.html")}
    checked = 0
    for path, links in pages.items():
        if path.name == "404.html":  # Material's, with root-absolute URLs by design
            continue
        for url in links.urls:
            parts = urlparse(url)
            if parts.scheme or url.startswith("//"):
                pytest.fail(f"{path.name} links to another host: {url}")
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path.relative_to(site)}: broken link {url}"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in pages[target].ids, (
                    f"{path.relative_to(site)}: no anchor for {url}"
                )
            checked += 1
    assert checked > 200
    html = (site / "index.html").read_text()
    assert "fonts.googleapis" not in html and "unpkg.com" not in html
    assert "assets/reqdsl/iframe-worker-shim.js" in html
    assert (site / "search" / "search_index.js").is_file()  # search from file://


def test_every_element_anchor_in_the_built_site(built: dict[str, Path]) -> None:
    from reqdsl.model.project import load_project

    project = load_project(built["valid"].parent / "valid", use_cache=False)
    ids = {path.name: parse(path).ids for path in (built["valid"] / "documents").glob("*.html")}
    everywhere = set().union(*ids.values())
    for element in project.elements:
        if element.id is not None:
            assert element.id in everywhere, element.id


def test_no_op_rebuild_writes_nothing(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    before = tree(out)
    sources = tree(project_cache_dir(project) / "site")
    started = time.perf_counter()
    assert build(project, out) == 0
    assert time.perf_counter() - started < 2.0
    assert tree(out) == before
    assert tree(project_cache_dir(project) / "site") == sources
    # A change that changes no page (a comment): only the marker is rewritten.
    srs = project / "srs.req"
    srs.write_text(srs.read_text() + "\n# a comment\n")
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert result.state == "marker updated"
    after = tree(out)
    assert {k: v for k, v in after.items() if k != MARKER} == {
        k: v for k, v in before.items() if k != MARKER
    }


def test_another_mkdocs_or_material_rebuilds_the_site_even_when_no_page_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the same generated pages only refreshed the marker: a site rendered by the
    # previous Material (or reqdsl) stayed published under the new one's seal.
    import reqdsl.site.builder as builder

    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    first_index = (out / "index.html").stat().st_ino
    monkeypatch.setattr(builder, "renderer_digest", lambda: "material-of-another-version")
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert (result.state, result.rendered) == ("built", None)  # the whole site again
    assert (out / "index.html").stat().st_ino != first_index  # a new site swapped in
    marker = builder.read_trusted_marker(out)
    assert marker is not None and marker["renderer"] == "material-of-another-version"


def test_an_edit_rewrites_only_changed_pages(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    build(project, out)
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("Reserve a free slot", "Reserve one free slot"))
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert result.state == "built"
    files = len(list((project_cache_dir(project) / "site").rglob("*.*")))
    assert 1 <= result.pages_written < files / 2  # the SRS page, the matrix, its diagrams
    assert "Reserve one free slot" in (out / "documents" / "srs.html").read_text()


def without_marker(folder: Path) -> dict[str, str]:
    return {path: digest for path, digest in contents(folder).items() if path != MARKER}


def _retitle_and_vague(project: Path) -> None:
    # A changed title (shown on other pages' links too) and a new vague term (a warning:
    # the home page and the diagnostics page change with it).
    srs = project / "srs.req"
    text = srs.read_text().replace('"Reserve a free slot"', '"Reserve a slot"')
    srs.write_text(text.replace("shall reserve that slot", "shall quickly reserve that slot"))


def _new_back_link(project: Path) -> None:
    # Only tests.req changes, but the SRS page shows the new "verified by" back-link.
    tests = project / "tests.req"
    tests.write_text(
        tests.read_text().replace("verifies: REQ-BOOK-002", "verifies: REQ-BOOK-002, REQ-BOOK-001")
    )


def _duplicate_and_unresolved(project: Path) -> None:
    # A second REQ-BOOK-002 (its anchor becomes REQ-BOOK-002--2, an SM001) and a link to
    # an element that no longer resolves.
    tests = project / "tests.req"
    tests.write_text(
        tests.read_text().replace("verifies: REQ-BOOK-001", "verifies: REQ-GONE")
        + '\nrequirement REQ-BOOK-002 "Twin" {\n    statement: "The system shall log."\n}\n'
    )


@pytest.mark.parametrize("edit", [_retitle_and_vague, _new_back_link, _duplicate_and_unresolved])
def test_incremental_build_equals_a_full_build(tmp_path: Path, edit) -> None:
    """An edit regenerates only the pages whose inputs changed (reqdsl.site.page_cache)
    and renders only the changed pages (MkDocs' dirty build into a copy of the site, the
    search index merged), and gives byte for byte the site a full build gives."""
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    build_site(BuildOptions(project=project, output=out, allow_errors=True), stream=None)
    edit(project)
    result = build_site(BuildOptions(project=project, output=out, allow_errors=True), stream=None)
    assert result.state == "built"
    assert result.rendered is not None and 1 <= result.rendered <= result.pages_written
    assert result.pages_kept >= 1  # of the five document pages
    full = tmp_path / "full"
    options = BuildOptions(project=project, output=full, force=True, allow_errors=True)
    build_site(options, stream=None)
    assert without_marker(out) == without_marker(full)
    assert without_marker(project_cache_dir(project) / "site") != {}


def test_incremental_build_search_index(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    _retitle_and_vague(project)
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert result.rendered is not None
    index = (out / "search" / "search_index.json").read_text()
    assert "quickly reserve" in index and "REQ-BOOK-001 Reserve a slot" in index


def test_a_new_page_or_navigation_change_rebuilds_everything(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    (project / "extra.req").write_text(
        'document EXTRA "Extra" {\n    version: "1"\n}\n', encoding="utf-8"
    )
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert result.rendered is None  # a page was added: a full build, no stale page
    full = tmp_path / "full"
    build_site(BuildOptions(project=project, output=full, force=True), stream=None)
    assert without_marker(out) == without_marker(full)
    (project / "extra.req").unlink()
    result = build_site(BuildOptions(project=project, output=out), stream=None)
    assert result.rendered is None
    assert not (out / "documents" / "extra.html").exists()


def test_failed_build_keeps_the_previous_site(tmp_path: Path, capsys) -> None:
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    before = contents(out)
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("derives-from: N-BOOK\n", "derives-from: N-NOPE\n", 1))
    capsys.readouterr()
    assert build(project, out) == 1
    captured = capsys.readouterr()
    assert "SM002" in captured.err and "not updated" in captured.out
    assert contents(out) == before
    assert leftovers(out) == [f".{out.name}.reqdsl-lock"]
    # --allow-errors publishes a site that shows the error; the exit status stays 1.
    assert build(project, out, "--allow-errors") == 1
    assert "N-NOPE" in (out / "documents" / "srs.html").read_text()
    assert "SM002" in (out / "diagnostics.html").read_text()


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    (project / "extra.req").write_text(
        'document X "Extra" { level: software }\n'
        'requirement X-1 "Orphan" { statement: "The system shall log." verification: inspection }\n'
    )
    out = tmp_path / "site"
    assert build(project, out) == 0  # warnings only
    assert build(project, tmp_path / "strict", "--strict") == 1
    assert not (tmp_path / "strict").exists()


def test_mkdocs_failure_keeps_the_previous_site(tmp_path: Path, monkeypatch) -> None:
    from reqdsl.site import builder

    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    before = contents(out)
    (project / "srs.req").write_text(
        (project / "srs.req").read_text().replace("Readable", "Legible")
    )

    def broken(config_file: Path, site_dir: Path, *, fast: bool = True) -> list[str]:
        (site_dir / "index.html").write_text("half a site")
        raise builder.SiteError("mkdocs build failed: simulated")

    monkeypatch.setattr(builder, "run_mkdocs", broken)
    assert build(project, out) == 2
    assert contents(out) == before
    assert leftovers(out) == [f".{out.name}.reqdsl-lock"]


def _bench_project(folder: Path, requirements: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen import generate
    finally:
        sys.path.pop(0)
    generate(requirements, folder)
    return folder


def test_build_killed_midway_keeps_the_previous_site(tmp_path: Path) -> None:
    project = _bench_project(tmp_path / "project", 1500)
    out = tmp_path / "site"
    assert build(project, out, "--no-diagrams") == 0
    before = contents(out)
    first = project / "SWR001.req"
    first.write_text(first.read_text().replace("Needed for", "Required for"))
    process = subprocess.Popen(
        [*reqdsl_command(), "build", str(project), "-o", str(out), "-q", "--no-diagrams"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = out.parent / f"{out.name}.reqdsl-staging-{process.pid}"
    deadline = time.monotonic() + 120
    while not (staging / "documents").is_dir():  # MkDocs is writing pages
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build never reached MkDocs"
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert contents(out) == before  # the previous site, whole
    assert staging.exists()  # what the killed build left
    assert build(project, out, "--no-diagrams") == 0  # the next build cleans up
    assert leftovers(out) == [f".{out.name}.reqdsl-lock"]
    assert "Required for" in (out / "documents" / "swr001.html").read_text()


def test_recover_puts_back_a_site_retired_by_a_killed_swap(tmp_path: Path) -> None:
    out = tmp_path / "site"
    retired = tmp_path / "site.reqdsl-old-12345"
    retired.mkdir()
    write_marker(retired, {"state": "published"})
    (retired / "index.html").write_text("previous")
    staging = tmp_path / "site.reqdsl-staging-12345"
    staging.mkdir()
    write_marker(staging, {"state": "staging"})
    recover(out)
    assert (out / "index.html").read_text() == "previous"
    assert not retired.exists() and not staging.exists()


def test_two_builds_at_once_both_finish(tmp_path: Path) -> None:
    project = copy_project("v11-valid", tmp_path)
    out = tmp_path / "site"
    command = [*reqdsl_command(), "build", str(project), "-o", str(out), "--force"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert (out / "index.html").is_file() and (out / "decisions.html").is_file()
    assert (out / MARKER).is_file()
    assert leftovers(out) == [f".{out.name}.reqdsl-lock"]
    assert any("waiting for another build" in err for _, err in results)


def test_refuses_a_folder_it_did_not_make(tmp_path: Path, capsys) -> None:
    project = copy_project("valid", tmp_path)
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert build(project, foreign) == 2
    assert "not made by `reqdsl build`" in capsys.readouterr().err
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    assert build(project, project) == 2  # `-o .` from inside the project
    assert build(project, tmp_path) == 2  # a folder holding the project
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert build(project, link) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, empty) == 0  # an empty folder loses nothing
    assert (empty / "index.html").is_file()


def test_usage_errors(tmp_path: Path, capsys) -> None:
    project = copy_project("valid", tmp_path)
    assert main(["build", str(project), "--no-such-flag"]) == 2
    assert build(project, tmp_path / "site", "--junit", str(tmp_path / "missing.xml")) == 2
    assert "missing.xml" in capsys.readouterr().err
    assert build(tmp_path / "nowhere", tmp_path / "site") == 2
    assert not (tmp_path / "site").exists()


def test_hostile_junit_report_is_refused_and_keeps_the_site(tmp_path: Path, capsys) -> None:
    """The site reads JUnit with defusedxml (reqdsl.interop.junit): an external entity
    is refused with a message, never resolved, and the previous site stays."""
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert build(project, out) == 0
    before = contents(out)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    report = tmp_path / "junit.xml"
    report.write_text(
        f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<testsuite><testcase classname="tests.test_booking" name="&x;"/></testsuite>'
    )
    capsys.readouterr()
    assert build(project, out, "--junit", str(report)) == 2
    err = capsys.readouterr().err
    assert "junit.xml" in err and "Traceback" not in err
    assert contents(out) == before
    assert "TOP-SECRET" not in "".join(p.read_text() for p in out.rglob("*.html"))


def test_default_output_is_site_dir_of_the_project(tmp_path: Path) -> None:
    project = copy_project("v11-valid", tmp_path)
    assert main(["build", str(project), "-q", "--no-diagrams"]) == 0
    assert (project / "site" / "index.html").is_file()


def test_diagrams_unavailable_still_build(tmp_path: Path, monkeypatch, capsys) -> None:
    from reqdsl.diagrams import render, runtime

    def unavailable(root: Path | None = None) -> runtime.Runtime:
        raise runtime.RenderUnavailable("no Java runtime (simulated)")

    monkeypatch.setattr(render, "find_runtime", unavailable)
    project = copy_project("valid", tmp_path)
    out = tmp_path / "site"
    assert main(["build", str(project), "-o", str(out), "--no-cache"]) == 0
    assert "no Java runtime (simulated)" in capsys.readouterr().err
    threats = (out / "threats.html").read_text()
    assert "no Java runtime (simulated)" in threats and "@startuml" in threats
    assert not (out / "diagrams").exists()


def test_diagrams_are_embedded(built: dict[str, Path]) -> None:
    site = built["v11-valid"]
    document = (site / "documents" / "design.html").read_text()
    assert 'src="../diagrams/activity/ACT-LOGIN.svg"' in document
    assert (site / "diagrams" / "activity" / "ACT-LOGIN.svg").read_text().lstrip().startswith("<")
    assert "diagrams/traceability/DESIGN.svg" in document
    assert 'src="diagrams/data-flow.svg"' in (built["valid"] / "threats.html").read_text()


def test_hostile_project_builds_inert(tmp_path: Path) -> None:
    from tests.test_site_generate import inert_problems

    project = write_hostile_project(tmp_path / "hostile")
    out = tmp_path / "site"
    assert build(project, out, "--allow-errors") == 1
    for path in out.rglob("*.html"):
        assert inert_problems(path.read_text()) == [], path
    title = (
        (out / "documents" / "evil.html").read_text().split("<title>", 1)[1].split("</title>")[0]
    )
    assert "<" not in title


def test_serve_command_is_registered() -> None:
    result = subprocess.run(
        [*reqdsl_command(), "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "127.0.0.1" in result.stdout


def test_serve_rebuilds_on_change(tmp_path: Path) -> None:
    import socket

    project = copy_project("v11-valid", tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*reqdsl_command(), "serve", str(project), "--port", str(port), "--no-diagrams"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/decisions.html"
    try:
        page = _fetch(url, lambda text: "Session store" in text)
        assert "livereload" in page  # MkDocs' live reload script, served locally
        design = project / "design.req"
        design.write_text(design.read_text().replace("Session store", "Session cache"))
        _fetch(url, lambda text: "Session cache" in text)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _fetch(url: str, ready, timeout: float = 90.0) -> str:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode()
            if ready(text):
                return text
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        assert time.monotonic() < deadline, f"{url} never became ready"
        time.sleep(0.3)


def test_shared_corpus_is_left_alone() -> None:
    shared = ROOT.parent / "shared" / "conformance"
    for name in ("valid", "v11-valid"):
        assert not (shared / name / ".reqdsl_cache").exists()
        assert not (shared / name / "site").exists()


def test_baseline_adds_a_changes_page(tmp_path: Path, capsys) -> None:
    """`--baseline REV`: a "Changes since REV" page in the navigation, with the changed
    element field by field and the links that became suspect; a revision git cannot
    find is exit 2 and keeps the site."""
    from tests.test_diff import _git

    repo = tmp_path / "repo"
    project = copy_project("valid", repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    _git(repo, "tag", "v1")
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("shall reserve that slot", "shall hold that slot"))
    out = tmp_path / "site"
    assert build(project, out, "--baseline", "v1") == 0
    page = (out / "changes.html").read_text()
    assert "Changes since v1" in page
    assert "REQ-BOOK-001" in page and "shall hold that slot" in page
    assert "Suspect links" in page  # the test verifying REQ-BOOK-001
    assert 'href="changes.html"' in (out / "index.html").read_text()  # in the navigation
    before = contents(out)
    capsys.readouterr()
    assert build(project, out, "--baseline", "no-such-tag") == 2
    assert "no-such-tag" in capsys.readouterr().err
    assert build(project, out, "--baseline", "--upload-pack=touch x") == 2
    assert contents(out) == before
    # Without --baseline the page goes away again.
    assert build(project, out) == 0
    assert not (out / "changes.html").exists()

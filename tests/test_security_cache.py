"""A project from someone else may hold anything in `.reqdsl_cache/`, `site/` and beside
them: symbolic links to the reviewer's files, a committed site with a genuine marker,
links to `/dev/zero`. None of it may lead reqdsl to delete, write, copy or read outside
the project (issue 16, findings 1, 3, 4 and 8).

reqdsl's caches live in the user's cache folder (reqdsl/util/cache_dirs.py), so whatever
a project holds in `.reqdsl_cache/` is never read, written or cleaned; these tests plant
what the attacks of the security review planted and check that the victim's files stay
as they were.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest

from reqdsl.site.builder import BuildOptions, build_site
from reqdsl.site.publish import MARKER

from .conftest import SHARED, reqdsl_command


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns(".reqdsl_cache", "site")  # what older versions left there
    shutil.copytree(SHARED / "conformance" / "valid", project, ignore=ignore)
    return project


def _victim(tmp_path: Path) -> dict[Path, bytes]:
    """Files of the reviewer's, outside the project, that no attack may touch."""
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    files = {
        victim / "notes.txt": b"my notes\n",
        victim / "sub" / "thesis.tex": b"\\documentclass{article}\n",
        victim / "keep.svg": b"<svg>mine</svg>\n",
        victim / "entry.pickle": b"not reqdsl's\n",
        victim / "parse-old" / "x.pickle": b"not reqdsl's either\n",
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _intact(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        assert path.is_file() and path.read_bytes() == data, f"{path} was touched"
    victim = next(iter(files)).parent
    made = {p for p in victim.rglob("*") if p.is_file()} - set(files)
    assert made == set(), f"files were written outside the project: {made}"


def _run(*args: str, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [*reqdsl_command(), *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
    )


def test_a_symlinked_site_cache_folder_deletes_nothing_outside(tmp_path: Path) -> None:
    """Finding 1: `.reqdsl_cache/site/<blake2b of the output path>` committed as a link to
    another folder; the writer deleted every file it did not generate in its target."""
    project = _project(tmp_path)
    files = _victim(tmp_path)
    out = project / "site"
    key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    (project / ".reqdsl_cache" / "site").mkdir(parents=True)
    (project / ".reqdsl_cache" / "site" / key).symlink_to(tmp_path / "victim")
    result = _run("build", str(project), "-o", str(out), "--no-diagrams")
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    _intact(files)


def test_symlinks_planted_in_the_project_cache_lead_nowhere(tmp_path: Path) -> None:
    """Finding 3: links in `.reqdsl_cache/` (the diagram cache, a parse cache of this
    version, a dangling `.gitignore`, the whole folder) and a dangling lock beside the
    output. `check`, `build` and the language server neither delete, nor create, nor
    write through any of them."""
    project = _project(tmp_path)
    files = _victim(tmp_path)
    victim = tmp_path / "victim"
    cache = project / ".reqdsl_cache"
    cache.mkdir()
    (cache / "diagrams").symlink_to(victim)
    (cache / "parse").symlink_to(victim)
    (cache / ".gitignore").symlink_to(victim / "created-by-gitignore")
    lock = project / ".site.reqdsl-lock"
    lock.symlink_to(victim / "created-by-lock")

    assert _run("check", str(project)).returncode == 0
    built = _run("build", str(project))  # diagrams on: the diagram cache is used
    # The dangling lock is refused in one line (reqdsl makes a plain file there).
    assert built.returncode == 2 and "symbolic link" in built.stderr, built.stderr
    assert "Traceback" not in built.stderr
    lock.unlink()
    built = _run("build", str(project))
    assert built.returncode == 0, built.stderr
    from reqdsl.lsp.workspace import ProjectState

    ProjectState(project).load()
    _intact(files)
    assert not (victim / "created-by-gitignore").exists()
    assert not (victim / "created-by-lock").exists()

    # The whole cache folder a link: check writes nothing there and removes nothing.
    shutil.rmtree(cache)
    cache.symlink_to(victim)
    assert _run("check", "--format", "json", str(project)).returncode == 0
    _intact(files)


def test_nothing_is_written_into_the_project_but_the_site(tmp_path: Path) -> None:
    """The root of findings 1 and 3: no cache is kept in the project, so a checkout
    holds after check and build exactly what it held before, plus the site."""
    project = _project(tmp_path)
    before = {p.relative_to(project) for p in project.rglob("*")}
    assert _run("check", str(project)).returncode == 0
    assert _run("build", str(project), "--no-diagrams").returncode == 0
    after = {p.relative_to(project) for p in project.rglob("*")}
    added = {p for p in after - before if p.parts[0] != "site"}
    assert added == {Path(".site.reqdsl-lock")}, added  # the lock beside site/


def _build(project: Path, out: Path) -> str:
    options = BuildOptions(project=project, output=out, diagrams=False)
    return build_site(options, stream=None).state


def test_a_committed_site_with_a_genuine_marker_is_rebuilt_when_its_pages_change(
    tmp_path: Path,
) -> None:
    """Finding 4: a site committed with its genuine sealed marker, then a pull request
    that changes only the HTML: the marker seals every published file's bytes, so the
    next build is a full one and the planted script is gone."""
    project = _project(tmp_path)
    out = project / "site"
    assert _build(project, out) == "built"
    index = out / "index.html"
    index.write_text(index.read_text() + "<script>window.__pwned = 1</script>")
    assert _build(project, out) == "built"
    assert "__pwned" not in index.read_text()
    assert _build(project, out) == "up to date"


def test_an_incremental_build_keeps_no_planted_page_and_follows_no_link(
    tmp_path: Path,
) -> None:
    """Finding 4: a page added to the published site, and a link `site/leak ->
    ../../secret`, followed by an edit of the project: an incremental build started from a
    copy of the site, keeping the page and copying the secret into the new site."""
    project = _project(tmp_path)
    out = project / "site"
    secret = tmp_path / "secret"
    secret.write_text("API_TOKEN=hunter2\n")
    assert _build(project, out) == "built"
    (out / "evil.html").write_text("<script>window.__pwned = 1</script>")
    (out / "leak").symlink_to(os.path.relpath(secret, out))
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("Reserve a free slot", "Reserve one free slot"))
    options = BuildOptions(project=project, output=out, diagrams=False)
    result = build_site(options, stream=None)
    assert result.state == "built" and result.rendered is None  # a full build
    assert not (out / "evil.html").exists() and not (out / "leak").exists()
    published = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"hunter2" not in published and b"__pwned" not in published
    assert secret.read_text() == "API_TOKEN=hunter2\n"


@pytest.mark.parametrize("no_cache", [False, True])
def test_links_to_dev_zero_cost_a_refusal_not_the_memory(tmp_path: Path, no_cache: bool) -> None:
    """Finding 8: `.reqdsl_cache/check-result.json -> /dev/zero` and `site/.reqdsl-site ->
    /dev/zero` grew to gigabytes (MemoryError), with or without `--no-cache`. The check
    result is no longer read from the project; the marker is read only as a regular file
    of bounded size. Run under a 1.5 GB address-space limit."""
    project = _project(tmp_path)
    (project / ".reqdsl_cache").mkdir()
    (project / ".reqdsl_cache" / "check-result.json").symlink_to("/dev/zero")
    flags = ["--no-cache"] if no_cache else []
    checked = _run("check", *flags, str(project), memory=1536 << 20)
    assert checked.returncode == 0, checked.stderr
    site = project / "site"
    site.mkdir()
    (site / MARKER).symlink_to("/dev/zero")
    (site / "index.html").write_text("<p>committed</p>")
    built = _run("build", *flags, "--no-diagrams", str(project), memory=1536 << 20)
    # Not a marker of reqdsl's: the folder is refused, in one line, like any other.
    assert built.returncode == 2, built.stderr
    assert "not made by `reqdsl build`" in built.stderr
    assert "MemoryError" not in built.stderr and "Traceback" not in built.stderr


def test_read_bounded_refuses_links_devices_and_large_files(tmp_path: Path) -> None:
    from reqdsl.util.files import ReadRefused, read_bounded

    plain = tmp_path / "plain"
    plain.write_bytes(b"x" * 10)
    assert read_bounded(plain, 10) == b"x" * 10
    with pytest.raises(ReadRefused):
        read_bounded(plain, 9)
    link = tmp_path / "link"
    link.symlink_to(plain)
    with pytest.raises(ReadRefused):
        read_bounded(link, 100)
    assert read_bounded(link, 100, follow_links=True) == b"x" * 10
    with pytest.raises(ReadRefused):
        read_bounded(Path("/dev/zero"), 100, follow_links=True)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ReadRefused):  # no writer: must not block
        read_bounded(fifo, 100)


def test_the_language_server_reads_no_link_out_of_the_project(tmp_path: Path) -> None:
    """Finding 8: with a broken reqdsl.toml, the language server's own loader read `.req`
    links that resolve outside the project (`reqdsl check` never did). Both now read a
    project's files through one function (reqdsl.model.sources.read_source)."""
    from reqdsl.lsp.workspace import ProjectState

    secret = tmp_path / "secret.req"
    secret.write_text('document LEAK "API_TOKEN=hunter2" { level: system }\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.req").write_text('document D "d" { level: software }\n')
    (project / "leak.req").symlink_to(secret)
    for toml in ("[project\nbroken", None):
        if toml is not None:
            (project / "reqdsl.toml").write_text(toml)
        state = ProjectState(project)
        state.load()
        assert "hunter2" not in state.files["leak.req"].source.text
        assert all(element.id != "LEAK" for element in state.project.elements)
        messages = [d.message for d in state.diagnostics.get("leak.req", [])]
        assert any("outside the project" in message for message in messages), messages

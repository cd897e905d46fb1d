"""Hostile repositories: planted caches, links out of the project, terminal escapes."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from reqdsl.model.sources import content_key
from reqdsl.parse.cache import ParseCache
from reqdsl.util.cache_dirs import project_cache_dir

from .conftest import run_reqdsl

TEXT = 'document D "d" { level: software }\nrequirement R "r" { statement: "x" risk: huge }\n'


class _Planted:
    """Unpickling this would create a marker file: the attack on a pickle cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


def test_planted_parse_cache_is_never_unpickled(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "a.req").write_text(TEXT, encoding="utf-8")
    marker = tmp_path / "marker"
    from reqdsl.model.loaded import custom_fields_key

    cache = ParseCache(project)
    entry = cache.entry_path("a.req", f"{content_key(TEXT.encode())}-{custom_fields_key({})}")
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    result = run_reqdsl("check", "--format", "json", str(project))
    assert not marker.exists(), "a planted cache entry was unpickled"
    assert entry.is_file() and entry.read_bytes() != pickle.dumps(_Planted(marker))  # replaced
    assert result.returncode == 1  # checked for real: SM004 on `risk`


def test_planted_check_result_cannot_make_a_check_pass(tmp_path: Path) -> None:
    (tmp_path / "a.req").write_text(TEXT, encoding="utf-8")
    first = run_reqdsl("check", "--format", "json", str(tmp_path))
    assert first.returncode == 1
    planted = project_cache_dir(tmp_path) / "result" / "check-result.json"
    sealed = planted.read_bytes()
    forged = json.loads(sealed[32:].decode())
    forged["diagnostics"], forged["summary"]["errors"] = [], 0
    for payload in (json.dumps(forged).encode(), b"\0" * 32 + json.dumps(forged).encode()):
        planted.write_bytes(payload)
        assert run_reqdsl("check", "--format", "json", str(tmp_path)).returncode == 1


def test_links_out_of_the_project_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("API_TOKEN=hunter2\n", encoding="utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "a.req").write_text('document D "d"\n', encoding="utf-8")
    os.symlink(secret, project / "leak.req")
    result = run_reqdsl("check", str(project))
    assert "hunter2" not in result.stdout + result.stderr
    assert "outside the project" in result.stdout


def test_catalogue_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "reqdsl.toml").write_text('[catalogs]\nx = "/etc/passwd"\n', encoding="utf-8")
    result = run_reqdsl("check", str(tmp_path))
    assert result.returncode == 2 and "inside the project" in result.stderr


def test_terminal_escapes_in_user_text_are_inert(tmp_path: Path) -> None:
    (tmp_path / "a.req").write_text(
        'document D "d" { level: software }\n'
        'requirement R "r" { statement: "The app shall \x1b[2J\x1b]0;owned\x07 run." priorty: must }\n',
        encoding="utf-8",
    )
    result = run_reqdsl("check", str(tmp_path))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u241b" in result.stdout  # shown as a visible ESC symbol


def test_planted_template_bytecode_is_never_loaded(tmp_path: Path, monkeypatch) -> None:
    """Compiled templates are kept sealed: a cache entry replaced by other bytecode (as
    a planted file would be) is ignored and the template compiled from its source."""
    import jinja2

    from reqdsl.site.template_cache import SealedBytecodeCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "templates"

    def render(source: str) -> str:
        env = jinja2.Environment(
            loader=jinja2.DictLoader({"page.html": source}),
            bytecode_cache=SealedBytecodeCache(folder),
        )
        return env.get_template("page.html").render()

    assert render("honest") == "honest"
    (entry,) = folder.iterdir()
    sealed = entry.read_bytes()
    assert render("honest") == "honest"  # loaded from the cache
    # Bytecode of another template, made to pass Jinja's source check, unsealed: a
    # plain FileSystemBytecodeCache would run it; the sealed cache ignores it.
    planted_env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "planted"}))
    checksum = jinja2.bccache.BytecodeCache().get_source_checksum("honest")
    bucket = jinja2.bccache.Bucket(planted_env, "key", checksum)
    bucket.code = planted_env.compile("planted", "page.html", None)
    planted = bucket.bytecode_to_string()
    plain = jinja2.bccache.Bucket(planted_env, "key", checksum)
    plain.bytecode_from_string(planted)
    assert plain.code is not None  # Jinja itself would accept it
    entry.write_bytes(planted)
    assert render("honest") == "honest"
    entry.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))  # a tampered sealed entry
    assert render("honest") == "honest"


def _build(project: Path, out: Path) -> object:
    from reqdsl.site.builder import BuildOptions, build_site

    return build_site(BuildOptions(project=project, output=out, diagrams=False), stream=None)


def test_a_forged_site_marker_is_not_trusted(tmp_path: Path, monkeypatch) -> None:
    """The default output, site/, lies in the project: a pull request can commit a site
    with a marker claiming it is up to date. Only a marker sealed with this user's key
    lets a build skip work; any other means a full build that replaces the pages."""
    import shutil

    from reqdsl.util import integrity

    project = tmp_path / "valid"
    shutil.copytree(Path(__file__).resolve().parents[2] / "shared/conformance/valid", project)
    out = project / "site"
    assert _build(project, out).state == "built"
    assert _build(project, out).state == "up to date"
    index = out / "index.html"
    index.write_text(index.read_text() + "<script>window.__pwned = 1</script>")
    # The same files under another user's key: the marker's seal no longer verifies.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    integrity._key.cache_clear()
    try:
        result = _build(project, out)
        assert result.state == "built" and result.rendered is None  # full, not incremental
        assert "__pwned" not in index.read_text()
    finally:
        integrity._key.cache_clear()


def test_files_planted_in_the_site_cache_are_never_published(tmp_path: Path) -> None:
    """The MkDocs project is written into site/<key>/ in the project's cache folder; a
    page or a symbolic link planted there is deleted before MkDocs runs."""
    import shutil

    project = tmp_path / "valid"
    shutil.copytree(Path(__file__).resolve().parents[2] / "shared/conformance/valid", project)
    out = tmp_path / "site"
    _build(project, out)
    (sources,) = (project_cache_dir(project) / "site").iterdir()
    (sources / "docs" / "evil.md").write_text("<script>window.__pwned = 1</script>\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (sources / "docs" / "linked").symlink_to(outside)
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("Reserve a free slot", "Reserve one free slot"))
    assert _build(project, out).state == "built"
    assert not (out / "evil.html").exists()
    assert not (sources / "docs" / "evil.md").exists()
    assert not (sources / "docs" / "linked").exists() and outside.is_dir()
    assert "__pwned" not in "".join(p.read_text() for p in out.rglob("*.html"))

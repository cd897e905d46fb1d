"""One cache, outside the project, with no pickles (issue 18, part 4).

Every entry reqdsl keeps is named, read and written by reqdsl/util/cache.py: in the
user's cache folder, keyed with reqdsl's code salt, sealed, never a pickle. These tests
plant pickles where older versions and Lark kept theirs, change reqdsl's code in a
checkout, and check that cached values come back exactly as they were made."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reqdsl import __version__
from reqdsl.model.cached import decode, encode
from reqdsl.model.loaded import load_file
from reqdsl.resources import grammar_path
from reqdsl.source import normalise_text
from reqdsl.util.cache import CacheArea
from reqdsl.util.cache_dirs import project_cache_dir

from .conftest import ROOT

TEXT = (
    'document D "d" { level: software }\n'
    'section "Outer" {\n'
    '  section "Inner" {\n'
    '    requirement R "r" {\n'
    '        statement: "The editor shall open a report of 100 pages within 2 seconds."\n'
    "        verification: inspection\n"
    "        compliance: iso27001:A.8.26\n"
    "    }\n"
    "  }\n"
    "}\n"
)


class _Planted:
    """Unpickling this creates the marker file: what a planted pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return {
        **os.environ,
        "TMPDIR": str(temp),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        **extra,
    }


def _reqdsl(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reqdsl.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


def _corpus() -> list[Path]:
    files = sorted((ROOT / "samples").rglob("*.req")) + sorted((ROOT / "tests").rglob("*.req"))
    shared = ROOT.parent / "shared" / "conformance"
    if shared.is_dir():
        files += sorted(shared.rglob("*.req"))
    return files


# ------------------------------------------------------------------ planted pickles


def test_planted_pickles_in_the_old_cache_places_run_nothing(tmp_path: Path) -> None:
    """Lark's grammar cache was a pickle under a predictable name in the system's temp
    folder (`reqdsl-grammar-<sha256 of version and grammar>.lark-cache`), unpickled by
    Lark before any check; older reqdsl kept pickles in `.reqdsl_cache/` and in the user
    cache's `parse-<salt>/`. None of them is read any more."""
    env = _env(tmp_path)
    temp = Path(env["TMPDIR"])
    marker = tmp_path / "marker"
    evil = b"planted\n" + pickle.dumps(_Planted(marker))
    grammar = grammar_path().read_text(encoding="utf-8")
    for prefix, salt in (
        ("reqdsl-grammar", ""),
        ("reqdsl-grammar", "fast"),
        ("reqdsl-fmt-grammar", "fmt"),
    ):
        digest = hashlib.sha256((__version__ + salt + grammar).encode()).hexdigest()[:16]
        (temp / f"{prefix}-{digest}.lark-cache").write_bytes(evil)
    assert len(list(temp.iterdir())) == 3
    project = tmp_path / "project"
    old = project / ".reqdsl_cache"
    (old / "parse-0123456789abcdef").mkdir(parents=True)
    (project / "a.req").write_text(TEXT, encoding="utf-8")
    (old / "check-result.json").write_bytes(evil)
    (old / "parse-0123456789abcdef" / "a.pickle").write_bytes(pickle.dumps(_Planted(marker)))
    (old / "diagrams").mkdir()
    (old / "diagrams" / "x.svg").write_bytes(evil)
    user = tmp_path / "xdg" / "reqdsl" / "projects" / project_key_of(project)
    (user / "parse-0123456789abcdef").mkdir(parents=True)
    (user / "parse-0123456789abcdef" / "a.pickle").write_bytes(pickle.dumps(_Planted(marker)))

    result = _reqdsl(env, "check", "--format", "json", str(project))
    assert result.returncode == 0, result.stderr
    assert _reqdsl(env, "fmt", "--check", str(project)).returncode in (0, 1)
    assert not marker.exists(), "a planted pickle was loaded"
    planted = {path.name for path in temp.iterdir()}
    assert len(planted) == 3 and all(path.read_bytes() == evil for path in temp.iterdir())


def project_key_of(project: Path) -> str:
    return project_cache_dir(project).name


def test_an_unsealed_or_foreign_entry_is_never_decoded(tmp_path: Path) -> None:
    """An entry planted at the very name of a parse-cache entry, unsealed or sealed with
    another key, is a miss: the file is parsed again and the entry rewritten."""
    from reqdsl.model.loaded import custom_fields_key
    from reqdsl.model.project import load_project
    from reqdsl.model.sources import content_key
    from reqdsl.parse.cache import ParseCache

    (tmp_path / "a.req").write_text(TEXT, encoding="utf-8")
    key = f"{content_key(TEXT.encode())}-{custom_fields_key({})}"
    entry = ParseCache(tmp_path).entry_path("a.req", key)
    forged = load_file(TEXT.replace("2 seconds", "2 hours"), "a.req", {})
    for planted in (encode(forged), b"\0" * 32 + encode(forged)):
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(planted)
        project = load_project(tmp_path)
        assert "2 seconds" in (project.index["R"].word("statement") or "")
        assert entry.read_bytes() != planted


def test_a_project_loads_alike_cold_in_workers_warm_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading reads each file's entry back only when its elements are made (one file
    at a time, model/project.py `Deferred`): cold (parsed in worker processes, which
    write the entries), warm, and without a cache give the same elements in the same
    order and the same load diagnostics; an entry damaged between the look-up and the
    read is parsed again."""
    import reqdsl.model.project as project_module
    from reqdsl.parse.cache import ParseCache

    root = tmp_path / "clinic"
    shutil.copytree(ROOT / "samples" / "clinic", root)
    (root / "09-broken.req").write_text("requirement X {\n    priority must\n", encoding="utf-8")
    monkeypatch.setattr(project_module, "PARALLEL_BYTES", 0)  # workers even for a sample

    def loaded(use_cache: bool) -> tuple[list[tuple[str, dict]], dict]:
        project = project_module.load_project(root, use_cache=use_cache)
        assert len(project.sources) == 9
        return [(e.kind, e.fields()) for e in project.elements], project.found

    entries = ParseCache(root).area.folder
    shutil.rmtree(entries, ignore_errors=True)
    cold = loaded(True)
    assert len(list(entries.iterdir())) == 9  # written by the workers
    assert loaded(True) == cold
    assert loaded(False) == cold
    assert cold[1]["SY001"], "the broken file's syntax error is a load diagnostic"
    damaged = sorted(entries.iterdir())[3]
    damaged.write_bytes(b"\0" * 64)
    assert loaded(True) == cold
    assert damaged.read_bytes() != b"\0" * 64  # parsed again and rewritten


# ------------------------------------------------------------------ formats


def test_every_corpus_file_comes_back_from_the_parse_cache_as_it_was_bound() -> None:
    """msgpack instead of pickle: each value comes back equal and of the same type
    (Decimal, date, compliance pairs, shared section paths, steps, attributes)."""
    custom = {"requirement": {"owner": None, "risk-class": ("low", "high")}}
    files = _corpus()
    assert len(files) > 80
    for path in files:
        text = normalise_text(path.read_bytes().decode("utf-8", "replace"))
        loaded = load_file(text, path.name, custom)
        back = decode(encode(loaded))
        assert back.relpath == loaded.relpath
        assert back.problems == loaded.problems and back.diagnostics == loaded.diagnostics
        assert len(back.elements) == len(loaded.elements)
        for (kind, data), (kind2, data2) in zip(loaded.elements, back.elements, strict=True):
            assert kind == kind2
            assert data.keys() == data2.keys()
            for name, value in data.items():
                assert data2[name] == value, (path, name)
                assert type(data2[name]) is type(value), (path, name)


def test_section_paths_stay_shared_links_in_the_parse_cache() -> None:
    loaded = load_file(TEXT, "a.req", {})
    back = decode(encode(loaded))
    sections = {kind: data["section"] for kind, data in back.elements}
    assert sections["requirement"] == ["Outer", "Inner"]
    inner = [data["section"] for _, data in back.elements if data["section"]]
    assert inner[-1].outer is inner[0]  # the inner section's path links to the outer's


def test_the_grammar_tables_come_from_the_cache_and_parse_alike(tmp_path: Path) -> None:
    """The parsers are built once, kept as msgpack in the user cache's `grammar` area,
    and parse every corpus file exactly like parsers built from the grammar."""
    env = _env(tmp_path)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reqdsl.parse.parser import get_fast_parser, get_parser, parse_text\n"
        "from reqdsl.format.tokens import concrete_parser, parse_concrete\n"
        "from reqdsl.source import normalise_text\n"
        "from lark import Tree\n"
        "def shape(node):\n"
        "    if isinstance(node, Tree):\n"
        "        return (str(node.data), [shape(child) for child in node.children])\n"
        "    return (node.type, str(node), node.start_pos, node.end_pos)\n"
        "loaded = [p.source_path == '<deserialized>' for p in "
        "(get_parser(), get_fast_parser(), concrete_parser())]\n"
        "print(loaded)\n"
        "for name in sys.argv[1:]:\n"
        "    text = normalise_text(Path(name).read_bytes().decode('utf-8', 'replace'))\n"
        "    print(repr(parse_text(text, 'x')))\n"
        "    try:\n"
        "        print(repr(shape(parse_concrete(text))))\n"
        "    except Exception as error:\n"
        "        print(type(error).__name__)\n"
    )
    files = [str(path) for path in _corpus()]

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, *files],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=True,
        )
        return done.stdout.splitlines()

    built = run()
    assert built[0] == "[False, False, False]"
    entries = list((tmp_path / "xdg" / "reqdsl" / "grammar").iterdir())
    assert len(entries) == 3 and all(entry.suffix == ".msgpack" for entry in entries)
    assert not any(b"\x80\x04" in entry.read_bytes()[32:34] for entry in entries)  # no pickle
    cached = run()
    assert cached[0] == "[True, True, True]"
    assert cached[1:] == built[1:]
    for entry in entries:  # a damaged entry: built again, never an error
        entry.write_bytes(entry.read_bytes()[:-1] + b"\0")
    assert run() == built


# ------------------------------------------------------------------ keys


CHECKOUT_SCRIPT = """
import json, sys
from pathlib import Path
from reqdsl.diagrams.cache import SvgCache, cache_dir
from reqdsl.parse.cache import ParseCache
from reqdsl.result_cache import AREA
from reqdsl.site.page_cache import PageCache
from reqdsl.site.template_cache import SealedBytecodeCache, template_cache_dir
from reqdsl.util.cache import CacheArea

project = Path(sys.argv[1])
print(json.dumps({
    "parse": ParseCache(project).entry_path("a.req", "k").name,
    "result": CacheArea.of_project(project, AREA).key("fingerprint"),
    "diagram": SvgCache.for_project(project).key("@startuml\\n@enduml\\n", "renderer"),
    "template": SealedBytecodeCache(template_cache_dir()).area.key("bucket"),
    "page": PageCache(project / "sources", "global").global_key,
    "grammar": CacheArea.of_user("grammar").key("check", "grammar"),
}))
"""

NEW_RULE = '''

@rule("CF998", "config.added-for-the-cache-test", Severity.WARNING, "a rule added in a checkout")
def added_for_the_cache_test(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Nothing real: the test's new rule.
    """
    for element in context.project.elements:
        yield Finding.at(element, None, "the new rule ran")
        return
'''


def _checkout(tmp_path: Path) -> Path:
    code = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "_shipped")
    shutil.copytree(ROOT / "reqdsl", code / "reqdsl", ignore=ignore)
    for shipped in ("grammar", "generators"):
        shutil.copytree(ROOT / shipped, code / shipped)
    return code


def test_a_change_of_reqdsl_code_changes_the_key_of_every_cache(tmp_path: Path) -> None:
    """Adding a rule in a checkout changes no version: the code salt (reqdsl's version
    and the digest of its code, grammar and templates) is in every cache's key, so no
    cache answers with what older code made."""
    code = _checkout(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    env = _env(tmp_path, PYTHONPATH=str(code))

    def keys() -> dict[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", CHECKOUT_SCRIPT, str(project)],
            capture_output=True,
            text=True,
            env=env,
            cwd=code.parent,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        import json

        return json.loads(done.stdout)

    before = keys()
    assert keys() == before  # stable while the code is
    with (code / "reqdsl" / "checks" / "config.py").open("a", encoding="utf-8") as module:
        module.write(NEW_RULE)
    after = keys()
    assert [name for name in before if before[name] == after[name]] == []


def test_a_rule_added_in_a_checkout_is_seen_with_every_cache_warm(tmp_path: Path) -> None:
    """The parse cache, the grammar tables and the check result were all written by the
    code before the change: the next check runs the new rule, and the parse entries of
    the older code are gone (not left to grow)."""
    code = _checkout(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.req").write_text(TEXT, encoding="utf-8")
    (project / "b.req").write_text(TEXT.replace("D", "E").replace("R ", "S "), encoding="utf-8")
    env = _env(tmp_path, PYTHONPATH=str(code))

    def check() -> tuple[list[str], set[str]]:
        done = _reqdsl(env, "check", "--format", "json", str(project), cwd=code.parent)
        assert done.returncode in (0, 1), done.stderr
        import json

        codes = [d["code"] for d in json.loads(done.stdout)["diagnostics"]]
        parse = {p.name for p in (project_cache_dir_in(tmp_path, project) / "parse").iterdir()}
        return codes, parse

    codes, entries = check()
    assert "CF998" not in codes and len(entries) == 2
    with (code / "reqdsl" / "checks" / "config.py").open("a", encoding="utf-8") as module:
        module.write(NEW_RULE)
    codes, again = check()
    assert "CF998" in codes
    assert len(again) == 2 and not again & entries  # new keys; the older code's went


def project_cache_dir_in(tmp_path: Path, project: Path) -> Path:
    return tmp_path / "xdg" / "reqdsl" / "projects" / project_cache_dir(project).name


# ------------------------------------------------------------------ read and write paths


def test_the_one_write_path_never_goes_through_a_link(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    area = CacheArea(tmp_path / "area", "owner", "area")
    assert area.write("entry", b"payload") and area.read("entry") == b"payload"
    (tmp_path / "area" / "linked").symlink_to(victim)
    assert area.read("linked") is None  # a link is not followed
    assert area.write("linked", b"payload")  # the link is replaced, its target untouched
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "area" / "linked").is_symlink()
    for name in ("../escape", "a/b", ".."):
        assert not area.write(name, b"x") and area.read(name) is None
    linked_area = CacheArea(tmp_path / "linked-area", "owner", "area")
    (tmp_path / "linked-area").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    assert not linked_area.write("entry", b"x")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert area.keep_only(["entry"]) == 1 and victim.exists()


def test_a_read_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    area = CacheArea(tmp_path / "area", "owner", "area")
    assert area.write("big", b"x" * 10_000)
    assert area.read("big", limit=1_000) is None
    assert area.read("big") == b"x" * 10_000


@pytest.mark.parametrize("no_cache", [False, True])
def test_cache_clean_and_no_cache(tmp_path: Path, no_cache: bool) -> None:
    """`--no-cache` keeps nothing of the project; `reqdsl cache clean` removes every
    project's cache and the shared areas (grammar tables, templates), and keeps the key."""
    env = _env(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.req").write_text(TEXT, encoding="utf-8")
    args = ["check", "--format", "json", *(["--no-cache"] if no_cache else []), str(project)]
    assert _reqdsl(env, *args).returncode == 0
    top = tmp_path / "xdg" / "reqdsl"
    projects = top / "projects"
    kept = [p for p in projects.rglob("*") if p.is_file()] if projects.is_dir() else []
    assert (kept == []) == no_cache
    assert (top / "grammar").is_dir()
    (top / "templates").mkdir(exist_ok=True)
    (top / "templates" / "x.jinja").write_bytes(b"x")
    assert _reqdsl(env, "cache", "clean").returncode == 0
    assert not (top / "grammar").exists() and not (top / "templates").exists()
    assert not any(projects.iterdir()) if projects.is_dir() else True
    assert (top / "key").is_file()


def test_the_folders_the_cache_makes_are_private(tmp_path: Path, monkeypatch) -> None:
    """Entries hold the text of the user's projects: every folder the cache creates, the
    user's `reqdsl` folder included, is for this user only."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    previous = os.umask(0o022)
    try:
        project = tmp_path / "project"
        project.mkdir()
        assert CacheArea.of_project(project, "parse").write("entry", b"text")
    finally:
        os.umask(previous)
    made = tmp_path / "xdg"
    for folder in [made / "reqdsl", *(made / "reqdsl").rglob("*")]:
        if folder.is_dir():
            assert folder.stat().st_mode & 0o077 == 0, folder

"""The security model (docs/security.md) against the code: what the fuzzing work found
about configuration paths, and that every test the page cites exists.

- `[build] site_dir` of reqdsl.toml is confined to the project (a bug found while
  writing the page: it was the one path of reqdsl.toml that was not);
- a project's reqdsl.toml cannot name the Java or PlantUML that `reqdsl build` starts
  (it could, when `[render]` was read from it: found while writing the page);
- a planted SVG in the project's diagram cache is never used;
- every `tests/...py::name` the page cites is a test of this suite.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from reqdsl.cli import main

from .conftest import ROOT
from .test_fuzz import CONFORMANCE
from .test_fuzz_build import build


@pytest.mark.parametrize("site_dir", ["../elsewhere", "{tmp}/absolute", "a/../../out"])
def test_site_dir_of_a_hostile_configuration_stays_in_the_project(
    tmp_path: Path, site_dir: str
) -> None:
    """Found while writing docs/security.md: `[build] site_dir` was the one path of
    reqdsl.toml not confined to the project, so a pull request could make a CI's
    `reqdsl build` publish (or replace a reqdsl-made site) anywhere the runner can write."""
    project = tmp_path / "project"
    shutil.copytree(CONFORMANCE / "v11-valid", project)
    site_dir = site_dir.format(tmp=tmp_path.as_posix())
    (project / "reqdsl.toml").write_text(f'[build]\nsite_dir = "{site_dir}"\n', encoding="utf-8")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", str(project), "-q", "--no-cache", "--no-diagrams"])
    assert code == 2, stderr.getvalue()
    assert "`build.site_dir` must be a folder inside the project" in stderr.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_render_settings_of_a_project_run_no_program_of_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQDSL_JAVA", raising=False)
    monkeypatch.delenv("REQDSL_PLANTUML_JAR", raising=False)
    project = tmp_path / "project"
    shutil.copytree(CONFORMANCE / "v11-valid", project)
    marker = tmp_path / "ran"
    (project / "tools").mkdir()
    script = project / "tools" / "java"
    script.write_text(f"#!/bin/sh\necho pwned > '{marker}'\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    (project / "reqdsl.toml").write_text('[render]\njava = "tools/java"\n', encoding="utf-8")
    code, _, stderr = build(project, tmp_path / "site")  # diagrams on
    assert code in (0, 1), stderr
    assert not marker.exists(), "reqdsl build ran a program the project named"


def test_security_model_cites_only_existing_tests() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"(tests/test_\w+\.py)::(\w+)", text))
    assert len(cited) >= 20
    missing = []
    for path, name in sorted(cited):
        source = (ROOT / path).read_text(encoding="utf-8")
        if not re.search(rf"^(async )?def {name}\(", source, re.MULTILINE):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_planted_svg_in_the_project_cache_is_never_used(tmp_path: Path) -> None:
    """The diagram cache (in the user's cache folder, where other programs of the user can
    write): only entries sealed with this user's key are read back."""
    from reqdsl.diagrams.cache import SvgCache, cache_dir

    cache = SvgCache.for_project(tmp_path)
    key = cache.key("@startuml\nactor A\n@enduml\n", "renderer")
    cache.put(key, "<svg>honest</svg>")
    assert cache.get(key) == "<svg>honest</svg>"
    entry = cache_dir(tmp_path) / f"{key}.svg"
    for planted in (b"<svg><script>alert(1)</script></svg>", b"\0" * 32 + b"<svg>x</svg>"):
        entry.write_bytes(planted)
        assert cache.get(key) is None

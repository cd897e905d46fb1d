"""Requirements written in French (issue 21): the project and document language, the QU
rules in French, the French catalogue of messages, the site and reports in French."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .conftest import reqdsl_command

DATA = Path(__file__).resolve().parent / "data" / "french"


def _run(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    """The CLI with a chosen locale (the interface language follows it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return subprocess.run(
        [*reqdsl_command(), *args], capture_output=True, text=True, timeout=300, env=env
    )


def _project(folder: Path, text: str, toml: str | None = None) -> Path:
    (folder / "a.req").write_text(text, encoding="utf-8")
    if toml is not None:
        (folder / "reqdsl.toml").write_text(toml, encoding="utf-8")
    return folder


def _diagnostics(project: Path, lang: str = "C.UTF-8") -> list[dict[str, object]]:
    result = _run("check", "--format", "json", "--no-cache", str(project), lang=lang)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["diagnostics"]  # type: ignore[no-any-return]


def _codes(project: Path) -> list[tuple[str, int]]:
    return sorted((str(d["code"]), int(d["line"])) for d in _diagnostics(project))  # type: ignore[call-overload]


FR_DOC = 'document D "Exigences" {\n    level: software\n    language: fr\n}\n'


def _requirement(statement: str, rid: str = "R-1") -> str:
    return (
        f'requirement {rid} "Exigence" {{\n    statement: "{statement}"\n'
        "    verification: inspection\n    compliance: iso27001:A.8.26\n}\n"
    )


# ---------------------------------------------------------------------- 1. the language
def test_an_unknown_project_language_is_cf004_listing_the_supported_codes(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        'document D "d" { level: software }\n' + _requirement("The editor shall print."),
        '[project]\nname = "x"\nlanguage = "francais"\n',
    )
    found = [d for d in _diagnostics(project) if d["code"] == "CF004"]
    assert [(d["path"], d["line"], d["column"]) for d in found] == [("reqdsl.toml", 3, 1)]
    assert "`en`, `fr`" in str(found[0]["hint"])


def test_a_document_language_is_a_checked_field(tmp_path: Path) -> None:
    text = FR_DOC.replace("language: fr", "language: de") + _requirement(
        "Le système doit imprimer."
    )
    found = [d for d in _diagnostics(_project(tmp_path, text)) if d["code"] == "SM004"]
    assert [(d["line"], d["column"]) for d in found] == [(3, 15)]
    assert "en, fr" in str(found[0]["hint"])

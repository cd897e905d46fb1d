"""Issue 21: the one-line errors of a configuration that cannot be used (exit status 2),
in French when the locale is French or once a readable `[project] language` says so, and
`reqdsl fmt` (no project) in the locale's language. Checked through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .conftest import reqdsl_command

FR_TOML = '[project]\nlanguage = "fr"\n'
FR_DOC = 'document D "Exigences" {\n    level: software\n    language: fr\n}\n'
# The `[project] language` chooses French when the locale names no language reqdsl speaks.
NO_LANGUAGE = "C.UTF-8"


def _run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return subprocess.run(
        [*reqdsl_command(), *args], capture_output=True, text=True, timeout=600, env=env
    )


def _found(project: Path, lang: str, *options: str) -> list[dict[str, object]]:
    result = _run("check", "--format", "json", *options, str(project), lang=lang)
    assert result.returncode in (0, 1), result.stderr
    return [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] != "TR006"]


def _place(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(d["code"], d["path"], d["line"], d["column"], d["end_column"]) for d in found]


def _messages(found: list[dict[str, object]]) -> list[str]:
    return [str(d["message"]) for d in found]


def _project(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reqdsl.toml").write_text(FR_TOML, encoding="utf-8")
    (folder / "a.req").write_text(FR_DOC + text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ configuration errors
def _config_error(folder: Path, toml: str, lang: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reqdsl.toml").write_text(toml, encoding="utf-8")
    (folder / "a.req").write_text(FR_DOC, encoding="utf-8")
    result = _run("check", str(folder), lang=lang)
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
    return result.stderr.strip()


def test_a_configuration_error_is_french_when_the_locale_is(tmp_path: Path) -> None:
    toml = "[checks]\ncoverage = { verification = 200 }\n"
    assert _config_error(tmp_path / "a", toml, "en_US.UTF-8").endswith(
        "reqdsl.toml: `checks.coverage.verification` must be between 0 and 100"
    )
    assert _config_error(tmp_path / "b", toml, "fr_FR.UTF-8").endswith(
        "reqdsl.toml : `checks.coverage.verification` doit être compris entre 0 et 100"
    )
    toml = "[project]\nname = 3\n"
    assert _config_error(tmp_path / "c", toml, "fr_FR.UTF-8").endswith(
        "reqdsl.toml : `project.name` doit être une chaîne de caractères"
    )


def test_a_configuration_error_follows_the_project_language_once_it_is_read(
    tmp_path: Path,
) -> None:
    """A reqdsl.toml that is valid TOML and declares `language = "fr"`: its other errors
    are in French even under a locale reqdsl does not speak."""
    toml = FR_TOML + 'name = "Mairie"\n[checks]\nseverity = { QU001 = "fatal" }\n'
    assert _config_error(tmp_path / "a", toml, NO_LANGUAGE).endswith(
        'reqdsl.toml : `checks.severity.QU001` doit valoir "error", "warning" ou "info"'
    )
    # A locale reqdsl speaks wins, as for every diagnostic.
    assert _config_error(tmp_path / "b", toml, "en_US.UTF-8").endswith(
        'reqdsl.toml: `checks.severity.QU001` must be "error", "warning" or "info"'
    )


def test_a_malformed_custom_catalogue_is_a_french_one_line_error(tmp_path: Path) -> None:
    toml = '[catalogs]\nmine = "mine.tsv"\n'
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        (folder / "mine.tsv").write_text("id\ttitle\nX-1 no tab\n", encoding="utf-8")
    english = _config_error(tmp_path / "a", toml, "en_US.UTF-8")
    assert english.endswith(":2: expected id<TAB>title, found no tab")
    french = _config_error(tmp_path / "b", toml, "fr_FR.UTF-8")
    assert "reqdsl.toml : catalogue `mine` : le catalogue `mine` (" in french
    assert french.endswith(":2 : on attendait id<TAB>titre, aucune tabulation trouvée")


def test_fmt_reports_syntax_errors_in_the_language_of_the_locale(tmp_path: Path) -> None:
    """`reqdsl fmt` reads files, not a project: the locale alone chooses its language."""
    path = tmp_path / "a.req"
    path.write_text(FR_DOC + 'requirement R-1 "x" {\n    priority must\n}\n', encoding="utf-8")
    english = _run("fmt", "--check", str(path), lang="en_US.UTF-8")
    french = _run("fmt", "--check", str(path), lang="fr_FR.UTF-8")
    assert english.returncode == french.returncode != 0
    assert "a.req:6:14: error[SY001] unexpected `must`" in english.stdout + english.stderr
    assert "a.req:6:14: error[SY001] `must` inattendu" in french.stdout + french.stderr

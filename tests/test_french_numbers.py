"""Numbers shown to people are in the reader's language (reqdsl.i18n.format_count and
format_percent): a French project reads "83,3 %" and "10 000", an English one reads what
reqdsl always wrote ("83.3%", "10000"), and the machine formats (JSON, SARIF, the JSON
export, HTML attributes) keep plain numbers in every language.

The figures are computed from the model of a real sample (samples/mairie, with one test
removed so that a figure is neither 0 nor 100), and the expected French text is written
out here by hand from the figure (decimal comma, U+00A0 before the sign, as CLDR's fr
pattern `#,##0 %` says), not by the formatter under test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reqdsl import i18n
from reqdsl.diagnostics import Summary
from reqdsl.model.facts.decisions import weighted_totals
from reqdsl.model.facts.trace import compute_coverage
from reqdsl.pipeline import check_project
from reqdsl.render.text import summary_lines
from reqdsl.site.context import SiteContext
from reqdsl.site.diagrams import SiteDiagrams
from reqdsl.site.generate import generate_site
from reqdsl.site.script_labels import labels_script

from .conftest import reqdsl_command

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "mairie"
NBSP, NNBSP = "\u00a0", "\u202f"  # CLDR fr: before the percent sign; between digit groups


def _run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return subprocess.run(
        [*reqdsl_command(), *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def mairie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/mairie without the test of SYS-CHIFFREMENT (verification below 100), and
    a decision criterion weighing 2.5 (weighted totals with a decimal)."""
    project = tmp_path_factory.mktemp("numbers") / "mairie"
    shutil.copytree(SAMPLE, project)
    system = project / "02-systeme.req"
    text = system.read_text(encoding="utf-8")
    weighed = text.replace(
        '"Hébergement en France" { weight: 5 }', '"Hébergement en France" { weight: 2.5 }'
    )
    assert weighed != text, "the sample changed: pick another criterion"
    system.write_text(weighed, encoding="utf-8")
    tests = project / "03-tests.req"
    text = tests.read_text(encoding="utf-8")
    fewer = re.sub(r"test T-TLS .*?\n}\n", "", text, count=1, flags=re.S)
    assert fewer != text, "the sample changed: pick another test to remove"
    tests.write_text(fewer, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def verification(mairie: Path) -> float:
    """The verification figure, from the model."""
    project, _diagnostics, _summary = check_project(mairie, use_cache=False)
    figure = compute_coverage(project)["verification"]
    assert figure is not None and 0 < figure < 100 and figure != round(figure)
    return figure


def _french(figure: float) -> str:
    """`83,3 %` by hand: one decimal, a decimal comma, U+00A0 before the sign."""
    return f"{figure:.1f}".replace(".", ",") + f"{NBSP}%"


# ------------------------------------------------------------------ reqdsl check
def test_french_check_shows_french_figures_and_english_is_unchanged(
    mairie: Path, verification: float
) -> None:
    french = _run("check", "--no-cache", str(mairie), lang="C.UTF-8")  # the project's fr
    assert french.returncode == 1, french.stderr  # TR004: below the threshold
    coverage = french.stdout.splitlines()[-1]
    assert f"vérification {_french(verification)}, dérivation 100,0{NBSP}%" in coverage
    assert f"{verification:.1f}" not in french.stdout  # no "83.3" anywhere
    assert f"est de {_french(verification)} (5 sur 6 " in french.stdout  # TR004
    assert f"sous le seuil de 100{NBSP}%" in french.stdout

    english = _run("check", "--no-cache", str(mairie), lang="en_US.UTF-8")
    coverage = english.stdout.splitlines()[-1]
    assert coverage.startswith(f"coverage: verification {verification:.1f}%, derivation 100.0%")
    assert (
        f"verification coverage is {verification:.1f}% (5 of 6 requirements verified by "
        "tests), below the threshold of 100%"
    ) in english.stdout


def test_french_machine_formats_keep_plain_numbers(mairie: Path, verification: float) -> None:
    def run(*args: str, lang: str) -> dict:  # type: ignore[type-arg]
        result = _run(*args, "--no-cache", str(mairie), lang=lang)
        assert result.returncode in (0, 1), result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    french = run("check", "--format", "json", lang="C.UTF-8")
    english = run("check", "--format", "json", lang="en_US.UTF-8")
    assert french["summary"] == english["summary"]
    assert french["summary"]["coverage"]["verification"] == verification  # a JSON number
    assert [d["code"] for d in french["diagnostics"]] == [d["code"] for d in english["diagnostics"]]

    # SARIF: French and English differ in their words only, never in a number.
    sarif = [run("check", "--format", "sarif", lang=lang) for lang in ("C.UTF-8", "en_US.UTF-8")]
    assert _numbers(sarif[0]) == _numbers(sarif[1]) != []

    exported = run("export", "--format", "json", lang="C.UTF-8")
    assert exported["coverage"]["verification"] == verification


def _numbers(node: object) -> list[object]:
    """Every number of a JSON document, in order."""
    if isinstance(node, dict):
        return [n for value in node.values() for n in _numbers(value)]
    if isinstance(node, list):
        return [n for value in node for n in _numbers(value)]
    return [node] if isinstance(node, int | float) and not isinstance(node, bool) else []


# ------------------------------------------------------------------ the site
def _site(project: Path) -> dict[str, str]:
    checked, diagnostics, summary = check_project(project, use_cache=False)
    return generate_site(SiteContext(checked, diagnostics, summary, SiteDiagrams()))


def _home(project: Path) -> str:
    return _site(project)["docs/index.md"]


def _badges(home: str) -> list[str]:
    return re.findall(r'<span class="rq-badge rq-(?:gap|ok|warning)">([^<]*%)</span>', home)


def test_the_french_home_page_shows_french_figures(mairie: Path, verification: float) -> None:
    home = _home(mairie)
    # The site trims a whole figure ("100 %") and keeps the one decimal of the others.
    shown = f"{verification:g}".replace(".", ",") + f"{NBSP}%"
    assert _badges(home)[0] == shown
    assert f'value="{verification:g}">{shown}</meter>' in home  # HTML's number stays 83.3
    assert f"100{NBSP}%" in _badges(home)
    assert f"(seuil 100{NBSP}%)" in home
    assert f"{verification:g} %" not in home


def test_the_english_home_page_is_unchanged(
    mairie: Path, tmp_path: Path, verification: float
) -> None:
    english = tmp_path / "english"
    shutil.copytree(mairie, english)
    toml = english / "reqdsl.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('language = "fr"', 'language = "en"'),
        encoding="utf-8",
    )
    home = _home(english)
    assert _badges(home)[0] == f"{verification:g} %"
    assert f'value="{verification:g}">{verification:g} %</meter>' in home
    assert "(threshold 100 %)" in home


# ------------------------------------------------------------------ counts
def test_counts_group_digits_in_french_only() -> None:
    summary = Summary(files=1, elements=12345, errors=0, warnings=1000, infos=3)
    with i18n.language("fr"):
        assert summary_lines(summary)[0] == (
            f"1 fichier, 12{NNBSP}345 éléments : 0 erreur, 1{NNBSP}000 avertissements, "
            "3 informations"
        )
        assert i18n.format_count(999) == "999"
        assert i18n.format_percent(12.5, trim=True) == f"12,5{NBSP}%"
        assert i18n.format_percent(100.0) == f"100,0{NBSP}%"
        assert '"group": "\\u202f"' in labels_script()  # the table script's row counter
    with i18n.language("en"):
        assert summary_lines(summary)[0] == (
            "1 file, 12345 elements: 0 errors, 1000 warnings, 3 infos"
        )
        assert (i18n.format_percent(12.5), i18n.format_percent(12.5, trim=True)) == (
            "12.5%",
            "12.5%",
        )
        assert i18n.format_percent(90.0, trim=True, page=True) == "90 %"
        assert '"group"' not in labels_script()  # English labels.js as it was


# ------------------------------------------------------------------ decisions
def test_a_french_decision_matrix_writes_its_decimals_with_a_comma(mairie: Path) -> None:
    project, _diagnostics, _summary = check_project(mairie, use_cache=False)
    decision = next(e for e in project.elements if e.id == "DEC-HEBERGEMENT")
    totals = weighted_totals(decision, project)
    assert any(total != total.to_integral_value() for total in totals.values())

    def shown(number: Decimal) -> str:  # by hand: the digits it has, a decimal comma
        return format(number.normalize(), "f").replace(".", ",")

    page = _site(mairie)["docs/decisions.md"]
    assert "<td>2,5</td>" in page and "<td>2.5</td>" not in page  # the weight
    for total in totals.values():
        assert f"<strong>{shown(total)}</strong>" in page

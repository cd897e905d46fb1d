"""SM008's catalogue messages in French (issue 21): a French project, or a French locale,
gets the catalogues' explanations in French, at the same code, line and column as in
English. Catalogue titles (WCAG guideline names) stay in English."""

from __future__ import annotations

import json
from pathlib import Path

from reqdsl.catalogs.attack import ATTACK_VERSION

from .test_french import _run

PROJECT = '[project]\nname = "x"\nlanguage = "fr"\n'
FILE = """document D "Exigences" {
    level: software
    language: fr
}
requirement R-1 "Chiffrement" {
    statement: "Le système doit chiffrer les échanges."
    compliance: gdpr:6(1)(g), iso27001:A.9.2, wcag:1.4.99, attack:T9999, iso27001:A.5
}
"""


def _sm008(project: Path, lang: str) -> list[tuple[int, int, str]]:
    result = _run("check", "--no-cache", "--format", "json", str(project), lang=lang)
    found = json.loads(result.stdout)["diagnostics"]
    return [(d["line"], d["column"], d["message"]) for d in found if d["code"] == "SM008"]


def test_catalogue_messages_are_french_at_the_same_places(tmp_path: Path) -> None:
    (tmp_path / "reqdsl.toml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "a.req").write_text(FILE, encoding="utf-8")
    french = _sm008(tmp_path, "C.UTF-8")  # no locale reqdsl speaks: the project's language
    english = _sm008(tmp_path, "en_US.UTF-8")
    assert [place[:2] for place in french] == [place[:2] for place in english]
    assert len(french) == 5
    messages = [message for _, _, message in french]
    assert messages[0] == "pas de point `6(1)(g)` dans le RGPD : l'art. 6(1) a les points (a) à (f)"
    assert messages[1].startswith("`A.9.2` est un numéro de l'ISO/IEC 27001:2013")
    assert "Distinguishable a les critères 1.4.1 à 1.4.13" in messages[2]  # title in English
    assert messages[3] == f"pas de technique `T9999` dans MITRE ATT&CK Enterprise {ATTACK_VERSION}"
    assert "est un thème de l'ISO/IEC 27001:2022 Annex A" in messages[4]
    assert english[0][2] == "no point `6(1)(g)` in the GDPR: Art. 6(1) has points (a) to (f)"


def _sy001(project: Path, lang: str, *cache: str) -> list[tuple[str, int, int, str]]:
    result = _run("check", *cache, "--format", "json", str(project), lang=lang)
    found = json.loads(result.stdout)["diagnostics"]
    return [
        (d["path"], d["line"], d["column"], d["message"]) for d in found if d["code"] == "SY001"
    ]


def test_syntax_messages_are_french_cold_warm_and_in_worker_processes(tmp_path: Path) -> None:
    """SY001 is worded while a file is parsed: in worker processes for a large project
    (over `PARALLEL_BYTES`), and kept in the parse cache, per language. A French project
    gets French syntax messages cold and warm; an English run right after, on the warm
    cache, gets English ones at the same places."""
    from reqdsl.model.project import PARALLEL_BYTES

    (tmp_path / "reqdsl.toml").write_text(PROJECT, encoding="utf-8")
    head = 'document D{n} "Exigences {n}" {{\n    level: software\n    language: fr\n}}\n'
    item = 'requirement R-{n}-{i} "Exigence {i}" {{\n    statement: "Le système doit {i}."\n}}\n'
    per_file = PARALLEL_BYTES // 3 // len(item) + 1
    for n in range(4):
        body = "".join(item.format(n=n, i=i) for i in range(per_file))
        (tmp_path / f"f{n}.req").write_text(head.format(n=n) + body, encoding="utf-8")
    (tmp_path / "f0.req").write_text(
        (tmp_path / "f0.req").read_text(encoding="utf-8") + "requirement X {\n    priority must\n",
        encoding="utf-8",
    )
    assert sum(p.stat().st_size for p in tmp_path.glob("*.req")) > PARALLEL_BYTES
    cold = _sy001(tmp_path, "C.UTF-8", "--no-cache")
    assert cold and all("inattendu" in m or "manquante" in m for *_, m in cold), cold
    warm = _sy001(tmp_path, "C.UTF-8")
    assert warm == cold
    english = _sy001(tmp_path, "en_US.UTF-8")
    assert [e[:3] for e in english] == [c[:3] for c in cold]
    assert all("unexpected" in m or "missing" in m for *_, m in english), english

"""Requirements written in French (issue 21): the project and document language, the QU
rules in French, the French catalogue of messages, the site and reports in French."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import reqdsl_command
from .expect_cases import compare, project_files, run_check

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
    found = json.loads(result.stdout)["diagnostics"]
    # TR006 (info): an inspection no `test` records; beside the point here.
    return [d for d in found if d["code"] != "TR006"]


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


# ---------------------------------------------------------------------- 2. the QU rules
def test_a_french_file_with_one_known_defect_per_qu_rule_gets_exactly_those(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA / "defects", project)
    report = run_check(project)
    problems = compare(project, report, files=project_files(project))
    assert not problems, problems
    qu = sorted(d["code"] for d in report["diagnostics"] if d["code"].startswith("QU"))
    assert qu == ["QU001", "QU001", "QU002", "QU003", "QU004", "QU005", "QU006", "QU007"]


@pytest.mark.parametrize(
    ("term", "statement", "found"),
    [
        ("convivial", "Le guichet doit offrir une saisie conviviale.", "conviviale"),
        ("convivial", "Le guichet doit offrir des écrans conviviaux.", "conviviaux"),
        ("rapide", "Le guichet doit répondre rapidement.", "rapidement"),
        ("adéquat", "Le guichet doit garder des traces adéquates.", "adéquates"),
        ("approprié", "Le guichet doit chiffrer de façon appropriée.", "appropriée"),
        ("suffisant", "Le guichet doit garder une marge suffisante.", "suffisante"),
        ("le cas échéant", "Le guichet doit, le cas échéant, avertir l'agent.", "le cas échéant"),
        ("au minimum", "Le guichet doit au  minimum garder un journal.", "au minimum"),
    ],
)
def test_french_vague_terms_match_every_inflected_form(
    tmp_path: Path, term: str, statement: str, found: str
) -> None:
    project = _project(tmp_path, FR_DOC + _requirement(statement))
    messages = [d["message"] for d in _diagnostics(project) if d["code"] == "QU001"]
    assert messages == [f"vague term `{found}` in the statement"], term


def test_a_user_vague_term_in_french_matches_its_inflections(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        FR_DOC + _requirement("Le guichet doit proposer des parcours ludiques."),
        '[checks]\nvague_terms = { add = ["ludique"] }\n',
    )
    assert [d["code"] for d in _diagnostics(project)] == ["QU001"]


def test_french_statements_in_ears_form_are_clean(tmp_path: Path) -> None:
    statements = [
        "Le guichet doit afficher les horaires d'ouverture.",
        "L'application doit journaliser chaque connexion.",
        "Lorsque l'usager valide sa demande, le guichet doit afficher un accusé de réception.",
        "Lorsqu'un agent se connecte, le guichet doit demander un second facteur.",
        "Quand la session expire, le guichet doit fermer la session.",
        "Tant que le service est en maintenance, le guichet doit afficher un avis.",
        "Si le paiement échoue, alors le guichet doit proposer un nouvel essai.",
        "S'il manque une pièce, alors le guichet doit la réclamer à l'usager.",
        "Là où le paiement en ligne est activé, le guichet doit accepter la carte bancaire.",
        "Dans le cas où l'usager est mineur, le guichet devra demander l'accord d'un parent.",
        "Les agents doivent pouvoir consulter les demandes de leur service.",
    ]
    text = FR_DOC + "".join(_requirement(s, f"R-{i}") for i, s in enumerate(statements))
    found = [(d["code"], d["line"]) for d in _diagnostics(_project(tmp_path, text))]
    assert found == []


def test_weak_french_modals_are_no_obligation_and_the_hint_says_so(tmp_path: Path) -> None:
    project = _project(tmp_path, FR_DOC + _requirement("Le guichet devrait envoyer un reçu."))
    found = _diagnostics(project)
    assert [d["code"] for d in found] == ["QU002"]
    assert "`devrait`" in str(found[0]["hint"]) and "`doit`" in str(found[0]["hint"])


def test_french_and_or_and_negative_are_read(tmp_path: Path) -> None:
    text = FR_DOC + _requirement("Le guichet doit envoyer le reçu par courriel et/ou par SMS.")
    text += _requirement("Le guichet ne devra jamais afficher le mot de passe.", "R-2")
    found = [(d["code"], d["line"]) for d in _diagnostics(_project(tmp_path, text))]
    assert found == [("QU003", 6), ("QU006", 11)]


def test_qu005_hint_and_fix_are_french_for_a_french_statement(tmp_path: Path) -> None:
    project = _project(
        tmp_path, FR_DOC + _requirement("Chaque demande doit recevoir un numéro unique.")
    )
    (found,) = _diagnostics(project)
    assert found["code"] == "QU005"
    assert "`Lorsque <déclencheur>, le <système> doit <réponse>`" in str(found["hint"])
    fix = found["fixes"][0]  # type: ignore[index]
    assert fix["replacement"] == '"Le <système> doit recevoir un numéro unique."'


def test_a_mixed_project_reads_each_document_in_its_language(tmp_path: Path) -> None:
    (tmp_path / "en.req").write_text(
        'document EN "English" { level: software }\n'
        + _requirement("The editor shall open a report of 100 pages within 2 seconds.", "E-1")
        + _requirement("Le guichet doit imprimer le reçu.", "E-2"),
        encoding="utf-8",
    )
    (tmp_path / "fr.req").write_text(
        FR_DOC.replace("document D", "document F")
        + _requirement("Le guichet doit imprimer le reçu.", "F-1")
        + _requirement("The editor shall print.", "F-2"),
        encoding="utf-8",
    )
    found = sorted((d["path"], d["code"]) for d in _diagnostics(tmp_path))
    assert found == [("en.req", "QU002"), ("fr.req", "QU002")]


def test_french_matching_stays_linear(tmp_path: Path) -> None:
    """A statement four times as long, full of commas, EARS clauses and vague words,
    costs about four times as much (generous bound: far below the sixteen times of a
    quadratic search)."""
    import time

    from reqdsl.checks.quality import french_vague_matcher, is_ears

    def cost(n: int) -> float:
        text = "Lorsque " + "le cas, rapide si, alors la " * n + "le guichet doit"
        matcher = french_vague_matcher()
        start = time.perf_counter()
        for _ in range(3):
            is_ears(text, "fr")
            matcher.find(text)
        return time.perf_counter() - start

    cost(2000)  # warm the stem cache
    small, large = cost(4000), cost(16000)
    assert large < small * 4 * 3, (small, large)  # four times the text: far below 16x


# ---------------------------------------------------------------------- 3. the catalogue
def _check_text(project: Path, lang: str) -> str:
    return _run("check", "--no-cache", str(project), lang=lang).stdout


def test_the_locale_chooses_french_messages_and_codes_positions_json_keys_stay(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, FR_DOC + _requirement("Le guichet doit répondre rapidement."))
    english, french = _diagnostics(project), _diagnostics(project, lang="fr_FR.UTF-8")
    assert [d["message"] for d in english] == ["vague term `rapidement` in the statement"]
    assert [d["message"] for d in french] == ["terme vague `rapidement` dans l'énoncé"]

    def shape(found: list[dict[str, object]]) -> list[object]:
        return [(sorted(d), d["code"], d["line"], d["column"], d["end_column"]) for d in found]

    assert shape(english) == shape(french)
    assert "1 fichier, 2 éléments" in _check_text(project, "fr_FR.UTF-8")


def test_the_project_language_chooses_french_messages_when_the_locale_does_not(
    tmp_path: Path,
) -> None:
    project = _project(
        tmp_path,
        FR_DOC + _requirement("Le guichet exporte les demandes."),
        '[project]\nlanguage = "fr"\n',
    )
    assert "l'énoncé ne contient ni `doit`" in _check_text(project, "C.UTF-8")
    # A locale reqdsl speaks wins: it is the user's interface.
    assert "statement has no `doit`" in _check_text(project, "en_GB.UTF-8")


def test_the_committed_catalogue_is_complete_and_compiled() -> None:
    """Every message the code marks has a French translation, and the committed `.mo`
    is the compiled `.po` (a fresh install reads the `.mo`; nothing compiles it then)."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    from reqdsl.i18n import LOCALE_DIR, extract_messages

    marked = {m if isinstance(m, str) else m[0] for m in extract_messages()}
    folder = LOCALE_DIR / "fr" / "LC_MESSAGES"
    with (folder / "reqdsl.po").open("rb") as handle:
        po = read_po(handle, locale="fr")
    with (folder / "reqdsl.mo").open("rb") as handle:
        mo = read_mo(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in po
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    assert marked - translated == set()

    def pairs(catalog: object) -> dict[object, object]:
        def plain(x: object) -> object:
            return tuple(x) if isinstance(x, list | tuple) else x

        return {plain(m.id): plain(m.string) for m in catalog if m.id}  # type: ignore[attr-defined]

    assert pairs(po) == pairs(mo)


# ---------------------------------------------------------------------- 4, 5. site, sample
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "mairie"
INTERFACE_PAGES = ("index.html", "traceability.html", "gdpr.html", "iso27001.html", "threats.html",
                   "validation.html", "documents/index.html", "documents/syrs.html")  # fmt: skip


class _VisibleText(HTMLParser):
    """The text a reader sees as interface: every text node outside scripts, styles, SVG
    and `<code>` (the language's own words and IDs, such as the field `compliance`)."""

    HIDDEN = frozenset({"script", "style", "svg", "template", "code"})

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.nodes: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.hidden:
            self.nodes.append(text)


def _english_labels() -> tuple[set[str], list[str]]:
    """The English interface labels: every message of the catalogue that French writes
    differently. Whole labels (no placeholder), and the literal runs of the others that
    are long enough to be recognised inside a text node."""
    import re

    from babel.messages.pofile import read_po

    from reqdsl.i18n import LOCALE_DIR

    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "reqdsl.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    whole: set[str] = set()
    pieces: list[str] = []
    for message in catalog:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            if not english or english in strings:
                continue
            plain = re.sub(r"<[^>]+>", "", english)
            if "{" not in plain:
                whole.add(" ".join(plain.split()))
            # Runs of two words or more: a single word may be part of a catalogue title.
            pieces += [
                p.strip() for p in re.split(r"\{\w+\}", plain) if len(p.strip().split()) >= 2
            ]
    return whole, pieces


@pytest.mark.slow
@pytest.mark.build
def test_the_french_sample_site_shows_no_english_interface_label(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = _run("build", "--no-cache", str(SAMPLE), "-o", str(out), lang="en_US.UTF-8")
    assert result.returncode == 0, result.stdout + result.stderr
    whole, pieces = _english_labels()
    for page in INTERFACE_PAGES:
        parser = _VisibleText()
        parser.feed((out / page).read_text(encoding="utf-8"))
        assert parser.lang == "fr", page  # Material's own labels are French
        english = [node for node in parser.nodes if node in whole]
        english += [piece for piece in pieces if any(piece in node for node in parser.nodes)]
        assert english == [], (page, english)
    # The labels the issue names, in French.
    text = (out / "gdpr.html").read_text(encoding="utf-8")
    assert "Registre des activités de traitement (art. 30 RGPD)" in text
    assert "Déclaration d'applicabilité" in (out / "iso27001.html").read_text(encoding="utf-8")
    assert "Registre des menaces" in (out / "threats.html").read_text(encoding="utf-8")
    # Dates in French: the review of 2026-11-29.
    assert "29 novembre 2026" in (out / "validation.html").read_text(encoding="utf-8")


def test_reports_are_in_the_project_language_and_json_keeps_its_keys() -> None:
    def report(name: str, output: str, lang: str = "en_US.UTF-8") -> str:
        result = _run("report", name, str(SAMPLE), "--format", output, "--no-cache", lang=lang)
        assert result.returncode == 0, result.stderr
        return result.stdout

    gdpr = report("gdpr", "markdown")
    assert "## Registre des activités de traitement (art. 30 RGPD)" in gdpr
    assert "| champ | valeur |" in gdpr and "field" not in gdpr
    soa = report("soa", "text")
    assert "Déclaration d'applicabilité ISO/IEC 27001:2022" in soa
    assert "statement of applicability" not in soa
    threats = report("threats", "text")
    assert "Registre des menaces" in threats and "Threat register" not in threats
    # JSON is data: the same keys and values whatever the language or the locale.
    for name in ("gdpr", "soa", "threats"):
        assert report(name, "json") == report(name, "json", lang="fr_FR.UTF-8")
    assert '"lawful_basis"' in report("gdpr", "json")


def test_gdpr_and_threat_findings_speak_french_with_the_same_codes(tmp_path: Path) -> None:
    text = (
        'document M "Modèle" {}\n'
        'data D-1 "Dossier" { category: personal }\n'
        'zone Z-A "Internet" { trust: untrusted }\nzone Z-B "Mairie" { trust: trusted }\n'
        'actor A "Usager" { kind: human zone: Z-A }\n'
        'component C "Guichet" { kind: process zone: Z-B }\n'
        'flow F "Envoi" { from: A to: C carries: D-1 }\n'
    )
    project = _project(tmp_path, text)
    english = _diagnostics(project)
    french = _diagnostics(project, lang="fr_FR.UTF-8")
    assert [d["code"] for d in english] == [d["code"] for d in french]
    messages = {str(d["code"]): str(d["message"]) for d in french}
    assert messages["GD001"] == "la donnée personal `D-1` n'a pas de `lawful-basis`"
    assert messages["TM001"].startswith("le flux `F` transporte des données personnelles")


def test_loading_a_french_project_in_process_leaves_the_language_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A library caller (or a test) that loads a French project keeps its language; one
    CLI command run in-process chooses French for itself only."""
    from reqdsl import i18n
    from reqdsl.cli import main
    from reqdsl.model.project import load_project

    load_project(SAMPLE, use_cache=False)
    assert i18n.current() == "en"
    main(["check", "--no-cache", str(DATA / "defects")])
    assert i18n.current() == "en"
    assert i18n.gettext("vague term `{term}` in the statement").startswith("vague term")
    capsys.readouterr()


def test_every_field_name_of_the_field_table_has_a_label() -> None:
    """A field added to the field table is shown translated on element pages: its name
    is in `labels.FIELDS`, so in the catalogue (whose completeness is tested above)."""
    from reqdsl.labels import FIELDS
    from reqdsl.model.schema import FIELD_SPECS

    names = {name for specs in FIELD_SPECS.values() for name in specs}
    assert sorted(names - FIELDS) == []


@pytest.mark.slow
def test_the_french_sample_documents_are_in_french(tmp_path: Path) -> None:
    """PDF and DOCX of a French project, exported on an English machine: every label the
    documents print is the catalogue's French (no English label is left), the matrix's
    words too; the files say they are French (Typst's `lang`, Word's core property)."""
    import docx
    from pypdf import PdfReader

    from reqdsl.i18n import gettext, language
    from reqdsl.interop.document_labels import LABELS
    from reqdsl.interop.matrix import COLUMNS

    word, pdf = tmp_path / "m.docx", tmp_path / "m.pdf"
    for path in (word, pdf):
        args = ("export", str(SAMPLE), "--format", path.suffix[1:], "--combined")
        result = _run(*args, "--no-diagrams", "-o", str(path), lang="en_US.UTF-8")
        assert result.returncode == 0, result.stderr
        assert "wrote 1" in result.stderr  # the terminal keeps the user's language
    document = docx.Document(str(word))
    assert document.core_properties.language == "fr"
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for table in document.tables for row in table.rows for c in row.cells]
    english = {text.split("{")[0].strip() for text in (*LABELS.values(), *COLUMNS)}
    with language("fr"):
        same = {text for text in english if gettext(text).split("{")[0].strip() == text}
    shown = [line for line in lines if line.strip() in english - same]
    assert shown == []
    assert "Approbations" in lines and "Énoncé" in lines and "Statut" in lines
    assert "Project-Id-Version" not in "\n".join(lines)  # an empty cell is not a message
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Annexe A : Matrice de traçabilité" in text and "Produit par reqdsl" in text
    assert "Project-Id-Version" not in text and "Generated by" not in text


@pytest.mark.slow
@pytest.mark.build
def test_the_site_words_diagnostics_in_the_project_language(tmp_path: Path) -> None:
    """On an English machine the terminal says a finding in English, and the French
    site says the same finding (same code, same place) in French."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "reqdsl.toml").write_text('[project]\nname = "p"\nlanguage = "fr"\n')
    (project / "a.req").write_text(
        FR_DOC + 'data DOSSIER "Dossier" {\n    category: personal\n    retention: "1 an"\n}\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    args = ("build", "--no-cache", "--allow-errors", str(project), "-o", str(out))
    result = _run(*args, lang="en_US.UTF-8")
    assert result.returncode == 1, result.stdout + result.stderr  # published, but not clean
    checked = _run("check", "--no-cache", str(project), lang="en_US.UTF-8")
    assert "GD001" in checked.stdout and "has no `lawful-basis`" in checked.stdout
    page = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "GD001" in page
    assert "has no `lawful-basis`" not in page and "has no <code>lawful-basis</code>" not in page
    assert "<code>lawful-basis</code>" in page and "DOSSIER" in page

"""The built-in catalogues (package data) and custom TSV catalogues."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reqdsl.catalogs import (
    AttackCatalog,
    Catalog,
    CatalogEntry,
    CatalogError,
    attack_catalog,
    attack_tactics,
    builtin_catalogs,
    gdpr_article_meanings,
    gdpr_article_titles,
    iso25010_model,
    load_tsv_catalog,
    stride_linddun_table,
)
from reqdsl.resources import catalog_data_dir

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
DATA_FILES = [
    "gdpr_structure.tsv",
    "gdpr_articles.tsv",
    "iso27001_2022_annex_a.tsv",
    "wcag22.tsv",
    "wcag22_guidelines.tsv",
    "attack_enterprise.tsv",
    "attack_enterprise_excluded.tsv",
    "attack_enterprise_tactics.tsv",
    "stride_linddun_per_element.tsv",
    "iso25010_quality_model.tsv",
]


def catalog(scheme: str) -> Catalog:
    return builtin_catalogs()[scheme]


# --- package data -----------------------------------------------------------------------


def test_package_ships_its_data_and_attribution() -> None:
    for name in DATA_FILES:
        assert (catalog_data_dir() / name).is_file(), name
    attribution = (catalog_data_dir() / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "MITRE ATT&CK® is a registered trademark of The MITRE Corporation" in attribution
    assert "Regulation (EU) 2016/679" in attribution
    assert "© W3C" in attribution
    assert "© ISO/IEC" in attribution


@pytest.mark.skipif(not SHARED_REFERENCE.is_dir(), reason="no shared/reference (installed)")
@pytest.mark.parametrize("name", DATA_FILES)
def test_package_data_equals_shared_reference(name: str) -> None:
    assert (catalog_data_dir() / name).read_bytes() == (SHARED_REFERENCE / name).read_bytes()


def test_builtin_catalogs_are_cached() -> None:
    catalogs = builtin_catalogs()
    assert set(catalogs) == {"gdpr", "iso27001", "wcag", "attack"}
    assert builtin_catalogs() is catalogs
    assert attack_catalog() is catalogs["attack"]
    for scheme, cat in catalogs.items():
        assert cat.scheme == scheme
        assert cat.title


# --- GDPR -------------------------------------------------------------------------------


def test_gdpr_counts() -> None:
    kinds = Counter(e.details["kind"] for e in catalog("gdpr").entries())
    assert len(catalog("gdpr").entries()) == 856
    assert kinds == {"article": 99, "paragraph": 398, "point": 359}
    assert len(gdpr_article_titles()) == 99
    assert gdpr_article_titles()["17"] == "Right to erasure (‘right to be forgotten’)"


def test_gdpr_lookup() -> None:
    gdpr = catalog("gdpr")
    entry = gdpr.lookup("6(1)(b)")
    assert entry is not None
    assert entry.title == "Lawfulness of processing"
    assert entry.details["chapter"] == "II"
    assert entry.details["kind"] == "point"
    assert "contract" in entry.details["meaning"].lower()
    assert gdpr.lookup("50(a)") is not None  # a point directly under an article
    assert gdpr.lookup("Art. 6") is None
    assert gdpr.entries()[0].ref == "1"
    assert gdpr.entries()[-1].ref == "99(2)"


@pytest.mark.parametrize("ref", ["1", "6", "6(1)", "6(1)(f)", "17(1)(b)", "99(2)", "50(d)"])
def test_gdpr_valid(ref: str) -> None:
    assert catalog("gdpr").problem(ref) is None


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("6(1)(g)", "no point `6(1)(g)` in the GDPR: Art. 6(1) has points (a) to (f)"),
        ("6(7)", "no paragraph `6(7)` in the GDPR: Art. 6 has paragraphs 1 to 4"),
        ("100", "no article `100` in the GDPR (it has articles 1 to 99)"),
        ("0", "no article `0` in the GDPR (it has articles 1 to 99)"),
        ("6(2)(a)", "no point `6(2)(a)` in the GDPR: Art. 6(2) has no points"),
        ("50(e)", "no point `50(e)` in the GDPR: Art. 50 has points (a) to (d)"),
    ],
)
def test_gdpr_problem(ref: str, message: str) -> None:
    assert catalog("gdpr").problem(ref) == message


def test_gdpr_problem_structure_hints() -> None:
    gdpr = catalog("gdpr")
    assert "Art. 10 has no numbered paragraphs" in (gdpr.problem("10(1)") or "")
    assert "cited as `50(a)`" in (gdpr.problem("50(1)") or "")
    assert "as in `6(1)(a)`" in (gdpr.problem("6(a)") or "")


@pytest.mark.parametrize(
    ("ref", "fixed"), [("Art. 6(1)(b)", "6(1)(b)"), ("Art.17", "17"), ("6(1)(B)", "6(1)(b)")]
)
def test_gdpr_misspelt_refs_name_the_right_form(ref: str, fixed: str) -> None:
    gdpr = catalog("gdpr")
    assert f"write `{fixed}`" in (gdpr.problem(ref) or "")
    assert gdpr.suggestions(ref)[0] == fixed


def test_gdpr_malformed() -> None:
    message = catalog("gdpr").problem("6.1.b") or ""
    assert message.startswith("`6.1.b` is not a GDPR reference")


def test_gdpr_suggestions() -> None:
    gdpr = catalog("gdpr")
    assert gdpr.suggestions("6(1)(g)") == ["6(1)(f)", "6(1)(e)", "6(1)(d)"]
    assert gdpr.suggestions("6(7)", limit=1) == ["6(4)"]
    assert gdpr.suggestions("10(1)")[0] == "10"


def test_gdpr_cited() -> None:
    gdpr = catalog("gdpr")
    assert gdpr.cited("17(1)(b)") == ["17(1)(b)", "17(1)", "17"]
    assert gdpr.cited("17(1)") == ["17(1)", "17"]
    assert gdpr.cited("17") == ["17"]
    assert gdpr.cited("50(a)") == ["50(a)", "50"]
    assert gdpr.cited("Art. 17") == ["Art. 17"]


def test_gdpr_article_meanings() -> None:
    meanings = gdpr_article_meanings()
    assert len(meanings) == 86
    assert meanings[0]["ref"] == "4(1)"
    assert {"30(3)-(5)", "35(4)-(5)"} <= {m["ref"] for m in meanings}
    assert all(m["title"] and m["meaning"] for m in meanings)
    assert catalog("gdpr").lookup("30(4)").details["topic"]  # type: ignore[union-attr]


# --- ISO/IEC 27001:2022 -----------------------------------------------------------------


def test_iso27001_counts() -> None:
    entries = catalog("iso27001").entries()
    assert len(entries) == 93
    assert Counter(e.details["theme"] for e in entries) == {
        "organizational": 37,
        "people": 8,
        "physical": 14,
        "technological": 34,
    }
    assert Counter(e.details["theme_id"] for e in entries) == {
        "A.5": 37,
        "A.6": 8,
        "A.7": 14,
        "A.8": 34,
    }
    assert (entries[0].ref, entries[-1].ref) == ("A.5.1", "A.8.34")


def test_iso27001_lookup() -> None:
    entry = catalog("iso27001").lookup("A.8.24")
    assert entry == CatalogEntry(
        "A.8.24", "Use of cryptography", {"theme": "technological", "theme_id": "A.8"}
    )
    assert catalog("iso27001").problem("A.8.24") is None
    assert catalog("iso27001").cited("A.8.24") == ["A.8.24"]


def test_iso27001_problem() -> None:
    iso = catalog("iso27001")
    old = iso.problem("A.9.1") or ""
    assert old.startswith("`A.9.1` is an ISO/IEC 27001:2013 number")
    assert "A.5 to A.8" in old
    assert "reqdsl catalog list iso27001" in old
    assert "2013 number" in (iso.problem("A.5.1.1") or "")
    assert iso.problem("A.5.38") == (
        "no control `A.5.38` in ISO/IEC 27001:2022 Annex A (theme A.5 has controls A.5.1 to A.5.37)"
    )
    assert "is an ISO/IEC 27001:2022 Annex A theme" in (iso.problem("A.8") or "")
    assert "write `A.8.24`" in (iso.problem("8.24") or "")
    assert iso.suggestions("a.8.24")[0] == "A.8.24"


# --- WCAG 2.2 ---------------------------------------------------------------------------


def test_wcag_counts() -> None:
    entries = catalog("wcag").entries()
    assert len(entries) == 87
    active = [e for e in entries if e.details["status"] == "active"]
    assert len(active) == 86
    assert Counter(e.details["level"] for e in active) == {"A": 31, "AA": 24, "AAA": 31}
    assert [e.ref for e in entries if e.details["status"] == "obsolete"] == ["4.1.1"]
    assert len(catalog("wcag").guidelines()) == 13  # type: ignore[attr-defined]


def test_wcag_lookup_and_obsolete() -> None:
    wcag = catalog("wcag")
    entry = wcag.lookup("1.4.3")
    assert entry is not None
    assert entry.title == "Contrast (Minimum)"
    assert entry.details["level"] == "AA"
    assert entry.details["principle"] == "Perceivable"
    assert wcag.problem("1.4.3") is None
    assert wcag.problem("4.1.1") is None
    assert wcag.is_obsolete("4.1.1")
    assert not wcag.is_obsolete("1.4.3")
    assert wcag.cited("1.4.3") == ["1.4.3"]


def test_wcag_problem() -> None:
    wcag = catalog("wcag")
    assert wcag.problem("1.4.14") == (
        "no success criterion `1.4.14` in WCAG 2.2 "
        "(guideline 1.4 Distinguishable has 1.4.1 to 1.4.13)"
    )
    assert "is a WCAG 2.2 guideline (Distinguishable)" in (wcag.problem("1.4") or "")
    assert "principles are 1 to 4" in (wcag.problem("5.1.1") or "")
    assert "not a WCAG 2.2 success criterion" in (wcag.problem("contrast") or "")


# --- MITRE ATT&CK -----------------------------------------------------------------------


def test_attack_counts() -> None:
    attack = attack_catalog()
    entries = attack.entries()
    assert len(entries) == 691
    assert Counter(e.details["is_subtechnique"] for e in entries) == {"false": 216, "true": 475}
    assert len(attack.excluded()) == 144
    assert Counter(r["status"] for r in attack.excluded()) == {"revoked": 132, "deprecated": 12}
    tactics = attack_tactics()
    assert len(tactics) == 14
    assert [t["name"] for t in tactics][:2] == ["Reconnaissance", "Resource Development"]
    assert tactics[-1]["id"] == "TA0040"


def test_attack_lookup() -> None:
    attack = attack_catalog()
    assert isinstance(attack, AttackCatalog)
    entry = attack.lookup("T1110.004")
    assert entry is not None
    assert entry.title == "Credential Stuffing"
    assert entry.details["name"] == "Credential Stuffing"
    assert entry.details["full_name"] == "Brute Force: Credential Stuffing"
    assert entry.details["tactics"] == "Credential Access"
    assert entry.details["parent"] == "T1110"
    assert attack.problem("T1110.004") is None
    assert attack.problem("T1110") is None
    assert attack.status("T1002") == "revoked"
    assert attack.status("T9999") is None


def test_attack_revoked_names_replacement() -> None:
    attack = attack_catalog()
    assert attack.problem("T1002") == (
        "`T1002` is revoked in ATT&CK v18.1; use `T1560` (Archive Collected Data)"
    )
    assert attack.replacement("T1002") == "T1560"
    assert attack.suggestions("T1002")[0] == "T1560"
    # T1073 -> T1574.002 (itself revoked) -> T1574.001: the chain ends at an active one.
    assert attack.replacement("T1073") == "T1574.001"
    assert "use `T1574.001` (Hijack Execution Flow: DLL)" in (attack.problem("T1073") or "")
    assert attack.replacement("T1110") is None


def test_attack_deprecated_and_unknown() -> None:
    attack = attack_catalog()
    assert (attack.problem("T1026") or "").startswith("`T1026` is deprecated in ATT&CK v18.1")
    assert attack.replacement("T1026") is None
    assert attack.problem("T9999") == "no technique `T9999` in MITRE ATT&CK Enterprise v18.1"
    assert (attack.problem("T1110.009") or "").startswith(
        "no technique `T1110.009` in MITRE ATT&CK Enterprise v18.1 (T1110 Brute Force"
    )
    assert "write `T1110`" in (attack.problem("t1110") or "")


def test_attack_cited() -> None:
    assert attack_catalog().cited("T1110.004") == ["T1110.004", "T1110"]
    assert attack_catalog().cited("T1110") == ["T1110"]


# --- other tables -----------------------------------------------------------------------


def test_stride_linddun_table() -> None:
    rows = stride_linddun_table()
    assert len(rows) == 13
    assert Counter(r["framework"] for r in rows) == {"STRIDE": 6, "LINDDUN": 7}
    spoofing = rows[0]
    assert spoofing["category"] == "Spoofing"
    assert spoofing["external_entity"] == "X"
    assert spoofing["data_flow"] == ""


def test_iso25010_model() -> None:
    model = iso25010_model()
    assert set(model) == {"2023", "2011"}
    assert sum(len(subs) for edition in model.values() for subs in edition.values()) == 71
    assert len(model["2023"]) == 9
    assert len(model["2011"]) == 8
    assert "Functional correctness" in model["2023"]["Functional suitability"]


# --- custom catalogues ------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "pci-dss.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_catalog(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id\ttitle\tgroup\n1.1\tFirewall standards\tnetwork\n\n3.4\tRender PAN unreadable\n",
    )
    pci = load_tsv_catalog("pci-dss", path)
    assert pci.scheme == "pci-dss"
    assert [e.ref for e in pci.entries()] == ["1.1", "3.4"]
    assert pci.lookup("1.1") == CatalogEntry("1.1", "Firewall standards", {"group": "network"})
    assert pci.lookup("3.4") == CatalogEntry("3.4", "Render PAN unreadable", {})
    assert pci.problem("1.1") is None
    assert pci.problem("99.9") == "no entry `99.9` in catalogue `pci-dss`"
    assert pci.suggestions("3.5") == ["3.4"]
    assert pci.cited("1.1") == ["1.1"]


def test_custom_catalog_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_bytes("\ufeffid\ttitle\nX-1\tOne\n".encode())
    assert load_tsv_catalog("c", path).problem("X-1") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty file"),
        ("id title\nA\tB\n", "header"),
        ("id\ttitle\n1.1 Firewall standards\n", ":2: expected id<TAB>title"),
        ("id\ttitle\n1.1\tA\n1.1\tB\n", ":3: duplicate id `1.1`"),
        ("id\ttitle\n1 1\tA\n", "may only contain"),
        ("id\ttitle\n1.1\tA\textra\n", "3 columns"),
    ],
)
def test_custom_catalog_malformed(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(CatalogError, match="catalogue `pci-dss`") as caught:
        load_tsv_catalog("pci-dss", write(tmp_path, text))
    assert fragment in str(caught.value)


def test_custom_catalog_unreadable(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read catalogue `pci-dss`"):
        load_tsv_catalog("pci-dss", tmp_path / "missing.tsv")
    bad = tmp_path / "latin1.tsv"
    bad.write_bytes(b"id\ttitle\n1\tcaf\xe9\n")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_tsv_catalog("pci-dss", bad)

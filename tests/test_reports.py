"""Reports as data (GDPR, ISO/IEC 27001 SoA, threats): snapshots of the valid conformance
project in JSON and Markdown, and focused tests of each decision the reports make."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from reqdsl.commands import report as report_command
from reqdsl.model.project import Project, load_project
from reqdsl.reports import (
    REPORT_NAMES,
    build_gdpr_report,
    build_report,
    build_soa_report,
    build_threat_report,
    render_report,
)
from reqdsl.reports.markdown import escape_markdown
from reqdsl.reports.risk import risk_level, risk_score
from reqdsl.reports.stride import category_table
from reqdsl.reports.text import clean

from .conftest import run_reqdsl

SHARED = Path(__file__).resolve().parents[2] / "shared"
VALID = SHARED / "conformance" / "valid"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    file_extension = "md"
    _write_mode = WriteMode.TEXT


@pytest.fixture(scope="module")
def valid() -> Project:
    return load_project(VALID, use_cache=False)


def project(tmp_path: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_project(tmp_path, use_cache=False)


# Snapshots of the valid project.


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_json_snapshot(valid: Project, name: str, snapshot) -> None:
    data = build_report(name, valid).to_json()
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert data == snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_markdown_snapshot(valid: Project, name: str, snapshot) -> None:
    assert render_report(build_report(name, valid), "markdown") == snapshot.use_extension(
        MarkdownSnapshot
    )


def test_valid_project_figures(valid: Project) -> None:
    gdpr = build_gdpr_report(valid)
    assert [r.data.id for r in gdpr.records] == ["PATIENT-DATA", "APPOINTMENT", "REMINDER-PREF"]
    assert [r.article for r in gdpr.rights if r.covered] == ["15", "17", "20"]
    soa = build_soa_report(valid)
    assert len(soa.controls) == 93
    assert {c.id for c in soa.controls if c.status == "addressed"} == {"A.5.34", "A.8.5", "A.8.24"}
    threats = build_threat_report(valid)
    stuff = threats.threats[0]
    assert (stuff.threat.id, stuff.risk, stuff.family) == ("T-STUFF", "high", "STRIDE")
    assert stuff.attack[0].name == "Brute Force: Credential Stuffing"
    assert stuff.attack[0].tactics == ["Credential Access"]
    assert [(m.requirement.id, m.verified) for m in stuff.mitigations] == [("REQ-SEC-001", True)]
    leak = threats.threats[1]
    assert [(m.requirement.id, m.verified) for m in leak.mitigations] == [("REQ-SEC-002", False)]


# The command.


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_command_prints_every_report(output_format: str) -> None:
    for name in REPORT_NAMES:
        result = run_reqdsl("report", name, "--format", output_format, str(VALID), "--no-cache")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()
        assert result.stderr == ""
        if output_format == "json":
            assert json.loads(result.stdout)["report"] == name


def test_command_json_is_the_report_data(valid: Project) -> None:
    result = run_reqdsl("report", "threats", "--format", "json", str(VALID), "--no-cache")
    assert json.loads(result.stdout) == build_threat_report(valid).to_json()


def test_command_unknown_report_exits_2() -> None:
    result = run_reqdsl("report", "risks", str(VALID))
    assert result.returncode == 2
    assert "gdpr, soa, threats" in result.stderr
    assert result.stdout == ""


def test_command_unloadable_project_exits_2(tmp_path: Path) -> None:
    (tmp_path / "reqdsl.toml").write_text("[project\n", encoding="utf-8")
    assert run_reqdsl("report", "gdpr", str(tmp_path)).returncode == 2
    assert run_reqdsl("report", "gdpr", str(tmp_path / "missing")).returncode == 2


def test_command_prints_despite_check_errors(tmp_path: Path) -> None:
    (tmp_path / "m.req").write_text(
        'document M "Model" {}\n'
        'data CUST "Customer" { category: personal }\n'  # GD001: no lawful basis
        'requirement R "broken" { statement: }\n',  # SY001
        encoding="utf-8",
    )
    assert run_reqdsl("check", str(tmp_path)).returncode == 1
    result = run_reqdsl("report", "gdpr", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [r["data"]["id"] for r in json.loads(result.stdout)["records"]] == ["CUST"]


def test_command_names_match_the_reports() -> None:
    assert report_command._NAMES == REPORT_NAMES


# Risk matrix.

MATRIX = {
    "low": ["low", "low", "medium", "medium"],
    "medium": ["low", "medium", "high", "high"],
    "high": ["medium", "high", "high", "critical"],
    "critical": ["medium", "high", "critical", "critical"],
}


@pytest.mark.parametrize("likelihood", list(MATRIX))
def test_risk_levels(likelihood: str) -> None:
    impacts = ["low", "medium", "high", "critical"]
    assert [risk_level(likelihood, impact) for impact in impacts] == MATRIX[likelihood]
    assert [risk_level(impact, likelihood) for impact in impacts] == MATRIX[likelihood]


def test_risk_unrated() -> None:
    assert risk_level(None, "high") is None
    assert risk_level("high", None) is None
    assert risk_level("extreme", "high") is None
    assert risk_score("medium", "critical") == 8


def test_unrated_threat_in_register_and_counts(tmp_path: Path) -> None:
    report = build_threat_report(
        project(
            tmp_path,
            {
                "t.req": 'document T "T" {}\nactor A "A"\n'
                'threat T1 "t" { category: spoofing target: A likelihood: high }\n'
                'threat T2 "t" { category: spoofing target: A likelihood: critical '
                "impact: critical }\n"
            },
        )
    )
    assert [(row.risk, row.risk_score) for row in report.threats] == [
        (None, None),
        ("critical", 16),
    ]
    assert report.risk_counts == {"low": 0, "medium": 0, "high": 0, "critical": 1, "unrated": 1}
    top = report.matrix[0]
    assert top.likelihood == "critical" and top.cells[3].threats == ["T2"]


# Statement of applicability.

SOA_MODEL = """document S "S" { level: system }
component DC "Data centre" { kind: process compliance: iso27001:A.7.1 }
requirement R1 "r" {
    statement: "The system shall encrypt backups."
    compliance: iso27001:A.8.24, iso27001:A.7.4
}
"""


def test_excluded_controls_from_reqdsl_toml(tmp_path: Path) -> None:
    (tmp_path / "reqdsl.toml").write_text(
        "[compliance.iso27001]\n"
        'excluded = { "A.7.4" = "Cloud only: no premises to monitor", '
        '"A.7.2" = "No physical entry points", "A.99.1" = "typo" }\n',
        encoding="utf-8",
    )
    report = build_soa_report(project(tmp_path, {"s.req": SOA_MODEL}))
    rows = {row.id: row for row in report.controls}
    assert len(rows) == 93
    assert rows["A.7.2"].status == "excluded"
    assert rows["A.7.2"].justification == "No physical entry points"
    assert rows["A.7.4"].status == "excluded"  # an exclusion wins over a citation
    assert [r.id for r in rows["A.7.4"].requirements] == ["R1"]
    assert rows["A.8.24"].status == "addressed"
    assert rows["A.7.1"].status == "addressed"  # cited by a component only
    assert [c.id for c in rows["A.7.1"].components] == ["DC"]
    assert rows["A.5.1"].status == "not-addressed" and rows["A.5.1"].justification is None
    assert any("A.7.4" in note and "R1" in note for note in report.notes)
    assert any("A.99.1" in note for note in report.notes)
    total = report.themes[-1]
    assert (total.total, total.addressed, total.excluded, total.not_addressed) == (93, 2, 2, 89)
    physical = next(t for t in report.themes if t.theme_id == "A.7")
    assert (physical.theme, physical.total) == ("physical", 14)


# GDPR record of processing.

GDPR_MODEL = """document M "Model" { level: system }
actor USER "User" { zone: Z1 }
actor PARTNER "Partner"
component API "API" { kind: process }
component STORE "Store" { kind: datastore stores: PROFILE }
data PROFILE "Profile" {
    category: personal
    lawful-basis: gdpr:6(1)(a)
    retention: "1 year"
    transfer: "United States, standard contractual clauses"
    attribute name: string [personal]
}
data STATS "Statistics" { category: public }
flow F1 "Sign up" { from: USER to: API carries: PROFILE }
flow F2 "Save" { from: API to: STORE carries: PROFILE, STATS }
flow F3 "Share" { from: API to: PARTNER carries: PROFILE }
flow F4 "Report" { from: API to: USER carries: STATS }
flow F5 "Resend" { from: USER to: API carries: PROFILE }
requirement R-ERASE "Erase" {
    statement: "The system shall erase a profile on request."
    compliance: gdpr:17(1)(a)
}
requirement R-ACCESS "Access" {
    statement: "The system shall export a profile on request."
    compliance: gdpr:15
}
requirement R-ENC "Encrypt" {
    statement: "The system shall encrypt profiles at rest."
    compliance: gdpr:32(1)(a)
}
component LOG "Log" { kind: datastore compliance: gdpr:21 }
"""


@pytest.fixture
def gdpr_project(tmp_path: Path) -> Project:
    return project(tmp_path, {"m.req": GDPR_MODEL})


def test_recipients_through_flows(gdpr_project: Project) -> None:
    report = build_gdpr_report(gdpr_project)
    (record,) = report.records
    # Components without a `gdpr-role` are the controller's own system, not recipients
    # (Art. 30(1)(d)); an actor whose role is not stated is listed, role None.
    assert [(r.element.id, r.element.kind, r.flows, r.role) for r in record.recipients] == [
        ("PARTNER", "actor", ["F3"], None),
    ]  # not USER: F4 carries only public data
    assert [c.id for c in record.internal] == ["API", "STORE"]
    assert [c.id for c in record.stored_in] == ["STORE"]
    assert [d.name for d in record.data_items if d.sensitivity == "personal"] == ["name"]
    assert [(o.data.id, o.category) for o in report.other_data] == [("STATS", "public")]


def test_lawful_basis_and_security_measures(gdpr_project: Project) -> None:
    (record,) = build_gdpr_report(gdpr_project).records
    assert record.lawful_basis is not None
    assert record.lawful_basis.ref == "gdpr:6(1)(a)"
    assert record.lawful_basis.title == "Lawfulness of processing"
    assert record.lawful_basis.topic == "Lawful basis: consent"
    assert [r.id for r in record.security_measures] == ["R-ENC"]
    assert record.transferred


def test_rights_coverage(gdpr_project: Project) -> None:
    rights = {r.article: r for r in build_gdpr_report(gdpr_project).rights}
    assert list(rights) == ["15", "16", "17", "18", "19", "20", "21", "22"]
    assert [r.id for r in rights["17"].requirements] == ["R-ERASE"]  # a point covers its article
    assert [r.id for r in rights["15"].requirements] == ["R-ACCESS"]
    assert not rights["21"].covered  # a component citing Art. 21 is not a requirement
    assert rights["17"].title.startswith("Right to erasure")


def test_dpia_indicators(gdpr_project: Project) -> None:
    dpia = build_gdpr_report(gdpr_project).dpia
    assert [(i.indicator, i.data.id, i.answered_by) for i in dpia.indicators] == [
        ("transfer", "PROFILE", []),
        ("consent", "PROFILE", []),
    ]
    assert "no requirement cites Art. 7(3)" in dpia.indicators[1].detail
    assert dpia.requirements == []


# STRIDE / LINDDUN suggestions.

THREAT_MODEL = """document M "Model" { level: system }
actor VISITOR "Visitor"
actor USER "User"
component WEB "Web" { kind: process }
component CACHE "Cache" { kind: datastore }
component VAULT "Vault" { kind: datastore stores: PROFILE }
data PROFILE "Profile" { category: special }
data PAGE "Page" { category: public }
flow F-PAGE "Page" { from: WEB to: VISITOR carries: PAGE }
flow F-SIGNUP "Sign up" { from: USER to: WEB carries: PROFILE }
threat T-TAMPER "Tampering" { category: tampering target: F-PAGE }
threat T-SPOOF "Spoofed flow" { category: spoofing target: F-PAGE }
threat T-LINK "Linking on a page" { category: linking target: F-PAGE }
threat T-ID "Re-identification" { category: identifying target: F-SIGNUP status: not-applicable }
requirement R-SIGN "Sign pages" {
    statement: "The system shall sign every page."
    mitigates: T-TAMPER
}
test TC-SIGN "Signature check" { verifies: R-SIGN }
requirement R-OTHER "Other" { statement: "The system shall log." mitigates: T-SPOOF }
"""


@pytest.fixture
def threat_report(tmp_path: Path):
    return build_threat_report(project(tmp_path, {"m.req": THREAT_MODEL}))


def families(row) -> set[str]:
    return {c.family for c in row.categories}


def test_linddun_only_where_personal_data_is_involved(threat_report) -> None:
    rows = {row.element.id: row for row in threat_report.suggestions}
    assert families(rows["VISITOR"]) == {"STRIDE"}
    assert families(rows["CACHE"]) == {"STRIDE"}
    assert families(rows["F-PAGE"]) == {"STRIDE"}
    for personal in ("USER", "WEB", "VAULT", "F-SIGNUP"):
        assert families(rows[personal]) == {"STRIDE", "LINDDUN"}, personal
        assert rows[personal].personal_data == ["PROFILE"]
    assert rows["VISITOR"].element_type == "external entity"
    assert rows["VAULT"].element_type == "data store"
    assert [c.category for c in rows["VISITOR"].categories] == ["spoofing", "repudiation"]
    assert [c.category for c in rows["USER"].categories] == [
        "spoofing", "repudiation", "linking", "identifying", "unawareness",
    ]  # fmt: skip


def test_suggestions_say_which_threat_covers_each_category(threat_report) -> None:
    rows = {row.element.id: row for row in threat_report.suggestions}
    page = {c.category: c for c in rows["F-PAGE"].categories}
    assert [t.id for t in page["tampering"].threats] == ["T-TAMPER"]
    assert not page["information-disclosure"].covered
    # spoofing does not apply to a data flow; linking is not suggested without personal data
    assert [t.id for t in rows["F-PAGE"].other_threats] == ["T-SPOOF", "T-LINK"]
    assert (rows["F-PAGE"].covered, rows["F-PAGE"].applicable) == (1, 3)
    signup = {c.category: c for c in rows["F-SIGNUP"].categories}
    assert signup["identifying"].covered  # not-applicable still records the analysis
    vault = {c.category: c for c in rows["VAULT"].categories}
    assert vault["repudiation"].condition == "if it holds logs/audit"


def test_mitigation_verification_status(threat_report) -> None:
    rows = {row.threat.id: row for row in threat_report.threats}
    (tamper,) = rows["T-TAMPER"].mitigations
    assert tamper.verified and [t.id for t in tamper.tests] == ["TC-SIGN"]
    (spoof,) = rows["T-SPOOF"].mitigations
    assert not spoof.verified and spoof.tests == []
    assert rows["T-ID"].mitigations == [] and not rows["T-ID"].handled  # no justification
    assert rows["T-TAMPER"].handled
    assert rows["T-LINK"].family == "LINDDUN" and rows["T-LINK"].target_type == "data flow"


def test_category_table_maps_every_row() -> None:
    table = category_table()
    assert len(table) == 13
    assert sum(1 for row in table if row.family == "STRIDE") == 6
    assert len({row.category for row in table}) == 13


# Markdown escaping of hostile text.

HOSTILE = (
    "<script>alert(1)</script> | *bold* _it_ `code` [x](javascript:alert(1)) "
    "<img src=x onerror=alert(1)>"
)


def test_escape_markdown_characters() -> None:
    escaped = escape_markdown("a|b<c>d*e_f`g[h]i\nj")
    assert escaped == "a\\|b&lt;c&gt;d\\*e\\_f\\`g\\[h\\]i<br>j"
    assert escape_markdown("# title\n- item\n1. first", newline="\n") == (
        "\\# title\n\\- item\n1\\. first"
    )
    assert escape_markdown("a\x1bb\r\nc", newline=" ") == "ab c"


def test_hostile_text_stays_inert_in_markdown(tmp_path: Path) -> None:
    model = f'''document M "Model" {{ level: system }}
data EVIL "{HOSTILE}" {{
    category: personal
    purpose: """line one | still the purpose
    <b>line two</b> [link](http://example.com)"""
    lawful-basis: gdpr:6(1)(b)
}}
threat T-EVIL "{HOSTILE}" {{ category: spoofing target: EVIL justification: "{HOSTILE}" }}
component C "{HOSTILE}" {{ kind: process compliance: iso27001:A.5.1 }}
'''
    toml = f'[compliance.iso27001]\nexcluded = {{ "A.7.4" = "{HOSTILE}" }}\n'
    loaded = project(tmp_path, {"m.req": model, "reqdsl.toml": toml})
    for name in REPORT_NAMES:
        text = render_report(build_report(name, loaded), "markdown")
        html = markdown.markdown(text, extensions=["tables"])
        assert "&lt;script&gt;alert(1)&lt;/script&gt; | *bold* _it_ `code` [x]" in html, name
        for bad in ("<script", "<img", "<a ", "<b>", "<em>", "<strong>", "<code>"):
            assert bad not in html, (name, bad)
        for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
            widths = {
                row.count("<td") + row.count("<th")
                for row in re.findall(r"<tr>.*?</tr>", table, re.S)
            }
            assert len(widths) == 1, (name, widths)  # no cell was split by a `|`
    gdpr = render_report(build_gdpr_report(loaded), "markdown")
    assert "still the purpose<br>&lt;b&gt;line two" in gdpr


def test_text_rendering_drops_terminal_escapes() -> None:
    assert clean("red\x1b[31m\nnext") == "red\\x1b[31m next"

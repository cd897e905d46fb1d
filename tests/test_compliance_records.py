"""Compliance records an auditor accepts (issue 23): the Art. 30 record with its parties,
GDPR roles and processor contracts, Chapter V transfers, the processor's own record,
not-applicable rights, the DPIA outcome; an ISO/IEC 27001:2022 statement of
applicability with applicability, justification and implementation status; 2013 control
numbers; the threat register's verified mitigations and residual risk.

The rules' case files (GD007 to GD011, IS001) are in tests/cases; the GD ones run with the
GDPR family in tests/test_rules_gdpr_threat.py, the IS ones here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reqdsl.model.project import Project
from reqdsl.pipeline import Session
from reqdsl.reports import build_gdpr_report, build_soa_report, build_threat_report, render_report
from reqdsl.reports.soa import ControlRow

from .conftest import run_reqdsl
from .expect_cases import assert_failing_case, case_ids, cases, check_case
from .test_site_generate import generate, inert_problems, page_html

NEW_CODES = ("GD007", "GD008", "GD009", "GD010", "GD011", "IS001")

MODEL = """\
document SRS "Clinic" { level: system }

zone Z-NET "Internet" { trust: untrusted }
zone Z-APP "Application" { trust: trusted }

actor PATIENT "Patient" { kind: human zone: Z-NET gdpr-role: data-subject }
actor CLERK "Clerk" { kind: human zone: Z-APP gdpr-role: controller }
actor SMS "SMS gateway" {
    kind: system
    zone: Z-NET
    gdpr-role: processor
    contract: "DPA-14"
    third-country: "United Kingdom"
    transfer-basis: gdpr:45(3)
}
actor LAB "Laboratory" { kind: system zone: Z-NET gdpr-role: recipient }
component WEB "Portal" { kind: process zone: Z-APP }
component DB "Database" { kind: datastore zone: Z-APP stores: PROFILE }

data PROFILE "Patient profile" {
    category: special
    purpose: "book appointments"
    lawful-basis: gdpr:6(1)(b)
    special-condition: gdpr:9(2)(h)
    retention: "10 years"
}

flow F-BOOK "Booking" {
    from: PATIENT to: WEB carries: PROFILE encrypted: true authenticated: true
}
flow F-STORE "Store" { from: WEB to: DB carries: PROFILE }
flow F-DESK "Desk" { from: WEB to: CLERK carries: PROFILE }
flow F-SMS "Reminder" { from: WEB to: SMS carries: PROFILE encrypted: true }
flow F-LAB "Lab order" { from: WEB to: LAB carries: PROFILE encrypted: true }

threat T-SNIFF "Sniffing" {
    category: information-disclosure
    target: F-SMS
    likelihood: high
    impact: critical
    residual-likelihood: low
    residual-impact: high
    status: mitigated
}
threat T-DUMP "Dump" {
    category: information-disclosure
    target: DB
    likelihood: low
    impact: high
    status: mitigated
}

requirement R-TLS "TLS" {
    statement: "The portal shall encrypt every connection with TLS 1.3."
    status: implemented
    verification: test
    mitigates: T-SNIFF
    compliance: iso27001:A.8.24, gdpr:32(1)(a)
}
requirement R-ENC "Encryption at rest" {
    statement: "The database shall encrypt its files."
    status: approved
    verification: test
    mitigates: T-DUMP
    compliance: iso27001:A.8.24
}
requirement R-BACKUP "Backups" {
    statement: "The database shall be backed up every night."
    status: verified
    verification: test
    compliance: iso27001:A.8.13
}
requirement R-ACCESS "Access" {
    statement: "The portal shall export a patient's data on request."
    verification: test
    compliance: gdpr:15, gdpr:35(7)
}

test T-TLS "TLS" { verifies: R-TLS method: test automated-by: "tests.test_tls::test_tls13" }
test T-ENC "Encryption" { verifies: R-ENC method: test automated-by: "tests.test_db::test_enc" }
test T-BACKUP "Backup" { verifies: R-BACKUP method: test }
test T-ACCESS "Access" { verifies: R-ACCESS method: test }
"""

RECORD = """\
[compliance.gdpr]
role = "controller"
controller = { name = "Riverside Clinic", contact = "privacy@riverside.example" }
dpo = { name = "A. Haddad", contact = "dpo@riverside.example" }

[compliance.gdpr.not-applicable]
"22" = "No decision is based solely on automated processing"

[compliance.gdpr.dpia]
outcome = "required"
reference = "DPIA-2026-01"

[compliance.iso27001.excluded]
"A.7.4" = "No premises of our own"
"""


def _junit(tls: str = "", enc: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest">\n'
        f'<testcase classname="tests.test_tls" name="test_tls13">{tls}</testcase>\n'
        f'<testcase classname="tests.test_db" name="test_enc">{enc}</testcase>\n'
        "</testsuite></testsuites>\n"
    )


def _write(folder: Path, model: str = MODEL, toml: str = RECORD, junit: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.req").write_text(model, encoding="utf-8")
    if junit is not None:
        (folder / "junit.xml").write_text(junit, encoding="utf-8")
        toml += '\n[tests]\njunit = ["junit.xml"]\n'
    (folder / "reqdsl.toml").write_text(toml, encoding="utf-8")
    return folder


def _load(folder: Path, **kwargs: str | None) -> Project:
    """The project as `reqdsl report` loads it: with the JUnit reports of [tests] junit."""
    root = _write(folder, **kwargs)  # type: ignore[arg-type]
    return Session(root, use_cache=False, junit=[]).load()


# The rules' case files and their diagnostics.


@pytest.mark.parametrize("case", cases("IS"), ids=case_ids)
def test_iso27001_case_file(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path, house_style=("IS",))


@pytest.mark.parametrize("code", NEW_CODES)
def test_every_new_rule_has_a_failing_case(code: str, tmp_path: Path) -> None:
    assert_failing_case(code, tmp_path)


def _diagnostics(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    result = run_reqdsl("check", "--format", "json", "--no-cache", str(folder))
    assert result.returncode in (0, 1), result.stderr
    return list(json.loads(result.stdout)["diagnostics"])


def test_the_full_record_checks_clean(tmp_path: Path) -> None:
    """Controller, DPO, DPIA outcome, a processor with its contract and a UK transfer
    on an adequacy decision: none of the new rules has anything to say."""
    found = [d for d in _diagnostics(_write(tmp_path)) if d["code"] in NEW_CODES]
    assert found == []


def test_a_processor_without_contract_and_a_transfer_without_basis(tmp_path: Path) -> None:
    model = MODEL.replace('    contract: "DPA-14"\n', "").replace(
        "    transfer-basis: gdpr:45(3)\n", ""
    )
    found = {(d["code"], d["line"]) for d in _diagnostics(_write(tmp_path, model=model))}
    role_line = model.splitlines().index("    gdpr-role: processor") + 1
    country_line = model.splitlines().index('    third-country: "United Kingdom"') + 1
    assert ("GD008", role_line) in found and ("GD009", country_line) in found


def test_2013_control_number_gets_no_lookalike_suggestion(tmp_path: Path) -> None:
    """`A.9.4.2` (secure log-on, 2013) used to get "did you mean A.8.4, A.8.2, A.7.4":
    2022 controls whose numbers look alike and mean something else."""
    model = MODEL.replace("iso27001:A.8.13", "iso27001:A.9.4.2")
    result = run_reqdsl("check", "--no-cache", str(_write(tmp_path, model=model)))
    line = next(text for text in result.stdout.splitlines() if "SM008" in text)
    assert "`A.9.4.2` is an ISO/IEC 27001:2013 number" in line
    assert "reqdsl catalog list iso27001" in line
    assert "A.8.4" not in result.stdout and "did you mean" not in result.stdout


def test_a_bad_record_setting_is_a_one_line_configuration_error(tmp_path: Path) -> None:
    folder = _write(tmp_path, toml=RECORD.replace('role = "controller"', 'role = "owner"'))
    result = run_reqdsl("check", str(folder))
    assert result.returncode == 2
    assert 'compliance.gdpr.role` must be one of "controller", "processor"' in result.stderr
    assert "Traceback" not in result.stderr


def test_a_misspelt_record_key_is_cf001(tmp_path: Path) -> None:
    toml = RECORD.replace("dpo = {", "dop = {")
    found = [d for d in _diagnostics(_write(tmp_path, toml=toml)) if d["code"] == "CF001"]
    assert len(found) == 1 and "compliance.gdpr.dop" in found[0]["message"]


# The GDPR record.


def test_record_starts_with_the_controller_and_dpo(tmp_path: Path) -> None:
    report = build_gdpr_report(_load(tmp_path))
    assert report.parties.controller is not None
    assert report.parties.controller.name == "Riverside Clinic"
    assert report.parties.dpo is not None and report.parties.dpo.contact == "dpo@riverside.example"
    text = render_report(report, "text")
    assert text.index("Controller and contacts (Art. 30(1)(a))") < text.index("Record: PROFILE")
    assert "Riverside Clinic; privacy@riverside.example" in text
    assert report.processor_record is None  # a controller keeps the Art. 30(1) record only


def test_recipients_are_only_those_outside_the_controller(tmp_path: Path) -> None:
    (record,) = build_gdpr_report(_load(tmp_path)).records
    assert [(r.element.id, r.role) for r in record.recipients] == [
        ("SMS", "processor"),
        ("LAB", "recipient"),
    ]  # not WEB, DB (components of the controller's system), nor CLERK (its staff)
    sms = record.recipients[0]
    assert sms.contract == "DPA-14" and sms.third_country == "United Kingdom"
    assert sms.transfer_basis is not None and sms.transfer_basis.ref == "gdpr:45(3)"
    assert [ref.id for ref in record.internal] == ["WEB", "DB", "CLERK"]


def test_processor_keeps_its_own_record(tmp_path: Path) -> None:
    toml = RECORD.replace('role = "controller"', 'role = "processor"').replace(
        "dpo = {",
        'processor = { name = "TextRelay Ltd", contact = "dpo@textrelay.example" }\ndpo = {',
    )
    report = build_gdpr_report(_load(tmp_path, toml=toml))
    processor = report.processor_record
    assert processor is not None
    assert [(c.data.id, c.purpose) for c in processor.categories] == [
        ("PROFILE", "book appointments")
    ]
    assert processor.transfers == ["PROFILE: SMS, United Kingdom (gdpr:45(3))"]
    assert [ref.id for ref in processor.security_measures] == ["R-TLS"]
    text = render_report(report, "markdown")
    assert "## Processor's record (Art. 30(2))" in text and "TextRelay Ltd" in text


def test_rights_not_applicable_with_their_justification(tmp_path: Path) -> None:
    rights = {r.article: r for r in build_gdpr_report(_load(tmp_path)).rights}
    assert rights["22"].status == "not-applicable"
    assert rights["22"].justification == "No decision is based solely on automated processing"
    assert rights["15"].status == "covered" and rights["21"].status == "not-covered"
    text = render_report(build_gdpr_report(_load(tmp_path)), "text")
    assert "not applicable" in text and "No decision is based solely" in text


def test_dpia_outcome_is_shown(tmp_path: Path) -> None:
    dpia = build_gdpr_report(_load(tmp_path)).dpia
    assert (dpia.indicated, dpia.outcome, dpia.reference) == (True, "required", "DPIA-2026-01")
    data = build_gdpr_report(_load(tmp_path)).to_json()
    assert data["dpia"]["outcome"] == "required"
    assert data["parties"]["controller"]["name"] == "Riverside Clinic"


# The statement of applicability.


def _controls(project: Project) -> dict[str, ControlRow]:
    return {c.id: c for c in build_soa_report(project).controls}


def test_soa_states_applicability_justification_and_status(tmp_path: Path) -> None:
    controls = _controls(_load(tmp_path))
    crypto = controls["A.8.24"]
    assert crypto.applicability == "applicable"
    assert crypto.inclusion == (
        "required by R-TLS, R-ENC; counters T-SNIFF, T-DUMP; serves gdpr:32(1)(a)"
    )
    # R-TLS implemented, R-ENC approved: partly implemented, without test results.
    assert crypto.implementation == "partial"
    # `status: verified` as written, a test with no result: implemented, not verified.
    assert controls["A.8.13"].implementation == "implemented"
    excluded = controls["A.7.4"]
    assert excluded.applicability == "excluded"
    assert excluded.implementation is None
    assert controls["A.5.1"].applicability == "not-decided"


def test_soa_status_follows_the_test_results(tmp_path: Path) -> None:
    passed = _controls(_load(tmp_path / "passed", junit=_junit()))
    assert passed["A.8.24"].implementation == "verified"
    failure = '<failure message="weak cipher">assert False</failure>'
    failed = _controls(_load(tmp_path / "failed", junit=_junit(enc=failure)))
    assert failed["A.8.24"].implementation == "failed"
    report = build_soa_report(_load(tmp_path / "again", junit=_junit()))
    assert report.implementation["verified"] == 1
    text = render_report(report, "markdown")
    assert "| A.8.24 | Use of cryptography | technological | applicable |" in text
    assert "implemented and verified" in text


def test_report_command_reads_the_test_results(tmp_path: Path) -> None:
    folder = _write(tmp_path, junit=_junit())
    result = run_reqdsl("report", "soa", "--format", "json", "--no-cache", str(folder))
    assert result.returncode == 0, result.stderr
    controls = {c["id"]: c for c in json.loads(result.stdout)["controls"]}
    assert controls["A.8.24"]["implementation"] == "verified"


# The threat register.


def test_mitigated_threat_is_verified_only_by_passing_tests(tmp_path: Path) -> None:
    rows = {r.threat.id: r for r in build_threat_report(_load(tmp_path / "none")).threats}
    assert rows["T-SNIFF"].mitigation_state == "not-verified"  # a test, but no result
    assert rows["T-SNIFF"].status_label == "mitigation not verified"
    rows = {
        r.threat.id: r
        for r in build_threat_report(_load(tmp_path / "passed", junit=_junit())).threats
    }
    assert rows["T-SNIFF"].mitigation_state == "verified"
    assert rows["T-SNIFF"].status_label == "mitigated and verified"
    assert rows["T-SNIFF"].mitigations[0].passed is True


def test_residual_risk_beside_the_initial_one(tmp_path: Path) -> None:
    report = build_threat_report(_load(tmp_path))
    row = next(r for r in report.threats if r.threat.id == "T-SNIFF")
    assert (row.risk, row.residual_risk) == ("critical", "medium")  # 3x4 -> 1x3
    assert row.residual_score == 3
    text = render_report(report, "markdown")
    assert "| high x critical | critical | low x high (medium) | mitigation not verified |" in text


# The site shows the same.


def test_site_pages_show_the_records(tmp_path: Path) -> None:
    _, files = generate(_write(tmp_path / "project", junit=_junit()))
    gdpr = page_html(files, "gdpr.md")
    assert "Controller and contacts (Art. 30(1)(a))" in gdpr and "Riverside Clinic" in gdpr
    assert "contract DPA-14" in gdpr and "not applicable" in gdpr and "DPIA-2026-01" in gdpr
    soa = page_html(files, "iso27001.md")
    assert "implemented and verified" in soa and ">applicability</th>" in soa
    threats = page_html(files, "threats.md")
    assert "mitigated and verified" in threats and "residual risk" in threats


def test_hostile_record_text_stays_inert(tmp_path: Path) -> None:
    """A contract, a third country, a party's name and a right's justification come
    from someone else's project: on the site they are text, never markup."""
    payload = "<script>window.__pwned=1</script>"
    model = MODEL.replace('contract: "DPA-14"', f'contract: "{payload}"').replace(
        'third-country: "United Kingdom"', "third-country: \"<img src=x onerror='1'>\""
    )
    toml = RECORD.replace("Riverside Clinic", payload).replace(
        "No decision is based solely on automated processing", "<b onmouseover='x'>n/a</b>"
    )
    _, files = generate(_write(tmp_path / "project", model=model, toml=toml))
    gdpr = page_html(files, "gdpr.md")
    assert inert_problems(gdpr) == []
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in gdpr
    assert "&lt;img src=x" in gdpr and "&lt;b onmouseover" in gdpr

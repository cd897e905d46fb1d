"""`reqdsl import strictdoc|doorstop`: real StrictDoc and Doorstop sources (written
after their public formats, in tests/data/interop/) become projects that check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reqdsl.cli import main
from reqdsl.commands.check import check_project
from reqdsl.interop.importing import quote
from reqdsl.interop.strictdoc import parse_sdoc
from reqdsl.parse.parser import parse_text

from .conftest import run_reqdsl

DATA = Path(__file__).resolve().parent / "data" / "interop"


def _raw(values) -> list[str]:  # type: ignore[no-untyped-def]
    return [value.raw for value in values]


def test_strictdoc_document_imports_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "vent"
    done = run_reqdsl("import", "strictdoc", str(DATA / "strictdoc"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "StrictDoc field `ASIL` -> custom requirement field `asil`" in done.stdout
    assert "check: 0 errors" in done.stdout
    project, diagnostics, summary = check_project(out, use_cache=False)
    assert summary.errors == 0, diagnostics
    document = project.index["VENTILATOR"]
    assert (
        document.title == "Ventilator software requirements" and document.word("version") == "0.3"
    )
    first = project.index["VENT-1"]
    assert first.title == "Deliver the set tidal volume"
    assert (
        first.word("statement") == "The ventilator shall deliver the set tidal volume within 10 %."
    )
    assert first.word("rationale").startswith("Too little air")  # type: ignore[union-attr]
    assert first.word("status") == "approved"
    assert _raw(first.tags) == ["breathing", "safety"]
    assert _raw(first.custom["asil"]) == ["C"]
    second = project.index["VENT-2"]
    assert second.word("statement") == (
        "If the airway pressure stays below 5 cmH2O for 15 seconds,\n"
        "then the ventilator shall raise a high-priority alarm."
    )
    assert _raw(second.refs("refines")) == ["VENT-1"]  # a Parent within one level
    assert _raw(second.custom["comment"]) == ["Threshold agreed with the clinical team."]
    assert _raw(second.custom["file"]) == ["src/alarms/pressure.c"]
    third = project.index["VENT-3"]
    assert third.section == ["Breathing", "Settings"]  # [[SECTION]] nests
    assert third.title == "The ventilator shall keep the last settings after a power..."
    texts = [e.body for e in project.of_kind("text")]
    assert texts == [
        "This document lists what the ventilator software must do.\nIt is written in StrictDoc's SDoc markup."
    ]
    toml = (out / "reqdsl.toml").read_text(encoding="utf-8")
    assert '[fields.requirement]\nasil = "string"' in toml


def test_sdoc_parser_reports_an_unclosed_section() -> None:
    from reqdsl.interop.importing import ImportFailure

    with pytest.raises(ImportFailure, match=r"\[SECTION\] is never closed"):
        parse_sdoc("[DOCUMENT]\nTITLE: x\n\n[SECTION]\nTITLE: s\n")


def test_doorstop_tree_imports_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "greenhouse"
    assert main(["import", "doorstop", str(DATA / "doorstop"), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "Doorstop link -> requirement field `derives-from`  (x3)" in report
    assert "review stamps" in report
    project, diagnostics, summary = check_project(out, use_cache=False)
    assert summary.errors == 0, diagnostics
    levels = {e.id: e.level for e in project.of_kind("document")}
    assert levels == {"NEED": "stakeholder", "SYS": "system", "TST": "software"}
    need = project.index["NEED002"]
    assert need.title == "Keep plants alive"
    heater = project.index["SYS-002"]
    assert heater.section == ["Heating"]  # the non-normative heading SYS-001
    assert project.index["SYS-001"].kind == "section"
    assert heater.word("statement") == (
        "When the air temperature falls below 18 degrees Celsius, the controller shall\n"
        "switch the heater on."
    )
    assert _raw(heater.refs("derives-from")) == ["NEED002"]
    assert heater.word("owner") == "controls team"
    assert _raw(heater.custom["ref"]) == ["heater.py"]
    assert _raw(project.index["SYS-003"].custom["derived"]) == ["true"]
    assert _raw(project.index["TST001"].refs("derives-from")) == ["SYS-002"]


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.req").write_text('document MINE "Mine" {}\n', encoding="utf-8")
    refused = run_reqdsl("import", "doorstop", str(DATA / "doorstop"), "-o", str(out))
    assert refused.returncode == 2 and "mine.req" in refused.stderr
    assert not (out / "need.req").exists()
    copy = tmp_path / "tree"
    shutil.copytree(DATA / "doorstop", copy)
    assert main(["import", "doorstop", str(copy), "-o", str(tmp_path / "fresh")]) == 0
    assert main(["import", "doorstop", str(copy), "-o", str(tmp_path / "fresh")]) == 2
    assert main(["import", "doorstop", str(copy), "-o", str(tmp_path / "fresh"), "--force"]) == 0
    assert main(["import", "doorstop", str(tmp_path / "nothing"), "-o", str(tmp_path / "x")]) == 2


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        'with "quotes" and \\ backslash',
        "two\nlines",
        "  indented\n  both",
        'has """ inside\nx',
        "tab\there",
    ],
)
def test_quoted_values_read_back_exactly(text: str) -> None:
    parsed = parse_text(f'document D "d" {{ purpose: {quote(text)} }}\n', "x.req")
    assert not parsed.problems
    assert parsed.document is not None and parsed.document.fields[0].values[0].text == text

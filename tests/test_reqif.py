"""ReqIF 1.2: the export is complete and consistent, the round trip (export, import,
export) keeps every requirement's ID, statement and links, files written by other tools
import into projects that check, and the parser refuses XXE and entity expansion."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from reqdsl.cli import main
from reqdsl.commands.check import check_project
from reqdsl.interop.importing import ImportFailure, write_import
from reqdsl.interop.reqif import REQIF_NS, export_reqif
from reqdsl.interop.reqif_import import import_reqif
from reqdsl.model.project import Project, load_project
from reqdsl.model.schema import FIELD_SPECS

from .conftest import run_reqdsl

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
DATA = Path(__file__).resolve().parent / "data" / "interop" / "reqif"
WHEN = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
NS = {"r": REQIF_NS}


def _links(project: Project, element: Any) -> dict[str, list[str]]:
    return {
        name: [value.raw for value in element.refs(name)]
        for name, spec in FIELD_SPECS[element.kind].items()
        if spec.kind == "ref" and element.has(name)
    }


def _requirements(
    project: Project,
) -> dict[str, tuple[str | None, str | None, dict[str, list[str]]]]:
    return {
        e.id: (e.title, e.word("statement"), _links(project, e))
        for e in project.of_kind("requirement")
        if e.id is not None
    }


def _round_trip(
    source: Path, tmp_path: Path, name: str, *, clean: bool = True
) -> tuple[Project, Project, str, str]:
    original = load_project(source, use_cache=False)
    first = export_reqif(original, WHEN)
    out = tmp_path / name
    write_import(import_reqif(first.encode()), out, name=name, force=False)
    reimported, diagnostics, summary = check_project(out, use_cache=False)
    assert summary.errors == 0 or not clean, [
        f"{d.path}:{d.line} {d.code} {d.message}" for d in diagnostics
    ]
    second = export_reqif(reimported, WHEN)
    return original, reimported, first, second


def test_round_trip_keeps_requirements_and_links(tmp_path: Path) -> None:
    original, reimported, first, second = _round_trip(CONFORMANCE / "valid", tmp_path, "valid")
    assert _requirements(reimported) == _requirements(original)
    # Every other element, its links and fields come back too.
    assert {e.id for e in reimported.elements if e.id and e.kind != "document"} == {
        e.id for e in original.elements if e.id and e.kind != "document"
    }
    for element in original.elements:
        if element.id and element.kind != "document":
            again = reimported.index[element.id]
            assert _links(reimported, again) == _links(original, element), element.id
            assert len(again.attributes) == len(element.attributes)
            assert len(again.steps) == len(element.steps)
    # export -> import -> export: the second export's requirements are the first's.
    projects = []
    for number, text in enumerate((first, second)):
        out = tmp_path / f"again-{number}"
        write_import(import_reqif(text.encode()), out, name="x", force=False)
        projects.append(load_project(out, use_cache=False))
    assert _requirements(projects[0]) == _requirements(projects[1]) == _requirements(original)


@pytest.mark.parametrize("name", ["v11-valid", "extensions"])
def test_round_trip_of_decisions_activities_reviews_and_custom_fields(
    tmp_path: Path, name: str
) -> None:
    source = tmp_path / "source"
    shutil.copytree(CONFORMANCE / name, source)
    # The extensions project has errors on purpose, and its catalogue stays behind.
    original, reimported, _, _ = _round_trip(source, tmp_path, name, clean=name == "v11-valid")
    ids = {e.id for e in original.elements if e.id and e.kind != "document"}
    assert ids <= set(reimported.index)
    for element in original.elements:
        if element.id in ids and element.custom:
            again = reimported.index[element.id].custom
            assert {k: [v.raw for v in vs] for k, vs in again.items() if vs} == {
                k: [v.raw for v in vs] for k, vs in element.custom.items() if vs
            }


def test_export_is_consistent_reqif(tmp_path: Path) -> None:
    project = tmp_path / "valid"
    shutil.copytree(CONFORMANCE / "valid", project)
    out = tmp_path / "valid.reqif"
    assert main(["export", str(project), "--format", "reqif", "-o", str(out), "--no-cache"]) == 0
    root = fromstring(out.read_bytes())
    assert root.tag == f"{{{REQIF_NS}}}REQ-IF"
    header = root.find("r:THE-HEADER/r:REQ-IF-HEADER", NS)
    assert header is not None and header.findtext("r:REQ-IF-VERSION", namespaces=NS) == "1.0"
    identifiers = [node.get("IDENTIFIER") for node in root.iter() if node.get("IDENTIFIER")]
    assert len(identifiers) == len(set(identifiers))
    known = set(identifiers)
    for node in root.iter():
        if node.tag.endswith("-REF"):
            assert node.text in known, node.text
    content = root.find("r:CORE-CONTENT/r:REQ-IF-CONTENT", NS)
    assert content is not None
    types = {t.get("LONG-NAME") for t in content.findall("r:SPEC-TYPES/r:SPEC-OBJECT-TYPE", NS)}
    assert {"requirement", "test", "threat", "section", "data", "scenario"} <= types
    relations = content.findall("r:SPEC-RELATIONS/r:SPEC-RELATION", NS)
    assert len(relations) == sum(
        1
        for e in load_project(project, use_cache=False).elements
        for name, spec in FIELD_SPECS[e.kind].items()
        if spec.kind == "ref" and e.has(name)
        for _ in e.refs(name)
    )
    specifications = content.findall("r:SPECIFICATIONS/r:SPECIFICATION", NS)
    assert [s.get("LONG-NAME") for s in specifications][1] == (
        "Clinic booking - Software Requirements Specification"
    )
    srs = specifications[1].find("r:CHILDREN", NS)
    sections = [h.find("r:OBJECT/r:SPEC-OBJECT-REF", NS).text for h in srs]  # type: ignore[union-attr]
    assert sections == ["SO-S-FUNC", "SO-S-UX", "SO-S-PRIV", "SO-S-SEC"]


def test_doors_style_file_imports_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "doors"
    done = run_reqdsl("import", "reqif", str(DATA / "doors_module.reqif"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ReqIF attribute `Priority` -> custom requirement field `x-priority`" in done.stdout
    assert "ID `2` written as `REQ-2`" in done.stdout
    project = load_project(out, use_cache=False)
    requirement = project.index["REQ-2"]
    assert requirement.word("statement") == (
        "The pump shall deliver the prescribed dose with an error of at most 5 %.\n\n"
        "Doses are given in millilitres."
    )
    assert requirement.section == ["Dosing"] and requirement.document == "SYSTEM-REQUIREMENTS"
    assert [v.raw for v in requirement.custom["x-priority"]] == ["High"]
    assert [v.raw for v in requirement.custom["responsible-engineer"]] == ["A. Ferreira"]
    assert [v.raw for v in project.index["REQ-3"].refs("conflicts-with")] == ["REQ-2"]
    assert [v.raw for v in project.index["REQ-101"].refs("refines")] == ["REQ-2"]
    assert 'x-priority = "string"' in (out / "reqdsl.toml").read_text(encoding="utf-8")


def test_prostyle_file_imports_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pror"
    assert (
        main(
            [
                "import",
                "reqif",
                str(DATA / "prostyle_spec.reqif"),
                "-o",
                str(out),
                "--level",
                "software",
            ]
        )
        == 0
    )
    project = load_project(out, use_cache=False)
    lock = project.index["LOCK-1"]
    assert lock.title == "Unlock with the app" and lock.level == "software"
    assert lock.word("statement") == (
        "When an authorised phone is within 2 m, the lock shall open on request.\n\n"
        "- Bluetooth LE\n- NFC"
    )
    assert lock.word("rationale") == "Residents lose keys."
    assert [v.raw for v in lock.custom["safety-relevant"]] == ["true"]
    assert [v.raw for v in lock.custom["effort"]] == ["8"]
    nested = project.index["LOCK-2"]  # a child object in the hierarchy follows its parent
    assert nested.section == ["Unlocking"]
    assert [v.raw for v in nested.refs("depends-on")] == ["LOCK-1"]


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    hostile = tmp_path / "xxe.reqif"
    hostile.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE REQ-IF [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        f'<REQ-IF xmlns="{REQIF_NS}"><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS>'
        '<SPEC-OBJECT IDENTIFIER="a"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE="&leak;"/>'
        "</VALUES></SPEC-OBJECT></SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run_reqdsl("import", "reqif", str(hostile), "-o", str(out))
    assert done.returncode == 2 and "refused" in done.stderr
    assert "TOP-SECRET-VALUE" not in done.stdout + done.stderr
    assert not out.exists()


def test_entity_expansion_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE REQ-IF [{entities}]><REQ-IF xmlns="{REQIF_NS}">&a11;</REQ-IF>'
    with pytest.raises(ImportFailure, match="refused"):
        import_reqif(bomb.encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<REQ-IF", "not well-formed"),
        (b"<html/>", "not a ReqIF file"),
        (b"<REQ-IF/>", "CORE-CONTENT"),
    ],
)
def test_bad_files_are_reported(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        import_reqif(data)

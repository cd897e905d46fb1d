"""The PlantUML generators: snapshots of every diagram of the conformance projects, and
focused tests of what each diagram must show. Rendering is tested in
test_diagrams_render.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from reqdsl.diagrams import generate_diagrams
from reqdsl.diagrams.escape import alias
from reqdsl.model.project import Project, load_project

SHARED = Path(__file__).resolve().parents[2] / "shared"
CONFORMANCE = SHARED / "conformance"
PROJECTS = ("valid", "v11-valid")


class PlantUmlSnapshot(SingleFileSnapshotExtension):
    file_extension = "puml"
    _write_mode = WriteMode.TEXT


def load(name: str) -> Project:
    return load_project(CONFORMANCE / name, use_cache=False)


def project(tmp_path: Path, text: str) -> Project:
    (tmp_path / "p.req").write_text(text, encoding="utf-8")
    return load_project(tmp_path, use_cache=False)


def _cases() -> list[tuple[str, str]]:
    return [(name, path) for name in PROJECTS for path in generate_diagrams(load(name))]


@pytest.fixture(scope="module")
def diagrams() -> dict[str, dict[str, str]]:
    return {name: generate_diagrams(load(name)) for name in PROJECTS}


@pytest.mark.parametrize(
    ("name", "path"),
    _cases(),
    ids=lambda value: value.removesuffix(".puml").replace("/", "-"),
)
def test_snapshot(diagrams: dict[str, dict[str, str]], name: str, path: str, snapshot) -> None:
    assert diagrams[name][path] == snapshot.use_extension(PlantUmlSnapshot)


def test_every_kind_is_generated_for_the_valid_projects(
    diagrams: dict[str, dict[str, str]],
) -> None:
    assert list(diagrams["valid"]) == [
        "components.puml",
        "data-flow.puml",
        "data-model.puml",
        "goals.puml",
        "sequence/SC-BOOK.puml",
        "traceability/MODEL.puml",
        "traceability/SRS.puml",
        "traceability/STRS.puml",
        "traceability/TM.puml",
        "traceability/TP.puml",
        "use-cases.puml",
    ]
    assert list(diagrams["v11-valid"]) == [
        "activity/ACT-LOGIN.puml",
        "components.puml",
        "traceability/DESIGN.puml",
        "traceability/NEEDS.puml",
        "use-cases.puml",
    ]


def test_generation_is_deterministic() -> None:
    first, second = generate_diagrams(load("valid")), generate_diagrams(load("valid"))
    assert first == second
    assert list(first) == sorted(first)
    for text in first.values():
        assert text.startswith("@startuml\n") and text.endswith("@enduml\n")
        assert text.count("@startuml") == 1 and text.count("@enduml") == 1


# Every alias a diagram uses is declared in it: a dangling reference never reaches
# PlantUML (where it would silently create a stray element).

DECLARED = re.compile(r"\bas (r_\w+|x_\w+)|^\s*\|(r_\w+|x_\w+)\|", re.M)
USED = re.compile(r"\b(r_\w+)\b")


def undeclared(text: str) -> set[str]:
    body = "\n".join(
        line for line in text.splitlines() if not line.startswith(("title ", "skinparam"))
    )
    declared = {a or b for a, b in DECLARED.findall(body)}
    return set(USED.findall(body)) - declared


def test_every_alias_used_is_declared(diagrams: dict[str, dict[str, str]]) -> None:
    for name, found in diagrams.items():
        for path, text in found.items():
            assert undeclared(text) == set(), (name, path)


def test_dangling_references_are_left_out(tmp_path: Path) -> None:
    found = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'component C "c" { kind: process zone: Z-NONE }\n'
            'usecase U "u" { actors: NOBODY subject: NOTHING includes: GONE }\n'
            'flow F "f" { from: C to: GHOST }\n'
            'threat T "t" { category: spoofing target: MISSING }\n'
            'scenario S "s" { C -> PHANTOM: "hello" }\n'
            'data X "x" { category: public attribute a: UNKNOWN-TYPE }\n',
        )
    )
    assert set(found) >= {"use-cases.puml", "components.puml", "sequence/S.puml"}
    for path, text in found.items():
        assert undeclared(text) == set(), path
    # An unresolved participant is still drawn, under the name as written.
    assert 'participant "PHANTOM" as r_PHANTOM' in found["sequence/S.puml"]
    assert "a : UNKNOWN-TYPE" in found["data-model.puml"]


# What each kind must show.


def test_use_cases_sit_in_their_subject_with_include_and_extend(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'actor P "Patient" { kind: human }\nactor S "Mailer" { kind: system }\n'
            'component W "Web" { kind: process }\n'
            'usecase A "Book" { actors: P subject: W includes: B }\n'
            'usecase B "Log in" { actors: P, S subject: W }\n'
            'usecase C "Remind" { actors: S extends: A }\n',
        )
    )["use-cases.puml"]
    subject = text[text.index('rectangle "Web') :]
    subject = subject[: subject.index("}")]
    assert "as r_A" in subject and "as r_B" in subject and "as r_C" not in subject
    assert "r_A ..> r_B : <<include>>" in text
    assert "r_C ..> r_A : <<extend>>" in text
    assert "as r_S <<system>>" in text
    assert "r_S -- r_B" in text


def test_data_model_shows_flags_categories_and_associations(
    diagrams: dict[str, dict[str, str]],
) -> None:
    text = diagrams["valid"]["data-model.puml"]
    assert "as r_PATIENT_hDATA <<special>> {" in text
    assert "BackgroundColor<<special>>" in text
    assert "{field} <color:#B00020><b>reason : text {special}</b></color>" in text
    assert "{field} <color:#B35C00>full_name : string {personal, required}</color>" in text
    assert "{field} id : uuid {unique}" in text
    assert 'r_PATIENT_hDATA --> "0..*" r_APPOINTMENT : appointments' in text
    assert "appointments :" not in text  # an association, not also an attribute


def test_components_are_grouped_by_zone(diagrams: dict[str, dict[str, str]]) -> None:
    text = diagrams["valid"]["components.puml"]
    dmz = text[text.index('rectangle "DMZ') :]
    dmz = dmz[: dmz.index("}")]
    assert 'component "Booking web app' in dmz and "Python 3.12, Django 5" in dmz
    assert 'database "Appointments database' in text
    assert "r_WEB ..> r_DB : Reserve slot" in text


def test_nested_zones(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'zone OUT "Out" { trust: trusted }\nzone IN "In" { inside: OUT }\n'
            'zone LOOP1 "L1" { inside: LOOP2 }\nzone LOOP2 "L2" { inside: LOOP1 }\n'
            'component C "Core" { kind: process zone: IN }\n',
        )
    )["components.puml"]
    lines = text.splitlines()
    outer = lines.index(next(line for line in lines if line.startswith('rectangle "Out')))
    assert lines[outer + 1].startswith('  rectangle "In')
    assert lines[outer + 2].startswith('    component "Core')
    # A loop of `inside` (SM006) does not hide the zones: both are drawn at the top.
    assert any(line.startswith('rectangle "L1') for line in lines)
    assert any(line.startswith('rectangle "L2') for line in lines)


THREAT_MODEL = """document D "d" { level: system }
zone NET "Internet" { trust: untrusted }
zone CORE "Core" { trust: trusted }
actor U "User" { kind: human zone: NET }
component API "API" { kind: process zone: CORE }
component DB "Store" { kind: datastore zone: CORE stores: PII }
data PII "Profile" { category: personal }
flow F-PLAIN "Upload" { from: U to: API protocol: "HTTP" }
flow F-FALSE "Sync" { from: API to: U encrypted: false }
flow F-TLS "Login" { from: U to: API encrypted: true protocol: "HTTPS" }
flow F-INSIDE "Query" { from: API to: DB }
threat T-SNIFF "Sniffing" { category: information-disclosure target: F-PLAIN status: open }
threat T-DUMP "Dump" { category: tampering target: DB likelihood: high impact: critical }
threat T-LEAK "Leak" { category: data-disclosure target: PII }
"""


def test_unencrypted_flows_across_a_boundary_stand_out(tmp_path: Path) -> None:
    text = generate_diagrams(project(tmp_path, THREAT_MODEL))["data-flow.puml"]
    flows = {line.split(" : ")[0]: line for line in text.splitlines() if " : " in line}
    assert "r_U -[#B00020,bold]-> r_API" in flows  # F-PLAIN: encryption not stated
    assert "NOT ENCRYPTED" in flows["r_U -[#B00020,bold]-> r_API"]
    assert "r_API -[#B00020,bold]-> r_U" in flows  # F-FALSE
    assert "r_U --> r_API" in flows and "NOT ENCRYPTED" not in flows["r_U --> r_API"]
    assert "r_API --> r_DB" in flows  # same zone: no boundary crossed
    assert "HTTP" in flows["r_U -[#B00020,bold]-> r_API"]


def test_threats_are_attached_to_their_targets(tmp_path: Path) -> None:
    lines = generate_diagrams(project(tmp_path, THREAT_MODEL))["data-flow.puml"].splitlines()
    plain = lines.index(next(line for line in lines if line.startswith("r_U -[#B00020")))
    assert lines[plain + 1].startswith("note on link #FDE2E2 : <b>T-SNIFF</b>")
    # Threats on an element sit beside it, inside its zone, in one note.
    store = lines.index(next(line for line in lines if line.startswith('  database "Store')))
    assert lines[store + 1].startswith("  note right of r_DB #FDE2E2 : <b>T-DUMP</b> Dump")
    assert "L high / I critical" in lines[store + 1]
    # A threat to data hangs on the store that holds it.
    assert "<b>T-LEAK</b> Leak" in lines[store + 1] and "on data: Profile" in lines[store + 1]
    assert "usecase" in "\n".join(lines) and 'agent "User' in "\n".join(lines)


def test_sequence_fragments_nest_as_written(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'actor P "Patient" { kind: human }\ncomponent W "Web" { kind: process }\n'
            'component DB "DB" { kind: datastore }\n'
            'scenario S "s" {\n'
            '  P -> W: "ask"\n'
            '  alt "free" { W -> DB: "reserve" loop "retry" { DB --> W: "busy" } }\n'
            '  else "taken" { opt "waitlist" { W --> P: "wait" } }\n'
            '  else { W --> P: "sorry" }\n'
            '  note "logged"\n'
            "}\n",
        )
    )["sequence/S.puml"]
    body = text[text.index("r_P -> r_W") :].splitlines()
    assert body[:13] == [
        "r_P -> r_W : ask",
        "alt free",
        "  r_W -> r_DB : reserve",
        "  loop retry",
        "    r_DB --> r_W : busy",
        "  end",
        "else taken",
        "  opt waitlist",
        "    r_W --> r_P : wait",
        "  end",
        "else",
        "  r_W --> r_P : sorry",
        "end",
    ]
    assert "note across : logged" in text
    assert 'actor "Patient' in text and 'database "DB' in text


def test_goal_model_shows_refinement_satisfaction_and_decisions(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: stakeholder }\n'
            'stakeholder ST "Ops"\n'
            'goal G1 "Top" { stakeholder: ST }\ngoal G2 "Sub" { refines: G1 }\n'
            'requirement N "Need" { statement: "The system shall run." satisfies: G2 }\n'
            'decision DEC "Choice" { status: proposed addresses: N }\n'
            'decision OTHER "Elsewhere" { status: proposed }\n',
        )
    )["goals.puml"]
    assert "r_G2 -up-> r_G1 : refines" in text
    assert "r_N .up.> r_G2 : satisfies" in text
    assert "r_DEC .up.> r_N : addresses" in text
    assert "r_ST -- r_G1" in text
    assert "r_OTHER" not in text


def test_traceability_is_per_document_with_neighbours(
    diagrams: dict[str, dict[str, str]],
) -> None:
    srs = diagrams["valid"]["traceability/SRS.puml"]
    # The field is the arrow's colour, explained in the legend, not a label.
    assert "r_REQ_hBOOK_h001 -[#1565C0]up-> r_N_hBOOK" in srs.splitlines()
    assert "r_TC_hBOOK_h1 -[#00838F]up-> r_REQ_hBOOK_h001" in srs.splitlines()
    assert "r_REQ_hSEC_h001 -[#C62828]up-> r_T_hSTUFF" in srs.splitlines()
    assert "r_REQ_hBOOK_h002 .[#616161]right.> r_REQ_hBOOK_h001" in srs.splitlines()
    assert "| depends-on |" in srs and "| verifies |" in srs
    assert "<<software-level>>" in srs and "<<stakeholder-level>>" in srs
    # Elements with no link to the SRS stay in their own document's graph.
    assert "r_G_hACCESS" not in srs
    design = diagrams["v11-valid"]["traceability/DESIGN.puml"]
    assert "r_DEC_hSESS -[#EF6C00]up-> r_SYS_hHA" in design


def test_activity_has_a_lane_per_performer_and_keeps_every_note(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'actor U "User" { kind: human }\ncomponent S "Server" { kind: process }\n'
            'activity A "Flow" {\n'
            '  note "N0"\n  start\n  action "submit" by U\n'
            '  if "ok?" { action "store" by S } else "locked" { note "N1" } else { note "N2" }\n'
            '  note "N3"\n'
            '  fork { action "audit" } and { note "N4" }\n'
            '  while "more?" { note "N5" }\n'
            "  stop\n}\n",
        )
    )["activity/A.puml"]
    assert "|r_U| User" in text and "|r_S| Server" in text
    assert "|x_unassigned| (no performer)" in text
    assert "elseif (locked) then (yes)" in text and "else (no)" in text
    for note in ("N0", "N1", "N2", "N3", "N4", "N5"):
        assert re.search(rf"(note right : |Note: ){note}$", text, re.M), note
    assert text.index(":submit;") < text.index(":store;") < text.index(":audit;")
    # The fork branch holding only a note is not drawn (PlantUML would drop it).
    assert text.count("fork again") == 0


def test_activity_without_by_has_no_lanes(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'activity A "Flow" { start action "x" stop }\n'
            'activity B "Empty" { }\n',
        )
    )
    assert "|" not in text["activity/A.puml"]
    assert "start" in text["activity/B.puml"]


def test_aliases_of_odd_ids(tmp_path: Path) -> None:
    text = generate_diagrams(
        project(
            tmp_path,
            'document D "d" { level: system }\n'
            'component Zürich.1 "a" { kind: process }\n'
            'component Z_hürich.1 "b" { kind: process }\n',
        )
    )["components.puml"]
    assert f"as {alias('Zürich.1')}" in text and f"as {alias('Z_hürich.1')}" in text


def _large_project(tmp_path: Path, count: int, limit: int | None) -> Project:
    lines = ['document BIG "Big" {', "    level: system", "}", 'section "Power" {']
    for number in range(count):
        lines += [
            f'    requirement R-{number} "Requirement {number}" {{',
            '        statement: "The unit shall report its state within 1 s."',
            "    }",
        ]
    lines.append("}")
    (tmp_path / "big.req").write_text("\n".join(lines) + "\n", encoding="utf-8")
    child = ['document SUB "Sub" {', "    level: software", "}"]
    for number in range(count):
        child += [
            f'requirement S-{number} "Child {number}" {{',
            '    statement: "The driver shall read the state within 1 s."',
            f"    derives-from: R-{number}",
            "}",
        ]
    (tmp_path / "sub.req").write_text("\n".join(child) + "\n", encoding="utf-8")
    if limit is not None:
        (tmp_path / "reqdsl.toml").write_text(f"[diagrams]\ntraceability_limit = {limit}\n")
    return load_project(tmp_path, use_cache=False)


def test_large_traceability_graph_is_condensed(tmp_path: Path) -> None:
    """Above `[diagrams] traceability_limit` (default 80 elements) a document's graph
    has one box per section and per other document, arrows counting the links."""
    found = generate_diagrams(_large_project(tmp_path, 50, None))
    big = found["traceability/BIG.puml"]
    assert "R-7" not in big and "condensed to sections and documents" in big
    # The counts are written in the section's box; the arrow carries the field's colour.
    assert '"Power\\n<size:10>SUB derives-from ×50</size>" as x_box0' in big
    assert "<b>SUB</b>" in big and "x_box1 -[#1565C0]up-> x_box0" in big


def test_traceability_limit_can_be_raised_or_lifted(tmp_path: Path) -> None:
    found = generate_diagrams(_large_project(tmp_path, 50, 0))  # 0: no limit
    big = found["traceability/BIG.puml"]
    assert "condensed" not in big and alias("R-7") in big


def test_small_graphs_are_drawn_element_by_element() -> None:
    big = generate_diagrams(load("valid"))
    assert all("condensed" not in text for text in big.values())

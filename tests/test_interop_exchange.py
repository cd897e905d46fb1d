"""Exchange with real tools, nothing lost (issue 22): reqdsl's ReqIF is valid against the
official ReqIF 1.2 schema and StrictDoc reads it; StrictDoc's ReqIF reads back as a
direct import of the same `.sdoc` files; `.reqifz` archives are unpacked safely; every
value that is not carried over is counted in the mapping report (and its JSON form)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from reqdsl.interop import reqif_import
from reqdsl.interop.importing import ImportFailure, write_import
from reqdsl.interop.model_view import attributes_source, steps_source
from reqdsl.interop.reqif import REQIF_NS, export_reqif
from reqdsl.interop.reqif_import import import_reqif
from reqdsl.interop.strictdoc import import_strictdoc
from reqdsl.model.project import Project, load_project
from reqdsl.model.schema import TRACE_FIELDS

from .conftest import run_reqdsl

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "exchange"
CONFORMANCE = ROOT.parent / "shared" / "conformance"
NS = {"r": REQIF_NS}
STRICTDOC_VERSION = "0.30.4"


# ------------------------------------------------------------------ helpers
def _export(source: Path) -> str:
    import datetime

    project = load_project(source, use_cache=False)
    return export_reqif(project, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))


def _import_into(result: Any, out: Path) -> Project:
    write_import(result, out, name="imported", force=False)
    return load_project(out, use_cache=False)


def _requirements(project: Project, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Each requirement's title, statement, trace links and other fields, as written."""
    out = {}
    for element in project.of_kind("requirement"):
        fields = {
            name: sorted(value.raw for value in element.refs(name))
            for name in TRACE_FIELDS
            if element.has(name) and element.refs(name)
        }
        for name in ("type", "status", "rationale"):
            found = element.value(name)
            if found is not None:
                fields[name] = found.raw
        for name, values in element.custom.items():
            if name not in skip:
                fields[name] = sorted(value.raw for value in values)
        out[element.id] = (element.title, element.word("statement"), fields)
    return out


def _reqif(*objects: str, tool: str = "strictdoc", relations: str = "") -> bytes:
    """A small ReqIF file: one string attribute `ReqIF.Text`, objects given as
    (IDENTIFIER, ForeignID, text) triples separated by `|`."""
    spec_objects, children = [], []
    for item in objects:
        ident, uid, text = item.split("|", 2)
        spec_objects.append(
            f'<SPEC-OBJECT IDENTIFIER="{ident}" LAST-CHANGE="2026-01-01T00:00:00Z"><VALUES>'
            f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{uid}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>'
            "A-ID</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"
            f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{text}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>'
            "A-TEXT</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"
            "</VALUES><TYPE><SPEC-OBJECT-TYPE-REF>SOT</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>"
        )
        children.append(
            f'<SPEC-HIERARCHY IDENTIFIER="H-{ident}" LAST-CHANGE="2026-01-01T00:00:00Z"><OBJECT>'
            f"<SPEC-OBJECT-REF>{ident}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"
        )
    definition = (
        '<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="A-{0}" LAST-CHANGE="2026-01-01T00:00:00Z" '
        'LONG-NAME="{1}"><TYPE><DATATYPE-DEFINITION-STRING-REF>T</DATATYPE-DEFINITION-STRING-REF>'
        "</TYPE></ATTRIBUTE-DEFINITION-STRING>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><REQ-IF xmlns="{REQIF_NS}"><THE-HEADER>'
        '<REQ-IF-HEADER IDENTIFIER="h"><CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>'
        f"<REQ-IF-TOOL-ID>{tool}</REQ-IF-TOOL-ID><REQ-IF-VERSION>1.0</REQ-IF-VERSION>"
        f"<SOURCE-TOOL-ID>{tool}</SOURCE-TOOL-ID><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>"
        "<CORE-CONTENT><REQ-IF-CONTENT><DATATYPES>"
        '<DATATYPE-DEFINITION-STRING IDENTIFIER="T" LAST-CHANGE="2026-01-01T00:00:00Z" MAX-LENGTH="9999"/>'
        '</DATATYPES><SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="SOT" LAST-CHANGE="2026-01-01T00:00:00Z" '
        'LONG-NAME="REQUIREMENT"><SPEC-ATTRIBUTES>'
        + definition.format("ID", "ReqIF.ForeignID")
        + definition.format("TEXT", "ReqIF.Text")
        + '</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE><SPECIFICATION-TYPE IDENTIFIER="ST" '
        'LAST-CHANGE="2026-01-01T00:00:00Z"/></SPEC-TYPES><SPEC-OBJECTS>'
        + "".join(spec_objects)
        + f"</SPEC-OBJECTS><SPEC-RELATIONS>{relations}</SPEC-RELATIONS><SPECIFICATIONS>"
        '<SPECIFICATION IDENTIFIER="S" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Spec">'
        "<TYPE><SPECIFICATION-TYPE-REF>ST</SPECIFICATION-TYPE-REF></TYPE><CHILDREN>"
        + "".join(children)
        + "</CHILDREN></SPECIFICATION></SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"
    ).encode()


def _relation(source: str, target: str) -> str:
    return (
        '<SPEC-RELATION IDENTIFIER="X" LAST-CHANGE="2026-01-01T00:00:00Z"><SOURCE>'
        f"<SPEC-OBJECT-REF>{source}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>{target}"
        "</SPEC-OBJECT-REF></TARGET><TYPE><SPEC-RELATION-TYPE-REF>T</SPEC-RELATION-TYPE-REF>"
        "</TYPE></SPEC-RELATION>"
    )


# ------------------------------------------------------------------ the official schema
@pytest.fixture(scope="session")
def reqif_schema() -> Any:
    """ReqIF 1.2's XSD as the `reqif` package ships it, with its XHTML modules, read
    from the installed package: no network."""
    import importlib.resources

    import xmlschema

    folder = importlib.resources.files("reqif") / "reqif_schema"
    return xmlschema.XMLSchema(str(folder / "reqif.xsd"))


@pytest.mark.parametrize("source", ["samples/clinic", "samples/sso-gateway", "conformance"])
def test_export_is_valid_against_the_reqif_schema(reqif_schema: Any, source: str) -> None:
    folder = CONFORMANCE / "valid" if source == "conformance" else ROOT / source
    errors = list(reqif_schema.iter_errors(_export(folder)))
    assert errors == [], [str(error)[:300] for error in errors[:3]]


# ------------------------------------------------------------------ 1. StrictDoc reads it
def test_section_types_name_their_title_once() -> None:
    """StrictDoc maps both ReqIF.Name and ReqIF.ChapterName to TITLE: a type declaring
    both is refused ("non unique fields in SDoc: TITLE")."""
    root = fromstring(_export(ROOT / "samples" / "clinic"))
    for spec_type in root.iterfind(".//r:SPEC-OBJECT-TYPE", NS):
        names = {d.get("LONG-NAME") for d in spec_type.iterfind("r:SPEC-ATTRIBUTES/*", NS)}
        assert not {"ReqIF.Name", "ReqIF.ChapterName"} <= names, spec_type.get("LONG-NAME")


@pytest.fixture(scope="session")
def strictdoc() -> Path:
    """StrictDoc, pinned, in a venv of its own (its pins of lark, markdown, pygments
    differ from ours), made once and kept in the user's cache folder keyed by version.
    A StrictDoc that cannot be installed FAILS the tests that need it."""
    import platformdirs

    base = Path(platformdirs.user_cache_dir("reqdsl")) / "test-tools"
    venv = base / f"strictdoc-{STRICTDOC_VERSION}"
    program = venv / "bin" / "strictdoc"
    ready = venv / "installed"
    if ready.is_file() and program.is_file():
        return program
    shutil.rmtree(venv, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"strictdoc=={STRICTDOC_VERSION}"],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            pytest.fail(
                f"cannot install StrictDoc {STRICTDOC_VERSION} for the round-trip tests "
                f"({' '.join(step[:4])}...): {(done.stderr or done.stdout)[-800:]}"
            )
    ready.write_text(STRICTDOC_VERSION)
    return program


def _strictdoc(program: Path, *args: str, cwd: Path) -> None:
    done = subprocess.run(
        [str(program), *args], capture_output=True, text=True, timeout=600, cwd=cwd
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]


def _strictdoc_nodes(index: Path) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """StrictDoc's JSON export: the node type of each UID, and (node, parent) links."""
    data = json.loads(index.read_text(encoding="utf-8"))
    kinds: dict[str, str] = {}
    links: set[tuple[str, str]] = set()
    stack = list(data["DOCUMENTS"])
    while stack:
        node = stack.pop()
        stack.extend(node.get("NODES", []))
        if node.get("_NODE_TYPE") != "DOCUMENT" and node.get("UID"):
            kinds[node["UID"]] = node["_NODE_TYPE"]
            for relation in node.get("RELATIONS", []):
                links.add((node["UID"], relation["VALUE"]))
    return kinds, links


def test_strictdoc_reads_every_element_and_link_of_reqdsls_reqif(
    strictdoc: Path, tmp_path: Path
) -> None:
    """reqdsl -> ReqIF -> `strictdoc convert` (its defaults) -> `strictdoc export`:
    every element with an ID, and every link between them, is in StrictDoc's model."""
    source = ROOT / "samples" / "clinic"
    project = load_project(source, use_cache=False)
    (tmp_path / "clinic.reqif").write_text(_export(source), encoding="utf-8")
    _strictdoc(strictdoc, "convert", "clinic.reqif", "sdoc", cwd=tmp_path)
    _strictdoc(
        strictdoc, "export", "sdoc", "--formats", "json", "--output-dir", "out", cwd=tmp_path
    )
    kinds, links = _strictdoc_nodes(tmp_path / "out" / "json" / "index.json")
    expected = {e.id: e.kind for e in project.elements if e.id and e.kind != "document"}
    assert {uid: kind.lower() for uid, kind in kinds.items()} == expected
    from reqdsl.interop.model_view import LinkIndex

    index = LinkIndex(project)
    wanted = {
        (link.source, link.target)
        for element in project.elements
        if element.id and element.kind != "document"
        for link in index.outgoing(element.id)
        if link.target in expected
    }
    assert links == wanted
    assert len(expected) > 100 and len(wanted) > 100
    # Texts of several lines keep their line breaks: StrictDoc keeps only the XHTML's
    # text nodes, so "about<br/>40,000" with no line break became "about40,000".
    data = json.loads((tmp_path / "out" / "json" / "index.json").read_text(encoding="utf-8"))
    strings: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            strings.append(item)
    texts = [
        text.strip()
        for element in project.elements
        if element.kind != "document"
        for text in [element.body if element.kind == "text" else element.word("statement")]
        if text and "\n" in text.strip()
    ]
    assert texts
    missing = [text for text in texts if not any(text in string for string in strings)]
    assert not missing, missing[:3]


@pytest.mark.parametrize("sample", ["clinic", "payments", "mairie", "sso-gateway", "quickstart"])
def test_strictdoc_makes_its_html_site_from_reqdsls_reqif_with_its_defaults(
    strictdoc: Path, tmp_path: Path, sample: str
) -> None:
    """The default path: `strictdoc convert` with no option (StrictDoc reads multi-line
    text as reStructuredText), then its HTML export, which stops at the first text its
    RST parser refuses. A scenario's steps and a data element's attributes are `.req`
    text, indented: reqdsl writes them as RST literal blocks, shown as code."""
    source = ROOT / "samples" / sample
    (tmp_path / "p.reqif").write_text(_export(source), encoding="utf-8")
    _strictdoc(strictdoc, "convert", "p.reqif", "sdoc", cwd=tmp_path)
    _strictdoc(
        strictdoc, "export", "sdoc", "--formats", "html", "--output-dir", "out", cwd=tmp_path
    )
    pages = "\n".join(
        page.read_text(encoding="utf-8") for page in (tmp_path / "out").rglob("*.html")
    )
    project = load_project(source, use_cache=False)
    for element in project.elements:
        if element.kind == "scenario" and element.id:
            assert element.id in pages
    if sample == "clinic":
        assert "<pre" in pages and "PATIENT -&gt; PORTAL" in pages  # the steps, as code


def _project(folder: Path, body: str) -> Path:
    folder.mkdir()
    (folder / "a.req").write_text(
        'document SRS "SRS" {\n    level: system\n}\n\n' + body, encoding="utf-8"
    )
    (tmp := folder.parent / "p.reqif").write_text(_export(folder), encoding="utf-8")
    return tmp


def _strictdoc_page(program: Path, work: Path, *convert_options: str) -> str:
    """`work/p.reqif` through `strictdoc convert` (with these options) and its HTML
    export: the page of the document SRS."""
    folder = "html" if convert_options else "rst"
    _strictdoc(program, "convert", "p.reqif", folder, *convert_options, cwd=work)
    _strictdoc(program, "export", folder, "--formats", "html", "--output-dir", f"out-{folder}",
               cwd=work)  # fmt: skip
    return (work / f"out-{folder}" / "html" / folder / "SRS.html").read_text(encoding="utf-8")


def test_text_that_rst_refuses_needs_strictdocs_html_markup(
    strictdoc: Path, tmp_path: Path
) -> None:
    """A user's text is written as written. One that reStructuredText refuses (a Markdown
    list followed directly by a line) stops StrictDoc's default HTML export; with
    `--reqif-import-markup HTML`, as docs/interop.md says, it goes through."""
    _project(
        tmp_path / "src",
        'requirement R-1 "Start" {\n    statement: "The system shall start."\n'
        '    rationale: """\n    - one\n    - two\n    Then a line.\n    """\n}\n',
    )
    _strictdoc(strictdoc, "convert", "p.reqif", "rst", cwd=tmp_path)
    refused = subprocess.run(
        [str(strictdoc), "export", "rst", "--formats", "html", "--output-dir", "out-rst"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode != 0 and "Bullet list ends without a blank line" in (
        refused.stdout + refused.stderr
    )
    page = _strictdoc_page(strictdoc, tmp_path, "--reqif-import-markup", "HTML")
    assert "Then a line." in page


def test_strictdoc_renders_imported_text_as_markup(strictdoc: Path, tmp_path: Path) -> None:
    """What docs/interop.md and docs/security.md warn of: StrictDoc renders the text of a
    ReqIF file as markup. By default as reStructuredText, whose `include` directive reads
    a file of the machine that builds (here a file outside the project) into its site;
    with `--reqif-import-markup HTML`, a STRING value is live HTML. reqdsl's ReqIF carries
    the text as data (escaped); opening a project you did not write in StrictDoc is
    trusting it. If a StrictDoc release stops doing this, this test fails: say so in
    the docs then."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7731\n", encoding="utf-8")
    reqif = _project(
        tmp_path / "src",
        f'requirement R-1 "Start" {{\n    statement: ".. include:: {secret}"\n'
        '    owner: "<img src=x onerror=alert(1)>"\n}\n',
    )
    assert "SECRET-7731" not in reqif.read_text(encoding="utf-8")
    assert "&lt;img src=x" in reqif.read_text(encoding="utf-8")
    page = _strictdoc_page(strictdoc, tmp_path)
    assert "SECRET-7731" in page
    page = _strictdoc_page(strictdoc, tmp_path, "--reqif-import-markup", "HTML")
    assert "<img src=x onerror=alert(1)>" in page


def test_reqdsls_own_literal_blocks_come_back_as_written(tmp_path: Path) -> None:
    """reqdsl -> ReqIF -> reqdsl keeps a scenario's steps and a data element's
    attributes exactly (the literal block's `::` and indentation are taken off)."""
    source = ROOT / "samples" / "clinic"
    data = _export(source)
    assert "::\n\n    " in data.replace("&#10;", "\n")
    back = _import_into(import_reqif(data.encode("utf-8")), tmp_path / "back")
    original = load_project(source, use_cache=False)
    for element in original.elements:
        if element.kind in ("scenario", "data") and element.id:
            theirs = back.index[element.id]
            assert steps_source(back, theirs) == steps_source(original, element), element.id
            assert attributes_source(back, theirs) == attributes_source(original, element)


def test_strictdocs_reqif_reads_back_as_a_direct_import(strictdoc: Path, tmp_path: Path) -> None:
    """StrictDoc -> ReqIF -> reqdsl equals `reqdsl import strictdoc` of the same files,
    but for the File relations, which StrictDoc's ReqIF export leaves out."""
    work = tmp_path / "sdoc"
    shutil.copytree(DATA / "sdoc", work)
    _strictdoc(strictdoc, "export", "sdoc", "--formats", "reqif-sdoc", "--output-dir", "out",
               cwd=tmp_path)  # fmt: skip
    reqif = (tmp_path / "out" / "reqif" / "output.reqif").read_bytes()
    via_reqif = _import_into(import_reqif(reqif), tmp_path / "via-reqif")
    direct = _import_into(import_strictdoc(work), tmp_path / "direct")
    assert _requirements(via_reqif, skip=("file",)) == _requirements(direct, skip=("file",))
    statement = direct.index["PUMP-1"].word("statement")
    assert statement == "The pump shall deliver the set rate.\n\nIt shall stay within 5 % of it."


# ------------------------------------------------------------------ 2. `\n` escapes
def test_strictdoc_line_breaks_are_line_breaks() -> None:
    data = _reqif("O1|R-1|first line\\nsecond line", tool="strictdoc")
    document = import_reqif(data).documents[0]
    assert document.items[0].fields["statement"] == ["first line\nsecond line"]
    # Another tool's backslash stays a backslash.
    other = import_reqif(_reqif("O1|R-1|C:\\new", tool="ProR")).documents[0]
    assert other.items[0].fields["statement"] == ["C:\\new"]


# ------------------------------------------------------------------ 3. .reqifz
def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_reqifz_with_two_files_and_an_attachment_imports(tmp_path: Path) -> None:
    archive = _zip({
        "one.reqif": _reqif("O1|R-1|The pump shall start."),
        "sub/two.reqif": _reqif("O2|R-2|The pump shall stop.", relations=_relation("O2", "O1")),
        "files/diagram.png": b"\x89PNG not really",
        "files/planted.req": b'requirement X-1 "Planted" { statement: "Planted." }\n',
    })  # fmt: skip
    (tmp_path / "in.reqifz").write_bytes(archive)
    out = tmp_path / "out"
    done = run_reqdsl("import", "reqif", str(tmp_path / "in.reqifz"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    project = load_project(out, use_cache=False)
    assert {e.id for e in project.of_kind("requirement")} == {"R-1", "R-2"}
    # A relation may name an object of another file of the archive (ReqIF 1.2, 10.2).
    assert [v.raw for v in project.index["R-2"].refs("refines")] == ["R-1"]
    assert (out / "attachments" / "files" / "diagram.png").read_bytes() == b"\x89PNG not really"
    # An attachment reqdsl would read as part of the project is renamed, not loaded.
    assert (out / "attachments" / "files" / "planted.req.attachment").is_file()
    assert "X-1" not in project.index


@pytest.mark.parametrize(
    "name", ["../evil.reqif", "../../x.png", "/etc/x.png", "a/../../b.png", "C:/x.png", "a\\..\\b"]
)
def test_reqifz_member_outside_the_output_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "in.reqifz").write_bytes(
        _zip({"ok.reqif": _reqif("O1|R-1|Start."), name: b"planted"})
    )
    out = tmp_path / "deep" / "out"
    done = run_reqdsl("import", "reqif", str(tmp_path / "in.reqifz"), "-o", str(out))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "refused" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["in.reqifz"]


def test_reqifz_bomb_is_refused_within_bounded_memory() -> None:
    """A member that unpacks to 256 MiB of zeros from about 256 KiB: refused once it
    passes the ratio, without holding more than that much."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.reqif", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (16 * 1024 * 1024)
        for _ in range(16):
            member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailure, match=r"refused: `bomb\.reqif` unpacks past"):
            import_reqif(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 128 * 1024 * 1024  # half of what the member unpacks to
    assert reqif_import.ARCHIVE_MAX_TOTAL <= 256 * 1024 * 1024


def test_reqifz_with_too_many_members_is_refused() -> None:
    members = {f"f{number}.txt": b"x" for number in range(1001)}
    members["a.reqif"] = _reqif("O1|R-1|Start.")
    with pytest.raises(ImportFailure, match="holds 1002 files"):
        import_reqif(_zip(members, zipfile.ZIP_STORED))


# ------------------------------------------------------------------ 4. relation types
def test_tool_specific_relation_types_become_trace_links(tmp_path: Path) -> None:
    data = (DATA / "tool-relations.reqif").read_bytes()
    project = _import_into(import_reqif(data), tmp_path / "a")
    r2, r3 = project.index["R-2"], project.index["R-3"]
    assert [v.raw for v in r2.refs("refines")] == ["R-1"]
    assert [v.raw for v in r3.refs("refines")] == ["R-1"]
    # The type's own name and the relation's own value are kept beside the link.
    assert [v.raw for v in r2.custom["link-role"]] == ["R-1: SpecRelationType1"]
    assert [v.raw for v in r2.custom["note"]] == ["R-1: agreed in review 4"]
    # The user names the field a type becomes.
    out = tmp_path / "b"
    done = run_reqdsl("import", "reqif", str(DATA / "tool-relations.reqif"), "-o", str(out),
                      "--link", "SpecRelationType1=depends-on")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    again = load_project(out, use_cache=False).index["R-2"]
    assert [v.raw for v in again.refs("depends-on")] == ["R-1"]
    assert "link-role" not in again.custom
    bad = run_reqdsl("import", "reqif", str(DATA / "tool-relations.reqif"), "-o",
                     str(tmp_path / "c"), "--link", "SpecRelationType1=nonsense")  # fmt: skip
    assert bad.returncode == 2 and "--link" in bad.stderr and "Traceback" not in bad.stderr


# ------------------------------------------------------------------ 5. includes
def test_document_from_file_is_resolved_never_a_requirement(tmp_path: Path) -> None:
    project = _import_into(import_strictdoc(DATA / "sdoc"), tmp_path / "a")
    ids = {e.id for e in project.of_kind("requirement")}
    assert ids == {"PUMP-1", "PUMP-2", "PUMP-3", "PUMP-4", "ALARM-1"}
    sections = [e.title for e in project.of_kind("section")]
    assert "Alarm requirements" in sections  # the include, where it was included
    assert len(list(project.of_kind("document"))) == 1
    # An include that cannot be resolved is reported, not invented.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.sdoc").write_text(
        "[DOCUMENT]\nTITLE: Main\n\n[DOCUMENT_FROM_FILE]\nFILE: ../../outside.sdoc\n\n"
        "[REQUIREMENT]\nUID: M-1\nSTATEMENT: The main thing shall work.\n"
    )
    result = import_strictdoc(tmp_path / "b")
    data = result.report_data()
    assert data["not_carried_over"] == [
        {"what": "StrictDoc [DOCUMENT_FROM_FILE] that cannot be resolved", "count": 1}
    ]
    project = _import_into(result, tmp_path / "b-out")
    assert [e.id for e in project.of_kind("requirement")] == ["M-1"]


# ------------------------------------------------------------------ 6. per-field mapping
def test_a_source_field_maps_to_one_field(tmp_path: Path) -> None:
    project = _import_into(import_strictdoc(DATA / "sdoc"), tmp_path / "a")
    requirements = list(project.of_kind("requirement"))
    with_status = [e for e in requirements if e.has("status") or "x-status" in e.custom]
    assert with_status and all("x-status" in e.custom and not e.has("status") for e in with_status)
    assert project.index["PUMP-1"].custom["x-status"][0].raw == "Draft"
    # Free text is no ID reference (`source:` takes a stakeholder's ID).
    pump = project.index["PUMP-1"]
    assert not pump.has("source") and pump.custom["x-source"][0].raw == "clinical-study.pdf"
    # TYPE values all fit `type`: the built-in field for all of them.
    assert all(e.has("type") for e in requirements if e.id and e.id.startswith("PUMP"))


# ------------------------------------------------------------------ 7. nothing lost silently
def test_strictdoc_relations_roles_and_section_fields_are_kept(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "doc.sdoc").write_text(
        "[DOCUMENT]\nTITLE: Doc\n\n[SECTION]\nUID: SEC-1\nMID: abc123\nLEVEL: 2\nTITLE: Part\n\n"
        "[REQUIREMENT]\nUID: A-1\nSTATEMENT: The first thing shall work.\n\n"
        "[REQUIREMENT]\nUID: A-2\nSTATEMENT: The second thing shall work.\nRELATIONS:\n"
        "- TYPE: Parent\n  VALUE: A-1\n  ROLE: REQUIREMENT_FOR\n"
        "- TYPE: File\n  FORMAT: Sourcefile\n  PATH: src/a.c\n"
        "- TYPE: File\n  VALUE: src/b.c\n\n[/SECTION]\n"
    )
    result = import_strictdoc(tmp_path / "in")
    assert result.report_data()["not_carried_over"] == []
    project = _import_into(result, tmp_path / "out")
    a2 = project.index["A-2"]
    assert [v.raw for v in a2.refs("refines")] == ["A-1"]
    assert [v.raw for v in a2.custom["link-role"]] == ["A-1: REQUIREMENT_FOR"]
    assert [v.raw for v in a2.custom["file"]] == ["src/a.c; FORMAT: Sourcefile", "src/b.c"]
    texts = [e.body for e in project.of_kind("text")]
    assert any("MID: abc123" in (t or "") for t in texts)
    assert any("LEVEL: 2" in (t or "") for t in texts)


def test_reqif_values_without_definition_and_enum_identifiers_are_kept(tmp_path: Path) -> None:
    result = import_reqif((DATA / "tool-relations.reqif").read_bytes())
    project = _import_into(result, tmp_path / "a")
    r2 = project.index["R-2"]
    assert [v.raw for v in r2.custom["severity"]] == ["SEV_HIGH"]  # not OTHER-CONTENT `red`
    assert [v.raw for v in r2.custom["x-_d1cbf7fe_objecttext"]] == ["Measured from power-on."]
    assert result.report_data()["not_carried_over"] == []


def test_doorstop_tree_as_doorstop_reads_it(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "reqs" / "sub").mkdir(parents=True)
    (tree / "reqs" / ".doorstop.yml").write_text("settings:\n  prefix: REQ\n")
    (tree / "reqs" / "REQ001.yml").write_text("level: 1\ntext: The system shall start.\n")
    (tree / "reqs" / "sub" / "REQ002.md").write_text(
        "---\nlevel: 2\nlinks:\n- REQ001: abc\n---\n# Stop\n\nThe system shall stop.\n"
    )
    (tree / "reqs" / "notes.yml").write_text("a: b\n")  # not an item of REQ
    for hidden in (".git", "skipped"):
        (tree / hidden / "docs").mkdir(parents=True)
        (tree / hidden / "docs" / ".doorstop.yml").write_text("settings:\n  prefix: DOC\n")
        (tree / hidden / "docs" / "DOC001.yml").write_text("text: Hidden.\n")
    (tree / "skipped" / ".doorstop.skip").write_text("")
    from reqdsl.interop.doorstop import import_doorstop

    result = import_doorstop(tree)
    project = _import_into(result, tmp_path / "out")
    assert len(list(project.of_kind("document"))) == 1
    req2 = project.index["REQ002"]
    assert req2.title == "Stop" and req2.word("statement") == "The system shall stop."
    assert [v.raw for v in req2.refs("refines")] == ["REQ001"]
    lost = {item["what"]: item["count"] for item in result.report_data()["not_carried_over"]}
    assert lost == {
        "file in a Doorstop document that is not one of its items": 1,
        "Doorstop link fingerprint": 1,
    }


def test_report_json_lets_a_script_check_nothing_was_lost(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = run_reqdsl("import", "reqif", str(DATA / "tool-relations.reqif"), "-o",
                      str(tmp_path / "out"), "--report-json", str(report))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text())
    assert set(data) == {"mapped", "not_carried_over", "lost_values", "notes", "attachments"}
    assert data["not_carried_over"] == [] and data["lost_values"] == 0
    assert {"what": "ReqIF relation `relation` -> requirement field `refines`", "count": 1} in data[
        "mapped"
    ]
    assert "not carried over: nothing" in done.stdout
    # A relation to an object that is not imported is counted.
    dangling = _reqif("O1|R-1|Start.", relations=_relation("O1", "NOPE"))
    data = import_reqif(dangling).report_data()
    assert data["lost_values"] == 1


# ------------------------------------------------------------------ 8. text kept exactly
def test_triple_quotes_in_an_imported_text_show_as_written(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "doc.sdoc").write_text(
        '[DOCUMENT]\nTITLE: Doc\n\n[TEXT]\nSTATEMENT: >>>\nSay """hello""" twice.\n<<<\n'
    )
    project = _import_into(import_strictdoc(tmp_path / "in"), tmp_path / "out")
    body = next(iter(project.of_kind("text"))).body or ""
    import html

    assert html.unescape(body).strip() == 'Say """hello""" twice.'
    assert '" " "' not in body


def test_xhtml_indentation_and_tables(tmp_path: Path) -> None:
    from reqdsl.interop.xhtml import xhtml_text

    node = fromstring(
        '<v xmlns:x="http://www.w3.org/1999/xhtml"><x:div>\n      <x:p>The pump shall\n'
        "         deliver the rate.</x:p>\n      <x:table><x:tr><x:th>Rate</x:th><x:th>Limit"
        "</x:th></x:tr>\n<x:tr><x:td>1 ml/h</x:td><x:td>5 %</x:td></x:tr></x:table>\n"
        "    </x:div></v>"
    )
    assert xhtml_text(node) == (
        "The pump shall deliver the rate.\n\n| Rate | Limit |\n| --- | --- |\n| 1 ml/h | 5 % |"
    )


def test_reqdsl_round_trip_keeps_lists_and_blank_lines(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "reqdsl.toml").write_text('[fields.requirement]\nteams = "string"\n')
    (source / "a.req").write_text(
        'document SRS "SRS" {\n  level: system\n}\n\n'
        'text """\nFirst paragraph.\n\n\nAfter two blank lines.\n- a list\n    - indented\n"""\n\n'
        'requirement R-1 "Start" {\n  statement: "The system shall start."\n'
        '  teams: "ops", "dev"\n}\n'
    )
    original = load_project(source, use_cache=False)
    project = _import_into(import_reqif(_export(source).encode()), tmp_path / "out")
    assert [v.raw for v in project.index["R-1"].custom["teams"]] == ["ops", "dev"]
    texts = [e.body for e in project.of_kind("text")]
    assert texts == [e.body for e in original.of_kind("text")]
    assert "\n    - indented" in texts[0]
    # A file of an earlier reqdsl (no line break after `<br/>`) reads the same.
    earlier = _export(source).replace("<xhtml:br />\n", "<xhtml:br />")
    assert earlier != _export(source)
    again = _import_into(import_reqif(earlier.encode()), tmp_path / "earlier")
    assert [e.body for e in again.of_kind("text")] == texts


def test_force_removes_the_files_of_an_earlier_import(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _reqif("O1|R-1|Start.")
    write_import(import_reqif(first), out, name="x", force=False)
    old = sorted(p.name for p in out.glob("*.req"))
    renamed = first.replace(b'LONG-NAME="Spec"', b'LONG-NAME="Other"')
    write_import(import_reqif(renamed), out, name="x", force=True)
    now = sorted(p.name for p in out.glob("*.req"))
    assert now != old and len(now) == 1
    # A .req file the import did not write stays, and the report names it.
    (out / "mine.req").write_text('document MINE "Mine" {\n  level: system\n}\n')
    result = import_reqif(first)
    write_import(result, out, name="x", force=True)
    assert (out / "mine.req").exists()
    assert any("mine.req" in note for note in result.notes)


def test_force_never_deletes_through_the_manifest_outside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.req"
    victim.write_text("keep me")
    write_import(import_reqif(_reqif("O1|R-1|Start.")), out, name="x", force=False)
    (out / ".reqdsl-import").write_text("../victim.req\n/etc/passwd\n")
    write_import(import_reqif(_reqif("O1|R-1|Start.")), out, name="x", force=True)
    assert victim.read_text() == "keep me"
    assert os.path.exists("/etc/passwd")


def test_a_reqif_file_without_a_specification_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Many of the ReqIF implementor forum's test files hold only types, or a relation
    and no object: the import wrote a lone reqdsl.toml and its closing check stopped
    with an internal error ("no .req file", exit 2 with a traceback's message)."""
    source = tmp_path / "types-only.reqif"
    source.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><REQ-IF xmlns="{REQIF_NS}"><THE-HEADER>'
        '<REQ-IF-HEADER IDENTIFIER="h"><CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>'
        "<REQ-IF-TOOL-ID>t</REQ-IF-TOOL-ID><REQ-IF-VERSION>1.0</REQ-IF-VERSION>"
        "<SOURCE-TOOL-ID>t</SOURCE-TOOL-ID><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>"
        "<CORE-CONTENT><REQ-IF-CONTENT><DATATYPES>"
        '<DATATYPE-DEFINITION-STRING IDENTIFIER="T" LAST-CHANGE="2026-01-01T00:00:00Z" '
        'MAX-LENGTH="9"/></DATATYPES></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run_reqdsl("import", "reqif", str(source), "-o", str(out))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "nothing to import" in done.stderr and "internal error" not in done.stderr
    assert not out.exists() or not any(out.iterdir())


def test_default_values_apply_to_objects_that_give_none(tmp_path: Path) -> None:
    """ReqIF 1.2: an attribute definition's DEFAULT-VALUE is the value of every object of
    its type that gives none (DOORS and ReqIF Studio write them). They were ignored: the
    object lost the value and the report did not say so."""
    data = _reqif("O1|R-1|First.", "O2|R-2|Second.", tool="doors").decode()
    owner = (
        '<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="A-OWNER" LAST-CHANGE="2026-01-01T00:00:00Z" '
        'LONG-NAME="Owner"><DEFAULT-VALUE><ATTRIBUTE-VALUE-STRING THE-VALUE="Team A">'
        "<DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>A-OWNER</ATTRIBUTE-DEFINITION-STRING-REF>"
        "</DEFINITION></ATTRIBUTE-VALUE-STRING></DEFAULT-VALUE><TYPE>"
        "<DATATYPE-DEFINITION-STRING-REF>T</DATATYPE-DEFINITION-STRING-REF></TYPE>"
        "</ATTRIBUTE-DEFINITION-STRING>"
    )
    data = data.replace("</SPEC-ATTRIBUTES>", owner + "</SPEC-ATTRIBUTES>", 1)
    own_value = (
        '<ATTRIBUTE-VALUE-STRING THE-VALUE="Team B"><DEFINITION>'
        "<ATTRIBUTE-DEFINITION-STRING-REF>A-OWNER</ATTRIBUTE-DEFINITION-STRING-REF>"
        "</DEFINITION></ATTRIBUTE-VALUE-STRING>"
    )
    data = data.replace("<VALUES>", "<VALUES>" + own_value, 1)  # O1 gives its own
    result = import_reqif(data.encode())
    assert any("1 default values applied" in note for note in result.notes)
    project = _import_into(result, tmp_path / "out")
    assert project.index["R-1"].word("owner") == "Team B"
    assert project.index["R-2"].word("owner") == "Team A"

"""`reqdsl export --format pdf|docx`: the printable specification (issue #20, part 3).

Every file is read back: the PDF's text through pypdf, the DOCX through python-docx.
The clinic sample's every ID, statement and link (both ways) is there, the report tables
keep every column, Word headings are Word headings, diagrams stay vectors, and hostile
text prints literally (nothing a user writes is Typst code, nothing is read from disk).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from reqdsl.cli import main
from reqdsl.interop.matrix import COLUMNS
from reqdsl.interop.model_view import LinkIndex, field_values
from reqdsl.model.schema import inverse_label
from reqdsl.pipeline import Session
from reqdsl.reports import build_report

from .conftest import ROOT

CLINIC = ROOT / "samples" / "clinic"
_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout did."""
    return _SPACE.sub("", text)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _docx_text(document: docx.document.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _export(tmp: Path, *args: str) -> None:
    assert main(["export", str(args[0]), *args[1:]]) == 0


@pytest.fixture(scope="module")
def clinic():  # type: ignore[no-untyped-def]
    return Session(CLINIC).check().project


@pytest.fixture(scope="module")
def combined(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The clinic as one PDF and one DOCX (diagrams left out: they have a test of their own)."""
    folder = tmp_path_factory.mktemp("combined")
    out = {}
    for fmt in ("pdf", "docx"):
        out[fmt] = folder / f"clinic.{fmt}"
        args = [str(CLINIC), "--format", fmt, "--combined", "--no-diagrams", "-o", str(out[fmt])]
        assert main(["export", *args]) == 0
    return out


def _expected_facts(project) -> tuple[list[str], list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Every ID; every requirement's and goal's statement; every link, as `field targets`
    (forward) and `inverse-label sources` (backward), in the model's own words."""
    ids = [e.id for e in project.elements if e.id]
    statements = [
        str(field_values(e)["statement"])
        for e in project.of_kind("requirement", "goal")
        if "statement" in field_values(e)
    ]
    links = LinkIndex(project)
    lines = []
    for element in project.elements:
        if element.id is None or project.index.get(element.id) is not element:
            continue
        for name, value in field_values(element).items():
            if any(link.field == name for link in links.outgoing(element.id)):
                lines.append(f"{name} {', '.join(value) if isinstance(value, list) else value}")
        grouped: dict[str, list[str]] = {}
        for link in links.incoming(element.id):
            grouped.setdefault(inverse_label(link.field), []).append(link.source)
        lines += [f"{label} {', '.join(sources)}" for label, sources in grouped.items()]
    return ids, statements, lines


def test_the_pdf_holds_every_id_statement_and_link_of_the_clinic(clinic, combined) -> None:  # type: ignore[no-untyped-def]
    text = _flat(_pdf_text(combined["pdf"]))
    ids, statements, links = _expected_facts(clinic)
    assert len(ids) > 150 and len(statements) > 50 and len(links) > 300
    assert [i for i in ids if _flat(i) not in text] == []
    assert [s for s in statements if _flat(s) not in text] == []
    assert [line for line in links if _flat(line) not in text] == []


def test_the_docx_holds_every_id_statement_and_link_of_the_clinic(clinic, combined) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(str(combined["docx"]))
    text = _docx_text(document)
    ids, statements, links = _expected_facts(clinic)
    assert [i for i in ids if i not in text] == []
    assert [s for s in statements if _SPACE.sub(" ", s) not in text] == []
    # Links are rows of the element's own table: field (or inverse label) | IDs.
    rows = {
        f"{row.cells[0].text} {row.cells[1].text}"
        for table in document.tables
        if len(table.columns) == 2
        for row in table.rows
    }
    assert [line for line in links if line not in rows] == []


def test_title_pages_give_version_status_owner_and_approvals(tmp_path: Path) -> None:
    _export(tmp_path, CLINIC, "--format", "pdf", "--no-diagrams", "-o", str(tmp_path / "pdf"))
    _export(tmp_path, CLINIC, "--format", "docx", "--no-diagrams", "-o", str(tmp_path / "docx"))
    names = sorted(p.name for p in (tmp_path / "pdf").iterdir())
    assert names == sorted(
        f"{n}.pdf" for n in ("strs", "syrs", "srs", "model", "tm", "adr", "tp", "val", "reports")
    )
    first_page = _flat(PdfReader(tmp_path / "pdf" / "strs.pdf").pages[0].extract_text())
    for expected in (
        "Stakeholder Requirements Specification",
        "Version",
        "2.0",
        "approved",
        "Clinic management board",
        "Approvals",
        "RV-STRS-1",
        "RV-STRS-2",
        "rejected",
    ):
        assert _flat(expected) in first_page
    outline = [
        entry["/Title"]
        for entry in PdfReader(tmp_path / "pdf" / "strs.pdf").outline
        if isinstance(entry, dict)
    ]
    assert "Purpose" in _pdf_text(tmp_path / "pdf" / "strs.pdf") and outline  # bookmarks
    document = docx.Document(str(tmp_path / "docx" / "strs.docx"))
    assert document.paragraphs[0].style.name == "Title"
    assert "RV-STRS-2 (StRS sign-off)" in _docx_text(document)
    assert 'TOC \\o "1-2"' in document.element.xml  # a Word table of contents field


def test_docx_headings_are_word_headings(clinic, combined) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(str(combined["docx"]))
    headings = {
        p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")
    }
    requirements = [e for e in clinic.of_kind("requirement") if e.id]
    missing = [
        e.id
        for e in requirements
        if not headings.get(f"{e.id} {e.title}", "").startswith("Heading ")
    ]
    assert missing == []
    assert headings["Purpose"] == "Heading 2"
    assert any(name == "Heading 1" and text.startswith("Annex") for text, name in headings.items())


def _tables_by_header(document: docx.document.Document) -> dict[tuple[str, ...], docx.table.Table]:
    return {tuple(cell.text for cell in table.rows[0].cells): table for table in document.tables}


def test_report_tables_keep_every_column(clinic, combined) -> None:  # type: ignore[no-untyped-def]
    soa = build_report("soa", clinic).document()
    threats = build_report("threats", clinic).document()
    report_tables = [
        b.table for d in (soa, threats) for b in d.blocks if b.table is not None and b.table.rows
    ]
    document = docx.Document(str(combined["docx"]))
    found = _tables_by_header(document)
    matrix = found[tuple(COLUMNS)]
    assert len(matrix.rows) == 1 + len([e for e in clinic.of_kind("requirement") if e.id])
    assert "w:tblHeader" in matrix.rows[0]._tr.xml  # the header repeats on every page
    written = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    assert [t.columns for t in report_tables if [t.columns, *t.rows] not in written] == []
    # In the PDF, every column title and every cell of the register and the SoA is there:
    # the justifications and the mitigations are the columns paper used to lose.
    text = _flat(_pdf_text(combined["pdf"]))
    for table in report_tables:
        assert all(_flat(column) in text for column in table.columns)
        assert [cell for row in table.rows for cell in row if _flat(cell) not in text] == []
    assert all(_flat(column) in text for column in COLUMNS)


HOSTILE = [
    '#read(\\"/etc/passwd\\")',
    '#read(\\"secret.txt\\")',
    '#import \\"@preview/cetz:0.1.0\\": *',
    '$x^2$ *bold* _it_ @REQ-1 <lab> = ] [ // c /* \\\\ ` #{ #eval(\\"1\\") }',
]


def _hostile_project(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "secret.txt").write_text("TOPSECRET-CONTENT\n")
    (root / "reqdsl.toml").write_text('[project]\nname = "Hostile #read(\\"secret.txt\\") ]"\n')
    title, statement, owner, rationale = HOSTILE
    (root / "spec.req").write_text(
        f'document DOC "{title}" {{\n    level: software\n    version: "1.0"\n'
        f'    owner: "{owner}"\n    purpose: """\n    ]) #read("secret.txt") [ \\\n    """\n}}\n\n'
        f'section S-1 "#set page(width: 1cm) ]" {{\n'
        f'    requirement REQ-1 "{statement}" {{\n'
        f'        statement: "The system shall show {rationale} literally."\n'
        f"        type: functional\n        priority: must\n        verification: inspection\n"
        f"    }}\n}}\n"
    )
    return root


def _unquoted(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_hostile_text_prints_literally_and_reads_nothing(tmp_path: Path, fmt: str) -> None:
    root = _hostile_project(tmp_path)
    out = tmp_path / f"out.{fmt}"
    _export(tmp_path, root, "--format", fmt, "--combined", "--no-diagrams", "-o", str(out))
    text = _pdf_text(out) if fmt == "pdf" else _docx_text(docx.Document(str(out)))
    flat = _flat(text)
    for hostile in HOSTILE:
        assert _flat(_unquoted(hostile)) in flat
    assert _flat("#set page(width: 1cm) ]") in flat
    assert _flat(']) #read("secret.txt") [ \\') in flat
    assert "TOPSECRET" not in text and "root:" not in text
    if fmt == "pdf":
        widths = {round(float(page.mediabox.width)) for page in PdfReader(out).pages}
        assert widths <= {595, 842}  # A4 either way: `#set page(width: 1cm)` set no page


def test_control_characters_are_shown_not_refused(tmp_path: Path) -> None:
    root = tmp_path / "ctl"
    root.mkdir()
    (root / "reqdsl.toml").write_text('[project]\nname = "ctl"\n')
    (root / "a.req").write_text('document D "bell\x07 and \ufffe" { level: software }\n')
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"o.{fmt}"
        _export(tmp_path, root, "--format", fmt, "--combined", "--no-diagrams", "-o", str(out))
        text = _pdf_text(out) if fmt == "pdf" else _docx_text(docx.Document(str(out)))
        assert "bell\\x07 and \ufffd" in text


def test_a_linked_output_folder_is_refused_and_links_inside_are_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    args = [str(CLINIC), "--format", "pdf", "--no-diagrams"]
    assert main(["export", *args, "-o", str(tmp_path / "link")]) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err and err.count("\n") == 1
    assert list(elsewhere.iterdir()) == []
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (out / "strs.pdf").symlink_to(victim)
    assert main(["export", *args, "-o", str(out)]) == 0
    assert victim.read_text() == "keep"
    assert not (out / "strs.pdf").is_symlink() and (out / "strs.pdf").read_bytes().startswith(
        b"%PDF"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "give -o FOLDER"),
        (["--format", "docx", "--combined"], "give -o FILE.docx"),
        (["--format", "csv", "--combined"], "apply to --format pdf and docx only"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(CLINIC), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_unwritable_output_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-folder"
    target.mkdir()
    args = [str(CLINIC), "--format", "pdf", "--combined", "--no-diagrams", "-o", str(target)]
    assert main(["export", *args]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_export_help_names_the_document_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    assert "pdf" in out and "docx" in out and "--combined" in out and "annexes" in out


def test_without_a_renderer_the_documents_and_stderr_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REQDSL_JAVA", str(tmp_path / "no-java"))
    out = tmp_path / "c.pdf"
    args = [str(CLINIC), "--format", "pdf", "--combined", "--no-cache", "-o", str(out)]
    assert main(["export", *args]) == 0
    assert "no-java" in capsys.readouterr().err
    text = _pdf_text(out)
    assert "no-java" in PdfReader(out).pages[0].extract_text()  # on the title page
    assert "was not rendered" in text and "@startuml" in text  # each diagram's source


@pytest.mark.java
@pytest.mark.slow
def test_diagrams_are_vectors_in_the_pdf_and_svg_in_the_docx(clinic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from reqdsl.diagrams.generate import generate_diagrams
    from reqdsl.diagrams.render import build_diagrams

    pdf, word = tmp_path / "c.pdf", tmp_path / "c.docx"
    _export(tmp_path, CLINIC, "--format", "pdf", "--combined", "-o", str(pdf))
    _export(tmp_path, CLINIC, "--format", "docx", "--combined", "-o", str(word))
    reader = PdfReader(pdf)
    assert sum(len(page.images) for page in reader.pages) == 0  # no raster picture at all
    text = _pdf_text(pdf)
    diagrams = generate_diagrams(clinic)
    for key in diagrams:
        assert key.removesuffix(".puml") in text  # its caption
    assert "Book an appointment" in text and "«goal»" in text  # text inside the SVGs
    # A diagram much wider than high (over 900 px and 1.6 times its height, as PlantUML
    # sized it) gets a landscape page; any other a portrait one.
    build = build_diagrams(clinic)
    orientations = set()
    for key, svg in build.result.svgs.items():
        width = int(re.search(r'<svg\b[^>]*\swidth="(\d+)px"', svg)[1])  # type: ignore[index]
        height = int(re.search(r'<svg\b[^>]*\sheight="(\d+)px"', svg)[1])  # type: ignore[index]
        wide = width > 900 and width >= 1.6 * height
        caption = key.removesuffix(".puml")
        pages = [
            p
            for p in reader.pages
            if re.search(rf"Figure\s\d+: {re.escape(caption)}\b", p.extract_text())
        ]
        assert pages, key
        assert all((p.mediabox.width > p.mediabox.height) == wide for p in pages), key
        orientations.add(wide)
    assert orientations == {True, False}  # the clinic has both kinds
    package = docx.Document(str(word)).part.package
    svgs = [part for part in package.parts if part.content_type == "image/svg+xml"]
    assert len(svgs) == len(diagrams)


def test_the_documents_follow_the_shared_views_not_their_own(clinic, combined) -> None:  # type: ignore[no-untyped-def]
    """The annexes are the reports' own documents: each report block title is a heading."""
    headings = {
        p.text
        for p in docx.Document(str(combined["docx"])).paragraphs
        if p.style.name.startswith("Heading")
    }
    for name in ("gdpr", "soa", "threats"):
        blocks = build_report(name, clinic).document().blocks
        assert [b.title for b in blocks if b.title not in headings] == []


def test_copy_of_clinic_is_untouched(tmp_path: Path) -> None:
    """The export writes only its output: the project folder gets nothing new."""
    root = tmp_path / "clinic"
    shutil.copytree(CLINIC, root)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    _export(tmp_path, root, "--format", "docx", "--no-diagrams", "-o", str(tmp_path / "out"))
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before

"""The audit tables as a reviewer uses them (issue 20): on screen at 1366 px in headless
Chromium (every column visible without horizontal scrolling, the header row kept in view,
drop-down filters, a column chooser remembered in localStorage, from file://), on paper
(Chromium's print to PDF keeps every column and repeats the header row; the text is read
back with pypdf), at 10,000-requirement scale (pages split per document), and the smaller
things: backticks in diagnostics, catalogue references, links on "Changes since REV",
404.html under a sub-path, the CSV/XLSX statement column and the workbook's full title.

Chromium is Debian's `chromium`, driven as tests/test_site_browser.py does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_site_browser import CHROMIUM_FLAGS, Browser, chromium_path
from tests.test_site_generate import collect, copy_project, generate, page_html

ROOT = Path(__file__).resolve().parents[1]
CLINIC = ROOT / "samples" / "clinic"
TABLE_PAGES = ("traceability.html", "iso27001.html", "threats.html", "gdpr.html",
               "diagnostics.html", "references.html")  # fmt: skip
WIDTH = 1366


def _build(project: Path, out: Path, *extra: str) -> None:
    from reqdsl.cli import main

    code = main(["build", str(project), "-o", str(out), "-q", "--no-diagrams", *extra])
    assert code in (0, 1), f"reqdsl build failed with exit status {code}"


@pytest.fixture(scope="module")
def clinic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clinic")
    shutil.copytree(CLINIC, root / "clinic", ignore=shutil.ignore_patterns("site", ".reqdsl*"))
    _build(root / "clinic", root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium_path()
    instance = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield instance
    instance.close()


def _open(browser: Browser, url: str, width: int = WIDTH) -> None:
    browser.open(url)
    browser.call("Emulation.setDeviceMetricsOverride", browser.session, width=width,
                 height=900, deviceScaleFactor=1, mobile=False)  # fmt: skip
    browser.pump(0.3)


# ------------------------------------------------------------------ on screen

OVERFLOW = """Array.from(document.querySelectorAll('article table')).map(t => {
  const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
  const last = t.tHead ? t.tHead.rows[0].cells[t.tHead.rows[0].cells.length - 1] : null;
  return {columns: t.tHead ? t.tHead.rows[0].cells.length : 0,
          scroll: box.scrollWidth, client: box.clientWidth,
          right: last ? last.getBoundingClientRect().right : 0};
})"""


@pytest.mark.browser
@pytest.mark.slow
def test_every_column_visible_at_1366(clinic_site: Path, browser: Browser) -> None:
    """No table of the clinic's table pages scrolls sideways at 1366 px, and no page does:
    the last heading of every table lies inside the window. The right-hand table of
    contents is gone from these pages."""
    for page in TABLE_PAGES:
        _open(browser, (clinic_site / page).as_uri())
        viewport = browser.evaluate("document.documentElement.clientWidth")
        assert browser.evaluate("document.documentElement.scrollWidth") <= viewport, page
        tables = browser.evaluate(OVERFLOW)
        assert tables or page == "diagnostics.html", page
        for table in tables:
            assert table["scroll"] <= table["client"], (page, table)
            assert table["right"] <= viewport, (page, table)
        toc = browser.evaluate(
            "(() => { const s = document.querySelector('.md-sidebar--secondary');"
            " return s !== null && s.offsetWidth > 0 && !s.hidden; })()"
        )
        assert not toc, page
        assert browser.problems(()) == [], page
    # The threat register has all its columns, the last ones an auditor needs included.
    _open(browser, (clinic_site / "threats.html").as_uri())
    headings = browser.evaluate(
        "Array.from(document.querySelectorAll('table[data-rq~=audit] th')).map(h => h.textContent)"
    )
    assert headings[-3:] == ["mitigated by", "justification", "handled"]


@pytest.mark.browser
@pytest.mark.slow
def test_header_row_stays_in_view(clinic_site: Path, browser: Browser) -> None:
    _open(browser, (clinic_site / "iso27001.html").as_uri())
    top = "document.querySelector('table[data-rq~=audit] thead th').getBoundingClientRect().top"
    before = browser.evaluate(top)
    browser.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    browser.pump(0.3)
    after = browser.evaluate(top)
    header = browser.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert before > 200  # below the intro, before scrolling
    assert 0 <= after <= header + 2  # stuck under Material's header


@pytest.mark.browser
@pytest.mark.slow
def test_column_chooser_is_remembered_from_file(clinic_site: Path, browser: Browser) -> None:
    """Hiding a column hides its cells, survives a reload (localStorage on file://), and
    printing shows it all the same."""
    url = (clinic_site / "iso27001.html").as_uri()
    _open(browser, url)
    table = "document.querySelector('table[data-rq~=audit]')"
    labels = browser.evaluate(
        "Array.from(document.querySelectorAll('.rq-choose-list label')).map(l => l.textContent.trim())"
    )
    assert labels == ["control", "title", "theme", "applicability", "requirements",
                      "components", "justification", "implementation"]  # fmt: skip
    column = labels.index("justification")
    shown = f"{table}.rows[1].cells[{column}].getClientRects().length > 0"
    assert browser.evaluate(shown)
    browser.evaluate("document.querySelector('.rq-choose button').click()")
    browser.evaluate(
        f"(() => {{ const box = document.querySelectorAll('.rq-choose-list input')[{column}];"
        " box.click(); })()"
    )
    assert not browser.evaluate(shown)
    _open(browser, url)
    assert not browser.evaluate(shown)  # remembered
    stored = browser.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert "justification" in stored
    browser.call("Emulation.setEmulatedMedia", browser.session, media="print")
    assert browser.evaluate(shown)  # paper keeps every column
    browser.call("Emulation.setEmulatedMedia", browser.session, media="")
    browser.evaluate("document.querySelector('.rq-choose button').click()")
    browser.evaluate(f"document.querySelectorAll('.rq-choose-list input')[{column}].click()")
    assert browser.evaluate(shown)
    assert browser.problems(()) == []


@pytest.mark.browser
@pytest.mark.slow
def test_matrix_filters_by_level_status_document_and_gaps(
    clinic_site: Path, browser: Browser
) -> None:
    _open(browser, (clinic_site / "traceability.html").as_uri())
    names = browser.evaluate(
        "Array.from(document.querySelectorAll('.rq-filter select')).map(s => s.options[0].text)"
    )
    assert names == ["every level", "every status", "every document"]
    rows = "Array.from(document.querySelectorAll('table[data-rq~=matrix] tbody tr'))"
    visible = f"{rows}.filter(r => !r.hidden)"
    total = browser.evaluate(f"{rows}.length")
    browser.evaluate(
        "(() => { const s = document.querySelectorAll('.rq-filter select')[0];"
        " s.value = 'software'; s.dispatchEvent(new Event('change')); })()"
    )
    levels = browser.evaluate(f"{visible}.map(r => r.cells[2].textContent)")
    assert levels and set(levels) == {"software"} and len(levels) < total
    browser.evaluate(
        "(() => { const s = document.querySelectorAll('.rq-filter select')[0];"
        " s.value = ''; s.dispatchEvent(new Event('change')); })()"
    )
    gaps = browser.evaluate(
        "document.querySelectorAll('.rq-filter > label > input[type=checkbox]').length"
    )
    assert gaps == 1  # the "gaps only" tick the page text promises
    browser.evaluate("document.querySelector('.rq-filter > label > input[type=checkbox]').click()")
    kept = browser.evaluate(f"{visible}.map(r => r.classList.contains('rq-gap-row'))")
    assert all(kept) and len(kept) < total
    assert browser.problems(()) == []


# ------------------------------------------------------------------ on paper


def _print(site: Path, page: str, folder: Path) -> tuple[list[str], list[tuple[float, float]]]:
    """The page printed by headless Chromium; the text of each PDF page, squashed (no
    whitespace: cells wrap anywhere), and each page's size."""
    from pypdf import PdfReader

    pdf = folder / (page + ".pdf")
    subprocess.run(
        [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (site / page).as_uri()],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert pdf.is_file(), page
    reader = PdfReader(pdf)
    texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages]
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    return texts, sizes


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.browser
@pytest.mark.slow
def test_print_keeps_every_justification_and_mitigation(clinic_site: Path, tmp_path: Path) -> None:
    """Printed to PDF: the statement of applicability keeps every exclusion
    justification, the threat register every mitigation and justification, in landscape,
    the header row on every page the table spans."""
    from reqdsl.commands.check import check_project
    from reqdsl.reports import build_soa_report, build_threat_report

    project, _, _ = check_project(CLINIC, use_cache=False)
    soa, threats = build_soa_report(project), build_threat_report(project)

    texts, sizes = _print(clinic_site, "iso27001.html", tmp_path)
    whole = "".join(texts)
    assert all(width > height for width, height in sizes)  # landscape
    excluded = [c for c in soa.controls if c.status == "excluded"]
    assert excluded
    for control in excluded:
        assert _squash(control.justification or "") in whole, control.id
    heading = _squash("requirements components justification")
    spanned = [text for text in texts if "A.5." in text or "A.8." in text]
    assert len(spanned) >= 2 and all(heading in text for text in spanned)

    texts, sizes = _print(clinic_site, "threats.html", tmp_path)
    whole = "".join(texts)
    assert all(width > height for width, height in sizes)
    register = whole[whole.index("Threatregister") : whole.index("Riskmatrix")]
    assert _squash("mitigated by justification handled") in register
    starts = sorted((register.index(row.threat.id + row.threat.title.replace(" ", "")), row)
                    for row in threats.threats)  # fmt: skip
    for number, (start, row) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(register)
        cells = register[start:end]
        for mitigation in row.mitigations:
            assert mitigation.requirement.id in cells, (row.threat.id, mitigation.requirement.id)
        assert _squash(row.justification or "") in cells, row.threat.id


# ------------------------------------------------------------------ generated pages


def test_matrix_rows_by_document_level_then_id(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "reqdsl.toml").write_text('[project]\ndocuments = ["SW", "SYS"]\n')
    (project / "a.req").write_text(
        'document SYS "System" { level: system }\n'
        'requirement S-10 "ten" { statement: "The system shall ten." }\n'
        'requirement S-2 "two" { statement: "The system shall two." }\n'
    )
    (project / "b.req").write_text(
        'document SW "Software" { level: software }\n'
        'requirement W-B "b" { statement: "The software shall b."\n derives-from: S-2 }\n'
        'requirement W-A "a" { statement: "The software shall a."\n derives-from: S-10 }\n'
    )
    _, files = generate(project)
    html = page_html(files, "traceability.md")
    ids = re.findall(r"<tr[^>]*><td><a [^>]*>([^<]+)</a>", html)
    assert ids == ["W-A", "W-B", "S-2", "S-10"]
    assert "<th data-rq-filter>status</th>" in html


def test_large_project_pages_stay_small(tmp_path: Path) -> None:
    """2,000 requirements (bench/gen.py): the matrix and the diagnostics are a page per
    document, each far under 1 MB, every requirement on exactly one matrix page."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen import generate as generate_project
    finally:
        sys.path.remove(str(ROOT / "bench"))
    project = tmp_path / "big"
    generate_project(2000, project)
    ctx, files = generate(project)
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    assert max(len(text.encode()) for text in pages.values()) < 1_000_000
    matrices = [p for p in pages if p.startswith("docs/traceability/")]
    assert len(matrices) == 20
    found = []
    for path in matrices:
        found += re.findall(r"<tr[^>]*><td><a [^>]*>([A-Z]+\d+_\d+)</a>", pages[path])
    assert sorted(found) == sorted(r.id for r in ctx.project.of_kind("requirement"))
    overview = collect(page_html(files, "traceability.md"))
    assert sum(1 for _, url in overview.links if url.startswith("traceability/")) == 20
    assert len(ctx.diagnostics) > 1000
    assert any(p.startswith("docs/diagnostics/") for p in pages)


# ------------------------------------------------------------------ smaller things


def test_backticks_in_diagnostics_are_code_and_stay_text() -> None:
    from reqdsl.site.html import esc_code_spans

    assert esc_code_spans("unknown `REQ-1` in `<b>x</b>`") == (
        "unknown <code>REQ-1</code> in <code>&lt;b&gt;x&lt;/b&gt;</code>"
    )
    assert esc_code_spans("a lone ` stays") == "a lone ` stays"
    assert "<code>" not in esc_code_spans("`" * 50_001)  # no run between them


def test_diagnostics_page_renders_backticks(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    srs = project / "srs.req"
    srs.write_text(srs.read_text() + '\nrequirement REQ-X "x" { statement: "It shall x."\n'
                   " derives-from: NO-SUCH-ID }\n")  # fmt: skip
    _, files = generate(project)
    html = page_html(files, "diagnostics.md")
    items = re.findall(r'<li class="rq-diag[^"]*">(.*?)</li>', html)
    assert items and not any("`" in item for item in items)
    assert any("<code>NO-SUCH-ID</code>" in item for item in items)


def test_catalogue_references_link_into_the_site(tmp_path: Path) -> None:
    _, files = generate(CLINIC)
    strs = page_html(files, "documents/strs.md")
    references = page_html(files, "references.md")
    anchors = collect(references).ids
    linked = re.findall(r'href="\.\./references\.html#(ref-[0-9a-f]+)"[^>]*>'
                        r'<span class="rq-ref">((?:gdpr|wcag):[^<]+)</span>', strs)  # fmt: skip
    schemes = {ref.split(":")[0] for _, ref in linked}
    assert schemes == {"gdpr", "wcag"}
    assert all(anchor in anchors for anchor, _ in linked)
    threats = page_html(files, "threats.md")
    techniques = re.findall(r'href="references\.html#(ref-[0-9a-f]+)" title="[^"]*">T\d', threats)
    assert techniques and all(anchor in anchors for anchor in techniques)
    assert 'href="iso27001.html#A.5.34"' in page_html(files, "traceability.md") or (
        "iso27001.html#A.5.34" in strs
    )


def test_changes_page_links_ids(tmp_path: Path) -> None:
    from reqdsl.interop.git_revisions import baseline_diff
    from reqdsl.site.pages.changes import changes_page
    from tests.test_diff import _git

    repo = tmp_path / "repo"
    project = copy_project("valid", repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    srs = project / "srs.req"
    srs.write_text(srs.read_text().replace("shall reserve that slot", "shall hold that slot"))
    ctx, _ = generate(project)
    ctx.baseline = ("HEAD", baseline_diff(project, "HEAD", ctx.project, use_cache=False))
    page = changes_page(ctx)["changes.md"]
    assert "### [`REQ-BOOK-001`](documents/srs.html#REQ-BOOK-001)" in page
    assert re.search(r"\| \[`TC-BOOK-1`\]\(documents/[a-z]+\.html#TC-BOOK-1\)", page)


def test_404_page_has_no_root_absolute_links(clinic_site: Path) -> None:
    links = collect((clinic_site / "404.html").read_text(encoding="utf-8")).links
    assert links
    assert [url for _, url in links if url.startswith("/")] == []
    assert ("link", "./assets/reqdsl/reqdsl.css") in links


def test_csv_and_xlsx_matrix_have_statement_and_full_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from reqdsl.cli import main

    assert main(["export", str(CLINIC), "--format", "csv", "--no-cache"]) in (0, 1)
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert rows[0][:3] == ["ID", "Title", "Statement"]
    assert all(row[2] for row in rows[1:])  # every clinic requirement has a statement
    project = tmp_path / "p"
    project.mkdir()
    title = "A project name much longer than thirty-one characters"
    (project / "reqdsl.toml").write_text(f'[project]\nname = "{title}"\n')
    (project / "d.req").write_text(
        'document D "d" { level: software }\nrequirement R-1 "r" { statement: "R shall r." }\n'
    )
    out = tmp_path / "m.xlsx"
    assert main(["export", str(project), "--format", "xlsx", "-o", str(out), "--no-cache"]) == 0
    workbook = load_workbook(out)
    sheet = workbook.active
    assert sheet.title == title[:31]
    assert sheet["A1"].value == title and workbook.properties.title == title
    assert [c.value for c in sheet[2]][:3] == ["ID", "Title", "Statement"]
    assert [c.value for c in sheet[3]][:3] == ["R-1", "r", "R shall r."]


def test_custom_catalogue_references_stay_inert(tmp_path: Path) -> None:
    """A custom catalogue is a user's file: its titles are escaped, and no reference's
    text becomes an HTML id (the anchors are digests)."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "reqdsl.toml").write_text('[catalogs]\nevil = "evil.tsv"\n', encoding="utf-8")
    (project / "evil.tsv").write_text(
        'id\ttitle\nA.1(x)\t<script>window.__pwned=1</script>" onmouseover="x\n',
        encoding="utf-8",
    )
    (project / "d.req").write_text(
        'document D "d" { level: software }\n'
        'requirement R-1 "r" { statement: "R shall r."\n compliance: evil:A.1(x) }\n',
        encoding="utf-8",
    )
    _, files = generate(project)
    references = page_html(files, "references.md")
    assert "<script>" not in references and "&lt;script&gt;" in references
    assert 'onmouseover="' not in references
    ids = collect(references).ids
    assert not any("A.1" in anchor for anchor in ids)
    document = page_html(files, "documents/d.md")
    linked = re.findall(r'href="\.\./references\.html#(ref-[0-9a-f]+)"', document)
    assert linked and linked[0] in ids
    assert "<script>" not in document


@pytest.mark.browser
@pytest.mark.slow
def test_the_table_controls_speak_the_site_language(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> None:
    """The words tables.js adds (filters, counter, column chooser) come from the site's
    catalogue: French on the French sample, even when built by an English process."""
    root = tmp_path_factory.mktemp("mairie")
    shutil.copytree(ROOT / "samples" / "mairie", root / "mairie",
                    ignore=shutil.ignore_patterns("site", ".reqdsl*"))  # fmt: skip
    _build(root / "mairie", root / "site")
    _open(browser, (root / "site" / "traceability.html").as_uri())
    names = browser.evaluate(
        "Array.from(document.querySelectorAll('.rq-filter select')).map(s => s.options[0].text)"
    )
    assert names and all(name.endswith(" : tous") for name in names), names
    assert browser.evaluate("document.querySelector('.rq-filter input').placeholder") == (
        "Filtrer les lignes"
    )
    assert browser.evaluate("document.querySelector('.rq-filter-count').textContent").endswith(
        " lignes"
    )
    _open(browser, (root / "site" / "iso27001.html").as_uri())
    assert browser.evaluate("document.querySelector('.rq-choose button').textContent") == (
        "Colonnes"
    )
    assert browser.problems(()) == []

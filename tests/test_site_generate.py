"""Site pages as generated (before MkDocs): every page, every ID with its anchor, every
internal link resolving, hostile text inert, the fast renderer equal to Python-Markdown,
and the Decisions and Validation pages' figures.

Projects are copied into the test's temporary folder first, so nothing is written into
the shared conformance corpus.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import markdown
import pytest
from mkdocs.utils import meta

from reqdsl.commands.check import check_project
from reqdsl.site.context import SiteContext
from reqdsl.site.diagrams import SiteDiagrams, site_diagrams
from reqdsl.site.fastpages import render_page
from reqdsl.site.generate import generate_site
from reqdsl.site.html import md_text
from reqdsl.site.junit import test_results as shown_results  # not a test
from reqdsl.site.writer import write_tree

SHARED = Path(__file__).resolve().parents[2] / "shared"

HOSTILE_TOML = """\
[project]
name = "<script>window.__pwned=1</script> & \\"quoted\\" </title>"
version = "1'\\"<b>"
"""
HOSTILE_REQ = '''\
document EVIL "</title><script>window.__pwned=1</script> <img src=x onerror=window.__pwned=2>" {
    level: system
    version: "<i>1</i>"
    status: approved
    owner: "\\"><svg onload=window.__pwned=3>"
    purpose: """
    # Heading in purpose
    <script>window.__pwned=4</script>
    [click](javascript:window.__pwned=5) [data](data:text/html,<script>x</script>)
    ![track](http://evil.example/t.png) <iframe src="http://evil.example"></iframe>
    [ok](https://example.org) [elem](#REQ-EVIL-1) {: onclick="window.__pwned=6" }
    [ref]: javascript:window.__pwned=19
    [by reference][ref] <http://example.org/auto>
    """
}

section "<b>Section</b> *emph* [link](http://x) {#injected}" {
    text """
    | a | b |
    |---|---|
    | <script>window.__pwned=7</script> | `code <b>` |

    <div onmouseover="window.__pwned=8">raw div</div>
    """
    requirement REQ-EVIL-1 "Title <script>window.__pwned=9</script> ## C# \x02wzxhzdk:0\x03 ~$|" {
        statement: "The system shall <img src=x onerror=window.__pwned=10> escape & \\"quote\\" within 1 s."
        rationale: "javascript:window.__pwned=11"
        verification: test
        derives-from: N-EVIL
        tags: ok
    }
}

stakeholder ST-EVIL "<u>Evil</u> stakeholder"
term "<b>Term</b>" { definition: """[x](javascript:alert(1)) <script>window.__pwned=12</script>""" }
requirement N-EVIL "Need" {
    statement: "The system shall work."
    verification: test
}
test T-EVIL "Test </td></tr></table><script>window.__pwned=13</script>" {
    verifies: REQ-EVIL-1
    automated-by: "tests.test_evil::test_<script>"
}
decision DEC-EVIL "Decision <script>window.__pwned=14</script>" {
    status: accepted
    context: """<img src=x onerror=window.__pwned=15>"""
    addresses: REQ-EVIL-1
    criterion C-EVIL "<b>crit</b>" { weight: 1 }
    option O-EVIL "<i>opt</i>" { scores: C-EVIL 3 evidence: "<script>window.__pwned=16</script>" }
    chosen: O-EVIL
}
review RV-EVIL "Review <script>window.__pwned=17</script>" {
    covers: EVIL
    version: "<i>0</i>"
    date: "2026-01-02"
    reviewers: ST-EVIL
    outcome: approved
    findings: """**bold** <script>window.__pwned=18</script>"""
}
'''


def write_hostile_project(folder: Path) -> Path:
    """A project whose every text tries to inject HTML, script, links or Markdown
    (also used by the build and browser tests). It has errors on purpose (a missing
    upward link, an approved document with a stale review, ...): build it with
    `--allow-errors`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reqdsl.toml").write_text(HOSTILE_TOML, encoding="utf-8")
    (folder / "evil.req").write_text(HOSTILE_REQ, encoding="utf-8")
    return folder


def copy_project(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SHARED / "conformance" / name, target)
    return target


def generate(project: Path, *, diagrams: bool = False, junit: list[Path] | None = None):
    # The reports go through the check pipeline, as `reqdsl build --junit` sends them.
    checked, diagnostics, summary = check_project(project, use_cache=False, junit=junit or [])
    drawn = site_diagrams(checked, use_cache=False) if diagrams else SiteDiagrams()
    ctx = SiteContext(checked, diagnostics, summary, drawn, shown_results(checked.junit))
    return ctx, generate_site(ctx)


def page_html(files: dict[str, str], page: str) -> str:
    text, data = meta.get_data(files[f"docs/{page}"])
    assert data.get("reqdsl") is True
    rendered = render_page(text)
    assert rendered is not None, f"{page} is not in the fast renderer's shape"
    return rendered.full


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def collect(html: str) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(html)
    return collector


@pytest.fixture(scope="module", params=["valid", "v11-valid"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    project = copy_project(request.param, tmp_path_factory.mktemp(request.param))
    ctx, files = generate(project, diagrams=True)
    return request.param, ctx, files


TITLES = {
    "traceability.md": "Traceability",
    "gdpr.md": "GDPR",
    "iso27001.md": "27001",
    "threats.md": "Threat",
    "decisions.md": "Decisions",
    "validation.md": "Validation",
    "diagrams.md": "Diagrams",
    "glossary.md": "Glossary",
    "diagnostics.md": "Diagnostics",
    "index.md": "Home",
}


def test_every_page_with_its_title(generated) -> None:
    _, _, files = generated
    for page, word in TITLES.items():
        _, data = meta.get_data(files[f"docs/{page}"])
        assert word in data["title"], page
    config = files["mkdocs.yml"]
    for page in TITLES:
        assert f'"{page}"' in config
    assert '"font": false' in config and '"offline"' in config
    assert "iframe-worker" in config and "unpkg" not in config


def test_every_id_has_its_anchor_on_its_document_page(generated) -> None:
    _, ctx, files = generated
    anchors: dict[str, set[str]] = {}
    for element in ctx.project.elements:
        if element.id is None:
            continue
        page = ctx.index.page_of(element)
        if page not in anchors:
            anchors[page] = collect(page_html(files, page)).ids
        assert element.id in anchors[page], f"{element.id} has no anchor on {page}"


def test_every_internal_link_resolves(generated) -> None:
    _, _, files = generated
    pages = {p[len("docs/") :] for p in files if p.startswith("docs/") and p.endswith(".md")}
    statics = {p[len("docs/") :] for p in files if p.startswith("docs/")} - pages
    ids = {page: collect(page_html(files, page)).ids for page in pages}
    checked = 0
    for page in pages:
        for tag, url in collect(page_html(files, page)).links:
            parts = urlparse(url)
            assert parts.scheme in ("", "https", "http", "mailto"), (page, url)
            if parts.scheme:
                assert tag == "a", (page, url)  # nothing loaded from another host
                continue
            base = PurePosixPath(page).parent
            target = page if not parts.path else str(PurePosixPath(base, unquote(parts.path)))
            target = _normalise(target)
            source = target[: -len(".html")] + ".md" if target.endswith(".html") else target
            assert source in pages or source in statics, (page, url)
            if parts.fragment and source in pages:
                assert unquote(parts.fragment) in ids[source], (page, url)
            checked += 1
    assert checked > 50


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_fast_renderer_equals_python_markdown(generated) -> None:
    """The plugin that skips Python-Markdown must produce what Python-Markdown does."""
    _, _, files = generated
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        body, _ = meta.get_data(text)
        converter = markdown.Markdown(
            extensions=["toc", "attr_list", "tables"],
            extension_configs={"toc": {"permalink": True}},
        )
        expected = converter.convert(body)
        rendered = render_page(body)
        assert rendered is not None, path
        assert _squash(rendered.full) == _squash(expected), path
        assert _toc(rendered.toc) == _toc(converter.toc_tokens), path


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _toc(tokens: list[dict]) -> list:
    return [(t["level"], t["id"], t["name"], _toc(t["children"])) for t in tokens]


def test_generation_is_deterministic(tmp_path: Path) -> None:
    project = copy_project("v11-valid", tmp_path)
    _, first = generate(project)
    _, second = generate(project)
    assert first == second


# ------------------------------------------------------------------ hostile text


class InertChecker(HTMLParser):
    """What would make user text active: event attributes, script URLs, remote loads,
    frames, and scripts holding the payload (a `</title><script>` break-out shows as
    one)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "srcdoc") and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                if tag != "a" and compact.startswith(("http:", "https:", "//")):
                    self.problems.append(f"remote <{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.problems.append(f"<{tag}>")
        if tag in ("script", "style"):
            self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if self.inside and self.inside[-1] in ("script", "style") and "pwned" in data:
            self.problems.append(f"payload inside <{self.inside[-1]}>")


def inert_problems(html: str) -> list[str]:
    checker = InertChecker()
    checker.feed(html)
    return checker.problems


def test_hostile_text_stays_inert(tmp_path: Path) -> None:
    project = write_hostile_project(tmp_path / "hostile")
    ctx, files = generate(project)
    assert ctx.summary.errors >= 1  # RV001 and friends: the project is broken on purpose
    for path in files:
        if path.endswith(".md"):
            page = path[len("docs/") :]
            html = page_html(files, page)
            assert inert_problems(html) == [], page
            assert "\x02" not in files[path] and "\x03" not in files[path], page
    document = page_html(files, "documents/evil.md")
    for shown in ("&lt;script&gt;window.__pwned=9&lt;/script&gt;", "&lt;img src=x onerror=",
                  "&lt;div onmouseover", "&lt;script&gt;window.__pwned=4"):  # fmt: skip
        assert shown in document, shown
    assert 'href="#REQ-EVIL-1"' in document  # a text block's link to an element, kept
    assert 'href="https://example.org"' in document  # an external link, kept
    assert "rq-dead-link" in document  # javascript: and data: links, dropped
    assert "[image: track]" in document  # no remote image
    assert "## C#" in document and "~$|" in document  # shown as written, no backslash
    _, data = meta.get_data(files["docs/documents/evil.md"])
    assert "<" not in data["title"]  # MkDocs puts titles into HTML unescaped
    assert "<" not in files["mkdocs.yml"].split('"site_name": ', 1)[1].split("\n", 1)[0]


def test_md_text_round_trips_through_python_markdown() -> None:
    converter = markdown.Markdown(extensions=["toc", "attr_list", "tables"])
    for text in ["C#", "a ~ b $ c | d", "*x* _y_ `z` [l](u) {#id} \\ <b> & ! + - . #", "1. x"]:
        html = converter.reset().convert("### " + md_text(text))
        inner = re.sub(r"^<h3[^>]*>|</h3>$", "", html)
        unescaped = inner.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert unescaped == text


# ------------------------------------------------------------------ pages


def test_decisions_page(tmp_path: Path) -> None:
    project = copy_project("v11-valid", tmp_path)
    _, files = generate(project)
    html = page_html(files, "decisions.md")
    section = html.split('id="DEC-SESS"', 1)[1].split('id="DEC-LOG"', 1)[0]
    assert "<strong>35.5</strong> ★" in section  # 2x4 + 5x4 + 1.5x5
    assert "<strong>31</strong>" in section and "<strong>17.5</strong>" in section
    assert "chosen ✓" in section and 'class="rq-chosen"' in section
    assert "Proof of concept: failover in 3 s" in section  # evidence
    assert "Operations run Sentinel on three nodes." in section  # consequences
    assert "supersedes" in section and "DEC-OLD" in section
    old = html.split('id="DEC-OLD"', 1)[1].split('id="DEC-SESS"', 1)[0]
    assert "superseded by" in old and "DEC-SESS" in old
    criteria = section.split("<tbody>", 1)[1]
    order = [criteria.index(c) for c in ("C-COST", "C-HA", "C-SKILL")]
    assert order == sorted(order)  # criteria as rows, in order
    header = section.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert [header.index(o) for o in ("O-REDIS", "O-PG", "O-NONE")] == sorted(
        header.index(o) for o in ("O-REDIS", "O-PG", "O-NONE")
    )  # options as columns
    document = page_html(files, "documents/design.md")
    assert 'id="C-COST"' in document and 'id="O-REDIS"' in document  # their homes


def test_validation_page_with_stale_approval(tmp_path: Path) -> None:
    project = copy_project("v11-valid", tmp_path)
    needs = project / "needs.req"
    needs.write_text(needs.read_text().replace('version: "2.1"', 'version: "3.0"'))
    _, files = generate(project)
    html = page_html(files, "validation.md")
    documents = html.split('id="documents"', 1)[1].split('id="stale-approvals"', 1)[0]
    assert "NEEDS" in documents and "<code>3.0</code>" in documents
    assert "approved, no review of this version" in documents
    stale = html.split('id="stale-approvals"', 1)[1].split('id="reviews"', 1)[0]
    assert "RV-NEEDS" in stale and "<code>2.1</code>" in stale and "2026-11-20" in stale
    reviews = html.split('id="reviews"', 1)[1]
    assert "ST-OPS" in reviews and "ST-SEC" in reviews and "approved-with-changes" in reviews
    assert "N-HA reworded." in reviews


def test_test_results_from_junit(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite name="t">'
        '<testcase classname="tests.test_booking" name="test_reserve_free_slot">'
        '<failure message="boom"/></testcase></testsuite></testsuites>'
    )
    _, files = generate(project, junit=[report])
    matrix = page_html(files, "traceability.md")
    row = matrix.split("REQ-BOOK-001</a>", 1)[1].split("</tr>", 1)[0]
    assert "TC-BOOK-1" in row and "failed" in row
    test_page = page_html(files, "documents/tp.md")
    tc = test_page.split('id="TC-BOOK-1"', 1)[1].split('id="TC-BOOK-2"', 1)[0]
    assert "<th>result</th>" in tc and "failed" in tc
    other = tmp_path / "other.xml"
    other.write_text('<testsuite><testcase classname="x" name="y"/></testsuite>')
    _, files = generate(project, junit=[other])
    assert "not-run" in page_html(files, "documents/tp.md")  # automated, not in the report
    _, plain = generate(project)
    assert "failed" not in page_html(plain, "traceability.md")


def test_diagrams_unavailable_show_the_source(tmp_path: Path) -> None:
    project = copy_project("valid", tmp_path)
    checked, diagnostics, summary = check_project(project, use_cache=False)
    drawn = SiteDiagrams(
        sources={"data-flow.puml": "@startuml\nA -> B : <b>x</b>\n@enduml\n"},
        note="no Java runtime",
    )
    files = generate_site(SiteContext(checked, diagnostics, summary, drawn))
    threats = page_html(files, "threats.md")
    assert "no Java runtime" in threats and "A -&gt; B : &lt;b&gt;x&lt;/b&gt;" in threats
    assert "no Java runtime" in page_html(files, "diagrams.md")
    assert not any(path.endswith(".svg") for path in files)


def test_writer_writes_only_what_changed(tmp_path: Path) -> None:
    first = write_tree(tmp_path, {"a.md": "A", "sub/b.md": "B"})
    assert sorted(first.written) == ["a.md", "sub/b.md"]
    second = write_tree(tmp_path, {"a.md": "A", "sub/b.md": "B"})
    assert second.written == [] and second.removed == [] and second.digest == first.digest
    third = write_tree(tmp_path, {"a.md": "A2"})
    assert third.written == ["a.md"] and third.removed == ["sub/b.md"]
    assert not (tmp_path / "sub").exists()  # emptied folders go too
    (tmp_path / "a.md").write_text("tampered")  # changed behind reqdsl's back: rewritten
    fourth = write_tree(tmp_path, {"a.md": "A2"})
    assert fourth.written == ["a.md"] and (tmp_path / "a.md").read_text() == "A2"
    # The folder is reqdsl's cache: whatever it did not write goes (it would be published).
    (tmp_path / "planted.md").write_text("<script>")
    assert write_tree(tmp_path, {"a.md": "A2"}).removed == ["planted.md"]
    with pytest.raises(ValueError):
        write_tree(tmp_path, {"../escape.md": "x"})

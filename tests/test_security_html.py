"""User text never chooses an HTML id, class or attribute, never reorders what a reader sees,
never breaks the generated mkdocs.yml, and a diagram is judged by its markup, not its words.

- A fenced code block in a text block (```` ```{#__config} ````, ```` ```{.text .mermaid} ````,
  `{ data-x=1 onclick=... }`) once became `<pre id="__config">` (which Material reads as
  its configuration, ahead of its own `<script id="__config">`) or `<pre class="mermaid">`
  (which makes Material fetch mermaid from a CDN): text blocks now render fences as plain
  `<pre><code>`, and an nh3 allowlist pass keeps only what the renderer itself emits.
- Bidirectional controls (U+202E, U+2066-2069, U+200E/F, U+061C) reach no page and no
  search index entry.
- Unicode noncharacters (U+FFFF, ...) in a title no longer make mkdocs.yml unreadable.
- The SVG check parses the SVG: a label saying "javascript: SPA" is words; an event
  handler, a script, a foreignObject, a script URL or an external reference is refused.
"""

from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reqdsl.commands.check import check_project
from reqdsl.diagrams.pipe import diagnose
from reqdsl.site.diagrams import site_diagrams
from tests.conftest import run_reqdsl
from tests.test_site_generate import generate, page_html

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
NONCHARACTERS = "\uffff\ufffe\ufdd0\U0001ffff\U0010fffe"

FENCES_REQ = '''\
document SRS "Spec {bidi}" {{
    level: system
    purpose: """
    Intro {bidi} text.

    ```{{#__config}}
    {{"search": "x></script><img src=x onerror=window.__pwned=1>", "features": ["content.tooltips"]}}
    ```

    ```{{.text .mermaid}}
    graph TD; A-->B
    ```

    ```mermaid
    graph TD; C-->D
    ```

    ~~~{{ #evilid .evilclass data-evilattr="1" onclick="window.__pwned=2" }}
    code
    ~~~

    ``` evillang
    more
    ```
    """
}}

section S-A "Section {bidi}" {{
    text """Para {bidi} and `code {bidi}`."""
    requirement REQ-1 "Login {bidi}" {{
        statement: "The system shall log in the {bidi} user within 1 s."
        verification: test
    }}
}}

test T-1 "Login test {bidi}" {{
    verifies: REQ-1
}}
'''


def write_project(folder: Path, name: str, req: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    toml = f'[project]\nname = {json.dumps(name, ensure_ascii=False)}\nversion = "1"\n'
    (folder / "reqdsl.toml").write_text(toml, encoding="utf-8")
    (folder / "a.req").write_text(req, encoding="utf-8")
    return folder


def fences_project(folder: Path) -> Path:
    return write_project(folder, f"Bidi {BIDI} site", FENCES_REQ.format(bidi=BIDI))


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(html: str) -> list[tuple[str, str, str]]:
    parser = Attributes()
    parser.feed(html)
    return parser.found


def chosen_by_the_user(html: str) -> list[tuple[str, str, str]]:
    """Attributes the hostile fences tried to set (ids, classes, data-, on*, a language)."""
    words = ("__config", "mermaid", "evil", "pwned", "language-")
    return [
        (tag, name, value)
        for tag, name, value in attributes(html)
        if name.startswith("on") or any(word in f"{name}={value}" for word in words)
    ]


# ------------------------------------------------------------------ generation


def test_fenced_code_sets_no_id_class_or_attribute(tmp_path: Path) -> None:
    project = fences_project(tmp_path / "p")
    _, files = generate(project)
    document = page_html(files, "documents/srs.md")
    assert "graph TD; A--&gt;B" in document and "graph TD; C--&gt;D" in document  # shown
    assert 'id="__config"' not in document
    assert chosen_by_the_user(document) == []
    classes = {
        token
        for _, name, value in attributes(document)
        if name == "class"
        for token in value.split()
    }
    assert "mermaid" not in classes


def test_text_block_html_keeps_only_what_the_renderer_emits(tmp_path: Path) -> None:
    """Every tag and attribute of a rendered text block is on the renderer's allowlist;
    the classes are reqdsl's own."""
    from reqdsl.site.textblock import TextBlockRenderer

    text = (
        "# H\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n3. x\n4. y\n\n"
        '[ext](https://example.org "t") [in](#REQ-1) [bad](javascript:x) ![i](x.png)\n\n'
        "```{#__config .mermaid data-x=1}\nbody\n```\n\n```mermaid\nbody\n```\n"
    )
    html = TextBlockRenderer().render(text, lambda anchor: f"page.html#{anchor}")
    allowed = {
        ("a", "href"), ("a", "title"), ("a", "rel"), ("a", "class"), ("span", "class"),
        ("span", "title"), ("p", "class"), ("ol", "start"), ("th", "align"), ("td", "align"),
    }  # fmt: skip
    found = {(tag, name) for tag, name, _ in attributes(html)}
    assert found <= allowed, found - allowed
    classes = {value for _, name, value in attributes(html) if name == "class"}
    assert classes <= {"rq-external", "rq-dead-link", "rq-image-omitted", "rq-text-heading"}
    assert "<pre><code>body\n</code></pre>" in html


def test_bidi_controls_reach_no_generated_file(tmp_path: Path) -> None:
    project = fences_project(tmp_path / "p")
    _, files = generate(project)
    for path, text in files.items():
        found = sorted({f"U+{ord(c):04X}" for c in text if c in BIDI})
        assert found == [], (path, found)
    document = page_html(files, "documents/srs.md")
    assert "Login \ufffd" in document  # made visible, as in the terminal


# ------------------------------------------------------------------ real builds


def build(project: Path, out: Path) -> None:
    result = run_reqdsl("build", str(project), "-o", str(out), "-q", "--no-diagrams")
    assert result.returncode == 0, result.stdout + result.stderr


class Config(HTMLParser):
    """The tags carrying `id="__config"`, and every class token, of a built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.config_tags: list[str] = []
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value == "__config":
                self.config_tags.append(tag)
            if name == "class" and value:
                self.classes.update(value.split())


def test_built_site_keeps_materials_config_and_no_mermaid_or_bidi(tmp_path: Path) -> None:
    project = fences_project(tmp_path / "p")
    assert check_project(project, use_cache=False)[2].errors == 0
    out = tmp_path / "site"
    build(project, out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = Config()
        parser.feed(html)
        # Material's own configuration script is the only element with that id.
        assert parser.config_tags == ["script"], page
        assert "mermaid" not in parser.classes, page
        theirs = [
            found for found in chosen_by_the_user(html) if found != ("script", "id", "__config")
        ]
        assert theirs == [], page
        assert not any(c in BIDI for c in html), page
    srs = (out / "documents" / "srs.html").read_text(encoding="utf-8")
    assert "graph TD; A--&gt;B" in srs
    index = (out / "search" / "search_index.json").read_text(encoding="utf-8")
    entries = json.loads(index)["docs"]
    assert any("Login" in entry["text"] + entry["title"] for entry in entries)
    assert not any(c in BIDI for c in json.dumps(entries, ensure_ascii=False))


NONCHARACTER_REQ = '''\
document SRS "Spec {bad} title" {{
    level: system
    purpose: """Purpose {bad}."""
}}

section S-A "Section {bad}" {{
    requirement REQ-1 "Login {bad}" {{
        statement: "The system shall log in the {bad} user within 1 s."
        verification: test
    }}
}}

test T-1 "Login test" {{
    verifies: REQ-1
}}
'''


def test_noncharacters_in_titles_build(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p", f"Site {NONCHARACTERS}", NONCHARACTER_REQ.format(bad=NONCHARACTERS)
    )
    checked = run_reqdsl("check", str(project))
    assert checked.returncode == 0, checked.stdout  # check finds nothing wrong
    out = tmp_path / "site"
    build(project, out)
    srs = (out / "documents" / "srs.html").read_text(encoding="utf-8")
    assert "Spec \ufffd" in srs  # shown as the replacement character
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not any(c in NONCHARACTERS for c in html), page


def test_noncharacters_in_titles_keep_their_diagrams(tmp_path: Path) -> None:
    """PlantUML crashed on U+FFFE and U+FFFF in a label (its SVG writer refuses them)."""
    req = NONCHARACTER_REQ.format(bad=NONCHARACTERS + BIDI)
    checked, _, _ = check_project(write_project(tmp_path / "p", "x", req), use_cache=False)
    drawn = site_diagrams(checked, use_cache=False)
    assert drawn.failed == {} and drawn.note is None, drawn.failed
    assert drawn.svgs
    for path, text in drawn.svgs.items():
        assert not any(c in NONCHARACTERS + BIDI for c in text), path
    assert any("Spec \ufffd" in unescape(text) for text in drawn.svgs.values())


# ------------------------------------------------------------------ SVG check

SVG = (
    '<?plantuml 1.2026.2?><svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" data-diagram-type="CLASS" '
    'version="1.1" viewBox="0 0 10 10"{root}><defs><linearGradient id="g"/></defs>'
    "<g>{inner}</g></svg>"
)


def svg(inner: str = "", root: str = "") -> str:
    return SVG.format(inner=inner, root=root)


INERT_SVGS = {
    "label text": svg(
        "<title>javascript. SPA</title><text>javascript: SPA onload= x url(http://e/x) "
        "&lt;script&gt; @import</text>"
    ),
    "local links": svg(
        '<a xlink:href="#g" href="#g"><rect fill="url(#g)" style="fill:url(#g)"/></a>'
    ),
    "comment": svg("<!-- javascript: onload= -->"),
}

HOSTILE_SVGS = {
    "onload on the root": svg(root=' onload="alert(1)"'),
    "event handler": svg('<rect onmouseover="alert(1)"/>'),
    "script": svg("<script>alert(1)</script>"),
    "foreignObject": svg(
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
    ),
    "javascript link": svg('<a xlink:href="javascript:alert(1)"><text>x</text></a>'),
    "encoded javascript link": svg('<a href="jav&#x09;ascript&#x3A;alert(1)"><text>x</text></a>'),
    "external image": svg('<image href="https://evil.example/t.png" width="1" height="1"/>'),
    "external use": svg('<use xlink:href="https://evil.example/s.svg#x"/>'),
    "external paint": svg('<rect fill="url(https://evil.example/p.svg#g)"/>'),
    "external style url": svg('<rect style="fill:url(&quot;//evil.example/p#g&quot;)"/>'),
    "escaped style url": svg('<rect style="fill:u\\72l(//evil.example/p#g)"/>'),
    "style import": svg("<style>@import 'https://evil.example/s.css';</style>"),
    "animation": svg('<a href="#g"><set attributeName="href" to="javascript:alert(1)"/></a>'),
    "other namespace": svg('<h:p xmlns:h="http://www.w3.org/1999/xhtml">x</h:p>'),
    "stylesheet instruction": '<?xml-stylesheet href="https://evil.example/s.css"?>' + svg(),
    "not well-formed": svg().replace("<svg ", "<svg/onload=alert(1) "),
    "entity": '<!DOCTYPE svg [<!ENTITY j "javascript:">]>' + svg('<a href="&j;x"/>'),
}


@pytest.mark.parametrize("name", sorted(INERT_SVGS))
def test_svg_check_ignores_text(name: str) -> None:
    assert diagnose(INERT_SVGS[name]) is None


@pytest.mark.parametrize("name", sorted(HOSTILE_SVGS))
def test_svg_check_refuses_active_markup(name: str) -> None:
    problem = diagnose(HOSTILE_SVGS[name])
    assert problem is not None and "refused" in problem, problem


LABELS_REQ = """\
document SRS "javascript: SPA" {
    level: system
}

section S-A "onload= x" {
    requirement REQ-1 "javascript: SPA url(https://evil.example/x) <script>" {
        statement: "The javascript: SPA shall log in the user within 1 s."
        verification: test
    }
}

test T-1 "onclick=alert(1)" {
    verifies: REQ-1
}
"""


def test_a_label_saying_javascript_keeps_its_diagram(tmp_path: Path) -> None:
    """Rendered for real: the words end up in the SVG's text and titles, and the diagram
    is still shipped."""
    project = write_project(tmp_path / "p", "javascript: SPA", LABELS_REQ)
    checked, _, summary = check_project(project, use_cache=False)
    assert summary.errors == 0
    drawn = site_diagrams(checked, use_cache=False)
    assert drawn.note is None, drawn.note
    assert drawn.failed == {}
    assert drawn.svgs and any("javascript: SPA" in text for text in drawn.svgs.values())

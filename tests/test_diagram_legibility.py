"""Diagrams a reader can read: every diagram of the bundled samples, rendered, measured on
its SVG (reqdsl.diagrams.legibility, bench/diagram_legibility.py) at the site's column
width: no overlapping labels, no edge through the title, a minimum effective font size
and width for the data-flow and traceability diagrams; and the full-size viewer is
shipped with every site."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from reqdsl.diagrams.legibility import Legibility, measure
from reqdsl.diagrams.puml import direction_for, rank_shape
from reqdsl.site.assets import VIEWER, site_assets
from reqdsl.site.config import mkdocs_config

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if (p / "reqdsl.toml").is_file())

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} 300" width="{w}px">'
    '<g class="title"><text x="100" y="20" font-size="14" textLength="200">Title</text></g>'
    "{body}</svg>"
)


def _text(x: float, y: float, words: str, length: float) -> str:
    return f'<text x="{x}" y="{y}" font-size="13" textLength="{length}">{words}</text>'


def test_overlapping_labels_are_found_and_stacked_lines_are_not() -> None:
    # "verifies verifies addresses": three edge labels drawn on top of each other.
    crowded = measure(
        SVG.format(
            w=1376,
            body=_text(10, 100, "verifies", 50) + _text(30, 104, "verifies", 50)
            + _text(70, 100, "addresses", 60),
        )
    )  # fmt: skip
    assert ("verifies", "verifies") in crowded.overlaps
    assert ("verifies", "addresses") in crowded.overlaps
    assert crowded.scale == pytest.approx(0.5) and crowded.effective_font == pytest.approx(6.5)
    # Two lines of one label, 15 px apart at 13 px, and words side by side: no overlap.
    tidy = measure(SVG.format(w=600, body=_text(10, 100, "first", 40) + _text(10, 115, "line", 40)
                              + _text(55, 100, "next", 30)))  # fmt: skip
    assert tidy.overlaps == [] and tidy.scale == 1.0


def test_an_edge_through_the_title_is_found() -> None:
    through = '<g class="link"><path d="M50,15 C120,16 250,14 400,15"/></g>'
    beside = '<g class="link"><path d="M50,60 L400,60"/></g>'
    assert measure(SVG.format(w=600, body=through)).title_crossings > 0
    assert measure(SVG.format(w=600, body=beside)).title_crossings == 0


def test_layout_direction_follows_the_shape_of_the_graph() -> None:
    star = [("hub", f"store{i}") for i in range(8)]  # one process feeding eight stores
    assert rank_shape(["hub", *(b for _, b in star)], star) == (8, 2)
    assert direction_for(["hub", *(b for _, b in star)], star) == ["left to right direction"]
    chain = [(f"n{i}", f"n{i + 1}") for i in range(5)]
    assert direction_for([f"n{i}" for i in range(6)], chain) == []
    # A request and its response (a cycle) do not flatten the ranks.
    assert rank_shape(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")]) == (1, 3)


def test_ranking_is_linear_and_needs_no_recursion() -> None:
    # 200,000 nodes in one cycle: no recursion limit, no quadratic relaxation.
    nodes = [f"n{i}" for i in range(200_000)]
    edges = [(nodes[i], nodes[(i + 1) % len(nodes)]) for i in range(len(nodes))]
    assert rank_shape(nodes, edges) == (1, len(nodes))


@cache
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "diagram_legibility", ROOT / "bench" / "diagram_legibility.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _measured(sample: str) -> dict[str, Legibility]:
    found: dict[str, Legibility] = _bench().measure_sample(ROOT / "samples" / sample)
    return found


# The smallest label of these diagrams, as the site's 688 px column draws it (px), and
# the widest SVG (px). Before: data-flow 3,882-4,222 px wide (1.6 px type); traceability
# up to 12,048 px wide (0.7 px type).
# Condensed graphs (each sample's traceability graphs drawn again as a document of more
# than `traceability_limit` elements would be): before, 14 of 23 had edges through the
# title and 5 overlapping labels.
# Goal models: before, 1,662-2,895 px wide (2.4 px type).
MIN_FONT = {"data-flow": 2.8, "traceability": 5.0, "condensed": 7.5, "goals": 5.0}
MAX_WIDTH = {"data-flow": 2500, "traceability": 1500, "condensed": 1000, "goals": 1300}


@pytest.mark.slow
@pytest.mark.java
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_diagrams_are_legible(sample: str) -> None:
    measured = _measured(sample)
    assert any(path.startswith("traceability/") for path in measured)
    for path, found in measured.items():
        assert found.title_crossings == 0, (path, "an edge crosses the title")
        kind = "condensed" if path.endswith("(condensed)") else path.split("/")[0]
        kind = kind.removesuffix(".puml")
        if kind not in MIN_FONT:
            continue
        assert found.overlaps == [], (path, found.overlaps[:5])
        assert found.effective_font >= MIN_FONT[kind], (path, found.effective_font)
        assert found.width <= MAX_WIDTH[kind], (path, found.width)


def test_the_viewer_is_shipped_and_loaded_on_every_page() -> None:
    script = site_assets()[VIEWER]
    # Built with DOM calls only: no markup from strings, no network.
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "http"):
        assert banned not in script, banned
    assert "img.rq-diagram" in script and "wheel" in script and "Escape" in script
    assert VIEWER.split("/")[-1] in mkdocs_config("x", [])


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.java
def test_a_click_opens_the_diagram_full_size_with_pan_and_zoom_offline(tmp_path: Path) -> None:
    """From file://: the overlay shows the SVG at 100 %, zooms, pans, fits and closes,
    and nothing leaves the machine."""
    from reqdsl.cli import main
    from tests.test_site_browser import Browser, chromium_path

    chromium_path()
    site = tmp_path / "site"
    assert main(["build", str(ROOT / "samples" / "clinic"), "-o", str(site), "-q"]) == 0
    browser = Browser(tmp_path / "profile")
    try:
        browser.open((site / "threats.html").as_uri())
        browser.call("Emulation.setDeviceMetricsOverride", browser.session, width=1366,
                     height=860, deviceScaleFactor=1, mobile=False)  # fmt: skip
        shown = "document.querySelector('.rq-viewer img')"
        assert browser.evaluate(
            "(() => { document.querySelector('img.rq-diagram').click();"
            " return !!document.querySelector('.rq-viewer'); })()"
        )
        browser.wait_for(f"{shown}.complete && {shown}.naturalWidth > 0")
        natural, drawn = browser.evaluate(
            f"[{shown}.naturalWidth, {shown}.getBoundingClientRect().width]"
        )
        assert natural > 1366 and drawn == pytest.approx(natural)  # full size, not squeezed

        def key(name: str) -> None:
            browser.evaluate(
                f"document.dispatchEvent(new KeyboardEvent('keydown', {{key: '{name}'}}))"
            )

        key("+")
        assert browser.evaluate(f"{shown}.getBoundingClientRect().width") > natural * 1.2
        before = browser.evaluate(f"{shown}.getBoundingClientRect().left")
        key("ArrowRight")
        assert browser.evaluate(f"{shown}.getBoundingClientRect().left") < before
        key("0")  # fit: the whole diagram in the window
        assert browser.evaluate(f"{shown}.getBoundingClientRect().width") <= 1366
        key("Escape")
        assert browser.evaluate("document.querySelector('.rq-viewer') === null")
        assert browser.problems(()) == []
    finally:
        browser.close()


@pytest.mark.slow
@pytest.mark.java
def test_hostile_names_in_a_condensed_graph_are_drawn_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counts now written in a condensed graph's boxes name sections and documents:
    user text that must stay text (no directive, no include, no markup)."""
    from reqdsl.diagrams.render import render_svgs
    from reqdsl.diagrams.traceability import generate_traceability
    from reqdsl.model.project import load_project
    from tests.test_diagrams_render import svg_text

    secret = tmp_path / "secret.txt"
    secret.write_text("FILE-MUST-NOT-LEAK\n", encoding="utf-8")
    monkeypatch.setenv("REQDSL_TEST_SECRET", "ENV-MUST-NOT-LEAK")
    hostile = f'!include {secret} @enduml <b>x</b> %getenv("REQDSL_TEST_SECRET")'
    quoted = hostile.replace('"', '\\"')
    (tmp_path / "reqdsl.toml").write_text("[diagrams]\ntraceability_limit = 1\n", "utf-8")
    (tmp_path / "a.req").write_text(
        'document UP "Needs" { level: stakeholder }\n'
        f'section "{quoted}" {{\n'
        '  requirement N-1 "Need" { statement: "The clinic shall book." }\n}\n',
        "utf-8",
    )
    (tmp_path / "b.req").write_text(
        f'document DOWN "{quoted}" {{ level: system }}\n'
        f'section "{quoted} 2" {{\n'
        '  requirement S-1 "Sys" { statement: "The system shall book." derives-from: N-1 }\n'
        '  requirement S-2 "Sys 2" { statement: "The system shall log." depends-on: S-1 }\n}\n',
        "utf-8",
    )
    project = load_project(tmp_path, use_cache=False)
    assert not project.found, project.found
    sources = generate_traceability(project)
    assert all("condensed to sections" in text for text in sources.values())
    result = render_svgs(sources)
    assert result.failed == {} and len(result.svgs) == 2
    for path, svg in result.svgs.items():
        assert "MUST-NOT-LEAK" not in svg, path
        assert hostile in svg_text(svg), path  # drawn as written
    said = svg_text(result.svgs["traceability/UP.puml"])
    assert "DOWN derives-from ×1" in said
    assert "within: depends-on ×1" in svg_text(result.svgs["traceability/DOWN.puml"])

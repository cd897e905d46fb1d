"""The built site of the synthetic workload as a reader gets it: page sizes, and first
paint, sort and filter times in headless Chromium.

    python bench/site_pages.py 10000 [--keep DIR] [--runs 3]

Builds the workload (`--no-diagrams`, as bench/build.py), then lists the largest pages
and the search index, and opens the home page, the traceability matrix (its overview and
its largest page), the largest diagnostics page and a document page from file:// in
headless Chromium (Debian's `chromium`, driven as tests/test_site_browser.py does, so
the test dependencies are needed). First paint is Chromium's `first-contentful-paint`,
load the end of the load event (the table scripts have run);
sort and filter times run from the click to the next frame (layout included), medians
of `--runs`. Targets (issue 20, N = 10,000): every page under 1 MB of HTML, first paint
under 1 s, a sort or a filter under 0.5 s. Prints Markdown and the machine's load.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gen import generate
from run import reqdsl_command, timed

MB = 1_000_000
PAINT = (
    "new Promise(done => { const look = () => {"
    " const p = performance.getEntriesByName('first-contentful-paint')[0];"
    " p ? done(p.startTime) : setTimeout(look, 50); }; look(); })"
)
LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"
# Milliseconds from `action` to the frame after it (the table laid out again).
FRAME = (
    "new Promise(done => { const t = performance.now(); (ACTION);"
    " requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0)); })"
)
ACTIONS = {
    "sort by requirement": "document.querySelector('table[data-rq~=matrix] th button').click()",
    "sort by title": "document.querySelectorAll('table[data-rq~=matrix] th button')[1].click()",
    "filter: gaps only": "document.querySelector('.rq-filter > label > input').click()",
    "filter: a status": (
        "(() => { const s = Array.from(document.querySelectorAll('.rq-filter select'))"
        ".find(s => s.options[0].text === 'every status');"
        " s.selectedIndex = s.selectedIndex === 1 ? 0 : 1;"
        " s.dispatchEvent(new Event('change')); })()"
    ),
}


def largest(site: Path, pattern: str) -> Path:
    return max(site.glob(pattern), key=lambda path: path.stat().st_size)


def page_sizes(site: Path) -> tuple[list[tuple[str, int]], int, int]:
    pages = sorted(
        ((str(p.relative_to(site)), p.stat().st_size) for p in site.rglob("*.html")),
        key=lambda item: -item[1],
    )
    return pages, sum(1 for _, size in pages if size >= MB), len(pages)


def browse(site: Path, runs: int) -> list[tuple[str, str, float]]:
    from tests.test_site_browser import Browser

    found: list[tuple[str, str, float]] = []
    matrix = largest(site, "traceability/*.html") if (site / "traceability").is_dir() else None
    diagnostics = largest(site, "diagnostics/*.html") if (site / "diagnostics").is_dir() else None
    pages = [site / "index.html", site / "traceability.html", matrix, diagnostics,
             largest(site, "documents/*.html")]  # fmt: skip
    profile = Path(tempfile.mkdtemp(prefix="reqdsl-bench-chromium-"))
    browser = Browser(profile)
    try:
        for page in [p for p in pages if p is not None]:
            name = str(page.relative_to(site))
            paints, loads = [], []
            for _ in range(runs):
                browser.open(page.as_uri())
                paints.append(browser.evaluate(PAINT))
                loads.append(browser.evaluate(LOADED))
            found.append((name, "first paint", statistics.median(paints)))
            found.append((name, "load event (scripts run)", statistics.median(loads)))
        target = matrix or site / "traceability.html"
        browser.open(target.as_uri())
        for label, action in ACTIONS.items():
            try:
                times = [browser.evaluate(FRAME.replace("ACTION", action)) for _ in range(runs)]
            except AssertionError:  # no such control (a site of an older reqdsl)
                times = [float("nan")]
            found.append((str(target.relative_to(site)), label, statistics.median(times)))
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate and build into this folder")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the site already built in --keep"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="reqdsl-bench-site-"))
    project, site = folder / "project", folder / "site"
    try:
        seconds = 0.0
        if not (args.reuse and args.keep and (site / "index.html").is_file()):
            generate(args.n, project)
            seconds, _ = timed([*reqdsl_command(), "build", str(project), "-o", str(site),
                                "-q", "--no-diagrams", "--force"])  # fmt: skip
        pages, too_big, count = page_sizes(site)
        load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        print(f"N = {args.n}: build {seconds:.1f} s; {count} pages; {too_big} of 1 MB or more")
        print(f"uptime: {load}\n")
        print("| largest pages | KB |\n|---|---:|")
        for name, size in pages[:6]:
            print(f"| {name} | {size / 1000:.0f} |")
        for index in sorted((site / "search").glob("search_index.*")):
            print(f"| {index.relative_to(site)} | {index.stat().st_size / 1000:.0f} |")
        print("\n| page | measure | ms (median) |\n|---|---|---:|")
        for name, label, value in browse(site, args.runs):
            print(f"| {name} | {label} | {value:.0f} |")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

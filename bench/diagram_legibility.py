"""How legible the bundled samples' diagrams are on the site: size, scale, overlaps.

    python bench/diagram_legibility.py [--column 688] [--json] [--no-cache] [SAMPLE ...]
    python bench/diagram_legibility.py --project DIR    # any project, e.g. bench/gen.py's

For every diagram of every sample in samples/ (or those named), rendered with the
bundled PlantUML through the usual cache, and for every traceability graph again in its
condensed form (the form a document of more than `[diagrams] traceability_limit`
elements gets; forced here by a limit of 1): the SVG's width and height, the scale at
which the site's content column draws it (688 px at a 1366 px window; an image is never
enlarged), the effective size of its smallest label at that scale, the pairs of labels
that overlap, and how many edge segments cross the title or caption
(reqdsl.diagrams.legibility). One Markdown table, or one JSON object per diagram with
`--json`. Exit status 1 when a diagram has overlapping labels or an edge through its
title.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reqdsl.diagrams.legibility import COLUMN_PX, Legibility, measure
from reqdsl.diagrams.render import build_diagrams
from reqdsl.diagrams.traceability import generate_traceability
from reqdsl.model.project import Project, load_project

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def sample_svgs(project: Project, *, use_cache: bool = True) -> dict[str, str]:
    """`diagram path -> SVG` for every diagram of `project`, then its traceability
    graphs condensed (`traceability/X.puml (condensed)`)."""
    build = build_diagrams(project, use_cache=use_cache)
    if build.unavailable is not None:
        raise SystemExit(f"diagrams cannot be rendered here: {build.unavailable}")
    svgs = dict(build.result.svgs)
    limit = project.config.traceability_limit
    project.config.traceability_limit = 1
    try:
        condensed = generate_traceability(project)
    finally:
        project.config.traceability_limit = limit
    from reqdsl.diagrams.cache import SvgCache
    from reqdsl.diagrams.render import render_svgs

    cache = SvgCache.for_project(project.root, enabled=use_cache)
    rendered = render_svgs(condensed, cache=cache).svgs
    svgs.update({f"{path} (condensed)": svg for path, svg in rendered.items()})
    return dict(sorted(svgs.items()))


def measure_sample(
    folder: Path, column: float = COLUMN_PX, *, use_cache: bool = True
) -> dict[str, Legibility]:
    project = load_project(folder, use_cache=use_cache)
    return {path: measure(svg, column) for path, svg in sample_svgs(project).items()}


def row(sample: str, path: str, found: Legibility) -> dict[str, object]:
    return {
        "sample": sample,
        "diagram": path,
        "width": round(found.width),
        "height": round(found.height),
        "scale": round(found.scale, 3),
        "smallest_font": found.smallest_font,
        "effective_font": round(found.effective_font, 1),
        "overlaps": len(found.overlaps),
        "overlapping": [list(pair) for pair in found.overlaps[:5]],
        "title_crossings": found.title_crossings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("samples", nargs="*", help="sample names (default: every sample)")
    parser.add_argument("--column", type=float, default=COLUMN_PX, help="content column, px")
    parser.add_argument("--json", action="store_true", help="one JSON object per diagram")
    parser.add_argument("--no-cache", action="store_true", help="render every diagram afresh")
    parser.add_argument("--project", type=Path, help="measure this project instead of samples")
    args = parser.parse_args(argv)
    if args.project is not None:
        folders = {args.project.name: args.project}
    else:
        names = args.samples or sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
        folders = {name: SAMPLES / name for name in names}
    rows: list[dict[str, Any]] = []
    for name, folder in folders.items():
        if not (folder / "reqdsl.toml").is_file():
            parser.error(f"no project at {folder} (no reqdsl.toml)")
        measured = measure_sample(folder, args.column, use_cache=not args.no_cache)
        rows.extend(row(name, path, found) for path, found in measured.items())
    if args.json:
        for item in rows:
            print(json.dumps(item))
    else:
        print(f"column {args.column:g} px\n")
        print("| sample | diagram | SVG px | scale | smallest font, effective px "
              "| overlapping labels | edges through title |")  # fmt: skip
        print("|---|---|---|---|---|---|---|")
        for item in rows:
            print(
                f"| {item['sample']} | {item['diagram']} | {item['width']} x {item['height']} "
                f"| {item['scale']:.2f} | {item['smallest_font']:g} -> "
                f"{item['effective_font']:.1f} | {item['overlaps']} | {item['title_crossings']} |"
            )
        fonts = sorted(float(str(item["effective_font"])) for item in rows)
        print(
            f"\n{len(rows)} diagrams; effective font: min {fonts[0]:.1f} px, "
            f"median {fonts[len(fonts) // 2]:.1f} px; "
            f"{sum(1 for item in rows if item['overlaps'])} with overlapping labels; "
            f"{sum(1 for item in rows if item['title_crossings'])} with an edge through the title"
        )
    bad = any(item["overlaps"] or item["title_crossings"] for item in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

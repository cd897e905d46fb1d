"""Diagrams from the model: PlantUML generators (pure, deterministic) and a local,
sandboxed, cached SVG renderer. See docs/diagrams.md.

    from reqdsl.diagrams import build_diagrams
    build = build_diagrams(project)      # generate + render through the project's cache
    build.files("svg")                   # {"sequence/SC-BOOK.svg": "<svg ...", ...}
    build.unavailable                    # None, or why nothing could be rendered
"""

from __future__ import annotations

from .generate import generate_diagrams
from .render import DiagramBuild, RenderResult, build_diagrams, render_svgs, svg_path
from .runtime import RenderUnavailable, Runtime, find_runtime

__all__ = [
    "DiagramBuild",
    "RenderResult",
    "RenderUnavailable",
    "Runtime",
    "build_diagrams",
    "find_runtime",
    "generate_diagrams",
    "render_svgs",
    "svg_path",
]

"""Rendering diagrams to SVG, locally and incrementally: cached diagrams are read back,
the others go through one PlantUML process together. Nothing is ever sent to a server:
these diagrams describe security designs.

Two entry points:

- `render_svgs(sources, cache=..., runtime=...)`: PlantUML texts -> SVGs; raises
  `RenderUnavailable` when no diagram can be rendered on this machine.
- `build_diagrams(project)`: generate, render and cache every diagram of a project;
  never raises for a missing renderer, it says why in `DiagramBuild.unavailable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..model.project import Project
from .cache import SvgCache
from .generate import generate_diagrams
from .pipe import render_batch
from .runtime import RenderUnavailable, Runtime, find_runtime


@dataclass
class RenderResult:
    """Keyed by the source path given (`sequence/SC-BOOK.puml`)."""

    svgs: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # path -> why PlantUML drew nothing
    rendered: list[str] = field(default_factory=list)  # rendered now
    cached: list[str] = field(default_factory=list)  # read from the cache


def svg_path(source_path: str) -> str:
    """`sequence/SC-BOOK.puml` -> `sequence/SC-BOOK.svg`."""
    return str(PurePosixPath(source_path).with_suffix(".svg"))


def render_svgs(
    sources: Mapping[str, str],
    *,
    cache: SvgCache | None = None,
    runtime: Runtime | None = None,
    prune: bool = False,
) -> RenderResult:
    """Render every text not already in `cache`, all in one Java process, and cache the
    results. `prune` drops cache entries that no text of this call uses (a full build).
    Raises RenderUnavailable when Java or PlantUML is missing or cannot run."""
    cache = cache or SvgCache(None)
    runtime = runtime or find_runtime()
    version = runtime.version
    result = RenderResult()
    keys = {path: cache.key(text, version) for path, text in sources.items()}
    todo: list[str] = []
    for path in sources:
        svg = cache.get(keys[path])
        if svg is None:
            todo.append(path)
        else:
            result.svgs[path] = svg
            result.cached.append(path)
    outcomes = render_batch(runtime, [sources[path] for path in todo])
    for path, outcome in zip(todo, outcomes, strict=True):
        if outcome.svg is None:
            result.failed[path] = outcome.error or "no SVG"
            continue
        result.svgs[path] = outcome.svg
        result.rendered.append(path)
        cache.put(keys[path], outcome.svg)
    if prune:
        cache.prune(set(keys.values()))
    return result


@dataclass
class DiagramBuild:
    """Every diagram of a project: its PlantUML, and its SVG where one could be made."""

    sources: dict[str, str]
    result: RenderResult
    unavailable: str | None = None  # why nothing was rendered (no Java, no jar, ...)

    def files(self, output_format: str = "svg") -> dict[str, str]:
        """Files to write, sorted: `x.svg` for each diagram drawn; `x.puml` for every
        diagram with format `puml`, and for each that has no SVG with format `svg`."""
        out: dict[str, str] = {}
        for path, text in self.sources.items():
            svg = self.result.svgs.get(path)
            if output_format == "svg" and svg is not None:
                out[svg_path(path)] = svg
            else:
                out[path] = text
        return dict(sorted(out.items()))


def build_diagrams(
    project: Project, *, use_cache: bool = True, render: bool = True
) -> DiagramBuild:
    """Generate every diagram of `project` and render it to SVG through the project's
    cache (reqdsl.diagrams.cache, in the user's cache folder), which keeps only this
    build's entries. What a site builder calls: write `build.files()`, and warn once
    with `build.unavailable`."""
    sources = generate_diagrams(project)
    if not render:
        return DiagramBuild(sources, RenderResult())
    cache = SvgCache.for_project(project.root, enabled=use_cache)
    try:
        result = render_svgs(sources, cache=cache, prune=use_cache)
    except RenderUnavailable as error:
        return DiagramBuild(sources, RenderResult(), unavailable=str(error))
    return DiagramBuild(sources, result)


__all__ = [
    "DiagramBuild",
    "RenderResult",
    "RenderUnavailable",
    "build_diagrams",
    "render_svgs",
    "svg_path",
]

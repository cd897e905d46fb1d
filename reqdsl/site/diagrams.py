"""The one place where diagrams plug into the site.

`site_diagrams(project)` asks `reqdsl.diagrams` for every diagram, rendered to SVG
locally through its cache, and never fails the build: when PlantUML or Java is missing,
when the diagrams package is absent, or when one diagram cannot be drawn, the site shows
the PlantUML source and a note instead. Pages ask `SiteDiagrams.figure()` for a diagram by
its source path (`data-flow.puml`, `activity/ACT-LOGIN.puml`, ...).

SVGs are shipped as files and shown through `<img>`, where a browser runs no script and
loads nothing else; an SVG holding active markup (a script, an event handler, a link or a
style that leads outside the file: reqdsl.diagrams.svgcheck) is not shipped at all. The
check runs here too, on every SVG, since most come from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..i18n import N_, _
from ..model.project import Project
from .html import esc, relative_url

FOLDER = "diagrams"
_TITLES = {
    "use-cases": N_("Use cases"),
    "data-model": N_("Data model"),
    "components": N_("Components"),
    "data-flow": N_("Data flow"),
    "goals": N_("Goals"),
    "sequence": N_("Sequence"),
    "activity": N_("Activity"),
    "traceability": N_("Traceability"),
}


@dataclass
class SiteDiagrams:
    sources: dict[str, str] = field(default_factory=dict)  # `x.puml` -> PlantUML
    svgs: dict[str, str] = field(default_factory=dict)  # `x.puml` -> SVG text
    note: str | None = None  # why some or all diagrams are shown as source only
    failed: dict[str, str] = field(default_factory=dict)

    recording: set[str] | None = None  # see SiteIndex.recording

    def has(self, source: str) -> bool:
        if self.recording is not None:
            self.recording.add(f"fig:{source}")
        return source in self.sources

    def files(self) -> dict[str, str]:
        """SVG files to ship in the site's docs folder."""
        return {self.svg_page(path): svg for path, svg in sorted(self.svgs.items())}

    @staticmethod
    def svg_page(source: str) -> str:
        return f"{FOLDER}/{PurePosixPath(source).with_suffix('.svg')}"

    def title(self, source: str) -> str:
        stem = PurePosixPath(source).with_suffix("")
        group = _(_TITLES[stem.parts[0]]) if stem.parts[0] in _TITLES else stem.parts[0]
        return f"{group}: {stem.name}" if len(stem.parts) > 1 else group

    def figure(self, page: str, source: str, *, caption: str | None = None) -> str:
        """HTML showing one diagram from `page`: the SVG, else its PlantUML source."""
        if not self.has(source):
            return ""
        label = caption or self.title(source)
        if source in self.svgs:
            url = relative_url(page, self.svg_page(source))
            body = (
                f'<a href="{esc(url)}"><img src="{esc(url)}" alt="{esc(label)}" '
                f'loading="lazy" class="rq-diagram"></a>'
            )
        else:
            why = self.failed.get(source) or self.note or "not rendered"
            body = (
                f'<p class="rq-note">Diagram not rendered ({esc(why)}); its PlantUML '
                f'source:</p><pre class="rq-puml"><code>{esc(self.sources[source])}</code></pre>'
            )
        return f'<figure class="rq-figure">{body}<figcaption>{esc(label)}</figcaption></figure>'

    def of_group(self, group: str) -> list[str]:
        return [path for path in self.sources if PurePosixPath(path).parts[0] == group]


def site_diagrams(project: Project, *, render: bool = True, use_cache: bool = True) -> SiteDiagrams:
    """Every diagram of `project`; never raises (a failure becomes `note`). Without
    `render` nothing is generated at all (a large model's diagrams take seconds to
    generate even before PlantUML runs)."""
    if not render:
        return SiteDiagrams(note="diagrams turned off for this build (--no-diagrams)")
    try:
        from ..diagrams import build_diagrams
    except ImportError as error:  # an installation without the diagrams package
        return SiteDiagrams(note=f"diagrams are not available: {error}")
    try:
        build = build_diagrams(project, use_cache=use_cache)
    except Exception as error:  # a diagram bug must not cost reviewers the whole site
        return SiteDiagrams(note=f"diagrams failed: {type(error).__name__}: {error}")
    # Every SVG passed the structural check when PlantUML made it (diagrams.pipe), and
    # only such SVGs are cached: sealed, under a key that holds the digest of this code.
    result = SiteDiagrams(
        sources=dict(build.sources), svgs=dict(build.result.svgs), failed=dict(build.result.failed)
    )
    if build.unavailable is not None:
        result.note = build.unavailable
    if result.failed and result.note is None:
        result.note = f"{len(result.failed)} diagram(s) could not be rendered"
    return result

"""The Diagrams page: every diagram of the project, grouped by kind; the PlantUML source
with a note when a diagram could not be rendered on this machine."""

from __future__ import annotations

from pathlib import PurePosixPath

from ...i18n import N_, _
from ..context import SiteContext
from ..html import block, esc, front_matter, heading, md_text

PAGE = "diagrams.md"
TITLE = N_("Diagrams")
_GROUPS = (
    ("use-cases", "Use cases"),
    ("data-model", "Data model"),
    ("components", "Components"),
    ("data-flow", "Data flow"),
    ("goals", "Goals"),
    ("sequence", "Sequences"),
    ("activity", "Activities"),
    ("traceability", "Traceability"),
)


def diagrams_page(ctx: SiteContext) -> dict[str, str]:
    diagrams = ctx.diagrams
    parts = [front_matter(_(TITLE)), f"# {_(TITLE)}"]
    intro = (
        "<p>Drawn locally with PlantUML from the model; nothing is sent to a server. "
        "Click a diagram to open it at full size.</p>"
    )
    note = f'<p class="rq-note">{esc(diagrams.note)}</p>' if diagrams.note else ""
    parts.append(block(intro, note))
    if not diagrams.sources:
        if diagrams.note is None:
            parts.append(block('<p class="rq-muted">The model holds nothing to draw.</p>'))
        return {PAGE: "\n\n".join(parts) + "\n"}
    grouped: dict[str, list[str]] = {}
    for source in diagrams.sources:
        grouped.setdefault(PurePosixPath(source).with_suffix("").parts[0], []).append(source)
    known = [name for name, _ in _GROUPS]
    order = [*known, *sorted(set(grouped) - set(known))]
    titles = dict(_GROUPS)
    for group in order:
        if group not in grouped:
            continue
        parts.append(heading(2, md_text(titles.get(group, group)), f"_d-{group}"))
        for source in grouped[group]:
            stem = PurePosixPath(source).with_suffix("")
            caption = None
            if len(stem.parts) > 1:
                element = ctx.project.index.get(stem.name)
                title = f" {element.title}" if element is not None and element.title else ""
                caption = f"{stem.name}{title}"
            parts.append(block(diagrams.figure(PAGE, source, caption=caption)))
    return {PAGE: "\n\n".join(parts) + "\n"}

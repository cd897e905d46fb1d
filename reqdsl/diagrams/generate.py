"""Every diagram of a project as PlantUML: `{relative path: text}`.

Pure and deterministic (architecture: "generators are pure"): the same model gives the
same text, byte for byte, with no timestamps and no dependence on the machine, so that
snapshots are stable and the SVG cache (keyed by this text) is hit on every unchanged
diagram. A kind with nothing to draw produces no file.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.project import Project
from .activity import generate_activities
from .component import generate_components
from .dataflow import generate_data_flow
from .datamodel import generate_data_model
from .goals import generate_goals
from .sequence import generate_sequences
from .traceability import generate_traceability
from .usecase import generate_use_cases

Generator = Callable[[Project], dict[str, str]]

GENERATORS: tuple[Generator, ...] = (
    generate_use_cases,
    generate_data_model,
    generate_components,
    generate_data_flow,
    generate_sequences,
    generate_goals,
    generate_traceability,
    generate_activities,
)


def generate_diagrams(project: Project) -> dict[str, str]:
    """Relative path (`use-cases.puml`, `sequence/SC-BOOK.puml`, ...) -> PlantUML text,
    sorted by path."""
    from ..i18n import language

    found: dict[str, str] = {}
    # Titles and legends in the project's language, as its site and documents are.
    with language(project.config.language):
        for generator in GENERATORS:
            found.update(generator(project))
    return dict(sorted(found.items()))

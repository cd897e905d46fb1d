"""Diagrams of a French project speak French (issue 21): titles, legends and branch
labels are the catalogue's; the model's own words (IDs, stereotypes, a user's titles)
are as written. English projects keep their English diagrams byte for byte (the
snapshots of tests/test_diagrams_generate.py)."""

from __future__ import annotations

from pathlib import Path

from reqdsl.diagrams.generate import generate_diagrams
from reqdsl.i18n import current, language
from reqdsl.pipeline import Session

MAIRIE = Path(__file__).resolve().parents[1] / "samples" / "mairie"
CLINIC = Path(__file__).resolve().parents[1] / "samples" / "clinic"


def test_a_french_projects_diagrams_are_in_french_whatever_the_caller_speaks() -> None:
    project = Session(MAIRIE, use_cache=False).check().project
    with language("en"):
        diagrams = generate_diagrams(project)
        assert current() == "en"  # the caller's language is left as it was
    trace = diagrams["traceability/SYRS.puml"]
    assert "title Traçabilité : SYRS" in trace
    assert "(menaces, décisions)" in trace and "|= flèche |= lien |" in trace
    assert "Traceability" not in trace and "arrow" not in trace
    flow = diagrams["data-flow.puml"]
    assert "flux de données et menaces" in flow and "frontière de confiance" in flow
    assert "notation |= meaning" not in flow and "data store" not in flow


def test_an_english_project_keeps_english_diagrams_on_a_french_machine() -> None:
    project = Session(CLINIC, use_cache=False).check().project
    with language("fr"):
        diagrams = generate_diagrams(project)
    assert "title Traceability: SRS" in diagrams["traceability/SRS.puml"]
    assert "|= notation |= meaning |" in diagrams["data-flow.puml"]

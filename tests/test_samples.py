"""The bundled samples are what a new user runs first: each checks clean with --strict,
the three full samples are real-sized, and together they use every construct of the
language (every element kind, field, enumeration value, attribute form and step kind).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache

import pytest

from reqdsl.model.elements import ModelElement
from reqdsl.model.project import Project, load_project
from reqdsl.model.schema import (
    ATTRIBUTE_FLAGS,
    BOOLEAN_WORDS,
    COMMON_FIELDS,
    KIND_FIELDS,
    PRIMITIVE_TYPES,
)
from reqdsl.parse.syntax import ActivityStep, Fragment, Message, Note, Step

from .conftest import ROOT, run_reqdsl

SAMPLES = ROOT / "samples"
FULL_SAMPLES = ("clinic", "sso-gateway", "payments")
ALL_SAMPLES = (*FULL_SAMPLES, "quickstart", "mairie")  # mairie: in French (issue 21)
# The grammar gives `section` and `text` no field block: they hold items, not fields.
KINDS_WITHOUT_FIELDS = {"section", "text"}


@cache
def project(name: str) -> Project:
    return load_project(SAMPLES / name, use_cache=False)


def elements() -> Iterator[ModelElement]:
    for name in ALL_SAMPLES:
        yield from project(name).elements


def written(element: ModelElement, field: str) -> list[str]:
    """The values of a field as written (empty when the field is absent)."""
    if not element.has(field):
        return []
    return [value.raw for value in element.refs(field)]


def walk(steps: list[Step]) -> Iterator[tuple[Step, int]]:
    """Every step with its nesting depth (0 at the top of the scenario or activity)."""
    stack = [(step, 0) for step in reversed(steps)]
    while stack:
        step, depth = stack.pop()
        yield step, depth
        for branch in reversed(getattr(step, "branches", []) or []):
            stack.extend((inner, depth + 1) for inner in reversed(branch.steps))


def test_the_samples_exist() -> None:
    found = {path.name for path in SAMPLES.iterdir() if (path / "reqdsl.toml").is_file()}
    assert set(ALL_SAMPLES) <= found


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_sample_checks_clean_with_strict(name: str) -> None:
    result = run_reqdsl("check", "--strict", "--no-cache", "--format", "json", str(SAMPLES / name))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["diagnostics"] == []
    summary = report["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (0, 0, 0)


@pytest.mark.parametrize("name", FULL_SAMPLES)
def test_full_sample_has_at_least_40_elements(name: str) -> None:
    # Documents and sections do not count: 40 requirements, models, threats, tests...
    counted = [e for e in project(name).elements if e.id and e.kind not in ("document", "section")]
    assert len(counted) >= 40


@pytest.mark.parametrize("name", FULL_SAMPLES)
def test_full_sample_follows_the_29148_outlines(name: str) -> None:
    """One document per level (StRS, SyRS, SRS), each saying its purpose and scope."""
    documents = project(name).of_kind("document")
    levels = {}
    for document in documents:
        level = document.word("level")
        if level:
            levels[level] = document
    assert set(levels) == {"stakeholder", "system", "software"}
    for document in levels.values():
        assert document.has("purpose") and document.has("scope"), document.id


def test_samples_use_every_element_kind() -> None:
    used = {e.kind for e in elements()}
    assert set(KIND_FIELDS) - used == set()


def test_samples_use_every_field_of_every_kind() -> None:
    missing = []
    for kind, fields in KIND_FIELDS.items():
        if kind in KINDS_WITHOUT_FIELDS:
            continue
        of_kind = [e for e in elements() if e.kind == kind]
        for spec in fields:
            if not any(e.has(spec.name) for e in of_kind):
                missing.append(f"{kind}.{spec.name}")
    assert missing == []


def test_samples_use_the_common_fields() -> None:
    for spec in COMMON_FIELDS:
        assert any(e.has(spec.name) for e in elements()), spec.name


def test_samples_use_every_enumeration_value() -> None:
    missing = []
    for kind, fields in KIND_FIELDS.items():
        for spec in fields:
            if spec.kind != "enum":
                continue
            used = {v for e in elements() if e.kind == kind for v in written(e, spec.name)}
            missing += [f"{kind}.{spec.name}: {v}" for v in spec.values if v not in used]
    assert missing == []


def test_samples_write_every_boolean_word() -> None:
    used = {
        v
        for e in elements()
        if e.kind == "flow"
        for field in ("encrypted", "authenticated")
        for v in written(e, field)
    }
    assert used == set(BOOLEAN_WORDS)


def test_samples_use_every_attribute_form() -> None:
    data = [e for e in elements() if e.kind == "data"]
    data_ids = {e.id for e in data}
    attributes = [a for e in data for a in e.attributes]
    assert {a.type for a in attributes} >= set(PRIMITIVE_TYPES)
    assert any(a.type in data_ids for a in attributes), "an association to another data"
    assert {f.name for a in attributes for f in a.flags} == set(ATTRIBUTE_FLAGS)
    shapes = {re.sub(r"\s", "", a.multiplicity) for a in attributes if a.multiplicity}
    assert {"[1]", "[0..1]", "[*]", "[1..*]", "[0..*]"} <= shapes
    assert any(re.fullmatch(r"\[[1-9]\d*\.\.[1-9]\d*\]", s) for s in shapes), "a bounded range"
    assert any(a.multiplicity and a.flags for a in attributes), "multiplicity and flags"


def test_samples_use_every_scenario_step() -> None:
    steps = [
        (step, depth) for e in elements() if e.kind == "scenario" for step, depth in walk(e.steps)
    ]
    messages = [s for s, _ in steps if isinstance(s, Message)]
    assert any(not m.reply for m in messages) and any(m.reply for m in messages)
    assert any(m.via for m in messages) and any(not m.via for m in messages)
    fragments = [s for s, _ in steps if isinstance(s, Fragment)]
    assert {f.kind for f in fragments} == {"alt", "opt", "loop"}
    alts = [f for f in fragments if f.kind == "alt"]
    assert any(len(f.branches) >= 3 for f in alts), "alt with several else branches"
    elses = [b for f in alts for b in f.branches if b.keyword == "else"]
    assert any(b.guard for b in elses) and any(not b.guard for b in elses)
    assert any(isinstance(s, Note) for s, _ in steps)
    assert any(isinstance(s, Fragment) and d > 0 for s, d in steps), "nested fragments"


def test_samples_use_every_activity_step() -> None:
    steps = [
        (step, depth) for e in elements() if e.kind == "activity" for step, depth in walk(e.steps)
    ]
    activity = [s for s, _ in steps if isinstance(s, ActivityStep)]
    assert {s.kind for s in activity} >= {"start", "stop", "action", "if", "fork", "while"}
    actions = [s for s in activity if s.kind == "action"]
    assert any(s.by for s in actions) and any(not s.by for s in actions)
    ifs = [s for s in activity if s.kind == "if"]
    elses = [b for s in ifs for b in s.branches if b.keyword == "else"]
    assert any(b.guard for b in elses) and any(not b.guard for b in elses)
    assert any(len(s.branches) >= 3 for s in ifs), "if with several else branches"
    assert any(len(s.branches) >= 3 for s in activity if s.kind == "fork"), "fork, and, and"
    assert any(isinstance(s, Note) for s, _ in steps)
    assert any(isinstance(s, ActivityStep) and s.kind == "if" and d > 0 for s, d in steps)


def test_samples_use_decision_matrices_fully() -> None:
    decisions = [e for e in elements() if e.kind == "decision"]
    options = [e for e in elements() if e.kind == "option"]
    assert any(written(d, "supersedes") for d in decisions)
    assert any(len(o.scores) >= 3 for o in options)
    # a chosen option that is not the best weighted total, explained by a rationale (DE003)
    assert any(written(d, "chosen") and written(d, "rationale") for d in decisions)


def test_a_sample_declares_a_custom_catalogue_and_custom_fields() -> None:
    payments = project("payments")
    assert "pci-dss" in payments.config.catalogs
    assert payments.config.custom_fields["requirement"]["pci-scope"] == (
        "cde",
        "connected",
        "out-of-scope",
    )
    requirements = payments.of_kind("requirement")
    assert any(r.custom.get("pci-scope") for r in requirements)
    assert any(r.custom.get("ticket") for r in requirements)
    assert any(v.startswith("pci-dss:") for r in requirements for v in written(r, "compliance"))


def test_quickstart_is_what_the_tutorial_ends_with() -> None:
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    quickstart = project("quickstart")
    for element in quickstart.elements:
        if element.kind in ("requirement", "test", "review") and element.id:
            assert element.id in tutorial, f"{element.id} is not in docs/tutorial.md"


def test_samples_are_in_the_canonical_layout() -> None:
    result = run_reqdsl("fmt", "--check", str(SAMPLES))
    assert result.returncode == 0, result.stdout + result.stderr

"""Facts belong to the model, codes to the registry (issue 18, part 3).

Pages, reports, diagrams, exports and the language server read the model's facts
(reqdsl.model.facts) and never load a rule family; every link field has its forward and
inverse label once (reqdsl.model.schema); every diagnostic is made by one function that
knows the rule registry and applies the configured severity.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

# Presentation and exchange layers: none may register a rule by being imported.
PRESENTATION_PACKAGES = (
    "reqdsl.site",
    "reqdsl.reports",
    "reqdsl.interop",
    "reqdsl.diagrams",
    "reqdsl.lsp",
)


def test_importing_pages_reports_diagrams_interop_lsp_registers_no_rule() -> None:
    # A fresh interpreter: this test process has long loaded the rule families.
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        imported = []
        for name in {PRESENTATION_PACKAGES!r}:
            package = importlib.import_module(name)
            imported.append(name)
            for module in pkgutil.walk_packages(package.__path__, name + "."):
                importlib.import_module(module.name)
                imported.append(module.name)
        assert len(imported) > 40, imported
        rule_modules = sorted(
            m for m in sys.modules
            if m.startswith("reqdsl.checks.") and m != "reqdsl.checks.registry"
        )
        registry = sys.modules.get("reqdsl.checks.registry")
        rules = sorted(registry.RULES) if registry is not None else []
        print("rule modules:", rule_modules)
        print("rules:", rules)
        assert not rule_modules and not rules
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _kind_with(field_name: str) -> str:
    from reqdsl.model.schema import FIELD_SPECS

    return next(kind for kind, specs in FIELD_SPECS.items() if field_name in specs)


def test_the_site_and_the_hover_label_every_back_link_alike(tmp_path: Path) -> None:
    # One target, and one element linking to it through each field the hover shows
    # back-links of (wrong kinds included: links count as written).
    from reqdsl.lsp.hover import element_hover
    from reqdsl.model.schema import INVERSE_LABELS, TRACE_FIELDS
    from reqdsl.pipeline import check_project
    from reqdsl.site.context import SiteContext
    from reqdsl.site.diagrams import SiteDiagrams
    from reqdsl.site.elements import incoming_rows
    from reqdsl.site.junit import test_results as shown_results  # not a test

    lines = ['document D "D" { level: system }', 'requirement TGT "Target" { statement: "x" }']
    for number, field_name in enumerate(TRACE_FIELDS):
        lines.append(f'{_kind_with(field_name)} L-{number} "Link" {{ {field_name}: TGT }}')
    (tmp_path / "d.req").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project, diagnostics, summary = check_project(tmp_path, use_cache=False)
    target = project.index["TGT"]
    ctx = SiteContext(project, diagnostics, summary, SiteDiagrams(), shown_results(None))
    site = {label: html for label, html in incoming_rows(ctx, "documents/D.md", target)}
    hover = element_hover(project, target).split("**Linked from:** ", 1)[1].split("\n")[0]
    hover_labels = {part.rsplit(" `", 1)[0]: part for part in hover.split("; ")}
    for number, field_name in enumerate(TRACE_FIELDS):
        label = INVERSE_LABELS[field_name]
        assert f"L-{number}" in site[label], (field_name, site)
        assert hover_labels[label] == f"{label} `L-{number}`", (field_name, hover)


def test_every_link_field_has_one_inverse_label() -> None:
    from reqdsl.model.schema import FIELD_SPECS, INVERSE_LABELS

    link_fields = {
        name
        for specs in FIELD_SPECS.values()
        for name, spec in specs.items()
        if spec.kind in ("ref", "pairs")
    }
    assert sorted(link_fields - set(INVERSE_LABELS)) == []
    assert len(set(INVERSE_LABELS.values())) == len(INVERSE_LABELS)  # no two read alike


# ---------------------------------------------------------------- one emit function
def test_emit_refuses_a_code_no_rule_owns() -> None:
    from reqdsl.checks.registry import emit
    from reqdsl.source import Span

    with pytest.raises(KeyError, match="ZZ999"):
        emit("ZZ999", "made up", "a.req", Span(0, 0, 1, 1, 1, 1))


def test_emit_gives_the_rules_default_severity() -> None:
    from reqdsl.checks.registry import emit
    from reqdsl.diagnostics import Severity
    from reqdsl.source import Span

    made = emit("TR006", "an info by default", "a.req", Span(0, 0, 1, 1, 1, 1))
    assert (made.code, made.severity) == ("TR006", Severity.INFO)  # as `reqdsl rules` says


def _calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name):
                name = function.id
            if name is not None:
                yield name, node


def test_no_code_is_written_by_hand_outside_the_rule_that_owns_it() -> None:
    # Every diagnostic is made by `emit` (reqdsl/checks/registry.py); a code written as a
    # literal names a registered rule, in that rule's own module, or, for a code found
    # while loading (at_load: SY001, SM001-SM005), where loading finds it.
    from reqdsl.checks.registry import RULES, all_rules

    all_rules()
    package = Path(__file__).resolve().parent.parent / "reqdsl"
    code = re.compile(r"[A-Z]{2}\d{3}")
    wrong: list[str] = []
    emitted: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package.parent).as_posix()
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            first = call.args[0] if call.args else None
            literal = first.value if isinstance(first, ast.Constant) else None
            # (lsprotocol's `types.Diagnostic` is the language server's rendering of one)
            ours = name == "Diagnostic" and isinstance(call.func, ast.Name)
            if ours and where != "reqdsl/checks/registry.py":
                wrong.append(f"{where}:{call.lineno}: Diagnostic(...) made outside emit")
            if name != "emit" or not isinstance(literal, str) or not code.fullmatch(literal):
                continue
            emitted.add(literal)
            owner = RULES.get(literal)
            if owner is None:
                wrong.append(f"{where}:{call.lineno}: {literal} is no rule's code")
                continue
            module = owner.check.__module__.replace(".", "/") + ".py"
            if where != module and not (owner.at_load and not where.startswith("reqdsl/checks/")):
                wrong.append(f"{where}:{call.lineno}: {literal} belongs to {module}")
    assert wrong == []
    # The load-time codes are all emitted where loading finds them (the scan is not empty).
    assert {c for c, r in RULES.items() if r.at_load} <= emitted


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BAD_FIELD = 'document D "D" { level: system }\nrequirement R-1 "One" {\n    statement: "The system shall start."\n    priorty: must\n}\n'


@pytest.mark.parametrize("tolerant", [False, True], ids=["at-once", "file-at-a-time"])
def test_a_configured_severity_applies_to_a_load_time_code_exactly_once(
    tmp_path: Path, tolerant: bool
) -> None:
    from reqdsl.diagnostics import Severity
    from reqdsl.pipeline import Session

    config = '[checks]\nseverity = { SM004 = "warning" }\n'
    folder = _write(tmp_path, {"d.req": BAD_FIELD, "reqdsl.toml": config})
    session = Session(folder, use_cache=False)
    for _ in range(2):  # a second run (the language server's recheck) grades it again
        if tolerant:
            session.open_files()
            checked = session.recheck()
        else:
            checked = session.check()
        found = [d for d in checked.diagnostics if d.code == "SM004"]
        assert [(d.severity, d.line) for d in found] == [(Severity.WARNING, 4)]
        others = [d for d in checked.diagnostics if d.code != "SM004"]
        assert all(d.severity is not Severity.ERROR for d in others)
        summary = checked.summary()
        assert (summary.errors, summary.warnings) == (
            0,
            1 + sum(d.severity is Severity.WARNING for d in others),
        )


def test_a_disabled_load_time_code_is_not_reported(tmp_path: Path) -> None:
    from reqdsl.pipeline import check_project

    config = '[checks]\ndisable = ["SM004"]\n'
    folder = _write(tmp_path, {"d.req": BAD_FIELD, "reqdsl.toml": config})
    _, diagnostics, _ = check_project(folder, use_cache=False)
    assert [d.code for d in diagnostics if d.code == "SM004"] == []

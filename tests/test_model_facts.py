"""Facts belong to the model, codes to the registry (issue 18, part 3).

Pages, reports, diagrams, exports and the language server read the model's facts
(reqdsl.model.facts) and never load a rule family; every link field has its forward and
inverse label once (reqdsl.model.schema); every diagnostic is made by one function that
knows the rule registry and applies the configured severity.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
    from reqdsl.site.junit import load_junit

    lines = ['document D "D" { level: system }', 'requirement TGT "Target" { statement: "x" }']
    for number, field_name in enumerate(TRACE_FIELDS):
        lines.append(f'{_kind_with(field_name)} L-{number} "Link" {{ {field_name}: TGT }}')
    (tmp_path / "d.req").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project, diagnostics, summary = check_project(tmp_path, use_cache=False)
    target = project.index["TGT"]
    ctx = SiteContext(project, diagnostics, summary, SiteDiagrams(), load_junit([]))
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

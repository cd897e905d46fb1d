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

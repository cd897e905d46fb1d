"""The docs are part of the product: generated pages are up to date, the site builds."""

from __future__ import annotations

import json

from .conftest import ROOT, run_reqdsl

SPEC_CODES = (
    ["SY001"]
    + [f"SM00{i}" for i in range(1, 9)]
    + [f"QU00{i}" for i in range(1, 8)]
    + [f"TR00{i}" for i in range(1, 5)]
    + [f"GD00{i}" for i in range(1, 7)]
    + [f"TM00{i}" for i in range(1, 7)]
    + [f"DE00{i}" for i in range(1, 5)]
    + ["RV001"]
)


def test_rule_reference_page_is_generated_from_the_rules() -> None:
    generated = run_reqdsl("rules", "--format", "markdown").stdout
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == generated, "run: reqdsl rules --format markdown > docs/rules.md"


def test_every_spec_code_is_a_documented_rule() -> None:
    rules = {
        r["code"]: r for r in json.loads(run_reqdsl("rules", "--format", "json").stdout)["rules"]
    }
    assert set(SPEC_CODES) <= set(rules)
    for code in SPEC_CODES:
        rule = rules[code]
        assert rule["name"].count(".") == 1, code
        assert rule["severity"] in ("error", "warning", "info")
        for key in ("description", "why", "example", "fix", "reference"):
            assert len(rule[key]) >= 10, f"{code} has no {key}"

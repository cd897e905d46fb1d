"""The JSON rendering of diagnostics (`reqdsl check --format json`, spec section 5)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..diagnostics import Diagnostic, Summary


def render_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """`{"diagnostics": [...], "summary": {...}}`, indented by 2, ending with a newline."""
    report = {
        "diagnostics": [diagnostic.to_json() for diagnostic in diagnostics],
        "summary": summary.to_json(),
    }
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"

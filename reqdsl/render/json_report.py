"""The JSON rendering of diagnostics (`reqdsl check --format json`, spec section 5)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from ..diagnostics import Diagnostic, Summary
from ..util.batches import batches


def render_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """`{"diagnostics": [...], "summary": {...}}`, ending with a newline: the object
    indented by 2, one diagnostic per line. (Indenting every key of every diagnostic
    makes `json` use its pure-Python encoder: half the time of an unchanged `reqdsl
    check` at 10,000 diagnostics; one line each uses the C encoder and diffs as well.)"""
    return "".join(json_report_pieces(diagnostics, summary))


def json_report_pieces(diagnostics: Sequence[Diagnostic], summary: Summary) -> Iterator[str]:
    """`render_json`'s text a batch of diagnostics at a time (reqdsl.util.batches), for
    a writer that writes each as it comes: the whole text of 170,000 diagnostics is 50
    MB, made of as many strings again, above the checked model (docs/performance.md)."""
    dumps = json.dumps
    yield '{\n  "diagnostics": '
    if diagnostics:
        yield "[\n"
        for number, batch in enumerate(batches(diagnostics)):
            items = ",\n".join(
                f"    {dumps(diagnostic.to_json(), ensure_ascii=False)}" for diagnostic in batch
            )
            yield items if number == 0 else ",\n" + items
        yield "\n  ]"
    else:
        yield "[]"
    totals = json.dumps(summary.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    yield f',\n  "summary": {totals}\n}}\n'

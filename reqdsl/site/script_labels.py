"""The words the site's scripts add to a page (tables.js: sort, filter, "gaps only", the
column chooser; diagram-viewer.js: its help line), as gettext messages: each site ships
them in its project's language as `assets/reqdsl/labels.js`, which the scripts read.

The file is data the scripts read (`window.reqdslLabels`), made by `json.dumps` from
these constant messages and their translations: no user text is in it.
"""

from __future__ import annotations

import json

from ..i18n import N_, format_count, gettext

SCRIPT_LABELS: dict[str, str] = {
    "sort": N_("Sort by this column"),
    "filter": N_("Filter rows"),
    "only": N_("Only this {name}"),
    "every": N_("every {name}"),
    "gapsOnly": N_("gaps only"),
    "rows": N_("{n} rows"),
    "someRows": N_("{shown} of {n} rows"),
    "columns": N_("Columns"),
    "diagram": N_("Diagram, full size"),
    "viewerHelp": N_(
        "Drag or arrow keys to pan, wheel or +/- to zoom, 0 fit, 1 actual size, Esc close"
    ),
}


def labels_script() -> str:
    """`labels.js` in the current language."""
    labels = {key: gettext(text) for key, text in SCRIPT_LABELS.items()}
    # The row counter's digit grouping, from the one count formatter; English groups
    # nothing and its labels.js stays as it was (the script reads a missing one as "").
    group = format_count(1000).strip("0123456789")
    if group:
        labels["group"] = group
    data = json.dumps(labels, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")
    return f"window.reqdslLabels = {data};\n"

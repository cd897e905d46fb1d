"""The static files every site ships under `assets/reqdsl/`: styles, the table script and
a local copy of the MIT `iframe-worker` shim (see generators/site/README.md), found
through `shipped_dir` so that a wheel and a checkout behave the same."""

from __future__ import annotations

from functools import cache

from ..resources import shipped_dir

FOLDER = "assets/reqdsl"
STYLES = f"{FOLDER}/reqdsl.css"
SCRIPT = f"{FOLDER}/tables.js"
# The words the scripts show, in the site's language (reqdsl/site/script_labels.py).
LABELS = f"{FOLDER}/labels.js"
# Opens a diagram full size with pan and zoom (generators/site/assets/diagram-viewer.js).
VIEWER = f"{FOLDER}/diagram-viewer.js"
# The name must contain `iframe-worker`: Material's offline plugin then adds no unpkg.com
# copy of its own.
SHIM = f"{FOLDER}/iframe-worker-shim.js"


@cache
def site_assets() -> dict[str, str]:
    """`assets/reqdsl/<name>` -> text, for every file shipped in generators/site/assets."""
    folder = shipped_dir("generators") / "site" / "assets"
    return {
        f"{FOLDER}/{path.name}": path.read_text(encoding="utf-8")
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }

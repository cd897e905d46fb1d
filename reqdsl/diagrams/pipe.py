"""Rendering a batch of PlantUML texts to SVG in one Java process.

A JVM start costs about a second; PlantUML's `-pipe` mode then renders each diagram in
tens of milliseconds. So every diagram of a build goes through one process (a very large
build through one per core, at most four): the texts are written to its standard input
one after the other, and its output is split on a delimiter that PlantUML prints right
after each `</svg>`. The delimiter is random per
run, so no label (which may end up in an SVG) can forge it.

PlantUML runs sandboxed (`PLANTUML_SECURITY_PROFILE=SANDBOX`: no `!include` of files or
URLs, no `%load_json`, no `<img:...>` of local files), headless, without metadata, with
the Smetana layout (no Graphviz), with the fonts reqdsl ships, in an empty temporary
folder. A diagram PlantUML cannot draw comes back as an image of the error (or its
"Welcome to PlantUML" page); those are recognised and reported, never passed on, and so
is an SVG holding active markup (reqdsl.diagrams.svgcheck).
"""

from __future__ import annotations

import html
import os
import re
import secrets
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .fonts import write_fontconfig
from .runtime import RenderUnavailable, Runtime
from .svgcheck import svg_problem

_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_LINE_MARK = re.compile(r"\[From string \(line (\d+)\) \]")
BASE_SECONDS = 60.0
SECONDS_PER_DIAGRAM = 10.0
LARGE_BATCH = 400_000  # characters of PlantUML
MAX_PROCESSES = 4


@dataclass(frozen=True)
class Outcome:
    """One diagram's result: its SVG, or why there is none."""

    svg: str | None = None
    error: str | None = None


def command(
    runtime: Runtime, fontconfig: Path, workdir: Path, delimiter: str, *, quick: bool = True
) -> list[str]:
    # A typical build is a short run: the C1 compiler alone halves its time (measured: 16
    # diagrams in 2.7-3.2 s instead of 5.0 s). Large graphs gain from the full JIT
    # (C2 is about 25 % faster on 280-node graphs), so a large batch keeps it.
    jit = ["-XX:TieredStopAtLevel=1"] if quick else []
    return [
        str(runtime.java),
        *jit,
        "-Djava.awt.headless=true",
        f"-Dsun.awt.fontconfig={fontconfig}",
        "-DPLANTUML_SECURITY_PROFILE=SANDBOX",
        "-DPLANTUML_LIMIT_SIZE=16384",
        f"-Djava.util.prefs.userRoot={workdir}",
        "-Dfile.encoding=UTF-8",
        "-jar",
        str(runtime.jar),
        "-pipe",
        "-tsvg",
        "-nometadata",
        "-Playout=smetana",
        "-charset",
        "UTF-8",
        "-pipedelimitor",
        delimiter,
    ]


def _texts(svg: str) -> list[str]:
    return [html.unescape(text).replace("\xa0", " ").strip() for text in _TEXT.findall(svg)]


def diagnose(svg: str) -> str | None:
    """None for a real diagram; for PlantUML's error and welcome images, what went wrong."""
    texts = [text for text in _texts(svg) if text]
    crashed = any("has crashed" in text for text in texts)
    welcome = "Welcome to PlantUML!" in texts
    if not crashed and not welcome and "data-diagram-type=" in svg:
        problem = svg_problem(svg)  # active markup, judged by structure (see svgcheck)
        return None if problem is None else f"the SVG {problem}; refused"
    if crashed:
        return "PlantUML crashed: " + (texts[0] if texts else "no message")
    line = next((match.group(1) for text in texts if (match := _LINE_MARK.search(text))), None)
    if line is None:
        return "PlantUML found no diagram (an empty diagram, or a blocked `!include`)"
    return f"PlantUML error at line {line}: {texts[-1]}"


def _failure(process: subprocess.CompletedProcess[bytes]) -> str:
    lines = [line.strip() for line in process.stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("at ")]
    detail = "; ".join(lines[-3:]) if lines else f"exit status {process.returncode}"
    return f"Java could not run PlantUML: {detail}"


def render_batch(runtime: Runtime, texts: list[str]) -> list[Outcome]:
    """One outcome per text, in order. RenderUnavailable when Java does not start or
    PlantUML produces nothing at all (a broken Java, a corrupt jar, no fonts).

    One JVM renders the whole batch; only a large batch (LARGE_BATCH characters of
    PlantUML and more, as a 10,000-requirement project makes) is shared out among up to
    MAX_PROCESSES JVMs, one per core."""
    if not texts:
        return []
    if sum(map(len, texts)) < LARGE_BATCH:
        return _render_in_one_jvm(runtime, texts, quick=True)
    workers = min(MAX_PROCESSES, os.cpu_count() or 1, len(texts))
    shares = _share_out(texts, workers)
    outcomes: list[Outcome | None] = [None] * len(texts)
    with ThreadPoolExecutor(workers) as pool:
        results = pool.map(
            lambda share: _render_in_one_jvm(runtime, [texts[i] for i in share], quick=False),
            shares,
        )
        for share, result in zip(shares, results, strict=True):
            for index, outcome in zip(share, result, strict=True):
                outcomes[index] = outcome
    return [outcome or Outcome(error="not rendered") for outcome in outcomes]


def _share_out(texts: list[str], workers: int) -> list[list[int]]:
    """Indices of `texts` in `workers` shares of about equal size (largest first into the
    lightest share), each in the original order."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += len(texts[index])
    return [sorted(share) for share in shares if share]


def _render_in_one_jvm(runtime: Runtime, texts: list[str], *, quick: bool) -> list[Outcome]:
    delimiter = "reqdsl-" + secrets.token_hex(16)
    source = "".join(text if text.endswith("\n") else text + "\n" for text in texts)
    timeout = BASE_SECONDS + SECONDS_PER_DIAGRAM * len(texts)
    with tempfile.TemporaryDirectory(prefix="reqdsl-plantuml-") as folder:
        workdir = Path(folder)
        fontconfig = write_fontconfig(workdir)
        environ = dict(os.environ, PLANTUML_SECURITY_PROFILE="SANDBOX")
        try:
            process = subprocess.run(
                command(runtime, fontconfig, workdir, delimiter, quick=quick),
                input=source.encode("utf-8"),
                capture_output=True,
                cwd=workdir,
                env=environ,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RenderUnavailable(
                f"PlantUML did not finish {len(texts)} diagrams within {timeout:.0f} s"
            ) from None
        except OSError as error:
            raise RenderUnavailable(
                f"cannot start Java `{runtime.java}` (from {runtime.java_from}): "
                f"{error.strerror or error}"
            ) from None
    output = process.stdout.decode("utf-8", "replace")
    parts = output.split(delimiter)[: len(texts)] if delimiter in output else []
    if not parts:
        raise RenderUnavailable(_failure(process))
    outcomes = []
    for part in parts:
        svg = part.strip()
        problem = diagnose(svg)
        outcomes.append(Outcome(svg=svg) if problem is None else Outcome(error=problem))
    missing = Outcome(error=_failure(process) + " (stopped before this diagram)")
    outcomes.extend(missing for _ in range(len(texts) - len(outcomes)))
    return outcomes

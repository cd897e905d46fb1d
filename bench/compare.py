"""Compare reqdsl with StrictDoc, Doorstop, Sphinx-Needs and TRLC on one workload.

    python bench/compare.py --sizes 1000,10000 --runs 3
    python bench/compare.py --sizes 1000 --runs 1 --tools reqdsl --reqdsl-no-diagrams

One command: it writes the same logical requirement set (bench/peers/gen.py, seed 1)
in each tool's native format, creates each peer's virtual environment on first use
(pinned versions, kept in --venvs and reused), primes Doorstop, times every operation
in a fresh process with its peak memory (bench/peers/bench.py), and prints one Markdown
table per size: operation rows, tool columns, median wall seconds, and the ratio
"best peer / reqdsl" (above 1: reqdsl is faster). Every run is also appended to a JSON
lines file. A run that exceeds --timeout is killed and shown as "> T s".

`--report FILE` prints the tables of an earlier JSON lines file without running anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


model_gen = _load("bench_peers_gen", PEERS / "gen.py")
harness = _load("bench_peers_bench", PEERS / "bench.py")

TOOLS = ["reqdsl", "trlc", "strictdoc", "doorstop", "sphinx"]
PEER_NAMES = {
    "trlc": "TRLC",
    "strictdoc": "StrictDoc",
    "doorstop": "Doorstop",
    "sphinx": "Sphinx-Needs",
}
# The versions measured in bench/peers/RESULTS.md.
PINS = {
    "strictdoc": ["strictdoc==0.30.4"],
    "doorstop": ["doorstop==3.2"],
    "sphinx": ["sphinx-needs==9.1.0", "sphinx==9.0.4"],
    "trlc": ["trlc==3.1.1"],
}
DEFAULT_VENVS = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / (
    "reqdsl-bench/venvs"
)

# (row label, operation in the JSON lines, what a peer without it falls back to)
ROWS = [
    ("check, cold", "validate", None),
    ("check, warm cache", "validate-warm-cache", "validate"),
    ("HTML build, full", "html", None),
    ("HTML rebuild, nothing changed", "html-noop-rebuild", "html"),
    ("HTML rebuild, one statement edited", "html-incremental-1-edit", "html"),
]
# (row label, operation, the peers' operation its best-peer ratio is taken against)
EXTRA_ROWS = [
    ("reqdsl build --no-diagrams, full", "html-no-diagrams", "html"),
    ("Doorstop default `doorstop` (reformat + git add)", "validate-default", None),
]
MEMORY_ROWS = [
    ("peak RSS MB, check cold", "validate"),
    ("peak RSS MB, HTML build full", "html"),
]
# In the table, Doorstop's check is `doorstop -F` (the checks alone); its default
# command also rewrites every item file and runs `git add` on each (a row of its own).
# The JSON lines keep bench.py's names (validate = the default command).
DOORSTOP_RENAME = {"validate-no-reformat": "validate", "validate": "validate-default"}
# ops that need the state the previous op left behind
NEEDS = {
    "validate-warm-cache": "validate",
    "html-noop-rebuild": "html",
    "html-incremental-1-edit": "html",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- tools


def reqdsl_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    script = Path(sys.executable).with_name("reqdsl")
    if script.exists():
        return [str(script)]
    found = shutil.which("reqdsl")
    return [found] if found else [sys.executable, "-m", "reqdsl.cli"]


def reqdsl_version(command: list[str]) -> str:
    out = subprocess.run([*command, "--version"], capture_output=True, text=True)
    version = (out.stdout or out.stderr).strip().split()[-1] if out.returncode == 0 else "?"
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", "reqdsl"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if commit and dirty:
        commit += " + uncommitted changes in reqdsl/"
    return f"reqdsl {version}" + (f" (commit {commit})" if commit else "")


def ensure_venv(tool: str, venvs: Path) -> Path:
    """The peer's venv with the pinned versions, created on first use; return its bin/."""
    venv = venvs / tool
    marker = venv / ".bench-pins"
    wanted = " ".join(PINS[tool])
    if marker.is_file() and marker.read_text().strip() == wanted:
        return venv / "bin"
    if venv.exists():
        shutil.rmtree(venv)
    venvs.mkdir(parents=True, exist_ok=True)
    log(f"installing {wanted} into {venv} (once; later runs reuse it)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install_log = venvs / f"{tool}-install.log"
    with open(install_log, "w") as out:
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", *PINS[tool]],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        raise SystemExit(f"installing {wanted} failed, see {install_log}")
    marker.write_text(wanted + "\n")
    return venv / "bin"


def graphviz_ready(install: bool) -> bool:
    """Whether `dot` is there for Sphinx-Needs' needflow page; installs it only when asked."""
    if shutil.which("dot"):
        return True
    if not install:
        log(
            "graphviz's `dot` is not installed: the Sphinx-Needs data set leaves out its "
            "needflow page (Debian package graphviz; --install-graphviz installs it with apt-get)"
        )
        return False
    log("installing graphviz: apt-get install -y graphviz")
    subprocess.run(["apt-get", "install", "-y", "-q", "graphviz"], check=True)
    return shutil.which("dot") is not None


# ---------------------------------------------------------------- running


def generate(n: int, seed: int, data: Path, tools: list[str], needflow: bool) -> dict:
    docs = model_gen.build_model(n, seed)
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for tool in tools:
        if tool == "sphinx":
            model_gen.write_sphinx(docs, str(data / tool), needflow=needflow)
        else:
            model_gen.WRITERS[tool](docs, str(data / tool))
    sys1 = next(d for d in docs if d["prefix"] == "SYS001")["sections"][0]["reqs"][0]
    summary = {
        "n": sum(len(s["reqs"]) for d in docs for s in d["sections"]),
        "documents": len(docs),
        "links": sum(len(r["links"]) for d in docs for s in d["sections"] for r in s["reqs"]),
        "seed": seed,
        "edit_target": {"doc": "SYS001", "uid": sys1["uid"], "statement": sys1["statement"]},
    }
    (data / "model.json").write_text(json.dumps(summary))
    return summary


def prime_doorstop(bin_dir: Path, data: Path, out: Path, n: int, log_file: Path, timeout):
    """Doorstop's first run stamps every item and runs `git add` on each: do it untimed."""
    result = harness.timed_run(
        [str(bin_dir / "doorstop")], str(data / "doorstop"), str(out / "priming.log"), timeout
    )
    rec = {"tool": "doorstop", "n": n, "op": "priming", "run": 1, **result, "timeout_s": timeout}
    with open(log_file, "a") as f:
        f.write(json.dumps(rec) + "\n")
    log(f"doorstop  n={n:<6} priming run (untimed in the table): {result['wall_s']:.1f} s")


def run_tool(tool, n, data, work, bin_dir, command, version, runs, timeout, log_file, diagrams):
    out = work / "out" / f"n{n}" / tool
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if tool == "doorstop":
        prime_doorstop(bin_dir, data, out, n, log_file, timeout)
    records = []
    failed: set[str] = set()
    ops = harness.operations(
        tool, str(data), str(out), str(bin_dir) if bin_dir else None, command, diagrams
    )
    for op, cwd, cmd, prepare, out_dir in ops:
        if NEEDS.get(op) in failed:
            rec = {
                "tool": tool,
                "version": version,
                "n": n,
                "op": op,
                "run": 0,
                "skipped": True,
                "reason": f"{NEEDS[op]} did not finish",
            }
            with open(log_file, "a") as f:
                f.write(json.dumps(rec) + "\n")
            records.append(rec)
            failed.add(op)
            continue
        got = harness.run_operation(
            tool,
            version,
            n,
            op,
            cwd,
            cmd,
            prepare,
            out_dir,
            str(out),
            runs,
            str(log_file),
            timeout,
            echo=log,
        )
        if not any(r["rc"] == 0 and not r["timed_out"] for r in got):
            failed.add(op)
        records += got
    return records


# ---------------------------------------------------------------- the table


def summarise(records: list[dict]) -> dict:
    """(tool, n, op) -> {median, rss, runs, timeout, skipped, failed}."""
    groups: dict[tuple, list[dict]] = {}
    for rec in records:
        if rec.get("op") == "priming":
            continue
        tool, op = rec["tool"], rec["op"]
        if tool == "doorstop":
            op = DOORSTOP_RENAME.get(op, op)
        groups.setdefault((tool, rec["n"], op), []).append(rec)
    cells = {}
    for key, recs in groups.items():
        ok = [r for r in recs if not r.get("skipped") and r["rc"] == 0 and not r["timed_out"]]
        timed = [r for r in recs if not r.get("skipped") and r["timed_out"]]
        cells[key] = {
            "median": statistics.median(r["wall_s"] for r in ok) if ok else None,
            "rss": max((r["tree_rss_mb"] or 0) for r in ok) if ok else None,
            "runs": len(ok),
            "timeout": timed[0].get("timeout_s") if timed and not ok else None,
            "skipped": all(r.get("skipped") for r in recs),
            "failed": not ok and not timed and not all(r.get("skipped") for r in recs),
            "version": next((r.get("version") for r in recs if r.get("version")), ""),
        }
    return cells


def _seconds(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _cell(cell: dict, key: str = "median") -> str:
    if cell[key] is not None:
        return _seconds(cell[key]) if key == "median" else f"{cell[key]:.0f}"
    if cell["timeout"] is not None:
        return f"> {cell['timeout']:g} s"
    if cell["skipped"]:
        return "skipped"
    return "failed"


def _row(cells, tools, n, label, op, fallback=None, key="median", against=None) -> list[str]:
    """One table row (a list of one line, or none when nobody measured op). `against`:
    the peers' operation that the best peer is taken from when it is not op itself."""
    peers = [t for t in tools if t != "reqdsl"]
    values = []
    best = None
    for t in tools:
        cell = cells.get((t, n, op))
        text = _cell(cell, key) if cell else "n/a"
        if cell is None and fallback and t != "reqdsl":
            # no cache or no incremental mode: a rerun costs the cold check or full build
            base = cells.get((t, n, fallback))
            if base and base[key] is not None:
                text = f"({_seconds(base[key]) if key == 'median' else round(base[key])})"
                cell = base
        values.append(text)
        if against and t != "reqdsl":
            cell = cells.get((t, n, against))
        usable = t != "reqdsl" and cell and cell[key] is not None
        if usable and (best is None or cell[key] < best[1]):
            best = (t, cell[key])
    if all(v == "n/a" for v in values):
        return []
    if peers and "reqdsl" in tools:
        mine = cells.get(("reqdsl", n, op))
        if best and mine and mine[key] is not None:
            shown = _seconds(best[1]) if key == "median" else f"{best[1]:.0f}"
            values += [f"{shown} ({PEER_NAMES[best[0]]})", f"{best[1] / mine[key]:.2f}"]
        else:
            values += ["-", "-"]
    return [f"| {label} | " + " | ".join(values) + " |"]


def tables(records: list[dict]) -> str:
    cells = summarise(records)
    sizes = sorted({n for (_t, n, _o) in cells})
    lines: list[str] = []
    for n in sizes:
        tools = [t for t in TOOLS if any(k[0] == t and k[1] == n for k in cells)]
        peers = [t for t in tools if t != "reqdsl"]
        runs = ", ".join(
            f"{t} {max(c['runs'] for k, c in cells.items() if k[0] == t and k[1] == n)}"
            for t in tools
        )
        lines += [f"### N = {n:,}", "", f"Median wall seconds; runs per operation: {runs}.", ""]
        header = ["operation", *[("reqdsl" if t == "reqdsl" else PEER_NAMES[t]) for t in tools]]
        if peers and "reqdsl" in tools:
            header += ["best peer", "best peer / reqdsl"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---|" + "---:|" * (len(header) - 1))

        for label, op, fallback in ROWS:
            lines += _row(cells, tools, n, label, op, fallback)
        for label, op, against in EXTRA_ROWS:
            lines += _row(cells, tools, n, label, op, against=against)
        for label, op in MEMORY_ROWS:
            lines += _row(cells, tools, n, label, op, key="rss")
        versions = "; ".join(
            sorted({c["version"] for k, c in cells.items() if k[1] == n and c["version"]})
        )
        lines += [
            "",
            "`n/a`: the tool has no such operation (TRLC writes no HTML). "
            "`(x)`: the tool has no cache or no incremental mode, so a rerun costs its "
            "cold check or full build, shown in brackets and used for the best peer. "
            "`> T s`: killed at the time limit. "
            "The --no-diagrams row is compared with the peers' full HTML builds. "
            "Peak RSS is the sum over the process tree, sampled every 0.1 s. "
            "Ratio above 1: reqdsl is faster (or smaller).",
            "",
            f"Versions: {versions}.",
            "",
        ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Example: python bench/compare.py --sizes 1000,10000 --runs 3",
    )
    parser.add_argument("--sizes", default="1000,10000", help="N values, multiples of 1000")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per operation")
    parser.add_argument(
        "--peer-runs", type=int, help="timed runs per operation for the peers (default --runs)"
    )
    parser.add_argument("--tools", default=",".join(TOOLS), help="subset of " + ",".join(TOOLS))
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (600)")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/reqdsl-bench"), help="data, outputs, results"
    )
    parser.add_argument("--venvs", type=Path, default=DEFAULT_VENVS, help="the peers' venvs")
    parser.add_argument("--log", type=Path, help="JSON lines to append to (WORK/results.jsonl)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reqdsl", help="the reqdsl executable (default: next to this Python)")
    parser.add_argument(
        "--reqdsl-no-diagrams",
        action="store_true",
        help="time reqdsl build with --no-diagrams throughout (no Java needed; faster)",
    )
    parser.add_argument(
        "--install-graphviz",
        action="store_true",
        help="apt-get install graphviz when `dot` is missing (for Sphinx-Needs' needflow)",
    )
    parser.add_argument("--report", type=Path, help="only print the tables of this JSON lines file")
    args = parser.parse_args(argv)

    if args.report:
        with open(args.report) as f:
            print(tables([json.loads(line) for line in f if line.strip()]))
        return 0

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        parser.error(f"unknown tools {unknown}; choose from {','.join(TOOLS)}")
    tools = [t for t in TOOLS if t in tools]
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(n <= 0 or n % 1000 for n in sizes):
        parser.error("every size must be a positive multiple of 1000")
    peer_runs = args.peer_runs or args.runs
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    log_file = (args.log or work / "results.jsonl").resolve()
    log_file.parent.mkdir(parents=True, exist_ok=True)

    bins = {t: ensure_venv(t, args.venvs) for t in tools if t != "reqdsl"}
    needflow = graphviz_ready(args.install_graphviz) if "sphinx" in tools else True
    command = reqdsl_command(args.reqdsl)
    versions = {
        t: (reqdsl_version(command) if t == "reqdsl" else harness.tool_version(t, str(bins[t])))
        for t in tools
    }
    if "sphinx" in tools and not needflow:
        versions["sphinx"] += " (no needflow page: `dot` missing)"

    records: list[dict] = []
    started = time.time()
    for n in sizes:
        data = work / "data" / f"n{n}"
        t0 = time.perf_counter()
        model = generate(n, args.seed, data, tools, needflow)
        log(
            f"n={n}: {model['documents']} documents, {model['links']} links, written to {data} "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        for tool in tools:
            records += run_tool(
                tool,
                n,
                data,
                work,
                bins.get(tool),
                command if tool == "reqdsl" else None,
                versions[tool],
                args.runs if tool == "reqdsl" else peer_runs,
                args.timeout,
                log_file,
                not args.reqdsl_no_diagrams,
            )
    log(f"done in {time.time() - started:.0f} s; raw records appended to {log_file}")
    print(tables(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())

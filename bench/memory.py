"""Where `reqdsl check --format json`'s memory goes: peak RSS by phase, in one process.

    python bench/memory.py 100000 [--work /tmp/reqdsl-bench-memory] [--warm]
    python bench/memory.py 10000 --trace [--top 15]

Writes `gen.py`'s project of N requirements (`WORK/n<N>`, the first time), deletes its
cache folder (unless `--warm`) and runs what `reqdsl check --format json -o FILE` runs
(reqdsl.commands.check.run_check), with each phase's function wrapped to read
`/proc/self/status` after it: the process's peak (`VmHWM`) so far, its resident set
(`VmRSS`) after the phase, and the phase's own peak (the high-water mark is reset
before each phase through `/proc/self/clear_refs`, when the kernel allows it). Prints
one Markdown table with the load average. Linux only.

`--trace`: tracemalloc instead (slow, for N = 10,000): the lines that allocated the
most of what is alive after loading, and of each phase's peak above its start.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate

from reqdsl.util.cache_dirs import project_cache_dir

MIB = 1024
PER_FILE = "load: cache entries decoded, elements made"  # a phase run once per file


def status() -> tuple[int, int]:
    """(VmHWM, VmRSS) of this process in kB."""
    text = Path("/proc/self/status").read_text()
    found = [re.search(rf"^{name}:\s+(\d+)", text, re.M) for name in ("VmHWM", "VmRSS")]
    return int(found[0].group(1)), int(found[1].group(1))  # type: ignore[union-attr]


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Phases:
    def __init__(self, trace: bool) -> None:
        self.rows: list[tuple[str, float, int, int, int | None]] = []
        self.overall = 0
        self.trace = trace
        self.snapshots: list[tuple[str, Any, int]] = []
        self.depth = 0
        self.pending: tuple[str, int] | None = None  # PER_FILE's peak, not yet snapshot

    def wrap(self, owner: Any, name: str, label: str) -> None:
        """Measure `owner.name` (a module's function) as phase `label`; nested phases
        are measured by the outermost only."""
        original: Callable[..., Any] = getattr(owner, name)

        def measured(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                return original(*args, **kwargs)
            self.depth += 1
            try:
                return self.measure(label, original, *args, **kwargs)
            finally:
                self.depth -= 1

        setattr(owner, name, measured)

    def measure(self, label: str, function: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        if self.pending is not None and label != self.pending[0]:
            self.snapshots.append((self.pending[0], tracemalloc.take_snapshot(), self.pending[1]))
            self.pending = None
        hwm, _ = status()
        self.overall = max(self.overall, hwm)
        own = reset_peak()
        if self.trace:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
        started = time.process_time()
        result = function(*args, **kw)
        cpu = time.process_time() - started
        hwm, rss = status()
        self.overall = max(self.overall, hwm)
        if self.trace:
            peak = tracemalloc.get_traced_memory()[1] - before
            if label == PER_FILE:  # one snapshot after the last file, when the next starts
                self.pending = (label, max(peak, self.pending[1] if self.pending else 0))
            else:
                self.snapshots.append((label, tracemalloc.take_snapshot(), peak))
        self.rows.append((label, cpu, self.overall, rss, hwm if own else None))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/reqdsl-bench-memory"))
    parser.add_argument("--warm", action="store_true", help="keep the parse cache")
    parser.add_argument("--trace", action="store_true", help="tracemalloc, by line")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()

    project = args.work / f"n{args.n}"
    if not (project / "reqdsl.toml").exists():
        shutil.rmtree(project, ignore_errors=True)
        generate(args.n, project)
    if not args.warm:
        shutil.rmtree(project_cache_dir(project), ignore_errors=True)
    report = args.work / f"n{args.n}.json"

    phases = Phases(args.trace)
    if args.trace:
        tracemalloc.start(1)
    started = time.perf_counter()
    phases.measure("imports", _imports)

    import reqdsl.commands.check as check
    import reqdsl.model.project as project_module
    import reqdsl.pipeline as pipeline
    from reqdsl.checks import registry, withheld

    phases.wrap(pipeline, "scan_project", "scan")
    phases.wrap(project_module, "_load_files", "load: parse workers (cache entries written)")
    phases.wrap(project_module.Deferred, "read", PER_FILE)
    phases.wrap(project_module, "elements_of", PER_FILE)
    phases.wrap(project_module, "link_project", "load: index and resolve")
    phases.wrap(registry, "run_rules", "checks: the rules")
    phases.wrap(registry, "finish", "checks: ignore, sort")
    phases.wrap(withheld, "withhold_syntax_caused", "checks: withheld")
    phases.wrap(pipeline.Checked, "summary", "summary")
    phases.wrap(check, "save_result", "result cache written")
    import reqdsl.cli as cli

    phases.wrap(cli, "emit_pieces", "JSON report made and written")
    code = check.run_check(project, "json", strict=False, use_cache=True, output=report)
    wall = time.perf_counter() - started
    _merge_elements_of(phases)

    print(f"`reqdsl check --format json` at N = {args.n:,}, {'warm' if args.warm else 'cold'}")
    print(f"(exit {code}; `uptime`: {os.popen('uptime').read().strip()})\n")
    print("| phase | CPU s | peak so far MiB | RSS after MiB | phase's own peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for label, cpu, overall, rss, own in phases.rows:
        own_text = f"{own / MIB:,.0f}" if own is not None else "n/a"
        print(f"| {label} | {cpu:.2f} | {overall / MIB:,.0f} | {rss / MIB:,.0f} | {own_text} |")
    print(f"\nwall {wall:.1f} s, peak RSS {phases.overall / MIB:,.0f} MiB ({phases.overall:,} kB)")
    if args.trace:
        _print_trace(phases, args.top)


def _imports() -> None:
    import reqdsl.checks
    import reqdsl.commands.check
    import reqdsl.model.project

    reqdsl.checks.load_rule_modules()


def _merge_elements_of(phases: Phases) -> None:
    """`Deferred.read` and `elements_of` run once per file: one row for all (CPU
    summed, the last peaks)."""
    label = PER_FILE
    rows = [row for row in phases.rows if row[0] == label]
    if len(rows) < 2:
        return
    first = phases.rows.index(rows[0])
    owns = [row[4] for row in rows if row[4] is not None]
    merged = (
        label,
        sum(row[1] for row in rows),
        rows[-1][2],
        rows[-1][3],
        max(owns) if owns else None,
    )
    phases.rows = [row for row in phases.rows if row[0] != label]
    phases.rows.insert(first, merged)


def _print_trace(phases: Phases, top: int) -> None:
    previous = None
    for label, snapshot, peak in phases.snapshots:
        print(f"\n### after {label} (phase's traced peak above its start {peak / 1e6:.1f} MB)\n")
        stats = (
            snapshot.compare_to(previous[1], "lineno")
            if previous is not None
            else snapshot.statistics("lineno")
        )
        for stat in stats[:top]:
            frame = stat.traceback[0]
            size = getattr(stat, "size_diff", stat.size)
            count = getattr(stat, "count_diff", stat.count)
            where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
            print(f"- {size / 1e6:+.1f} MB, {count:+,} objects: {where}")
        previous = (label, snapshot)


if __name__ == "__main__":
    main()

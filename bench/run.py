"""Time `reqdsl check` on the synthetic workload: cold (no parse cache) and warm.

    python bench/run.py 10000 [--runs 3] [--keep DIR]

Each timing runs the real `reqdsl` command in a fresh process (start-up included), as
a user or CI would; peak memory is the child's maximum resident set size. Prints one
table. The targets come from the issues, on a 2-core machine: at 10,000 requirements
cold <= 1.5 s, warm <= 0.4 s, <= 200 MB; at 100,000 (`python bench/run.py 100000
--runs 1`) cold <= 15 s and <= 1 GB (issue 19).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate

from reqdsl.util.cache_dirs import project_cache_dir

WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(elapsed, rss, p.returncode)\n"
)


def reqdsl_command() -> list[str]:
    script = Path(sys.executable).with_name("reqdsl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reqdsl.cli"]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB of `command` in a fresh process; stops the benchmark
    unless it exits 0 or 1 (a model with findings)."""
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if out[2] not in ("0", "1"):
        raise SystemExit(f"`{' '.join(command)}` failed with exit status {out[2]}")
    return float(out[0]), int(out[1]) / 1024


def measure(project: Path, cold: bool) -> tuple[float, float]:
    if cold:
        shutil.rmtree(project_cache_dir(project), ignore_errors=True)
    return timed([*reqdsl_command(), "check", "--format", "json", str(project)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="*", default=[10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    print("| N | MB | cold s (median) | warm s (median) | peak MB |")
    print("|---:|---:|---:|---:|---:|")
    for n in args.n:
        folder = args.keep or Path(tempfile.mkdtemp(prefix=f"reqdsl-bench-{n}-"))
        size = generate(n, folder)
        colds, warms, peaks = [], [], []
        for _ in range(args.runs):
            seconds, peak = measure(folder, cold=True)
            colds.append(seconds)
            peaks.append(peak)
            seconds, peak = measure(folder, cold=False)
            warms.append(seconds)
            peaks.append(peak)
        print(
            f"| {n:,} | {size / 1e6:.1f} | {statistics.median(colds):.2f} | "
            f"{statistics.median(warms):.2f} | {max(peaks):.0f} |",
            flush=True,
        )
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        time.sleep(0.1)


if __name__ == "__main__":
    main()

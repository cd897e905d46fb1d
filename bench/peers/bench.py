#!/usr/bin/env python3
"""Time the peer tools (and reqdsl) on a data set made by gen.py.

Each timed run is wrapped in GNU time (`/usr/bin/time -v`) for the peak RSS
of the largest single process; a sampler also sums the RSS of the whole
process tree every 0.1 s (StrictDoc and Sphinx start worker processes).
Wall time is measured around the subprocess with time.perf_counter().
One JSON line per run is appended to --log.

Usage:
  python3 bench.py --data /tmp/bench/data/n1000 --runs 5 \
      --tools strictdoc,doorstop,sphinx,trlc --log /tmp/bench/results/raw.jsonl

Tools are taken from /tmp/bench/venvs/<name> (see README.md; --venvs to change
it); outputs go to /tmp/bench/out/n<N>/<tool>/ (--out-root). bench/compare.py
imports timed_run() and operations() from here and installs the venvs itself.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time

VENVS = "/tmp/bench/venvs"
OUT_ROOT = "/tmp/bench/out"
TIMEOUT_S = 600
PKG = {"strictdoc": "strictdoc", "doorstop": "doorstop", "sphinx": "sphinx-needs", "trlc": "trlc"}
VENV = {"strictdoc": "strictdoc", "doorstop": "doorstop", "sphinx": "sphinxneeds", "trlc": "trlc"}


def tool_version(tool, bin_dir=None):
    py = os.path.join(bin_dir or os.path.join(VENVS, VENV[tool], "bin"), "python")
    pkgs = [PKG[tool]] + (["sphinx"] if tool == "sphinx" else [])
    code = (
        "import importlib.metadata as m; "
        f"print(' + '.join(p + ' ' + m.version(p) for p in {pkgs!r}))"
    )
    return subprocess.run([py, "-c", code], capture_output=True, text=True).stdout.strip()


def tree_size(path):
    total = files = 0
    for base, _dirs, names in os.walk(path):
        for name in names:
            fp = os.path.join(base, name)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
                files += 1
    return total, files


def _children_map():
    kids = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            kids.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError):
            pass
    return kids


def _tree_rss_kb(root_pid):
    kids = _children_map()
    todo, total = [root_pid], 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def timed_run(cmd, cwd, log_path, timeout=TIMEOUT_S):
    """Run cmd under /usr/bin/time -v; return a dict of measurements.

    A run still going after `timeout` seconds is killed with its process
    group and comes back with timed_out=True."""
    time_file = log_path + ".time"
    full = ["/usr/bin/time", "-v", "-o", time_file, *cmd]
    peak = [0]
    done = threading.Event()
    with open(log_path, "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            full, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

        def sample():
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timed_out = False
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
    maxrss = None
    if os.path.exists(time_file):
        with open(time_file) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
            if m:
                maxrss = int(m.group(1))
    return {
        "wall_s": round(wall, 3),
        "rc": rc,
        "timed_out": timed_out,
        "maxrss_mb": round(maxrss / 1024, 1) if maxrss else None,
        "tree_rss_mb": round(peak[0] / 1024, 1),
    }


def rm(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def make_editor(path, statement):
    """Return a function that changes one requirement's statement in path."""

    def edit(k):
        with open(path) as f:
            text = f.read()
        assert statement in text, (path, statement)
        text = text.replace(statement, statement + f" Edit {k}.", 1)
        with open(path, "w") as f:
            f.write(text)

    return edit


def operations(tool, data, out, bin_dir=None, reqdsl_cmd=None, diagrams=True):
    """Return [(op, cwd, cmd, prepare(k), output_dir)] for one tool.

    bin_dir: the tool's venv bin folder (default VENVS/<venv>/bin);
    reqdsl_cmd: the command that starts reqdsl (a list), for tool "reqdsl";
    diagrams=False: reqdsl builds with --no-diagrams throughout."""
    with open(os.path.join(data, "model.json")) as f:
        model = json.load(f)
    target = model["edit_target"]
    bin_ = bin_dir or os.path.join(VENVS, VENV.get(tool, tool), "bin")
    src = os.path.join(data, tool)
    ops = []
    if tool == "reqdsl":
        # reqdsl keeps its caches in the user's cache folder: ask where.
        cache = subprocess.run(
            [*reqdsl_cmd, "cache", "dir", src], capture_output=True, text=True, check=True
        ).stdout.strip()
        site = os.path.join(out, "site")
        check = [*reqdsl_cmd, "check", "."]
        build = [*reqdsl_cmd, "build", ".", "-o", site, "-q"]
        if not diagrams:
            build.append("--no-diagrams")
        ops.append(("validate", src, check, lambda k: rm(cache), None))
        ops.append(("validate-warm-cache", src, check, None, None))
        ops.append(("html", src, build, lambda k: (rm(cache), rm(site)), site))
        ops.append(("html-noop-rebuild", src, build, None, site))
        edit = make_editor(os.path.join(src, target["doc"] + ".req"), target["statement"])
        ops.append(("html-incremental-1-edit", src, build, edit, site))
        if diagrams:
            bare = os.path.join(out, "site-no-diagrams")
            ops.append(
                (
                    "html-no-diagrams",
                    src,
                    [*reqdsl_cmd, "build", ".", "-o", bare, "-q", "--no-diagrams"],
                    lambda k: (rm(cache), rm(bare)),
                    bare,
                )
            )
    elif tool == "strictdoc":
        sd = os.path.join(bin_, "strictdoc")
        cache = os.path.join(src, ".cache")
        json_out = os.path.join(out, "json")
        html_out = os.path.join(out, "html")
        validate = [sd, "export", "--formats", "json", "--output-dir", json_out, "."]
        html = [sd, "export", "--formats", "html", "--output-dir", html_out, "."]
        ops.append(("validate", src, validate, lambda k: (rm(cache), rm(json_out)), json_out))
        ops.append(("validate-warm-cache", src, validate, lambda k: rm(json_out), json_out))
        ops.append(("html", src, html, lambda k: (rm(cache), rm(html_out)), html_out))
        ops.append(("html-noop-rebuild", src, html, None, html_out))
        edit = make_editor(os.path.join(src, target["doc"] + ".sdoc"), target["statement"])
        ops.append(("html-incremental-1-edit", src, html, edit, html_out))
    elif tool == "doorstop":
        ds = os.path.join(bin_, "doorstop")
        html_out = os.path.join(out, "html")
        ops.append(("validate", src, [ds], None, None))
        ops.append(("validate-no-reformat", src, [ds, "-F"], None, None))
        ops.append(
            ("html", src, [ds, "publish", "all", html_out], lambda k: rm(html_out), html_out)
        )
    elif tool == "sphinx":
        sb = os.path.join(bin_, "sphinx-build")
        dummy_out = os.path.join(out, "dummy")
        html_out = os.path.join(out, "html")
        html = [sb, "-q", "-b", "html", ".", html_out]
        dummy = [sb, "-q", "-b", "dummy", ".", dummy_out]
        ops.append(("validate", src, dummy, lambda k: rm(dummy_out), dummy_out))
        # the environment pickle and doctrees in dummy_out/.doctrees are kept
        ops.append(("validate-warm-cache", src, dummy, None, dummy_out))
        ops.append(("html", src, html, lambda k: rm(html_out), html_out))
        ops.append(("html-noop-rebuild", src, html, None, html_out))
        edit = make_editor(
            os.path.join(src, "docs", target["doc"].lower() + ".rst"), target["statement"]
        )
        ops.append(("html-incremental-1-edit", src, html, edit, html_out))
    elif tool == "trlc":
        ops.append(("validate", src, [os.path.join(bin_, "trlc"), "--brief", "."], None, None))
    return ops


def run_operation(
    tool, version, n, op, cwd, cmd, prepare, out_dir, out, runs, log, timeout=TIMEOUT_S, echo=print
):
    """Time `runs` runs of one operation; append one JSON line per run to
    log and return the records. A run that fails or times out ends the
    operation (the remaining runs are skipped)."""
    records = []
    for k in range(1, runs + 1):
        if prepare:
            prepare(k)
        log_path = os.path.join(out, f"{op}.run{k}.log")
        res = timed_run(cmd, cwd, log_path, timeout)
        size = tree_size(out_dir) if out_dir and os.path.isdir(out_dir) else (None, None)
        with open(log_path, errors="replace") as f:
            tail = f.read()[-600:]
        rec = {
            "tool": tool,
            "version": version,
            "n": n,
            "op": op,
            "run": k,
            **res,
            "timeout_s": timeout,
            "out_bytes": size[0],
            "out_files": size[1],
            "cmd": " ".join(cmd),
            "cwd": cwd,
            "log": log_path,
            "log_tail": tail if res["rc"] != 0 else None,
        }
        with open(log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        records.append(rec)
        echo(
            f"{tool:9} n={n:<6} {op:26} run {k}: {res['wall_s']:8.2f} s  rc={res['rc']}"
            f"  rss={res['maxrss_mb']} MB  tree={res['tree_rss_mb']} MB"
        )
        if res["timed_out"] or res["rc"] != 0:
            echo(f"  stopping this operation (see {log_path})")
            break
    return records


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, help="a directory written by gen.py")
    ap.add_argument("--tools", default="trlc,strictdoc,doorstop,sphinx")
    ap.add_argument("--ops", default=None, help="comma-separated subset of operations")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--log", required=True, help="JSON-lines file to append to")
    ap.add_argument("--venvs", default=VENVS, help="folder of the tools' venvs")
    ap.add_argument("--out-root", default=OUT_ROOT, help="folder for outputs and logs")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per run")
    args = ap.parse_args()

    with open(os.path.join(args.data, "model.json")) as f:
        model = json.load(f)
    n = model["n"]
    wanted_ops = set(args.ops.split(",")) if args.ops else None
    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    for tool in args.tools.split(","):
        bin_dir = os.path.join(args.venvs, VENV[tool], "bin")
        version = tool_version(tool, bin_dir)
        out = os.path.join(args.out_root, f"n{n}", tool)
        os.makedirs(out, exist_ok=True)
        for op, cwd, cmd, prepare, out_dir in operations(tool, args.data, out, bin_dir):
            if wanted_ops and op not in wanted_ops:
                continue
            run_operation(
                tool,
                version,
                n,
                op,
                cwd,
                cmd,
                prepare,
                out_dir,
                out,
                args.runs,
                args.log,
                args.timeout,
                echo=lambda line: print(line, flush=True),
            )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Summarise the JSON lines written by bench.py into a Markdown table.

Usage: python3 report.py /tmp/bench/results/raw.jsonl > results-table.md
"""

import json
import statistics
import sys
from collections import OrderedDict

OP_ORDER = [
    "validate",
    "validate-warm-cache",
    "validate-no-reformat",
    "html",
    "html-noop-rebuild",
    "html-incremental-1-edit",
]
TOOL_ORDER = ["trlc", "strictdoc", "doorstop", "sphinx"]


def fmt_bytes(b):
    if b is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024
    return str(b)


def main():
    with open(sys.argv[1]) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    groups = OrderedDict()
    for r in rows:
        groups.setdefault((r["tool"], r["n"], r["op"]), []).append(r)

    def key(k):
        tool, n, op = k
        return (
            TOOL_ORDER.index(tool) if tool in TOOL_ORDER else 99,
            n,
            OP_ORDER.index(op) if op in OP_ORDER else 99,
        )

    summary = {}
    print(
        "| tool | version | N | operation | runs | median wall s | min-max s | spread | "
        "ms / req | peak RSS MB (largest process) | peak RSS MB (process tree) | "
        "output | failures |"
    )
    print("|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|---|---|")
    for k in sorted(groups, key=key):
        tool, n, op = k
        runs = groups[k]
        ok = [r for r in runs if r["rc"] == 0 and not r["timed_out"]]
        bad = [r for r in runs if r not in ok]
        fails = (
            ", ".join(("timeout > 600 s" if r["timed_out"] else f"rc={r['rc']}") for r in bad)
            or "-"
        )
        if ok:
            walls = [r["wall_s"] for r in ok]
            med = statistics.median(walls)
            spread = (max(walls) - min(walls)) / med * 100 if med else 0
            rss = max(r["maxrss_mb"] or 0 for r in ok)
            trss = max(r["tree_rss_mb"] or 0 for r in ok)
            outs = [r for r in ok if r["out_bytes"] is not None]
            out = (
                f"{fmt_bytes(statistics.median(r['out_bytes'] for r in outs))}, "
                f"{int(statistics.median(r['out_files'] for r in outs))} files"
                if outs
                else "-"
            )
            summary[k] = med
            print(
                f"| {tool} | {runs[0]['version']} | {n} | {op} | {len(ok)} | {med:.2f} | "
                f"{min(walls):.2f}-{max(walls):.2f} | {spread:.0f} % | {med / n * 1000:.2f} | "
                f"{rss:.0f} | {trss:.0f} | {out} | {fails} |"
            )
        else:
            summary[k] = None
            timed_out = all(r["timed_out"] for r in bad)
            med = "> 600" if timed_out else "-"
            # sampled before the kill: a lower bound of the real peak
            trss = max((r["tree_rss_mb"] or 0) for r in bad)
            trss_cell = f">= {trss:.0f}" if trss else "-"
            print(
                f"| {tool} | {runs[0]['version']} | {n} | {op} | 0 | {med} | - | - | "
                f"{('> %.2f' % (600 / n * 1000)) if timed_out else '-'} | - | {trss_cell} | - "
                f"| {fails} |"
            )

    print()
    print(
        "Scaling (ratio of median wall times; 10x more requirements each step, so 10.0 = linear):"
    )
    print()
    print(
        "| tool | operation | 1k s | 10k s | 100k s | 1k->10k | 10k->100k | "
        "marginal ms/req 1k->10k | marginal ms/req 10k->100k |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    pairs = sorted(
        {(t, o) for (t, _n, o) in summary},
        key=lambda p: (
            TOOL_ORDER.index(p[0]) if p[0] in TOOL_ORDER else 99,
            OP_ORDER.index(p[1]) if p[1] in OP_ORDER else 99,
        ),
    )
    for tool, op in pairs:
        vals = [summary.get((tool, n, op)) for n in (1000, 10000, 100000)]
        cells = [f"{v:.2f}" if v is not None else "-" for v in vals]
        r1 = f"{vals[1] / vals[0]:.1f}" if vals[0] and vals[1] else "-"
        r2 = f"{vals[2] / vals[1]:.1f}" if vals[1] and vals[2] else "-"
        # marginal cost: extra seconds per extra requirement, which removes
        # the fixed start-up cost that dominates the 1k numbers
        m1 = f"{(vals[1] - vals[0]) / 9000 * 1000:.2f}" if vals[0] and vals[1] else "-"
        m2 = f"{(vals[2] - vals[1]) / 90000 * 1000:.2f}" if vals[1] and vals[2] else "-"
        print(f"| {tool} | {op} | {' | '.join(cells)} | {r1} | {r2} | {m1} | {m2} |")


if __name__ == "__main__":
    main()

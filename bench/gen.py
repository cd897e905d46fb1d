"""Write a synthetic reqdsl project of N requirements (the peers' benchmark workload).

The shape follows ../shared/bench/peers (the workload StrictDoc, Doorstop, sphinx-needs
and TRLC were timed on): 3 levels (stakeholder 10 %, system 40 %, software 50 %), 100
requirements per file in 10 sections, each system/software requirement derived from 1 or
2 requirements of its parent document, statements of 1 to 3 sentences, and a rationale,
priority, status and verification method on every requirement. Seeded: the same N gives
the same files.

    python bench/gen.py 10000 /tmp/reqdsl-bench-10k
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

LEVELS = (("STK", "stakeholder", 0.10), ("SYS", "system", 0.40), ("SWR", "software", 0.50))
PER_FILE, PER_SECTION = 100, 10
SUBJECTS = {
    "STK": ["operator", "driver", "service technician", "fleet manager"],
    "SYS": ["control unit", "gateway", "sensor interface", "power supply", "display unit"],
    "SWR": ["driver component", "state machine", "message parser", "logging service"],
}
VERBS = [
    "monitor",
    "record",
    "report",
    "limit",
    "detect",
    "validate",
    "store",
    "transmit",
    "reject",
    "restore",
    "encrypt",
    "filter",
    "schedule",
    "initialise",
]
OBJECTS = [
    "the battery voltage",
    "all error codes",
    "the vehicle speed",
    "status messages",
    "configuration changes",
    "sensor readings",
    "user commands",
    "firmware images",
    "diagnostic events",
    "calibration data",
    "log entries",
    "alarm conditions",
]
QUALIFIERS = [
    "within 100 ms",
    "at least once per second",
    "during normal operation",
    "after a power cycle",
    "in degraded mode",
    "without user interaction",
    "for at least 30 days",
    "before shutdown",
    "at a rate of 10 Hz",
]
AREAS = ["power", "safety", "diagnostics", "communication", "storage", "display"]


def sentence(rng: random.Random, level: str) -> str:
    verb = "needs to" if level == "STK" else "shall"
    return (
        f"The {rng.choice(SUBJECTS[level])} {verb} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."
    )


def generate(n: int, out: Path, seed: int = 1) -> int:
    """Write the project; return the number of bytes written."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "reqdsl.toml").write_text(
        '[project]\nname = "Benchmark"\n\n[checks]\ndisable = ["QU005"]\n', encoding="utf-8"
    )
    parents: dict[str, list[list[str]]] = {}
    total = 0
    for index, (tag, level, share) in enumerate(LEVELS):
        files = max(1, round(n * share) // PER_FILE)
        parents[tag] = []
        for number in range(files):
            prefix = f"{tag}{number + 1:03d}"
            upper = parents[LEVELS[index - 1][0]] if index else []
            parent_ids = upper[number * len(upper) // files] if upper else []
            order = list(range(len(parent_ids)))
            rng.shuffle(order)
            ids: list[str] = []
            lines = [
                f'document {prefix} "{level.capitalize()} requirements {number + 1}" {{',
                f"    level: {level}",
                '    version: "1.0"',
                "}",
                "",
            ]
            for section in range(PER_FILE // PER_SECTION):
                area = AREAS[(number + section) % len(AREAS)]
                lines.append(f'section "{area.capitalize()} {section + 1}" {{')
                for item in range(PER_SECTION):
                    k = section * PER_SECTION + item + 1
                    uid = f"{prefix}_{k:04d}"
                    ids.append(uid)
                    statement = " ".join(sentence(rng, tag) for _ in range(rng.randint(1, 3)))
                    lines += [
                        f'    requirement {uid} "{area.capitalize()} {k}" {{',
                        f'        statement: "{statement}"',
                        f'        rationale: "Needed for {area} targets agreed with the customer."',
                        f"        priority: {rng.choice(['must', 'should', 'could'])}",
                        f"        status: {rng.choice(['draft', 'approved', 'implemented'])}",
                        f"        verification: {rng.choice(['test', 'inspection', 'analysis'])}",
                    ]
                    if parent_ids:
                        links = [parent_ids[order[(k - 1) % len(order)]]]
                        if rng.random() < 0.5:
                            other = rng.choice(parent_ids)
                            if other not in links:
                                links.append(other)
                        lines.append(f"        derives-from: {', '.join(links)}")
                    lines += ["    }"]
                lines += ["}", ""]
            text = "\n".join(lines)
            (out / f"{prefix}.req").write_text(text, encoding="utf-8")
            total += len(text.encode())
            parents[tag].append(ids)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of requirements (a multiple of 1000)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = generate(args.n, args.out, args.seed)
    print(f"wrote {args.n} requirements, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()

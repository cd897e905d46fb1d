"""Rule case files checked the way the conformance corpus is (spec section 6).

A case lives in `tests/cases/`: either one file `CODE.req` (with, optionally, `CODE.toml`
beside it, copied into the project as `reqdsl.toml`), or a folder `CODE/` holding a
whole project (several `.req` files, a `reqdsl.toml`). A trailing comment
`# expect: CODE` (or `# expect: CODE, CODE`, `CODE:error` to pin the severity) on a line
means exactly those diagnostics start on that line, in `.req` files and in the
`reqdsl.toml`. Every error and warning must be expected; diagnostics of severity info
are compared on lines that expect them and, for the code the case is named after,
everywhere (so that the passing snippets of an info rule's case really pass).

The case is copied into a temporary folder and `reqdsl check --format json` runs on it
as a separate process, as a user would run it. Rule families use it like this:

    from .expect_cases import case_ids, cases, check_case

    @pytest.mark.parametrize("case", cases("QU"), ids=case_ids)
    def test_case(case, tmp_path):
        check_case(case, tmp_path)
"""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .conftest import reqdsl_command

CASES = Path(__file__).resolve().parent / "cases"
EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
CODE = re.compile(r"^[A-Z]{2}\d{3}")

Key = tuple[str, int, str]


def cases(prefix: str) -> list[Path]:
    """The cases whose name starts with `prefix` (`"QU"`, `"TR003"`), sorted."""
    found = [
        path
        for path in CASES.iterdir()
        if path.name.startswith(prefix) and (path.is_dir() or path.suffix == ".req")
    ]
    return sorted(found)


def case_ids(case: Path) -> str:
    return case.stem if case.is_file() else case.name


def make_project(case: Path, folder: Path) -> Path:
    """Copy a case into `folder/project` and return that project folder."""
    project = folder / "project"
    if case.is_dir():
        shutil.copytree(case, project)
    else:
        project.mkdir(parents=True)
        shutil.copy(case, project / case.name)
        config = case.with_suffix(".toml")
        if config.is_file():
            shutil.copy(config, project / "reqdsl.toml")
    return project


def run_check(project: Path) -> dict[str, Any]:
    """`reqdsl check --format json PROJECT`, parsed; fails on exit status 2 or more."""
    process = subprocess.run(
        [*reqdsl_command(), "check", "--format", "json", "--no-cache", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert process.returncode in (0, 1), (
        f"reqdsl check exited with {process.returncode}: {process.stderr}"
    )
    report: dict[str, Any] = json.loads(process.stdout)
    return report


def case_code(case: Path) -> str | None:
    """The code a case is named after (`QU005.req`, `GD004-withdrawal.req`, `TR002/`)."""
    match = CODE.match(case.name)
    return match.group(0) if match else None


def expectations(project: Path) -> collections.Counter[tuple[str, int, str, str | None]]:
    """What the `# expect:` comments ask for: (path, line, code, severity) -> count."""
    want: collections.Counter[tuple[str, int, str, str | None]] = collections.Counter()
    for path in sorted(project.rglob("*")):
        if path.suffix not in {".req", ".toml"} or not path.is_file():
            continue
        relpath = path.relative_to(project).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for item in match.group(1).split(","):
                    code, _, severity = item.strip().partition(":")
                    want[(relpath, number, code, severity or None)] += 1
    return want


def compare(project: Path, report: dict[str, Any], code: str | None = None) -> list[str]:
    """The differences between what the project expects and the JSON `report`; info
    diagnostics of `code` are compared on every line."""
    want = expectations(project)
    expected_keys = {(relpath, line, code) for relpath, line, code, _ in want}
    have: collections.Counter[Key] = collections.Counter()
    severities: dict[Key, list[str]] = collections.defaultdict(list)
    messages: dict[Key, list[str]] = collections.defaultdict(list)
    for diagnostic in report["diagnostics"]:
        key = (diagnostic["path"], diagnostic["line"], diagnostic["code"])
        strict = diagnostic["code"] == code
        if diagnostic["severity"] == "info" and not strict and key not in expected_keys:
            continue
        have[key] += 1
        severities[key].append(diagnostic["severity"])
        messages[key].append(diagnostic["message"])
    problems = []
    plain: collections.Counter[Key] = collections.Counter()
    for (relpath, line, code, severity), count in want.items():
        plain[(relpath, line, code)] += count
        if severity and severity not in severities.get((relpath, line, code), []):
            got = severities.get((relpath, line, code)) or "nothing"
            problems.append(f"{relpath}:{line}: expected {code} as {severity}, got {got}")
    for key in sorted(set(plain) | set(have)):
        if plain[key] != have[key]:
            relpath, line, code = key
            said = "; ".join(messages.get(key, []))
            problems.append(
                f"{relpath}:{line}: {code} expected {plain[key]}x, reported {have[key]}x"
                + (f" ({said})" if said else "")
            )
    return problems


def check_case(case: Path, folder: Path) -> dict[str, Any]:
    """Run one case and fail the test with every difference; returns the JSON report."""
    project = make_project(case, folder)
    report = run_check(project)
    problems = compare(project, report, case_code(case))
    assert not problems, f"case {case.name}:\n" + "\n".join(problems)
    return report

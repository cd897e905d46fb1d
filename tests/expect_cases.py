"""Rule case files checked the way the conformance corpus is (spec section 6).

A case lives in `tests/cases/`: either one file (with, optionally, a `.toml` of the same
stem beside it, copied into the project as `reqdsl.toml`), or a folder holding a whole
project (several `.req` files, a `reqdsl.toml`). A case is named by the code it exercises:
`CODE.req` (or `CODE/`) is the rule's main case, and a rule may have variants named code
+ '-' + variant, `CODE-variant.req` (`GD004-withdrawal.req`, `RV001-draft.req`): another
one-file project for the same rule, often one that must pass. A case whose name does not
start with a code fails.

A trailing comment `# expect: CODE` (or `# expect: CODE, CODE`, `CODE:error` to pin the
severity) on a line means exactly those diagnostics start on that line, in `.req` files
and in the `reqdsl.toml`. Every error and warning must be expected; diagnostics of
severity info are compared on lines that expect them and, for the code the case is named
after (the variant's code too: `GD004-withdrawal.req` is strict about GD004),
everywhere, so that the passing snippets of an info rule's case really pass. Every
diagnostic must point at a file of the project as copied.

The case is copied into a temporary folder and `reqdsl check --format json --no-cache`
runs on it as a separate process, as a user would run it. Rule families use it like this:

    from .expect_cases import case_ids, cases, check_case

    @pytest.mark.parametrize("case", cases("QU"), ids=case_ids)
    def test_case(case, tmp_path):
        check_case(case, tmp_path)

The GD/TM and DE/RV tests used to carry a second driver of their own. Where the two
differed, the stricter rule is kept: a case not named by a code fails (this one used to
compare no infos for it); a diagnostic in no file of the project fails (the other one
required every diagnostic to be in its one case file, the same thing for a one-file
case); `# expect:` comments in a case's `reqdsl.toml` count (the other read only the
`.req` file); the check runs with `--no-cache` (the other let it use the cache). The
info rule itself was the same in both, and failure messages now also
list every diagnostic reported, as the other's did.
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


def cases(*prefixes: str) -> list[Path]:
    """The cases whose name starts with one of `prefixes` (`"QU"`, `"TR003"`; `"GD", "TM"`),
    variants included, sorted."""
    found = [
        path
        for path in CASES.iterdir()
        if path.name.startswith(prefixes) and (path.is_dir() or path.suffix == ".req")
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
        f"reqdsl check exited with {process.returncode}: {process.stdout}{process.stderr}"
    )
    report: dict[str, Any] = json.loads(process.stdout)
    return report


def case_code(case: Path) -> str:
    """The code a case is named after (`QU005.req`, `GD004-withdrawal.req`, `TR002/`)."""
    match = CODE.match(case.name)
    assert match, (
        f"{case.name}: a case is named by its code, e.g. GD001.req or GD004-withdrawal.req"
    )
    return match.group(0)


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


def project_files(project: Path) -> set[str]:
    """The files of a project folder, as paths relative to it (as diagnostics name them)."""
    return {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}


def compare(
    project: Path,
    report: dict[str, Any],
    code: str | None = None,
    files: set[str] | None = None,
) -> list[str]:
    """The differences between what the project expects and the JSON `report`; info
    diagnostics of `code` are compared on every line. With `files`, a diagnostic whose
    path is not among them is a difference too."""
    want = expectations(project)
    expected_keys = {(relpath, line, code) for relpath, line, code, _ in want}
    have: collections.Counter[Key] = collections.Counter()
    severities: dict[Key, list[str]] = collections.defaultdict(list)
    messages: dict[Key, list[str]] = collections.defaultdict(list)
    problems = []
    for diagnostic in report["diagnostics"]:
        key = (diagnostic["path"], diagnostic["line"], diagnostic["code"])
        if files is not None and diagnostic["path"] not in files:
            problems.append(
                f"{diagnostic['path']}:{diagnostic['line']}: {diagnostic['code']} is reported "
                "in no file of the project"
            )
        strict = diagnostic["code"] == code
        if diagnostic["severity"] == "info" and not strict and key not in expected_keys:
            continue
        have[key] += 1
        severities[key].append(diagnostic["severity"])
        messages[key].append(diagnostic["message"])
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


def check_case(case: Path, folder: Path, house_style: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run one case and fail the test with every difference; returns the JSON report.
    The messages of the rule families in `house_style` (`("GD", "TM")`) must also keep
    the house style (see `assert_house_style`)."""
    code = case_code(case)
    project = make_project(case, folder)
    files = project_files(project)
    report = run_check(project)
    problems = compare(project, report, code, files)
    reported = "\n".join(
        f"  {d['path']}:{d['line']}:{d['column']} {d['code']} {d['severity']} {d['message']}"
        for d in report["diagnostics"]
    )
    assert not problems, f"case {case.name}:\n" + "\n".join(problems) + "\nreported:\n" + reported
    assert_house_style(report, house_style)
    return report


def assert_failing_case(code: str, folder: Path) -> None:
    """The rule's main case, `CODE.req` or `CODE/`, exists and expects `code` somewhere."""
    main = next((case for case in cases(code) if case_ids(case) == code), None)
    assert main is not None, f"no case file {code}.req"
    want = expectations(make_project(main, folder))
    assert any(c == code for _, _, c, _ in want), f"{main.name} expects no {code}"


def assert_house_style(report: dict[str, Any], families: tuple[str, ...]) -> None:
    """Messages of these rule families: lower case, the offending text in backticks, no
    final full stop."""
    for diagnostic in report["diagnostics"]:
        if str(diagnostic["code"])[:2] not in families:
            continue
        message = str(diagnostic["message"])
        assert message[0] in "`" or not message[0].isupper(), message
        assert "`" in message and not message.endswith("."), message

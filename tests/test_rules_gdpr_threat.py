"""GDPR (GD) and threat-model (TM) rules, driven by the case files in tests/cases/.

Each case file is a one-file project named by the code it exercises (`GD001.req`,
`GD004-withdrawal.req`); `# expect: CODE` (or `CODE:severity`) comments say which
diagnostics start on that line, as in the shared conformance corpus. Every error and
warning must be expected; infos are compared on lines that expect them and, for the code
the file is named after, everywhere (so passing snippets really pass).
"""

from __future__ import annotations

import collections
import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import run_reqdsl

CASES = Path(__file__).resolve().parent / "cases"
EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
CODE = re.compile(r"^([A-Z]{2}\d{3})")

Key = tuple[int, str]


def case_files(*families: str) -> list[Path]:
    """The case files of these rule families (`GD`, `TM`...), sorted by name."""
    return sorted(p for p in CASES.glob("*.req") if p.name[:2] in families)


def case_code(path: Path) -> str:
    match = CODE.match(path.name)
    assert match, f"{path.name}: a case file is named by its code, e.g. GD001.req"
    return match.group(1)


def expectations(text: str) -> tuple[collections.Counter[Key], dict[Key, list[str]]]:
    """(line, code) -> count, and (line, code) -> pinned severities."""
    want: collections.Counter[Key] = collections.Counter()
    pinned: dict[Key, list[str]] = collections.defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        match = EXPECT.search(line)
        if not match:
            continue
        for item in match.group(1).split(","):
            code, _, severity = item.strip().partition(":")
            want[(number, code)] += 1
            if severity:
                pinned[(number, code)].append(severity)
    return want, pinned


def check_case(case: Path, tmp_path: Path) -> list[dict[str, object]]:
    """Run the real CLI on a project holding only `case`; fail on any difference from its
    expect comments. Returns the diagnostics for further assertions."""
    project = tmp_path / f"project-{case.stem}"
    project.mkdir()
    shutil.copy(case, project / case.name)
    result = run_reqdsl("check", "--format", "json", str(project))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    diagnostics: list[dict[str, object]] = json.loads(result.stdout)["diagnostics"]

    want, pinned = expectations(case.read_text(encoding="utf-8"))
    own = case_code(case)
    have: collections.Counter[Key] = collections.Counter()
    severities: dict[Key, list[str]] = collections.defaultdict(list)
    for diagnostic in diagnostics:
        assert diagnostic["path"] == case.name
        key = (int(diagnostic["line"]), str(diagnostic["code"]))  # type: ignore[call-overload]
        if diagnostic["severity"] == "info" and key not in want and key[1] != own:
            continue
        have[key] += 1
        severities[key].append(str(diagnostic["severity"]))
    problems = [
        f"{case.name}:{line}: {code} expected {want[(line, code)]}x, reported {have[(line, code)]}x"
        for line, code in sorted(set(want) | set(have))
        if want[(line, code)] != have[(line, code)]
    ]
    for key, wanted in pinned.items():
        problems += [
            f"{case.name}:{key[0]}: expected {key[1]} as {severity}, got {severities.get(key)}"
            for severity in wanted
            if severity not in severities.get(key, [])
        ]
    messages = "\n".join(
        f"  {d['line']}:{d['column']} {d['code']} {d['message']}" for d in diagnostics
    )
    assert not problems, "\n".join(problems) + "\nreported:\n" + messages
    return diagnostics


CASE_FILES = case_files("GD", "TM")


def assert_house_style(diagnostics: list[dict[str, object]], families: tuple[str, ...]) -> None:
    """Messages: lower case, the offending text in backticks, no final full stop."""
    for diagnostic in diagnostics:
        if str(diagnostic["code"])[:2] not in families:
            continue
        message = str(diagnostic["message"])
        assert message[0] in "`" or not message[0].isupper(), message
        assert "`" in message and not message.endswith("."), message


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_case_file(case: Path, tmp_path: Path) -> None:
    assert_house_style(check_case(case, tmp_path), ("GD", "TM"))


@pytest.mark.parametrize(
    "code", [f"GD00{n}" for n in range(1, 7)] + [f"TM00{n}" for n in range(1, 7)]
)
def test_every_rule_has_a_failing_case(code: str) -> None:
    main = CASES / f"{code}.req"
    assert main.exists(), f"no case file {main.name}"
    want, _ = expectations(main.read_text(encoding="utf-8"))
    assert any(c == code for _, c in want), f"{main.name} expects no {code}"


def test_gd005_points_at_the_first_personal_item(tmp_path: Path) -> None:
    found = [d for d in check_case(CASES / "GD005.req", tmp_path) if d["code"] == "GD005"]
    shop = next(d for d in found if "`SHOP`" in str(d["message"]))
    assert (shop["line"], shop["column"]) == (40, 9)
    assert "`D-ORDER`, `D-CUSTOMER`" in str(shop["message"])
    assert "Art. 17" in str(shop["message"]) and "Art. 15" not in str(shop["message"])


def test_tm005_points_at_the_via_value(tmp_path: Path) -> None:
    found = [d for d in check_case(CASES / "TM005.req", tmp_path) if d["code"] == "TM005"]
    first = found[0]
    assert (first["line"], first["column"], first["end_column"]) == (22, 36, 43)
    assert first["message"] == (
        "message `API` -> `LOGS` goes via `F-LOGIN`, which joins `USER` and `API`"
    )


def test_rules_are_listed() -> None:
    result = run_reqdsl("rules")
    assert result.returncode == 0, result.stderr
    for code, name in [
        ("GD001", "gdpr.no-lawful-basis"),
        ("GD006", "gdpr.no-dpia-or-transfer-safeguard"),
        ("TM002", "threat.unauthenticated-trust-crossing"),
        ("TM006", "threat.unmodelled-crossing"),
    ]:
        assert re.search(rf"^{code}\s+{re.escape(name)}\s", result.stdout, re.M), code

"""GDPR (GD) and threat-model (TM) rules, driven by the case files in tests/cases/.

Each case file is a one-file project named by the code it exercises (`GD001.req`,
`GD004-withdrawal.req`), checked by the shared driver in tests/expect_cases.py:
`# expect: CODE` (or `CODE:severity`) comments say which diagnostics start on that line,
as in the shared conformance corpus. Every error and warning must be expected; infos are
compared on lines that expect them and, for the code the file is named after, everywhere
(so passing snippets really pass).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_reqdsl
from .expect_cases import CASES, assert_failing_case, case_ids, cases, check_case

CASE_FILES = cases("GD", "TM")


@pytest.mark.parametrize("case", CASE_FILES, ids=case_ids)
def test_case_file(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path, house_style=("GD", "TM"))


@pytest.mark.parametrize(
    "code", [f"GD00{n}" for n in range(1, 7)] + [f"TM00{n}" for n in range(1, 7)]
)
def test_every_rule_has_a_failing_case(code: str, tmp_path: Path) -> None:
    assert_failing_case(code, tmp_path)


def test_gd005_points_at_the_first_personal_item(tmp_path: Path) -> None:
    found = [
        d for d in check_case(CASES / "GD005.req", tmp_path)["diagnostics"] if d["code"] == "GD005"
    ]
    shop = next(d for d in found if "`SHOP`" in str(d["message"]))
    assert (shop["line"], shop["column"]) == (40, 9)
    assert "`D-ORDER`, `D-CUSTOMER`" in str(shop["message"])
    assert "Art. 17" in str(shop["message"]) and "Art. 15" not in str(shop["message"])


def test_tm005_points_at_the_via_value(tmp_path: Path) -> None:
    found = [
        d for d in check_case(CASES / "TM005.req", tmp_path)["diagnostics"] if d["code"] == "TM005"
    ]
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

"""The habits that keep the project honest (issue 18, part 6): the packaged PlantUML jar
is the one pinned, every rule code has a case file that some test runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reqdsl.checks.registry import all_rules
from reqdsl.diagrams.runtime import (
    ENV_JAR,
    JAR_NAME,
    JAR_PACKAGE,
    RenderUnavailable,
    find_jar,
    packaged_jar,
)

from .conftest import ROOT
from .expect_cases import CODE, assert_failing_case, case_code, case_ids, cases, check_case


@pytest.fixture(scope="module")
def installed_jar() -> Path:
    from importlib import resources

    return Path(str(resources.files(JAR_PACKAGE) / JAR_NAME))


def _copy(jar: Path, folder: Path, *, change_byte: bool) -> Path:
    """A copy of `jar` at `folder/JAR_NAME`, one byte in the middle changed if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / JAR_NAME
    shutil.copyfile(jar, target)
    if change_byte:
        with target.open("r+b") as handle:
            handle.seek(target.stat().st_size // 2)
            byte = handle.read(1)
            handle.seek(-1, 1)
            handle.write(bytes([byte[0] ^ 0x01]))
    return target


def test_the_packaged_jar_is_the_pinned_one(installed_jar: Path, tmp_path: Path) -> None:
    assert packaged_jar() == installed_jar
    copy = _copy(installed_jar, tmp_path / "package", change_byte=False)
    assert packaged_jar(tmp_path / "package") == copy


def test_a_packaged_jar_with_one_byte_changed_is_refused(
    installed_jar: Path, tmp_path: Path
) -> None:
    tampered = _copy(installed_jar, tmp_path / "package", change_byte=True)
    with pytest.raises(RenderUnavailable) as refused:
        packaged_jar(tmp_path / "package")
    message = str(refused.value)
    assert str(tampered) in message and "SHA-256" in message, message
    assert "\n" not in message


def test_a_jar_the_user_chose_is_not_checked(installed_jar: Path, tmp_path: Path) -> None:
    # REQDSL_PLANTUML_JAR (or [render] plantuml_jar in the user's config) is the user's
    # choice: another PlantUML build is allowed there.
    chosen = _copy(installed_jar, tmp_path / "mine", change_byte=True)
    environ = {ENV_JAR: str(chosen), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert find_jar(environ) == (chosen, ENV_JAR)


# ---------------------------------------------------------------- schema


def test_every_element_keyword_has_a_field_schema_and_back() -> None:
    """The grammar's element keywords (read by the lexicon) and the model's kinds agree:
    a keyword added to the grammar without fields, or a kind no keyword makes, fails.
    This replaces `set(FIELD_SPECS) == set(KIND_FIELDS)` in test_samples.py, true by
    construction (FIELD_SPECS is built from KIND_FIELDS)."""
    from reqdsl.model.schema import KIND_FIELDS
    from reqdsl.parse.lexicon import lexicon

    assert sorted(set(lexicon().element_keywords.values()) ^ set(KIND_FIELDS)) == []


# ---------------------------------------------------------------- rule case files


@pytest.mark.parametrize("case", cases("SM", "SY"), ids=case_ids)
def test_case(case: Path, tmp_path: Path) -> None:
    """The semantic and syntax families' cases (the other families run theirs in
    tests/test_rules_*.py and tests/test_config_truth.py)."""
    check_case(case, tmp_path)


def test_every_registered_rule_has_a_case_that_reports_it(tmp_path: Path) -> None:
    """From the registry, so that a rule added without a case file fails here."""
    missing = []
    for rule in all_rules():
        try:
            assert_failing_case(rule.code, tmp_path / rule.code)
        except AssertionError as error:
            missing.append(f"{rule.code}: {error}")
    assert not missing, "\n".join(missing)


def test_every_case_is_named_by_a_registered_code() -> None:
    codes = {rule.code for rule in all_rules()}
    named = {case.name: case_code(case) for case in cases("")}
    assert {name: code for name, code in named.items() if code not in codes} == {}


@pytest.mark.slow  # collects the whole suite (about 20 s)
def test_every_case_is_run_by_some_test() -> None:
    """Every case file appears as the parameter of a collected test: a family whose
    cases no test module picks up (a new prefix) fails here."""
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--snapshot-warn-unused", str(ROOT / "tests")],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout[-2000:] + collected.stderr[-2000:]
    parameters = set(re.findall(r"\[([^\]]+)\]$", collected.stdout, re.MULTILINE))
    every = [case_ids(case) for case in cases("")]
    assert every and all(CODE.match(name) for name in every)
    assert [name for name in every if name not in parameters] == []

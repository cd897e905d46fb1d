"""reqdsl's own specification (`requirements/`) is traced to real tests: every `test`
element's `automated-by` names a test function that exists in `tests/`, written as
pytest's node ID with dots (`tests.test_cli::test_sarif_is_2_1_0`), as it appears in a
JUnit XML report.
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

from reqdsl.model.project import Project, load_project

from .conftest import ROOT, run_reqdsl

SPEC = ROOT / "requirements"
NODE_ID = re.compile(r"^tests(?:\.\w+)+(?:::\w+)+$")


@cache
def spec() -> Project:
    return load_project(SPEC, use_cache=False)


def automated_by() -> list[tuple[str, str]]:
    """(test element ID, automated-by value) for every automated test of the spec."""
    found = []
    for element in spec().of_kind("test"):
        value = element.value("automated-by")
        if value is not None:
            found.append((element.id or "?", value.raw))
    return found


@cache
def functions_of(module: Path) -> set[str]:
    """`name` and `Class::name` for every test function a pytest module defines."""
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}::{item.name}")
    return {name for name in names if name.split("::")[-1].startswith("test")}


def resolve(node_id: str) -> str | None:
    """Why `node_id` names no existing test, or None when it does."""
    if not NODE_ID.match(node_id):
        return "not written as `tests.test_module::test_function`"
    module, _, function = node_id.partition("::")
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    if not path.is_file():
        return f"no module {path.relative_to(ROOT)}"
    if function not in functions_of(path):
        return f"no test `{function}` in {path.relative_to(ROOT)}"
    return None


def test_the_spec_has_automated_tests() -> None:
    assert len(automated_by()) >= 40


def test_every_automated_by_names_an_existing_test() -> None:
    problems = [
        f"{element}: `{node_id}`: {why}"
        for element, node_id in automated_by()
        if (why := resolve(node_id)) is not None
    ]
    assert problems == []


def test_resolve_rejects_what_does_not_exist() -> None:
    assert resolve("tests.test_cli::test_sarif_is_2_1_0") is None
    assert resolve("tests/test_cli.py::test_sarif_is_2_1_0") is not None
    assert resolve("tests.test_no_such_module::test_x") is not None
    assert resolve("tests.test_cli::test_no_such_test") is not None
    assert resolve("tests.test_cli::SAMPLE") is not None


def test_tests_without_automation_say_why() -> None:
    """A test element that names no pytest test is planned or manual, and says how."""
    for element in spec().of_kind("test"):
        if element.value("automated-by") is None:
            assert element.has("description") or element.has("steps"), element.id


def test_own_spec_checks_clean_with_strict() -> None:
    result = run_reqdsl("check", "--strict", "--no-cache", "--format", "json", str(SPEC))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (0, 0, 0)

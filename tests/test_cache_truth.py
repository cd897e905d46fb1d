"""The check-result cache can make a check faster, never different: a result kept by one
version of reqdsl's code is not the answer of another (issue 18: "adding a rule in a
checkout is seen by the next check"; a false green otherwise)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT
from .test_config_truth import CLEAN

TEXT = CLEAN  # a project that checks clean, before the rule is added
NEW_RULE = '''

@rule("CF999", "config.added-in-a-checkout", Severity.WARNING, "a rule added to a checkout")
def added_in_a_checkout(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Nothing real: the test's new rule.
    """
    for element in context.project.elements:
        yield Finding.at(element, None, "the new rule ran")
        return
'''


def _check(code: Path, project: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run(
        [sys.executable, "-m", "reqdsl.cli", "check", "--format", "json", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=code.parent,
    )
    assert result.returncode in (0, 1), result.stderr
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_a_rule_added_to_the_code_is_seen_by_the_next_check(tmp_path: Path) -> None:
    code = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "_shipped")
    shutil.copytree(ROOT / "reqdsl", code / "reqdsl", ignore=ignore)
    for shipped in ("grammar", "generators"):
        shutil.copytree(ROOT / shipped, code / shipped)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.req").write_text(TEXT, encoding="utf-8")
    assert "CF999" not in _check(code, project)  # the result is now cached
    with (code / "reqdsl" / "checks" / "config.py").open("a", encoding="utf-8") as module:
        module.write(NEW_RULE)
    assert "CF999" in _check(code, project)


def test_a_kept_result_is_the_check_s_own(tmp_path: Path) -> None:
    """The result cache keeps each diagnostic's fields (msgspec, no dict per diagnostic)
    and gives them back equal: the same spans with their offsets, severities, hints,
    related places and fixes, in order, and the same summary; another fingerprint or
    language is a miss."""
    from reqdsl import i18n
    from reqdsl.pipeline import Session
    from reqdsl.result_cache import load_result, save_result

    root = tmp_path / "kept"
    root.mkdir()
    for case in ("SM001", "QU001", "QU005", "QU006"):  # related places, hints, fixes
        shutil.copy(ROOT / "tests" / "cases" / f"{case}.req", root / f"{case}.req")
    checked = Session(root, use_cache=False).check()
    diagnostics, summary = checked.diagnostics, checked.summary()
    assert all(any(getattr(d, part) for d in diagnostics) for part in ("related", "hint", "fixes"))
    assert any(d.span.start for d in diagnostics)  # offsets too (JSON kept none)
    save_result(root, "fingerprint", diagnostics, summary)
    assert load_result(root, "fingerprint") == (diagnostics, summary)
    assert load_result(root, "another") is None
    with i18n.language("fr"):
        assert load_result(root, "fingerprint") is None


def test_the_result_written_in_pieces_is_the_result_encoded_whole(tmp_path: Path) -> None:
    """The entry is written a piece of 1,000 diagnostics at a time, its seal computed
    along: the pieces joined are the whole result as msgspec encodes it, and the entry
    reads back (its seal verifies) across the pieces' boundaries."""
    import msgspec

    from reqdsl.diagnostics import Diagnostic, Related, Severity, Summary
    from reqdsl.result_cache import _Result, load_result, result_pieces, save_result
    from reqdsl.source import Span

    summary = Summary(3, 42, 1, 2, 0, {"verification": 80.0, "mitigation": None}, 5)
    for count in (0, 1, 999, 1000, 1001, 2345):
        found = [
            Diagnostic(
                "QU001",
                Severity.WARNING,
                f"vague term {n} é",
                "a.req",
                Span(n, n + 4, n + 1, 2, n + 1, 6),
                hint=f"hint {n}" if n % 2 else None,
                related=[Related("see", "b.req", Span(0, 1, 1, 1, 1, 2))] if n % 3 else [],
            )
            for n in range(count)
        ]
        whole = msgspec.json.encode(_Result("key", found, summary))
        assert b"".join(result_pieces("key", found, summary)) == whole
        save_result(tmp_path, f"fingerprint {count}", found, summary)
        assert load_result(tmp_path, f"fingerprint {count}") == (found, summary)

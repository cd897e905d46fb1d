"""Test results from JUnit XML reports, matched to `test` elements by `automated-by`.

A test case is known by `classname::name` (the language's example:
`tests.test_booking::test_book_free_slot`) and by `classname.name`. An `automated-by`
written as a pytest node ID (`tests/test_booking.py::TestBook::test_x`) is read as
`tests.test_booking.TestBook::test_x`. A parametrised case (`test_x[1]`, `test_x[2]`)
counts for `...::test_x` when no case has that exact name.

Each automated test gets `passed`, `failed` (a <failure> or an <error>), `skipped` or
`not-run` (in no report); several cases behind one key: the worst counts. A
requirement's verification status aggregates the automated tests that verify it, worst
first: `failed`, `not-run`, `skipped`, `passed`; `not-automated` when tests verify it
but none is automated, `untested` when no test verifies it.

Reports are parsed with defusedxml: a DOCTYPE with entities, or an external entity, is
refused (no file is read, no entity is expanded).
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..i18n import _
from ..model.elements import ModelElement

if TYPE_CHECKING:
    from ..model.project import Project

TestStatus = Literal["passed", "failed", "skipped", "not-run"]
VerificationStatus = Literal["failed", "not-run", "skipped", "passed", "not-automated", "untested"]
WORST_FIRST: tuple[TestStatus, ...] = ("failed", "not-run", "skipped", "passed")
# Case names one set of results compares test names with for did-you-means, in all.
SUGGESTION_BUDGET = 5_000


class JunitError(Exception):
    """A report cannot be read, is not well-formed XML, is unsafe, or is not JUnit."""


@dataclass(frozen=True)
class CaseResult:
    status: TestStatus
    message: str | None = None  # the first failure or skip message, if any


@dataclass
class JunitResults:
    """The cases of one or more reports, by key (`classname::name`, `classname.name`)."""

    cases: dict[str, CaseResult] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)
    digest: str = ""  # of the reports' bytes, in order (a site's fingerprint holds it)
    # Derived on first use, not part of what the results are (init, repr, equality):
    _sorted: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _by_class: dict[str, list[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )  # case names by classname (close_names)
    _budget: int = field(default=SUGGESTION_BUDGET, init=False, repr=False, compare=False)

    @property
    def given(self) -> bool:
        """Whether any report was read (no report: no test shows a status)."""
        return bool(self.reports)

    def result_of(self, test: ModelElement) -> CaseResult | None:
        """The result of a `test` element; None when it is not automated."""
        automated = automated_by(test)
        if automated is None:
            return None
        key = normalise_test_id(automated)
        found = self.cases.get(key)
        if found is not None:
            return found
        variants = self._variants(key + "[")  # parametrised cases
        if variants:
            return _worst(variants)
        return CaseResult("not-run")

    def _variants(self, prefix: str) -> list[CaseResult]:
        """The cases whose key starts with `prefix`: a range of the sorted keys, so that
        matching every test of a large project stays O(n log n)."""
        if self._sorted is None:
            self._sorted = sorted(self.cases)
        keys = self._sorted
        found = []
        for position in range(bisect.bisect_left(keys, prefix), len(keys)):
            if not keys[position].startswith(prefix):
                break
            found.append(self.cases[keys[position]])
        return found

    def close_names(self, test: ModelElement, limit: int = 3) -> list[str]:
        """The names (`classname::name`) of the report cases closest to a test's
        `automated-by`, for a did-you-mean; parametrised variants are counted once.
        Candidates are the cases of the same class or module when it has any (a misspelt
        function), else every case; the comparisons of one set of results are bounded
        (SUGGESTION_BUDGET), so a report that matches none of thousands of tests costs
        linear time, not a comparison of every test with every case."""
        automated = automated_by(test)
        if automated is None:
            return []
        key = normalise_test_id(automated)
        by_class = self._names_by_class()
        candidates = by_class.get(key.rpartition("::")[0]) or by_class.get("", [])
        if len(candidates) > self._budget:
            return []
        self._budget -= len(candidates)
        # Names share long prefixes (`tests.test_`): a high cutoff keeps unrelated cases
        # of the same package out of the suggestions.
        return difflib.get_close_matches(key, candidates, n=limit, cutoff=0.8)

    def _names_by_class(self) -> dict[str, list[str]]:
        """Case names by classname (`""`: every name), computed once."""
        if self._by_class is None:
            aliases = {key.replace("::", ".") for key in self.cases if "::" in key}
            names = sorted(
                {key.split("[", 1)[0] for key in self.cases if "::" in key or key not in aliases}
            )
            by_class: dict[str, list[str]] = {"": names}
            for name in names:
                if "::" in name:
                    by_class.setdefault(name.rpartition("::")[0], []).append(name)
            self._by_class = by_class
        return self._by_class


def automated_by(test: ModelElement) -> str | None:
    """A test element's `automated-by`, stripped; None when it has none."""
    automated = test.word("automated-by") if test.kind == "test" else None
    if automated is None or not automated.strip():
        return None
    return automated.strip()


@dataclass(frozen=True)
class RequirementVerification:
    status: VerificationStatus
    tests: tuple[tuple[str, str], ...]  # (test ID, its status or "not-automated")


def normalise_test_id(test_id: str) -> str:
    """`tests/test_x.py::Class::test_y` -> `tests.test_x.Class::test_y`; other forms
    are kept as they are."""
    if "::" not in test_id:
        return test_id
    parts = test_id.split("::")
    module = parts[0]
    if module.endswith(".py"):
        module = module[:-3]
    module = module.replace("\\", "/").strip("/").replace("/", ".")
    return ".".join([module, *parts[1:-1]]) + "::" + parts[-1]


def _worst(results: list[CaseResult]) -> CaseResult:
    return min(results, key=lambda result: WORST_FIRST.index(result.status))


def _case_result(case: object) -> CaseResult:
    for child in case:  # type: ignore[attr-defined]
        tag = _local(child.tag)
        if tag in ("failure", "error"):
            return CaseResult("failed", child.get("message") or (child.text or "").strip() or None)
    for child in case:  # type: ignore[attr-defined]
        if _local(child.tag) == "skipped":
            return CaseResult("skipped", child.get("message") or None)
    return CaseResult("passed")


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def parse_junit(data: bytes, name: str = "report") -> dict[str, CaseResult]:
    """The cases of one report, by key; raises JunitError."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=False)
    except DefusedXmlException as error:
        raise JunitError(
            _("`{name}` is refused: {error}").format(name=name, error=error)
        ) from error
    except ParseError as error:
        raise JunitError(
            _("`{name}` is not well-formed XML: {error}").format(name=name, error=error)
        ) from error
    if _local(root.tag) not in ("testsuites", "testsuite"):
        raise JunitError(
            _("`{name}` is not a JUnit report (root element `{root}`)").format(
                name=name, root=_local(root.tag)
            )
        )
    cases: dict[str, list[CaseResult]] = {}
    for case in root.iter():
        if _local(case.tag) != "testcase":
            continue
        test_name = case.get("name") or ""
        classname = case.get("classname") or ""
        result = _case_result(case)
        keys = (
            [f"{classname}::{test_name}", f"{classname}.{test_name}"] if classname else [test_name]
        )
        for key in keys:
            cases.setdefault(key, []).append(result)
    return {key: _worst(results) for key, results in cases.items()}


def read_junit(paths: list[Path]) -> JunitResults:
    """Read every report (bounded); a case in several reports: the worst result counts."""
    from ..util.files import read_bounded

    reports = []
    for path in paths:
        try:
            reports.append((str(path), read_bounded(path, follow_links=True)))
        except OSError as error:
            raise JunitError(
                _("cannot read `{path}`: {why}").format(path=path, why=error.strerror or error)
            ) from error
    return junit_results(reports)


def junit_results(reports: Iterable[tuple[str, bytes]]) -> JunitResults:
    """The results of reports already read, as (name, bytes); raises JunitError."""
    results = JunitResults()
    digest = hashlib.blake2b(digest_size=16)
    for name, data in reports:
        digest.update(data)
        for key, result in parse_junit(data, name).items():
            known = results.cases.get(key)
            results.cases[key] = result if known is None else _worst([known, result])
        results.reports.append(name)
    results.digest = digest.hexdigest()
    return results


def automated_results(project: Project, results: JunitResults) -> dict[str, CaseResult]:
    """The result of every automated `test` element, by test ID."""
    out: dict[str, CaseResult] = {}
    for test in project.live("test"):
        result = results.result_of(test)
        if test.id is not None and result is not None:
            out.setdefault(test.id, result)
    return out


def verification_statuses(
    project: Project, results: JunitResults
) -> dict[str, RequirementVerification]:
    """The aggregated verification status of every requirement, by requirement ID."""
    by_test = automated_results(project, results)
    verifying: dict[str, list[tuple[str, str]]] = {}
    for test in project.live("test"):
        if test.id is None or not test.has("verifies"):
            continue
        status = by_test[test.id].status if test.id in by_test else "not-automated"
        for value in test.refs("verifies"):
            verifying.setdefault(value.raw, []).append((test.id, status))
    out: dict[str, RequirementVerification] = {}
    for requirement in project.of_kind("requirement"):
        if requirement.id is None or requirement.id in out:
            continue
        tests = verifying.get(requirement.id, [])
        statuses = [status for _, status in tests if status != "not-automated"]
        overall: VerificationStatus
        if not tests:
            overall = "untested"
        elif not statuses:
            overall = "not-automated"
        else:
            overall = min(statuses, key=WORST_FIRST.index)  # type: ignore[arg-type]
        out[requirement.id] = RequirementVerification(overall, tuple(tests))
    return out

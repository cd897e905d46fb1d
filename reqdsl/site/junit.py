"""Test results for the site, from JUnit XML reports (`reqdsl build --junit FILE`).

The reading and matching rules are those of `reqdsl.interop.junit` (the same as
`reqdsl export`: `classname::name` or `classname.name`, pytest node IDs, parametrised
cases, the worst result of several; reports parsed with defusedxml), used whenever that
module is installed. Without it, a small standard-library reader with the same keys
stands in (Python's expat refuses external entities and limits entity expansion).

Statuses: `passed`, `failed` (a <failure> or an <error>), `skipped`, `not-run` (an
automated test in no report). A test that is not automated, or a build given no
report, shows no status.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..model.elements import ModelElement

WORST_FIRST = ("failed", "not-run", "skipped", "passed")


class JunitError(Exception):
    """A report cannot be read or is not JUnit XML."""


@dataclass
class TestResults:
    lookup: Callable[[ModelElement], str | None] | None = None
    digest: str = ""  # of the reports' bytes (part of the site's fingerprint)
    reports: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.lookup is not None

    def result_of(self, test: ModelElement) -> str | None:
        """The test's status; None when it is not automated or no report was given."""
        return self.lookup(test) if self.lookup is not None else None


def load_junit(paths: list[Path]) -> TestResults:
    """Read every report; raises JunitError."""
    if not paths:
        return TestResults()
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            raise JunitError(f"cannot read `{path}`: {error.strerror or error}") from error
    try:
        from ..interop import junit as interop
    except ImportError:
        lookup = _standard_library_reader(paths)
    else:
        try:
            results = interop.read_junit(list(paths))
        except interop.JunitError as error:
            raise JunitError(str(error)) from error

        def lookup(test: ModelElement) -> str | None:
            found = results.result_of(test)
            return found.status if found is not None else None

    return TestResults(lookup, digest.hexdigest(), [str(path) for path in paths])


def _standard_library_reader(paths: list[Path]) -> Callable[[ModelElement], str | None]:
    import xml.etree.ElementTree as ElementTree

    cases: dict[str, str] = {}
    for path in paths:
        try:
            root = ElementTree.fromstring(path.read_bytes())
        except ElementTree.ParseError as error:
            raise JunitError(f"`{path}` is not well-formed XML: {error}") from error
        if root.tag.rsplit("}", 1)[-1] not in ("testsuites", "testsuite"):
            raise JunitError(f"`{path}` is not a JUnit report (root element `{root.tag}`)")
        for case in root.iter("testcase"):
            tags = {child.tag for child in case}
            status = "failed" if tags & {"failure", "error"} else (
                "skipped" if "skipped" in tags else "passed"
            )  # fmt: skip
            name, classname = case.get("name") or "", case.get("classname") or ""
            for key in [f"{classname}::{name}", f"{classname}.{name}"] if classname else [name]:
                known = cases.get(key)
                cases[key] = status if known is None else min(known, status, key=WORST_FIRST.index)

    def lookup(test: ModelElement) -> str | None:
        automated = test.word("automated-by")
        if automated is None or not automated.strip():
            return None
        return cases.get(automated.strip(), "not-run")

    return lookup

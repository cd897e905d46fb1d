"""Test results for the site, from JUnit XML reports (`reqdsl build --junit FILE`, and
those `[tests] junit` in reqdsl.toml names: read with the project by the check pipeline).

The reading and matching rules are those of `reqdsl.interop.junit` (the same as
`reqdsl export`: `classname::name` or `classname.name`, pytest node IDs, parametrised
cases, the worst result of several; reports parsed with defusedxml, so no external entity
or entity expansion is ever processed).

Statuses: `passed`, `failed` (a <failure> or an <error>), `skipped`, `not-run` (an
automated test in no report). A test that is not automated, or a build given no
report, shows no status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model.elements import ModelElement

if TYPE_CHECKING:
    from ..interop.junit import JunitResults


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


def test_results(results: JunitResults | None) -> TestResults:
    """The site's view of the results the checked project holds (None, or no report:
    no status is shown)."""
    if results is None or not results.given:
        return TestResults()

    def lookup(test: ModelElement) -> str | None:
        found = results.result_of(test)
        return found.status if found is not None else None

    return TestResults(lookup, results.digest, results.reports)

"""The traceability matrix as data: a row per requirement, shared by the CSV and XLSX
exports (and usable by the site).

Columns: the requirement (ID, title, statement), where it stands, what it links up to
(`derives-from`, `refines`, `satisfies`), what links down to it (requirements deriving
from or refining it), the tests that verify it with their results, the threats it mitigates, its
compliance references and its gaps (TR001: no upward link, TR002: a need nothing links
to, TR003: verification by test with no test).

`neutralise_cell` keeps spreadsheet cells inert: a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return would be read as a formula by Excel or LibreOffice
(CSV injection, OWASP); it gets a leading apostrophe, which both show as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_
from ..model.facts.trace import trace_facts
from ..model.project import Project
from .junit import JunitResults, verification_statuses
from .model_view import LinkIndex

# The CSV and XLSX headers, in English whatever the language (a file other tools read, as
# JSON keys are); the PDF and DOCX translate them (gettext messages).
COLUMNS = (
    N_("ID"), N_("Title"), N_("Statement"), N_("Document"), N_("Level"), N_("Section"),
    N_("Type"), N_("Priority"), N_("Status"), N_("Verification"), N_("Parents"),
    N_("Children"), N_("Satisfies"), N_("Tests"), N_("Test results"),
    N_("Verification status"), N_("Mitigates"), N_("Compliance"), N_("Gaps"),
)  # fmt: skip
# The columns that hold one model word (a level, a status...): shown as a label.
WORD_COLUMNS = frozenset({"Level", "Type", "Priority", "Status"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UP_FIELDS = ("derives-from", "refines")


def neutralise_cell(text: str) -> str:
    """`text` safe for a spreadsheet cell: no formula, ever."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class MatrixRow:
    id: str
    title: str
    statement: str
    document: str
    level: str
    section: str
    type: str
    priority: str
    status: str
    verification: tuple[str, ...]
    parents: tuple[str, ...]
    children: tuple[str, ...]
    satisfies: tuple[str, ...]
    tests: tuple[str, ...]
    test_results: tuple[tuple[str, str], ...]  # (test ID, status); empty without reports
    verification_status: str  # "" without reports
    mitigates: tuple[str, ...]
    compliance: tuple[str, ...]
    gaps: tuple[str, ...]

    def cells(self) -> list[str]:
        """The row as text cells, in COLUMNS order (not yet neutralised)."""
        return [
            self.id, self.title, self.statement, self.document, self.level, self.section, self.type,
            self.priority, self.status, ", ".join(self.verification), ", ".join(self.parents),
            ", ".join(self.children), ", ".join(self.satisfies), ", ".join(self.tests),
            "; ".join(f"{test}: {status}" for test, status in self.test_results),
            self.verification_status, ", ".join(self.mitigates), ", ".join(self.compliance),
            "; ".join(self.gaps),
        ]  # fmt: skip


def matrix_rows(project: Project, results: JunitResults | None = None) -> list[MatrixRow]:
    """A row per requirement with an ID, in project order."""
    facts = trace_facts(project)
    links = LinkIndex(project)
    verification = verification_statuses(project, results) if results is not None else {}
    rows = []
    for requirement in project.of_kind("requirement"):
        if requirement.id is None:
            continue
        gaps = facts.gaps(requirement)
        incoming = links.incoming(requirement.id)
        first = project.index.get(requirement.id) is requirement
        children = [link.source for link in incoming if link.field in _UP_FIELDS] if first else []
        tests = [link.source for link in incoming if link.field == "verifies"] if first else []
        checked = verification.get(requirement.id) if first else None
        rows.append(
            MatrixRow(
                id=requirement.id,
                title=requirement.title or "",
                statement=requirement.word("statement") or "",
                document=requirement.document or "",
                level=requirement.level or "",
                section=" / ".join(requirement.section),
                type=requirement.word("type") or "",
                priority=requirement.word("priority") or "",
                status=requirement.word("status") or "",
                verification=tuple(v.raw for v in requirement.refs("verification")),
                parents=tuple(v.raw for name in _UP_FIELDS for v in requirement.refs(name)),
                children=tuple(children),
                satisfies=tuple(v.raw for v in requirement.refs("satisfies")),
                tests=tuple(tests),
                test_results=checked.tests if checked is not None else (),
                verification_status=checked.status if checked is not None else "",
                mitigates=tuple(v.raw for v in requirement.refs("mitigates")),
                compliance=tuple(v.raw for v in requirement.refs("compliance")),
                gaps=tuple(gaps),
            )
        )
    return rows

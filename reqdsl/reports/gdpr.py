"""The GDPR report: the Art. 30(1) record of processing, DPIA indicators and the
data-subject rights of Art. 15 to 22 that requirements cover.

One record per `data` element of category personal or special (the category as written,
as the GD rules read it); other data elements are listed by category only. Requirements
count through their `compliance` references, parents included (`gdpr:17(1)(a)` covers
Art. 17). The language ties no requirement to a particular data element, so the security
measures (requirements citing Art. 32) are the same for every record.
"""

from __future__ import annotations

from typing import Literal

from ..catalogs import Catalog, gdpr_article_titles
from ..i18n import _, plural
from ..labels import word_label
from ..model.elements import ModelElement, Val
from ..model.facts.data import (
    CONSENT,
    TRANSFER_ARTICLES,
    is_personal,
    is_transferred,
)
from ..model.project import Project
from .base import (
    Block,
    Citations,
    Document,
    ElementRef,
    ProjectInfo,
    ReportModel,
    Table,
    element_ref,
    fields_table,
    ids,
    project_info,
    ref_to,
)

RIGHTS_ARTICLES = tuple(str(article) for article in range(15, 23))
# Consent as a lawful basis (Art. 6(1)(a)) or explicit consent for special data (9(2)(a)).
CONSENT_REFS = (":".join(CONSENT), "gdpr:9(2)(a)")


class LegalReference(ReportModel):
    """A GDPR reference with its article's title, e.g. `gdpr:6(1)(b)`, Art. 6
    "Lawfulness of processing", topic "Lawful basis: contract"."""

    ref: str
    article: str
    title: str
    topic: str | None = None

    @property
    def label(self) -> str:
        topic = f"; {self.topic}" if self.topic else ""
        return f"{self.ref} (Art. {self.article} {self.title}{topic})"


class DataItem(ReportModel):
    """One `attribute` line: a category of personal data when flagged personal or special."""

    name: str
    type: str
    multiplicity: str | None = None
    flags: list[str]
    sensitivity: Literal["special", "personal"] | None = None


class Recipient(ReportModel):
    """An actor or component the data flows to, and the flows that carry it there."""

    element: ElementRef
    flows: list[str]


class ProcessingRecord(ReportModel):
    data: ElementRef
    category: str
    purpose: str | None
    subjects: str | None
    data_items: list[DataItem]
    lawful_basis: LegalReference | None
    special_condition: LegalReference | None
    recipients: list[Recipient]
    stored_in: list[ElementRef]
    transfer: str | None  # as written; `none` included
    transferred: bool  # a transfer is set and is not `none`
    retention: str | None
    security_measures: list[ElementRef]


class OtherData(ReportModel):
    data: ElementRef
    category: str | None


class DpiaIndicator(ReportModel):
    indicator: Literal["special-category", "transfer", "consent"]
    data: ElementRef
    detail: str
    answered_by: list[ElementRef]  # requirements citing the matching article(s)


class Dpia(ReportModel):
    indicators: list[DpiaIndicator]
    requirements: list[ElementRef]  # requirements citing Art. 35


class RightCoverage(ReportModel):
    article: str
    ref: str  # `gdpr:15`
    title: str
    requirements: list[ElementRef]
    covered: bool


class GdprReport(ReportModel):
    report: Literal["gdpr"] = "gdpr"
    project: ProjectInfo
    records: list[ProcessingRecord]
    other_data: list[OtherData]
    security_measures: list[ElementRef]
    dpia: Dpia
    rights: list[RightCoverage]

    def document(self) -> Document:
        return _document(self)


def build_gdpr_report(project: Project) -> GdprReport:
    citations = Citations(project, ("requirement",))
    catalog = project.catalogs.get("gdpr")
    security = citations.refs_citing("gdpr:32", "requirement")
    flows_by_data = project.back_links("flow", "carries")
    stores_by_data = project.back_links("component", "stores")
    records: list[ProcessingRecord] = []
    other: list[OtherData] = []
    for element in project.live("data"):
        if not is_personal(element):
            other.append(OtherData(data=element_ref(element), category=element.word("category")))
            continue
        records.append(_record(project, catalog, element, security, flows_by_data, stores_by_data))
    return GdprReport(
        project=project_info(project),
        records=records,
        other_data=other,
        security_measures=security,
        dpia=Dpia(
            indicators=_indicators(project, citations, records),
            requirements=citations.refs_citing("gdpr:35", "requirement"),
        ),
        rights=_rights(citations),
    )


def _legal(catalog: Catalog | None, value: Val | None) -> LegalReference | None:
    if value is None or value.value is None:
        return None
    scheme, ref = value.value
    entry = catalog.lookup(ref) if catalog is not None else None
    article = entry.details.get("article", ref) if entry is not None else ref.split("(")[0]
    title = entry.title if entry is not None else gdpr_article_titles().get(article, "")
    topic = entry.details.get("topic") if entry is not None else None
    return LegalReference(ref=f"{scheme}:{ref}", article=article, title=title, topic=topic)


def _recipients(project: Project, flows: list[ModelElement]) -> list[Recipient]:
    """The `to` ends of the flows that carry the data, first appearance first."""
    by_end: dict[str, list[str]] = {}
    for flow in flows:
        end = flow.word("to")
        if end is not None:
            by_end.setdefault(end, []).append(flow.id or "")
    return [Recipient(element=ref_to(project, end), flows=via) for end, via in by_end.items()]


def _sensitivity(flags: list[str]) -> Literal["special", "personal"] | None:
    if "special" in flags:
        return "special"
    return "personal" if "personal" in flags else None


def _data_items(element: ModelElement) -> list[DataItem]:
    items = []
    for attribute in element.attributes:
        flags = [flag.name for flag in attribute.flags]
        items.append(
            DataItem(
                name=attribute.name,
                type=attribute.type,
                multiplicity=attribute.multiplicity,
                flags=flags,
                sensitivity=_sensitivity(flags),
            )
        )
    return items


def _record(
    project: Project,
    catalog: Catalog | None,
    element: ModelElement,
    security: list[ElementRef],
    flows_by_data: dict[str, list[ModelElement]],
    stores_by_data: dict[str, list[ModelElement]],
) -> ProcessingRecord:
    data_id = element.id or ""
    return ProcessingRecord(
        data=element_ref(element),
        category=element.word("category") or "",
        purpose=element.word("purpose"),
        subjects=element.word("subjects"),
        data_items=_data_items(element),
        lawful_basis=_legal(catalog, element.value("lawful-basis")),
        special_condition=_legal(catalog, element.value("special-condition")),
        recipients=_recipients(project, flows_by_data.get(data_id, [])),
        stored_in=[element_ref(c) for c in stores_by_data.get(data_id, [])],
        transfer=element.word("transfer"),
        transferred=is_transferred(element),
        retention=element.word("retention"),
        security_measures=security,
    )


def _citing_any(citations: Citations, refs: tuple[str, ...]) -> list[ElementRef]:
    found: dict[str, ElementRef] = {}
    for ref in refs:
        for cited in citations.refs_citing(ref, "requirement"):
            found.setdefault(cited.id, cited)
    return list(found.values())


def _answer(refs: list[ElementRef], article: str) -> str:
    if refs:
        return f"{article} cited by {ids(refs)}"
    return f"no requirement cites {article}"


def _indicator(
    indicator: Literal["special-category", "transfer", "consent"],
    record: ProcessingRecord,
    finding: str,
    answered_by: list[ElementRef],
    article: str,
) -> DpiaIndicator:
    """One DPIA indicator row of a record: what was found, then whether any requirement
    cites the `article` that answers it."""
    return DpiaIndicator(
        indicator=indicator,
        data=record.data,
        detail=f"{finding}; " + _answer(answered_by, article),
        answered_by=answered_by,
    )


def _indicators(
    project: Project, citations: Citations, records: list[ProcessingRecord]
) -> list[DpiaIndicator]:
    dpia = citations.refs_citing("gdpr:35", "requirement")
    safeguards = _citing_any(citations, TRANSFER_ARTICLES)
    withdrawal = citations.refs_citing("gdpr:7(3)", "requirement")
    found: list[DpiaIndicator] = []
    for record in records:
        if record.category == "special":
            condition = record.special_condition.ref if record.special_condition else "none"
            found.append(
                _indicator(
                    "special-category",
                    record,
                    f"special category (Art. 9), condition {condition}",
                    dpia,
                    "Art. 35 (DPIA)",
                )
            )
        if record.transferred:
            found.append(
                _indicator(
                    "transfer",
                    record,
                    f"transfer: {record.transfer}",
                    safeguards,
                    "Art. 44 to 49 (transfers)",
                )
            )
        bases = [b for b in (record.lawful_basis, record.special_condition) if b is not None]
        consent = [basis.ref for basis in bases if basis.ref in CONSENT_REFS]
        if consent:
            found.append(
                _indicator(
                    "consent",
                    record,
                    f"rests on consent ({', '.join(consent)})",
                    withdrawal,
                    "Art. 7(3) (withdrawal)",
                )
            )
    return found


def _rights(citations: Citations) -> list[RightCoverage]:
    titles = gdpr_article_titles()
    rows = []
    for article in RIGHTS_ARTICLES:
        requirements = citations.refs_citing(f"gdpr:{article}", "requirement")
        rows.append(
            RightCoverage(
                article=article,
                ref=f"gdpr:{article}",
                title=titles.get(article, ""),
                requirements=requirements,
                covered=bool(requirements),
            )
        )
    return rows


# Rendering as a neutral document (text and Markdown).


def _record_block(record: ProcessingRecord) -> Block:
    items = [
        f"{item.name} ({word_label(item.sensitivity)})"
        for item in record.data_items
        if item.sensitivity
    ]
    recipients = [
        _("{recipient} via {flows}").format(recipient=r.element.label, flows=", ".join(r.flows))
        for r in record.recipients
    ]
    lawful = record.lawful_basis.label if record.lawful_basis else ""
    return Block(
        title=_("Record: {data}").format(data=record.data.label),
        level=3,
        table=fields_table(
            [
                (_("category"), word_label(record.category)),
                (_("purpose (Art. 30(1)(b))"), record.purpose),
                (_("data subjects (Art. 30(1)(c))"), record.subjects),
                (_("personal data items (Art. 30(1)(c))"), "; ".join(items)),
                (_("lawful basis (Art. 6)"), lawful),
                (
                    _("special-category condition (Art. 9(2))"),
                    record.special_condition.label if record.special_condition else "",
                ),
                (_("recipients (Art. 30(1)(d))"), "; ".join(recipients)),
                (_("stored in"), ids(record.stored_in)),
                (_("transfer (Art. 30(1)(e))"), record.transfer),
                (_("retention (Art. 30(1)(f))"), record.retention),
                (_("security measures (Art. 30(1)(g), Art. 32)"), ids(record.security_measures)),
            ]
        ),
    )


def _document(report: GdprReport) -> Document:
    name = report.project.name
    blocks = [
        Block(
            title=_("Record of processing activities (Art. 30(1))"),
            text=plural(
                "{n} data element holds personal data (categories personal and special).",
                "{n} data elements hold personal data (categories personal and special).",
                len(report.records),
            ),
        ),
        *(_record_block(record) for record in report.records),
        Block(
            title=_("Other data"),
            text=_("Data elements not of category personal or special: no record."),
            table=Table(
                columns=[_("data"), _("category")],
                rows=[[o.data.label, word_label(o.category or "")] for o in report.other_data],
            ),
        ),
        Block(
            title=_("DPIA indicators"),
            text=_("Requirements citing Art. 35: {refs}").format(
                refs=ids(report.dpia.requirements) or _("none")
            ),
            table=Table(
                columns=[_("indicator"), _("data"), _("detail")],
                rows=[[i.indicator, i.data.id, i.detail] for i in report.dpia.indicators],
            ),
        ),
        Block(
            title=_("Data-subject rights (Art. 15 to 22)"),
            table=Table(
                columns=[_("article"), _("right"), _("covered"), _("requirements")],
                rows=[
                    [
                        f"Art. {r.article}",
                        r.title,
                        _("yes") if r.covered else _("no"),
                        ids(r.requirements),
                    ]
                    for r in report.rights
                ],
            ),
        ),
    ]
    return Document(title=_("GDPR record of processing: {name}").format(name=name), blocks=blocks)

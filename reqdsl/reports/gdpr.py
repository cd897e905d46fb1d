"""The GDPR report: the Art. 30(1) record of processing (the parties of Art. 30(1)(a)
first), the processor's record of Art. 30(2) when the project is a processor, DPIA
indicators and outcome, and the data-subject rights of Art. 15 to 22 that requirements
cover or that reqdsl.toml declares not applicable.

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
from ..model.config import GdprRecordConfig, Party
from ..model.elements import ModelElement, Val
from ..model.facts.data import (
    CONSENT,
    TRANSFER_ARTICLES,
    is_personal,
    is_transferred,
)
from ..model.facts.gdpr_roles import RIGHTS_ARTICLES, is_recipient, role_of, third_country
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
    """An actor or component outside the controller that the data flows to (Art. 4(9)),
    the flows that carry it there, its GDPR role (None: an actor whose role is not
    stated), the Art. 28 contract of a processor, and a third country with its Chapter V
    basis."""

    element: ElementRef
    flows: list[str]
    role: str | None = None
    contract: str | None = None
    third_country: str | None = None
    transfer_basis: LegalReference | None = None

    @property
    def label(self) -> str:
        """`SMS-GW (SMS gateway): processor, contract DPA-1, United Kingdom
        (gdpr:45(3)); via F-SMS`, for the text and Markdown record."""
        parts = [self.role or "role not stated"]
        if self.contract:
            parts.append(f"contract {self.contract}")
        if self.third_country:
            basis = self.transfer_basis.ref if self.transfer_basis else "no Chapter V basis"
            parts.append(f"{self.third_country} ({basis})")
        return f"{self.element.label}: {', '.join(parts)}; via {', '.join(self.flows)}"


class PartyInfo(ReportModel):
    """A party of the record (Art. 30(1)(a), 30(2)(a)): name and contact details."""

    name: str
    contact: str

    @property
    def label(self) -> str:
        return "; ".join(part for part in (self.name, self.contact) if part)


class RecordParties(ReportModel):
    """Who keeps the record, from `[compliance.gdpr]` in reqdsl.toml."""

    role: Literal["controller", "processor"]
    controller: PartyInfo | None
    joint_controllers: list[PartyInfo]
    representative: PartyInfo | None
    dpo: PartyInfo | None
    processor: PartyInfo | None  # the project's own organisation when role is processor


class ProcessingRecord(ReportModel):
    """One record of processing (Art. 30(1)). `recipients` are the parties outside the
    controller (Art. 30(1)(d)); `internal` the controller's own actors and components the
    data also flows to, shown apart so that the record does not list them as recipients."""

    data: ElementRef
    category: str
    purpose: str | None
    subjects: str | None
    data_items: list[DataItem]
    lawful_basis: LegalReference | None
    special_condition: LegalReference | None
    recipients: list[Recipient]
    internal: list[ElementRef]
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
    indicated: bool  # special-category data: Art. 35(3)(b) (GD010)
    outcome: Literal["required", "not-required"] | None  # from reqdsl.toml
    reference: str | None
    justification: str | None

    @property
    def outcome_label(self) -> str:
        """The outcome in one line, as the text and Markdown reports print it."""
        if self.outcome is None:
            return "not recorded" + (
                " (indicated: special-category data)" if self.indicated else ""
            )
        detail = self.reference if self.outcome == "required" else self.justification
        return self.outcome + (f": {detail}" if detail else "")


RightStatus = Literal["covered", "not-applicable", "not-covered"]
RIGHT_STATUS_LABELS = {
    "covered": "covered",
    "not-applicable": "not applicable",
    "not-covered": "not covered",
}


class RightCoverage(ReportModel):
    article: str
    ref: str  # `gdpr:15`
    title: str
    requirements: list[ElementRef]
    covered: bool
    # covered: a requirement cites it; not-applicable: declared in reqdsl.toml with a
    # justification (a citation wins, and GD011 reports the contradiction).
    status: RightStatus
    justification: str | None = None


class ProcessingCategory(ReportModel):
    """A category of processing carried out on behalf of the controller (Art. 30(2)(b))."""

    data: ElementRef
    purpose: str | None


class ProcessorRecord(ReportModel):
    """The processor's own record (Art. 30(2)), when the project is a processor."""

    categories: list[ProcessingCategory]
    transfers: list[str]  # Art. 30(2)(c): data `transfer`s and third-country recipients
    security_measures: list[ElementRef]  # Art. 30(2)(d)


class GdprReport(ReportModel):
    report: Literal["gdpr"] = "gdpr"
    project: ProjectInfo
    parties: RecordParties
    records: list[ProcessingRecord]
    processor_record: ProcessorRecord | None
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
    config = project.config.gdpr
    return GdprReport(
        project=project_info(project),
        parties=_parties(config),
        records=records,
        processor_record=_processor_record(records, security)
        if config.role == "processor"
        else None,
        other_data=other,
        security_measures=security,
        dpia=Dpia(
            indicators=_indicators(project, citations, records),
            requirements=citations.refs_citing("gdpr:35", "requirement"),
            indicated=any(record.category == "special" for record in records),
            outcome=config.dpia_outcome,  # type: ignore[arg-type]  # checked on load
            reference=config.dpia_reference or None,
            justification=config.dpia_justification or None,
        ),
        rights=_rights(citations, config.not_applicable),
    )


def _party(party: Party | None) -> PartyInfo | None:
    if party is None:
        return None
    return PartyInfo(name=party.name, contact=party.contact)


def _parties(config: GdprRecordConfig) -> RecordParties:
    return RecordParties(
        role=config.role,  # type: ignore[arg-type]  # checked on load
        controller=_party(config.parties.get("controller")),
        joint_controllers=[
            PartyInfo(name=p.name, contact=p.contact) for p in config.joint_controllers
        ],
        representative=_party(config.parties.get("representative")),
        dpo=_party(config.parties.get("dpo")),
        processor=_party(config.parties.get("processor")),
    )


def _processor_record(
    records: list[ProcessingRecord], security: list[ElementRef]
) -> ProcessorRecord:
    transfers = [f"{r.data.id}: {r.transfer}" for r in records if r.transferred]
    for record in records:
        for recipient in record.recipients:
            if recipient.third_country:
                basis = recipient.transfer_basis.ref if recipient.transfer_basis else "no basis"
                line = (
                    f"{record.data.id}: {recipient.element.id}, {recipient.third_country} ({basis})"
                )
                transfers.append(line)
    return ProcessorRecord(
        categories=[ProcessingCategory(data=r.data, purpose=r.purpose) for r in records],
        transfers=transfers,
        security_measures=security,
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


def _ends(flows: list[ModelElement]) -> dict[str, list[str]]:
    """The `to` ends of the flows that carry the data, first appearance first."""
    by_end: dict[str, list[str]] = {}
    for flow in flows:
        end = flow.word("to")
        if end is not None:
            by_end.setdefault(end, []).append(flow.id or "")
    return by_end


def _recipient(project: Project, catalog: Catalog | None, end: str, flows: list[str]) -> Recipient:
    element = project.index.get(end)
    contract = element.word("contract") if element is not None else None
    return Recipient(
        element=ref_to(project, end),
        flows=flows,
        role=role_of(element),
        contract=contract if contract and contract.strip() else None,
        third_country=third_country(element),
        transfer_basis=_legal(catalog, element.value("transfer-basis")) if element else None,
    )


def _recipients(
    project: Project, catalog: Catalog | None, flows: list[ModelElement]
) -> tuple[list[Recipient], list[ElementRef]]:
    """Recipients outside the controller (Art. 30(1)(d)), and the controller's own ends.
    An unresolved end is listed as a recipient: links count as written, nothing hidden."""
    outside: list[Recipient] = []
    internal: list[ElementRef] = []
    for end, via in _ends(flows).items():
        element = project.index.get(end)
        if element is None or is_recipient(element):
            outside.append(_recipient(project, catalog, end, via))
        elif role_of(element) != "data-subject":
            internal.append(element_ref(element))
    return outside, internal


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
    recipients, internal = _recipients(project, catalog, flows_by_data.get(data_id, []))
    return ProcessingRecord(
        data=element_ref(element),
        category=element.word("category") or "",
        purpose=element.word("purpose"),
        subjects=element.word("subjects"),
        data_items=_data_items(element),
        lawful_basis=_legal(catalog, element.value("lawful-basis")),
        special_condition=_legal(catalog, element.value("special-condition")),
        recipients=recipients,
        internal=internal,
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


def _right_status(covered: bool, justification: str | None) -> RightStatus:
    if covered:
        return "covered"
    return "not-applicable" if justification and justification.strip() else "not-covered"


def _rights(citations: Citations, not_applicable: dict[str, str]) -> list[RightCoverage]:
    titles = gdpr_article_titles()
    rows = []
    for article in RIGHTS_ARTICLES:
        requirements = citations.refs_citing(f"gdpr:{article}", "requirement")
        justification = not_applicable.get(article)
        rows.append(
            RightCoverage(
                article=article,
                ref=f"gdpr:{article}",
                title=titles.get(article, ""),
                requirements=requirements,
                covered=bool(requirements),
                status=_right_status(bool(requirements), justification),
                justification=justification,
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
    recipients = [r.label for r in record.recipients]
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
                (_("within the controller"), ids(record.internal)),
                (_("stored in"), ids(record.stored_in)),
                (_("transfer (Art. 30(1)(e))"), record.transfer),
                (_("retention (Art. 30(1)(f))"), record.retention),
                (_("security measures (Art. 30(1)(g), Art. 32)"), ids(record.security_measures)),
            ]
        ),
    )


def _party_cell(party: PartyInfo | None, missing: str = "not recorded") -> str:
    return party.label if party is not None else missing


def _parties_block(parties: RecordParties) -> Block:
    rows: list[tuple[str, str | None]] = [("role", parties.role)]
    if parties.role == "processor":
        rows.append(("processor (Art. 30(2)(a))", _party_cell(parties.processor)))
    rows += [
        ("controller (Art. 30(1)(a))", _party_cell(parties.controller)),
        ("joint controllers (Art. 26)", "; ".join(p.label for p in parties.joint_controllers)),
        ("representative (Art. 27)", _party_cell(parties.representative, "none")),
        ("data protection officer (Art. 37)", _party_cell(parties.dpo, "none")),
    ]
    return Block(title="Controller and contacts (Art. 30(1)(a))", table=fields_table(rows))


def _processor_blocks(record: ProcessorRecord | None) -> list[Block]:
    if record is None:
        return []
    return [
        Block(
            title="Processor's record (Art. 30(2))",
            text="Security measures (Art. 30(2)(d), Art. 32): "
            + (ids(record.security_measures) or "none"),
            table=Table(
                columns=["data", "processing on behalf of the controller (Art. 30(2)(b))"],
                rows=[[c.data.label, c.purpose or ""] for c in record.categories],
            ),
        ),
        Block(
            title="Transfers to third countries (Art. 30(2)(c))",
            table=Table(columns=["transfer"], rows=[[t] for t in record.transfers]),
        ),
    ]


def _document(report: GdprReport) -> Document:
    name = report.project.name
    blocks = [
        _parties_block(report.parties),
        *_processor_blocks(report.processor_record),
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
            )
            + _(". DPIA outcome (Art. 35): {outcome}.").format(
                outcome=_(report.dpia.outcome_label)
            ),
            table=Table(
                columns=[_("indicator"), _("data"), _("detail")],
                rows=[[i.indicator, i.data.id, i.detail] for i in report.dpia.indicators],
            ),
        ),
        Block(
            title=_("Data-subject rights (Art. 15 to 22)"),
            table=Table(
                columns=[
                    _("article"),
                    _("right"),
                    _("status"),
                    _("requirements"),
                    _("justification"),
                ],
                rows=[
                    [
                        f"Art. {r.article}",
                        r.title,
                        _(RIGHT_STATUS_LABELS[r.status]),
                        ids(r.requirements),
                        r.justification or "",
                    ]
                    for r in report.rights
                ],
            ),
        ),
    ]
    return Document(title=_("GDPR record of processing: {name}").format(name=name), blocks=blocks)

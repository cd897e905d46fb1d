"""GDPR rules (GD): what the data model says about personal data, checked against the
Regulation (EU) 2016/679 articles the requirements cite.

A data element's category is taken from its `category` field as written (attribute flags
do not change it). "Cites" follows `CheckContext.cited()`: a requirement citing
`gdpr:17(1)(b)` cites Art. 17(1) and Art. 17 too. Links count as written (spec section 5).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Related, Severity
from ..i18n import N_, _
from ..labels import word_label
from ..model.elements import ModelElement
from ..model.facts.data import CONSENT, TRANSFER_ARTICLES, is_personal, is_transferred
from ..model.facts.fields import is_written
from ..model.facts.gdpr_roles import (
    PROCESSOR_ROLES,
    RIGHTS_ARTICLES,
    personal_flows,
    role_of,
    third_country,
    transfer_basis_ok,
)
from .registry import CheckContext, Finding, rule


@rule(
    "GD001",
    "gdpr.no-lawful-basis",
    Severity.ERROR,
    "personal data without a lawful basis",
    scope="file",
)
def no_lawful_basis(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `data` element of category personal or special that has no `lawful-basis`
        field. The diagnostic points at the data element's ID.

    Why it matters:
        Processing personal data is lawful only on one of the six bases of Art. 6(1)
        (consent, contract, legal obligation, vital interests, public task, legitimate
        interests). The record of processing activities (Art. 30) must name it, and the
        basis decides which rights the data subject has: without it, nobody can tell
        whether erasure or portability applies.

    Example:
        data CUSTOMER "Customer" {
            category: personal          # no lawful-basis: GD001
            retention: "5 years"
        }

    Fix:
        Add the basis the processing rests on, e.g. `lawful-basis: gdpr:6(1)(b)` for data
        needed to perform a contract. If the data is not personal after all, correct its
        `category`.

    Reference:
        Regulation (EU) 2016/679, Art. 6(1) (lawfulness of processing) and Art. 30(1)(b)
        (purposes in the record of processing activities).
    """
    for element in context.project.live("data"):
        if is_personal(element) and not element.has("lawful-basis"):
            yield Finding.at(
                element,
                None,
                _("{category} data `{id}` has no `lawful-basis`").format(
                    category=element.word("category"), id=element.id
                ),
                hint=_("add `lawful-basis:` with an Art. 6(1) point, e.g. `gdpr:6(1)(b)`"),
            )


@rule(
    "GD002",
    "gdpr.no-special-condition",
    Severity.ERROR,
    "special-category data without an Art. 9(2) condition",
    scope="file",
)
def no_special_condition(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `data` element of category special whose `special-condition` is missing (at
        the data's ID) or is not under Art. 9(2), that is neither `gdpr:9(2)` nor one of
        its points `gdpr:9(2)(a)` to `gdpr:9(2)(j)` (at the value). A value that is not a
        GDPR reference at all is already SM004 and is not reported again.

    Why it matters:
        Art. 9(1) prohibits processing special categories of personal data (health,
        genetic and biometric data, religion, political opinions, sexual orientation,
        and so on) unless one of the exceptions of Art. 9(2) applies, in addition to an
        Art. 6 lawful basis. A lawful basis alone does not make health data lawful to
        process.

    Example:
        data PATIENT "Patient" {
            category: special
            lawful-basis: gdpr:6(1)(b)
            special-condition: gdpr:6(1)(c)   # not under Art. 9(2): GD002
        }

    Fix:
        Name the Art. 9(2) exception the processing relies on, e.g.
        `special-condition: gdpr:9(2)(h)` for health care or `gdpr:9(2)(a)` for explicit
        consent.

    Reference:
        Regulation (EU) 2016/679, Art. 9(1) and 9(2) (processing of special categories of
        personal data).
    """
    catalog = context.project.catalogs.get("gdpr")
    for element in context.project.live("data"):
        if element.word("category") != "special":
            continue
        if not element.has("special-condition"):
            yield Finding.at(
                element,
                None,
                _("special-category data `{id}` has no `special-condition`").format(id=element.id),
                hint=_("add `special-condition:` with an Art. 9(2) point, e.g. `gdpr:9(2)(h)`"),
            )
            continue
        value = element.value("special-condition")
        if value is None:
            continue  # not a GDPR reference: SM004 already
        scheme, ref = value.value
        parents = catalog.cited(ref) if catalog is not None else [ref]
        if scheme == "gdpr" and "9(2)" in parents:
            continue
        yield Finding.at(
            element,
            value.span,
            _("special-condition `{value}` of `{id}` is not under Art. 9(2)").format(
                value=value.raw, id=element.id
            ),
            hint=_("use one of the exceptions gdpr:9(2)(a) to gdpr:9(2)(j)"),
        )


@rule(
    "GD003",
    "gdpr.no-retention",
    Severity.WARNING,
    "personal data without a retention period",
    scope="file",
)
def no_retention(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `data` element of category personal or special with no `retention` field, or
        with a blank one. The diagnostic points at the data element's ID.

    Why it matters:
        The storage limitation principle of Art. 5(1)(e) allows personal data to be kept
        in identifiable form no longer than its purpose needs, and Art. 13(2)(a) and
        30(1)(f) require the period (or the criteria that set it) to be told to data
        subjects and written in the record of processing. Without a stated period no
        deletion job is ever specified, built or tested.

    Example:
        data LEAD "Sales lead" {
            category: personal
            lawful-basis: gdpr:6(1)(f)     # no retention: GD003
        }

    Fix:
        State how long the data is kept, or the event that ends it, e.g.
        `retention: "2 years after the last contact"`.

    Reference:
        Regulation (EU) 2016/679, Art. 5(1)(e) (storage limitation), Art. 13(2)(a) and
        Art. 30(1)(f).
    """
    for element in context.project.live("data"):
        if is_personal(element) and not is_written(element, "retention"):
            yield Finding.at(
                element,
                None,
                _("{category} data `{id}` has no `retention`").format(
                    category=element.word("category"), id=element.id
                ),
                hint=_('add `retention:` with a period or an end event, e.g. "2 years"'),
            )


@rule(
    "GD004",
    "gdpr.consent-without-withdrawal",
    Severity.WARNING,
    "consent as lawful basis but no requirement for withdrawing it",
)
def consent_without_withdrawal(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `lawful-basis` of consent (`gdpr:6(1)(a)`) while no requirement's `compliance`
        cites `gdpr:7(3)`, the right to withdraw consent. The diagnostic points at the
        lawful-basis value; one per data element.

    Why it matters:
        Consent is a valid basis only if the data subject can withdraw it at any time,
        as easily as it was given (Art. 7(3)); after withdrawal, processing on that basis
        must stop. A specification that relies on consent but never requires a way to
        withdraw it describes a system that cannot be operated lawfully.

    Example:
        data NEWSLETTER "Newsletter subscription" {
            category: personal
            lawful-basis: gdpr:6(1)(a)    # GD004 unless a requirement cites gdpr:7(3)
            retention: "until consent is withdrawn"
        }

    Fix:
        Add a requirement for withdrawal and cite the article, e.g. a requirement "The
        portal shall let a subscriber withdraw consent with one click." with
        `compliance: gdpr:7(3)`.

    Reference:
        Regulation (EU) 2016/679, Art. 6(1)(a) (consent) and Art. 7(3) (withdrawal of
        consent); EDPB Guidelines 05/2020 on consent.
    """
    if "gdpr:7(3)" in context.cited():
        return
    for element in context.project.live("data"):
        value = element.value("lawful-basis")
        if value is not None and tuple(value.value) == CONSENT:
            yield Finding.at(
                element,
                value.span,
                _(
                    "`{id}` rests on consent (`{value}`) but no requirement cites "
                    "`gdpr:7(3)` (withdrawal of consent)"
                ).format(id=element.id, value=value.raw),
                hint=_("add a requirement for withdrawing consent with `compliance: gdpr:7(3)`"),
            )


@rule(
    "GD005",
    "gdpr.stored-without-rights",
    Severity.WARNING,
    "personal data stored but no requirements for access and erasure",
)
def stored_without_rights(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A component whose `stores` names a data element of category personal or special,
        unless some requirement cites Art. 15 (right of access) and some requirement cites
        Art. 17 (right to erasure); citing a paragraph or point, such as `gdpr:17(1)(a)`,
        counts. One diagnostic per component, at the first `stores` item holding personal
        data; the message names the missing articles.

    Why it matters:
        Wherever personal data is stored, the controller must be able to find all of a
        data subject's data and hand over a copy (Art. 15) and delete it on request
        (Art. 17). Those are features to specify, build and test; a store without them
        turns every access or erasure request into manual database work.

    Example:
        component CRM "Customer store" {
            kind: datastore
            stores: CUSTOMER              # GD005 unless requirements cite gdpr:15 and gdpr:17
        }

    Fix:
        Add requirements for exporting and erasing a data subject's data and cite the
        articles, e.g. `compliance: gdpr:15(3)` and `compliance: gdpr:17(1)`.

    Reference:
        Regulation (EU) 2016/679, Art. 15 (right of access by the data subject) and
        Art. 17 (right to erasure); Art. 12(3) (one month to answer).
    """
    cited = context.cited()
    missing = [
        label
        for ref, label in (("gdpr:15", _("Art. 15 (access)")), ("gdpr:17", _("Art. 17 (erasure)")))
        if ref not in cited
    ]
    if not missing:
        return
    project = context.project
    for element in project.live("component"):
        stored = [
            value for value in element.refs("stores") if is_personal(project.index.get(value.raw))
        ]
        if not stored:
            continue
        first = project.index[stored[0].raw]
        names = ", ".join(f"`{value.raw}`" for value in stored)
        yield Finding.at(
            element,
            stored[0].span,
            _("`{id}` stores personal data ({names}) but no requirement cites {missing}").format(
                id=element.id, names=names, missing=_(" or ").join(missing)
            ),
            hint=_(
                "add requirements for access and erasure with `compliance: gdpr:15` and "
                "`compliance: gdpr:17` (or a paragraph of them)"
            ),
            related=[
                Related(_("`{id}` is defined here").format(id=first.id), first.path, first.anchor)
            ],
        )


@rule(
    "GD006",
    "gdpr.no-dpia-or-transfer-safeguard",
    Severity.WARNING,
    "special data without a DPIA, or a transfer abroad without a Chapter V safeguard",
)
def no_dpia_or_transfer_safeguard(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Two causes, each reported once per data element. First, a `data` element of
        category special while no requirement cites `gdpr:35` (data protection impact
        assessment), at the data's ID. Second, a `data` element whose `transfer` is set
        to anything but `none` while no requirement cites any of Art. 44 to 49 (transfers
        to third countries), at the transfer value. A paragraph or point counts for its
        article.

    Why it matters:
        Processing special categories on a large scale is one of the cases where
        Art. 35(3)(b) makes a DPIA mandatory before the processing starts; the DPIA is a
        deliverable the project must plan. A transfer of personal data outside the EEA is
        lawful only under Chapter V: an adequacy decision (Art. 45), appropriate
        safeguards such as standard contractual clauses (Art. 46), binding corporate
        rules (Art. 47) or a derogation (Art. 49), all under the general principle of
        Art. 44. The specification must require whichever applies.

    Example:
        data ANALYTICS "Usage analytics" {
            category: personal
            lawful-basis: gdpr:6(1)(f)
            retention: "26 months"
            transfer: "United States, standard contractual clauses"   # GD006
        }

    Fix:
        For special data, add a requirement to carry out the DPIA with
        `compliance: gdpr:35(1)`. For a transfer, add a requirement for its safeguard and
        cite it, e.g. `compliance: gdpr:46(2)(c)` for standard contractual clauses; write
        `transfer: none` when the data stays in the EEA.

    Reference:
        Regulation (EU) 2016/679, Art. 35 (data protection impact assessment) and
        Chapter V, Art. 44 to 49 (transfers of personal data to third countries or
        international organisations).
    """
    cited = context.cited()
    needs_dpia = "gdpr:35" not in cited
    needs_safeguard = not any(ref in cited for ref in TRANSFER_ARTICLES)
    for element in context.project.live("data"):
        if needs_dpia and element.word("category") == "special":
            yield Finding.at(
                element,
                None,
                _(
                    "special-category data `{id}` but no requirement cites `gdpr:35` "
                    "(data protection impact assessment)"
                ).format(id=element.id),
                hint=_("add a requirement to carry out a DPIA with `compliance: gdpr:35(1)`"),
            )
        transfer = element.value("transfer")
        if needs_safeguard and transfer is not None and is_transferred(element):
            yield Finding.at(
                element,
                transfer.span,
                _(
                    "`{id}` is transferred (`{transfer}`) but no requirement cites "
                    "Art. 44 to 49 (transfers to third countries)"
                ).format(id=element.id, transfer=transfer.raw),
                hint=_(
                    "add a requirement for the transfer's safeguard, e.g. with "
                    "`compliance: gdpr:46(2)(c)`, or write `transfer: none`"
                ),
            )


def _first_personal(context: CheckContext, category: str | None = None) -> ModelElement | None:
    """The first personal (or, with `category`, that category's) data element."""
    for element in context.project.live("data"):
        if is_personal(element) and (category is None or element.word("category") == category):
            return element
    return None


def _config_place(context: CheckContext, key: tuple[str, ...], fallback: ModelElement) -> Finding:
    """A finding's place: the key in reqdsl.toml when the `[compliance.gdpr]` table is
    written (the record is kept there), else the data element that makes it needed."""
    config = context.config
    if config.gdpr.declared and config.source is not None:
        return Finding("", config.relpath, config.key_span(key))
    return Finding.at(fallback, None, "")


@rule(
    "GD007",
    "gdpr.record-without-controller",
    Severity.INFO,
    "personal data, but the record names no controller (or processor) with contact details",
)
def record_without_controller(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A project that holds personal or special data while `[compliance.gdpr]` in
        reqdsl.toml does not give the `controller`'s `name` and `contact`; when the
        project declares `role = "processor"`, also the `processor`'s own. One per
        missing party, at its key in reqdsl.toml when `[compliance.gdpr]` is written,
        else at the first personal data element. An info by default: a specification
        may leave the record of processing to the organisation's own register; a
        project that keeps its record in reqdsl raises it with
        `[checks] severity = { GD007 = "warning" }`.

    Why it matters:
        The record of processing activities starts with "the name and contact details of
        the controller and, where applicable, the joint controller, the controller's
        representative and the data protection officer" (Art. 30(1)(a)); a processor's
        record names the processor and each controller it acts for (Art. 30(2)(a)). A
        record without them cannot be handed to a supervisory authority (Art. 30(4)).

    Example:
        [compliance.gdpr]
        controller = { name = "Riverside Clinic" }   # GD007: no contact details

    Fix:
        Write the parties under `[compliance.gdpr]` in reqdsl.toml, e.g.
        `controller = { name = "Riverside Clinic", contact = "privacy@riverside.example" }`,
        and `dpo = { ... }` where a data protection officer is designated.

    Reference:
        Regulation (EU) 2016/679, Art. 30(1)(a), Art. 30(2)(a), Art. 30(4), Art. 37.
    """
    first = _first_personal(context)
    if first is None:
        return
    record = context.config.gdpr
    needed = ["controller", "processor"] if record.role == "processor" else ["controller"]
    for party in needed:
        written = record.parties.get(party)
        missing = [
            key
            for key in ("name", "contact")
            if written is None or not getattr(written, key).strip()
        ]
        if not missing:
            continue
        article = (
            "Art. 30(2)(a)"
            if party == "processor" or record.role == "processor"
            else "Art. 30(1)(a)"
        )
        place = _config_place(context, ("compliance", "gdpr", party), first)
        what = {
            ("controller", "name"): N_("controller name"),
            ("controller", "contact"): N_("controller contact"),
            ("controller", "name", "contact"): N_("controller name and contact"),
            ("processor", "name"): N_("processor name"),
            ("processor", "contact"): N_("processor contact"),
            ("processor", "name", "contact"): N_("processor name and contact"),
        }
        place.message = _(
            "the project processes personal data (`{id}`) but the record of processing "
            "has no {missing} ({article})"
        ).format(
            id=first.id,
            missing=_(what[(party, *missing)]),
            article=article,
        )
        place.hint = _(
            'write `{party} = {{ name = "...", contact = "..." }}` under [compliance.gdpr] '
            "in reqdsl.toml"
        ).format(party=party)
        yield place


@rule(
    "GD008",
    "gdpr.processor-without-contract",
    Severity.WARNING,
    "personal data flows to a processor that has no Art. 28 contract reference",
)
def processor_without_contract(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        An actor or component whose `gdpr-role` is `processor` or `sub-processor`, that a
        flow carrying personal or special data reaches (`to`), and that has no
        `contract` (or a blank one). One per processor, at its `gdpr-role` value; the
        first such flow is the related location.

    Why it matters:
        Processing by a processor "shall be governed by a contract or other legal act"
        binding it to the controller (Art. 28(3)), and a sub-processor needs the
        controller's authorisation and the same obligations (Art. 28(2), 28(4)). The
        record of processing names the recipients (Art. 30(1)(d)); an auditor asks for
        the contract of each processor among them.

    Example:
        actor SMS-GW "SMS gateway" {
            kind: system
            gdpr-role: processor      # GD008: personal data flows to it, no contract
        }

    Fix:
        Name the contract: `contract: "DPA-2026-014, signed 2026-03-02"`; if the party
        decides the purposes itself, it is not a processor: correct its `gdpr-role`.

    Reference:
        Regulation (EU) 2016/679, Art. 28(2) to 28(4), Art. 30(1)(d).
    """
    seen: set[int] = set()
    for item in personal_flows(context.project):
        end = item.to
        if end is None or role_of(end) not in PROCESSOR_ROLES or id(end) in seen or end.broken:
            continue
        seen.add(id(end))
        if is_written(end, "contract"):
            continue
        role = end.value("gdpr-role")
        yield Finding.at(
            end,
            role.span if role is not None else None,
            _(
                "{role} `{id}` receives personal data ({data}) but has no `contract` (Art. 28(3))"
            ).format(role=word_label(role_of(end) or ""), id=end.id, data=", ".join(item.data)),
            hint=_('add `contract: "..."` naming the data processing agreement'),
            related=[
                Related(
                    _("`{id}` carries it there").format(id=item.flow.id),
                    item.flow.path,
                    item.flow.anchor,
                )
            ],
        )


@rule(
    "GD009",
    "gdpr.third-country-without-basis",
    Severity.WARNING,
    "personal data flows to a third country without a Chapter V basis",
)
def third_country_without_basis(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        An actor or component with a `third-country`, that a flow carrying personal or
        special data reaches (`to`), and whose `transfer-basis` is missing (at the
        `third-country` value) or is a GDPR reference outside Art. 44 to 49 (at the
        `transfer-basis` value). One per element.

    Why it matters:
        A transfer of personal data to a third country may take place only under
        Chapter V: an adequacy decision (Art. 45), appropriate safeguards such as
        standard contractual clauses or binding corporate rules (Art. 46, 47), or a
        derogation for a specific situation (Art. 49), all under Art. 44. The record of
        processing names the third country and, for Art. 49(1) second subparagraph
        transfers, the safeguards (Art. 30(1)(e)).

    Example:
        actor SMS-GW "SMS gateway" {
            kind: system
            third-country: "United Kingdom"   # GD009: no transfer-basis
        }

    Fix:
        Name the basis: `transfer-basis: gdpr:45(3)` for an adequacy decision,
        `gdpr:46(2)(c)` for standard contractual clauses.

    Reference:
        Regulation (EU) 2016/679, Chapter V (Art. 44 to 49), Art. 30(1)(e).
    """
    project = context.project
    seen: set[int] = set()
    for item in personal_flows(project):
        end = item.to
        if end is None or end.broken or id(end) in seen or third_country(end) is None:
            continue
        seen.add(id(end))
        ok = transfer_basis_ok(project, end)
        if ok:
            continue
        basis = end.value("transfer-basis")
        if end.has("transfer-basis") and basis is None:
            continue  # not a GDPR reference: SM004 already
        country = end.value("third-country")
        span = basis.span if basis is not None else (country.span if country else None)
        why = (
            _("`{basis}` is not under Art. 44 to 49").format(basis=basis.raw)
            if basis is not None
            else _("no `transfer-basis`")
        )
        yield Finding.at(
            end,
            span,
            _("`{id}` in {country} receives personal data ({data}): {why} (Chapter V)").format(
                id=end.id, country=third_country(end), data=", ".join(item.data), why=why
            ),
            hint=_(
                "add `transfer-basis:` with the Chapter V article, e.g. `gdpr:45(3)` "
                "(adequacy) or `gdpr:46(2)(c)` (standard contractual clauses)"
            ),
            related=[
                Related(
                    _("`{id}` carries it there").format(id=item.flow.id),
                    item.flow.path,
                    item.flow.anchor,
                )
            ],
        )


@rule(
    "GD010",
    "gdpr.dpia-outcome-missing",
    Severity.INFO,
    "DPIA indicated by special-category data, but no DPIA outcome recorded",
)
def dpia_outcome_missing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A project that holds data of category special (the DPIA indicator of
        Art. 35(3)(b)) while `[compliance.gdpr.dpia]` in reqdsl.toml records no
        `outcome`; or whose outcome is `required` with no `reference` to the DPIA, or
        `not-required` with no `justification`. Also, with no special data, an outcome
        that is incomplete in the same way. At the `outcome` key (or the `[compliance.gdpr]`
        table, or the first special data element when the table is not written). An
        info by default, like GD007: raise it where the project keeps its record.

    Why it matters:
        Where processing is likely to result in a high risk, in particular large-scale
        processing of special categories, the controller carries out a DPIA before the
        processing (Art. 35(1), 35(3)(b)). GD006 asks for the requirement to do it; the
        auditor asks for its result: was it required, where is it, or why was it not.

    Example:
        [compliance.gdpr.dpia]
        outcome = "required"           # GD010: no reference to the DPIA

    Fix:
        Record the outcome: `outcome = "required"` with `reference = "DPIA-2026-01"`, or
        `outcome = "not-required"` with the `justification`.

    Reference:
        Regulation (EU) 2016/679, Art. 35(1), 35(3)(b), 35(7); EDPB (WP29) guidelines on
        DPIA, WP 248 rev.01.
    """
    record = context.config.gdpr
    special = _first_personal(context, "special")
    outcome = record.dpia_outcome
    if outcome is None:
        if special is None:
            return
        place = _config_place(context, ("compliance", "gdpr"), special)
        place.message = _(
            "special-category data (`{id}`) indicates a DPIA (Art. 35(3)(b)) but no "
            "DPIA outcome is recorded"
        ).format(id=special.id)
        place.hint = _(
            'write `[compliance.gdpr.dpia]` with `outcome = "required"` and its `reference`'
        )
        yield place
        return
    missing = "reference" if outcome == "required" else "justification"
    if getattr(record, f"dpia_{missing}").strip():
        return
    config = context.config
    yield Finding(
        (
            _("the DPIA outcome is `{outcome}` but its reference is not recorded (Art. 35)")
            if missing == "reference"
            else _(
                "the DPIA outcome is `{outcome}` but its justification is not recorded (Art. 35)"
            )
        ).format(outcome=outcome),
        config.relpath,
        config.key_span(("compliance", "gdpr", "dpia", "outcome")),
        hint=_('add `{key} = "..."` under [compliance.gdpr.dpia]').format(key=missing),
    )


# Art. 20(1)(a): portability applies to processing based on consent or on a contract.
_PORTABILITY_BASES = ("6(1)(a)", "6(1)(b)", "9(2)(a)")


@rule(
    "GD011",
    "gdpr.right-not-applicable-contradiction",
    Severity.WARNING,
    "a data-subject right declared not applicable that is not a right, is cited, or applies",
)
def right_not_applicable_contradiction(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A key of `[compliance.gdpr.not-applicable]` in reqdsl.toml that is not one of
        the articles 15 to 22, whose justification is blank, that a requirement cites
        (the requirement says the right is implemented), or that is Art. 20 while some
        personal data rests on consent or a contract (`gdpr:6(1)(a)`, `6(1)(b)`,
        `9(2)(a)`), where Art. 20(1)(a) makes portability apply. At the key; one per key.

    Why it matters:
        Not every right applies to every processing: Art. 22 only where decisions are
        based solely on automated processing, Art. 20 only for consent or contract,
        Art. 21 only for public-task or legitimate-interest processing and direct
        marketing. Saying so, with the reason, is what an auditor expects instead of a
        red "not covered"; but a declaration that contradicts the model hides a right
        the data subjects do have.

    Example:
        [compliance.gdpr.not-applicable]
        "20" = "no portability"     # GD011 when PATIENT rests on gdpr:6(1)(b)

    Fix:
        Remove the declaration and specify the right, or correct the justification (and
        the key: `"22"`, not `"Art. 22"`).

    Reference:
        Regulation (EU) 2016/679, Art. 15 to 22, Art. 20(1)(a), Art. 21(1), 21(2), 22(1).
    """
    config = context.config
    declared = config.gdpr.not_applicable
    if not declared:
        return
    cited = context.cited()
    bases = {
        value.value[1]
        for element in context.project.live("data")
        if is_personal(element)
        for name in ("lawful-basis", "special-condition")
        if (value := element.value(name)) is not None and value.value is not None
    }
    for article, why in declared.items():
        if article not in RIGHTS_ARTICLES:
            problem = _("`{article}` is not a data-subject right of Art. 15 to 22").format(
                article=article
            )
        elif not why.strip():
            problem = _(
                "right `{article}` is declared not applicable without a justification"
            ).format(article=article)
        elif f"gdpr:{article}" in cited:
            problem = _(
                "right `{article}` is declared not applicable, but a requirement cites "
                "`gdpr:{article}`"
            ).format(article=article)
        elif article == "20" and bases.intersection(_PORTABILITY_BASES):
            basis = sorted(bases.intersection(_PORTABILITY_BASES))[0]
            problem = _(
                "right `20` is declared not applicable, but personal data rests on "
                "`gdpr:{basis}` (consent or contract: Art. 20(1)(a))"
            ).format(basis=basis)
        else:
            continue
        yield Finding(
            problem,
            config.relpath,
            config.key_span(("compliance", "gdpr", "not-applicable", article)),
            hint=_('keys are article numbers 15 to 22 ("22"), each with its justification'),
        )

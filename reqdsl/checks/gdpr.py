"""GDPR rules (GD): what the data model says about personal data, checked against the
Regulation (EU) 2016/679 articles the requirements cite.

A data element's category is taken from its `category` field as written (attribute flags
do not change it). "Cites" follows `CheckContext.cited()`: a requirement citing
`gdpr:17(1)(b)` cites Art. 17(1) and Art. 17 too. Links count as written (spec section 5).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Related, Severity
from ..model.facts.data import CONSENT, TRANSFER_ARTICLES, is_personal, is_transferred
from ..model.facts.fields import is_written
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
                f"{element.word('category')} data `{element.id}` has no `lawful-basis`",
                hint="add `lawful-basis:` with an Art. 6(1) point, e.g. `gdpr:6(1)(b)`",
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
                f"special-category data `{element.id}` has no `special-condition`",
                hint="add `special-condition:` with an Art. 9(2) point, e.g. `gdpr:9(2)(h)`",
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
            f"special-condition `{value.raw}` of `{element.id}` is not under Art. 9(2)",
            hint="use one of the exceptions gdpr:9(2)(a) to gdpr:9(2)(j)",
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
                f"{element.word('category')} data `{element.id}` has no `retention`",
                hint='add `retention:` with a period or an end event, e.g. "2 years"',
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
                f"`{element.id}` rests on consent (`{value.raw}`) but no requirement cites "
                "`gdpr:7(3)` (withdrawal of consent)",
                hint="add a requirement for withdrawing consent with `compliance: gdpr:7(3)`",
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
        for ref, label in (("gdpr:15", "Art. 15 (access)"), ("gdpr:17", "Art. 17 (erasure)"))
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
            f"`{element.id}` stores personal data ({names}) but no requirement cites "
            + " or ".join(missing),
            hint="add requirements for access and erasure with `compliance: gdpr:15` and "
            "`compliance: gdpr:17` (or a paragraph of them)",
            related=[Related(f"`{first.id}` is defined here", first.path, first.anchor)],
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
                f"special-category data `{element.id}` but no requirement cites `gdpr:35` "
                "(data protection impact assessment)",
                hint="add a requirement to carry out a DPIA with `compliance: gdpr:35(1)`",
            )
        transfer = element.value("transfer")
        if needs_safeguard and transfer is not None and is_transferred(element):
            yield Finding.at(
                element,
                transfer.span,
                f"`{element.id}` is transferred (`{transfer.raw}`) but no requirement cites "
                "Art. 44 to 49 (transfers to third countries)",
                hint="add a requirement for the transfer's safeguard, e.g. with "
                "`compliance: gdpr:46(2)(c)`, or write `transfer: none`",
            )

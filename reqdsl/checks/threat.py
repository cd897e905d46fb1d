"""Threat-model rules (TM): flows across trust boundaries, threats without an answer,
scenario messages tied to the wrong flow.

A flow's ends are the actors or components named by `from` and `to`; an end's zone is its
`zone` field as written. Elements without a zone never cross a boundary (spec section 5).
A zone's trust is its own `trust`, else that of the nearest zone it is `inside`; a zone
whose trust is still unknown is not ranked, so TM002 does not compare it. Links count as
written: a requirement's `mitigates` and a threat's `target` count whether or not they
resolve.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Related, Severity
from ..i18n import _
from ..model.elements import ModelElement
from ..model.facts.data import is_personal
from ..model.facts.fields import is_written
from ..model.facts.zones import TRUST_RANK, crossing_flows, zone_trust
from ..model.project import Project
from ..model.resolve import iter_messages
from .registry import CheckContext, Finding, rule

ANSWERED_STATUSES = ("accepted", "transferred", "not-applicable")


def _flow_related(project: Project, flow: ModelElement) -> list[Related]:
    related = []
    for field in ("from", "to"):
        end = flow.value(field)
        element = project.index.get(end.raw) if end is not None else None
        if element is not None:
            related.append(
                Related(
                    _("`{id}` is in zone `{zone}`").format(
                        id=element.id, zone=element.word("zone")
                    ),
                    element.path,
                    element.anchor,
                )
            )
    return related


@rule(
    "TM001",
    "threat.unencrypted-personal-flow",
    Severity.ERROR,
    "personal data crosses a zone boundary unencrypted",
)
def unencrypted_personal_flow(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A flow that `carries` data of category personal or special between two different
        zones (the zones of its `from` and `to` ends) while `encrypted` is not true
        (absent or false). The diagnostic points at the flow's ID. An end without a zone
        never crosses a boundary.

    Why it matters:
        A trust boundary is where an attacker can sit between the two ends: the
        STRIDE-per-element analysis of the Microsoft SDL flags every data flow across one
        for information disclosure and tampering, and LINDDUN for data disclosure.
        Art. 32(1)(a) GDPR names encryption as a measure for personal data; in transit
        across networks that others control it is the expected baseline.

    Example:
        flow F-UPLOAD "Profile upload" {   # TM001: PROFILE is personal, no encryption
            from: USER                     # in zone Z-INTERNET
            to: API                        # in zone Z-BACKEND
            carries: PROFILE
        }

    Fix:
        Encrypt the flow (TLS, a VPN, message-level encryption) and say so with
        `encrypted: true` and a `protocol`; or, if the data does not actually cross,
        correct the ends' zones.

    Reference:
        Microsoft SDL threat modelling (STRIDE per element: information disclosure on
        data flows across trust boundaries); LINDDUN data disclosure; Regulation (EU)
        2016/679, Art. 32(1)(a); ISO/IEC 27001:2022 Annex A 8.24 (use of cryptography).
    """
    project = context.project
    for flow, zones in crossing_flows(project, unless="encrypted"):
        personal = [
            value.raw for value in flow.refs("carries") if is_personal(project.index.get(value.raw))
        ]
        if not personal:
            continue
        names = ", ".join(f"`{name}`" for name in personal)
        yield Finding.at(
            flow,
            None,
            _(
                "flow `{id}` carries personal data ({names}) from zone `{source}` to zone "
                "`{target}` without encryption"
            ).format(id=flow.id, names=names, source=zones[0], target=zones[1]),
            hint=_("encrypt the flow and add `encrypted: true`"),
            related=_flow_related(project, flow),
        )


@rule(
    "TM002",
    "threat.unauthenticated-trust-crossing",
    Severity.WARNING,
    "unauthenticated flow into a zone of higher trust",
)
def unauthenticated_trust_crossing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A flow whose `to` end sits in a zone of higher trust than its `from` end
        (untrusted < semi-trusted < trusted < restricted) while `authenticated` is not
        true. The diagnostic points at the flow's ID. A zone without `trust` takes the
        trust of the zone it is `inside`; a zone whose trust is still unknown is not
        compared, and an end without a zone never crosses a boundary.

    Why it matters:
        Entering a more trusted zone is exactly where spoofing and elevation of privilege
        happen (STRIDE): whoever can send to the inner component inherits its trust unless
        the sender is authenticated at the boundary. Threat modelling in the Microsoft
        SDL draws trust boundaries to find these crossings; each needs an authentication
        decision.

    Example:
        zone Z-NET "Internet" { trust: untrusted }
        zone Z-CORE "Core" { trust: restricted }
        flow F-ADMIN "Admin call" {       # TM002: untrusted -> restricted, not authenticated
            from: BROWSER                 # in Z-NET
            to: ADMIN-API                 # in Z-CORE
        }

    Fix:
        Authenticate the sender at the boundary (mutual TLS, tokens, signed requests) and
        add `authenticated: true`; or correct the zones' `trust` if they are misstated.

    Reference:
        Microsoft SDL threat modelling (trust boundaries; STRIDE spoofing and elevation of
        privilege); OWASP Application Security Verification Standard 4.0, V2
        (authentication).
    """
    project = context.project
    for flow, zones in crossing_flows(project, unless="authenticated"):
        source_trust, target_trust = zone_trust(project, zones[0]), zone_trust(project, zones[1])
        if source_trust is None or target_trust is None:
            continue
        if TRUST_RANK[target_trust] <= TRUST_RANK[source_trust]:
            continue
        yield Finding.at(
            flow,
            None,
            _(
                "flow `{id}` enters zone `{target}` ({target_trust}) from zone "
                "`{source}` ({source_trust}) without authentication"
            ).format(
                id=flow.id,
                target=zones[1],
                target_trust=target_trust,
                source=zones[0],
                source_trust=source_trust,
            ),
            hint=_("authenticate the sender at the boundary and add `authenticated: true`"),
            related=_flow_related(project, flow),
        )


@rule("TM003", "threat.unmitigated", Severity.WARNING, "threat that no requirement mitigates")
def unmitigated(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A threat whose `status` is open or mitigated, or unset, that no requirement names
        in `mitigates`. The diagnostic points at the threat's ID. Accepted, transferred
        and not-applicable threats are TM004's business.

    Why it matters:
        A threat model is useful only when each threat ends in a decision: a
        countermeasure that becomes a requirement (and so is built and tested), or a
        recorded acceptance. An open threat without a requirement is a known risk nobody
        is handling; a threat marked mitigated with no requirement claims a
        countermeasure that the specification does not contain.

    Example:
        threat T-STUFF "Credential stuffing" {   # TM003: nothing mitigates it
            category: spoofing
            target: F-LOGIN
            status: open
        }

    Fix:
        Write the countermeasure as a requirement with `mitigates: T-STUFF`, or, if the
        risk is accepted or transferred, set that `status` with a `justification`.

    Reference:
        Microsoft SDL threat modelling (each STRIDE threat is mitigated, eliminated,
        transferred or accepted); LINDDUN (privacy threats get the same treatment);
        ISO/IEC 27005:2022 (risk treatment); ISO/IEC/IEEE 29148:2018
        (traceability).
    """
    project = context.project
    mitigated = {
        value.raw
        for requirement in project.live("requirement")
        for value in requirement.refs("mitigates")
    }
    for threat in project.live("threat"):
        status = threat.word("status")
        if status in ANSWERED_STATUSES or threat.id in mitigated:
            continue
        shown = status or (_("no valid status") if threat.has("status") else _("no status"))
        yield Finding.at(
            threat,
            None,
            _("threat `{id}` ({status}) is not mitigated by any requirement").format(
                id=threat.id, status=shown
            ),
            hint=_(
                "add a requirement with `mitigates: {id}`, or set `status: accepted` "
                "with a `justification`"
            ).format(id=threat.id),
        )


@rule(
    "TM004",
    "threat.unjustified-acceptance",
    Severity.WARNING,
    "threat accepted, transferred or not applicable without a justification",
    scope="file",
)
def unjustified_acceptance(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A threat whose `status` is accepted, transferred or not-applicable and that has no
        `justification` (or a blank one). The diagnostic points at the threat's ID.

    Why it matters:
        Accepting or transferring a risk is a decision someone with authority takes for
        a reason: the residual risk is acceptable, an insurer or supplier carries it, the
        component is not exposed. Without the reason written down, reviewers and auditors
        cannot tell a considered acceptance from a threat swept aside, and nobody knows
        when to revisit it.

    Example:
        threat T-LOGS "Log tampering" {   # TM004: accepted, but why?
            category: repudiation
            target: LOGS
            status: accepted
        }

    Fix:
        Add `justification:` with the reason and, where it applies, who accepted the
        risk, e.g. `justification: "Logs are append-only on WORM storage."`.

    Reference:
        Microsoft SDL threat modelling (documented acceptance of STRIDE threats); LINDDUN
        (privacy threats); ISO/IEC 27005:2022 (risk acceptance); ISO/IEC 27001:2022,
        6.1.3 f) (risk owners' approval of the treatment plan and acceptance of residual
        risk).
    """
    for threat in context.project.live("threat"):
        status = threat.word("status")
        if status in ANSWERED_STATUSES and not is_written(threat, "justification"):
            yield Finding.at(
                threat,
                None,
                _("threat `{id}` is {status} without a `justification`").format(
                    id=threat.id, status=status
                ),
                hint=_("add `justification:` saying why, and who decided"),
            )


@rule(
    "TM005",
    "threat.via-mismatch",
    Severity.ERROR,
    "scenario message via a flow between other ends",
)
def via_mismatch(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A scenario message `A -> B: "..." via F` (or a reply `-->`) where flow `F`'s
        `from` and `to` are not the message's two ends, in either direction. The
        diagnostic points at the `via` value, once per message. A `via` that names no
        flow is SM002 or SM003, and a flow missing `from` or `to` is SM005; neither is
        reported here.

    Why it matters:
        `via` ties the dynamic view (who talks to whom, in which order) to the data flow
        diagram that the threat model is built on. A message sent over a flow that joins
        two other elements means one of the views is wrong, and the threats and
        protections recorded for that flow do not cover the interaction the scenario
        describes.

    Example:
        flow F-LOGIN "Login" { from: USER to: API }
        scenario SC-1 "Write a log entry" {
            API -> LOGS: "write entry" via F-LOGIN   # TM005: F-LOGIN joins USER and API
        }

    Fix:
        Name the flow that joins the two participants, declare it if it is missing from
        the model, or correct the message's ends.

    Reference:
        Microsoft SDL threat modelling (the data flow diagram, with its trust boundaries,
        is the model STRIDE is applied to); UML 2.5.1, Interactions (messages in sequence
        diagrams).
    """
    project = context.project
    for scenario in project.live("scenario"):
        for message in iter_messages(scenario.steps):
            if message.via is None or message.via_span is None:
                continue
            flow = project.index.get(message.via)
            if flow is None or flow.kind != "flow" or flow.broken:
                continue
            source, target = flow.word("from"), flow.word("to")
            if source is None or target is None:
                continue
            ends = (message.source, message.target)
            if ends in ((source, target), (target, source)):
                continue
            arrow = "-->" if message.reply else "->"
            yield Finding.at(
                scenario,
                message.via_span,
                _(
                    "message `{sender}` {arrow} `{receiver}` goes via `{flow}`, "
                    "which joins `{source}` and `{target}`"
                ).format(
                    sender=message.source,
                    arrow=arrow,
                    receiver=message.target,
                    flow=flow.id,
                    source=source,
                    target=target,
                ),
                hint=_("name a flow between the message's two participants, or correct the ends"),
                related=[
                    Related(_("`{id}` is defined here").format(id=flow.id), flow.path, flow.anchor)
                ],
            )


@rule(
    "TM006",
    "threat.unmodelled-crossing",
    Severity.INFO,
    "flow across a zone boundary that no threat targets",
)
def unmodelled_crossing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A flow between two different zones that no threat names as its `target`. The
        diagnostic points at the flow's ID. An end without a zone never crosses a
        boundary; threats on the flow's ends or on the data it carries do not count.

    Why it matters:
        STRIDE per element expects every data flow that crosses a trust boundary to be
        examined for tampering, information disclosure and denial of service (and, with
        LINDDUN, for linking and disclosure of personal data). A crossing with no threat
        on it usually means the analysis has not reached it yet. This is a reminder, not
        an error: a crossing may have been examined and found to have no threat worth
        recording.

    Example:
        flow F-SYNC "Nightly sync" {   # TM006: DMZ -> core, no threat targets it
            from: WEB                   # in Z-DMZ
            to: DB                      # in Z-CORE
        }

    Fix:
        Examine the flow with STRIDE (and LINDDUN if it carries personal data) and record
        what you find as threats with `target: F-SYNC`, with `status: not-applicable` and
        a `justification` where a category does not apply.

    Reference:
        Microsoft SDL threat modelling (STRIDE per element, trust boundaries); LINDDUN
        privacy threat modelling (per-element threat trees).
    """
    project = context.project
    targeted = {threat.word("target") for threat in project.live("threat") if threat.has("target")}
    for flow, zones in crossing_flows(project):
        if flow.id in targeted:
            continue
        yield Finding.at(
            flow,
            None,
            _(
                "flow `{id}` crosses from zone `{source}` to zone `{target}` and no "
                "threat targets it"
            ).format(id=flow.id, source=zones[0], target=zones[1]),
            hint=_("examine the flow with STRIDE and record threats with `target: {id}`").format(
                id=flow.id
            ),
        )

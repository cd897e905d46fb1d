"""Decision rules (DE): architecture decision records and their weighted decision matrices.

A decision's criteria and options are the `criterion` and `option` elements written
directly in its block; they and each option's weighted total (exact decimals) are the
model's facts (reqdsl.model.facts.decisions), which the site shows too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Related, Severity
from ..i18n import _
from ..model.elements import ModelElement
from ..model.facts.decisions import (
    decision_members,
    scores_of,
    show_number,
    weighted_totals,
)
from ..model.facts.fields import is_written
from ..model.project import Project
from .registry import CheckContext, Finding, rule


@rule(
    "DE001",
    "decision.accepted-without-choice",
    Severity.WARNING,
    "accepted decision that names no chosen option",
)
def accepted_without_choice(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A decision with `status: accepted` and no `chosen` field. The diagnostic points
        at the decision's ID.

    Why it matters:
        An architecture decision record exists to record what was decided (Nygard's
        "Decision" section; the decision rationale of ISO/IEC/IEEE 42010). An accepted
        decision that does not say which option won leaves designers, reviewers and the
        generated site to guess, and the weighted matrix cannot be checked against the
        choice (DE003).

    Example:
        decision DEC-DB "Database" {   # DE001: accepted, but which option?
            status: accepted
            addresses: REQ-STORE
            option O-PG "PostgreSQL" { scores: C-COST 4 }
        }

    Fix:
        Add `chosen:` with the option that was selected, or set `status: proposed` while
        the choice is still open.

    Reference:
        ISO/IEC/IEEE 42010:2022, architecture decisions and rationale; M. Nygard,
        "Documenting Architecture Decisions" (2011).
    """
    for decision in context.project.live("decision"):
        if decision.word("status") == "accepted" and not decision.has("chosen"):
            yield Finding.at(
                decision,
                None,
                _("decision `{id}` is accepted but names no `chosen` option").format(
                    id=decision.id
                ),
                hint=_("add `chosen:` with the selected option, or set `status: proposed`"),
            )


@rule(
    "DE002",
    "decision.missing-score",
    Severity.WARNING,
    "option with no score for a criterion of its decision",
)
def missing_score(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        An option whose `scores` has no entry for one of its decision's criteria; one
        diagnostic per missing criterion, at the option's ID. An entry that is present but
        invalid (a score out of range, a criterion without its number) is SM004, not a
        missing score.

    Why it matters:
        A weighted decision matrix compares options on every criterion; a missing score
        counts 0 in the weighted total, so the option is silently penalised and the
        comparison is not like for like. Either the option was not assessed on that
        criterion, or the assessment was not written down.

    Example:
        decision DEC-CACHE "Cache" {
            status: proposed
            addresses: REQ-FAST
            criterion C-COST "Cost" { weight: 2 }
            criterion C-OPS "Operability" { weight: 3 }
            option O-REDIS "Redis" { scores: C-COST 4 }   # DE002: no score for C-OPS
        }

    Fix:
        Score the option on the criterion (0 to 5), e.g. `scores: C-COST 4, C-OPS 3`; if
        the criterion does not apply, score it 0 explicitly and say why in `evidence`.

    Reference:
        Weighted decision matrix (Pugh-style weighted scoring; weighted sum model of
        multi-criteria decision analysis); ISO/IEC/IEEE 42010:2022, decision rationale.
    """
    project = context.project
    for decision in project.elements:
        if decision.kind != "decision":
            continue
        members = decision_members(decision, project)
        criteria = [c for c in members if c.kind == "criterion" and not c.broken and c.id]
        if not criteria:
            continue
        for option in members:
            if option.kind != "option" or option.broken:
                continue
            entries = _score_entries(project, option, criteria)
            for criterion in criteria:
                if criterion.id in entries:
                    continue
                yield Finding.at(
                    option,
                    None,
                    _("option `{option}` has no score for criterion `{criterion}`").format(
                        option=option.id, criterion=criterion.id
                    ),
                    hint=_("add `{criterion} SCORE` (0 to 5) to its `scores`").format(
                        criterion=criterion.id
                    ),
                    related=[
                        Related(
                            _("criterion `{id}` is defined here").format(id=criterion.id),
                            criterion.path,
                            criterion.anchor,
                        )
                    ],
                )


def _score_entries(
    project: Project, option: ModelElement, criteria: list[ModelElement]
) -> set[str]:
    """The criteria an option's `scores` names, invalid items included (a bare
    criterion ID without its number is dropped by the binder; read it from the syntax)."""
    entries = set(scores_of(option))
    if not option.has("scores") or all(c.id in entries for c in criteria):
        return entries
    parsed = project.parsed.get(option.path)
    if parsed is None:
        return entries
    stack = [*parsed.items]
    while stack:
        element = stack.pop()
        if element.kind == "option" and element.anchor == option.anchor:
            for field in element.fields:
                if field.name == "scores":
                    entries.update(v.text for v in field.values if v.kind in ("id", "pair"))
            break
        stack.extend(element.children)
    return entries


@rule(
    "DE003",
    "decision.choice-without-rationale",
    Severity.WARNING,
    "chosen option is not the best weighted total and no rationale says why",
)
def choice_without_rationale(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A decision whose `chosen` names one of its own options while another of its
        options has a strictly higher weighted total (the sum of weight x score over the
        decision's criteria, in exact decimals; missing or invalid scores and weights
        count 0), and that has no `rationale`. The diagnostic points at the `chosen`
        value.

    Why it matters:
        The weighted matrix is the decision's recorded reasoning; choosing an option it
        ranks lower contradicts it. There are often good reasons (a factor the criteria
        miss, a risk the scores do not show), but unless they are written down the record
        looks like a mistake or a decision made elsewhere and justified after the fact.
        ISO/IEC/IEEE 42010 asks for the rationale of each decision, and an ADR's
        "Decision" section is expected to say why.

    Example:
        decision DEC-Q "Queue" {
            status: accepted
            addresses: REQ-ASYNC
            criterion C-COST "Cost" { weight: 1 }
            option O-A "Broker A" { scores: C-COST 2 }
            option O-B "Broker B" { scores: C-COST 5 }
            chosen: O-A                 # DE003: O-B totals 5, O-A only 2
        }

    Fix:
        Add `rationale:` saying why the lower-ranked option was chosen (and consider
        adding the missing criterion to the matrix), or correct the scores, weights or
        choice.

    Reference:
        ISO/IEC/IEEE 42010:2022, architecture decisions and rationale; M. Nygard,
        "Documenting Architecture Decisions" (2011); weighted decision matrix (weighted
        sum model).
    """
    project = context.project
    for decision in project.live("decision"):
        chosen = decision.value("chosen")
        if chosen is None or is_written(decision, "rationale"):
            continue
        totals = weighted_totals(decision, project)
        if chosen.raw not in totals:
            continue  # not an option of this decision: SM002 / SM003
        chosen_total = totals[chosen.raw]
        better = [(total, option) for option, total in totals.items() if total > chosen_total]
        if not better:
            continue
        best_total, best = max(better, key=lambda item: item[0])
        yield Finding.at(
            decision,
            chosen.span,
            _(
                "chosen option `{chosen}` has a weighted total of {total} but `{best}` has "
                "{best_total}, and decision `{id}` has no `rationale`"
            ).format(
                chosen=chosen.raw,
                total=show_number(chosen_total),
                best=best,
                best_total=show_number(best_total),
                id=decision.id,
            ),
            hint=_("add `rationale:` saying why this option was chosen, or correct the scores"),
        )


@rule(
    "DE004",
    "decision.addresses-nothing",
    Severity.WARNING,
    "decision that addresses no requirement or goal",
)
def addresses_nothing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A decision with no `addresses` field, that is, one that names no requirement or
        goal it serves. The diagnostic points at the decision's ID.

    Why it matters:
        Architecture decisions exist to meet concerns: ISO/IEC/IEEE 42010 relates every
        decision to the concerns and requirements it addresses, and Nygard's ADR starts
        from the "Context" that forces it. A decision linked to nothing cannot be traced
        from a requirement, is left out of impact analysis when requirements change, and
        may be solving a problem nobody has.

    Example:
        decision DEC-LANG "Implementation language" {   # DE004: addresses nothing
            status: proposed
        }

    Fix:
        Add `addresses:` with the requirements or goals the decision serves, e.g.
        `addresses: REQ-PERF-001, G-MAINTAIN`; if none exists, the concern behind the
        decision may be a missing requirement.

    Reference:
        ISO/IEC/IEEE 42010:2022 (architecture decisions address concerns); M. Nygard,
        "Documenting Architecture Decisions" (2011); ISO/IEC/IEEE 29148:2018
        (traceability).
    """
    for decision in context.project.live("decision"):
        if not decision.has("addresses"):
            yield Finding.at(
                decision,
                None,
                _("decision `{id}` addresses no requirement or goal").format(id=decision.id),
                hint=_("add `addresses:` with the requirements or goals the decision serves"),
            )

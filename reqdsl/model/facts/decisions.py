"""Decision facts: a decision's criteria and options, their weights and scores, and each
option's weighted total in exact decimals (spec section 3, "Version 1.1"). The DE rules
check them; the site's decision pages and matrices show the same figures.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from ...i18n import format_decimal
from ..elements import ModelElement, Score
from ..project import Project

# Sums of products of written numbers are exact at this precision (no division happens).
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def decision_members(decision: ModelElement, project: Project) -> list[ModelElement]:
    """The criteria and options written in the decision's block, in order.

    The binder places them right after their decision, so two decisions sharing an ID
    (SM001) keep their own members.
    """
    elements = project.elements
    start = decision.order
    if not (0 <= start < len(elements) and elements[start] is decision):
        start = next((i for i, e in enumerate(elements) if e is decision), len(elements))
    members = []
    for index in range(start + 1, len(elements)):
        element = elements[index]
        if element.kind not in ("criterion", "option") or element.parent != decision.id:
            break
        members.append(element)
    return members


def criteria_of(decision: ModelElement, project: Project) -> list[ModelElement]:
    return [m for m in decision_members(decision, project) if m.kind == "criterion"]


def options_of(decision: ModelElement, project: Project) -> list[ModelElement]:
    return [m for m in decision_members(decision, project) if m.kind == "option"]


def weight_of(criterion: ModelElement) -> Decimal:
    """A criterion's weight; 0 when missing, invalid or the criterion is broken."""
    weight = criterion.value("weight")
    if criterion.broken or weight is None or not isinstance(weight.value, Decimal):
        return Decimal(0)
    return weight.value


def scores_of(option: ModelElement) -> dict[str, Decimal | None]:
    """Criterion ID -> the option's score for it (the first pair for that criterion;
    None when the score is invalid)."""
    scores: dict[str, Decimal | None] = {}
    pairs: list[Score] = [] if option.broken else getattr(option, "scores", [])
    for pair in pairs:
        scores.setdefault(pair.criterion, pair.score)
    return scores


def weighted_totals(decision: ModelElement, project: Project) -> dict[str, Decimal]:
    """Option ID -> sum of weight x score over the decision's criteria, in exact decimals.

    A missing or invalid score, and a criterion without a valid weight, count 0. Options
    are listed in the order written; an option ID given twice keeps its first total.
    """
    members = decision_members(decision, project)
    weights = [
        (criterion.id, weight_of(criterion))
        for criterion in members
        if criterion.kind == "criterion" and criterion.id is not None
    ]
    totals: dict[str, Decimal] = {}
    with decimal.localcontext(_EXACT):
        for option in members:
            if option.kind != "option" or option.id is None or option.id in totals:
                continue
            scores = scores_of(option)
            total = Decimal(0)
            for criterion_id, weight in weights:
                score = scores.get(criterion_id)
                if score is not None:
                    total += weight * score
            totals[option.id] = total
    return totals


def show_number(number: Decimal) -> str:
    """A weight, score or total as people write it: 19, 6.5 (not 19.0, 6.50), in the
    current language (`6,5` in French); the site and the DE003 message show the same
    text."""
    return format_decimal(number)

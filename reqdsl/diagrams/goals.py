"""The goal model: goals refined into sub-goals (KAOS-style AND refinement), the
stakeholders who hold them, the requirements and use cases that satisfy each goal, and
the decisions that address those goals and requirements."""

from __future__ import annotations

from ..i18n import N_
from ..model.elements import ModelElement
from ..model.project import Project
from .puml import direction_for, first_of, frame, heading, label, live, ref, targets

PATH = "goals.puml"
STYLE = [
    "skinparam rectangle {",
    "  BackgroundColor<<goal>> #E3F2FD",
    "  BorderColor<<goal>> #1565C0",
    "  BackgroundColor<<requirement>> #FFFFFF",
    "  BackgroundColor<<decision>> #F3E5F5",
    "}",
]


def _node(element: ModelElement) -> str:
    if element.kind == "stakeholder":
        return f'actor "{label(element, 20)}" as {ref(element)}'
    if element.kind == "usecase":
        return f'usecase "{label(element)}" as {ref(element)}'
    return f'rectangle "{label(element)}" as {ref(element)} <<{element.kind}>>'


def generate_goals(project: Project) -> dict[str, str]:
    goals = list(live(project, "goal"))
    if not goals:
        return {}
    shown: list[ModelElement] = list(goals)
    edges: list[str] = []
    ranked: list[tuple[str, str]] = []  # (above, below) as the arrows place them

    def add(element: ModelElement) -> None:
        if element not in shown:
            shown.append(element)

    for goal in goals:
        for parent in targets(project, goal, "refines", "goal"):
            edges.append(f"{ref(goal)} -up-> {ref(parent)} : refines")
            ranked.append((ref(parent), ref(goal)))
        holder = first_of(project, goal, "stakeholder", "stakeholder")
        if holder is not None:
            add(project.index[holder])
            edges.append(f"{ref(project.index[holder])} -- {ref(goal)}")
            ranked.append((ref(project.index[holder]), ref(goal)))
    for element in live(project, "requirement", "usecase"):
        for goal in targets(project, element, "satisfies", "goal"):
            add(element)
            edges.append(f"{ref(element)} .up.> {ref(goal)} : satisfies")
            ranked.append((ref(goal), ref(element)))
    for decision in live(project, "decision"):
        for aim in targets(project, decision, "addresses", "goal", "requirement"):
            if aim in shown:
                add(decision)
                edges.append(f"{ref(decision)} .up.> {ref(aim)} : addresses")
                ranked.append((ref(aim), ref(decision)))

    shown.sort(key=lambda element: element.order)
    # A dozen needs satisfying one goal stand side by side top to bottom: turned left to
    # right when the ranks are few and wide (2,895 px -> 948 px for the clinic sample).
    direction = direction_for(map(ref, shown), ranked)
    body = [*direction, *STYLE, *(_node(element) for element in shown), *edges]
    return {PATH: frame(heading(project, N_("goal model")), body)}

"""The use case diagram: actors, use cases inside their subject's boundary, include and
extend (UML 2.5.1, clause 18)."""

from __future__ import annotations

from ..i18n import N_
from ..model.elements import ModelElement
from ..model.project import Project
from .puml import frame, heading, label, live, ref, target, targets

PATH = "use-cases.puml"


def _actor_line(actor: ModelElement) -> str:
    kind = actor.word("kind")
    stereotype = f" <<{kind}>>" if kind in ("system", "device") else ""
    return f'actor "{label(actor, 20)}" as {ref(actor)}{stereotype}'


def generate_use_cases(project: Project) -> dict[str, str]:
    usecases = list(live(project, "usecase"))
    if not usecases:
        return {}
    actors: list[ModelElement] = []
    by_subject: dict[str, list[ModelElement]] = {}
    loose: list[ModelElement] = []
    for usecase in usecases:
        for actor in targets(project, usecase, "actors", "actor"):
            if actor not in actors:
                actors.append(actor)
        value = usecase.value("subject")
        subject = target(project, value.raw, "component") if value is not None else None
        if subject is None:
            loose.append(usecase)
        else:
            by_subject.setdefault(subject.id or "", []).append(usecase)

    body = ["left to right direction", "skinparam packageStyle rectangle"]
    actors.sort(key=lambda actor: actor.order)
    body.extend(_actor_line(actor) for actor in actors)
    subjects = sorted((project.index[key] for key in by_subject), key=lambda c: c.order)
    for subject in subjects:
        body.append(f'rectangle "{label(subject, 30)}" as {ref(subject)} {{')
        body.extend(
            f'  usecase "{label(usecase)}" as {ref(usecase)}'
            for usecase in by_subject[subject.id or ""]
        )
        body.append("}")
    body.extend(f'usecase "{label(usecase)}" as {ref(usecase)}' for usecase in loose)

    for usecase in usecases:
        for actor in targets(project, usecase, "actors", "actor"):
            body.append(f"{ref(actor)} -- {ref(usecase)}")
    for usecase in usecases:
        for included in targets(project, usecase, "includes", "usecase"):
            body.append(f"{ref(usecase)} ..> {ref(included)} : <<include>>")
        for base in targets(project, usecase, "extends", "usecase"):
            body.append(f"{ref(usecase)} ..> {ref(base)} : <<extend>>")
    return {PATH: frame(heading(project, N_("use cases")), body)}

"""One sequence diagram per scenario (UML 2.5.1, clause 17): typed participants in order
of appearance, calls and replies, `alt`/`else`, `opt` and `loop` fragments nested as
written, notes across the whole interaction."""

from __future__ import annotations

from collections.abc import Sequence

from ..i18n import _
from ..model.elements import ModelElement
from ..model.project import Project
from ..model.resolve import iter_messages
from ..parse.syntax import Fragment, Message, Note, Step
from .escape import alias, display, escape
from .puml import ID_STYLE, frame, label, live, target

FOLDER = "sequence"


def _participant(project: Project, name: str) -> str:
    """`actor`, `database` or `participant`, with the element's title; a name that does
    not resolve (SM002, reported by `reqdsl check`) is drawn with the name alone."""
    element = target(project, name, "actor", "component")
    if element is None:
        return f'participant "{escape(name)}" as {alias(name)}'
    if element.kind == "actor":
        kind = element.word("kind")
        if kind in ("system", "device"):
            return f'participant "{label(element, 20)}" as {alias(name)} <<{kind}>>'
        return f'actor "{label(element, 20)}" as {alias(name)}'
    shape = "database" if element.word("kind") == "datastore" else "participant"
    return f'{shape} "{label(element, 20)}" as {alias(name)}'


def _message(message: Message) -> str:
    arrow = "-->" if message.reply else "->"
    text = display(message.label, 40) if message.label else ""
    if message.via is not None:
        text += (" " if text else "") + ID_STYLE.format("via " + escape(message.via))
    line = f"{alias(message.source)} {arrow} {alias(message.target)}"
    return f"{line} : {text}" if text else line


def _steps(steps: Sequence[Step], depth: int) -> list[str]:
    indent = "  " * depth
    lines: list[str] = []
    for step in steps:
        if isinstance(step, Message):
            lines.append(indent + _message(step))
        elif isinstance(step, Note):
            lines.append(f"{indent}note across : {display(step.text, 60)}")
        elif isinstance(step, Fragment):
            for number, branch in enumerate(step.branches):
                keyword = step.kind if number == 0 else "else"
                guard = f" {display(branch.guard, 40)}" if branch.guard else ""
                lines.append(f"{indent}{keyword}{guard}")
                lines.extend(_steps(branch.steps, depth + 1))
            lines.append(f"{indent}end")
    return lines


def _participants(scenario: ModelElement) -> list[str]:
    names: list[str] = []
    for message in iter_messages(scenario.steps):
        for name in (message.source, message.target):
            if name not in names:
                names.append(name)
    return names


def scenario_diagram(project: Project, scenario: ModelElement) -> str:
    names = _participants(scenario)
    body = ["autonumber"] if names else []
    body.extend(_participant(project, name) for name in names)
    if not names:
        # Notes alone still need a lifeline to hang on.
        body.append('participant " " as x_nobody')
    body.extend(_steps(scenario.steps, 0))
    usecase = None
    realizes = scenario.value("realizes")
    if realizes is not None:
        usecase = target(project, realizes.raw, "usecase")
    title = _("Scenario {id}: {title}").format(id=scenario.id, title=scenario.title or "")
    if usecase is not None:
        title += " " + _("(realizes {id})").format(id=usecase.id)
    return frame(title, body, layout=False)


def generate_sequences(project: Project) -> dict[str, str]:
    return {
        f"{FOLDER}/{scenario.id}.puml": scenario_diagram(project, scenario)
        for scenario in live(project, "scenario")
    }

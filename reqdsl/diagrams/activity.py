"""One activity diagram per `activity` (UML 2.5.1, clause 15): a swimlane per actor or
component named by `by` (in order of first appearance), actions, decisions with their
guards, forks, loops and notes, nested as written.

PlantUML attaches a note to the node drawn just before it, and silently drops a note that
has none (at the start of an `else` branch, right after `endif`, in a `fork` branch
without actions, which it drops whole). So a note is written right after an action,
`start` or `stop`; a note with no such node before it waits for the next one; notes
left over at the end go into the legend. Nothing written is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..i18n import _
from ..model.elements import ModelElement
from ..model.project import Project
from ..model.resolve import iter_activity_steps
from ..parse.syntax import ActivityStep, Branch, Note, Step
from .escape import alias, display, escape
from .puml import frame, label, live, target

FOLDER = "activity"
UNASSIGNED = "x_unassigned"
WIDTH = 40


@dataclass
class _Writer:
    lanes: bool
    lines: list[str] = field(default_factory=list)
    lane: str | None = None
    pending: list[str] = field(default_factory=list)  # notes waiting for a node
    after_node: bool = False  # the last line written is an action, start or stop

    def enter_lane(self, name: str | None, depth: int) -> None:
        if not self.lanes:
            return
        wanted = alias(name) if name is not None else UNASSIGNED
        if wanted != self.lane:
            self.lines.append("  " * depth + f"|{wanted}|")
            self.lane = wanted

    def node(self, line: str, depth: int) -> None:
        self.lines.append("  " * depth + line)
        self.after_node = True
        for text in self.pending:
            self.note(text, depth)
        self.pending.clear()

    def note(self, text: str, depth: int) -> None:
        if self.after_node:
            self.lines.append(f"{'  ' * depth}note right : {display(text, WIDTH)}")
        else:
            self.pending.append(text)

    def control(self, line: str, depth: int) -> None:
        """An if/else/fork/while line: no note can hang on what follows it."""
        self.lines.append("  " * depth + line)
        self.after_node = False

    def steps(self, steps: Sequence[Step], depth: int) -> None:
        for step in steps:
            if isinstance(step, ActivityStep):
                self.step(step, depth)
            elif isinstance(step, Note):
                self.note(step.text, depth)

    def step(self, step: ActivityStep, depth: int) -> None:
        if step.kind in ("start", "stop"):
            self.node(step.kind, depth)
        elif step.kind == "action":
            self.enter_lane(step.by, depth)
            self.node(f":{display(step.text or '', WIDTH)};", depth)
        elif step.kind == "if":
            self.branches_if(step.branches, depth)
        elif step.kind == "while":
            self.control(f"while ({display(step.text or '', WIDTH)}) is ({_yes()})", depth)
            for branch in step.branches:
                self.steps(branch.steps, depth + 1)
            self.control(f"endwhile ({_no()})", depth)
        elif step.kind == "fork":
            self.fork(step.branches, depth)

    def branches_if(self, branches: list[Branch], depth: int) -> None:
        last = len(branches) - 1
        for number, branch in enumerate(branches):
            guard = display(branch.guard, WIDTH) if branch.guard else ""
            if number == 0:
                self.control(f"if ({guard}) then ({_yes()})", depth)
            elif number == last and not branch.guard:
                self.control(f"else ({_no()})", depth)
            else:
                self.control(f"elseif ({guard}) then ({_yes()})", depth)
            self.steps(branch.steps, depth + 1)
        self.control("endif", depth)

    def fork(self, branches: list[Branch], depth: int) -> None:
        drawn = [branch for branch in branches if _has_action(branch.steps)]
        for branch in branches:
            if branch not in drawn:  # PlantUML would drop it: keep its notes
                self.pending.extend(_notes(branch.steps))
        for number, branch in enumerate(drawn):
            self.control("fork" if number == 0 else "fork again", depth)
            self.steps(branch.steps, depth + 1)
        if drawn:
            self.control("end fork", depth)

    def finish(self) -> None:
        if not self.pending:
            return
        self.lines.append("legend bottom")
        self.lines.extend("  " + _("Note:") + f" {display(text, 60)}" for text in self.pending)
        self.lines.append("endlegend")
        self.pending.clear()


def _notes(steps: Sequence[Step]) -> list[str]:
    """The text of every note in these steps, nested ones included, in order."""
    found: list[str] = []
    for step in steps:
        if isinstance(step, Note):
            found.append(step.text)
        elif isinstance(step, ActivityStep):
            for branch in step.branches:
                found.extend(_notes(branch.steps))
    return found


def _has_action(steps: Sequence[Step]) -> bool:
    return any(step.kind == "action" for step in iter_activity_steps(list(steps)))


def _lane_names(activity: ModelElement) -> list[str | None]:
    names: list[str | None] = []
    for step in iter_activity_steps(activity.steps):
        if step.kind == "action" and step.by not in names:
            names.append(step.by)
    return names


def _lane_title(project: Project, name: str | None) -> str:
    if name is None:
        return "(no performer)"
    element = target(project, name, "actor", "component")
    return label(element, 24) if element is not None else escape(name)


def activity_diagram(project: Project, activity: ModelElement) -> str:
    names = _lane_names(activity)
    uses_lanes = any(name is not None for name in names)
    writer = _Writer(lanes=uses_lanes)
    if uses_lanes:
        for name in names:
            lane = alias(name) if name is not None else UNASSIGNED
            writer.lines.append(f"|{lane}| {_lane_title(project, name)}")
        writer.enter_lane(names[0], 0)
    writer.steps(activity.steps, 0)
    if not any(isinstance(step, ActivityStep) for step in activity.steps):
        writer.node("start", 0)  # PlantUML draws nothing for an activity without a node
    writer.finish()
    title = _("Activity {id}: {title}").format(id=activity.id, title=activity.title or "")
    realizes = activity.value("realizes")
    usecase = target(project, realizes.raw, "usecase") if realizes is not None else None
    if usecase is not None:
        title += " " + _("(realizes {id})").format(id=usecase.id)
    return frame(title, writer.lines)


def generate_activities(project: Project) -> dict[str, str]:
    return {
        f"{FOLDER}/{activity.id}.puml": activity_diagram(project, activity)
        for activity in live(project, "activity")
    }


def _yes() -> str:
    """The branch labels, in the diagram's language (escaped: a translation is text)."""
    return display(_("yes"), WIDTH)


def _no() -> str:
    return display(_("no"), WIDTH)

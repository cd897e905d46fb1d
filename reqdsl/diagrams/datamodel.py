"""The class diagram of the data model: one class per `data` element with its typed
attributes, the category as a stereotype, personal and special attributes in colour, and
an association for every attribute whose type is another `data` element."""

from __future__ import annotations

from ..i18n import N_
from ..model.elements import ModelElement
from ..model.project import Project
from ..parse.syntax import Attribute
from .escape import escape
from .puml import frame, heading, label, live, ref, target

PATH = "data-model.puml"

# GDPR Art. 9 special categories first: they must stand out most.
CATEGORY_STYLE = {
    "special": ("#FDE2E2", "#B00020"),
    "personal": ("#FFF1D6", "#B35C00"),
    "confidential": ("#E8EAF6", "#3949AB"),
}
FLAG_COLOUR = {"special": "#B00020", "personal": "#B35C00"}


def _skin() -> list[str]:
    lines = ["hide empty methods", "skinparam class {"]
    for category, (background, border) in CATEGORY_STYLE.items():
        lines.append(f"  BackgroundColor<<{category}>> {background}")
        lines.append(f"  BorderColor<<{category}>> {border}")
    lines.append("}")
    return lines


def _multiplicity(attribute: Attribute) -> str | None:
    if attribute.multiplicity is None:
        return None
    return escape(attribute.multiplicity.strip("[]").strip()) or None


def _flags(attribute: Attribute) -> str:
    names = [escape(flag.name) for flag in attribute.flags]
    return " {" + ", ".join(names) + "}" if names else ""


def _member(attribute: Attribute) -> str:
    """`{field} name : type [m] {flags}`; personal data in colour, special data bold too."""
    text = f"{escape(attribute.name)} : {escape(attribute.type)}"
    multiplicity = _multiplicity(attribute)
    if multiplicity is not None:
        text += f" [{multiplicity}]"
    text += _flags(attribute)
    flags = {flag.name for flag in attribute.flags}
    if "special" in flags:
        text = f"<color:{FLAG_COLOUR['special']}><b>{text}</b></color>"
    elif "personal" in flags:
        text = f"<color:{FLAG_COLOUR['personal']}>{text}</color>"
    return "  {field} " + text


def _class(project: Project, data: ModelElement) -> list[str]:
    category = data.word("category")
    stereotype = f" <<{escape(category)}>>" if category else ""
    lines = [f'class "{label(data)}" as {ref(data)}{stereotype} {{']
    lines.extend(
        _member(attribute)
        for attribute in data.attributes
        if target(project, attribute.type, "data") is None
    )
    lines.append("}")
    return lines


def _associations(project: Project, data: ModelElement) -> list[str]:
    lines = []
    for attribute in data.attributes:
        other = target(project, attribute.type, "data")
        if other is None:
            continue
        multiplicity = _multiplicity(attribute)
        end = f' "{multiplicity}"' if multiplicity is not None else ""
        lines.append(
            f"{ref(data)} -->{end} {ref(other)} : {escape(attribute.name)}{_flags(attribute)}"
        )
    return lines


def generate_data_model(project: Project) -> dict[str, str]:
    elements = list(live(project, "data"))
    if not elements:
        return {}
    body = _skin()
    for data in elements:
        body.extend(_class(project, data))
    for data in elements:
        body.extend(_associations(project, data))
    return {PATH: frame(heading(project, N_("data model")), body)}

"""GDPR roles of the parties in the model: who receives personal data (Art. 30(1)(d)),
which processors need an Art. 28 contract, which parties sit in a third country and on
which Chapter V basis the data goes there (Art. 44 to 49), and which data-subject rights
the project declares not applicable. The GD rules check these facts; the GDPR report and
the site show them.

An actor or component's role is its `gdpr-role` as written. Without one, a component is
part of the controller's own system (not a recipient), and an actor is listed as a
recipient whose role is not stated: nothing the model does not say is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..elements import ModelElement
from ..project import Project
from .data import TRANSFER_ARTICLES, is_personal

# Parties outside the controller that personal data is disclosed to (Art. 4(9)).
RECIPIENT_ROLES = ("joint-controller", "processor", "sub-processor", "recipient", "third-party")
# Parties that process on the controller's behalf under a contract (Art. 28(3), 28(4)).
PROCESSOR_ROLES = ("processor", "sub-processor")
# The data-subject rights of Art. 15 to 22 (Chapter III, sections 2 to 4).
RIGHTS_ARTICLES = tuple(str(article) for article in range(15, 23))
# Chapter V articles, without the `gdpr:` prefix: a transfer basis is one of them.
CHAPTER_V = tuple(ref.split(":", 1)[1] for ref in TRANSFER_ARTICLES)


def role_of(element: ModelElement | None) -> str | None:
    """The element's `gdpr-role` as written (None when unset or not an actor/component)."""
    if element is None or element.kind not in ("actor", "component"):
        return None
    return element.word("gdpr-role")


def is_recipient(element: ModelElement | None) -> bool:
    """Personal data sent to this element is disclosed outside the controller: a role of
    RECIPIENT_ROLES, or an actor whose role is not stated."""
    if element is None:
        return False
    role = role_of(element)
    if role is None:
        return element.kind == "actor"
    return role in RECIPIENT_ROLES


@dataclass(frozen=True)
class PersonalFlow:
    """A flow that carries personal data, with its `to` end (None when unresolved)."""

    flow: ModelElement
    to: ModelElement | None
    data: tuple[str, ...]  # the personal or special data it carries, as written


def personal_flows(project: Project) -> list[PersonalFlow]:
    """Every live flow carrying at least one personal or special data element."""
    found = []
    for flow in project.live("flow"):
        data = tuple(
            value.raw for value in flow.refs("carries") if is_personal(project.index.get(value.raw))
        )
        if data:
            end = flow.word("to")
            found.append(PersonalFlow(flow, project.index.get(end) if end else None, data))
    return found


def transfer_basis_ok(project: Project, element: ModelElement) -> bool | None:
    """Whether the element's `transfer-basis` is under Art. 44 to 49; None when absent
    (or not a GDPR reference: SM004 says so)."""
    value = element.value("transfer-basis")
    if value is None or value.value is None:
        return None
    scheme, ref = value.value
    catalog = project.catalogs.get(scheme)
    parents = catalog.cited(ref) if catalog is not None else [ref]
    return scheme == "gdpr" and any(parent in CHAPTER_V for parent in parents)


def third_country(element: ModelElement | None) -> str | None:
    """The `third-country` written on an actor or component, None when absent or blank."""
    if element is None:
        return None
    country = element.word("third-country")
    return country if country and country.strip() else None

"""ISO/IEC 27001:2022 rules (IS): the statement of applicability against the model.

A control is cited by a requirement or a component through `compliance` (parents
included, as `CheckContext.cited()` reads it); a control is excluded by a key of
`[compliance.iso27001] excluded` in reqdsl.toml. Links count as written.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Related, Severity
from ..i18n import _, format_count, ngettext
from ..model.elements import ModelElement
from ..model.project import Project
from .registry import CheckContext, Finding, rule


@rule(
    "IS001",
    "iso27001.excluded-but-cited",
    Severity.WARNING,
    "an Annex A control excluded from the statement of applicability that is cited",
)
def excluded_but_cited(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A key of `[compliance.iso27001] excluded` in reqdsl.toml naming a control that a
        requirement or a component cites in `compliance`. At the key; the citing
        elements are the related locations (the first five).

    Why it matters:
        The statement of applicability states, for each Annex A control, whether it is
        necessary and the justification for excluding it (ISO/IEC 27001:2022, 6.1.3 d)).
        A control excluded as not necessary while the specification implements it is a
        contradiction an auditor will raise: either the exclusion or the citation is
        wrong, and the SoA says something the system does not.

    Example:
        [compliance.iso27001.excluded]
        "A.8.24" = "no cryptography"   # IS001 when a requirement cites iso27001:A.8.24

    Fix:
        Remove the exclusion (the control is applicable, and the citing requirements are
        its justification), or remove the citation if the control really does not apply.

    Reference:
        ISO/IEC 27001:2022, clause 6.1.3 b) to d) (determining the necessary controls and
        the statement of applicability).
    """
    config = context.config
    excluded = config.iso27001_excluded
    if not excluded:
        return
    citing_of = _citing(context.project)
    for control in excluded:
        citing = citing_of.get(control, [])
        if not citing:
            continue
        names = ", ".join(f"`{element.id}`" for element in citing[:5])
        if len(citing) > 5:
            names = _("{names} and {n} more").format(names=names, n=format_count(len(citing) - 5))
        message = ngettext(
            "reqdsl.toml excludes `{control}` from the statement of applicability, but "
            "{names} cites it",
            "reqdsl.toml excludes `{control}` from the statement of applicability, but "
            "{names} cite it",
            len(citing),
        )
        yield Finding(
            message.format(control=control, names=names),
            config.relpath,
            config.key_span(("compliance", "iso27001", "excluded", control)),
            hint=_("remove the exclusion, or the citation if the control does not apply"),
            related=[
                Related(
                    _("`{id}` cites `iso27001:{control}`").format(id=element.id, control=control),
                    element.path,
                    element.anchor,
                )
                for element in citing[:5]
            ],
        )


def _citing(project: Project) -> dict[str, list[ModelElement]]:
    """Control -> the live requirements and components citing it, in project order."""
    found: dict[str, list[ModelElement]] = {}
    for element in project.live("requirement", "component"):
        for value in element.refs("compliance"):
            if value.value is not None and value.value[0] == "iso27001":
                citing = found.setdefault(value.value[1], [])
                if element not in citing:
                    citing.append(element)
    return found

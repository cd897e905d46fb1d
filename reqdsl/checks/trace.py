"""Traceability rules (TR): the four coverage figures of spec section 4, and `evidence`
(reqdsl's extension: of the requirements automated tests verify, those whose automated
tests all passed in the JUnit reports read with the project).

The facts the rules read (links, gaps, coverage counts) are the model's
(reqdsl.model.facts.trace), computed in one pass and shared with the site and the
exports; no rule scans all elements per requirement.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..diagnostics import Severity
from ..i18n import N_, _, format_count, format_percent, ngettext
from ..model.config_schema import COVERAGE_KEYS
from ..model.elements import ModelElement
from ..model.facts.trace import (
    NOTHING_TO_MEASURE,
    OTHER_METHODS,
    coverage_counts,
    percentage,
    trace_facts,
)
from ..source import Span
from .registry import CheckContext, Finding, rule

_MESSAGE_LIMIT = 200  # characters of a report's failure message quoted in a diagnostic

# What each figure measures, for TR004's message and hint.
_FIGURE_TEXT = {
    "verification": (N_("requirements verified by tests"), N_("see the TR003 warnings")),
    "derivation": (
        N_("system and software requirements with an upward link"),
        N_("see the TR001 warnings"),
    ),
    "satisfaction": (N_("stakeholder needs and goals linked to"), N_("see the TR002 warnings")),
    "mitigation": (
        N_("threats mitigated or justified"),
        N_("see the TM003 and TM004 warnings"),
    ),
    "evidence": (
        N_("requirements whose automated tests all passed"),
        N_("see the TR008, TR009 and TR010 diagnostics"),
    ),
}


# ---------------------------------------------------------------------- rules
@rule(
    "TR001",
    "trace.no-upward-link",
    Severity.WARNING,
    "system or software requirement with no upward link",
    scope="file",
)
def no_upward_link(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement in a system- or software-level document with none of the fields
        `derives-from`, `satisfies`, `refines`, `mitigates` or `compliance` holding a
        value. Links count as written, whether or not they resolve. Stakeholder-level
        requirements are the top of the hierarchy and are not checked.

    Why it matters:
        ISO/IEC/IEEE 29148:2018 asks that each requirement be traceable upwards
        to the stakeholder need, goal, threat or regulation it comes from. A requirement
        with no origin cannot be justified when it is challenged, nor found when its
        origin changes (impact analysis), and it may be gold plating. The derivation
        coverage figure counts the requirements that pass this rule.

    Example:
        # in a software-level document
        requirement S-2 "History" {
            statement: "The desk software shall keep a history of each ticket."
        }

    Fix:
        Link the requirement to where it comes from: `derives-from` a system or
        stakeholder requirement, `satisfies` a goal, `mitigates` a threat, or cite the
        regulation in `compliance`. If it has no origin, ask whether it is needed.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes: trace to source) and
        its traceability provisions.
    """
    for element, upward in trace_facts(context.project).lower:
        if not upward:
            yield Finding.at(
                element,
                None,
                _("{level}-level requirement `{id}` has no upward link").format(
                    level=element.level, id=element.id
                ),
                hint=_("add `derives-from`, `satisfies`, `refines`, `mitigates` or `compliance`"),
            )


@rule(
    "TR002",
    "trace.unreferenced-need",
    Severity.WARNING,
    "stakeholder requirement or goal that nothing links to",
    scope="links",
)
def unreferenced_need(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement in a stakeholder-level document, or a goal, that no element links
        to through `derives-from`, `satisfies` or `refines` (from a requirement, a goal
        or a use case). Links count as written, whether or not they resolve; a link from
        an element to itself does not count.

    Why it matters:
        Traceability runs both ways (ISO/IEC/IEEE 29148:2018): a stakeholder
        need that nothing derives from, satisfies or refines is not addressed by the
        system, and the gap is invisible until acceptance. The satisfaction coverage
        figure counts the needs and goals that pass this rule.

    Example:
        # in a stakeholder-level document
        goal G-2 "No waiting" { statement: "Users never wait." }   # nothing links here

    Fix:
        Derive a system or software requirement from the need (`derives-from`), let a
        requirement or use case `satisfies` the goal, or refine the goal into subgoals;
        or remove the need if it was dropped.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.6 (characteristics of a set of requirements:
        complete) and its traceability provisions.
    """
    facts = trace_facts(context.project)
    for element in facts.needs:
        if element.id not in facts.needed:
            message = (
                _("goal `{id}` is not linked to by any element")
                if element.kind == "goal"
                else _("stakeholder requirement `{id}` is not linked to by any element")
            )
            yield Finding.at(
                element,
                None,
                message.format(id=element.id),
                hint=_(
                    "let a requirement `derives-from` or `satisfies` it, or a use case "
                    "`satisfies` it"
                ),
            )


@rule(
    "TR003",
    "trace.untested",
    Severity.WARNING,
    "requirement to be verified by test that no test verifies",
    scope="links",
)
def untested(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement whose `verification` includes `test` while no `test` element
        lists it in `verifies` (links count as written, whether or not they resolve).
        Reported at the requirement's ID.

    Why it matters:
        The verification method says how the requirement will be shown to be met
        (ISO/IEC/IEEE 29148:2018, 5.2.8); a requirement promised to be tested without a
        test is an open verification obligation, found too late if only at acceptance.
        The verification coverage figure counts the requirements that pass this rule.

    Example:
        requirement S-3 "Close" {
            statement: "When a ticket is closed, the desk software shall e-mail the requester."
            verification: test
        }

    Fix:
        Add a `test` element with `verifies: S-3` (and `automated-by` naming the
        automated test), or change the verification method if it is not tested.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes: verification method)
        and its traceability to verification.
    """
    facts = trace_facts(context.project)
    for element in facts.tested:
        if element.id in facts.verified:
            continue
        yield Finding.at(
            element,
            None,
            _("requirement `{id}` is to be verified by test, but no `test` verifies it").format(
                id=element.id
            ),
            hint=_("add a `test` element with `verifies: {id}`").format(id=element.id),
        )


@rule("TR004", "trace.coverage-threshold", Severity.ERROR, "coverage threshold not met")
def coverage_threshold(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Each threshold set in reqdsl.toml under `[checks] coverage` (verification,
        derivation, satisfaction, mitigation, in percent) against the project's figure;
        a figure below its threshold is an error, reported at the threshold's line in
        reqdsl.toml. The figure is compared unrounded, so 999 of 1,000 does not meet a
        threshold of 100 even though it is shown as 99.9.

    Why it matters:
        A threshold turns a traceability policy ("every requirement to be tested has a
        test") into a gate that a build or a pull request cannot pass silently. ISO/IEC/
        IEEE 29148:2018 asks for traceability; the figures measure how far the
        project has it.

    Example:
        [checks]
        coverage = { verification = 100, derivation = 90 }

    Fix:
        Close the gaps the other trace rules report (TR001, TR002, TR003; TM003 and
        TM004 for mitigation), or lower the threshold deliberately.

    Reference:
        ISO/IEC/IEEE 29148:2018 (traceability); the `.req` language reference,
        section 4 (coverage figures).
    """
    for key, threshold, covered, total, span in _thresholds(context):
        if total == 0 or Decimal(covered * 100) >= Decimal(repr(threshold)) * total:
            continue  # met, or measuring nothing (TR005)
        what, see = _FIGURE_TEXT[key]
        figure = percentage(covered, total)
        assert figure is not None  # total > 0: a figure over nothing is TR005's
        yield Finding(
            # The figures are words of the message, in the message's language ("94,7 %"
            # in French); withheld.py compares findings by rule and place, never by them.
            _(
                "{key} coverage is {value} ({covered} of {total} {what}), below the "
                "threshold of {threshold}"
            ).format(
                key=key,
                value=format_percent(figure),
                covered=format_count(covered),
                total=format_count(total),
                what=_(what),
                threshold=format_percent(threshold, trim=True),
            ),
            context.config.relpath,
            span,
            hint=_("close the gaps ({see}) or lower `{key}` in [checks] coverage").format(
                see=_(see), key=key
            ),
        )


def _thresholds(context: CheckContext) -> Iterator[tuple[str, float, int, int, Span]]:
    """Each `[checks] coverage` threshold with its figure's counts and its key's place:
    (key, threshold, covered, total, span), in figure order (TR004, TR005)."""
    config = context.config
    if not config.coverage:
        return
    counts = coverage_counts(trace_facts(context.project))
    for key in COVERAGE_KEYS:
        threshold = config.coverage.get(key)
        if threshold is not None:
            covered, total = counts[key]
            yield key, threshold, covered, total, config.key_span(("checks", "coverage", key))


@rule(
    "TR005",
    "trace.threshold-on-nothing",
    Severity.ERROR,
    "coverage threshold set on a figure that measures nothing",
)
def threshold_on_nothing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A threshold under `[checks] coverage` in reqdsl.toml whose figure counts nothing:
        `verification` when no requirement asks to be verified by test, `derivation`
        with no system- or software-level requirement, `satisfaction` with no
        stakeholder-level requirement or goal, `mitigation` with no threat. Reported at
        the threshold's key in reqdsl.toml.

    Why it matters:
        "100 % of nothing" is not coverage. A project whose threat model was never
        written would otherwise pass `mitigation = 100`, and one whose requirements lost
        their `verification: test` would pass `verification = 100`: the gate the
        threshold was set up to be would be green without measuring anything. reqdsl
        shows such a figure as "n/a" (JSON `null`), and a threshold on it fails.

    Example:
        [checks]
        coverage = { mitigation = 100 }    # TR005 when the project has no threat

    Fix:
        Write what the figure measures (the threat model, the tests to run), or remove
        the threshold until the project has it.

    Reference:
        The `.req` language reference, section 4 (coverage figures); ISO/IEC/IEEE
        29148:2018 (traceability).
    """
    for key, threshold, _covered, total, span in _thresholds(context):
        if total != 0:
            continue
        yield Finding(
            _(
                "the {key} coverage threshold of {threshold} measures nothing: {why} (the "
                "figure is n/a, not {threshold})"
            ).format(
                key=key,
                threshold=format_percent(threshold, trim=True),
                why=_(NOTHING_TO_MEASURE[key]),
            ),
            context.config.relpath,
            span,
            hint=_(
                "write what `{key}` measures, or remove the threshold until the project has it"
            ).format(key=key),
        )


# ------------------------------------------------ every method, and test evidence
@rule(
    "TR006",
    "trace.unverified-method",
    Severity.INFO,
    "requirement to be verified by inspection, analysis or demonstration that no test verifies",
    scope="links",
)
def unverified_method(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement whose `verification` names inspection, analysis or demonstration
        (and not test: that is TR003's) while no `test` element lists it in `verifies`.
        A `test` element of any `method` closes it; links count as written. Reported at
        the requirement's ID. An info by default, so that a project the language
        reference calls clean stays clean; raise it in reqdsl.toml to make every
        verification method count (`reqdsl init` does):
        `[checks] severity = { TR006 = "warning" }`. Disabling it also removes the
        "no test element" gap from the matrices.

    Why it matters:
        An inspection, an analysis or a demonstration is verification work like a test
        (ISO/IEC/IEEE 29148:2018, 6.6): unless something records that it is planned
        (who inspects what, against which criteria), "verification: inspection" is a
        promise no one keeps, and the requirement looks verified on paper only. The
        `verification` coverage figure counts requirements to be tested only; this rule
        covers the other methods.

    Example:
        requirement S-4 "Readable" {
            statement: "The booking page shall use a font of at least 16 pixels."
            verification: inspection
        }                                   # no `test` element verifies S-4

    Fix:
        Add a `test` element that records the verification, with `method` naming how:
        `test TC-4 "Font review" { verifies: S-4  method: inspection }`.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (verification method) and 6.6 (verification
        process); the reqdsl language extensions (docs/language.md).
    """
    facts = trace_facts(context.project)
    for element in facts.other_methods:
        if element.id is None or element.id in facts.verified:
            continue
        methods = [v.raw for v in element.refs("verification") if v.raw in OTHER_METHODS]
        yield Finding.at(
            element,
            None,
            _(
                "requirement `{id}` is to be verified by {methods}, but no `test` element "
                "verifies it"
            ).format(id=element.id, methods=_(" and ").join(methods)),
            hint=_(
                "add a `test` element with `verifies: {id}` and `method: {method}` recording "
                "the verification"
            ).format(id=element.id, method=methods[0]),
        )


@rule(
    "TR007",
    "trace.method-mismatch",
    Severity.WARNING,
    "test whose method is not one the requirement it verifies asks for",
    scope="links",
)
def method_mismatch(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element with a `method` that verifies a requirement whose
        `verification` does not include that method (a test by analysis of a
        requirement to be verified by test). Requirements with no `verification` are
        QU007's and not checked here; an unresolved link is SM002's. Reported at the
        `verifies` item that names the requirement, once per test and requirement.

    Why it matters:
        The verification method is part of the requirement (ISO/IEC/IEEE 29148:2018,
        5.2.8): a requirement to be tested that is only analysed has not been verified as
        agreed, even though the matrix shows a test against it.

    Example:
        requirement S-5 "Load" { statement: "..." verification: test }
        test TC-5 "Load estimate" { verifies: S-5  method: analysis }   # TR007

    Fix:
        Verify the requirement the way it asks for (add a test with the right
        `method`), or change the requirement's `verification` if the agreed method
        changed.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (verification method); the reqdsl language
        extensions (docs/language.md).
    """
    project = context.project
    for test in project.live("test"):
        method = test.word("method")
        if method is None:
            continue
        for value in test.refs("verifies"):
            requirement = project.index.get(value.raw)
            if requirement is None or requirement.kind != "requirement" or requirement.broken:
                continue
            asked = [v.raw for v in requirement.refs("verification")]
            if not asked or method in asked:
                continue
            yield Finding.at(
                test,
                value.span,
                _(
                    "test `{test}` verifies `{requirement}` by {method}, but `{requirement}` "
                    "is to be verified by {asked}"
                ).format(
                    test=test.id,
                    requirement=requirement.id,
                    method=method,
                    asked=_(" or ").join(asked),
                ),
                hint=_(
                    "set `method` to {asked}, or change the verification of `{requirement}`"
                ).format(asked=_(" or ").join(asked), requirement=requirement.id),
            )


def _quoted(message: str | None) -> str:
    """A report's failure or skip message as a diagnostic quotes it: its first line,
    shortened (the whole message is in the report)."""
    if not message:
        return ""
    line = message.strip().split("\n", 1)[0].strip()
    if len(line) > _MESSAGE_LIMIT:
        line = line[: _MESSAGE_LIMIT - 1] + "…"
    return f": {line}" if line else ""


def _automated_span(test: ModelElement) -> Span | None:
    value = test.value("automated-by")
    return value.span if value is not None else None


def _verified_by(test: ModelElement) -> str:
    ids = [f"`{value.raw}`" for value in test.refs("verifies")]
    return ", ".join(ids) if ids else _("nothing")


@rule("TR008", "trace.failed-test", Severity.ERROR, "automated test that failed", scope="file")
def failed_test(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` names a test case that failed (a
        `<failure>`) or errored (an `<error>`) in a JUnit report read with the project:
        one named under `[tests] junit` in reqdsl.toml, or given with `--junit` to
        check, build or export. Several cases behind one name: the worst counts.
        Reported at the `automated-by` value, quoting the first line of the report's
        message. Every requirement the test verifies shows the gap "test ID failed" in
        the traceability matrices, and counts against the `evidence` coverage figure.

    Why it matters:
        A test is evidence that a requirement is met only when it passes. A build that
        reads a report with a failing test and still reports "0 with gaps" and exit 0
        gives a false green: the requirement looks verified while the evidence says it
        is not met.

    Example:
        test TC-1 "Reserve a free slot" {
            verifies: S-1
            automated-by: "tests.test_booking::test_reserve_free_slot"   # failed
        }

    Fix:
        Fix the code (or the test) until the case passes, then run the tests again so
        the report is new. If the requirement changed, change the test with it.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification: evidence that requirements are
        met); ISO/IEC/IEEE 29119-3 (test completion reports).
    """
    for test, result in trace_facts(context.project).automated:
        if result.status != "failed":
            continue
        yield Finding.at(
            test,
            _automated_span(test),
            _("automated test `{id}` failed in the JUnit report{detail}").format(
                id=test.id, detail=_quoted(result.message)
            ),
            hint=_("it verifies {ids}: each is a gap until the test passes").format(
                ids=_verified_by(test)
            ),
        )


@rule(
    "TR009", "trace.skipped-test", Severity.WARNING, "automated test that was skipped", scope="file"
)
def skipped_test(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` names a test case that was skipped in the
        JUnit reports read with the project (for a parametrised test, or a case in
        several reports: some skipped and none failed). Reported at the `automated-by`
        value, quoting the skip reason. The requirements it verifies show the gap
        "test ID skipped" and count against the `evidence` figure.

    Why it matters:
        A skipped test proves nothing: the requirement it verifies has no evidence from
        this run, though a report was given. Skips that are meant (a platform the run
        did not cover) should be visible, not taken for passes.

    Example:
        test TC-2 "Confirmation mail" {
            verifies: S-2
            automated-by: "tests.test_mail::test_confirm"   # <skipped/> in the report
        }

    Fix:
        Run the test where it can run (another CI job whose report is also given), or
        fix what makes it skip.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification); ISO/IEC/IEEE 29119-3 (test
        completion reports).
    """
    for test, result in trace_facts(context.project).automated:
        if result.status != "skipped":
            continue
        yield Finding.at(
            test,
            _automated_span(test),
            _("automated test `{id}` was skipped in the JUnit report{detail}").format(
                id=test.id, detail=_quoted(result.message)
            ),
            hint=_("it verifies {ids}: a skipped test is no evidence; run it").format(
                ids=_verified_by(test)
            ),
        )


@rule(
    "TR010",
    "trace.test-not-in-report",
    Severity.WARNING,
    "automated-by names no test case of the JUnit reports",
    scope="file",
)
def test_not_in_report(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` matches no test case of the JUnit reports
        read with the project (as `classname::name`, `classname.name`, a pytest node ID,
        or a parametrised `name[...]`): the test did not run, or its name is misspelt.
        Reported at the `automated-by` value, with the closest case names of the
        reports as a did-you-mean. Only when some report is read. The requirements it
        verifies show the gap "test ID not run".

    Why it matters:
        A name that matches nothing links the requirement to no evidence at all, and
        nothing else would tell: a renamed test function, a typo, or a test left out of
        the CI run silently turns "verified by an automated test" into "verified by
        nothing".

    Example:
        test TC-3 "Confirm" {
            verifies: S-3
            automated-by: "tests.test_booking::test_confirms"   # the case is test_confirm
        }

    Fix:
        Correct `automated-by` to the case's name as the report writes it
        (`classname::name`), or make sure the test runs and its report is given.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification: traceability to evidence).
    """
    results = context.project.junit
    if results is None:
        return
    for test, result in trace_facts(context.project).automated:
        if result.status != "not-run":
            continue
        named = test.word("automated-by") or ""
        close = results.close_names(test)
        reports = len(results.reports)
        hint = (
            _("did you mean {names}?").format(names=", ".join(f"`{name}`" for name in close))
            if close
            else _("write the case as the report names it (`classname::name`), or run that test")
        )
        yield Finding.at(
            test,
            _automated_span(test),
            ngettext(
                "`automated-by` of test `{id}` names `{name}`, which no test case of the JUnit "
                "report matches (not run)",
                "`automated-by` of test `{id}` names `{name}`, which no test case of the JUnit "
                "reports matches (not run)",
                reports,
            ).format(id=test.id, name=named.strip()),
            hint=hint,
        )

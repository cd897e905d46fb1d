"""Configuration rules (CF): a reqdsl.toml setting that is not applied is a finding, never
silence. A misspelt table (`[check]`), key (`coverag`) or rule code (`QU999`) would
otherwise leave the project checked less strictly than its author believes, and the
check would be green for the wrong reason. Each points at the key in reqdsl.toml.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..diagnostics import Severity
from ..i18n import LANGUAGES, _
from ..source import Span
from .registry import RULES, CheckContext, Finding, all_rules, rule


def _known_codes() -> list[str]:
    all_rules()  # every family registered (run_checks has done it already)
    return sorted(RULES)


def _code_hint(code: str) -> str:
    close = difflib.get_close_matches(code.upper(), _known_codes(), n=3, cutoff=0.5)
    listing = _("`reqdsl rules` lists every code")
    if not close:
        return listing
    codes = _(" or ").join(f"`{c}`" for c in close)
    return _("did you mean {codes}? {listing}").format(codes=codes, listing=listing)


@rule("CF001", "config.unknown-key", Severity.ERROR, "unknown table or key in reqdsl.toml")
def unknown_key(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A table or key in reqdsl.toml that reqdsl does not know (`[check]` for
        `[checks]`, `coverag` for `coverage`, `[project] source` for `sources`), at the
        key, with the closest known name. A `[render]` table is reported too: which Java
        and PlantUML run is the user's choice, read only from the user's own
        configuration file, never from a project's.

    Why it matters:
        An unknown key is a setting that is not applied. A misspelt `coverage` table
        means no coverage threshold is checked, a misspelt `[checks]` means no rule is
        disabled or re-graded: the project is checked differently from what its author
        and its reviewers read in reqdsl.toml, and a green check means less than it says.

    Example:
        [check]                      # CF001: unknown table `check`; did you mean `checks`?
        coverage = { verification = 100 }

    Fix:
        Correct the name (the hint gives the closest known one); the language reference
        lists every table and key of reqdsl.toml.
    """
    config = context.config
    path = context.config.relpath
    for unknown in config.unknown:
        if unknown.reason is not None:
            message = _("`[{key}]` is not read from a project's reqdsl.toml").format(
                key=unknown.dotted
            )
            hint = _(unknown.reason)
        else:
            message = (
                _("unknown table `{key}` in reqdsl.toml: it is not applied")
                if len(unknown.path) == 1
                else _("unknown key `{key}` in reqdsl.toml: it is not applied")
            ).format(key=unknown.dotted)
            parent = ".".join(unknown.path[:-1])
            if unknown.suggestion is not None:
                suggested = ".".join((*unknown.path[:-1], unknown.suggestion))
                hint = _("did you mean `{key}`?").format(key=suggested)
            else:
                hint = (
                    _("see the keys of `[{table}]`").format(table=parent)
                    if parent
                    else _("see the tables of reqdsl.toml")
                )
            hint += " (docs/language.md, reqdsl.toml)"
        yield Finding(message, path, config.key_span(unknown.path), hint=hint)


@rule(
    "CF002",
    "config.unknown-severity-code",
    Severity.ERROR,
    "`[checks] severity` re-grades a rule code that does not exist",
)
def unknown_severity_code(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A key of `[checks] severity` in reqdsl.toml that is not the code of a rule, at
        the key, with the closest codes.

    Why it matters:
        `severity = { QU999 = "error" }` was meant to make some rule an error, and
        changes nothing: the rule its author had in mind still only warns, and a check
        that should fail passes.

    Example:
        [checks]
        severity = { QU999 = "error" }   # CF002: no rule QU999; did you mean QU001?

    Fix:
        Use a code that `reqdsl rules` lists.
    """
    config = context.config
    path = context.config.relpath
    known = set(_known_codes())
    for code in config.severity:
        if code not in known:
            yield Finding(
                _(
                    "`[checks] severity` names `{code}`, which is not a rule code: nothing is "
                    "re-graded"
                ).format(code=code),
                path,
                config.key_span(("checks", "severity", code)),
                hint=_code_hint(code),
            )


@rule(
    "CF003",
    "config.unknown-silenced-code",
    Severity.WARNING,
    "`[checks] disable` or an element's `ignore:` names a rule code that does not exist",
)
def unknown_silenced_code(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        An item of `[checks] disable` in reqdsl.toml, or of an element's `ignore:`, that
        is not the code of a rule (at the item), with the closest codes.

    Why it matters:
        The author meant to silence some finding and silenced nothing; the finding they
        had in mind stays (so nothing is hidden), but the configuration no longer says
        what the project does, and a typo in `disable` is one step from disabling the
        wrong rule. A warning, so that `--strict` fails on it.

    Example:
        [checks]
        disable = ["QU01"]              # CF003: no rule QU01; did you mean QU001?

    Fix:
        Use a code that `reqdsl rules` lists, or remove the item.
    """
    config = context.config
    path = context.config.relpath
    known = set(_known_codes())
    for code in sorted(config.disable):
        if code not in known:
            yield Finding(
                _(
                    "`[checks] disable` names `{code}`, which is not a rule code: nothing is "
                    "disabled"
                ).format(code=code),
                path,
                _list_item_span(context, ("checks", "disable"), code),
                hint=_code_hint(code),
            )
    for element in context.project.elements:
        if element.broken or not element.ignore:
            continue
        for value in element.ignore:
            if value.raw not in known:
                yield Finding.at(
                    element,
                    value.span,
                    _(
                        "`ignore:` names `{code}`, which is not a rule code: nothing is silenced"
                    ).format(code=value.raw),
                    hint=_code_hint(value.raw),
                )


@rule(
    "CF004",
    "config.unknown-language",
    Severity.ERROR,
    "`[project] language` names a language reqdsl does not support",
)
def unknown_language(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `[project] language` in reqdsl.toml that is not one of the languages reqdsl
        writes requirements in (`en`, `fr`), at the key, with the supported codes. The
        project is then checked, built and reported in English.

    Why it matters:
        The language decides which wording rules (QU001 to QU006) read the statements
        and the language of the site and reports. A misspelt code (`"francais"`,
        `"fr-FR"`) would silently check French statements against English rules: every
        one of them would lack a "shall".

    Example:
        [project]
        language = "francais"          # CF004: use one of `en`, `fr`

    Fix:
        Use a supported code: `en` (the default) or `fr`. A document may declare its own
        with `language:` in its header.
    """
    config = context.config
    if config.unknown_language is None:
        return
    codes = ", ".join(f"`{code}`" for code in LANGUAGES)
    close = difflib.get_close_matches(config.unknown_language.lower(), LANGUAGES, n=1)
    yield Finding(
        _(
            "`[project] language` is `{code}`, which reqdsl does not support: the project is "
            "read as English"
        ).format(code=config.unknown_language),
        config.relpath,
        config.key_span(("project", "language")),
        hint=_("use one of {codes}").format(codes=codes)
        + (_(" (did you mean `{code}`?)").format(code=close[0]) if close else ""),
    )


def _list_item_span(context: CheckContext, key: tuple[str, ...], item: str) -> Span:
    """The span of `"item"` in the list written at `key`, else of the key."""
    config = context.config
    span = config.key_span(key)
    source = config.source
    if source is None:
        return span
    line = source.line_text(span.line)
    for quote in ('"', "'"):
        column = line.find(f"{quote}{item}{quote}", span.column - 1)
        if column >= 0:
            start = source.line_starts()[span.line - 1] + column
            length = len(item) + 2
            return Span(
                start, start + length, span.line, column + 1, span.line, column + 1 + length
            )
    return span

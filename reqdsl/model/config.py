"""`reqdsl.toml`: project settings (spec section 4).

A configuration that cannot be used (bad TOML, wrong types) raises ConfigError, which
the CLI turns into a clear message and exit status 2.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Severity
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, adopt_project_language
from ..source import SourceFile, Span
from .config_schema import (
    COVERAGE_KEYS,
    PARTIES,
    PARTY_KEYS,
    UnknownKey,
    locate,
    unknown_keys,
)

CONFIG_NAME = "reqdsl.toml"


class ConfigError(Exception):
    """reqdsl.toml cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Party:
    """A party of the GDPR record: its name and contact details (Art. 30(1)(a))."""

    name: str = ""
    contact: str = ""


GDPR_RECORD_ROLES = ("controller", "processor")
DPIA_OUTCOMES = ("required", "not-required")


@dataclass
class GdprRecordConfig:
    """`[compliance.gdpr]`: who keeps the record of processing and what it declares
    (docs/compliance.md, "Who keeps the record")."""

    role: str = "controller"  # controller: Art. 30(1) record; processor: Art. 30(2) too
    parties: dict[str, Party] = field(default_factory=dict)  # PARTIES that are written
    joint_controllers: list[Party] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # article -> why
    dpia_outcome: str | None = None  # DPIA_OUTCOMES
    dpia_reference: str = ""
    dpia_justification: str = ""
    declared: bool = False  # the table is written at all


@dataclass
class Config:
    root: Path
    source: SourceFile | None = None  # the file itself, for TR004's location
    name: str | None = None
    version: str | None = None
    sources: list[str] = field(default_factory=lambda: ["."])
    site_dir: str = "site"
    document_order: list[str] = field(default_factory=list)
    # The language requirements are written in (QU rules) and the site and reports are
    # written in; a document may say its own (`language:` in its header).
    language: str = DEFAULT_LANGUAGE
    unknown_language: str | None = None  # a `[project] language` reqdsl does not speak: CF004
    disable: set[str] = field(default_factory=set)
    severity: dict[str, Severity] = field(default_factory=dict)
    vague_add: list[str] = field(default_factory=list)
    vague_remove: list[str] = field(default_factory=list)
    coverage: dict[str, float] = field(default_factory=dict)
    custom_fields: dict[str, dict[str, tuple[str, ...] | None]] = field(default_factory=dict)
    catalogs: dict[str, Path] = field(default_factory=dict)
    iso27001_excluded: dict[str, str] = field(default_factory=dict)
    gdpr: GdprRecordConfig = field(default_factory=GdprRecordConfig)
    junit: list[str] = field(default_factory=list)  # [tests] junit: report files or patterns
    traceability_limit: int = 80  # elements in one traceability diagram; 0: no limit
    unknown: list[UnknownKey] = field(default_factory=list)  # tables and keys not applied

    @property
    def relpath(self) -> str:
        """reqdsl.toml's path in the project, where findings about a setting are reported."""
        return self.source.relpath if self.source is not None else CONFIG_NAME

    def key_span(self, path: tuple[str, ...]) -> Span:
        """Where the dotted key `path` is written in reqdsl.toml (1:1 when not found)."""
        if self.source is None:
            return Span(0, 0, 1, 1, 1, 1)
        place = locate(self.source.text, path)
        if place is None:
            return Span(0, 0, 1, 1, 1, 1)
        start = self.source.line_starts()[place.line - 1] + place.column - 1
        end_column = place.column + place.length
        return Span(start, start + place.length, place.line, place.column, place.line, end_column)


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str, **slots: str) -> Any:
    """`value` if it is of `kind`, else a ConfigError saying that `where` must be `what`
    (a phrase marked with `N_`, its `{slots}` filled in after translation)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        shown = _(what).format(**slots) if slots else _(what)
        raise ConfigError(_error(N_("`{where}` must be {what}"), where=where, what=shown))
    return value


def _error(message: str, **slots: object) -> str:
    """A one-line configuration error, `reqdsl.toml: ...`, in the interface language.
    `message` is marked with `N_` where it is written, and translated here."""
    return _("{config}: {problem}").format(config=CONFIG_NAME, problem=_(message).format(**slots))


def _string_list(value: Any, where: str) -> list[str]:
    items = _expect(value, list, where, N_("a list of strings"))
    for item in items:
        _expect(item, str, where, N_("a list of strings"))
    return list(items)


def _adopt_declared_language(data: dict[str, Any]) -> None:
    """A readable `[project] language` chooses the language of the errors that follow (in
    the CLI, when the locale names none reqdsl speaks), so that a French project's other
    configuration errors are in French. Errors before it (unreadable file, bad TOML)
    follow the locale alone: the project's language cannot be known then."""
    project = data.get("project")
    code = project.get("language") if isinstance(project, dict) else None
    if isinstance(code, str) and code in LANGUAGES:
        adopt_project_language(code)


def load_config(root: Path) -> Config:
    """Read `root/reqdsl.toml` if present; defaults otherwise."""
    config = Config(root=root)
    # Until the project's language is read, errors follow the locale (if reqdsl speaks
    # it): a reqdsl.toml that cannot be read has no language to give.
    adopt_project_language(DEFAULT_LANGUAGE)
    path = root / CONFIG_NAME
    if not path.is_file():
        return config
    try:
        raw_text = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw_text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(_error(N_("cannot read the file ({error})"), error=error)) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_error(N_("not valid TOML: {error}"), error=error)) from error
    _adopt_declared_language(data)
    config.source = SourceFile(CONFIG_NAME, raw_text.replace("\r\n", "\n"), path)
    config.unknown = unknown_keys(data)

    project = _expect(data.get("project", {}), dict, "project", N_("a table"))
    if "name" in project:
        config.name = _expect(project["name"], str, "project.name", N_("a string"))
    if "version" in project:
        config.version = str(
            _expect(project["version"], (str, int, float), "project.version", N_("a string"))
        )
    if "sources" in project:
        config.sources = _string_list(project["sources"], "project.sources")
        for source in config.sources:
            # Resolved too: an entry that is a link out of the project (`ext -> /`) would
            # have the whole file system walked, and its paths printed and published.
            if (
                Path(source).is_absolute()
                or ".." in Path(source).parts
                or not (root / source).resolve().is_relative_to(root.resolve())
            ):
                raise ConfigError(
                    _error(
                        N_(
                            "`project.sources` entry `{source}` must be a folder inside the "
                            "project (it may not be a link out of it)"
                        ),
                        source=source,
                    )
                )
    if "documents" in project:
        config.document_order = _string_list(project["documents"], "project.documents")
    if "language" in project:
        code = _expect(project["language"], str, "project.language", N_("a language code"))
        # An unknown code is a finding (CF004, listing the supported ones) rather than a
        # stop: the rest of the project is still checked, in the default language.
        if code in LANGUAGES:
            config.language = code
        else:
            config.unknown_language = code

    build = _expect(data.get("build", {}), dict, "build", N_("a table"))
    if "site_dir" in build:
        config.site_dir = _expect(build["site_dir"], str, "build.site_dir", N_("a string"))
        # A project from a pull request must not make `reqdsl build` write elsewhere on
        # the machine (`-o`, given by the user, may name any folder).
        site = root / config.site_dir
        if Path(config.site_dir).is_absolute() or not site.resolve().is_relative_to(root.resolve()):
            raise ConfigError(
                _error(
                    N_(
                        "`build.site_dir` must be a folder inside the project, not `{site_dir}` "
                        "(use `reqdsl build -o` for another place)"
                    ),
                    site_dir=config.site_dir,
                )
            )

    diagrams = _expect(data.get("diagrams", {}), dict, "diagrams", N_("a table"))
    if "traceability_limit" in diagrams:
        limit = _expect(
            diagrams["traceability_limit"], int, "diagrams.traceability_limit", N_("a number")
        )
        if limit < 0:
            raise ConfigError(_error(N_("`diagrams.traceability_limit` must be 0 or more")))
        config.traceability_limit = limit

    checks = _expect(data.get("checks", {}), dict, "checks", N_("a table"))
    _load_checks(config, checks)

    tests = _expect(data.get("tests", {}), dict, "tests", N_("a table"))
    if "junit" in tests:
        config.junit = _report_patterns(root, _string_list(tests["junit"], "tests.junit"))

    fields = _expect(data.get("fields", {}), dict, "fields", N_("a table of element kinds"))
    for kind, declared in fields.items():
        declared = _expect(declared, dict, f"fields.{kind}", N_("a table of field names"))
        specs: dict[str, tuple[str, ...] | None] = {}
        for name, values in declared.items():
            if isinstance(values, list):
                specs[name] = tuple(_string_list(values, f"fields.{kind}.{name}"))
            elif isinstance(values, str) and values in ("string", "text", "any"):
                specs[name] = None
            else:
                raise ConfigError(
                    _error(
                        N_('`{where}` must be a list of allowed values or "string"'),
                        where=f"fields.{kind}.{name}",
                    )
                )
        config.custom_fields[kind] = specs

    catalogs = _expect(data.get("catalogs", {}), dict, "catalogs", N_("a table"))
    for scheme, file_name in catalogs.items():
        file_name = _expect(file_name, str, f"catalogs.{scheme}", N_("a path to a TSV file"))
        path = root / file_name
        if not path.resolve().is_relative_to(root.resolve()):
            raise ConfigError(
                _error(
                    N_("catalogue `{scheme}` must be a file inside the project, not `{file_name}`"),
                    scheme=scheme,
                    file_name=file_name,
                )
            )
        config.catalogs[scheme] = path

    compliance = _expect(data.get("compliance", {}), dict, "compliance", N_("a table"))
    iso = _expect(compliance.get("iso27001", {}), dict, "compliance.iso27001", N_("a table"))
    excluded = _expect(
        iso.get("excluded", {}),
        dict,
        "compliance.iso27001.excluded",
        N_('a table of control = "justification"'),
    )
    for control, why in excluded.items():
        config.iso27001_excluded[control] = _expect(
            why, str, f"compliance.iso27001.excluded.{control}", N_("a string (the justification)")
        )
    if "gdpr" in compliance:
        config.gdpr = _gdpr_record(
            _expect(compliance["gdpr"], dict, "compliance.gdpr", N_("a table"))
        )
    return config


def _party(value: Any, where: str) -> Party:
    table = _expect(value, dict, where, N_('a table `{ name = "...", contact = "..." }`'))
    texts = {
        key: _expect(table.get(key, ""), str, f"{where}.{key}", N_("a string"))
        for key in PARTY_KEYS
    }
    return Party(**texts)


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str:
    listed = ", ".join(f'"{c}"' for c in choices)
    text: str = _expect(value, str, where, N_("one of {choices}"), choices=listed)
    if text not in choices:
        raise ConfigError(
            _error(
                N_("`{where}` must be one of {choices}, not {text}"),
                where=where,
                choices=listed,
                text=repr(text),
            )
        )
    return text


def _gdpr_record(table: dict[str, Any]) -> GdprRecordConfig:
    """`[compliance.gdpr]`; wrong types and unknown roles or outcomes are ConfigErrors."""
    where = "compliance.gdpr"
    record = GdprRecordConfig(declared=True)
    if "role" in table:
        record.role = _choice(table["role"], f"{where}.role", GDPR_RECORD_ROLES)
    for party in PARTIES:
        if party in table:
            record.parties[party] = _party(table[party], f"{where}.{party}")
    joint = _expect(table.get("joint-controllers", []), list, f"{where}.joint-controllers",
                    N_("a list of tables { name, contact }"))  # fmt: skip
    record.joint_controllers = [_party(item, f"{where}.joint-controllers") for item in joint]
    rights = _expect(table.get("not-applicable", {}), dict, f"{where}.not-applicable",
                     N_('a table of article = "justification"'))  # fmt: skip
    for article, why in rights.items():
        record.not_applicable[article] = _expect(
            why, str, f"{where}.not-applicable.{article}", N_("a string (the justification)")
        )
    dpia = _expect(table.get("dpia", {}), dict, f"{where}.dpia", N_("a table"))
    if "outcome" in dpia:
        record.dpia_outcome = _choice(dpia["outcome"], f"{where}.dpia.outcome", DPIA_OUTCOMES)
    for key in ("reference", "justification"):
        text = _expect(dpia.get(key, ""), str, f"{where}.dpia.{key}", N_("a string"))
        setattr(record, f"dpia_{key}", text)
    return record


def _report_patterns(root: Path, patterns: list[str]) -> list[str]:
    """`[tests] junit`: JUnit report files, or patterns (`reports/*.xml`), relative to the
    project and inside it. `**` is refused: a recursive pattern would walk (and follow
    links through) folders no one meant to name; each file found is read only if it
    resolves inside the project (reqdsl.model.sources.read_reports)."""
    for pattern in patterns:
        parts = Path(pattern).parts
        if (
            not pattern.strip()
            or Path(pattern).is_absolute()
            or ".." in parts
            or "**" in pattern
            or not (root / pattern).resolve().is_relative_to(root.resolve())
        ):
            raise ConfigError(
                _error(
                    N_(
                        "`tests.junit` entry `{pattern}` must name report files inside the "
                        "project (a relative path, `*` patterns allowed, no `..` or `**`)"
                    ),
                    pattern=pattern,
                )
            )
    return patterns


def _load_checks(config: Config, checks: dict[str, Any]) -> None:
    if "disable" in checks:
        config.disable = set(_string_list(checks["disable"], "checks.disable"))
    severity = _expect(checks.get("severity", {}), dict, "checks.severity", N_("a table"))
    for code, level in severity.items():
        level = _expect(level, str, f"checks.severity.{code}", N_('"error", "warning" or "info"'))
        try:
            config.severity[code] = Severity(level)
        except ValueError:
            raise ConfigError(
                _error(
                    N_('`{where}` must be "error", "warning" or "info"'),
                    where=f"checks.severity.{code}",
                )
            ) from None
    vague = _expect(checks.get("vague_terms", {}), dict, "checks.vague_terms", N_("a table"))
    config.vague_add = _string_list(vague.get("add", []), "checks.vague_terms.add")
    config.vague_remove = _string_list(vague.get("remove", []), "checks.vague_terms.remove")
    coverage = _expect(checks.get("coverage", {}), dict, "checks.coverage", N_("a table"))
    for key, threshold in coverage.items():
        if key not in COVERAGE_KEYS:
            raise ConfigError(
                _error(
                    N_("`{where}` is not a coverage figure; use one of {keys}"),
                    where=f"checks.coverage.{key}",
                    keys=", ".join(COVERAGE_KEYS),
                )
            )
        value = _expect(threshold, (int, float), f"checks.coverage.{key}", N_("a number"))
        if not 0 <= value <= 100:
            raise ConfigError(
                _error(N_("`{where}` must be between 0 and 100"), where=f"checks.coverage.{key}")
            )
        config.coverage[key] = float(value)

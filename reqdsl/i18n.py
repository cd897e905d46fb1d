"""The one translation mechanism: gettext catalogues for every label reqdsl writes.

Messages are written in English in the code and wrapped in `_()` (or `ngettext`); the
French catalogue is `reqdsl/locale/fr/LC_MESSAGES/reqdsl.po`, compiled into `reqdsl.mo`
beside it. Both are committed, so that a fresh `pip install -e .` (or a wheel) has the
catalogue without a build step; `python -m reqdsl.i18n` re-extracts the messages and
re-compiles the catalogue with Babel (installed with mkdocs-material), and
tests/test_french.py fails when the committed `.mo` is not the compiled `.po`. Reading a
catalogue at run time takes only the standard library's `gettext`.

Which language: the *interface* language (diagnostic messages and hints) follows the
user's locale as gettext does (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`) when it names a
supported language, and the project's `[project] language` otherwise. What a project
*publishes* (its site, its reports) is in the project's language whatever the locale of
the machine that builds it, so that two builds of one project are the same.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from pathlib import Path

DOMAIN = "reqdsl"
LOCALE_DIR = Path(__file__).parent / "locale"
# Every language reqdsl writes requirements in and speaks; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = LANGUAGES[0]
LANGUAGE_NAMES = {"en": "English", "fr": "français"}

_current: ContextVar[str] = ContextVar("reqdsl_language", default=DEFAULT_LANGUAGE)
# Whether a project's language may choose the language of diagnostics: set by the CLI,
# inside the context of one command (cli.main), so that a library caller or a test that
# loads a French project in-process keeps the language it chose.
_follow_projects: ContextVar[bool] = ContextVar("reqdsl_follow_projects", default=False)


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def current() -> str:
    """The language labels are written in now."""
    return _current.get()


def set_language(language: str) -> None:
    """Write labels in `language` from now on (an unsupported one: English)."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Labels in `code` inside the block (a site build, a report), as before after it."""
    token = _current.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """`message` in the current language. The empty string stays empty: gettext would
    give the catalogue's header (an empty cell of a report is not a message)."""
    if not message:
        return message
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations(_current.get()).ngettext(singular, plural, count)


def plural(singular: str, plural: str, count: int) -> str:
    """`ngettext` with its `{n}` filled in, written by `format_count`:
    `plural("{n} file", "{n} files", 3)`."""
    return ngettext(singular, plural, count).format(n=format_count(count))


_ = gettext


def N_(message: str) -> str:  # gettext's name: a message marked, not translated
    """Mark `message` for extraction; translated later, where it is shown."""
    return message


def format_date(text: str) -> str:
    """A date of the model (`2026-11-29`) as the current language writes it: unchanged in
    English, `29 novembre 2026` in French (Babel's CLDR data, installed with
    mkdocs-material). Text that is not an ISO date is shown as written."""
    from datetime import date

    if current() == DEFAULT_LANGUAGE:
        return text
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return text
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(day, format="long", locale=current()))


# Numbers shown to people. English keeps the forms reqdsl has always written, byte for
# byte (`10000`, `94.7%`; the site `94.7 %`), so that no English output changes; other
# languages follow CLDR through Babel (French: `10 000` grouped by U+202F, `94,7 %` with
# U+00A0 before the sign). Machine formats (JSON, SARIF, CSV and XLSX cells, HTML
# attributes, the numbers rules compare) never pass through here: a script reads `94.7`.


def format_count(count: int) -> str:
    """A count as the current language writes it: `10000` in English, `10 000` in
    French."""
    if current() == DEFAULT_LANGUAGE:
        return str(count)
    from babel.numbers import format_decimal

    return str(format_decimal(count, locale=current()))


def format_percent(value: float, *, trim: bool = False, page: bool = False) -> str:
    """`value`, a figure in percent (94.7, as `percentage` computes it), as the current
    language writes a percentage: `94.7%` in English, `94,7 %` in French (CLDR's pattern
    for the language, with one decimal). `trim`: only the decimals the value has (`100 %`,
    `99.5 %`, a threshold as written) instead of exactly one (`100.0%`, the check's
    summary). `page`: English with a space before the sign (`94.7 %`), as the site has
    always written it; the other languages have one form. Callers show "n/a" themselves:
    a figure over nothing is no number."""
    if current() == DEFAULT_LANGUAGE:
        number = f"{value:g}" if trim else f"{value:.1f}"
        return f"{number} %" if page else f"{number}%"
    from babel.numbers import format_percent as babel_format_percent

    # repr: the float's shortest decimal (99.95, not 99.9500000000000028...).
    fraction = Decimal(repr(value)) / 100
    if trim:
        return str(babel_format_percent(fraction, locale=current(), decimal_quantization=False))
    return str(babel_format_percent(fraction, _one_decimal(current()), locale=current()))


def format_decimal(number: Decimal) -> str:
    """A decimal of the model (a decision's weight, score or weighted total) with the
    digits it has, as the current language writes it: `19`, `6.5` (not 19.0, 6.50) in
    English, `6,5` and `1 234,5` in French. -0 is 0."""
    number = number.normalize()
    if number.is_zero():
        number = Decimal(0)
    if current() == DEFAULT_LANGUAGE:
        return format(number, "f")
    from babel.numbers import format_decimal as babel_format_decimal

    return str(babel_format_decimal(number, locale=current(), decimal_quantization=False))


@cache
def _one_decimal(language: str) -> str:
    """The language's own percent pattern (CLDR's `#,##0 %` for French) with exactly one
    decimal: `#,##0.0 %`."""
    from babel import Locale

    pattern = str(Locale.parse(language).percent_formats[None].pattern)
    return re.sub(r"0(?=[^0#]*$)", "0.0", pattern, count=1)


def locale_language(environ: dict[str, str] | None = None) -> str | None:
    """The supported language the user's locale names, as gettext reads it (the first
    of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set), or None (`C`, `POSIX`, unset or
    a language reqdsl does not speak)."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if not value:
            continue
        for item in value.split(":"):  # LANGUAGE is a list: fr:en
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        return None
    return None


def follow_projects() -> None:
    """From now on (in this context), a loaded project's language chooses the language of
    diagnostics unless the user's locale names one (the CLI's behaviour). Until a project
    is read, or for a command that reads none (`reqdsl fmt FILE`), the locale does."""
    _follow_projects.set(True)
    set_language(locale_language() or DEFAULT_LANGUAGE)


def adopt_project_language(project_language: str) -> None:
    """Called when a project's configuration is read: see `follow_projects`."""
    if _follow_projects.get():
        set_language(interface_language(project_language))


def interface_language(project_language: str, environ: dict[str, str] | None = None) -> str:
    """The language of diagnostics: the user's locale if reqdsl speaks it, else the
    project's."""
    return locale_language(environ) or project_language


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


_MARKERS = {"_": 1, "gettext": 1, "N_": 1, "ngettext": 2, "plural": 2}


def extract_messages(package: Path | None = None) -> dict[str | tuple[str, str], list[str]]:
    """Every message the code marks (`_("...")`, `N_`, `gettext`, `ngettext`), with where
    it is marked. Read from the syntax tree, so that a call inside an f-string counts
    (Babel's extractor does not see those)."""
    import ast

    root = package or Path(__file__).parent
    found: dict[str | tuple[str, str], list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            count = _MARKERS.get(node.func.id)
            if count is None or len(node.args) < count:
                continue
            values = [
                a.value
                for a in node.args[:count]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if len(values) < count:  # a message in a variable: marked where it is defined
                continue
            key: str | tuple[str, str] = values[0] if count == 1 else (values[0], values[1])
            where = f"reqdsl/{path.relative_to(root).as_posix()}:{node.lineno}"
            found.setdefault(key, []).append(where)
    return found


def compile_catalogues() -> None:  # pragma: no cover - a maintainer's command
    """Re-extract the messages into each `.po` (keeping the translations) and compile
    each `.mo`: `python -m reqdsl.i18n`."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="reqdsl", charset="utf-8")
    for message, places in extract_messages().items():
        locations = [(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1])) for where in places]
        template.add(message, locations=locations)
    for code in LANGUAGES[1:]:
        po = _po_path(code)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, ignore_obsolete=True)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


if __name__ == "__main__":  # pragma: no cover
    compile_catalogues()

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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "reqdsl"
LOCALE_DIR = Path(__file__).parent / "locale"
# Every language reqdsl writes requirements in and speaks; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = LANGUAGES[0]
LANGUAGE_NAMES = {"en": "English", "fr": "français"}

_current: ContextVar[str] = ContextVar("reqdsl_language", default=DEFAULT_LANGUAGE)


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
    """`message` in the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations(_current.get()).ngettext(singular, plural, count)


_ = gettext


def N_(message: str) -> str:  # gettext's name: a message marked, not translated
    """Mark `message` for extraction; translated later, where it is shown."""
    return message


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


def interface_language(project_language: str, environ: dict[str, str] | None = None) -> str:
    """The language of diagnostics: the user's locale if reqdsl speaks it, else the
    project's."""
    return locale_language(environ) or project_language


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogues() -> None:  # pragma: no cover - a maintainer's command
    """Re-extract the messages into each `.po` (keeping the translations) and compile
    each `.mo`: `python -m reqdsl.i18n`."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="reqdsl", charset="utf-8")
    package = Path(__file__).parent
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for filename, lineno, message, _comments, context in extract_from_dir(
        package, method_map=[("**.py", "python")], keywords=keywords
    ):
        template.add(message, locations=[(f"reqdsl/{filename}", lineno)], context=context)
    for language in LANGUAGES[1:]:
        po = _po_path(language)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


if __name__ == "__main__":  # pragma: no cover
    compile_catalogues()

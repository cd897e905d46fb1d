"""Human names for what the parser expected: `':'`, `'}'`, "an identifier", never `COLON`."""

from __future__ import annotations

from collections.abc import Iterable

from ..i18n import N_, _
from .lexicon import lexicon

_PUNCTUATION = {
    "COLON": "':'",
    "COMMA": "','",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "ARROW": "'->' or '-->'",
}

_SINGLE = {
    "ID": N_("an identifier"),
    "STRING": N_('a string ("...")'),
    "TEXT_BLOCK": N_('a text block ("""...""")'),
    "NUMBER": N_("a number"),
    "COMPLIANCE_REF": N_("a compliance reference such as gdpr:6(1)(b)"),
    "MULTIPLICITY": N_("a multiplicity such as [0..*]"),
    "$END": N_("the end of the file"),
}

_VALUE_TOKENS = {"STRING", "NUMBER", "COMPLIANCE_REF"}


def describe_expected(expected: Iterable[str]) -> str:
    """`expected ':'` or `expected one of ':', '}' or a field name`."""
    names = _names(set(expected))
    if not names:
        return _("unexpected input")
    if len(names) == 1:
        return _("expected {name}").format(name=names[0])
    return _("expected one of {names} or {last}").format(
        names=", ".join(names[:-1]), last=names[-1]
    )


def _names(expected: set[str]) -> list[str]:
    names: list[str] = []
    found = lexicon()
    element_of = found.element_keywords  # terminal -> kind, for keywords that open elements
    keyword_terminals = set(found.keywords.values())
    keywords = expected & keyword_terminals
    element_keywords = sorted(element_of[t] for t in keywords if t in element_of)
    for token, name in _PUNCTUATION.items():
        if token in expected:
            names.append(name)
    if expected >= _VALUE_TOKENS:
        names.append(_("a value"))
        expected = expected - _VALUE_TOKENS - {"ID", "TEXT_BLOCK"}
        keywords = set()
    elif "ID" in expected and len(keywords) > 10:
        # A field name may be any identifier or keyword: say so instead of listing 36 words.
        names.append(_("a field name"))
        expected = expected - {"ID"}
        keywords = {t for t in keywords if t in element_of}
        element_keywords = sorted(element_of[t] for t in keywords)
    if len(element_keywords) > 4:
        names.append(_("an element (`requirement`, `goal`, `section`, ...)"))
        keywords -= set(element_of)
    word_of = {name: word for word, name in found.keywords.items()}
    for token in sorted(keywords):
        names.append(f"`{word_of[token]}`")
    for token, name in _SINGLE.items():
        if token in expected:
            names.append(_(name))
    return names

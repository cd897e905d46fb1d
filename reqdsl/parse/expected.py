"""Human names for what the parser expected: `':'`, `'}'`, "an identifier", never `COLON`."""

from __future__ import annotations

from collections.abc import Iterable

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
    "ID": "an identifier",
    "STRING": 'a string ("...")',
    "TEXT_BLOCK": 'a text block ("""...""")',
    "NUMBER": "a number",
    "COMPLIANCE_REF": "a compliance reference such as gdpr:6(1)(b)",
    "MULTIPLICITY": "a multiplicity such as [0..*]",
    "$END": "the end of the file",
}

_VALUE_TOKENS = {"STRING", "NUMBER", "COMPLIANCE_REF"}


def describe_expected(expected: Iterable[str]) -> str:
    """`expected ':'` or `expected one of ':', '}' or a field name`."""
    names = _names(set(expected))
    if not names:
        return "unexpected input"
    if len(names) == 1:
        return f"expected {names[0]}"
    return "expected one of " + ", ".join(names[:-1]) + " or " + names[-1]


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
        names.append("a value")
        expected = expected - _VALUE_TOKENS - {"ID", "TEXT_BLOCK"}
        keywords = set()
    elif "ID" in expected and len(keywords) > 10:
        # A field name may be any identifier or keyword: say so instead of listing 36 words.
        names.append("a field name")
        expected = expected - {"ID"}
        keywords = {t for t in keywords if t in element_of}
        element_keywords = sorted(element_of[t] for t in keywords)
    if len(element_keywords) > 4:
        names.append("an element (`requirement`, `goal`, `section`, ...)")
        keywords -= set(element_of)
    word_of = {name: word for word, name in found.keywords.items()}
    for token in sorted(keywords):
        names.append(f"`{word_of[token]}`")
    for token, name in _SINGLE.items():
        if token in expected:
            names.append(name)
    return names

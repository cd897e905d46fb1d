"""Human names for what the parser expected: `':'`, `'}'`, "an identifier", never `COLON`."""

from __future__ import annotations

from collections.abc import Iterable

# Element kinds whose keyword starts an element (spec section 3, 1.1 included).
ELEMENT_KEYWORDS = {
    "KW_DOCUMENT": "document",
    "KW_SECTION": "section",
    "KW_TEXT": "text",
    "KW_TERM": "term",
    "KW_STAKEHOLDER": "stakeholder",
    "KW_GOAL": "goal",
    "KW_REQUIREMENT": "requirement",
    "KW_ACTOR": "actor",
    "KW_USECASE": "usecase",
    "KW_ZONE": "zone",
    "KW_COMPONENT": "component",
    "KW_DATA": "data",
    "KW_FLOW": "flow",
    "KW_SCENARIO": "scenario",
    "KW_THREAT": "threat",
    "KW_TEST": "test",
    "KW_DECISION": "decision",
    "KW_CRITERION": "criterion",
    "KW_OPTION": "option",
    "KW_ACTIVITY": "activity",
    "KW_REVIEW": "review",
}

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
    keywords = {t for t in expected if t.startswith("KW_")}
    element_keywords = sorted(ELEMENT_KEYWORDS[t] for t in keywords if t in ELEMENT_KEYWORDS)
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
        keywords = {t for t in keywords if t in ELEMENT_KEYWORDS}
        element_keywords = sorted(ELEMENT_KEYWORDS[t] for t in keywords)
    if len(element_keywords) > 4:
        names.append("an element (`requirement`, `goal`, `section`, ...)")
        keywords -= set(ELEMENT_KEYWORDS)
    for token in sorted(keywords):
        names.append(f"`{token[3:].lower()}`")
    for token, name in _SINGLE.items():
        if token in expected:
            names.append(name)
    return names

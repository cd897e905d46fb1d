"""Escaping user text for PlantUML: unit cases for each attack, and properties over any
text (hypothesis). That PlantUML then draws the escaped text exactly as written is
checked by real renders in test_diagrams_render.py."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from reqdsl.diagrams.escape import alias, display, escape, normalise

# Every character Python (and so PlantUML's Java) may treat as a line break.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# What a line must not start with to be PlantUML syntax rather than text: a preprocessor
# directive, a diagram delimiter, a comment, a builtin function.
DIRECTIVE_START = re.compile(r"^\s*[!@'%$/]")
REFERENCE = re.compile(r"<U\+[0-9A-F]{4,6}>")


def plain(escaped: str) -> str:
    """The escaped text with its character references taken out."""
    return REFERENCE.sub("", escaped)


def test_diagram_delimiters_and_directives_are_encoded() -> None:
    for attack in ("@enduml", "@startuml", "!include /etc/passwd", "!define X", "!pragma x"):
        escaped = escape(attack)
        assert "@" not in plain(escaped) and "!" not in plain(escaped), escaped
    assert escape("@enduml") == "<U+0040>enduml"
    assert escape("!include /etc/passwd") == "<U+0021>include /etc/passwd"


def test_builtin_functions_and_variables_are_encoded() -> None:
    assert escape('%getenv("HOME")') == "<U+0025>getenv<U+0028><U+0022>HOME<U+0022><U+0029>"
    assert "$" not in escape("$HOME and $x")


def test_quotes_angle_brackets_and_ampersands_are_encoded() -> None:
    escaped = escape('say "hi" <script>alert(1)</script> &#64; &amp;')
    assert not set('"<>&') & set(plain(escaped))


def test_a_written_character_reference_stays_text() -> None:
    # PlantUML decodes <U+0041> to "A"; the user's text must not be decoded.
    assert escape("<U+0041>") == "<U+003C>U<U+002B>0041<U+003E>"
    assert escape("\\n") == "<U+005C>n"


def test_creole_markup_is_encoded_when_doubled() -> None:
    for markup in ("**bold**", "//italic//", '""mono""', "--strike--", "__under__", "~~wave~~"):
        escaped = plain(escape("x " + markup))
        assert markup[:2] not in escaped, (markup, escaped)
    assert "[" not in plain(escape("[[http://example.org]]"))
    assert "<" not in plain(escape("<img:/etc/passwd> <&folder> <color:red>"))


def test_single_marks_in_prose_stay_readable() -> None:
    assert escape("REQ-BOOK-001 a/b x*y snake_case 3:1, ok.") == (
        "REQ-BOOK-001 a/b x*y snake_case 3:1, ok."
    )


def test_a_label_never_starts_with_markup() -> None:
    for text in ("* item", "= heading", "- dash", "...delay", ". dot", "|table|", "€5"):
        assert escape(text).startswith("<U+"), text
    assert escape("écrit").startswith("é")  # a letter of any script is fine


def test_line_breaks_tabs_and_invisible_characters() -> None:
    assert normalise("a\nb\r\nc\td\u2028e\u2029f\x0bg") == "a b c d e f g"
    assert normalise("  padded   out  ") == "padded out"
    assert normalise("evil\u202egnp.exe") == "evilgnp.exe"  # bidi override dropped
    assert normalise("\ufeffbom") == "bom"
    assert normalise("family \U0001f468\u200d\U0001f469") == "family \U0001f468\u200d\U0001f469"
    assert normalise("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    assert normalise("word " * 100, limit=20) == "word word word word\u2026"
    assert len(normalise("x" * 1000)) == 300


def test_display_wraps_and_styles_each_line() -> None:
    assert display("one two three four", 9) == "one two\\nthree\\nfour"
    styled = display("one two three", 8, style=("<size:10>", "</size>"))
    assert styled == "<size:10>one two</size>\\n<size:10>three</size>"
    assert display("short", 40) == "short"


def test_display_escapes_the_first_mark_of_every_wrapped_line() -> None:
    assert display("aaaa -b", 4) == "aaaa\\n<U+002D>b"


def test_alias_is_safe_and_readable() -> None:
    assert alias("REQ-BOOK-001") == "r_REQ_hBOOK_h001"
    assert alias("N.1") == "r_N_d1"
    assert alias("snake_case") == "r_snake__case"
    assert alias("début") == "r_d_xe9_but"
    assert alias("end") == "r_end"  # never a bare PlantUML keyword


def test_aliases_do_not_collide() -> None:
    ids = ["A-B", "A_hB", "A_B", "A__B", "A.B", "A_dB", "Aé", "A_xe9_"]
    assert len({alias(i) for i in ids}) == len(ids)


# Properties over any text.

TOKENS = [*LINE_BREAKS, "\\n", "@enduml", "!include ", "%getenv(", "<U+0041>", "**", "--", " "]
TEXT = st.lists(
    st.characters(blacklist_categories=["Cs"]) | st.sampled_from(TOKENS), max_size=80
).map("".join)


@given(TEXT)
def test_escaped_text_is_one_inert_line(text: str) -> None:
    escaped = escape(text)
    assert not set(escaped) & set(LINE_BREAKS)
    assert not DIRECTIVE_START.match(escaped)
    assert not set("\"!@%$&~\\[]{}|#;'`^()") & set(plain(escaped))
    assert "<" not in plain(escaped) and ">" not in plain(escaped)
    for pair in ("**", "//", "--", "__", "==", "::"):
        assert pair not in plain(escaped)


@given(TEXT, st.integers(min_value=1, max_value=60))
def test_every_wrapped_line_is_inert(text: str, width: int) -> None:
    for line in display(text, width).split("\\n"):
        assert not set(line) & set(LINE_BREAKS)
        assert not DIRECTIVE_START.match(line)


@given(st.text(st.sampled_from(string.ascii_letters + string.digits + "_.-é"), min_size=1))
def test_alias_is_an_identifier(element_id: str) -> None:
    assert re.fullmatch(r"r_[A-Za-z0-9_]+", alias(element_id))


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_alias_is_one_to_one(first: str, second: str) -> None:
    assert (alias(first) == alias(second)) == (first == second)


@given(st.text(st.sampled_from(string.ascii_letters + string.digits + " .,?-_*/=:"), max_size=40))
def test_the_plain_text_shortcut_agrees_with_the_general_rule(text: str) -> None:
    from reqdsl.diagrams.escape import _encode, _kept

    flat = normalise(text)
    expected = "".join(c if _kept(flat, i) else _encode(c) for i, c in enumerate(flat))
    assert escape(text) == expected

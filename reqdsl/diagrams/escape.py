"""User text inside PlantUML: labels that can only ever display themselves, safe aliases.

A `.req` title, guard or protocol is written into PlantUML source. Left as it is, it could
end the diagram (`@enduml`), run a preprocessor directive (`!include /etc/passwd`), call a
builtin (`%getenv("HOME")`), open a quoted name early (`"`), break the line, or turn into
markup (`<img:...>`, `[[link]]`, `**bold**`). `escape` neutralises all of these by
construction rather than by listing attacks: it keeps letters, digits, spaces and a few
inert punctuation marks, and writes every other ASCII mark as `<U+XXXX>`, a character
reference that PlantUML decodes only when it draws the text, after the preprocessor and
the diagram parser have run, and in a single pass, so the decoded mark is never read
again (`<U+003C>b>` draws `<b>`, not bold type).

HTML-style `&#N;` would not do: PlantUML decodes it first and then reads the result for
`<U+XXXX>` (so a title `&#60;U+0041&#62;` would draw `A`), and for `\\` and `$` the
decoder crashes (Java's `Matcher.appendReplacement` reads them as escapes).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from ..util.unicode import NONCHARACTERS

# Kept as written anywhere but at the start of a label (where creole reads `.`, `,`
# or `?` as nothing, but `...` starts a delay in a sequence diagram).
_INERT = frozenset(".,?")
# Creole doubles these into markup (`**bold**`, `//italic//`, `--strike--`, `__under__`,
# `==`), and some start a line of markup (`* item`, `= heading`, `----`): kept when single,
# encoded when doubled or first.
_PAIRED = frozenset("-_*/=:")
# Bidirectional controls reorder what a reviewer sees (Trojan Source); byte order marks
# and other invisible format characters hide text. Dropped, except the joiners that some
# scripts and emoji need.
_KEPT_FORMAT = frozenset("\u200c\u200d")

# Plain ASCII prose that needs no encoding at all: the common case, checked in one go.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,?*/=:_-]*")
# A mark of `_PAIRED` next to anything but a letter, digit or space is encoded (see
# `_kept`): the shortcut must not apply then.
_DOUBLED = re.compile(r"[-_*/=:][^A-Za-z0-9 .,?]|[^A-Za-z0-9 .,?][-_*/=:]")

DEFAULT_LIMIT = 300
ELLIPSIS = "\u2026"


def normalise(text: str, limit: int | None = DEFAULT_LIMIT) -> str:
    """One line of plain text: every run of white space (line breaks, tabs, Unicode line
    and paragraph separators) becomes one space, control and invisible format characters
    go, lone surrogates and noncharacters become U+FFFD; cut to `limit` characters with an
    ellipsis."""
    if text.isascii() and text.isprintable():  # no line breaks, controls or invisibles
        flat = " ".join(text.split())
    else:
        flat = " ".join(_clean(text).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return flat


def _clean(text: str) -> str:
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif category == "Cs" or ord(char) in NONCHARACTERS:  # PlantUML crashes on U+FFFF
            out.append("\ufffd")
        elif category != "Cf" or char in _KEPT_FORMAT:
            out.append(char)
    return "".join(out)


def _encode(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _kept(text: str, index: int) -> bool:
    char = text[index]
    if char == " " or char.isalnum():
        return True
    if not char.isascii():
        # Letters, digits and marks of other scripts, symbols, emoji: inert in PlantUML.
        return index > 0 or char.isalpha()
    if index == 0:
        return False
    if char in _INERT:
        return True
    if char in _PAIRED:
        # Kept only between letters, digits, spaces or `.,?` (`REQ-BOOK-001`, `0..*`):
        # next to another mark, even one written as a reference, two could meet as markup.
        before = text[index - 1]
        after = text[index + 1] if index + 1 < len(text) else ""
        return all(c == "" or c == " " or c.isalnum() or c in _INERT for c in (before, after))
    return False


def escape(text: str, limit: int | None = DEFAULT_LIMIT) -> str:
    """Text for one line of a PlantUML label: normalised, then every mark that PlantUML
    could read as syntax or markup written as a character reference. The result holds no
    line break, no `"`, no `<`/`>` other than in `<U+...>`, no `!`, `@`, `%`, `&` or `~`,
    and never starts with anything but a letter, a digit or a character reference."""
    flat = normalise(text, limit)
    if _PLAIN.fullmatch(flat) and not _DOUBLED.search(flat):
        return flat
    return "".join(char if _kept(flat, i) else _encode(char) for i, char in enumerate(flat))


def display(
    text: str,
    width: int | None = None,
    limit: int | None = DEFAULT_LIMIT,
    style: tuple[str, str] = ("", ""),
) -> str:
    """A label, wrapped at word boundaries to `width` characters per line when given;
    the lines are joined by PlantUML's own `\\n`, which user text can no longer spell.
    `style` (an opening and a closing creole tag of ours) is put around each line:
    PlantUML ends every tag at a line break."""
    flat = normalise(text, limit)
    if width is None or len(flat) <= width:
        lines = [flat]
    else:
        lines = textwrap.wrap(flat, width, break_long_words=False, break_on_hyphens=False)
    opening, closing = style
    return "\\n".join(opening + escape(line, None) + closing for line in lines)


def alias(element_id: str) -> str:
    """A PlantUML alias for an element ID: ASCII letters, digits and `_` only, never a
    keyword, and one-to-one (`_` is doubled, `-` is `_h`, `.` is `_d`, any other
    character `_x<hex>_`), so two IDs never share an alias."""
    out = ["r_"]
    for char in element_id:
        if char.isascii() and char.isalnum():
            out.append(char)
        elif char == "_":
            out.append("__")
        elif char == "-":
            out.append("_h")
        elif char == ".":
            out.append("_d")
        else:
            out.append(f"_x{ord(char):x}_")
    return "".join(out)


__all__ = ["alias", "display", "escape", "normalise"]

"""Characters of user text that no output shows as they are.

Bidirectional controls reorder what a reader sees (Trojan Source, CVE-2021-42574): a
statement can display one thing and say another. The terminal output (reqdsl.render.text)
and the site (reqdsl.site.html) replace each with U+FFFD, so a reviewer sees that something
was there; PlantUML labels drop them with every other invisible format character.

Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane) and lone
surrogates are not text at all: YAML refuses U+FFFE and U+FFFF (MkDocs would not read a
`mkdocs.yml` whose site name held one), XML refuses them, and a lone surrogate cannot even
be written as UTF-8. The site replaces them with U+FFFD too.
"""

from __future__ import annotations

import re

# Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), the implicit marks
# (LRM, RLM) and the Arabic letter mark.
BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
NONCHARACTERS = frozenset(
    {
        *range(0xFDD0, 0xFDF0),
        *(plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF)),
    }
)
REPLACEMENT = "\ufffd"


def _escapes(codes: frozenset[int]) -> str:
    """A regular expression character class body for `codes`, as escapes."""
    return "".join(f"\\U{code:08x}" for code in sorted(codes))


# Inside a character class: what `not_text` replaces (for a caller's own fast-path class).
NOT_TEXT_CLASS = _escapes(BIDI_CONTROLS | NONCHARACTERS) + "\\ud800-\\udfff"
_NOT_TEXT = re.compile(f"[{NOT_TEXT_CLASS}]")


def visible(text: str) -> str:
    """`text` with every bidirectional control, noncharacter and lone surrogate replaced
    by U+FFFD."""
    return _NOT_TEXT.sub(REPLACEMENT, text)

"""Quality rules (QU): the wording of requirement statements (ISO/IEC/IEEE 29148, EARS).

Every rule here reads only the `statement` of requirements that parsed without a syntax
error and that have one (a missing statement is SM005). QU001 and QU004 point at the term
itself inside the statement; the statement's value is the cooked text (escapes applied,
text blocks dedented), so a match in that text is mapped back to the file through
`statement_offsets`. QU002, QU003, QU005 and QU006 point at the statement value, QU007
at the requirement's ID.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..diagnostics import Fix
from ..model.elements import ModelElement, Val
from ..source import SourceFile, Span
from .registry import CheckContext, Finding, rule

# The default QU001 list (spec section 5), adjusted by `[checks] vague_terms`.
DEFAULT_VAGUE_TERMS = (
    "user-friendly", "user friendly", "easy to use", "easy", "easily", "simple", "simply",
    "fast", "quick", "quickly", "efficient", "efficiently", "flexible", "robust", "adequate",
    "adequately", "appropriate", "as appropriate", "as applicable", "if possible",
    "where possible", "if practical", "as required", "as needed", "etc.", "and so on", "best",
    "optimal", "optimally", "minimal", "significant", "sufficient", "sufficiently", "several",
    "some", "various", "many", "few", "normally", "usually", "typically", "generally",
    "approximately", "reasonable", "reasonably", "state-of-the-art", "seamless", "seamlessly",
    "intuitive", "timely", "better than", "high quality", "but not limited to", "as a minimum",
    "provide support for",
)  # fmt: skip

_FLAGS = re.IGNORECASE
_MODAL = re.compile(r"(?<!\w)(?:shall|must)(?!\w)", _FLAGS)
_NEGATIVE = re.compile(r"(?<!\w)(shall|must)\s+not(?!\w)", _FLAGS)
_AND_OR = re.compile(r"(?<!\w)and\s*/\s*or(?!\w)", _FLAGS)
_OPEN = re.compile(r"(?<!\w)(?:TBD|TBC|TBR|TBS)(?!\w)", _FLAGS)

# EARS (Mavin et al., RE 2009) as the spec writes it; `<...>` is any text, "must" counts
# as "shall". Matched against the statement with its whitespace collapsed.
_MAIN = r"the\s+\S.*?\s(?:shall|must)\s+\S"
EARS_PATTERNS = {
    "ubiquitous": re.compile(rf"^{_MAIN}", _FLAGS | re.DOTALL),
    "event-driven": re.compile(rf"^when\s+\S.*?,\s*{_MAIN}", _FLAGS | re.DOTALL),
    "state-driven": re.compile(rf"^while\s+\S.*?,\s*{_MAIN}", _FLAGS | re.DOTALL),
    "unwanted behaviour": re.compile(rf"^if\s+\S.*?,\s*then\s+{_MAIN}", _FLAGS | re.DOTALL),
    "optional feature": re.compile(rf"^where\s+\S.*?,\s*{_MAIN}", _FLAGS | re.DOTALL),
    "state and event": re.compile(
        rf"^while\s+\S.*?,\s*when\s+\S.*?,\s*{_MAIN}", _FLAGS | re.DOTALL
    ),
    "state and unwanted behaviour": re.compile(
        rf"^while\s+\S.*?,\s*if\s+\S.*?,\s*then\s+{_MAIN}", _FLAGS | re.DOTALL
    ),
}
EARS_TEMPLATES = (
    "`The <system> shall <response>`",
    "`When <trigger>, the <system> shall <response>`",
    "`While <state>, the <system> shall <response>`",
    "`If <condition>, then the <system> shall <response>`",
    "`Where <feature>, the <system> shall <response>`",
)


# ---------------------------------------------------------------------- statements
def _statements(context: CheckContext) -> Iterator[tuple[ModelElement, Val]]:
    """Every live requirement that has a (valid) statement, with that statement."""
    for element in context.project.live("requirement"):
        statement = element.value("statement")
        if statement is not None:
            yield element, statement


def statement_offsets(token: str, cooked: str) -> tuple[str, list[int], list[int]]:
    """Where each character of a string value's text stands in its source `token`.

    Returns the text searched and, per character, its start and end offsets relative to
    the token. The text is `cooked` (the value as the model holds it) whenever this
    function can rebuild it from the token: a `"..."` string with its escapes, or a
    `\"\"\"...\"\"\"` block dedented as the parser does. Otherwise (which would mean the
    parser's cooking changed) the token itself is searched, so that every match still
    maps to its own place in the file.
    """
    text: str
    starts: list[int]
    ends: list[int]
    if token.startswith('"""') and token.endswith('"""') and len(token) >= 6:
        text, starts, ends = _text_block_offsets(token)
    elif token.startswith('"') and token.endswith('"') and len(token) >= 2:
        text, starts, ends = _string_offsets(token)
    else:
        text, starts, ends = token, list(range(len(token))), list(range(1, len(token) + 1))
    if text != cooked:
        text, starts, ends = token, list(range(len(token))), list(range(1, len(token) + 1))
    return text, starts, ends


def _string_offsets(token: str) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
    index, last = 1, len(token) - 1
    while index < last:
        char = token[index]
        if char == "\\" and index + 1 < last:
            chars.append(escapes.get(token[index + 1], token[index + 1]))
            starts.append(index)
            ends.append(index + 2)
            index += 2
        else:
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
            index += 1
    return "".join(chars), starts, ends


def _text_block_offsets(token: str) -> tuple[str, list[int], list[int]]:
    """Mirror of `parse.text.dedent_text_block`, keeping each character's offset."""
    lines = token[3:-3].split("\n")
    line_starts = [3]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    pieces: list[tuple[str, int]] = []  # (text, offset of its first character)
    rest = list(zip(lines[1:], line_starts[1:], strict=True))
    indents = [len(line) - len(line.lstrip()) for line, _ in rest if line.strip()]
    margin = min(indents) if indents else 0
    for line, start in rest:
        pieces.append((line[margin:], start + margin) if line.strip() else ("", start))
    first = lines[0].strip()
    if first:
        lead = len(lines[0]) - len(lines[0].lstrip())
        pieces.insert(0, (first, line_starts[0] + lead))
    while pieces and not pieces[-1][0]:
        pieces.pop()
    while pieces and not pieces[0][0]:
        pieces.pop(0)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for number, (piece, offset) in enumerate(pieces):
        if number:
            newline = starts[-1] + 1 if starts else offset
            chars.append("\n")
            starts.append(newline)
            ends.append(newline + 1)
        chars.append(piece)
        starts.extend(range(offset, offset + len(piece)))
        ends.extend(range(offset + 1, offset + len(piece) + 1))
    return "".join(chars), starts, ends


class _Locator:
    """Maps matches in a statement's text back to spans in its file (built lazily: most
    statements have nothing to report)."""

    def __init__(self, source: SourceFile | None, statement: Val) -> None:
        self.source = source
        self.statement = statement
        self._map: tuple[str, list[int], list[int]] | None = None

    @property
    def text(self) -> str:
        return self._mapped()[0]

    def _mapped(self) -> tuple[str, list[int], list[int]]:
        if self._map is None:
            span = self.statement.span
            if self.source is None:
                token = self.statement.raw
            else:
                token = self.source.text[span.start : span.end]
            self._map = statement_offsets(token, self.statement.raw)
        return self._map

    def span(self, begin: int, end: int) -> Span:
        _, starts, ends = self._mapped()
        base = self.statement.span.start
        if self.source is None or not starts:
            return self.statement.span
        return self.source.span(base + starts[begin], base + ends[end - 1])


def _plain_span(statement: Val, source: SourceFile | None, begin: int, end: int) -> Span | None:
    """The fast path: a `"..."` string without escapes maps index i to start + 1 + i."""
    if source is None:
        return None
    span = statement.span
    token_length = span.end - span.start
    if token_length == len(statement.raw) + 2 and "\\" not in statement.raw:
        if source.text.startswith('"', span.start) and not source.text.startswith(
            '"""', span.start
        ):
            return source.span(span.start + 1 + begin, span.start + 1 + end)
    return None


def _term_spans(
    context: CheckContext, element: ModelElement, statement: Val, pattern: re.Pattern[str]
) -> Iterator[tuple[str, Span]]:
    """Each non-overlapping match of `pattern` (longest first) with its span in the file."""
    source = context.project.sources.get(element.path)
    found = [
        (match.start(1), match.end(1)) for match in pattern.finditer(statement.raw) if match.group(1)
    ]
    text = statement.raw
    locator: _Locator | None = None
    if found and _plain_span(statement, source, 0, 0) is None:
        locator = _Locator(source, statement)
        if locator.text is not statement.raw and locator.text != statement.raw:
            # The value could not be mapped back: search what is written in the file.
            text = locator.text
            found = [(m.start(1), m.end(1)) for m in pattern.finditer(text) if m.group(1)]
    for begin, end in _longest_first(found):
        plain = _plain_span(statement, source, begin, end)
        if plain is not None:
            yield text[begin:end], plain
        elif locator is not None:
            yield text[begin:end], locator.span(begin, end)


def _longest_first(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where matches overlap only the longest counts (then the earliest); in text order."""
    if len(found) < 2:
        return found
    kept: list[tuple[int, int]] = []
    for begin, end in sorted(found, key=lambda m: (m.0 if False else -(m[1] - m[0]), m[0])):
        if all(end <= b or begin >= e for b, e in kept):
            kept.append((begin, end))
    return sorted(kept)


def _term_regex(term: str) -> str:
    words = [re.escape(word) for word in term.split()]
    body = r"\s+".join(words)
    before = r"(?<!\w)" if re.match(r"\w", term) else ""
    after = r"(?!\w)" if re.search(r"\w$", term) else ""
    return before + body + after


@lru_cache(maxsize=32)
def vague_pattern(add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> re.Pattern[str]:
    """One regex finding, at each position, the longest vague term that starts there.

    A zero-width lookahead makes the matches overlap (so that `_longest_first` can pick
    between overlapping terms); the alternatives are tried longest first.
    """
    removed = {" ".join(term.split()).casefold() for term in remove}
    terms: dict[str, str] = {}
    for term in (*DEFAULT_VAGUE_TERMS, *add):
        key = " ".join(term.split()).casefold()
        if key and key not in removed:
            terms.setdefault(key, " ".join(term.split()))
    if not terms:
        return re.compile(r"(?!)()")
    ordered = sorted(terms.values(), key=lambda t: (-len(t), t.casefold()))
    alternatives = "|".join(_term_regex(term) for term in ordered)
    return re.compile(rf"(?=({alternatives}))", _FLAGS)


_OPEN_PATTERN = re.compile(rf"(?=({_OPEN.pattern}))", _FLAGS)


# ---------------------------------------------------------------------- rules
@rule("QU001", "quality.vague-term", Severity_WARNING := None or __import__("reqdsl.diagnostics", fromlist=["Severity"]).Severity.WARNING, "vague or unbounded term in a statement")  # noqa: E501
def vague_term(context: CheckContext) -> Iterator[Finding]:
    """placeholder"""
    yield from ()

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
import sys
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..diagnostics import Fix, Severity
from ..i18n import _, format_count
from ..model.elements import ModelElement, Val
from ..parse.text import cook_string_with_offsets
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

# EARS (Mavin et al., RE 2009) as the spec writes it; `<...>` is any text, "must" counts
# as "shall". Each pattern is a clause matched at the start of the statement (its
# whitespace collapsed), then clauses each introduced by a comma somewhere after the one
# before, the last one `the <system>`; a "shall" or "must" must follow that one:
# `^when\s+\S.*?,\s*the\s+\S(?=.*?\s(?:shall|must)\s+\S)` and so on. Written as one
# regex, its lazy `.*?` parts and the lookahead backtrack into each other: cubic time on
# a statement full of commas (28 s for 15 KB). Instead each comma clause is searched for
# once, from where the clause before it ended: the earliest match is always the best
# one (a clause holds no comma but its first character, so a later comma ends later and
# leaves less room for what follows), and the "shall" is one more search from there.
# Every search is linear, so the whole test is.
_SYSTEM = r"the\s+\S"
EARS_PATTERNS: dict[str, tuple[str, ...]] = {
    "ubiquitous": (_SYSTEM,),
    "event-driven": (r"when\s+\S", _SYSTEM),
    "state-driven": (r"while\s+\S", _SYSTEM),
    "unwanted behaviour": (r"if\s+\S", rf"then\s+{_SYSTEM}"),
    "optional feature": (r"where\s+\S", _SYSTEM),
    "state and event": (r"while\s+\S", r"when\s+\S", _SYSTEM),
    "state and unwanted behaviour": (r"while\s+\S", r"if\s+\S", rf"then\s+{_SYSTEM}"),
}
EARS_TEMPLATES = (
    "`The <system> shall <response>`",
    "`When <trigger>, the <system> shall <response>`",
    "`While <state>, the <system> shall <response>`",
    "`If <condition>, then the <system> shall <response>`",
    "`Where <feature>, the <system> shall <response>`",
)

# French. "doit"/"doivent" (present) and "devra"/"devront" (future) state the obligation,
# as "shall" does; "peut", "pourra", "devrait" are what "may" and "should" are in English:
# no obligation. The EARS patterns in French (the clauses of Mavin et al. as French
# specifications write them): "Lorsque"/"Quand", "Tant que", "Si ... , alors",
# "Là où"/"Dans le cas où", each then naming the system with its article ("le", "la",
# "les", "l'"). Elisions ("lorsqu'un", "tant qu'il", "s'il") count.
_FR_MODALS = r"(?:doit|doivent|devra|devront)"
_FR_SYSTEM = r"(?:(?:le|la|les)\s+|l['’]\s*)\S"
EARS_PATTERNS_FR: dict[str, tuple[str, ...]] = {
    "ubiquitous": (_FR_SYSTEM,),
    "event-driven": (r"(?:lorsque\s+|lorsqu['’]\s*|quand\s+)\S", _FR_SYSTEM),
    "state-driven": (r"tant\s+(?:que\s+|qu['’]\s*)\S", _FR_SYSTEM),
    "unwanted behaviour": (r"(?:si\s+|s['’]\s*)\S", rf"alors\s+{_FR_SYSTEM}"),
    "optional feature": (r"(?:là\s+où|dans\s+le\s+cas\s+où)\s+\S", _FR_SYSTEM),
    "state and event": (
        r"tant\s+(?:que\s+|qu['’]\s*)\S",
        r"(?:lorsque\s+|lorsqu['’]\s*|quand\s+)\S",
        _FR_SYSTEM,
    ),
    "state and unwanted behaviour": (
        r"tant\s+(?:que\s+|qu['’]\s*)\S",
        r"(?:si\s+|s['’]\s*)\S",
        rf"alors\s+{_FR_SYSTEM}",
    ),
}
EARS_TEMPLATES_FR = (
    "`Le <système> doit <réponse>`",
    "`Lorsque <déclencheur>, le <système> doit <réponse>`",
    "`Tant que <état>, le <système> doit <réponse>`",
    "`Si <condition>, alors le <système> doit <réponse>`",
    "`Là où <option>, le <système> doit <réponse>`",
)
_EARS_FIRST = {
    clause: re.compile(clause, _FLAGS)
    for patterns in (EARS_PATTERNS, EARS_PATTERNS_FR)
    for clauses in patterns.values()
    for clause in clauses[:1]
}
_EARS_NEXT = {
    clause: re.compile(rf",\s*{clause}", _FLAGS)
    for patterns in (EARS_PATTERNS, EARS_PATTERNS_FR)
    for clauses in patterns.values()
    for clause in clauses[1:]
}

# The default French QU001 list. Matched by word stems (Snowball's French stemmer), so
# `rapide` also finds `rapides` and `rapidement`, `convivial` finds `conviviale` and
# `conviviaux`. Where the stemmer gives two forms two stems, both are listed (`divers`,
# `diverses`). Terms whose stem is an everyday word are left out: `raisonnable` (stem
# `raison`), `généralement` (`général`), `normalement` (`normal`), `notamment` (`not`).
DEFAULT_VAGUE_TERMS_FR = (
    "convivial", "rapide", "facile", "simple", "intuitif", "adéquat", "approprié",
    "adapté", "suffisant", "optimal", "minimal", "performant", "efficace", "flexible",
    "robuste", "robustesse", "fluide", "ergonomique", "transparent", "moderne", "meilleur",
    "significatif", "plusieurs", "certains", "divers", "diverses", "nombreux", "habituellement",
    "typiquement", "environ", "approximativement", "au minimum", "si possible",
    "dans la mesure du possible", "le cas échéant", "si nécessaire", "au besoin",
    "selon les besoins", "en temps utile", "de haute qualité", "etc", "et ainsi de suite",
    "sans s'y limiter", "à la pointe",
)  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """What the QU rules read in one language: the same rules, the same codes, words of
    that language. Every pattern is a fixed alternation of words with no nested
    quantifier: linear in the statement's length."""

    language: str
    modal: re.Pattern[str]  # the obligation ("shall")
    negative: re.Pattern[str]  # the negative obligation ("shall not")
    and_or: re.Pattern[str]
    weak: re.Pattern[str] | None  # weaker modals, named in QU002's hint
    placeholders: TermMatcher | StemMatcher
    ears: dict[str, tuple[str, ...]]
    ears_modal: re.Pattern[str]
    templates: tuple[str, ...]
    ubiquitous: str  # QU005's rewrite, `{modal}` and `{response}` filled in


# ---------------------------------------------------------------------- statements
Statement = tuple[ModelElement, Val, "Wording"]
Words = tuple[str, ...]  # a statement's lower-cased words, each once (`_words`)


def _statements(context: CheckContext) -> list[Statement]:
    """Every live requirement that has a (valid) statement, with that statement and the
    wording of its language (found once per check: seven rules ask)."""
    found = context.memo.get("statements")
    if found is None:
        found = context.memo["statements"] = []
        languages = _file_languages(context)
        default = context.config.language
        for element in context.project.live("requirement"):
            statement = element.value("statement")
            if statement is not None:
                language = languages.get(element.path, default)
                found.append((element, statement, WORDINGS[language]))
    return found


def _file_languages(context: CheckContext) -> dict[str, str]:
    """The language each file's document declares (`language:`), by file path. A
    statement is read in its document's language, else in the project's: an English
    and a French document of one project each get their own rules."""
    languages: dict[str, str] = {}
    for document in context.project.live("document"):
        value = document.value("language")
        if value is not None and value.raw in WORDINGS:  # another value is SM004
            languages[document.path] = value.raw
    return languages


def statement_offsets(token: str, cooked: str) -> tuple[str, list[int], list[int]]:
    """Where each character of a string value's text stands in its source `token`.

    Returns the text searched and, per character, its start and end offsets relative to
    the token. The text is `cooked` (the value as the model holds it) whenever this
    function can rebuild it from the token: a `"..."` string with its escapes (cooked by
    the parser's own function), or a `\"\"\"...\"\"\"` block dedented as the parser
    does. Otherwise (which would mean the parser's cooking changed) the token itself is
    searched, so that every match still maps to its own place in the file.
    """
    text: str
    starts: list[int]
    ends: list[int]
    if token.startswith('"""') and token.endswith('"""') and len(token) >= 6:
        text, starts, ends = _text_block_offsets(token)
    elif token.startswith('"') and token.endswith('"') and len(token) >= 2:
        text, starts, ends = cook_string_with_offsets(token)
    else:
        text, starts, ends = token, list(range(len(token))), list(range(1, len(token) + 1))
    if text != cooked:
        text, starts, ends = token, list(range(len(token))), list(range(1, len(token) + 1))
    return text, starts, ends


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


class _Located:
    """A statement's text and the way back from a match in it to a span in the file."""

    def __init__(self, source: SourceFile | None, statement: Val) -> None:
        self.statement = statement
        self.source = source
        self.text = statement.raw
        self._offset: int | None = None  # a plain `"..."` string: index i is at start + 1 + i
        self._starts: list[int] = []
        self._ends: list[int] = []
        if source is None:
            return
        span = statement.span
        token = source.text[span.start : span.end]
        if token == f'"{statement.raw}"':
            self._offset = span.start + 1
            return
        self.text, self._starts, self._ends = statement_offsets(token, statement.raw)

    def span(self, begin: int, end: int) -> Span:
        if self.source is None:
            return self.statement.span
        if self._offset is not None:
            return self.source.span(self._offset + begin, self._offset + end)
        base = self.statement.span.start
        return self.source.span(base + self._starts[begin], base + self._ends[end - 1])


def _terms(
    context: CheckContext,
    element: ModelElement,
    statement: Val,
    matcher: TermMatcher | StemMatcher,
) -> Iterator[tuple[str, Span]]:
    """Each counted occurrence of a term in the statement: its text and its span."""
    found = matcher.find(statement.raw, _words(context, statement.raw))
    if not found:
        return
    located = _Located(context.project.sources.get(element.path), statement)
    if located.text != statement.raw:  # not mapped back: search what the file holds
        found = matcher.find(located.text)
    for begin, end in _longest_first(found):
        yield " ".join(located.text[begin:end].split()), located.span(begin, end)


def _words(context: CheckContext, text: str) -> Words:
    """The lower-cased words of a statement, each once, computed once for all the rules
    asking.

    Kept for every statement until the checks end, so kept small: a tuple of interned
    words (the vocabulary is shared), not a frozenset of fresh strings. At 100,000
    requirements the frozensets held 230 MB, the largest part of the checks' peak; the
    tuples hold 20 MB and are made no slower (docs/performance.md)."""
    cache: dict[str, Words] = context.memo.setdefault("statement-words", {})
    found = cache.get(text)
    if found is None:
        found = cache[text] = tuple(set(map(sys.intern, _WORD.findall(text.lower()))))
    return found


def _longest_first(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where matches overlap only the longest counts (the earliest among equals); the
    kept matches in text order."""
    if len(found) < 2:
        return found
    # The kept matches never overlap, so sorted by start they are sorted by end too: a
    # candidate overlaps one of them exactly when the last kept match starting before
    # its end ends after its start (one bisection, not a comparison with every match
    # kept: that was quadratic in the terms of one statement).
    begins: list[int] = []
    ends: list[int] = []
    for begin, end in sorted(found, key=lambda match: (match[0] - match[1], match[0])):
        at = bisect_left(begins, end)
        if at and ends[at - 1] > begin:
            continue
        begins.insert(at, begin)
        ends.insert(at, end)
    return list(zip(begins, ends, strict=True))


def _term_regex(term: str) -> str:
    """A term as a regex: whole words (no letter, digit or `_` on either side), any run
    of whitespace between its words (a phrase may wrap in a text block)."""
    body = r"\s+".join(re.escape(word) for word in term.split())
    before = r"(?<!\w)" if re.match(r"\w", term) else ""
    after = r"(?!\w)" if re.search(r"\w$", term) else ""
    return before + body + after


def vague_terms(add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> list[str]:
    """The QU001 list: the default list, plus `add`, minus `remove` (compared ignoring
    case and runs of whitespace)."""
    removed = {" ".join(term.split()).casefold() for term in remove}
    terms: dict[str, str] = {}
    for term in (*DEFAULT_VAGUE_TERMS, *add):
        normal = " ".join(term.split())
        key = normal.casefold()
        if key and key not in removed:
            terms.setdefault(key, normal)
    return list(terms.values())


_WORD = re.compile(r"\w+")


class TermMatcher:
    """Finds listed terms in a text: at each word, the longest term that starts there.

    Terms are indexed by their first word, so a statement costs one scan of its words
    and a few anchored matches, however long the list (one alternation of sixty terms
    tried at every character is a hundred times slower on a large project). Matches may
    overlap; `_longest_first` then keeps the longest.
    """

    def __init__(self, terms: list[str]) -> None:
        self.by_first: dict[str, list[re.Pattern[str]]] = {}
        self.first_word: dict[str, re.Pattern[str]] = {}  # a first word, as a whole word
        self.other: list[re.Pattern[str]] = []  # terms that do not start with a word
        self.firsts: frozenset[str] = frozenset()  # the keys of by_first, as a set
        for term in sorted(terms, key=lambda t: (-len(t), t.casefold())):
            pattern = re.compile(_term_regex(term), _FLAGS)
            first = _WORD.match(term)
            if first is None:
                self.other.append(pattern)
            else:
                word = first.group(0).lower()
                self.by_first.setdefault(word, []).append(pattern)
                if word not in self.first_word:
                    self.first_word[word] = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", _FLAGS)
        self.firsts = frozenset(self.by_first)

    def find(self, text: str, words: Words | None = None) -> list[tuple[int, int]]:
        """Matches in `text`: at each place a listed first word starts, the longest term
        that matches there."""
        found: list[tuple[int, int]] = []
        for first, start in self._first_words(text, words):
            for pattern in self.by_first[first]:
                match = pattern.match(text, start)
                if match is not None:
                    found.append((match.start(), match.end()))
                    break
        for pattern in self.other:
            found.extend(
                (m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()
            )
        return found

    def _first_words(self, text: str, words: Words | None) -> Iterator[tuple[str, int]]:
        """(listed first word, where it starts). Given the text's lower-cased `words`,
        only the first words that occur are searched for, each by one C-level scan;
        otherwise every word is looked at."""
        if words is not None:
            # The statement's few words against the set of first words (a dict's keys
            # & a set went through every listed first word for each statement).
            for first in self.firsts.intersection(words):
                for occurrence in self.first_word[first].finditer(text):
                    yield first, occurrence.start()
            return
        for word in _WORD.finditer(text):
            first = word.group(0).lower()
            if first in self.by_first:
                yield first, word.start()


@lru_cache(maxsize=32)
def vague_matcher(add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> TermMatcher:
    """The QU001 matcher for a configuration (built once per configuration)."""
    return TermMatcher(vague_terms(add, remove))


OPEN_MATCHER = TermMatcher(["TBD", "TBC", "TBR", "TBS"])

_APOSTROPHES = "'’"


@lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer({"fr": "french", "en": "english"}[language])


@lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    """The stem of one lower-cased word (asked for the same words again and again)."""
    return str(_stemmer(language).stemWord(word))


class StemMatcher:
    """Finds listed terms by the stems of their words: a term matches where the words of
    the text have the same stems, one after the other, separated by whitespace or an
    apostrophe (`s'y`). So every inflected form of a term matches (`convivial`:
    `conviviale`, `conviviaux`; `rapide`: `rapidement`), and user-added terms the same.

    Each word of the text is stemmed once and looked up by its stem: one pass over the
    words, and at each a few terms starting with that stem, compared word by word.
    """

    def __init__(self, terms: list[str], language: str) -> None:
        self.language = language
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for term in terms:
            stems = tuple(stem(language, word) for word in _WORD.findall(term.lower()))
            if stems:
                self.by_first.setdefault(stems[0], []).append(stems)
        for candidates in self.by_first.values():
            candidates.sort(key=len, reverse=True)  # the longest term at a word wins

    def find(self, text: str, words: Words | None = None) -> list[tuple[int, int]]:
        if words is not None and not any(
            stem(self.language, word) in self.by_first for word in words
        ):
            return []
        tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
        stems = [stem(self.language, word) for _, _, word in tokens]
        found: list[tuple[int, int]] = []
        for index, first in enumerate(stems):
            for term in self.by_first.get(first, ()):
                if self._matches(text, tokens, stems, index, term):
                    found.append((tokens[index][0], tokens[index + len(term) - 1][1]))
                    break
        return found

    @staticmethod
    def _matches(
        text: str,
        tokens: list[tuple[int, int, str]],
        stems: list[str],
        index: int,
        term: tuple[str, ...],
    ) -> bool:
        if index + len(term) > len(stems) or tuple(stems[index : index + len(term)]) != term:
            return False
        for at in range(index, index + len(term) - 1):  # no slices: a match costs its length
            gap = text[tokens[at][1] : tokens[at + 1][0]]
            if not gap or gap.strip().strip(_APOSTROPHES):
                return False
        return True


# QU004 in French: "à définir" (ADP), "à préciser", "à compléter", and the English
# acronyms French specifications use too. "a définir" is the capital "À" typed without
# its accent.
PLACEHOLDERS_FR = (
    "à définir", "a définir", "à préciser", "à compléter", "à confirmer", "à déterminer",
    "ADP", "TBD", "TBC", "TBR", "TBS",
)  # fmt: skip

_EN = Wording(
    language="en",
    modal=re.compile(r"(?<!\w)(?:shall|must)(?!\w)", _FLAGS),
    negative=re.compile(r"(?<!\w)(shall|must)\s+not(?!\w)", _FLAGS),
    and_or=re.compile(r"(?<!\w)and\s*/\s*or(?!\w)", _FLAGS),
    weak=None,
    placeholders=OPEN_MATCHER,
    ears=EARS_PATTERNS,
    ears_modal=re.compile(r"\s(?:shall|must)\s+\S", _FLAGS),
    templates=EARS_TEMPLATES,
    ubiquitous="The <system> {modal} {response}",
)
_FR = Wording(
    language="fr",
    modal=re.compile(rf"(?<!\w){_FR_MODALS}(?!\w)", _FLAGS),
    negative=re.compile(rf"(?<!\w)ne\s+{_FR_MODALS}\s+(?:pas|jamais)(?!\w)", _FLAGS),
    and_or=re.compile(r"(?<!\w)et\s*/\s*ou(?!\w)", _FLAGS),
    weak=re.compile(r"(?<!\w)(?:peut|peuvent|pourra|pourront|devrait|devraient)(?!\w)", _FLAGS),
    placeholders=TermMatcher(list(PLACEHOLDERS_FR)),
    ears=EARS_PATTERNS_FR,
    ears_modal=re.compile(rf"\s{_FR_MODALS}\s+\S", _FLAGS),
    templates=EARS_TEMPLATES_FR,
    ubiquitous="Le <système> {modal} {response}",
)
WORDINGS: dict[str, Wording] = {"en": _EN, "fr": _FR}


@lru_cache(maxsize=32)
def french_vague_matcher(add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> StemMatcher:
    """The French QU001 matcher for a configuration: the French list, plus `add`, minus
    `remove`, by stems (a removed term removes every term of the same stems)."""
    removed = {tuple(stem("fr", w) for w in _WORD.findall(t.lower())) for t in remove}
    terms = [
        term
        for term in (*DEFAULT_VAGUE_TERMS_FR, *add)
        if tuple(stem("fr", w) for w in _WORD.findall(term.lower())) not in removed
    ]
    return StemMatcher(terms, "fr")


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def is_ears(text: str, language: str = "en") -> bool:
    wording = WORDINGS[language]
    collapsed = _collapsed(text)
    return any(_follows(collapsed, clauses, wording) for clauses in wording.ears.values())


def _follows(text: str, clauses: tuple[str, ...], wording: Wording = _EN) -> bool:
    """Whether `text` follows one EARS pattern (see `EARS_PATTERNS`): a few searches,
    each going forward from where the one before it stopped."""
    found = _EARS_FIRST[clauses[0]].match(text)
    for clause in clauses[1:]:
        if found is None:
            return False
        found = _EARS_NEXT[clause].search(text, found.end())
    return found is not None and wording.ears_modal.search(text, found.end()) is not None


def _string_token(text: str) -> str:
    escaped = _collapsed(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# ---------------------------------------------------------------------- rules
@rule(
    "QU001",
    "quality.vague-term",
    Severity.WARNING,
    "vague or unbounded term in a statement",
    scope="file",
)
def vague_term(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A vague or unbounded word or phrase in a requirement's statement: "fast",
        "user-friendly", "as appropriate", "etc." and the rest of the list in the
        language reference (whole words or phrases, any case; in a French document,
        "rapide", "convivial", "le cas échéant", ... matched by their stems, so in
        every inflected form, the terms added in reqdsl.toml too), adjusted by
        `[checks] vague_terms = { add = [...], remove = [...] }` in reqdsl.toml. Each
        occurrence is reported at the term itself; where listed terms overlap ("easy to
        use" and "easy"), only the longest counts.

    Why it matters:
        ISO/IEC/IEEE 29148:2018, 5.2.7 lists such terms as ones to avoid: they make a
        requirement unverifiable (5.2.5, "verifiable"), since no test can tell "fast"
        from slow, and each reader fills them in differently. Femmer et al. detect the
        same words automatically as the "subjective language", "ambiguous adverbs and
        adjectives", "loopholes" and "open-ended, non-verifiable terms" smells.

    Example:
        statement: "The editor shall open a report quickly."
        # in French (language: fr), every inflected form: rapide, rapides, rapidement
        statement: "L'éditeur doit ouvrir un rapport rapidement."

    Fix:
        Replace the term with a measurable criterion: a number with its unit, a limit, a
        named standard ("within 2 seconds for a report of 100 pages"). Remove a term from
        the list in reqdsl.toml if your domain gives it an exact meaning.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.7 (requirements language criteria: vague and
        unbounded terms) and 5.2.5 (characteristics of individual requirements);
        Femmer, Méndez Fernández, Wagner, Eder, "Rapid quality assurance with
        Requirements Smells", Journal of Systems and Software 123, 2017.
    """
    config = context.config
    add, remove = tuple(config.vague_add), tuple(config.vague_remove)
    matchers: dict[str, TermMatcher | StemMatcher] = {
        "en": vague_matcher(add, remove),
        "fr": french_vague_matcher(add, remove),
    }
    for element, statement, wording in _statements(context):
        for term, span in _terms(context, element, statement, matchers[wording.language]):
            yield Finding(
                _("vague term `{term}` in the statement").format(term=term),
                element.path,
                span,
                hint=_(
                    "replace `{term}` with a measurable criterion (a number and its unit, "
                    "a limit, a named standard)"
                ).format(term=term),
            )


@rule(
    "QU002",
    "quality.no-shall",
    Severity.WARNING,
    'statement has no "shall" and no "must"',
    scope="file",
)
def no_shall(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement statement in which neither "shall" nor "must" appears as a word
        (in a French document: none of "doit", "doivent", "devra", "devront").

    Why it matters:
        ISO/IEC/IEEE 29148:2018, 5.2.4 asks that requirements be stated with "shall"
        (binding) so that a reader can tell an obligation from a description, a goal
        ("will") or a wish ("should"). A statement in the indicative ("the editor
        exports reports") reads as a description of today's system, and nobody can say
        whether it is required.

    Example:
        statement: "The editor exports reports as PDF."
        # in French (language: fr): doit, doivent, devra, devront state the obligation;
        # peut, pourra, devrait do not (they are "may" and "should")
        statement: "L'éditeur devrait exporter les rapports en PDF."

    Fix:
        State the obligation with "shall": "The editor shall export reports as PDF." If
        the text is not a requirement, make it a `text` or a `goal` instead.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.4 (requirement construct: "shall" for binding
        provisions) and 5.2.7 (requirements language criteria).
    """
    for element, statement, wording in _statements(context):
        if wording.modal.search(statement.raw):
            continue
        if wording.language == "en":
            message = _("statement has no `shall` and no `must`")
            hint = _("state the obligation with `shall`: `The <system> shall <response>`")
        else:
            message = _("statement has no `doit`, `doivent`, `devra` or `devront`")
            hint = _("state the obligation with `doit`: `Le <système> doit <réponse>`")
            weak = wording.weak.search(statement.raw) if wording.weak is not None else None
            if weak is not None:
                hint += _(" (`{word}` states a possibility or a wish, not an obligation)").format(
                    word=weak.group(0)
                )
        yield Finding.at(element, statement.span, message, hint=hint)


@rule(
    "QU003",
    "quality.not-singular",
    Severity.WARNING,
    'not singular: more than one "shall"/"must", or "and/or"',
    scope="file",
)
def not_singular(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement statement holding more than one "shall" or "must" (counted
        together; "shall not" counts as one), or the construction "and/or". One
        diagnostic per statement, naming every cause found.

    Why it matters:
        ISO/IEC/IEEE 29148:2018, 5.2.5 asks that each requirement be singular: it states
        one capability or constraint. Two obligations in one statement are verified,
        prioritised and traced as one, so a test that passes for the first hides the
        failure of the second. "and/or" leaves open whether both or only one are
        required, so two readers can verify two different requirements.

    Example:
        statement: "The editor shall print reports and shall e-mail them."
        statement: "The editor shall export to PDF and/or HTML."
        # in French (language: fr)
        statement: "L'éditeur doit imprimer les rapports et doit les envoyer par courriel."
        statement: "L'éditeur doit exporter en PDF et/ou en HTML."

    Fix:
        Split the statement into one requirement per obligation; replace "and/or" by
        "and" or by "or", or by "at least one of".

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.5 (characteristics of individual requirements:
        singular) and 5.2.7 (requirements language criteria).
    """
    for element, statement, wording in _statements(context):
        modals = len(wording.modal.findall(statement.raw))
        english = wording.language == "en"
        causes = []
        if modals > 1:
            causes.append(
                _("{count} `shall`/`must`") if english else _("{count} obligations (`doit`)")
            )
        if wording.and_or.search(statement.raw):
            causes.append("`and/or`" if english else "`et/ou`")
        if causes:
            joined = _(" and ").join(cause.format(count=format_count(modals)) for cause in causes)
            hint = _("split it into one requirement per obligation")
            if modals <= 1:
                hint += (
                    _("; write `and` or `or`, not `and/or`")
                    if english
                    else _("; write `et` or `ou`, not `et/ou`")
                )
            yield Finding.at(
                element,
                statement.span,
                _("statement is not singular: it has {causes}").format(causes=joined),
                hint=hint,
            )


@rule(
    "QU004",
    "quality.open-placeholder",
    Severity.WARNING,
    "TBD, TBC, TBR or TBS left open",
    scope="file",
)
def open_placeholder(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        The placeholders TBD (to be determined), TBC (to be confirmed), TBR (to be
        resolved or reviewed) and TBS (to be specified) in a requirement statement,
        as whole words in any case. Each occurrence is reported at the placeholder.

    Why it matters:
        ISO/IEC/IEEE 29148:2018, 5.2.5 asks that a requirement be complete: it needs no
        further amplification to be implemented and verified. A placeholder is a known
        gap; left in a baseline it is implemented as a guess. The standard's set
        characteristics (5.2.6, complete) ask that such gaps be tracked to closure.

    Example:
        statement: "The editor shall keep TBD versions of each form."
        # in French (language: fr): à définir (ADP), à préciser, à compléter, à confirmer,
        # à déterminer, and TBD, TBC, TBR, TBS
        statement: "L'éditeur doit conserver un nombre à définir de versions."

    Fix:
        Decide the value ("the 10 most recent versions"). While it is open, keep the
        requirement at `status: draft` and record the open point in an issue tracker.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.5 (characteristics of individual requirements:
        complete) and 5.2.6 (characteristics of a set of requirements: complete).
    """
    for element, statement, wording in _statements(context):
        for term, span in _terms(context, element, statement, wording.placeholders):
            yield Finding(
                _("placeholder `{term}` left in the statement").format(term=term),
                element.path,
                span,
                hint=_(
                    "replace `{term}` with the decided value; until then keep the "
                    "requirement at `status: draft`"
                ).format(term=term),
            )


@rule(
    "QU005",
    "quality.not-ears",
    Severity.INFO,
    "statement does not follow an EARS pattern",
    scope="file",
)
def not_ears(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement statement (one that has a "shall" or "must"; one without is QU002)
        that matches none of the EARS patterns, ignoring case, with "must" counting as
        "shall": `The <system> shall <response>`; `When <trigger>, the <system> shall
        <response>`; `While <state>, the <system> shall <response>`; `If <condition>,
        then the <system> shall <response>`; `Where <feature>, the <system> shall
        <response>`; and `While <state>, when <trigger>, ...` and `While <state>, if
        <condition>, then ...`. The hint lists the templates; the suggested fix rewrites
        the statement in the ubiquitous form, keeping what follows its "shall".

    Why it matters:
        The Easy Approach to Requirements Syntax puts the system, the trigger or state,
        and the response in a fixed order, which removes the most common ambiguities
        (who acts, and when) and keeps statements short and testable. Passive statements
        ("reports shall be kept") hide the subject that is obliged. ISO/IEC/IEEE
        29148:2018, 5.2.4 recommends such a construct (condition, subject, action,
        object, constraint).

    Example:
        statement: "Reports shall be kept for 30 days by the editor."
        # in French (language: fr): Le <système> doit ...; Lorsque/Quand ..., le ...;
        # Tant que ..., le ...; Si ..., alors le ...; Là où/Dans le cas où ..., le ...
        statement: "Pendant 30 jours, les rapports doivent être conservés par l'éditeur."

    Fix:
        Name the system first and the trigger or state, if any, before it: "The editor
        shall keep each report for 30 days." Disable the rule with
        `[checks] disable = ["QU005"]` if the project does not use EARS.

    Reference:
        Mavin, Wilkinson, Harwood, Novak, "Easy Approach to Requirements Syntax (EARS)",
        17th IEEE International Requirements Engineering Conference (RE 2009);
        ISO/IEC/IEEE 29148:2018, 5.2.4 (requirement construct).
    """
    for element, statement, wording in _statements(context):
        modal = wording.modal.search(statement.raw)
        if modal is None or is_ears(statement.raw, wording.language):
            continue
        response = _collapsed(statement.raw[modal.end() :])
        form = wording.ubiquitous.format(modal=modal.group(0).lower(), response=response)
        yield Finding.at(
            element,
            statement.span,
            _("statement does not follow an EARS pattern"),
            hint=_("rephrase it as one of {templates}").format(
                templates=", ".join(wording.templates)
            ),
            fixes=[
                Fix(
                    _("rewrite in the EARS form {form} (then name the system)").format(
                        form=wording.templates[0]
                    ),
                    element.path,
                    statement.span,
                    _string_token(form),
                )
            ],
        )


@rule(
    "QU006",
    "quality.negative-without-rationale",
    Severity.WARNING,
    'negative requirement ("shall not") without a rationale',
    scope="file",
)
def negative_without_rationale(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement statement that says "shall not" or "must not" (any case, any
        whitespace between the words) while the requirement has no `rationale`, or only
        a blank one.

    Why it matters:
        A negative requirement forbids an infinite set of behaviours and cannot be
        proven by testing alone. ISO/IEC/IEEE 29148:2018, 5.2.7 advises against negative
        statements, and 5.2.8 lists the rationale among the attributes that keep a
        requirement understandable: without it, nobody can later tell whether the
        prohibition still matters or how to verify it (by analysis or inspection).

    Example:
        statement: "The editor shall not delete a form without confirmation."
        # in French (language: fr): ne doit pas, ne doivent pas, ne devra jamais, ...
        statement: "L'éditeur ne doit pas supprimer un formulaire sans confirmation."

    Fix:
        Add a `rationale` saying why the behaviour is forbidden, or state the positive
        requirement instead ("the editor shall ask for confirmation before deleting a
        form").

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.7 (requirements language criteria: negative
        statements) and 5.2.8 (requirement attributes: rationale); Femmer et al.,
        "Rapid quality assurance with Requirements Smells", Journal of Systems and
        Software 123, 2017 ("negative statements" smell).
    """
    for element, statement, wording in _statements(context):
        negative = wording.negative.search(statement.raw)
        if negative is None or _has_rationale(element):
            continue
        phrase = " ".join(negative.group(0).lower().split())
        yield Finding.at(
            element,
            statement.span,
            _("negative requirement (`{phrase}`) without a `rationale`").format(phrase=phrase),
            hint=_("add a `rationale` that says why, or state what the system shall do instead"),
        )


def _has_rationale(element: ModelElement) -> bool:
    if not element.has("rationale"):
        return False
    rationale = element.value("rationale")
    # A rationale of the wrong kind is already SM004; only a blank one counts as none.
    return rationale is None or bool(rationale.raw.strip())


@rule(
    "QU007",
    "quality.no-verification",
    Severity.WARNING,
    "requirement with no verification",
    scope="file",
)
def no_verification(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement with no `verification` field. Reported at the requirement's ID.

    Why it matters:
        ISO/IEC/IEEE 29148:2018, 5.2.5 asks that each requirement be verifiable, and
        5.2.8 lists the verification method (inspection, analysis, demonstration, test)
        among its attributes. Deciding the method while writing the requirement exposes
        statements that cannot be verified, and the verification coverage figure and
        TR003 rely on it.

    Example:
        requirement R-7 "Page numbers" {
            statement: "The editor shall number each page of a report."
        }

    Fix:
        Add `verification: test` (or inspection, analysis, demonstration; a list is
        allowed).

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.5 (characteristics of individual requirements:
        verifiable) and 5.2.8 (requirement attributes: verification method).
    """
    for element, _statement, _wording in _statements(context):
        if not element.has("verification"):
            yield Finding.at(
                element,
                None,
                _("requirement `{id}` has no `verification` method").format(id=element.id),
                hint=_("add `verification: test` (or inspection, analysis, demonstration)"),
            )

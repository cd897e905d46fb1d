"""The lexicon: what the grammar says about words, read from grammar/reqdsl.lark once.

Keywords, the ID pattern, the string escapes, the element kinds and the steps of
scenarios and activities are all defined by the grammar. Every module that needs one of
them (the fast lexer, the recovering parser's messages, the Pygments lexer, the language
server, the importers, the formatter) asks here instead of repeating it, so that a change
to the grammar reaches all of them.

The facts come from the terminals and rules of the Lark parser that reqdsl/parse/parser.py
builds anyway (loaded from Lark's cache): no second read of the grammar. How each fact
is derived:

- a **keyword** is a string terminal that the ID pattern matches (`"zone"`);
- **punctuation** is every other one-character string terminal (`{`, `:`);
- an **escape** is a character `c` for which `"\\c"` is a STRING token; it means what
  the same escape means in Python (`\\n` a line break);
- the **element keywords** are the keywords that can begin one of the rules the syntax
  tree builder turns into an element (`ELEMENT_RULES`); the **element kinds** are those
  of the rule `element`; scenario and activity **steps** are the keywords that can begin
  `_sstep` and `_astep`. Lists keep the order in which the grammar declares keywords;
- the **declarations** are the element keywords followed by an ID or a title (all but
  `text`): highlighters colour them apart;
- **keyword_end** is the lookahead that lets a regular expression match a keyword only as
  a whole ID (`review`, not the start of the ID `review-1`), for the highlighters, which
  cannot look a matched ID up as Lark does.

The facts are read when first asked for (`lexicon()`), not at import: the parser's own
modules import this one before the parser exists.
"""

from __future__ import annotations

import codecs
import functools
import re
import string
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The rules of grammar/reqdsl.lark that reqdsl/parse/builder.py turns into an Element
# (part of the parser's contract with the builder, like every rule name).
ELEMENT_RULES = ("document", "section", "text", "term", "element", "criterion", "option")


@dataclass(frozen=True)
class Lexicon:
    """The grammar's vocabulary (see the module docstring for how each part is found)."""

    patterns: Mapping[str, str]  # terminal name -> regular expression, every terminal
    keywords: Mapping[str, str]  # word -> terminal name: "zone" -> "KW_ZONE"
    punctuation: Mapping[str, str]  # character -> terminal name: "{" -> "LBRACE"
    escapes: Mapping[str, str]  # escape character -> its meaning: "n" -> "\n"
    element_keywords: Mapping[str, str]  # terminal name -> kind: "KW_ZONE" -> "zone"
    element_kinds: tuple[str, ...]  # the kinds of the rule `element`
    declarations: tuple[str, ...]  # element keywords followed by an ID or a title
    scenario_steps: tuple[str, ...]  # keywords that begin a scenario step
    activity_steps: tuple[str, ...]  # keywords that begin an activity step
    id: re.Pattern[str]  # the terminal ID, compiled
    keyword_end: str  # a lookahead: here an ID that began as a keyword ends with it

    def is_id(self, text: str) -> bool:
        """Can `text` be written as an element's ID (an ID, and not a reserved word)?"""
        return self.id.fullmatch(text) is not None and text not in self.keywords

    def pattern(self, terminal: str) -> re.Pattern[str]:
        """The terminal's regular expression, compiled (the `re` cache keeps it)."""
        return re.compile(self.patterns[terminal])


def terminal_patterns(terminals: Iterable[Any]) -> dict[str, str]:
    """Terminal name -> regular expression, for Lark `TerminalDef`s."""
    return {terminal.name: terminal.pattern.to_regexp() for terminal in terminals}


def keyword_terminals(terminals: Iterable[Any]) -> dict[str, str]:
    """Word -> terminal name for the string terminals that the ID pattern matches."""
    terminals = list(terminals)
    ident = re.compile(terminal_patterns(terminals)["ID"])
    return {
        terminal.pattern.value: terminal.name
        for terminal in terminals
        if terminal.pattern.type == "str" and ident.fullmatch(terminal.pattern.value)
    }


def punctuation_terminals(terminals: Iterable[Any]) -> dict[str, str]:
    """Character -> terminal name for the one-character string terminals (keywords aside)."""
    terminals = list(terminals)
    keywords = keyword_terminals(terminals)
    return {
        terminal.pattern.value: terminal.name
        for terminal in terminals
        if terminal.pattern.type == "str"
        and len(terminal.pattern.value) == 1
        and terminal.pattern.value not in keywords
    }


def escapes_of(string_pattern: str) -> dict[str, str]:
    """The escapes a STRING pattern admits, each with its meaning (as in Python).

    Quote and backslash come first, then letters: the order messages list them in.
    """
    token = re.compile(string_pattern)
    found: dict[str, str] = {}
    for char in sorted(string.printable, key=lambda c: (c.isalnum(), c)):
        if token.fullmatch(f'"\\{char}"'):
            try:
                meaning = codecs.decode(f"\\{char}", "unicode_escape")
            except UnicodeDecodeError:  # `\x`, `\u`: the start of a longer escape
                meaning = ""
            if len(meaning) != 1:
                raise ValueError(f"the grammar's STRING admits `\\{char}`: reqdsl cannot cook it")
            found[char] = meaning
    return found


class KeywordsEverywhere:
    """A pass-through Lark post-lexer whose only job is `always_accept`.

    Lark's contextual lexer only tries the terminals the parser accepts in its current
    state, so where only an ID is allowed (`requirement zone "x"`) it would read the
    keyword `zone` as an ID. Keywords are reserved by the spec: keeping every keyword in
    every lexer state makes `zone` always lex as the keyword, and the error is reported.
    """

    def __init__(self, keyword_terminals: Iterable[str]) -> None:
        self.always_accept = tuple(keyword_terminals)

    def process(self, stream):  # type: ignore[no-untyped-def]
        return stream


def keywords_everywhere() -> KeywordsEverywhere:
    """The post-lexer for every contextual-lexer Lark instance built on the grammar."""
    return KeywordsEverywhere(lexicon().keywords.values())


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon of the grammar reqdsl ships (built on first use, then kept)."""
    from .parser import get_fast_parser  # the parser imports modules that use this one

    parser = get_fast_parser()
    return build_lexicon(parser.terminals, parser.rules)


def build_lexicon(terminals: Collection[Any], rules: Collection[Any]) -> Lexicon:
    """The lexicon of a grammar given as Lark terminals and rules."""
    patterns = terminal_patterns(terminals)
    keywords = keyword_terminals(terminals)
    punctuation = punctuation_terminals(terminals)
    order = {name: index for index, name in enumerate(keywords.values())}
    kind_of = {name: word for word, name in keywords.items()}
    first = _first_sets(rules)

    def words(terminal_names: Iterable[str]) -> tuple[str, ...]:
        chosen = sorted(
            {name for name in terminal_names if name in kind_of}, key=lambda name: order[name]
        )
        return tuple(kind_of[name] for name in chosen)

    element_terminals = [name for rule in ELEMENT_RULES for name in first[rule]]
    titled = [name for rule in ELEMENT_RULES if _has_title(rules, rule) for name in first[rule]]
    return Lexicon(
        patterns=patterns,
        keywords=keywords,
        punctuation=punctuation,
        escapes=escapes_of(patterns["STRING"]),
        element_keywords={keywords[word]: word for word in words(element_terminals)},
        element_kinds=words(first["element"]),
        declarations=words(titled),
        scenario_steps=words(first["_sstep"]),
        activity_steps=words(first["_astep"]),
        id=re.compile(patterns["ID"]),
        keyword_end=_keyword_end(patterns["ID"]),
    )


def _keyword_end(ident: str) -> str:
    """`(?!TAIL)`, TAIL the ID pattern's optional tail made compulsory: in `review-1`,
    `review` is not a keyword, because the ID goes on. (Highlighters match keywords
    with regular expressions alone, where Lark matches an ID and then looks it up.)"""
    head = re.match(r"\[(?:\\.|[^\]])*\]", ident)
    if head is None or not ident.endswith(")?"):
        raise ValueError(f"the ID pattern `{ident}` is not `[first](?:rest)?`")
    return f"(?!{ident[head.end() : -1]})"


def _first_sets(rules: Collection[Any]) -> dict[str, set[str]]:
    """FIRST sets: the terminals each rule can begin with (a fixed point, as in textbooks)."""
    nullable: set[str] = set()
    first: dict[str, set[str]] = {str(rule.origin.name): set() for rule in rules}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            origin = str(rule.origin.name)
            found = first[origin]
            size = len(found)
            for symbol in rule.expansion:
                if symbol.is_term:
                    found.add(symbol.name)
                    break
                found |= first[symbol.name]
                if symbol.name not in nullable:
                    break
            else:
                if origin not in nullable:
                    nullable.add(origin)
                    changed = True
            changed = changed or len(found) != size
    return first


def _has_title(rules: Collection[Any], origin: str) -> bool:
    """Does every header of `origin` hold a STRING (a title), or an ID? `text` has neither."""
    expansions = [rule.expansion for rule in rules if str(rule.origin.name) == origin]
    return all(
        any(symbol.is_term and symbol.name in ("STRING", "ID") for symbol in expansion)
        for expansion in expansions
    )

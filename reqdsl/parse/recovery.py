"""The recovering parse: every syntax error of a file, without cascades.

Files without errors never come here (reqdsl.parse.parser tries Lark's plain LALR parse
first). For a file with errors this driver feeds Lark's LALR tables token by token, the
way Lark's interactive parser does, and on an error:

1. reports one problem at the offending token, naming what was allowed there;
2. tries to insert one expected token (`:`, `}`, `{`, a title string, `and`), kept only
   if the next few tokens then parse: a missing colon or brace costs one error, not ten;
3. otherwise returns to the last *item boundary* (a parser state that could take `}` or
   the end of the file: between two fields, two elements, two steps) and skips tokens
   until the spec's resynchronisation points (spec section 5): the `}` closing the block
   the broken element opened (consumed), a `}` closing the enclosing block (not
   consumed), or the start of a new element (a kind keyword, an ID and a string;
   `section` [ID] string; `term` string; `text` text block).

The element whose text holds an error is recorded as broken (found on the parser's value
stack: the innermost open element header), and an element whose header was dropped is
kept as a broken element with its kind and ID, so references to it still resolve.
A broken `section` or `decision` header is repaired when its `{` is reached, so the
elements inside it are still parsed and checked (spec: "resumes inside that decision's
block at the next criterion or option").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import copy
from typing import Any, cast

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters
from lark.lexer import ContextualLexer, LexerState
from lark.parsers.lalr_analysis import Shift

from ..i18n import _
from ..source import Span
from .builder import token_span
from .expected import describe_expected
from .lexicon import lexicon
from .syntax import Element, RelatedPlace, SyntaxProblem

_INSERTABLE = ("COLON", "RBRACE", "LBRACE", "STRING", "KW_AND", "RSQB")
_LOOKAHEAD = 3  # tokens that must parse after an insertion for it to be kept
_REPAIRABLE = {"KW_SECTION", "KW_DECISION"}  # containers whose contents are still checked
_MAX_ERRORS = 500  # a binary file read as text must not take minutes


class _Stacks:
    """The LALR state and value stacks, with a feed that can run without callbacks."""

    def __init__(self, states: dict[Any, Any], callbacks: dict[Any, Any], start: Any) -> None:
        self.states = states
        self.callbacks = callbacks
        self.state_stack: list[Any] = [start]
        self.value_stack: list[Any] = []

    def clone(self) -> _Stacks:
        other = _Stacks(self.states, self.callbacks, None)
        other.state_stack = list(self.state_stack)
        other.value_stack = list(self.value_stack)
        return other

    def expected(self) -> set[str]:
        return {name for name in self.states[self.state_stack[-1]] if name.isupper()}

    def at_boundary(self) -> bool:
        """Between two items: `}` or the end of the file could come now. Checked by trial,
        since LALR's merged states list lookaheads that fail after a reduction."""
        table = self.states[self.state_stack[-1]]
        return ("RBRACE" in table and self.accepts("RBRACE")) or (
            "$END" in table and self.accepts("$END")
        )

    def feed(
        self,
        token: Token,
        *,
        callbacks: bool = True,
        before_shift: Callable[[], None] | None = None,
    ) -> Any:
        """Reduce as the token asks, then shift it. Raises KeyError on a syntax error,
        with the stacks untouched.

        `before_shift` runs after the reductions and before the shift: the moment where a
        boundary snapshot holds no half-reduced item (see `_Driver.feed`).
        """
        if callbacks and not self.accepts(token.type):
            # Checked first: a reduction's callback is not undone by restoring the stacks.
            # Lark's tree builder extends a left-recursive list (`_item*`) in place, so a
            # refused `}` after two elements left the second in the list, to be added
            # again when the stacks were reduced for real.
            raise KeyError(token.type)
        states, state_stack, value_stack = self.states, self.state_stack, self.value_stack
        calls = self.callbacks if callbacks else {}
        is_end = token.type == "$END"
        while True:
            action, arg = states[state_stack[-1]][token.type]
            if action is Shift:
                if before_shift is not None:
                    before_shift()
                state_stack.append(arg)
                value_stack.append(token)
                return None
            size = len(arg.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = calls[arg](children) if calls else children
            _action, new_state = states[state_stack[-1]][arg.origin.name]
            state_stack.append(new_state)
            value_stack.append(value)
            if is_end and len(state_stack) == 2 and arg.origin.name == "start":
                return value

    def accepts(self, token_type: str) -> bool:
        """Would the parser take this token now (reductions included)? Runs the
        reductions on the states alone, without copying the stacks or calling anything."""
        states, stack = self.states, self.state_stack
        depth = len(stack)  # the live stack is stack[:depth] + pushed
        pushed: list[Any] = []
        while True:
            row = states[pushed[-1] if pushed else stack[depth - 1]]
            if token_type not in row:
                return False
            action, arg = row[token_type]
            if action is Shift:
                return True
            size = len(arg.expansion)
            dropped = min(size, len(pushed))
            del pushed[len(pushed) - dropped :]
            depth -= size - dropped
            origin = arg.origin.name
            pushed.append(states[pushed[-1] if pushed else stack[depth - 1]][origin][1])
            if token_type == "$END" and depth + len(pushed) == 2 and origin == "start":
                return True


class _BadToken(Token):
    """Characters no terminal matches; `reason` says why (unterminated string, ...)."""

    reason: str


def _unexpected(shown: str, expected: str) -> str:
    return _("unexpected `{token}`, {expected}").format(token=shown, expected=expected)


def _end_of_file(expected: str) -> str:
    return _("unexpected end of file, {expected}").format(expected=expected)


def _allowed(escapes: Mapping[str, str]) -> str:
    """`only \\" \\\\ \\n and \\t are allowed`, from the grammar's escapes."""
    written = [f"\\{char}" for char in escapes]
    return _("only {escapes} and {last} are allowed").format(
        escapes=" ".join(written[:-1]), last=written[-1]
    )


def _synthetic(token_type: str, value: str, at: Token | None, text_length: int) -> Token:
    """A zero-width token standing where `at` starts (or at the end of the text)."""
    if at is None:
        return Token(token_type, value, text_length, 1, 1, 1, 1, text_length)
    return Token(
        token_type,
        value,
        at.start_pos,
        at.line,
        at.column,
        at.line,
        at.column,
        at.start_pos,
    )


class _Driver:
    def __init__(self, lark: Lark, text: str) -> None:
        interactive = lark.parse_interactive(text)
        parser_state = interactive.parser_state
        conf = parser_state.parse_conf
        self.text = text
        lexer = interactive.lexer_thread.lexer
        # Unwrap the post-lexer connector: the grammar's lexer is Lark's contextual lexer.
        self.lexer = cast(ContextualLexer, getattr(lexer, "lexer", lexer))
        self.lexer_state = cast(LexerState, interactive.lexer_thread.state)  # never None here
        self.stacks = _Stacks(conf.states, conf.callbacks, conf.start_state)
        self.end_state = conf.end_state
        self.problems: list[SyntaxProblem] = []
        self.broken_starts: set[int] = set()
        self.dropped: list[Element] = []
        self.synthetic_document = False
        self.skipped_to_end = False  # a skip ran into the end: that error is reported
        self.resumed: set[int] = set()  # header offsets parsing was resumed at
        self.failures: dict[tuple[int | None, str], int] = {}  # errors per token, to break loops
        self.result: Any = None
        # Last item boundary: stacks and the tokens shifted since.
        self.snapshot = self.stacks.clone()
        self.since_snapshot: list[Token] = []
        self.pending: list[Token] = []  # tokens lexed ahead (context-free), to be re-read

    # ------------------------------------------------------------------ lexing
    def _position(self) -> Any:
        return self.stacks.state_stack[-1]

    def next_token(self, contextual: bool = True) -> Token:
        """The next token; `$END` at the end; a `BAD` token for characters no terminal
        matches (its value is the offending run, its type says why)."""
        if self.pending:
            token = self.pending.pop(0)
            if not contextual or token.type in ("$END", "BAD") or token.type == "RBRACE":
                return token
            # Re-lex in context (a value position reads `a:b` as one reference).
            self._rewind(token)
        state = self.lexer_state
        saved = copy(state.line_ctr)
        try:
            if contextual:
                return self.lexer.lexers[self._position()].next_token(state, None)
            return self.lexer.root_lexer.next_token(state, None)
        except EOFError:
            return self._end_token()
        except UnexpectedCharacters:
            state.line_ctr = saved
            try:
                return self.lexer.root_lexer.next_token(state, None)
            except EOFError:
                return self._end_token()
            except UnexpectedCharacters:
                state.line_ctr = saved
                return self._bad_token()

    def _rewind(self, token: Token) -> None:
        """Move the lexer back to the start of `token` (and drop anything lexed after)."""
        self.pending.clear()
        line_ctr = copy(self.lexer_state.line_ctr)
        # Tokens of this lexer always carry their position.
        start, column = cast(int, token.start_pos), cast(int, token.column)
        line_ctr.char_pos = start
        line_ctr.line = cast(int, token.line)
        line_ctr.column = column
        line_ctr.line_start_pos = start - column + 1
        self.lexer_state.line_ctr = line_ctr

    def _end_token(self) -> Token:
        line_ctr = self.lexer_state.line_ctr
        end = len(self.text)
        return Token(
            "$END", "", end, line_ctr.line, line_ctr.column, line_ctr.line, line_ctr.column, end
        )

    def _bad_token(self) -> Token:
        """Characters no terminal matches: a bad string, a stray character."""
        line_ctr = self.lexer_state.line_ctr
        pos = line_ctr.char_pos
        text = self.text
        kind = "BAD"
        escapes = lexicon().escapes
        if text.startswith('"""', pos):
            length, why = 3, 'unterminated text block: add the closing `"""`'
        elif text[pos] == '"':
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end == -1 else line_end
            index = pos + 1
            why = _('unterminated string: close it with `"` on the same line')
            length = line_end - pos
            while index < line_end:
                char = text[index]
                if char == "\\":
                    escape = text[index : index + 2]
                    if escape[1:] not in escapes:
                        why = _("invalid escape `{escape}` in a string: {allowed}").format(
                            escape=escape, allowed=_allowed(escapes)
                        )
                    index += 2
                    continue
                if char == '"':
                    length = index + 1 - pos
                    break
                index += 1
        else:
            length = 1
            char = text[pos]
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            why = _("unexpected character `{char}`").format(char=shown)
        value = text[pos : pos + length]
        token = _BadToken(kind, value, pos, line_ctr.line, line_ctr.column)
        line_ctr.feed(value)
        token.end_line, token.end_column, token.end_pos = (
            line_ctr.line,
            line_ctr.column,
            line_ctr.char_pos,
        )
        token.reason = why
        return token

    # ------------------------------------------------------------------ feeding
    def feed(self, token: Token) -> None:
        """Feed a token for real, keeping the boundary snapshot up to date."""

        def remember_boundary() -> None:
            if self.stacks.at_boundary():
                self.snapshot = self.stacks.clone()
                self.since_snapshot = []

        self.result = self.stacks.feed(token, before_shift=remember_boundary)
        self.since_snapshot.append(token)

    def try_feed(self, token: Token) -> bool:
        saved = self.stacks.clone(), self.snapshot, list(self.since_snapshot)
        try:
            self.feed(token)
        except KeyError:
            self.stacks, self.snapshot, self.since_snapshot = saved
            return False
        return True

    # ------------------------------------------------------------------ main loop
    def run(self) -> None:
        token = self.next_token()
        if token.type not in ("KW_DOCUMENT", "$END"):
            self._missing_document(token)
        while True:
            if token.type == "$END":
                self._finish(token)
                return
            if len(self.problems) > _MAX_ERRORS:
                self._finish(self._end_token())
                return
            if token.type == "BAD":
                self._note_boundary()
                self._mark_open_element_broken()
                self._report(token, token.reason)  # type: ignore[attr-defined]
                token = self._recover(self.next_token(contextual=False))
            elif self.try_feed(token):
                token = self.next_token()
            else:
                place = (token.start_pos, token.type)
                self.failures[place] = self.failures.get(place, 0) + 1
                if self.failures[place] > 2:
                    # The same token refused again and again: whatever recovery chose, it
                    # comes back here. Drop the token so that parsing always moves on.
                    token = self.next_token(contextual=False)
                    continue
                token = self._on_error(token)

    def _missing_document(self, token: Token) -> None:
        self._report(
            token,
            _(
                "expected the `document` header first: every file starts with "
                '`document ID "Title" { ... }`'
            ),
        )
        self.synthetic_document = True
        for token_type, value in (("KW_DOCUMENT", "document"), ("ID", "_"), ("STRING", '""')):
            self.feed(_synthetic(token_type, value, token, len(self.text)))

    def _note_boundary(self) -> None:
        """An error token was refused: if the parser stands between two items, that is
        the place to come back to (no shift happened to record it)."""
        if self.stacks.at_boundary():
            self.snapshot, self.since_snapshot = self.stacks.clone(), []

    def _on_error(self, token: Token) -> Token:
        self._note_boundary()
        expected = self._expected_for(token)
        self._mark_open_element_broken()
        if token.type == "$END":
            self._report(token, _end_of_file(describe_expected(expected)))
            return token
        shown = token.value if len(token.value) <= 40 else token.value[:37] + "..."
        if token.type in ("KW_CRITERION", "KW_OPTION") and token.type not in expected:
            self._report(
                token,
                _("`{word}` may appear only directly inside a `decision` block").format(
                    word=token.value
                ),
            )
        else:
            self._report(token, _unexpected(shown, describe_expected(expected)))
        if self._try_insertion(token):
            return self.next_token()
        return self._recover(token)

    def _expected_for(self, token: Token) -> set[str]:
        """What the parser would really take here. LALR merges states, so the table row
        lists terminals that fail after a reduction: each candidate is tried."""
        return {name for name in self.stacks.expected() if self.stacks.accepts(name)}

    def _report(self, token: Token, message: str) -> None:
        span = token_span(token)
        if self.problems and self.problems[-1].span.start == span.start:
            return  # one error per place: a resynchronisation may meet the same token
        self.problems.append(SyntaxProblem(message, span))

    def _mark_open_element_broken(self) -> None:
        """The innermost element on the value stack whose text holds the error: one with
        an open block or an unfinished header (a finished header-only element such as
        `stakeholder S "x"` ends before the error)."""
        values = self.stacks.value_stack
        open_braces = set(self._unmatched_braces())
        for index in range(len(values) - 1, -1, -1):
            item = values[index]
            if not (isinstance(item, Token) and item.type in lexicon().element_keywords):
                continue
            following = values[index + 1 : index + 4]
            if not following or not isinstance(following[0], Token):
                continue
            if following[0].type not in ("ID", "STRING"):
                continue  # a keyword used as a field name or a value
            types = [t.type if isinstance(t, Token) else "" for t in following]
            if "LBRACE" in types:  # done if its block is closed (and not yet reduced)
                header_done = index + 1 + types.index("LBRACE") not in open_braces
            else:
                header_done = item.type != "KW_SECTION" and (
                    types[:1] == ["STRING"]
                    if item.type == "KW_TERM"
                    else types[:2] == ["ID", "STRING"]
                )
            if header_done:
                continue
            self.broken_starts.add(item.start_pos)  # type: ignore[arg-type]
            return

    # ------------------------------------------------------------------ insertion
    def _try_insertion(self, token: Token) -> bool:
        for token_type in _INSERTABLE:
            if not self.stacks.accepts(token_type):
                continue
            value = '""' if token_type == "STRING" else ""
            inserted = _synthetic(token_type, value, token, len(self.text))
            if self._insertion_parses(inserted, token):
                self.feed(inserted)
                self.feed(token)
                return True
        return False

    def _insertion_parses(self, inserted: Token, token: Token) -> bool:
        trial = self.stacks.clone()
        lexer_state = copy(self.lexer_state)
        lexer_state.line_ctr = copy(self.lexer_state.line_ctr)
        try:
            trial.feed(inserted, callbacks=False)
            trial.feed(token, callbacks=False)
            for _ in range(_LOOKAHEAD):
                try:
                    following = self.lexer.lexers[trial.state_stack[-1]].next_token(
                        lexer_state, None
                    )
                except EOFError:
                    following = Token("$END", "")
                trial.feed(following, callbacks=False)
                if following.type == "$END":
                    break
        except (KeyError, UnexpectedCharacters):
            return False
        return True

    # ------------------------------------------------------------------ skipping
    def _restore_boundary(self) -> list[Token]:
        """Go back to the last item boundary; return the tokens given up."""
        given_up = self.since_snapshot
        self.stacks = self.snapshot.clone()
        self.since_snapshot = []
        return given_up

    def _recover(self, token: Token) -> Token:
        given_up = self._restore_boundary()
        if (
            given_up
            and given_up[0].type in lexicon().element_keywords
            and given_up[0].start_pos not in self.resumed  # each place once: no loops
        ):
            self.resumed.add(given_up[0].start_pos)  # type: ignore[arg-type]
            # The tokens given up may start a new element (`requirement B "b"` read as a
            # field `requirement:` because the block before it was left open).
            self._rewind(given_up[0])
            keyword = self.next_token(contextual=False)
            if self._starts_element(keyword):
                return self._resume_at(keyword)
            self._rewind(token)
            token = self.next_token(contextual=False)
        header = self._dropped_header(given_up)
        depth = 0
        while True:
            if token.type == "$END":
                self.skipped_to_end = True
                return token
            if token.type == "LBRACE":
                depth += 1
                if (
                    depth == 1
                    and header is not None
                    and header[0].type in _REPAIRABLE
                    and self._repair_header(header, token)
                ):
                    return self.next_token()
            elif token.type == "RBRACE":
                if depth > 1:
                    depth -= 1
                elif depth == 1:
                    return self.next_token()  # the broken element's own block: consumed
                else:
                    return self._resume_at(token)  # closes the enclosing block
            elif token.type in lexicon().element_keywords and self._starts_element(token):
                return self._resume_at(token)
            token = self.next_token(contextual=False)

    def _dropped_header(self, given_up: list[Token]) -> list[Token] | None:
        """If the tokens given up start an element header, record the element as broken."""
        if not given_up or given_up[0].type not in lexicon().element_keywords:
            return None
        keyword = given_up[0]
        ident = given_up[1] if len(given_up) > 1 and given_up[1].type == "ID" else None
        if len(given_up) > 1 and given_up[1].type == "COLON":
            return None  # a keyword used as a field name
        self.broken_starts.add(keyword.start_pos)  # type: ignore[arg-type]
        self.dropped.append(
            Element(
                kind=lexicon().element_keywords[keyword.type],
                id=str(ident) if ident is not None else None,
                id_span=token_span(ident) if ident is not None else None,
                title=None,
                title_span=None,
                keyword_span=token_span(keyword),
                span=token_span(keyword).cover(token_span(given_up[-1])),
                broken=True,
            )
        )
        return given_up

    def _repair_header(self, header: list[Token], brace: Token) -> bool:
        """Feed a whole header for a broken section/decision so its contents still parse.
        False (nothing fed) when the parser cannot take such an element here."""
        keyword = header[0]
        tokens = [keyword]
        rest = header[1:]
        if rest and rest[0].type == "ID":
            tokens.append(rest[0])
        elif keyword.type != "KW_SECTION":
            tokens.append(_synthetic("ID", "_", brace, len(self.text)))
        title = next((t for t in rest if t.type == "STRING"), None)
        tokens.append(title or _synthetic("STRING", '""', brace, len(self.text)))
        tokens.append(brace)
        if not self._accepts_all(tokens):
            return False
        self.dropped.pop()  # the element will be in the tree, marked broken
        for item in tokens:
            self.feed(item)
        return True

    def _starts_element(self, keyword: Token) -> bool:
        """Is `keyword` followed by what makes an element header? (Looks two tokens on.)"""
        saved = copy(self.lexer_state.line_ctr)
        ahead: list[Token] = []
        for _step in range(2):
            ahead.append(self.next_token(contextual=False))
        self.lexer_state.line_ctr = saved
        self.pending.clear()
        return self._is_header([keyword, *ahead])

    @staticmethod
    def _is_header(tokens: list[Token]) -> bool:
        if len(tokens) < 2 or tokens[0].type not in lexicon().element_keywords:
            return False
        keyword = tokens[0]
        kinds = [t.type for t in tokens[1:3]]
        if keyword.type == "KW_TEXT":
            return kinds[0] == "TEXT_BLOCK"
        if keyword.type == "KW_TERM":
            return kinds[0] == "STRING"
        if keyword.type == "KW_SECTION":
            return kinds[0] == "STRING" or kinds == ["ID", "STRING"]
        return kinds == ["ID", "STRING"]

    def _resume_at(self, token: Token) -> Token:
        """Continue normal parsing at a resynchronisation token, closing blocks it cannot
        appear in (a new element after a block left open)."""
        self._rewind(token)
        token = self.next_token()
        header = self._lookahead_header(token)
        unclosed = self._open_blocks()
        closed = 0
        for _step in range(64):
            if self._accepts_all(header) or not self.stacks.accepts("RBRACE"):
                break
            self._mark_open_element_broken()
            self.feed(_synthetic("RBRACE", "", token, len(self.text)))
            closed += 1
        if self._accepts_all(header):
            if closed:
                self._report_missing_braces(token, unclosed[:closed])
            return token
        # Not allowed anywhere here (`criterion` outside a decision, a second
        # `document`, a stray `}`): a new error, and that element is skipped whole.
        self._report(token, _unexpected(token.value, describe_expected(self.stacks.expected())))
        if token.type == "RBRACE":
            return self.next_token()
        self.since_snapshot = []
        return self._skip_element(token)

    def _lookahead_header(self, token: Token) -> list[Token]:
        """`token` and, for an element keyword, the ID and title after it (not consumed)."""
        if token.type not in lexicon().element_keywords:
            return [token]
        saved = copy(self.lexer_state.line_ctr)
        header = [token]
        for _step in range(2):
            header.append(self.next_token(contextual=False))
        self.lexer_state.line_ctr = saved
        self.pending.clear()
        return header if self._is_header(header) else [token]

    def _accepts_all(self, tokens: list[Token]) -> bool:
        trial = self.stacks.clone()
        try:
            for token in tokens:
                trial.feed(token, callbacks=False)
        except KeyError:
            return False
        return True

    def _skip_element(self, keyword: Token) -> Token:
        header = [keyword]
        token = self.next_token(contextual=False)
        while token.type in ("ID", "STRING") and len(header) < 3:
            header.append(token)
            token = self.next_token(contextual=False)
        self._dropped_header(header)
        if token.type != "LBRACE":
            return self._recover(token)
        depth = 1
        while depth:
            token = self.next_token(contextual=False)
            if token.type == "$END":
                return token
            depth += {"LBRACE": 1, "RBRACE": -1}.get(token.type, 0)
        return self.next_token()

    # ------------------------------------------------------------------ missing braces
    def _open_blocks(self) -> list[tuple[str, Token]]:
        """The blocks open on the parser's stack, innermost first: a description of what
        opened each (`requirement `A``, `` `alt` block``) and its `{`."""
        values = self.stacks.value_stack
        return [
            (_block_owner(values[max(0, index - 3) : index]), values[index])
            for index in reversed(self._unmatched_braces())
        ]

    def _unmatched_braces(self) -> list[int]:
        """Indexes of the `{` on the value stack whose `}` has not come (a block that is
        closed but not yet reduced still has both braces on the stack)."""
        opened: list[int] = []
        for index, item in enumerate(self.stacks.value_stack):
            if isinstance(item, Token):
                if item.type == "LBRACE":
                    opened.append(index)
                elif item.type == "RBRACE" and opened:
                    opened.pop()
        return opened

    def _only_braces_missing(self, end: Token) -> bool:
        """Would closing the open blocks, and nothing else, let the file end here?"""
        trial = self.stacks.clone()
        for _block in self._open_blocks():
            try:
                trial.feed(_synthetic("RBRACE", "", end, len(self.text)), callbacks=False)
            except KeyError:
                return False
            if trial.accepts("$END"):
                return True
        return False

    def _report_missing_braces(self, at: Token, unclosed: list[tuple[str, Token]]) -> None:
        """One SY001 where the `}` of a block left open is missing (before `at`), naming
        where each such block was opened, instead of the error the open block caused
        further on (`requirement B "b"` read as a field: "unexpected `B`, expected ':'")."""
        if self.problems and self.problems[-1].span.start >= at.start_pos:  # type: ignore[operator]
            self.problems.pop()
        where = ", ".join(
            _("{owner} opened at {line}:{column}").format(
                owner=owner, line=brace.line, column=brace.column
            )
            for owner, brace in unclosed
        )
        place = _("the end of the file") if at.type == "$END" else f"`{at.value}`"
        if len(unclosed) == 1:
            message = _("missing `}}` before {place}: the block of {where} is not closed")
        else:
            message = _("missing {n} `}}` before {place}: the blocks of {where} are not closed")
        message = message.format(n=len(unclosed), place=place, where=where)
        self.problems.append(
            SyntaxProblem(
                message,
                token_span(at),
                hint=_("close the block with `}` where its contents end"),
                related=[
                    RelatedPlace(
                        _("the block of {owner} opened here").format(owner=owner),
                        token_span(brace),
                    )
                    for owner, brace in unclosed
                ],
            )
        )

    # ------------------------------------------------------------------ the end
    def _finish(self, end: Token) -> None:
        """Feed the end of the file, closing what an error left open."""
        if self.try_feed(end):
            return
        if self._only_braces_missing(end):
            # Everything up to the end parsed: close the blocks here, keeping what is in
            # them (going back to the last boundary would drop a last `requirement B "b"`).
            self._report_missing_braces(end, self._open_blocks())
            while not self.try_feed(end):
                self._mark_open_element_broken()
                self.feed(_synthetic("RBRACE", "", end, len(self.text)))
            return
        if not self.skipped_to_end and len(self.problems) <= _MAX_ERRORS:
            self._report(end, _end_of_file(describe_expected(self.stacks.expected())))
        self._mark_open_element_broken()
        self._restore_boundary()
        for _step in range(100_000):
            if self.try_feed(end):
                return
            if not self.try_feed(_synthetic("RBRACE", "", end, len(self.text))):
                break
        self.result = None


def _block_owner(before: list[Any]) -> str:
    """What opened a block, from the (at most three) values before its `{`: the element
    header `requirement A "..."`, a step keyword (`alt`, `if`, ...), or nothing known."""
    tokens = [item for item in before if isinstance(item, Token)]
    keyword = next((t for t in reversed(tokens) if t.type.startswith("KW_")), None)
    if keyword is None:
        return _("a block")
    kind = lexicon().element_keywords.get(keyword.type)
    if kind is None:
        return f"`{keyword.value}`"
    following = tokens[tokens.index(keyword) + 1 :]
    ident = next((t for t in following if t.type == "ID"), None)
    if ident is not None:
        return f"{kind} `{ident.value}`"
    title = next((t for t in following if t.type == "STRING"), None)
    return f"{kind} {title.value}" if title is not None and len(title.value) <= 40 else kind


def salvage_elements(values: list[Any]) -> list[Element]:
    """Elements left on the value stack when even the end could not be parsed."""
    found: list[Element] = []
    stack = list(values)
    while stack:
        item = stack.pop()
        if isinstance(item, Element):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "children") and isinstance(item.children, list):
            stack.extend(item.children)
    found.sort(key=lambda e: e.span.start)
    return found


def parse_with_recovery(
    lark: Lark, text: str
) -> tuple[Element | None, list[Element], list[SyntaxProblem], set[int], list[Element], bool]:
    """Parse a file known to hold errors.

    Returns (document, items, problems, offsets of broken element keywords, elements
    dropped with only their kind and ID, whether the document header was missing).
    """
    driver = _Driver(lark, text)
    try:
        driver.run()
    except Exception:  # a recovery path nobody foresaw: report it, keep what was parsed
        end = driver._end_token()
        driver.problems.append(
            SyntaxProblem(
                "the parser could not recover from the error above; the rest of "
                "the file was not read",
                token_span(end),
            )
        )
        driver.result = None
    if driver.result is not None:
        document, items = driver.result
    else:
        salvaged = salvage_elements(driver.stacks.value_stack)
        document = next((e for e in salvaged if e.kind == "document"), None)
        items = [e for e in salvaged if e is not document]
    return (
        document,
        list(items),
        driver.problems,
        driver.broken_starts,
        driver.dropped,
        driver.synthetic_document,
    )


__all__ = ["Span", "parse_with_recovery"]

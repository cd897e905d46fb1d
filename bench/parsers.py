"""Parse-only comparison of the parser options for grammar/reqdsl.lark (issue 19).

    python bench/parsers.py 10000 [--rounds 5] [--work DIR]

Every option parses every file of `gen.py`'s project in this one process, in turns
(round after round, so that a busy machine slows them alike), with the collector off;
the table shows each option's best and median round in CPU seconds (`process_time`:
what the parse costs, whatever else runs on the machine) and how many files' syntax
trees differ from reqdsl's parser's, on the workload and on the samples and conformance
corpus (where a file with a syntax error must fail as it does with reqdsl's). An option
whose package is not installed, or that cannot parse with this grammar, says so instead
of a figure.

The options:
- `lark (reqdsl now)`: Lark's LALR loop with reqdsl's fast lexer (reqdsl/parse/lexer.py);
- `lark, contextual lexer`: Lark's own contextual lexer and the keyword post-lexer (what
  reqdsl's recovering parser uses);
- `lark-cython` / `lark-rust` drop-in: `Lark(..., _plugins=X.plugins)` with Lark's
  contextual lexer, as their READMEs say (neither accepts a post-lexer, so without it);
- `lark-cython` / `lark-rust` LALR loop with reqdsl's lexer: only their parser classes,
  fed reqdsl's fast lexer's tokens through a small adapter (their own token class);
- `standalone`: the module `python -m lark.tools.standalone` generates (contextual
  lexer, keyword post-lexer).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate
from lark import Lark
from lark.lexer import LexerState
from lark.utils import TextSlice

import reqdsl.parse.lexer as fast_lexer
from reqdsl.parse.builder import SyntaxTreeBuilder
from reqdsl.parse.lexer import FastLexer
from reqdsl.parse.lexicon import keywords_everywhere
from reqdsl.parse.parser import get_fast_parser
from reqdsl.resources import grammar_path
from reqdsl.source import normalise_text

Parse = Callable[[str], Any]


def _lark(grammar: str, **options: Any) -> Lark:
    return Lark(
        grammar,
        parser="lalr",
        propagate_positions=False,
        maybe_placeholders=False,
        transformer=SyntaxTreeBuilder(),
        **options,
    )


class _ParserView:
    """What reqdsl's lexer reads of a parser state (`parse_conf.states`, `position`),
    for parsers whose state does not carry them under those names."""

    def __init__(self, state: Any, states: dict[int, Any]) -> None:
        self._state = state
        self.parse_conf = self
        self.states = states

    @property
    def position(self) -> int:
        return int(self._state.position)


def _adapter(states: dict[int, Any]) -> type:
    class Thread:
        """A lexer thread handing out reqdsl's tokens one at a time (`next_token`, as
        lark-cython asks) or as a stream (`lex`, as lark-rust asks)."""

        def __init__(self, lexer: Any, state: Any) -> None:
            self.lexer, self._text, self._tokens = lexer, state, None

        @classmethod
        def from_text(cls, lexer: Any, text: str) -> Any:
            return cls(lexer, LexerState(TextSlice.cast_from(text)))

        def lex(self, parser_state: Any) -> Iterator[Any]:
            return self.lexer.lex(self._text, _ParserView(parser_state, states))

        def next_token(self, parser_state: Any) -> Any:
            if self._tokens is None:
                self._tokens = self.lex(parser_state)
            for token in self._tokens:
                return token
            raise EOFError

    return Thread


def _with_reqdsl_lexer(grammar: str, module: Any) -> Parse:
    states = get_fast_parser().parser.parser.parser.parse_table.states
    plugins = {k: v for k, v in module.plugins.items() if k in ("LALR_Parser", "_Parser")}
    plugins["LexerThread"] = _adapter(states)
    parser = _lark(grammar, lexer=FastLexer, _plugins=plugins)

    def parse(text: str) -> Any:
        fast_lexer._new_token = module.Token  # their parsers take only their own tokens
        try:
            return parser.parse(text)
        finally:
            fast_lexer._new_token = fast_lexer.Token._future_new

    return parse


def _standalone(grammar_file: Path, work: Path) -> Parse:
    module_path = work / "reqdsl_standalone.py"
    subprocess.run(
        [sys.executable, "-m", "lark.tools.standalone", "-l", "contextual", "-o",
         str(module_path), str(grammar_file)],
        check=True,
    )  # fmt: skip
    sys.path.insert(0, str(work))
    module = importlib.import_module("reqdsl_standalone")
    parser = module.Lark_StandAlone(transformer=SyntaxTreeBuilder(), postlex=keywords_everywhere())
    return parser.parse  # type: ignore[no-any-return]


def options(work: Path) -> dict[str, Parse | str]:
    grammar = grammar_path().read_text(encoding="utf-8")
    found: dict[str, Parse | str] = {
        "lark (reqdsl now)": get_fast_parser().parse,
        "lark, contextual lexer": _lark(
            grammar, lexer="contextual", postlex=keywords_everywhere()
        ).parse,
    }
    for package in ("lark_cython", "lark_rust"):
        name = package.replace("_", "-")
        try:
            module = importlib.import_module(package)
        except ImportError:
            found[f"{name} drop-in"] = found[f"{name}, reqdsl's lexer"] = "not installed"
            continue
        version = importlib.metadata.version(name)  # the wheel's (lark-rust's module lags)
        try:
            found[f"{name} {version} drop-in"] = _lark(
                grammar, lexer="contextual", _plugins=module.plugins
            ).parse
        except Exception as error:
            found[f"{name} {version} drop-in"] = f"fails: {type(error).__name__}"
        found[f"{name} {version}, reqdsl's lexer"] = _with_reqdsl_lexer(grammar, module)
    found["standalone"] = _standalone(grammar_path(), work)
    return found


def corpus_texts() -> list[str]:
    """The samples and the shared conformance corpus (`../shared`, when present): files
    with syntax errors included, where every option must fail as reqdsl's parser does."""
    repository = Path(__file__).resolve().parents[1]
    folders = [repository / "samples", repository.parent / "shared" / "conformance"]
    paths = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.req"))
    return [normalise_text(p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def _outcome(parse: Parse, text: str) -> str:
    try:
        return repr(parse(text))
    except Exception:  # a syntax error: what counts is that the option fails too
        return "fails"


def _round(parse: Parse, texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        parse(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, help="generate into this folder (default: a temp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="reqdsl-bench-parsers-"))
    project = work / f"n{args.n}"
    if not project.is_dir():
        generate(args.n, project)
    texts = [normalise_text(p.read_text(encoding="utf-8")) for p in sorted(project.glob("*.req"))]
    reference = [repr(get_fast_parser().parse(text)) for text in texts]
    corpus = corpus_texts()
    corpus_reference = [_outcome(get_fast_parser().parse, text) for text in corpus]
    chosen = options(work)
    rows: dict[str, list[float]] = {}
    notes: dict[str, str] = {}
    for name, parse in chosen.items():
        if isinstance(parse, str):
            notes[name] = parse
            continue
        try:
            differ = sum(repr(parse(t)) != r for t, r in zip(texts, reference, strict=True))
        except Exception as error:
            notes[name] = f"fails: {type(error).__name__}: {str(error)[:60]}"
            continue
        corpus_differ = sum(
            _outcome(parse, t) != r for t, r in zip(corpus, corpus_reference, strict=True)
        )
        notes[name] = f"{differ} of {len(texts)} | {corpus_differ} of {len(corpus)}"
        rows[name] = []
    gc.disable()
    for _ in range(args.rounds):
        for name in rows:
            rows[name].append(_round(chosen[name], texts))  # type: ignore[arg-type]
    gc.enable()
    print(f"N = {args.n:,}, {len(texts)} files, {args.rounds} rounds, CPU seconds")
    print("| parser | best | median | workload files whose tree differs | corpus files |")
    print("|---|---:|---:|---|---|")
    for name, note in notes.items():
        times = rows.get(name)
        best = f"{min(times):.2f}" if times else "-"
        median = f"{statistics.median(times):.2f}" if times else "-"
        print(f"| {name} | {best} | {median} | {note} |")


if __name__ == "__main__":
    main()

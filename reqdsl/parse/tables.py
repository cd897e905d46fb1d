"""Lark parsers built once and kept in the one cache as data, never as a pickle.

Building the LALR tables of reqdsl's grammar takes about 0.2 s, so every start of
`reqdsl check`, of a parse worker or of the language server would pay it without a
cache. Lark's own cache (`Lark(cache=...)`) is a pickle, written by default under a
predictable name in the system's temporary folder, and Lark unpickles it before checking
anything: another local user could plant one there and run code in the next check.

Here the parser is serialised with Lark's own `memo_serialize` (the plain dictionaries,
lists, strings and numbers its standalone parsers are generated from), stored as msgpack
in the `grammar` area of the user's cache (reqdsl/util/cache.py: sealed, keyed with
reqdsl's code salt, the grammar's text, the parser's name and Lark's version), and
loaded with `Lark._load_from_dict`, the loader of Lark's standalone parsers. The objects
that are code (the tree builder, the post-lexer, a custom lexer class) are never stored:
they are handed to the loader from reqdsl's own modules.
"""

from __future__ import annotations

from typing import Any

import lark
import msgspec
from lark import Lark
from lark.grammar import Rule
from lark.lark import _LOAD_ALLOWED_OPTIONS
from lark.lexer import TerminalDef

from ..util.cache import CacheArea

AREA = "grammar"
_BIG_INT = 1  # msgpack extension code: an integer msgpack cannot hold (a regex's max width)
_INT64 = range(-(2**63), 2**64)


def cached_lark(name: str, grammar_text: str, **options: Any) -> Lark:
    """`Lark(grammar_text, **options)`, from the cache when it holds this parser."""
    area = CacheArea.of_user(AREA)
    entry = area.key(name, lark.__version__, grammar_text) + ".msgpack"
    lexer = options.get("lexer")
    payload = area.read(entry)
    if payload is not None:
        loaded = _load(payload, lexer, options)
        if loaded is not None:
            return loaded
    parser = Lark(grammar_text, **options)
    if area.enabled:
        area.write(entry, _dump(parser))
    return parser


def _dump(parser: Lark) -> bytes:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    # Options that are objects of reqdsl's code are handed in again when loading.
    options = data["options"]
    stored = {key: value for key, value in options.items() if key not in _LOAD_ALLOWED_OPTIONS}
    data["options"] = stored
    if not isinstance(stored.get("lexer"), str):  # a custom lexer class: reqdsl's code
        stored["lexer"] = data["parser"]["lexer_conf"]["lexer_type"] = "custom"
    return msgspec.msgpack.encode(_plain({"data": data, "memo": memo}))


def _plain(value: Any) -> Any:
    """`value` with the integers msgpack cannot hold as extension values."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if type(value) is int and value not in _INT64:
        return msgspec.msgpack.Ext(_BIG_INT, str(value).encode("ascii"))
    return value


def _ext(code: int, data: memoryview) -> int:
    if code != _BIG_INT:
        raise ValueError(f"unknown msgpack extension {code}")
    return int(bytes(data).decode("ascii"))


def _load(payload: bytes, lexer: Any, options: dict[str, Any]) -> Lark | None:
    try:
        stored = msgspec.msgpack.decode(payload, ext_hook=_ext)
        data, memo = stored["data"], stored["memo"]
        if not isinstance(lexer, str):  # a custom lexer class: reqdsl's own
            data["options"]["lexer"] = data["parser"]["lexer_conf"]["lexer_type"] = lexer
        allowed = {key: value for key, value in options.items() if key in _LOAD_ALLOWED_OPTIONS}
        loaded: Lark = Lark._load_from_dict(data, memo, **allowed)  # type: ignore[no-untyped-call]
        return loaded
    except Exception:  # written for another Lark, or damaged: build the tables again
        return None

"""The outline: the document, its sections and elements, a decision's criteria and
options, nested as in the file."""

from __future__ import annotations

from lsprotocol import types

from ..parse.syntax import Element, ParsedFile
from .positions import PositionMap

# The outline's icon per element kind: a choice of presentation, not a list of the kinds
# (those are the grammar's: reqdsl/parse/lexicon.py). A kind missing here is an Object;
# tests/test_lexicon.py checks that every name here is a kind.
_KINDS = {
    "document": types.SymbolKind.File,
    "section": types.SymbolKind.Namespace,
    "text": types.SymbolKind.String,
    "term": types.SymbolKind.Constant,
    "stakeholder": types.SymbolKind.Object,
    "goal": types.SymbolKind.Event,
    "requirement": types.SymbolKind.Interface,
    "actor": types.SymbolKind.Object,
    "usecase": types.SymbolKind.Method,
    "zone": types.SymbolKind.Package,
    "component": types.SymbolKind.Class,
    "data": types.SymbolKind.Struct,
    "flow": types.SymbolKind.Operator,
    "scenario": types.SymbolKind.Function,
    "activity": types.SymbolKind.Function,
    "threat": types.SymbolKind.Event,
    "test": types.SymbolKind.Method,
    "decision": types.SymbolKind.Enum,
    "criterion": types.SymbolKind.Property,
    "option": types.SymbolKind.EnumMember,
    "review": types.SymbolKind.Boolean,
}


def _symbol(element: Element, positions: PositionMap) -> types.DocumentSymbol:
    name = element.id or element.title or element.kind
    detail = element.kind + (f" · {element.title}" if element.id and element.title else "")
    selection = element.id_span or element.title_span or element.keyword_span
    return types.DocumentSymbol(
        name=name,
        detail=detail,
        kind=_KINDS.get(element.kind, types.SymbolKind.Object),
        range=positions.range(element.span.cover(selection)),
        selection_range=positions.range(selection),
        children=[_symbol(child, positions) for child in element.children],
    )


def document_symbols(parsed: ParsedFile, positions: PositionMap) -> list[types.DocumentSymbol]:
    items = ([parsed.document] if parsed.document is not None else []) + parsed.items
    return [_symbol(item, positions) for item in items if item.kind != "text"]

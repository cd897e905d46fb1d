"""Value kinds: what a field of the field table (`schema.py`) takes, one class per kind.

Each kind owns everything that depends on it, where string tests on `FieldSpec.kind` used
to be spread over a dozen modules: binding a syntax value to its typed meaning (the
binder), the value as the site shows it, the `.req` form an importer writes, the ReqIF
datatype, completion in the language server, the hover's description and how the parse
cache restores the typed value. The site and the language server hand a kind the
primitives it composes (`ValueView`, `CompletionSource`): the model imports neither.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from ..i18n import format_date, gettext
from ..labels import word_label
from ..parse.lexicon import lexicon
from ..source import Span
from .elements import Score, Val
from .schema import BOOLEAN_WORDS

if TYPE_CHECKING:
    from ..parse.syntax import Value
    from .elements import ModelElement
    from .schema import FieldSpec

T = TypeVar("T")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """A terminal of the grammar (or `PAIR`, an ID and a number), compiled on first use:
    the lexicon builds the parser, which importing the field table must not cost."""
    if name == "PAIR":
        patterns = lexicon().patterns
        return re.compile(f"({patterns['ID']}) ({patterns['NUMBER']})")
    return lexicon().pattern(name)


@dataclass(frozen=True, slots=True)
class Problem:
    """A value the kind does not take: reported by the binder as SM004."""

    span: Span
    message: str
    hint: str


class ValueView(Protocol):
    """What the site gives a kind to show a value: escaped, ready HTML fragments."""

    def ref(self, element_id: str) -> str: ...
    def compliance(self, raw: str) -> str: ...
    def technique(self, raw: str) -> str: ...
    def text(self, element: ModelElement, field: str) -> str: ...
    def plain(self, text: str) -> str: ...


class HoverSource(Protocol):
    """What the language server gives a kind to describe a value under the cursor."""

    def technique(self, text: str) -> str | None: ...


class Resolver(Protocol):
    """What reference resolution gives a linking kind (model/resolve.py)."""

    def resolve_refs(self, element: ModelElement, spec: FieldSpec) -> None: ...
    def resolve_scores(self, element: ModelElement, spec: FieldSpec) -> None: ...


class CompletionSource(Protocol[T]):
    """What the language server gives a kind to offer values at the cursor."""

    def ids(self, spec: FieldSpec) -> list[T]: ...
    def criteria(self) -> list[T]: ...
    def words(self, words: Sequence[str], *, members: bool) -> list[T]: ...
    def compliance(self, *, gdpr_only: bool) -> list[T]: ...
    def techniques(self) -> list[T]: ...
    def codes(self) -> list[T]: ...


def valid_id(text: str) -> bool:
    return lexicon().is_id(text)


class FieldKind:
    """A value kind. Subclasses override what differs; the defaults are a quoted string."""

    name: ClassVar[str]
    links: ClassVar[bool] = False  # the values name elements (resolution, back-links)
    ids: ClassVar[bool] = False  # each value is one element ID (ReqIF relations, JSON links)
    cites: ClassVar[bool] = False  # names an element or a catalogue entry (hover's Links)
    bare: ClassVar[bool] = False  # an importer writes the value unquoted
    reqif_datatype: ClassVar[str] = "STRING"

    def restorer(self) -> Callable[[Any], Any] | None:
        """How the parse cache turns a stored value back into its typed meaning (None:
        the stored value is it)."""
        return None

    # ------------------------------------------------------------------ binding
    def bind(self, spec: FieldSpec, values: Sequence[Value]) -> tuple[list[Any], list[Problem]]:
        """The bound values of a field as written, and the values it does not take."""
        bound: list[Any] = []
        problems: list[Problem] = []
        for value in values:
            typed = self.typed(spec, value)
            if isinstance(typed, Problem):
                problems.append(typed)
            else:
                bound.append(Val(value.text, value.span, typed, value.kind == "text"))
        return bound, problems

    def typed(self, spec: FieldSpec, value: Value) -> object:
        """The meaning of one syntax value, or the Problem with it."""
        raise NotImplementedError

    def stored(self, spec: FieldSpec, bound: list[Any]) -> Any:
        """What the model's attribute holds: the list, or the one value of a single field."""
        if spec.many:
            return bound
        return bound[0] if bound else None

    def annotation(self, spec: FieldSpec) -> tuple[Any, Any]:
        """The model attribute's type and default."""
        if spec.many:
            return list[Val], []
        return Val | None, None

    def resolve(self, spec: FieldSpec, element: ModelElement, resolver: Resolver) -> None:
        """Resolve what the given field's values name (links only)."""

    # ------------------------------------------------------------------ showing
    def html(self, spec: FieldSpec, element: ModelElement, view: ValueView) -> str:
        """The field's values on the element's page (the field is given)."""
        values = element.refs(spec.name)
        if not values:
            return f'<span class="rq-muted">{gettext("invalid (see the diagnostics)")}</span>'
        return ", ".join(self.value_html(spec, element, value, view) for value in values)

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.plain(value.raw)

    def describe(self, spec: FieldSpec) -> str:
        """What the field takes, in Markdown (the hover of a field name)."""
        raise NotImplementedError

    def detail(self, spec: FieldSpec) -> str:
        """The completion item's detail after the kind's name ("ref → goal")."""
        return ""

    def value_hover(self, text: str, source: HoverSource) -> str | None:
        """The hover of one value as written (None: nothing to say)."""
        return None

    def targets(self, element: ModelElement, spec: FieldSpec) -> list[str]:
        """The IDs the field's values name (links only)."""
        return []

    def written(self, element: ModelElement, spec: FieldSpec) -> list[str]:
        """The values as written, one string each (exports)."""
        return [value.raw for value in element.refs(spec.name)]

    def listed(self, spec: FieldSpec) -> bool:
        """Whether the field holds a list (exports write a list, imports split lines)."""
        return spec.many

    # ------------------------------------------------------------------ importing
    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        """A foreign value as this kind writes it, or None when it does not fit. Kinds
        that take any text keep it as found, spaces and all; the others strip it."""
        return text

    def writes_bare(self, spec: FieldSpec, value: str) -> bool:
        """Whether an importer writes a normalised value unquoted in `.req` source."""
        return self.bare

    # ------------------------------------------------------------------ completion
    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return []


class TextKind(FieldKind):
    name = "text"

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind in ("string", "text"):
            return value.text
        return Problem(
            value.span,
            gettext("`{field}` takes a string").format(field=spec.name),
            gettext('write "{text}"').format(text=value.text),
        )

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.text(element, spec.name)

    def describe(self, spec: FieldSpec) -> str:
        return "a string or a text block"


class EnumKind(FieldKind):
    name = "enum"
    bare = True
    reqif_datatype = "ENUMERATION"

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.plain(word_label(value.raw))  # a model word, in the reader's language

    def typed(self, spec: FieldSpec, value: Value) -> object:
        text = value.text
        if value.kind in ("id", "keyword") and text in spec.values:
            return text
        if value.kind == "string" and text in spec.values:
            return Problem(
                value.span,
                gettext("`{field}` takes a bare word, not a string").format(field=spec.name),
                gettext("write {text} without quotes").format(text=text),
            )
        close = difflib.get_close_matches(text, spec.values, n=1, cutoff=0.6)
        hint = gettext("did you mean `{key}`?").format(key=close[0]) + " " if close else ""
        return Problem(
            value.span,
            gettext("`{text}` is not a valid `{field}`").format(text=text, field=spec.name),
            hint + gettext("use one of: {values}").format(values=", ".join(spec.values)),
        )

    def describe(self, spec: FieldSpec) -> str:
        return "one of: " + ", ".join(f"`{v}`" for v in spec.values)

    def detail(self, spec: FieldSpec) -> str:
        return ": " + " | ".join(spec.values)

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        text = re.sub(r"\s+", "-", text.lower())
        return text if text in spec.values else None

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.words(spec.values, members=True)


class RefKind(FieldKind):
    name = "ref"
    links = True
    ids = True
    cites = True
    bare = True

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind == "id":
            return value.text
        return Problem(
            value.span,
            gettext("`{field}` takes element IDs").format(field=spec.name),
            gettext("write the ID without quotes"),
        )

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.ref(value.raw)

    def describe(self, spec: FieldSpec) -> str:
        return "IDs of: " + ", ".join(spec.targets)

    def detail(self, spec: FieldSpec) -> str:
        return " → " + ", ".join(spec.targets)

    def targets(self, element: ModelElement, spec: FieldSpec) -> list[str]:
        return [value.raw for value in element.refs(spec.name)]

    def resolve(self, spec: FieldSpec, element: ModelElement, resolver: Resolver) -> None:
        resolver.resolve_refs(element, spec)

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        return text if valid_id(text) else None

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.ids(spec)


class ComplianceKind(FieldKind):
    name = "compliance"
    bare = True
    cites = True

    def restorer(self) -> Callable[[Any], Any] | None:
        return tuple

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind == "ref":
            scheme, _, ref = value.text.partition(":")
            if spec.gdpr_only and scheme != "gdpr":
                return Problem(
                    value.span,
                    gettext("`{field}` takes a GDPR reference").format(field=spec.name),
                    gettext("write it as gdpr:ARTICLE(PARAGRAPH)(POINT), e.g. gdpr:6(1)(b)"),
                )
            return (scheme, ref)
        return Problem(
            value.span,
            gettext(
                "`{field}` takes compliance references such as gdpr:6(1)(b) or iso27001:A.8.24"
            ).format(field=spec.name),
            gettext("write SCHEME:REF without spaces"),
        )

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.compliance(value.raw)

    def describe(self, spec: FieldSpec) -> str:
        return "GDPR references" if spec.gdpr_only else "compliance references"

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        ok = bool(_pattern("COMPLIANCE_REF").fullmatch(text)) and (
            not spec.gdpr_only or text[:5] == "gdpr:"
        )
        return text if ok else None

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.compliance(gdpr_only=spec.gdpr_only)


class BoolKind(FieldKind):
    name = "bool"
    bare = True

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind in ("id", "keyword") and value.text in BOOLEAN_WORDS:
            return BOOLEAN_WORDS[value.text]
        return Problem(
            value.span,
            gettext("`{field}` takes true or false").format(field=spec.name),
            gettext("use true or false"),
        )

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        if isinstance(value.value, bool):
            return gettext("yes") if value.value else gettext("no")
        return view.plain(value.raw)

    def describe(self, spec: FieldSpec) -> str:
        return "`true` or `false`"

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        text = text.lower()
        return text if text in BOOLEAN_WORDS else None

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.words(("true", "false"), members=False)


class NumberKind(FieldKind):
    name = "number"
    bare = True

    def restorer(self) -> Callable[[Any], Any] | None:
        return Decimal

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind != "number":
            return Problem(
                value.span,
                gettext("`{field}` takes a number").format(field=spec.name),
                gettext("write a number such as 3"),
            )
        number = Decimal(value.text)
        if spec.minimum is not None and number < Decimal(str(spec.minimum)):
            return Problem(
                value.span,
                gettext("`{field}` must be at least {minimum}, not {text}").format(
                    field=spec.name, minimum=f"{spec.minimum:g}", text=value.text
                ),
                gettext("use a number >= {minimum}").format(minimum=f"{spec.minimum:g}"),
            )
        return number

    def describe(self, spec: FieldSpec) -> str:
        return "a number"

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        return (
            text if _pattern("NUMBER").fullmatch(text) and _at_least(text, spec.minimum) else None
        )


class VersionKind(FieldKind):
    name = "version"

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind in ("string", "number", "id"):
            return value.text
        return Problem(
            value.span,
            gettext("`{field}` takes a version string").format(field=spec.name),
            gettext('write "1.0.0"'),
        )

    def describe(self, spec: FieldSpec) -> str:
        return "a version, compared as written"


class DateKind(FieldKind):
    name = "date"

    def restorer(self) -> Callable[[Any], Any] | None:
        return datetime.date.fromisoformat

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.plain(format_date(value.raw))  # `29 novembre 2026` on a French site

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind == "string" and _DATE.match(value.text):
            try:
                return datetime.date.fromisoformat(value.text)
            except ValueError:
                pass
        return Problem(
            value.span,
            gettext("`{text}` is not a calendar date YYYY-MM-DD").format(text=value.text),
            gettext('write the date as "2026-11-20"'),
        )

    def describe(self, spec: FieldSpec) -> str:
        return 'a date `"YYYY-MM-DD"`'

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        if not _DATE.fullmatch(text):
            return None
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return None
        return text


class TransferKind(FieldKind):
    name = "transfer"

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if (value.kind in ("id", "keyword") and value.text == "none") or value.kind in (
            "string",
            "text",
        ):
            return value.text
        return Problem(
            value.span,
            gettext("`transfer` takes `none` or a string naming the destination and mechanism"),
            gettext('e.g. "United States, standard contractual clauses"'),
        )

    def describe(self, spec: FieldSpec) -> str:
        return "`none` or a string naming destination and mechanism"

    def writes_bare(self, spec: FieldSpec, value: str) -> bool:
        return value == "none"

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.words(("none",), members=False)


class TechniqueKind(FieldKind):
    name = "technique"

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind in ("string", "id"):
            return value.text
        return Problem(
            value.span, gettext("`attack` takes ATT&CK technique IDs"), gettext('write "T1110.004"')
        )

    def value_html(
        self, spec: FieldSpec, element: ModelElement, value: Val, view: ValueView
    ) -> str:
        return view.technique(value.raw)

    def describe(self, spec: FieldSpec) -> str:
        return 'ATT&CK technique IDs such as `"T1110.004"`'

    def value_hover(self, text: str, source: HoverSource) -> str | None:
        return source.technique(text)

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.techniques()


class PairsKind(FieldKind):
    name = "pairs"
    links = True
    bare = True

    def bind(self, spec: FieldSpec, values: Sequence[Value]) -> tuple[list[Any], list[Problem]]:
        bound: list[Any] = []
        problems: list[Problem] = []
        scored: set[str] = set()
        for value in values:
            if value.kind == "pair" and value.text in scored:
                problems.append(
                    Problem(
                        value.span,
                        gettext("criterion `{id}` is scored twice").format(id=value.text),
                        gettext("score each criterion once per option"),
                    )
                )
                continue
            scored.add(value.text)
            score = self._pair(spec, value, problems)
            if score is not None:
                bound.append(score)
        return bound, problems

    def _pair(self, spec: FieldSpec, value: Value, problems: list[Problem]) -> Score | None:
        if value.kind != "pair" or value.number is None or value.number_span is None:
            problems.append(
                Problem(
                    value.span,
                    gettext("`scores` takes `CRITERION SCORE` pairs"),
                    gettext("write e.g. scores: C-COST 4, C-AVAIL 3"),
                )
            )
            return None
        number: Decimal | None = Decimal(value.number)
        assert number is not None
        low, high = spec.minimum or 0, spec.maximum or 5
        if not Decimal(str(low)) <= number <= Decimal(str(high)):
            problems.append(
                Problem(
                    value.number_span,
                    gettext("score `{score}` is out of range").format(score=value.number),
                    gettext("scores run from {low} to {high}").format(
                        low=f"{low:g}", high=f"{high:g}"
                    ),
                )
            )
            number = None
        span = value.span
        return Score(
            criterion=value.text,
            criterion_span=Span(
                span.start,
                span.start + len(value.text),
                span.line,
                span.column,
                span.line,
                span.column + len(value.text),
            ),
            score=number,
            score_span=value.number_span,
            span=span,
        )

    def stored(self, spec: FieldSpec, bound: list[Any]) -> Any:
        return bound  # a list even if the table said one value

    def annotation(self, spec: FieldSpec) -> tuple[Any, Any]:
        return list[Score], []

    def resolve(self, spec: FieldSpec, element: ModelElement, resolver: Resolver) -> None:
        resolver.resolve_scores(element, spec)

    def html(self, spec: FieldSpec, element: ModelElement, view: ValueView) -> str:
        from .facts.decisions import show_number

        return ", ".join(
            f"{view.ref(pair.criterion)}&nbsp;"
            + (show_number(pair.score) if pair.score is not None else "?")
            for pair in getattr(element, spec.attr, [])
        )

    def describe(self, spec: FieldSpec) -> str:
        return "`CRITERION SCORE` pairs (0 to 5)"

    def targets(self, element: ModelElement, spec: FieldSpec) -> list[str]:
        return [pair.criterion for pair in getattr(element, spec.attr, [])]

    def written(self, element: ModelElement, spec: FieldSpec) -> list[str]:
        return [
            pair.criterion + ("" if pair.score is None else f" {pair.score}")
            for pair in getattr(element, spec.attr, [])
        ]

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        return text if _pattern("PAIR").fullmatch(text) else None

    def listed(self, spec: FieldSpec) -> bool:
        return True

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.criteria()


class WordKind(FieldKind):
    name = "word"

    def typed(self, spec: FieldSpec, value: Value) -> object:
        if value.kind in ("id", "keyword", "string"):
            return value.text
        return Problem(
            value.span,
            gettext("`{field}` takes names").format(field=spec.name),
            gettext("write a name"),
        )

    def describe(self, spec: FieldSpec) -> str:
        return "names"

    def writes_bare(self, spec: FieldSpec, value: str) -> bool:
        return valid_id(value)


class CodeKind(WordKind):
    """Check codes (`ignore`): names, completed from the rule registry. Still "word" in
    the field table's language (the docs, completion's detail, the hover)."""

    def normalise(self, spec: FieldSpec, text: str) -> str | None:
        text = text.strip()
        return text if valid_id(text) else None

    def complete(self, spec: FieldSpec, source: CompletionSource[T]) -> list[T]:
        return source.codes()


def _at_least(text: str, minimum: float | None) -> bool:
    try:
        return minimum is None or Decimal(text) >= Decimal(str(minimum))
    except InvalidOperation:
        return False


# One instance per kind: a kind holds no state, the spec passes what varies.
VALUE_KINDS: dict[str, FieldKind] = {
    kind.name: kind()
    for kind in (
        TextKind, EnumKind, RefKind, ComplianceKind, BoolKind, NumberKind, VersionKind,
        DateKind, TransferKind, TechniqueKind, PairsKind, WordKind,
    )
}  # fmt: skip
CODES = CodeKind()

"""ID resolution: duplicates (SM001), unknown references (SM002) and references to the
wrong kind of element (SM003), for fields, scenario participants, `via`, activity `by`,
attribute types, `chosen` and scored criteria.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator

from ..checks.registry import emit
from ..diagnostics import Diagnostic, Related
from ..i18n import N_, _
from ..parse.syntax import ActivityStep, Branch, Fragment, Message
from ..source import Span
from .elements import ModelElement, Score, Val
from .schema import FIELD_SPECS, PRIMITIVE_TYPES, FieldSpec

_SMALL_PROJECT = 2000  # below this many IDs, every ID is a hint candidate
_WINDOW = 25
MAX_HINTED = 300  # distinct unknown IDs that get "did you mean" hints, in project order

# Each kind with its article, as messages name it (translated as a whole: the article
# depends on the language's gender of the word).
_ARTICLE = {
    "document": N_("a document"),
    "section": N_("a section"),
    "text": N_("a text"),
    "term": N_("a term"),
    "stakeholder": N_("a stakeholder"),
    "goal": N_("a goal"),
    "requirement": N_("a requirement"),
    "actor": N_("an actor"),
    "usecase": N_("an usecase"),
    "zone": N_("a zone"),
    "component": N_("a component"),
    "data": N_("a data"),
    "flow": N_("a flow"),
    "scenario": N_("a scenario"),
    "threat": N_("a threat"),
    "test": N_("a test"),
    "decision": N_("a decision"),
    "criterion": N_("a criterion"),
    "option": N_("an option"),
    "activity": N_("an activity"),
    "review": N_("a review"),
}


def article(kind: str) -> str:
    """`a requirement`, `an actor`: a kind with its article, in the current language."""
    return _(_ARTICLE[kind]) if kind in _ARTICLE else "a " + kind


def build_index(elements: list[ModelElement]) -> tuple[dict[str, ModelElement], list[Diagnostic]]:
    """ID -> first definition; every later definition is SM001 (related: the first)."""
    index: dict[str, ModelElement] = {}
    diagnostics: list[Diagnostic] = []
    for element in elements:
        if element.id is None:
            continue
        first = index.get(element.id)
        if first is None:
            index[element.id] = element
            continue
        diagnostics.append(
            emit(
                "SM001",
                _("duplicate ID `{id}`: already defined as {kind}").format(
                    id=element.id, kind=article(first.kind)
                ),
                element.path,
                element.anchor,
                hint=_("give each element its own ID"),
                related=[Related(_("first defined here"), first.path, first.anchor)],
            )
        )
    return index, diagnostics


class Resolver:
    def __init__(self, index: dict[str, ModelElement]) -> None:
        self.index = index
        self.diagnostics: list[Diagnostic] = []
        self._candidates: dict[tuple[str, ...], _Candidates] = {}
        self._close_cache: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        # Every (name, kinds) a hint was asked for: whether the cap on hinted names was
        # reached decides if an incremental resolution equals a full one.
        self.asked: set[tuple[str, tuple[str, ...]]] = set()

    def resolve(self, elements: list[ModelElement]) -> list[Diagnostic]:
        for element in elements:
            if element.broken:
                continue
            self._fields(element)
            if element.kind == "data":
                self._attribute_types(element)
            elif element.kind == "scenario":
                self._scenario(element)
            elif element.kind == "activity":
                self._activity(element)
        return self.diagnostics

    # ------------------------------------------------------------------ helpers
    def _closest(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        """Up to three existing IDs of the `kinds` the place accepts close to `name`, for
        the hint (an ID of another kind would be SM003 once written: the editor applies
        the first hint as its preferred quick fix).

        difflib over every ID costs O(IDs) per unknown reference: a project with 25,000
        elements and 3,000 dangling links took minutes. In a large project the candidates
        are the IDs nearest to `name` in sorted order (a typo usually keeps the start of
        an ID) and those of the same length sharing its first and last characters;
        answers are memoised per name and kinds."""
        key = (name, kinds)
        self.asked.add(key)
        cached = self._close_cache.get(key)
        if cached is not None:
            return cached
        if len(self._close_cache) >= MAX_HINTED:
            return []  # past a few hundred dangling IDs, hints stop paying for their time
        pool = self._candidates.get(kinds)
        if pool is None:
            pool = _Candidates(sorted(i for i, e in self.index.items() if e.kind in kinds))
            self._candidates[kinds] = pool
        found = difflib.get_close_matches(name, pool.near(name), n=3, cutoff=0.6)
        self._close_cache[key] = found
        return found

    def lookup(
        self, element: ModelElement, name: str, span: Span, what: str, kinds: tuple[str, ...]
    ) -> ModelElement | None:
        """The target, or None after reporting SM002 / SM003."""
        target = self.index.get(name)
        if target is None:
            close = self._closest(name, kinds)
            self.diagnostics.append(
                emit(
                    "SM002",
                    _("unknown ID `{id}` in {what}").format(id=name, what=_(what)),
                    element.path,
                    span,
                    hint=_("did you mean {names}?").format(
                        names=_(" or ").join(f"`{c}`" for c in close)
                    )
                    if close
                    else _("define the element or correct the ID"),
                )
            )
            return None
        if target.kind not in kinds:
            self._wrong_kind(element, target, span, what, kinds)
            return None
        return target

    def _wrong_kind(
        self,
        element: ModelElement,
        target: ModelElement,
        span: Span,
        what: str,
        kinds: tuple[str, ...],
        extra: str = "",
    ) -> None:
        wanted = _(" or ").join(article(kind) for kind in kinds)
        self.diagnostics.append(
            emit(
                "SM003",
                _("`{id}` is {kind}{extra}; {what} takes {wanted}").format(
                    id=target.id,
                    kind=article(target.kind),
                    extra=extra,
                    what=_(what),
                    wanted=wanted,
                ),
                element.path,
                span,
                related=[
                    Related(
                        _("`{id}` is defined here").format(id=target.id), target.path, target.anchor
                    )
                ],
            )
        )

    # ------------------------------------------------------------------ fields
    def _fields(self, element: ModelElement) -> None:
        for spec in FIELD_SPECS[element.kind].values():
            if element.has(spec.name):
                spec.value_kind.resolve(spec, element, self)

    def resolve_scores(self, element: ModelElement, spec: FieldSpec) -> None:
        for score in getattr(element, spec.attr):
            self._scored_criterion(element, score)

    def resolve_refs(self, element: ModelElement, spec: FieldSpec) -> None:
        what = f"`{spec.name}`"
        for value in element.refs(spec.name):
            target = self.lookup(element, value.raw, value.span, what, spec.targets)
            if target is None:
                continue
            if spec.name == "satisfies" and target.kind == "requirement":
                if target.level not in (None, "stakeholder"):
                    self._wrong_kind(
                        element,
                        target,
                        value.span,
                        what,
                        ("goal", "stakeholder-level requirement"),
                        extra=_(" of the {level} level").format(level=target.level),
                    )
            elif spec.name == "chosen" and target.parent != element.id:
                self._wrong_kind(
                    element,
                    target,
                    value.span,
                    what,
                    ("option of this decision",),
                    extra=_(" of decision `{id}`").format(id=target.parent),
                )

    def _scored_criterion(self, element: ModelElement, score: Score) -> None:
        target = self.lookup(
            element, score.criterion, score.criterion_span, "`scores`", ("criterion",)
        )
        if target is not None and target.parent != element.parent:
            self._wrong_kind(
                element,
                target,
                score.criterion_span,
                "`scores`",
                ("criterion of this option's decision",),
                extra=_(" of decision `{id}`").format(id=target.parent),
            )

    def _attribute_types(self, element: ModelElement) -> None:
        for attribute in element.attributes:
            if attribute.type in PRIMITIVE_TYPES:
                continue
            target = self.index.get(attribute.type)
            if target is None:
                close = self._closest(attribute.type, ("data",))
                hint = (
                    _("did you mean {names}?").format(names=_(" or ").join(f"`{c}`" for c in close))
                    + " "
                    if close
                    else ""
                )
                self.diagnostics.append(
                    emit(
                        "SM002",
                        _("unknown type `{type}` for attribute `{name}`").format(
                            type=attribute.type, name=attribute.name
                        ),
                        element.path,
                        attribute.type_span,
                        hint=hint
                        + _("use a primitive ({types}) or the ID of a data element").format(
                            types=", ".join(PRIMITIVE_TYPES)
                        ),
                    )
                )
            elif target.kind != "data":
                self._wrong_kind(
                    element, target, attribute.type_span, N_("an attribute type"), ("data",)
                )
        for attribute in element.attributes:
            for flag in attribute.flags:
                if flag.name not in (
                    "personal",
                    "special",
                    "unique",
                    "required",
                    "encrypted",
                    "pseudonymised",
                ):
                    self.diagnostics.append(
                        emit(
                            "SM004",
                            _("unknown attribute flag `{flag}`").format(flag=flag.name),
                            element.path,
                            flag.span,
                            hint=_(
                                "use personal, special, unique, required, encrypted or "
                                "pseudonymised"
                            ),
                        )
                    )

    # ------------------------------------------------------------------ steps
    def _scenario(self, element: ModelElement) -> None:
        for message in iter_messages(element.steps):
            for name, span in (
                (message.source, message.source_span),
                (message.target, message.target_span),
            ):
                self.lookup(element, name, span, N_("a scenario message"), ("actor", "component"))
            if message.via is not None and message.via_span is not None:
                self.lookup(element, message.via, message.via_span, "`via`", ("flow",))

    def _activity(self, element: ModelElement) -> None:
        for step in iter_activity_steps(element.steps):
            if step.by is not None and step.by_span is not None:
                self.lookup(element, step.by, step.by_span, "`by`", ("actor", "component"))


def iter_messages(steps: list) -> Iterator[Message]:  # type: ignore[type-arg]
    """Every message of a scenario, nested fragments included, in order."""
    stack = list(reversed(steps))
    while stack:
        step = stack.pop()
        if isinstance(step, Message):
            yield step
        elif isinstance(step, Fragment):
            for branch in reversed(step.branches):
                stack.extend(reversed(branch.steps))


def iter_activity_steps(steps: list) -> Iterator[ActivityStep]:  # type: ignore[type-arg]
    stack = list(reversed(steps))
    while stack:
        step = stack.pop()
        if isinstance(step, ActivityStep):
            yield step
            branches: list[Branch] = step.branches
            for branch in reversed(branches):
                stack.extend(reversed(branch.steps))


__all__ = ["Resolver", "Val", "build_index", "iter_activity_steps", "iter_messages"]


class _Candidates:
    """The sorted IDs of some kinds, and the ones worth comparing with a name."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self._shapes: dict[tuple[str, str, int], list[str]] | None = None

    def near(self, name: str) -> list[str]:
        if len(self.ids) <= _SMALL_PROJECT:
            return self.ids
        at = bisect.bisect_left(self.ids, name)
        window = self.ids[max(0, at - _WINDOW) : at + _WINDOW]
        same_shape = self._by_shape().get((name[:1], name[-1:], len(name)), [])
        return sorted(set(window).union(same_shape[: 4 * _WINDOW]))

    def _by_shape(self) -> dict[tuple[str, str, int], list[str]]:
        if self._shapes is None:
            self._shapes = {}
            for identifier in self.ids:
                key = (identifier[:1], identifier[-1:], len(identifier))
                self._shapes.setdefault(key, []).append(identifier)
        return self._shapes

"""Value kinds are classes (issue 18 part 5): each kind of the field table owns binding,
showing, importing, ReqIF, completion; no module tests `spec.kind` strings."""

from __future__ import annotations

from typing import Any

from reqdsl.model.schema import FIELD_SPECS, KIND_FIELDS, FieldSpec
from reqdsl.model.value_kinds import VALUE_KINDS, FieldKind

BEHAVIOURS = ("bind", "html", "describe", "normalise", "writes_bare", "complete", "restorer")


def _specs() -> list[FieldSpec]:
    return [spec for specs in FIELD_SPECS.values() for spec in specs.values()]


def test_every_kind_of_the_field_table_is_a_class_with_every_behaviour() -> None:
    named = {spec.kind for specs in KIND_FIELDS.values() for spec in specs}
    assert named <= set(VALUE_KINDS), named - set(VALUE_KINDS)
    for name in named:
        kind = VALUE_KINDS[name]
        assert isinstance(kind, FieldKind) and type(kind) is not FieldKind
        assert kind.name == name
        for behaviour in BEHAVIOURS:
            assert callable(getattr(kind, behaviour)), (name, behaviour)
        assert kind.reqif_datatype in ("STRING", "ENUMERATION")


def test_every_field_describes_binds_and_completes_through_its_kind() -> None:
    class Nothing:
        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: []

    for spec in _specs():
        kind = spec.value_kind
        assert isinstance(kind, FieldKind), spec.name
        assert kind.describe(spec), spec.name  # no kind is left to a default
        assert kind.bind(spec, []) == ([], [])
        assert kind.complete(spec, Nothing()) == []

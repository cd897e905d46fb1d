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


def _kind_string_tests() -> list[str]:
    """Comparisons of a field spec's `kind` string with something, in reqdsl's sources."""
    import ast
    from pathlib import Path

    import reqdsl

    found = []
    for path in sorted(Path(reqdsl.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for side in (node.left, *node.comparators):
                if (
                    isinstance(side, ast.Attribute)
                    and side.attr == "kind"
                    and isinstance(side.value, ast.Name)
                    and side.value.id == "spec"
                ):
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_module_branches_on_a_value_kind_string() -> None:
    # 51 such comparisons in 12 modules before the kinds became classes.
    assert _kind_string_tests() == []

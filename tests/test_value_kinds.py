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


# ---------------------------------------------------------------- step 2: text blocks

_BLOCKS = '''document D "D" { level: system }
requirement R-1 "Block" {
    statement: """
        The system **shall** log in.
        """
    rationale: "a *string*"
}
'''


def _load(tmp_path: Any, *, use_cache: bool) -> Any:
    from reqdsl.model.project import load_project

    (tmp_path / "d.req").write_text(_BLOCKS, encoding="utf-8")
    return load_project(tmp_path, use_cache=use_cache)


def test_a_value_remembers_it_was_a_text_block_through_the_cache(tmp_path: Any) -> None:
    for _ in range(2):  # the second load reads the parse cache
        requirement = _load(tmp_path, use_cache=True).index["R-1"]
        statement, rationale = requirement.value("statement"), requirement.value("rationale")
        assert statement is not None and rationale is not None
        assert statement.block and not rationale.block


def test_the_site_shows_a_text_block_without_reading_the_source_again(tmp_path: Any) -> None:
    from reqdsl.pipeline import check_project
    from reqdsl.site.context import SiteContext
    from reqdsl.site.diagrams import SiteDiagrams
    from reqdsl.site.junit import test_results as shown_results  # not a test

    (tmp_path / "d.req").write_text(_BLOCKS, encoding="utf-8")
    project, diagnostics, summary = check_project(tmp_path, use_cache=False)
    project.sources.clear()  # what the site knows of a value is in the value
    ctx = SiteContext(project, diagnostics, summary, SiteDiagrams(), shown_results(None))
    requirement = project.index["R-1"]
    statement = ctx.field_text_html("documents/D.md", requirement, "statement")
    assert statement.startswith('<div class="rq-text">') and "<strong>shall</strong>" in statement
    assert ctx.field_text_html("documents/D.md", requirement, "rationale") == "a *string*"


# ---------------------------------------------------------------- step 3: the hot model


def _bench_project(folder: Any, requirements: int) -> Any:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    try:
        from gen import generate
    finally:
        sys.path.pop(0)
    generate(requirements, folder)
    return folder


def _retained(root: Any) -> tuple[int, int]:
    """The bytes a loaded project keeps, and its element count."""
    import gc
    import tracemalloc

    from reqdsl.model.project import load_project

    load_project(root, use_cache=False)  # imports, parsers, classes made once
    gc.collect()
    tracemalloc.start()
    try:
        project = load_project(root, use_cache=False)
        gc.collect()
        current, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current, len(project.elements)


def test_elements_are_light_slotted_objects(tmp_path: Any) -> None:
    from pydantic import BaseModel

    requirement = _load(tmp_path, use_cache=False).index["R-1"]
    assert not isinstance(requirement, BaseModel)
    assert not hasattr(requirement, "__dict__")
    assert requirement.word("statement") is not None and requirement.refs("tags") == []


def test_an_element_costs_under_6_kb_of_loaded_project(tmp_path: Any) -> None:
    # The growth from 1,000 to 2,000 requirements (sources, syntax-free model, index,
    # graph), so the fixed cost of a project (catalogues, parsers) does not count:
    # 7.1 KB per element with pydantic models (a __dict__ and a fields-set each), 5.3 KB
    # slotted.
    small, small_count = _retained(_bench_project(tmp_path / "small", 1000))
    large, large_count = _retained(_bench_project(tmp_path / "large", 2000))
    per_element = (large - small) / (large_count - small_count)
    assert per_element < 6_200, per_element

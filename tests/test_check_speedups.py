"""Shortcuts taken for speed in the checks must give what the plain way gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40))
def test_cycle_prefilter_keeps_every_cycle(pairs: list[tuple[int, int]]) -> None:
    """SM006 hands networkx only the edges left after peeling nodes without incoming
    edges: the strongly connected components that are cycles must be the same."""
    import networkx as nx

    from reqdsl.checks.semantic import _on_or_after_cycles

    edges: dict[str, list[str]] = {}
    for source, target in pairs:
        edges.setdefault(f"n{source}", []).append(f"n{target}")

    def cycles(graph: nx.DiGraph) -> set[frozenset[str]]:
        return {
            frozenset(c)
            for c in nx.strongly_connected_components(graph)
            if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))
        }

    full = nx.DiGraph([(s, t) for s, targets in edges.items() for t in targets])
    assert cycles(nx.DiGraph(_on_or_after_cycles(edges))) == cycles(full)

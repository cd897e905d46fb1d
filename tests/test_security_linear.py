"""Security review, issue 16: work and memory linear in the input (findings 6, 7 and 13).

Each test measures growth rather than wall time (the machine is loaded): four times
the input must take well under sixteen times as long (`growth`), and memory peaks are
taken with tracemalloc. The inputs are small enough that the quadratic or cubic code
these tests were written against fails them in a few seconds.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from reqdsl.checks.quality import is_ears
from reqdsl.model.project import load_project

HEADER = 'document D "d" { level: software }\n'


def _seconds(work: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    return time.perf_counter() - start


def growth(small: Callable[[], object], large: Callable[[], object]) -> float:
    """How many times longer `large` (four times the input of `small`) takes: about 4
    for linear work, 16 for quadratic, 64 for cubic; tests ask for less than 8. Each is
    repeated until a round takes 20 ms, and the best of five rounds, taken in turns,
    counts, so that timer noise and a busy machine do not decide the ratio."""
    repeat = 1
    while _seconds(small, repeat) < 0.02:
        repeat *= 2
    best_small = best_large = float("inf")
    for _ in range(5):
        best_small = min(best_small, _seconds(small, repeat))
        best_large = min(best_large, _seconds(large, repeat))
    return best_large / best_small


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------------- finding 6: EARS
def test_ears_classification_is_linear_in_a_statement_full_of_commas() -> None:
    # Cubic before: 0.07 s for 1.8 KB, 0.43 s for 3.6 KB, 28 s for 15 KB.
    def statement(n: int) -> str:
        return "While shall a" + ", if b, then the c" * n

    small, large = statement(50), statement(200)
    assert growth(lambda: is_ears(small), lambda: is_ears(large)) < 8
    assert not is_ears(statement(20_000))  # 360 KB: a few milliseconds now


def test_ears_event_pattern_is_linear() -> None:
    # Quadratic before: each `, the` tried the lookahead for a "shall" to the end.
    def statement(n: int) -> str:
        return "When a" + ", the b" * n

    small, large = statement(1_000), statement(4_000)
    assert growth(lambda: is_ears(small), lambda: is_ears(large)) < 8
    assert not is_ears(statement(100_000))
    assert is_ears(statement(100_000) + " shall c")


# ---------------------------------------------------------------------- finding 7: nesting
def _nested(folder: Path, depth: int) -> Path:
    folder.mkdir()
    text = (
        HEADER
        + 'section "s" {\n' * depth
        + 'requirement R "r" { statement: "The x shall y." verification: test }\n'
        + "}\n" * depth
    )
    (folder / "deep.req").write_text(text, encoding="utf-8")
    return folder


def test_memory_is_linear_in_section_nesting(tmp_path: Path) -> None:
    # Quadratic before: each level copied the list of titles around it (1.7 GB for
    # 20,000 levels, 320 KB of input; 28 MB and 308 MB here).
    small = _nested(tmp_path / "small", 2_000)
    large = _nested(tmp_path / "large", 8_000)
    small_peak = peak_bytes(lambda: load_project(small, use_cache=False))
    project: list[object] = []
    large_peak = peak_bytes(lambda: project.append(load_project(large, use_cache=False)))
    assert large_peak < 6 * small_peak, (small_peak, large_peak)  # 11 MB, 36 MB now
    requirement = project[0].index["R"]  # type: ignore[attr-defined]
    assert requirement.section == ["s"] * 8_000 and len(requirement.section) == 8_000
    # The parse cache keeps the shared links (one pickled link per level, no recursion).
    for _ in range(2):  # the second load reads the cache entry the first one wrote
        cached = load_project(large).index["R"]
        assert cached.section == ["s"] * 8_000

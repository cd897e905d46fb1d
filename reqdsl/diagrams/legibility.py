"""How legible a rendered diagram is on the page: measured on the SVG PlantUML wrote.

A site shows a diagram as an `<img>` no wider than the content column (688 px in Material
at a 1366 px window), so a 3,882 px wide diagram is drawn at 18 % of its size and its
13 px labels come out at 2.3 px. This module reads an SVG and says:

- its size, and the scale at which a column of a given width draws it (never above 1:
  an image is not enlarged);
- the effective font size of its smallest label at that scale;
- which text labels overlap each other (`verifies` on top of `addresses`);
- whether an edge is drawn through the diagram's title or caption.

Text boxes come from the SVG itself: PlantUML gives every `<text>` its `x`, baseline `y`,
`font-size` and `textLength` (the advance width it measured with the bundled DejaVu
fonts), so no font has to be loaded here. The vertical extent is the font's ascent and
descent as fractions of its size. Parsing is defusedxml's (no DTD, no entity).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

# Material for MkDocs' content column at a 1366 px window (measured in headless
# Chromium on the clinic sample's threat register: `.md-content__inner` is 688 px wide).
COLUMN_PX = 688.0
# Glyph extent above and below the baseline, as a fraction of the font size: DejaVu
# Sans' ascenders (0.76) and descenders (0.24), rounded in, so that two lines PlantUML
# sets one under the other (15 px apart at 13 px) never count as overlapping.
_ASCENT = 0.74
_DESCENT = 0.2
# Overlaps smaller than this (px, both ways) are anti-aliasing, not a collision.
_SLACK = 0.5
_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MmLlCcHhVvAaZzQqSsTt]")
_CURVE_STEPS = 12


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float

    def overlaps(self, other: Box) -> bool:
        return (
            min(self.right, other.right) - max(self.left, other.left) > _SLACK
            and min(self.bottom, other.bottom) - max(self.top, other.top) > _SLACK
        )

    def crossed_by(self, start: tuple[float, float], end: tuple[float, float]) -> bool:
        """Does the segment start-end pass through this box (Liang-Barsky clipping)?"""
        (x0, y0), (x1, y1) = start, end
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - self.left),
            (dx, self.right - x0),
            (-dy, y0 - self.top),
            (dy, self.bottom - y0),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


@dataclass
class Legibility:
    width: float
    height: float
    column: float
    labels: int
    smallest_font: float  # px, in the SVG
    overlaps: list[tuple[str, str]] = field(default_factory=list)
    title_crossings: int = 0  # edge segments drawn through the title or caption

    @property
    def scale(self) -> float:
        return min(1.0, self.column / self.width) if self.width > 0 else 1.0

    @property
    def effective_font(self) -> float:
        """The smallest label's size in CSS px as the page draws it."""
        return self.smallest_font * self.scale

    @property
    def rendered_width(self) -> float:
        return self.width * self.scale


def _text_of(element: Element) -> str:
    return "".join(element.itertext())


def _box(element: Element) -> Box | None:
    try:
        x = float(element.get("x", "0"))
        y = float(element.get("y", "0"))
        size = float(element.get("font-size", "14"))
    except ValueError:
        return None
    text = _text_of(element)
    if not text.strip():
        return None
    try:
        width = float(element.get("textLength", ""))
    except ValueError:
        width = 0.6 * size * len(text)  # no measured width: an average glyph
    return Box(text, x, y - _ASCENT * size, x + width, y + _DESCENT * size, size)


def _points(path: str) -> list[list[tuple[float, float]]]:
    """The polylines a PlantUML edge path draws (`M`, `L`, `C` absolute, as PlantUML
    writes them; curves sampled). Other commands end the current polyline."""
    lines: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    tokens = re.findall(rf"{_COMMAND.pattern}|{_NUMBER.pattern}", path)
    command = ""
    numbers: list[float] = []

    def flush() -> None:
        nonlocal current
        if command == "M" and len(numbers) >= 2:
            if len(current) > 1:
                lines.append(current)
            current = [(numbers[0], numbers[1])]
        elif command == "L":
            current.extend(zip(numbers[0::2], numbers[1::2], strict=False))
        elif command == "C" and current:
            for i in range(0, len(numbers) - 5, 6):
                p0 = current[-1]
                p1, p2, p3 = (
                    (numbers[i], numbers[i + 1]),
                    (numbers[i + 2], numbers[i + 3]),
                    (
                        numbers[i + 4],
                        numbers[i + 5],
                    ),
                )
                for step in range(1, _CURVE_STEPS + 1):
                    t = step / _CURVE_STEPS
                    u = 1 - t
                    current.append(
                        tuple(  # type: ignore[arg-type]
                            u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                            for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                        )
                    )

    for token in tokens:
        if _COMMAND.fullmatch(token):
            flush()
            command, numbers = token, []
            if command not in "MLC" and len(current) > 1:
                lines.append(current)
                current = []
        else:
            numbers.append(float(token))
    flush()
    if len(current) > 1:
        lines.append(current)
    return lines


Point = tuple[float, float]


def _segments(group: Element) -> list[tuple[Point, Point]]:
    found: list[tuple[Point, Point]] = []
    for element in group.iter():
        if element.tag == f"{_SVG}path":
            for line in _points(element.get("d", "")):
                found.extend(itertools.pairwise(line))
        elif element.tag == f"{_SVG}line":
            try:
                coords = [float(element.get(k, "0")) for k in ("x1", "y1", "x2", "y2")]
            except ValueError:
                continue
            found.append(((coords[0], coords[1]), (coords[2], coords[3])))
    return found


def _size(root: Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "").split()
    if len(box) == 4:
        return float(box[2]), float(box[3])
    return float(root.get("width", "0").rstrip("px")), float(root.get("height", "0").rstrip("px"))


def measure(svg: str, column: float = COLUMN_PX) -> Legibility:
    """The legibility of one SVG drawn in a column `column` px wide."""
    root = fromstring(svg, forbid_dtd=True)
    width, height = _size(root)
    boxes: list[Box] = []
    framing: list[Box] = []  # the title and caption
    edges = []
    for group in root.iter(f"{_SVG}g"):
        kind = (group.get("class") or "").split()
        if "title" in kind or "caption" in kind:
            framing.extend(b for t in group.iter(f"{_SVG}text") if (b := _box(t)) is not None)
        if "link" in kind:
            edges.extend(_segments(group))
    for text in root.iter(f"{_SVG}text"):
        found = _box(text)
        if found is not None:
            boxes.append(found)
    result = Legibility(
        width=width,
        height=height,
        column=column,
        labels=len(boxes),
        smallest_font=min((b.size for b in boxes), default=0.0),
    )
    result.overlaps = _overlapping(boxes)
    result.title_crossings = sum(
        1 for box in framing for start, end in edges if box.crossed_by(start, end)
    )
    return result


def _overlapping(boxes: list[Box]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap; a sweep over the left edges keeps this near
    linear for the thousands of labels of a large graph."""
    ordered = sorted(boxes, key=lambda b: b.left)
    found: list[tuple[str, str]] = []
    active: list[Box] = []
    for box in ordered:
        active = [other for other in active if other.right > box.left + _SLACK]
        found.extend((other.text, box.text) for other in active if other.overlaps(box))
        active.append(box)
    return found


__all__ = ["COLUMN_PX", "Box", "Legibility", "measure"]

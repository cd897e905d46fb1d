"""The fonts PlantUML measures text with, shipped with reqdsl.

Java's font manager on Linux asks fontconfig for fonts; on a machine without fontconfig
or without fonts (a slim container, a CI image) it stops with "Fontconfig head is null".
Java also reads a `fontconfig.properties` file named by `-Dsun.awt.fontconfig=`, mapping
its logical fonts (SansSerif, Monospaced, ...) to font files. We write one that maps every
logical font to the DejaVu fonts in `fonts/`, so that Java needs nothing from the system,
and so that text is measured with the same metrics on every machine.

Italic maps to the upright face: DejaVu Sans Oblique has the same advance widths, so
layout is unchanged (the SVG still says italic and the browser draws it so); likewise
bold monospace maps to the regular monospace face.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Face name -> file in FONT_DIR.
FACES = {
    "DejaVu Sans": "DejaVuSans.ttf",
    "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
    "DejaVu Sans Mono": "DejaVuSansMono.ttf",
}
_PROPORTIONAL = {
    "plain": "DejaVu Sans",
    "bold": "DejaVu Sans Bold",
    "italic": "DejaVu Sans",
    "bolditalic": "DejaVu Sans Bold",
}
_LOGICAL = {
    "serif": _PROPORTIONAL,
    "sansserif": _PROPORTIONAL,
    "dialog": _PROPORTIONAL,
    "monospaced": dict.fromkeys(_PROPORTIONAL, "DejaVu Sans Mono"),
    "dialoginput": dict.fromkeys(_PROPORTIONAL, "DejaVu Sans Mono"),
}


def missing_fonts(font_dir: Path = FONT_DIR) -> list[str]:
    """Font files that should ship with reqdsl but are not there."""
    return [name for name in FACES.values() if not (font_dir / name).is_file()]


def _property_value(text: str) -> str:
    """A Java .properties value: backslashes doubled (Windows paths), anything outside
    Latin-1 as \\uXXXX (the file is read as ISO 8859-1)."""
    out = []
    for char in text.replace("\\", "\\\\"):
        out.append(char if ord(char) < 0x80 else f"\\u{ord(char):04x}")
    return "".join(out)


def fontconfig_properties(font_dir: Path = FONT_DIR) -> str:
    lines = ["# written by reqdsl: Java's logical fonts -> the DejaVu fonts shipped with it",
             "version=1", "sequence.allfonts=default"]  # fmt: skip
    for logical, styles in _LOGICAL.items():
        for style, face in styles.items():
            lines.append(f"{logical}.{style}.default={face}")
    for face, file_name in FACES.items():
        path = _property_value(str((font_dir / file_name).resolve()))
        lines.append(f"filename.{face.replace(' ', '_')}={path}")
    return "\n".join(lines) + "\n"


def write_fontconfig(folder: Path, font_dir: Path = FONT_DIR) -> Path:
    path = folder / "fontconfig.properties"
    path.write_text(fontconfig_properties(font_dir), encoding="latin-1")
    return path


@lru_cache(maxsize=4)
def fonts_digest(font_dir: Path = FONT_DIR) -> str:
    """A hash of the font files: new fonts mean new text metrics, so new SVGs."""
    digest = hashlib.sha256()
    for name in sorted(FACES.values()):
        path = font_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()

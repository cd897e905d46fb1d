"""Renderings of diagnostics: text for terminals, JSON, and SARIF for code-scanning services."""

from .json_report import render_json
from .sarif import render_sarif
from .text import render_text, use_color

__all__ = ["render_json", "render_sarif", "render_text", "use_color"]

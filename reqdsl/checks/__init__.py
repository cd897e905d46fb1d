"""Checks: the rule families (one module each) and the framework that runs them."""

from __future__ import annotations

import importlib

RULE_MODULES = (
    "syntax",
    "config",
    "semantic",
    "quality",
    "trace",
    "gdpr",
    "iso27001",
    "threat",
    "decisions",
    "reviews",
)

_loaded = False


def load_rule_modules() -> None:
    """Import every family once so that its rules register themselves."""
    global _loaded
    if _loaded:
        return
    for name in RULE_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    _loaded = True

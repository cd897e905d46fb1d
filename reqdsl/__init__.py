"""reqdsl: requirements, compliance and threat models in one checked, traced model."""

__version__ = "0.1.0"
LANGUAGE_VERSION = "1.1"

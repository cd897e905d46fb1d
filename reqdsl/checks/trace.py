"""Rules of this family are being written; see reqdsl/checks/registry.py."""


def compute_coverage(project: object) -> dict[str, float] | None:
    """Placeholder until the trace family lands: no figures yet."""
    return None

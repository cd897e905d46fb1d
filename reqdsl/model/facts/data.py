"""Personal-data facts: which data elements are personal, which are transferred, and the
GDPR articles that stand for consent and for a transfer's safeguard. The GD and TM rules
check them; the GDPR and STRIDE reports show them.
"""

from __future__ import annotations

from ..elements import ModelElement

PERSONAL_CATEGORIES = ("personal", "special")
CONSENT = ("gdpr", "6(1)(a)")
TRANSFER_ARTICLES = tuple(f"gdpr:{article}" for article in range(44, 50))


def is_personal(element: ModelElement | None) -> bool:
    """True for a data element whose `category` is personal or special."""
    return (
        element is not None
        and element.kind == "data"
        and element.word("category") in PERSONAL_CATEGORIES
    )


def is_transferred(element: ModelElement) -> bool:
    """A `transfer` is written and is not `none` (GD006's reading; the GDPR report's too)."""
    transfer = element.value("transfer")
    return transfer is not None and transfer.raw.strip().lower() != "none"

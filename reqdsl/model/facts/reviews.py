"""Review facts: which outcomes of a review approve what it covers. The RV rules check
approvals against them; the validation page and `reqdsl review` show and stamp them."""

from __future__ import annotations

APPROVING_OUTCOMES = ("approved", "approved-with-changes")

"""The likelihood x impact risk matrix of the threat register.

Both ratings take the four values of the language (low, medium, high, critical), scored 1
to 4. A threat's risk score is likelihood x impact (1 to 16) and its level:

| likelihood \\ impact | low    | medium | high     | critical |
|---------------------|--------|--------|----------|----------|
| low                 | low    | low    | medium   | medium   |
| medium              | low    | medium | high     | high     |
| high                | medium | high   | high     | critical |
| critical            | medium | high   | critical | critical |

that is, score 1-2 low, 3-4 medium, 6-9 high, 12-16 critical. The matrix is symmetric:
a likely nuisance ranks as an unlikely disaster. A threat missing either rating (or with
an invalid one, SM004) has no risk level ("unrated").
"""

from __future__ import annotations

from ..model.schema import RATINGS

RATING_SCORE = {rating: score for score, rating in enumerate(RATINGS, 1)}
RISK_LEVELS = ("low", "medium", "high", "critical")
# Highest score of each level, lowest level first.
_THRESHOLDS = ((2, "low"), (4, "medium"), (9, "high"), (16, "critical"))


def risk_score(likelihood: str | None, impact: str | None) -> int | None:
    if likelihood not in RATING_SCORE or impact not in RATING_SCORE:
        return None
    return RATING_SCORE[likelihood] * RATING_SCORE[impact]


def level_of(score: int) -> str:
    for highest, level in _THRESHOLDS:
        if score <= highest:
            return level
    raise ValueError(f"risk score {score} is outside 1 to 16")


def risk_level(likelihood: str | None, impact: str | None) -> str | None:
    """The risk level of a threat rated `likelihood` x `impact`, or None if unrated."""
    score = risk_score(likelihood, impact)
    return level_of(score) if score is not None else None

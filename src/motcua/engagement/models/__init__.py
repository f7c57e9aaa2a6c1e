"""Models of engagement, one module per subject: ``ratings`` (đánh giá mức độ hài lòng); petitions,
dialogues and consultations take their own modules beside it."""

from .ratings import (
    CRITERION_FIELDS,
    CRITERION_QUESTIONS,
    MAX_SCORE,
    MIN_SCORE,
    SATISFIED_FROM,
    DossierRating,
    RatingCriterion,
    Score,
)

__all__ = [
    "CRITERION_FIELDS",
    "CRITERION_QUESTIONS",
    "MAX_SCORE",
    "MIN_SCORE",
    "SATISFIED_FROM",
    "DossierRating",
    "RatingCriterion",
    "Score",
]

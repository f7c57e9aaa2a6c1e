"""Writes of engagement, one module per subject: ``ratings`` (đánh giá mức độ hài lòng), the package
``petitions`` (phản ánh, kiến nghị: ``from motcua.engagement.services import petitions``), the package
``dialogues`` (đối thoại trực tuyến: ``from motcua.engagement.services import dialogues``); consultations
take their own beside them. Errors: ValidationError by field for bad
input (400), ``ActionRefused`` (dossiers') for the wrong moment (409), PermissionDenied for the wrong
person (403)."""

from .ratings import (
    COMMENT_MAX_LENGTH,
    RATING_ANCHOR,
    SCORE_INVALID,
    SCORE_REQUIRED,
    AlreadyRated,
    clean_rating,
    invite_to_rate,
    rate_dossier,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "RATING_ANCHOR",
    "SCORE_INVALID",
    "SCORE_REQUIRED",
    "AlreadyRated",
    "clean_rating",
    "invite_to_rate",
    "rate_dossier",
]

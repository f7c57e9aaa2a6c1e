"""Models of engagement, one module per subject: ``ratings`` (đánh giá mức độ hài lòng), ``petitions``
(phản ánh, kiến nghị); dialogues and consultations take their own modules beside them."""

from .consultations import (
    CommentStatus,
    Consultation,
    ConsultationAction,
    ConsultationArticle,
    ConsultationComment,
    ConsultationEvent,
    ConsultationPhase,
)
from .petitions import (
    OPEN_STATUSES,
    Petition,
    PetitionAction,
    PetitionAttachment,
    PetitionCategory,
    PetitionEvent,
    PetitionKind,
    PetitionSequence,
    PetitionStatus,
    PetitionTerm,
)
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
    "OPEN_STATUSES",
    "SATISFIED_FROM",
    "CommentStatus",
    "Consultation",
    "ConsultationAction",
    "ConsultationArticle",
    "ConsultationComment",
    "ConsultationEvent",
    "ConsultationPhase",
    "DossierRating",
    "Petition",
    "PetitionAction",
    "PetitionAttachment",
    "PetitionCategory",
    "PetitionEvent",
    "PetitionKind",
    "PetitionSequence",
    "PetitionStatus",
    "PetitionTerm",
    "RatingCriterion",
    "Score",
]

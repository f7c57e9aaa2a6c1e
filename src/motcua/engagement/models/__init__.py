"""Models of engagement, one module per subject: ``ratings`` (đánh giá mức độ hài lòng), ``petitions``
(phản ánh, kiến nghị), ``dialogues`` (đối thoại trực tuyến); consultations take their own module beside
them."""

from .dialogues import (
    DialogueAction,
    DialogueCommitment,
    DialogueEvent,
    DialogueLeader,
    DialogueQuestion,
    DialogueSession,
    QuestionStatus,
    SessionStatus,
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
    "DialogueAction",
    "DialogueCommitment",
    "DialogueEvent",
    "DialogueLeader",
    "DialogueQuestion",
    "DialogueSession",
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
    "QuestionStatus",
    "RatingCriterion",
    "Score",
    "SessionStatus",
]

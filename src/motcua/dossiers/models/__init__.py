"""The models of dossiers, one module per subject: ``dossier`` (the dossier and its closed sets of values),
``record`` (its files, history, supplement requests, comments, warnings, apology letters), ``workflow``
(workflows and the steps a dossier went through), ``numbering`` (code and result sequences, idempotency
keys). Everything is importable from here, as Django and the migrations name it."""

from motcua.core.storage import private_storage  # named by migrations as dossiers.models.private_storage

from .dossier import (
    FINAL_STATUSES,
    FINISHED_STATUSES,
    ApplicantKind,
    Dossier,
    DossierAction,
    DossierStatus,
    Outcome,
    ResultDelivery,
    Timeliness,
)
from .numbering import CodeSequence, IdempotencyKey, ResultSequence
from .record import (
    ApologyLetter,
    Attachment,
    AttachmentSource,
    DeadlineWarning,
    DossierComment,
    DossierEvent,
    SupplementRequest,
    WarningKind,
    attachment_path,
)
from .workflow import BudgetUnit, DossierStep, StepKind, StepRole, SupplementClock, Workflow, WorkflowStep

__all__ = [
    "FINAL_STATUSES",
    "FINISHED_STATUSES",
    "ApologyLetter",
    "ApplicantKind",
    "Attachment",
    "AttachmentSource",
    "BudgetUnit",
    "CodeSequence",
    "DeadlineWarning",
    "Dossier",
    "DossierAction",
    "DossierComment",
    "DossierEvent",
    "DossierStatus",
    "DossierStep",
    "IdempotencyKey",
    "Outcome",
    "ResultDelivery",
    "ResultSequence",
    "StepKind",
    "StepRole",
    "SupplementClock",
    "SupplementRequest",
    "Timeliness",
    "WarningKind",
    "Workflow",
    "WorkflowStep",
    "attachment_path",
    "private_storage",
]

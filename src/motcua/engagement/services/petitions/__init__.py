"""Writes of petitions and feedback (phản ánh, kiến nghị), by subject: ``sending`` (a person sends one),
``handling`` (the reception routes, declines, merges; an agency gives it out), ``answers`` (drafted,
approved and sent; the sender's satisfaction), ``publication`` (published without personal data)."""

from .answers import approve_answer, propose_answer, rate_answer, send_back
from .handling import assign, decline, merge, return_to_reception, route
from .publication import publish, unpublish
from .sending import (
    MAX_ATTACHMENTS,
    TooManyPetitions,
    allocate_code,
    delete_orphan_files,
    format_code,
    send_petition,
)

__all__ = [
    "MAX_ATTACHMENTS",
    "TooManyPetitions",
    "allocate_code",
    "approve_answer",
    "assign",
    "decline",
    "delete_orphan_files",
    "format_code",
    "merge",
    "propose_answer",
    "publish",
    "rate_answer",
    "return_to_reception",
    "route",
    "send_back",
    "send_petition",
    "unpublish",
]

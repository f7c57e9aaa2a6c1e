"""What a caller reads of a petition through the API (``GET /api/v1/petitions/{code}/`` and the answers of
its actions and rating): the public record of ``selectors.petitions.public_record``, for anyone holding
the code; the sender's own part (``own``) for its signed-in sender; the full record (``officer``) for an
officer who may open it. Decided by ``rules``; shaped by ``petition_serializers.PetitionRecordSerializer``.
"""

from django.urls import reverse
from django.utils import timezone

from . import deadlines, rules
from .models import Petition
from .petition_serializers import PetitionRecordSerializer, person
from .selectors import petitions as selectors


def _agency(agency) -> dict | None:
    return {"code": agency.code, "slug": agency.slug, "name": agency.name} if agency else None


def _attachments(petition: Petition) -> list[dict]:
    return [
        {
            "id": row.pk, "name": row.original_name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256,
            "url": reverse("api:petition-attachment", kwargs={"code": petition.code, "attachment": row.pk}),
        }
        for row in petition.attachments.all()
    ]  # fmt: skip


def _own_part(petition: Petition, user) -> dict:
    """The sender's: what they wrote, the answer once approved (a draft is never theirs to read), a reason
    for not accepting it, and their word on the answer."""
    return {
        "subject": petition.subject,
        "content": petition.content,
        "answer": petition.answer if petition.answered_by_id else "",
        "decline_reason": petition.decline_reason,
        "satisfied": petition.satisfied,
        "satisfaction_comment": petition.satisfaction_comment,
        "rated_at": petition.rated_at,
        "may_rate": rules.may_rate_answer(petition, user),
        "attachments": _attachments(petition),
    }


def _officer_part(petition: Petition, user) -> dict:
    steps = [
        {
            "action": e.action, "action_label": e.get_action_display(), "at": e.at,
            "from_status": e.from_status, "to_status": e.to_status, "agency": _agency(e.agency),
            "actor": person(e.actor), "note": e.note,
        }
        for e in selectors.events(petition)
    ]  # fmt: skip
    procedure = petition.procedure
    return {
        "subject": petition.subject,
        "content": petition.content,
        "procedure": {"code": procedure.code, "name": procedure.name} if procedure else None,
        "dossier_code": petition.dossier_code,
        "about_agency": _agency(petition.about_agency),
        "regulation": petition.regulation,
        "agency": _agency(petition.agency),
        "sender": {
            "account": petition.sender.get_username() if petition.sender_id else None,
            "name": petition.sender_name,
            "email": petition.sender_email,
            "phone": petition.sender_phone,
        },
        "consent_to_publish": petition.consent_to_publish,
        "handler": person(petition.handler),
        "answer": petition.answer,
        "answered_by": person(petition.answered_by),
        "decline_reason": petition.decline_reason,
        "satisfied": petition.satisfied,
        "satisfaction_comment": petition.satisfaction_comment,
        "rated_at": petition.rated_at,
        "overdue": deadlines.is_overdue(petition, timezone.now()),
        "steps": steps,
        "attachments": _attachments(petition),
        "actions": rules.petition_actions_for(petition, user),
    }


def record(petition: Petition, user, *, officer: bool | None = None) -> dict:
    """The public record, with the sender's own part for the sender and the full record for an officer who
    may open it (``officer``: already known)."""
    found = selectors.public_record(petition)
    if rules.is_sender(petition, user):
        found["own"] = _own_part(petition, user)
    if officer is None:
        officer = rules.may_open_petition(petition, user)
    if officer:
        found["officer"] = _officer_part(petition, user)
    return PetitionRecordSerializer(found).data

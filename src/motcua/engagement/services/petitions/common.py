"""What every write of a petition shares: the row locked and checked against ``rules``, the step recorded
(who, when, why) with the audit entry, the sender told, and text cleaned the same way everywhere."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.dossiers.services import ActionRefused
from motcua.notifications import services as notifications

from ... import rules
from ...models import Petition, PetitionAction, PetitionEvent, PetitionStatus

NOTE_LENGTH = 2000
ANSWER_LENGTH = 10000
TRACKING_PATH = "/phan-anh-kien-nghi/tra-cuu/?ma={code}"  # the portal's tracking page, the code filled in


def clean_text(text, *, field: str, low: int, high: int, errors: dict | None = None) -> str:
    """``text`` without surrounding spaces, between ``low`` and ``high`` characters, without NUL; a message
    for ``field`` in ``errors`` (or a ValidationError when no ``errors`` is given) otherwise."""
    message = None
    if text is not None and not isinstance(text, str):
        message, text = _("Write it as text."), ""
    text = (text or "").strip()
    if message:
        pass
    elif "\x00" in text:
        message = _("The text contains a character that is not allowed.")
    elif len(text) < low:
        message = (
            _("This is required.") if not text else _("Write at least %(low)s characters.") % {"low": low}
        )
    elif len(text) > high:
        message = _("At most %(high)s characters (this has %(count)s).") % {"high": high, "count": len(text)}
    if message:
        if errors is None:
            raise ValidationError({field: [message]})
        errors.setdefault(field, []).append(message)
    return text


def locked(petition: Petition) -> Petition:
    """The petition's row, locked until the caller's transaction ends: two officers act in turn."""
    return Petition.objects.select_for_update().select_related("agency").get(pk=petition.pk)


def check(petition: Petition, action: str, by) -> None:
    """Refuse the wrong moment (409) before the wrong person (403), as dossiers do."""
    if not rules.petition_action_possible(petition, action):
        raise ActionRefused(
            _("This cannot be done while the petition is “%(status)s”.")
            % {"status": PetitionStatus(petition.status).label}
        )
    if not rules.petition_action_allowed(petition, action, by):
        raise PermissionDenied(_("You may not do this to this petition."))


def record(petition: Petition, action: str, *, by, from_status: str, note: str = "") -> PetitionEvent:
    """The step, as the petition now stands (status, agency in charge)."""
    return PetitionEvent.objects.create(
        petition=petition, action=action, from_status=from_status, to_status=petition.status,
        agency_id=petition.agency_id, actor=by, at=timezone.now(), note=note,
    )  # fmt: skip


def step(petition: Petition, action: str, *, by, from_status: str, note: str = "", request=None, **detail):
    """Save what changed, record the step and the audit entry (``petition.<action>``)."""
    petition.save()
    record(petition, action, by=by, from_status=from_status, note=note)
    audit.record(
        f"petition.{action}", actor=by, request=request, target=petition, target_label=petition.code,
        to_status=petition.status, agency=petition.agency_id, **detail,
    )  # fmt: skip
    return petition


def tell_sender(petition: Petition, template: str):
    """Write to the sender (inbox, e-mail, SMS as ``notify`` chooses), after the commit; nothing for an
    anonymous sender who left no way to reach them."""
    if petition.sender_id is None and not (petition.sender_email or petition.sender_phone):
        return None
    return notifications.notify(
        topic=f"engagement.{template}",
        template=template,
        context=notification_context(petition),
        recipient=petition.sender,
        email=petition.sender_email,
        phone=petition.sender_phone,
        subject=petition,
        link=TRACKING_PATH.format(code=petition.code),
    )


def notification_context(petition: Petition) -> dict:
    return {
        "code": petition.code,
        "subject": petition.subject,
        "kind": petition.get_kind_display(),
        "status": petition.get_status_display(),
        "received_at": petition.received_at,
        "due_at": petition.due_at,
        "agency": petition.agency.name,
        "answer": petition.answer if petition.status == PetitionStatus.ANSWERED else "",
        "decline_reason": petition.decline_reason,
        "sender_name": petition.sender_name,
    }


__all__ = ["PetitionAction", "check", "clean_text", "locked", "record", "step", "tell_sender"]

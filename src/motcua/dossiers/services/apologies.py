"""Apology letters (form 04, thư xin lỗi và hẹn lại ngày trả kết quả): drafted by the deadline watch for a
late dossier with a new date from its clock, completed and sent by a leader. Lateness is still counted:
``due_at`` never moves; the new appointment is ``promised_at``."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit

from .. import clock, rules
from ..models import ApologyLetter, Dossier
from .errors import ActionRefused, invalid, require
from .lifecycle import record_history, tell_applicant


def draft_apology(dossier: Dossier, now: datetime) -> ApologyLetter | None:
    """A draft apology for a late dossier, dated by its clock; None when one is already waiting to be sent."""
    if dossier.apology_letters.filter(sent_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            return ApologyLetter.objects.create(dossier=dossier, new_due_at=clock.apology_date(dossier, now))
    except IntegrityError:  # drafted at the same moment by another run of the watch
        return None


@transaction.atomic
def send_apology(letter: ApologyLetter, *, by, reason: str, new_due_at: datetime | None = None, request=None):
    """A leader sends the apology letter (form 04) of a late dossier: the reason and the new appointment,
    by e-mail to an online applicant. ``due_at`` does not move: the dossier is still counted late."""
    reason = require(reason, "reason", _("Give the reason for the delay: the applicant reads it."))
    letter = ApologyLetter.objects.select_for_update().select_related("dossier").get(pk=letter.pk)
    dossier = letter.dossier
    if letter.sent_at is not None:
        raise ActionRefused(_("This apology letter has already been sent."))
    if not rules.may_send_apology(dossier, by):
        raise PermissionDenied(_("A leader of the agency holding the dossier sends its apology letter."))
    now = timezone.now()
    new_due_at = new_due_at or letter.new_due_at
    if new_due_at <= now:
        raise invalid("new_due_at", _("The new appointment must be in the future."))
    letter.reason, letter.new_due_at, letter.sent_at, letter.sent_by = reason, new_due_at, now, by
    letter.save()
    Dossier.objects.filter(pk=dossier.pk).update(promised_at=new_due_at, version=dossier.version + 1)
    dossier.promised_at = new_due_at
    record_history(
        dossier, action="apologise", by=by, from_status=dossier.status, note=reason,
        new_due_at=new_due_at.isoformat(),
    )  # fmt: skip
    tell_applicant(
        dossier,
        topic="dossier.apology",
        template="dossier_apology",
        context={"reason": reason, "new_due_at": new_due_at},
        attachments=[["dossier.slip", [dossier.pk, "apology", letter.pk]]],
    )
    audit.record("dossier.apologise", actor=by, request=request, target=dossier, target_label=dossier.code)
    return letter

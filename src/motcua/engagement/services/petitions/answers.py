"""Trả lời phản ánh, kiến nghị: a handler (or a leader) of the agency in charge drafts the answer, a leader of
that agency approves it (ký duyệt) or sends it back with what to change; the approved answer goes to the
sender, and to the senders of the duplicates merged into it. The sender then says once whether the answer
satisfies them. Whether it came in time is decided by ``deadlines`` when the leader approves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.dossiers.services import ActionRefused

from ... import deadlines, rules
from ...models import Petition, PetitionAction, PetitionStatus
from .common import ANSWER_LENGTH, NOTE_LENGTH, check, clean_text, locked, record, step, tell_sender

A = PetitionAction
S = PetitionStatus


def propose_answer(petition: Petition, *, answer: str, by, request=None) -> Petition:
    """Dự thảo trả lời: the answer as drafted, for a leader of the agency in charge to approve. The one who
    drafts it becomes its handler."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.PROPOSE_ANSWER, by)
        row.answer = clean_text(answer, field="answer", low=20, high=ANSWER_LENGTH)
        row.status, row.handler = S.AWAITING_APPROVAL, by
        return step(row, A.PROPOSE_ANSWER, by=by, from_status=S.IN_HAND, request=request)


def send_back(petition: Petition, *, by, note: str, request=None) -> Petition:
    """Trả lại dự thảo: the leader says what to change (required); the draft stays for its handler."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.SEND_BACK, by)
        note = clean_text(note, field="note", low=5, high=NOTE_LENGTH)
        row.status = S.IN_HAND
        return step(row, A.SEND_BACK, by=by, from_status=S.AWAITING_APPROVAL, note=note, request=request)


def approve_answer(petition: Petition, *, by, answer: str | None = None, request=None) -> Petition:
    """Ký duyệt và gửi trả lời: the leader approves the draft (``answer``: as they edited it, else as
    drafted). The petition is answered now, on time or not by its due time; the answer is sent to its
    sender and to each duplicate's sender, whose petitions end with the same answer."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.APPROVE_ANSWER, by)
        if answer is not None:
            row.answer = clean_text(answer, field="answer", low=20, high=ANSWER_LENGTH)
        now = timezone.now()
        row.status, row.answered_by, row.ended_at = S.ANSWERED, by, now
        row.on_time = deadlines.answered_on_time(row, now)
        step(
            row,
            A.APPROVE_ANSWER,
            by=by,
            from_status=S.AWAITING_APPROVAL,
            request=request,
            on_time=row.on_time,
        )
        tell_sender(row, "petition_answered")
        for duplicate in (
            Petition.objects.select_for_update().filter(merged_into=row).select_related("agency")
        ):
            # Each duplicate keeps its own due time and says whether this answer came in time for it.
            duplicate.answer, duplicate.answered_by = row.answer, by
            duplicate.on_time = deadlines.answered_on_time(duplicate, now)
            duplicate.save(update_fields=["answer", "answered_by", "on_time"])
            tell_sender(duplicate, "petition_answered")
        return row


def rate_answer(petition: Petition, *, by, satisfied: bool, comment: str = "", request=None) -> Petition:
    """The sender says, once, whether the answer satisfies them (hài lòng), with an optional comment; the
    statistics count it. Nobody else may, and it is not changed."""
    with transaction.atomic():
        row = locked(petition)
        if not rules.is_sender(row, by):
            raise PermissionDenied(
                _("Only the sender of this petition may say whether the answer satisfies them.")
            )
        if row.status != S.ANSWERED:
            raise ActionRefused(_("A petition is rated once it has been answered."))
        if row.rated_at is not None:
            raise ActionRefused(_("You have already said whether this answer satisfies you."))
        if not isinstance(satisfied, bool):
            raise ValidationError({"satisfied": [_("Say yes or no.")]})
        row.satisfied = satisfied
        row.satisfaction_comment = clean_text(comment, field="comment", low=0, high=NOTE_LENGTH)
        row.rated_at = timezone.now()
        row.save(update_fields=["satisfied", "satisfaction_comment", "rated_at"])
        record(row, A.RATE, by=by, from_status=row.status)
        audit.record(
            "petition.rate", actor=by, request=request, target=row, target_label=row.code, satisfied=satisfied
        )
        return row

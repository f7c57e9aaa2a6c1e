"""Phân loại, chuyển xử lý: the reception classifies a petition and routes it down the agency tree to the
agency in charge (re-routing is recorded like the first routing), declines what is not for the
administration to handle, merges duplicates into one, and gives a petition to a handler. One transaction
each: the row locked, the checks (the moment 409, the person 403, the values 400), the change, the step,
the audit entry, the sender told where it matters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import OfficerRole
from motcua.accounts.selectors import has_role
from motcua.catalog.models import Agency
from motcua.dossiers.services import ActionRefused

from ... import deadlines, rules
from ...models import Petition, PetitionAction, PetitionStatus
from ...selectors.petitions import reception_agency
from .common import NOTE_LENGTH, check, clean_text, locked, step, tell_sender

A = PetitionAction
S = PetitionStatus


def _reason(note, *, required: bool = True) -> str:
    return clean_text(note, field="note", low=5 if required else 0, high=NOTE_LENGTH)


def route(petition: Petition, *, to_agency: Agency, by, note: str = "", request=None) -> Petition:
    """Chuyển xử lý: the agency in charge becomes ``to_agency`` (the moderator's own agency or one under
    it; an active one, not the one in charge now). A petition leaves the reception for the first time as
    "being handled"; a later routing keeps its status, and its handler is cleared (the new agency gives it
    out)."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.ROUTE, by)
        if to_agency is None or not to_agency.is_active:
            raise ValidationError({"agency": [_("Choose an agency that handles petitions.")]})
        if to_agency.pk == row.agency_id:
            raise ValidationError({"agency": [_("The petition is already with this agency.")]})
        if not rules.may_route_to(to_agency.pk, by):
            raise PermissionDenied(_("You may route petitions only to your agency or an agency under it."))
        note = _reason(note, required=False)
        before = row.status
        row.agency, row.status, row.handler = to_agency, S.IN_HAND, None
        return step(row, A.ROUTE, by=by, from_status=before, note=note, request=request)


def return_to_reception(petition: Petition, *, by, note: str, request=None) -> Petition:
    """Trả lại bộ phận tiếp nhận: the agency in charge says it is not theirs (why, required); the
    reception classifies it again."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.RETURN_TO_RECEPTION, by)
        note = _reason(note)
        before = row.status
        row.agency, row.status, row.handler = reception_agency(), S.RECEIVED, None
        return step(row, A.RETURN_TO_RECEPTION, by=by, from_status=before, note=note, request=request)


def decline(petition: Petition, *, by, note: str, request=None) -> Petition:
    """Không thụ lý: not for the administration to handle (a court case, abuse, no content); the reason is
    sent to the sender and counts as the end of the petition."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.DECLINE, by)
        note = _reason(note)
        before = row.status
        now = timezone.now()
        row.status, row.decline_reason, row.ended_at = S.DECLINED, note, now
        row.on_time = deadlines.answered_on_time(row, now)  # declining in time is handling in time
        step(row, A.DECLINE, by=by, from_status=before, note=note, request=request)
        tell_sender(row, "petition_declined")
        return row


def merge(petition: Petition, *, into: Petition, by, note: str = "", request=None) -> Petition:
    """Gộp: ``petition`` is a duplicate of ``into``; it ends as merged, and gets ``into``'s answer when that
    one is answered. Both must be open and within the moderator's reach; ``into`` is not itself merged."""
    with transaction.atomic():
        if into is None:
            raise ValidationError({"into": [_("Choose another petition to merge this one into.")]})
        first, second = sorted([petition.pk, into.pk])  # locked in one order: no deadlock between merges
        rows = {p.pk: p for p in Petition.objects.select_for_update().filter(pk__in=[first, second])}
        row, target = rows[petition.pk], rows.get(into.pk)
        check(row, A.MERGE, by)
        if target is None or target.pk == row.pk:
            raise ValidationError({"into": [_("Choose another petition to merge this one into.")]})
        if target.status not in (S.RECEIVED, S.IN_HAND, S.AWAITING_APPROVAL):
            raise ActionRefused(_("A petition can only be merged into one still being handled."))
        if not rules.may_open_petition(target, by):
            raise PermissionDenied(_("You may not work on the petition to merge into."))
        note = _reason(note, required=False)
        before = row.status
        row.status, row.merged_into, row.ended_at, row.handler = S.MERGED, target, timezone.now(), None
        return step(
            row,
            A.MERGE,
            by=by,
            from_status=before,
            note=note or target.code,
            request=request,
            into=target.code,
        )


def assign(petition: Petition, *, handler, by, note: str = "", request=None) -> Petition:
    """Phân công: give the petition to a handler (or leader) of the agency in charge."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.ASSIGN, by)
        if handler is None or not any(
            has_role(handler, row.agency_id, role) for role in (OfficerRole.HANDLER, OfficerRole.LEADER)
        ):
            raise ValidationError({"handler": [_("Choose a handler of the agency in charge.")]})
        note = _reason(note, required=False)
        row.handler = handler
        return step(
            row, A.ASSIGN, by=by, from_status=row.status, note=note, request=request, handler=handler.pk
        )

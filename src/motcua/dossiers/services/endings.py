"""Ending a dossier before its result: a leader stops the processing (slip 05), or the applicant withdraws it.
Both end it through ``lifecycle.finish`` and revoke a result signed before, which no longer stands."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Dossier, DossierAction, DossierStatus, Outcome
from .lifecycle import check, close_step, finish, locked, move, reason, release
from .results import revoke_result


@transaction.atomic
def stop(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Dừng xử lý (slip 05): processing ends without a result, with the reason."""
    note = reason(DossierAction.STOP, note)
    dossier = locked(dossier, version)
    check(DossierAction.STOP, dossier, by)
    now = timezone.now()
    close_step(dossier, now, DossierAction.STOP)
    release(dossier, keep_assignee=True)
    revoke_result(dossier, by=by, reason=note, at=now)
    finish(dossier, now, Outcome.STOPPED)
    return move(
        dossier, by=by, action=DossierAction.STOP, to_status=DossierStatus.STOPPED, note=note, request=request
    )


@transaction.atomic
def withdraw(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Rút hồ sơ: the applicant takes the dossier back before a decision."""
    dossier = locked(dossier, version)
    check(DossierAction.WITHDRAW, dossier, by)
    now = timezone.now()
    close_step(dossier, now, DossierAction.WITHDRAW)
    release(dossier)
    revoke_result(dossier, by=by, reason=note or _("Withdrawn by the applicant."), at=now)
    finish(dossier, now, Outcome.WITHDRAWN)
    return move(
        dossier, by=by, action=DossierAction.WITHDRAW, to_status=DossierStatus.WITHDRAWN, note=note,
        request=request,
    )  # fmt: skip

"""The result (kết quả giải quyết): a leader approves and signs it, or decides against the request; the
records office numbers it; the desk hands it over. A result that no longer stands is revoked.

Signing (and asking a time-stamping server) happens before the dossier's row is locked and outside any
transaction: a slow TSA must hold neither the dossier nor, on SQLite, every other writer. The approval then
locks the row, checks that nobody acted on the dossier meanwhile, and stores the signed file with the new
status, all or nothing; a result number taken for a signature that failed is given back.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit import services as audit
from motcua.catalog.models import Channel
from motcua.documents import pki
from motcua.documents import services as documents

from .. import rules
from ..models import Dossier, DossierAction, DossierStatus, Outcome, StepKind
from ..papers import result as result_paper
from .errors import ActionRefused, invalid
from .lifecycle import check, close_step, definition_of, finish, locked, move, open_step, reason, release
from .numbering import allocate_result_number, release_result_number

logger = logging.getLogger("motcua.dossiers")

RETURN_METHODS = {
    "online": gettext_lazy("online"),
    "desk": gettext_lazy("at the desk"),
    "post": gettext_lazy("by post"),
}


def _as_seen(dossier: Dossier, version) -> Dossier:
    """The dossier as it stands now, read without a lock (refused when ``version`` is stale already)."""
    seen = Dossier.objects.select_related(
        "procedure", "agency", "current_step", "current_agency", "workflow", "form"
    ).get(pk=dossier.pk)
    if version is not None and int(version) != seen.version:
        raise ActionRefused(_("Someone else has just acted on this dossier; reload it to see what changed."))
    return seen


def _cannot_sign(agency, exc: Exception) -> ActionRefused:
    # The details (module, token, file) are for the administrators' log, not for the leader's screen.
    logger.error("The result could not be signed by %s: %s", agency, exc)
    return ActionRefused(
        _(
            "The result could not be signed: the signing certificate of %(agency)s or the "
            "time-stamping service cannot be used now. Nothing was changed; try again later, and tell "
            "the system administrator if it goes on."
        )
        % {"agency": agency.name}
    )


def approve(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Phê duyệt và ký: the leader approves; the result is rendered, numbered and signed with the agency's
    certificate, and the dossier goes to the records office (or straight to the return step).

    An agency that cannot sign (no certificate, a wrong PIN, the token or the TSA gone) is refused with
    nothing changed and no number used up. A result signed before for this dossier is revoked: the new one
    replaces it."""
    seen = _as_seen(dossier, version)
    check(DossierAction.APPROVE, seen, by)
    agency = seen.current_agency
    try:
        signing = documents.signing_for(agency)
    except pki.CertificateProblem as exc:
        raise _cannot_sign(agency, exc) from exc
    with transaction.atomic():
        number = allocate_result_number(agency, timezone.now())
    document = None
    try:
        try:
            signed = result_paper.sign(seen, signing, number=number, signed_by=by, decision_text=note)
        except pki.CertificateProblem as exc:
            raise _cannot_sign(agency, exc) from exc
        with transaction.atomic():
            dossier = locked(seen, seen.version)  # refused if anyone acted while it was being signed
            check(DossierAction.APPROVE, dossier, by)
            now = timezone.now()
            revoke_result(dossier, by=by, reason=_("Replaced by a new result."), at=now)
            document = result_paper.store(dossier, signed, signed_by=by)
            dossier.result_number = number
            from_agency = dossier.current_agency
            close_step(dossier, now, DossierAction.APPROVE)
            nxt = definition_of(dossier).after(dossier.current_step.order)
            open_step(dossier, nxt, now)
            to_status = DossierStatus.PROCESSING
            if nxt.kind == StepKind.RETURN:  # no records office in this workflow: ready now
                finish(dossier, now, Outcome.APPROVED)
                result_paper.hand_to_applicant(dossier)
                to_status = DossierStatus.RESULT_READY
            return move(
                dossier, by=by, action=DossierAction.APPROVE, to_status=to_status, note=note,
                request=request, from_agency=from_agency, result_number=number,
                verification_code=document.verification_code,
            )  # fmt: skip
    except BaseException:
        if document is not None:
            documents.delete_file(document)  # its row went with the transaction
        if not release_result_number(agency, number):
            logger.warning(
                "Result number %s of %s is unused: a later one was given meanwhile", number, agency
            )
        raise


def revoke_result(dossier: Dossier, *, by, reason: str, at) -> int:
    """The dossier's signed result no longer stands (the processing was stopped, the approval undone, or a
    new result replaces it): it is marked revoked, when, by whom and why, verification answers "revoked",
    and the applicant is no longer offered it. Returns how many results were revoked."""
    revoked = documents.revoke(dossier, kind=result_paper.KIND, by=by, reason=reason, at=at)
    if revoked:
        dossier.result_number = ""
        audit.record(
            "document.revoke",
            actor=by,
            target=dossier,
            target_label=dossier.code,
            count=revoked,
            reason=reason,
        )
    return revoked


@transaction.atomic
def reject(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Không giải quyết: the leader decides the request cannot be granted; the applicant gets the reasons
    at the return step."""
    note = reason(DossierAction.REJECT, note)
    dossier = locked(dossier, version)
    check(DossierAction.REJECT, dossier, by)
    now = timezone.now()
    from_agency = dossier.current_agency
    close_step(dossier, now, DossierAction.REJECT)
    open_step(dossier, definition_of(dossier).steps[-1], now)
    revoke_result(dossier, by=by, reason=note, at=now)
    finish(dossier, now, Outcome.REJECTED)
    return move(
        dossier, by=by, action=DossierAction.REJECT, to_status=DossierStatus.RESULT_READY, note=note,
        request=request, from_agency=from_agency,
    )  # fmt: skip


@transaction.atomic
def number_result(
    dossier: Dossier, *, by, note: str = "", register_number: str = "", version=None, request=None
) -> Dossier:
    """Vào số, đóng dấu: the records office enters the result in its register; the result is ready."""
    dossier = locked(dossier, version)
    check(DossierAction.NUMBER_RESULT, dossier, by)
    now = timezone.now()
    from_agency = dossier.current_agency
    close_step(dossier, now, DossierAction.NUMBER_RESULT)
    open_step(dossier, definition_of(dossier).after(dossier.current_step.order), now)
    finish(dossier, now, Outcome.APPROVED)
    result_paper.hand_to_applicant(dossier)
    return move(
        dossier, by=by, action=DossierAction.NUMBER_RESULT, to_status=DossierStatus.RESULT_READY, note=note,
        request=request, from_agency=from_agency,
        register_number=(register_number or dossier.result_number).strip()[:64],
    )  # fmt: skip


def default_return_method(dossier: Dossier) -> str:
    """How a result is handed over unless the officer says otherwise: the way the applicant chose when the
    dossier was sent (``Dossier.result_delivery``), else the way it came in (online, by post, else at the
    desk)."""
    if dossier.result_delivery in RETURN_METHODS:
        return dossier.result_delivery
    return {Channel.ONLINE: "online", Channel.POSTAL: "post"}.get(dossier.channel, "desk")


@transaction.atomic
def return_result(
    dossier: Dossier, *, by, method: str = "", note: str = "", version=None, request=None
) -> Dossier:
    """Trả kết quả: the result is handed over (online, at the desk, or by post) and that is confirmed; without
    a method, the way the applicant chose (``default_return_method``).

    ``by=None`` is the system acting on an outside confirmation (the post's signed delivery notice): only
    the moment is checked, and the history and audit rows name no person."""
    method = method or default_return_method(dossier)
    if method not in RETURN_METHODS:
        raise invalid("method", _("Say how the result was handed over: online, desk or post."))
    dossier = locked(dossier, version)
    if by is None:
        if not rules.possible(DossierAction.RETURN_RESULT, dossier, dossier.current_step):
            raise ActionRefused(_("The result of this dossier is not waiting to be handed over."))
    else:
        check(DossierAction.RETURN_RESULT, dossier, by)
    return _hand_over(dossier, by=by, method=method, note=note, request=request)


def _hand_over(dossier: Dossier, *, by, method: str, note: str, request) -> Dossier:
    """The result is in the applicant's hands (status 10): the return step closed, who handed it over how."""
    now = timezone.now()
    close_step(dossier, now, DossierAction.RETURN_RESULT)
    dossier.returned_at = now
    release(dossier)
    return move(
        dossier, by=by, action=DossierAction.RETURN_RESULT, to_status=DossierStatus.RETURNED, note=note,
        request=request, method=method,
    )  # fmt: skip


@transaction.atomic
def collect_online(dossier: Dossier, *, by, request=None) -> Dossier | None:
    """Nhận kết quả trực tuyến: the applicant downloading the signed result of a dossier whose result comes
    back online receives it: the dossier is returned (status 10), the applicant named in its history.

    Anything else changes nothing and answers None: a download by an officer, a result the applicant
    chose to collect at the desk or to receive by post, a dossier already returned (a second download)."""
    if not rules.is_own(dossier, by) or dossier.status != DossierStatus.RESULT_READY:
        return None
    if default_return_method(dossier) != "online":
        return None
    dossier = locked(dossier, None)
    if not rules.possible(DossierAction.RETURN_RESULT, dossier, dossier.current_step):
        return None  # returned meanwhile (a download in another tab)
    return _hand_over(
        dossier, by=by, method="online", note=_("The applicant downloaded the result."), request=request
    )

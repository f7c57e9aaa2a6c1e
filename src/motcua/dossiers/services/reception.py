"""Reception (tiếp nhận): the desk receives an online dossier or refuses it, and anyone handling it may ask
the applicant for a supplement (the clock stops), which the applicant then provides (the clock goes on)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import tasks

from .. import clock, preconditions, rules
from ..models import Dossier, DossierAction, DossierStatus, Outcome, SupplementRequest
from ..papers import receipt as receipt_paper
from ..tasks import keep_sent_papers
from .errors import ActionRefused, invalid, require
from .lifecycle import check, close_step, definition_of, finish, locked, move, open_step, reason


@transaction.atomic
def receive(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Tiếp nhận: the desk accepts an online dossier; its due date is fixed from now, the receipt reissued."""
    dossier = locked(dossier, version)
    check(DossierAction.RECEIVE, dossier, by)
    waiting = preconditions.refusal(dossier, DossierAction.RECEIVE)  # e.g. a fee due before processing
    if waiting:
        raise ActionRefused(waiting)
    now = timezone.now()
    deadline = clock.dossier_deadline(dossier.procedure, dossier.channel, now)
    dossier.received_at = now
    dossier.due_at = deadline.due_at if deadline else None
    dossier.due_is_provisional = False
    dossier.current_step.assignee = by
    dossier.current_step.save(update_fields=["assignee"])
    close_step(dossier, now, DossierAction.RECEIVE)
    nxt = definition_of(dossier).after(dossier.current_step.order)
    from_agency = dossier.current_agency
    open_step(dossier, nxt, now, counting_from=deadline.counted_from if deadline else None)
    # The slip the applicant holds must show the date fixed now, not the provisional one.
    receipt_paper.reissue(dossier)
    return move(
        dossier, by=by, action=DossierAction.RECEIVE, to_status=DossierStatus.RECEIVED, note=note,
        request=request, from_agency=from_agency, due_at=dossier.due_at,
    )  # fmt: skip


@transaction.atomic
def refuse(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Từ chối tiếp nhận (slip 03): the dossier is not received, with the reason."""
    note = reason(DossierAction.REFUSE, note)
    dossier = locked(dossier, version)
    check(DossierAction.REFUSE, dossier, by)
    now = timezone.now()
    close_step(dossier, now, DossierAction.REFUSE)
    finish(dossier, now, Outcome.REFUSED)
    return move(
        dossier,
        by=by,
        action=DossierAction.REFUSE,
        to_status=DossierStatus.REFUSED,
        note=note,
        request=request,
    )


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, by, note: str = "", papers=(), leader_reason: str = "", version=None, request=None
) -> Dossier:
    """Yêu cầu bổ sung (slip 02): the clock stops until the applicant supplies the papers listed.

    The applicant should not be asked more than twice (Decree 63/2010 Art. 20(4)): a third request needs a
    leader, who records why.
    """
    note = reason(DossierAction.REQUEST_SUPPLEMENT, note)
    dossier = locked(dossier, version)
    check(DossierAction.REQUEST_SUPPLEMENT, dossier, by)
    papers = _check_papers(papers)
    leader = None
    if dossier.supplement_count >= 2:
        if not rules.may_request_supplement_again(dossier, by):
            raise PermissionDenied(_("A third supplement request must be made by a leader, with the reason."))
        leader_reason = require(
            leader_reason, "leader_reason", _("Record why the applicant is asked a third time.")
        )
        leader = by
    now = timezone.now()
    SupplementRequest.objects.create(
        dossier=dossier, requested_by=by, requested_at=now, papers=papers, reason=note,
        leader_reason=leader_reason, leader=leader, from_status=dossier.status,
    )  # fmt: skip
    dossier.supplement_count += 1
    clock.pause(dossier, now)
    return move(
        dossier, by=by, action=DossierAction.REQUEST_SUPPLEMENT, to_status=DossierStatus.SUPPLEMENT_REQUESTED,
        note=note, request=request, papers=papers, count=dossier.supplement_count,
    )  # fmt: skip


def _check_papers(papers) -> list[dict]:
    """The papers a supplement asks for: ``[{"name", "originals", "certified_copies", "photocopies"}]``
    (a list of names is accepted too)."""
    out = []
    if not isinstance(papers, list | tuple):
        raise invalid("papers", _("List the papers to add."))
    for item in papers:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise invalid("papers", _("Each paper to add needs a name."))
        paper = {"name": str(item["name"]).strip()[:500]}
        for kind in ("originals", "certified_copies", "photocopies"):
            try:
                paper[kind] = max(0, min(int(item.get(kind) or 0), 99))
            except (TypeError, ValueError):
                raise invalid("papers", _("Numbers of copies are whole numbers.")) from None
        out.append(paper)
    return out


@transaction.atomic
def supplement(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Bổ sung hồ sơ: the applicant has added the papers (uploaded before this call); the clock resumes
    with the time that was left, or restarts in full, as the procedure's workflow says. Same code, no fee."""
    dossier = locked(dossier, version)
    check(DossierAction.SUPPLEMENT, dossier, by)
    now = timezone.now()
    pending = dossier.supplement_requests.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    stood = clock.resume(dossier, now, definition=definition_of(dossier))
    if dossier.current_step is not None:
        dossier.current_step.save(update_fields=["due_at"])
    if pending is not None:
        pending.supplied_at = now
        pending.paused_working_time = stood
        pending.save(update_fields=["supplied_at", "paused_working_time"])
    back_to = pending.from_status if pending is not None else DossierStatus.RECEIVED
    tasks.enqueue(keep_sent_papers, dossier.pk)  # the papers supplied are the applicant's to reuse too
    return move(
        dossier, by=by, action=DossierAction.SUPPLEMENT, to_status=back_to, note=note, request=request,
        due_at=dossier.due_at,
    )  # fmt: skip

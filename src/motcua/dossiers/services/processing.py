"""Processing (xử lý, thẩm định): a leader assigns the step; specialists hand the dossier on along the
workflow (to another agency where it says so: liên thông), propose the result or send it back, and may
ask for a payment before the result: the clock stands still until it is paid (``payment_received``, taken
by ``payments.services`` when nothing requested is owed any more)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import User
from motcua.catalog.models import Agency

from .. import clock, notices, rules
from ..models import Dossier, DossierAction, DossierStatus, StepKind, StepRole
from .errors import ActionRefused, invalid
from .lifecycle import (
    check,
    close_step,
    definition_of,
    locked,
    move,
    open_step,
    reason,
    resume_clock,
    tell_applicant,
)
from .results import revoke_result


@transaction.atomic
def assign(dossier: Dossier, *, by, assignee: str, note: str = "", version=None, request=None) -> Dossier:
    """Phân công: a leader gives the current step to a specialist of the unit (or gives it to another)."""
    dossier = locked(dossier, version)
    check(DossierAction.ASSIGN, dossier, by)
    resume_clock(dossier, timezone.now())
    step = dossier.current_step
    user = User.objects.filter(username=(assignee or "").strip(), is_active=True).first()
    if user is None or not account_selectors.has_role(user, dossier.current_agency_id, step.role):
        raise invalid(
            "assignee",
            _("%(name)s is not a %(role)s of %(agency)s.")
            % {"name": assignee, "role": StepRole(step.role).label, "agency": dossier.current_agency},
        )
    step.assignee = user
    step.save(update_fields=["assignee"])
    dossier.assignee = user
    return move(
        dossier, by=by, action=DossierAction.ASSIGN, to_status=DossierStatus.PROCESSING, note=note,
        request=request, assignee=user.username,
    )  # fmt: skip


def _hand_on(dossier: Dossier, *, by, action, note, to_agency_code="", request=None) -> Dossier:
    """Close the current step and open the next one of the workflow (perhaps at another agency)."""
    definition = definition_of(dossier)
    # Going on while a payment was awaited (paid at the desk): the clock runs again first.
    resume_clock(dossier, timezone.now())
    step = dossier.current_step
    nxt = definition.after(step.order)
    if nxt is None:
        raise ActionRefused(_("This is the last step of the workflow."))
    wants_approval = action == DossierAction.PROPOSE
    if (nxt.kind == StepKind.APPROVAL) != wants_approval:
        if wants_approval:
            raise ActionRefused(_("The next step is not the approval: forward the dossier instead."))
        raise ActionRefused(_("The next step is the approval: propose the result instead."))
    target = nxt.acting_agency_id(dossier.agency_id)
    if to_agency_code:
        chosen = (
            Agency.objects.filter(code=to_agency_code).first()
            or Agency.objects.filter(slug=to_agency_code).first()
        )
        if chosen is None or chosen.pk != target:
            raise invalid(
                "to_agency",
                _("The workflow sends the dossier to %(agency)s next.")
                % {"agency": Agency.objects.get(pk=target)},
            )
    now = timezone.now()
    from_agency = dossier.current_agency
    close_step(dossier, now, action)
    open_step(dossier, nxt, now)
    return move(
        dossier, by=by, action=action, to_status=DossierStatus.PROCESSING, note=note, request=request,
        from_agency=from_agency, step=nxt.name,
    )  # fmt: skip


@transaction.atomic
def forward(
    dossier: Dossier, *, by, note: str = "", to_agency: str = "", version=None, request=None
) -> Dossier:
    """Chuyển xử lý: to the next step of the workflow, in this unit or another agency (liên thông)."""
    dossier = locked(dossier, version)
    check(DossierAction.FORWARD, dossier, by)
    return _hand_on(
        dossier, by=by, action=DossierAction.FORWARD, note=note, to_agency_code=to_agency, request=request
    )


@transaction.atomic
def propose(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Trình kết quả: the specialist proposes the result to the leader who approves."""
    dossier = locked(dossier, version)
    check(DossierAction.PROPOSE, dossier, by)
    return _hand_on(dossier, by=by, action=DossierAction.PROPOSE, note=note, request=request)


@transaction.atomic
def send_back(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Trả lại bước trước: back to the previous processing step, with a note of what to redo. A result
    signed before (an approval earlier in the workflow) no longer stands: it is revoked."""
    note = reason(DossierAction.SEND_BACK, note)
    dossier = locked(dossier, version)
    check(DossierAction.SEND_BACK, dossier, by)
    definition = definition_of(dossier)
    previous = definition.before(dossier.current_step.order)
    if previous is None or previous.kind == StepKind.RECEPTION:
        raise ActionRefused(_("There is no earlier processing step to send the dossier back to."))
    # The step goes back to whoever held it last time.
    last = dossier.steps.filter(order=previous.order).exclude(assignee=None).order_by("-started_at").first()
    now = timezone.now()
    resume_clock(dossier, now)
    from_agency = dossier.current_agency
    close_step(dossier, now, DossierAction.SEND_BACK)
    open_step(dossier, previous, now, assignee=last.assignee if last else None)
    revoke_result(dossier, by=by, reason=note, at=now)
    return move(
        dossier, by=by, action=DossierAction.SEND_BACK, to_status=DossierStatus.PROCESSING, note=note,
        request=request, from_agency=from_agency, step=previous.name,
    )  # fmt: skip


@transaction.atomic
def request_payment(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Yêu cầu thực hiện nghĩa vụ tài chính: the applicant must pay (tax, fee) before the result; the
    dossier's clock stands still until it is paid.

    ``payments.services.request_charge`` calls this with the charge it records (amount and reason): pages
    and the API go through it, so that every request says how much is owed."""
    note = reason(DossierAction.REQUEST_PAYMENT, note)
    dossier = locked(dossier, version)
    check(DossierAction.REQUEST_PAYMENT, dossier, by)
    clock.pause(dossier, timezone.now())
    return move(
        dossier,
        by=by,
        action=DossierAction.REQUEST_PAYMENT,
        to_status=DossierStatus.PAYMENT_REQUESTED,
        note=note,
        request=request,
    )


@transaction.atomic
def payment_received(dossier: Dossier, *, by=None, note: str = "", request=None) -> Dossier:
    """Đã thực hiện nghĩa vụ tài chính: what was requested is paid; processing goes on (6 → 4) with the
    time the dossier had left (its clock resumes). Taken by ``payments.services`` when the last requested
    charge is settled, never from a page: ``by`` is the payer, or None for the gateway's notification."""
    dossier = locked(dossier, None)
    if not rules.possible(DossierAction.PAYMENT_RECEIVED, dossier, dossier.current_step):
        raise ActionRefused(_("The dossier is not waiting for a payment."))
    resume_clock(dossier, timezone.now())
    dossier = move(
        dossier, by=by, action=DossierAction.PAYMENT_RECEIVED, to_status=DossierStatus.PROCESSING, note=note,
        request=request, due_at=dossier.due_at,
    )  # fmt: skip
    # "Processing" alone is not worth a message (``notices``); the payment the applicant made is.
    tell_applicant(
        dossier,
        topic="dossier.payment_received",
        template="dossier_status_changed",
        context={**notices.paid_context(dossier), "note": note},
    )
    return dossier

"""How payments react to dossiers, in the transaction of their transition (``dossiers.signals``): a
dossier sent owes its frozen fee and, for a result by post, the postal fee (charges, paid together in one
checkout); a dossier refused (3) or stopped (8) gets what it paid refunded. And the rule the desk meets:
a procedure that takes its fee before processing (thu phí trước khi giải quyết) is not received while that
fee is owed (``dossiers.preconditions``). A payment paid gets its e-receipt, after commit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers import preconditions
from motcua.dossiers.models import Dossier, DossierAction, DossierStatus, ResultDelivery
from motcua.dossiers.signals import dossier_moved

from .models import ChargeKind, Payment
from .signals import payment_paid

ENDED_UNSERVED = {DossierStatus.REFUSED, DossierStatus.STOPPED}
SENT = {DossierAction.SUBMIT}  # at the desk (register) the fee is collected there


def on_dossier_moved(sender, *, dossier, action, to_status, by, **kwargs):
    from .services import refund_dossier

    if action in SENT:
        add_submission_charges(dossier)
    elif to_status in ENDED_UNSERVED:
        refund_dossier(
            dossier, by=by, reason=_("Dossier %(code)s ended without a result.") % {"code": dossier.code}
        )


def fee_lines(dossier) -> list[dict]:
    """The lines of the frozen quote with a known amount above 0, as a charge lists them."""
    lines = []
    for line in (dossier.fee_quote or {}).get("lines") or []:
        total = line.get("total")
        if isinstance(total, int) and total > 0:
            name = str(line.get("name") or _("Fee"))
            if (line.get("quantity") or 1) > 1:
                name = f"{name} × {line['quantity']}"
            lines.append({"name": name, "amount": total})
    return lines


def add_submission_charges(dossier) -> None:
    """Phí, lệ phí and cước bưu chính of a dossier just sent: what the applicant pays online, in one checkout.
    Nothing when both are 0. A result by post without a tariff refuses the sending (the applicant chooses
    another way, or the agency enters its tariff): the dossier would owe an amount nobody knows. Added by
    the system (no officer asked for them)."""
    from motcua.delivery import selectors as delivery_selectors

    from .services import add_charge

    if dossier.fee_total:
        add_charge(
            dossier, kind=ChargeKind.FEE, amount=dossier.fee_total, lines=fee_lines(dossier),
            reason=_("Fees of dossier %(code)s") % {"code": dossier.code}, by=None,
        )  # fmt: skip
    if dossier.result_delivery == ResultDelivery.POST:
        try:
            postal = delivery_selectors.postal_fee(dossier, dossier.delivery_address)
        except delivery_selectors.NoTariff:
            raise ValidationError(
                {
                    "result_delivery": [
                        _(
                            "The postal fee to this address is not set yet, so the result cannot be sent by "
                            "post. Choose another way to receive it, or contact the agency."
                        )
                    ]
                }
            ) from None
        if postal:
            add_charge(
                dossier, kind=ChargeKind.POSTAL, amount=postal,
                reason=_("Sending the result of %(code)s by post") % {"code": dossier.code}, by=None,
            )  # fmt: skip


def fee_before_processing(dossier) -> bool:
    """Whether the procedure, as received (its record frozen on the dossier), takes its fee first."""
    record = dossier.procedure_record or {}
    if "fee_before_processing" in record:
        return bool(record["fee_before_processing"])
    return bool(dossier.procedure.fee_before_processing)


def fee_unpaid_check(dossier, action: str) -> str | None:
    """Reception waits while a fee due before processing is owed (paid online, or at the desk: a finance
    officer waives the charge)."""
    from . import selectors

    if action != DossierAction.RECEIVE or not fee_before_processing(dossier):
        return None
    if selectors.owed_charges(dossier).filter(kind=ChargeKind.FEE).exists():
        return _(
            "Waiting for the fee: this procedure takes its fee before processing, and the applicant has not "
            "paid it yet. Receive the dossier once it is paid online, or once a finance officer records "
            "the payment at the desk."
        )
    return None


def on_payment_paid(sender, *, payment, **kwargs):
    """The e-receipt is issued and sent once the payment's transaction has committed."""
    from motcua.core import tasks

    from .tasks import issue_receipt

    tasks.enqueue(issue_receipt, payment.pk)


def connect() -> None:
    dossier_moved.connect(on_dossier_moved, sender=Dossier, dispatch_uid="payments.refund_on_end")
    payment_paid.connect(on_payment_paid, sender=Payment, dispatch_uid="payments.receipt_on_paid")
    preconditions.register(
        "payments.fee_before_processing", fee_unpaid_check, label=gettext_lazy("Waiting for the fee")
    )

"""What a dossier owes (khoản phải nộp): a charge added (the fee at submission, the postal fee), a payment an
officer requests while processing (status 6, the clock stands still), a charge waived."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier

from .. import rules
from ..models import Charge, ChargeKind, ChargeState
from ..signals import charge_added
from .errors import PaymentRefused

# Digits, or digits grouped by thousands as people write them: 150000, 150.000, 150,000, 150 000.
AMOUNT = re.compile(r"\d+|\d{1,3}(?:[., ]\d{3})+")
MAX_AMOUNT = 10_000_000_000  # 10 billion đồng: more is a typing error, not a fee


def check_amount(value, field: str = "amount") -> int:
    """A whole, positive number of đồng, as typed by an officer ("150000", "150.000", 150000)."""
    text = str(value if value is not None else "").strip()
    if not AMOUNT.fullmatch(text) or int(re.sub(r"\D", "", text)) <= 0:
        raise ValidationError({field: [_("Enter the amount in đồng as a whole number greater than 0.")]})
    amount = int(re.sub(r"\D", "", text))
    if amount > MAX_AMOUNT:
        raise ValidationError({field: [_("This amount is too large; check the number of zeros.")]})
    return amount


def _lines(lines, amount: int, reason: str) -> list[dict]:
    """The receipt's lines ``[{"name", "amount"}]``; one line with the reason when none are given."""
    if not lines:
        return [{"name": reason[:255], "amount": amount}]
    out = []
    for line in lines:
        if not isinstance(line, dict) or not str(line.get("name", "")).strip():
            raise ValidationError({"lines": [_("Each line of a charge needs a name and an amount.")]})
        out.append(
            {"name": str(line["name"]).strip()[:255], "amount": check_amount(line.get("amount"), "lines")}
        )
    if sum(line["amount"] for line in out) != amount:
        raise ValidationError({"lines": [_("The lines of a charge must add up to its amount.")]})
    return out


@transaction.atomic
def add_charge(dossier: Dossier, *, kind: str, amount, lines=(), reason: str = "", by=None) -> Charge:
    """Record that ``dossier`` owes ``amount`` đồng (``lines``: ``[{"name", "amount"}]`` for the receipt).

    The caller decides when (the fee frozen at submission, the postal fee chosen with the delivery);
    ``request_charge`` is the officer's way, which also stops the clock."""
    kind = ChargeKind(kind)
    amount = check_amount(amount)
    reason = (reason or "").strip()
    charge = Charge.objects.create(
        dossier=dossier, kind=kind, amount=amount,
        lines=_lines(list(lines or ()), amount, reason or kind.label),
        reason=reason, requested_by=by if getattr(by, "is_authenticated", False) else None,
        created_at=timezone.now(),
    )  # fmt: skip
    audit.record(
        "payment.charge_added", actor=by, target=dossier, target_label=dossier.code,
        charge=charge.pk, kind=kind, amount=amount,
    )  # fmt: skip
    charge_added.send(sender=Charge, charge=charge)
    return charge


@transaction.atomic
def request_charge(dossier: Dossier, *, by, amount, reason: str, version=None, request=None) -> Charge:
    """Yêu cầu thực hiện nghĩa vụ tài chính: the officer holding the dossier asks the applicant to pay
    ``amount`` đồng for ``reason``; the dossier moves to status 6 and its clock stands still until it is
    paid (``dossiers.services.request_payment``). Checks first: a refused request records no charge."""
    amount = check_amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"note": [_("Say what must be paid and why.")]})
    dossier = dossier_services.request_payment(dossier, by=by, note=reason, version=version, request=request)
    return add_charge(dossier, kind=ChargeKind.REQUESTED, amount=amount, reason=reason, by=by)


@transaction.atomic
def waive_charge(charge: Charge, *, by, reason: str) -> Charge:
    """Miễn: a finance officer of the receiving agency waives an owed charge (paid at the desk, exempted);
    a dossier waiting only for it goes on, as if it were paid."""
    from .callbacks import after_settled

    charge = Charge.objects.select_for_update().select_related("dossier").get(pk=charge.pk)
    if not rules.allowed(rules.REFUND, charge.dossier, by):
        raise PermissionDenied(_("Only a finance officer of the agency may waive a charge."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the charge is waived.")]})
    if charge.state != ChargeState.OWED:
        raise PaymentRefused(_("Only a charge still owed can be waived."))
    charge.state = ChargeState.WAIVED
    charge.reason = f"{charge.reason}\n{reason}".strip()
    charge.save(update_fields=["state", "reason"])
    audit.record(
        "payment.charge_waived", actor=by, target=charge.dossier, target_label=charge.dossier.code,
        charge=charge.pk, amount=charge.amount, reason=reason,
    )  # fmt: skip
    after_settled(charge.dossier, by=by, note=reason)
    return charge

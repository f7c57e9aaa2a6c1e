"""What a dossier's money tells statistics, as query expressions over ``Dossier`` rows."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from .models import Charge, ChargeKind, Payment, PaymentState


def with_fee():
    """Có phí, lệ phí: the dossier was charged a fee or an amount the agency asked for (postage aside),
    whatever became of the charge (paid, waived at the desk, cancelled when the dossier ended). A dossier
    registered at the desk with a quoted total counts too (its fee is taken there)."""
    charged = Charge.objects.filter(dossier=OuterRef("pk"), kind__in=[ChargeKind.FEE, ChargeKind.REQUESTED])
    return Q(fee_total__gt=0) | Exists(charged)


def paid_online():
    """Thanh toán trực tuyến: money for the dossier moved through a gateway (a refund later does not undo
    that it was paid online). Cash at the desk is recorded as a waived charge, never as a payment."""
    paid = Payment.objects.filter(
        dossier=OuterRef("pk"), state__in=[PaymentState.PAID, PaymentState.REFUNDED]
    )
    return Exists(paid)


def annotations() -> dict:
    return {
        "with_fee": ExpressionWrapper(with_fee(), output_field=BooleanField()),
        "paid_online": paid_online(),
    }

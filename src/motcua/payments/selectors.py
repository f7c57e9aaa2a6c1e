"""Reads of payments: what a dossier owes and has paid, the gateways its agency takes, totals."""

from django.db.models import Count, QuerySet, Sum

from motcua.dossiers.models import Dossier

from . import registry
from .models import Charge, ChargeKind, ChargeState, GatewayAccount, Payment, PaymentState


def owed_charges(dossier: Dossier) -> QuerySet[Charge]:
    return Charge.objects.filter(dossier=dossier, state=ChargeState.OWED).order_by("created_at", "pk")


def owed_total(dossier: Dossier) -> int:
    return owed_charges(dossier).aggregate(total=Sum("amount"))["total"] or 0


def requested_still_owed(dossier: Dossier) -> bool:
    """Whether an officer's request for payment (status 6) is still unpaid."""
    return owed_charges(dossier).filter(kind=ChargeKind.REQUESTED).exists()


def charges_of(dossier: Dossier) -> QuerySet[Charge]:
    return Charge.objects.filter(dossier=dossier).select_related("payment").order_by("created_at", "pk")


def payments_of(dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).order_by("-created_at", "-pk")


def receipt_of(payment: Payment):
    """The e-receipt (biên lai điện tử) issued for ``payment``, or None (not yet, or not paid)."""
    from motcua.documents.models import Document, DocumentKind

    return Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, reference=payment.reference).first()


def with_receipts(payments) -> list[Payment]:
    """``payments`` with ``.receipt`` set on each (the Document, or None), in one query for all."""
    from motcua.documents.models import Document, DocumentKind

    payments = list(payments)
    found = {
        d.reference: d
        for d in Document.objects.filter(
            kind=DocumentKind.PAYMENT_RECEIPT, reference__in=[p.reference for p in payments]
        )
    }
    for payment in payments:
        payment.receipt = found.get(payment.reference)
    return payments


def has_active_gateway(agency) -> bool:
    """Whether ``agency`` takes payments online: an active account at a gateway Motcua knows."""
    accounts = GatewayAccount.objects.filter(agency=agency, is_active=True).values_list("gateway", flat=True)
    return any(registry.known(key) for key in accounts)


def gateway_accounts(dossier: Dossier) -> list[GatewayAccount]:
    """The active merchant accounts of the agency that received ``dossier``, of gateways Motcua knows."""
    accounts = GatewayAccount.objects.filter(agency_id=dossier.agency_id, is_active=True).order_by("pk")
    return [a for a in accounts if registry.known(a.gateway)]


def gateway_label(key: str) -> str:
    return str(registry.get(key).label) if registry.known(key) else key


def totals(agencies, since, until) -> list[dict]:
    """Paid amounts per agency, day and gateway (what a finance officer reconciles), for payments paid
    from ``since`` to before ``until``."""
    from django.db.models.functions import TruncDate

    return list(
        Payment.objects.filter(
            dossier__agency__in=agencies,
            state__in=[PaymentState.PAID, PaymentState.REFUNDED],
            paid_at__gte=since,
            paid_at__lt=until,
        )
        .annotate(day=TruncDate("paid_at"))
        .values("dossier__agency__name", "day", "gateway")
        .annotate(count=Count("pk"), amount=Sum("amount"), refunded=Sum("refunded_amount"))
        .order_by("day", "dossier__agency__name", "gateway")
    )


def totals_table(agencies, since, until) -> list[dict]:
    """``totals`` with what a finance page shows: agency, day, gateway (key and label), count, paid,
    refunded and net (paid − refunded) VND. Refunds count on the day their payment was paid."""
    rows = []
    for row in totals(agencies, since, until):
        refunded = row["refunded"] or 0
        rows.append(
            {
                "agency": row["dossier__agency__name"],
                "day": row["day"],
                "gateway": row["gateway"],
                "gateway_label": gateway_label(row["gateway"]),
                "count": row["count"],
                "paid": row["amount"] or 0,
                "refunded": refunded,
                "net": (row["amount"] or 0) - refunded,
            }
        )
    return rows


def finance_payments(agencies, *, since, until, state: str = "", gateway: str = "") -> QuerySet[Payment]:
    """The payments of ``agencies`` opened from ``since`` to before ``until`` (optionally of one state and
    gateway), newest first: the finance page's list."""
    found = Payment.objects.filter(dossier__agency__in=agencies, created_at__gte=since, created_at__lt=until)
    if state:
        found = found.filter(state=state)
    if gateway:
        found = found.filter(gateway=gateway)
    return found.select_related("dossier", "dossier__agency").order_by("-created_at", "-pk")


def day_range(since, until):
    """The moments from the start of day ``since`` to the end of day ``until`` (the site's time zone)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return datetime.combine(since, time.min, zone), datetime.combine(
        until + timedelta(days=1), time.min, zone
    )

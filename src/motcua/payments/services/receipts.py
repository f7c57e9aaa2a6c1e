"""Biên lai điện tử of a paid payment: issued after the payment committed (a task), kept in the applicant's
document store and sent to them by e-mail with the PDF attached. Safe to run twice: the receipt is issued
once per payment reference, and the applicant is told only by the run that issued it."""

from django.db import transaction

from motcua.documents import services as document_services
from motcua.documents.models import Document
from motcua.dossiers import selectors as dossier_selectors
from motcua.notifications import services as notifications

from .. import selectors
from ..models import Charge, Payment, PaymentState


def receipt_lines(payment: Payment) -> list[dict]:
    """The lines of the charges this payment settled (a charge settled by another attempt is not on it)."""
    lines = []
    for charge in Charge.objects.filter(payment=payment).order_by("created_at", "pk"):
        lines.extend(charge.lines or [{"name": charge.get_kind_display(), "amount": charge.amount}])
    return lines


def issue_receipt(payment_id: int) -> Document | None:
    """The receipt of payment ``payment_id`` (issued now, or the one issued before); None when it was not
    paid or settled nothing (the whole of it refunded as paid twice)."""
    payment = Payment.objects.select_related("dossier__agency", "dossier__applicant").get(pk=payment_id)
    if payment.state not in (PaymentState.PAID, PaymentState.REFUNDED) or payment.paid_at is None:
        return None
    existing = selectors.receipt_of(payment)
    if existing is not None:
        return existing
    lines = receipt_lines(payment)
    if not lines:
        return None
    dossier = payment.dossier
    document = document_services.issue_payment_receipt(
        dossier=dossier, payer_name=dossier.applicant_name, payer_id_number=dossier.applicant_id_number,
        amount=sum(line["amount"] for line in lines), lines=lines, agency=dossier.agency,
        paid_at=payment.paid_at, payment_reference=payment.reference,
        gateway_label=selectors.gateway_label(payment.gateway),
    )  # fmt: skip
    with transaction.atomic():
        notifications.notify(
            topic="payment.receipt",
            template="payment_receipt",
            context={
                **dossier_selectors.notification_context(dossier),
                "reference": payment.reference,
                "amount": f"{payment.amount:,}".replace(",", "."),
                "number": document.number,
            },
            recipient=dossier.applicant,
            email=dossier.applicant_email,
            phone=dossier.applicant_phone,
            subject=dossier,
            link=dossier_selectors.applicant_link(dossier),
            attachments=[["payment.receipt", [document.pk]]],
        )
    return document

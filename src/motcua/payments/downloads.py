"""The e-receipt's PDF handed to someone a view has already allowed to see the dossier's payments; each
download recorded in the audit log, served private and not cached, as the dossier's other papers are."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.documents import selectors as document_selectors

from . import selectors
from .mail import receipt_filename
from .models import Payment


def receipt_response(request, payment: Payment, *, inline: bool = True) -> HttpResponse:
    """The receipt of ``payment``; Http404 while none is issued."""
    document = selectors.receipt_of(payment)
    if document is None:
        raise Http404(_("No receipt has been issued for this payment yet."))
    content = document_selectors.document_bytes(document)
    audit.record(
        "document.download", actor=request.user, request=request, target=payment.dossier,
        target_label=payment.dossier.code, document="payment_receipt", payment=payment.reference,
    )  # fmt: skip
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{receipt_filename(document)}"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response

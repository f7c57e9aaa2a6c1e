"""The file an e-mail about a payment carries (registered with ``notifications.attachments`` when the app
starts): the e-receipt's PDF, made when the e-mail is sent."""

from motcua.documents import selectors as document_selectors
from motcua.documents.models import Document, DocumentKind
from motcua.notifications.attachments import register


@register("payment.receipt")
def receipt_attachment(document_id: int) -> tuple[str, bytes, str] | None:
    """``(filename, content, "application/pdf")``; None when the receipt no longer exists."""
    document = Document.objects.filter(pk=document_id, kind=DocumentKind.PAYMENT_RECEIPT).first()
    if document is None:
        return None
    return receipt_filename(document), document_selectors.document_bytes(document), "application/pdf"


def receipt_filename(document: Document) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in document.number or document.reference)
    return f"bien-lai-{safe}.pdf"

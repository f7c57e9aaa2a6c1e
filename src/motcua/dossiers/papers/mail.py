"""The papers an e-mail to the applicant carries, made when the e-mail is sent (registered with
``notifications.attachments`` when the app starts, see ``apps.py``): the receipt (form 01) with the
e-mail that announces the code, a slip (forms 02 to 05) with the e-mail that announces it."""

from motcua.documents import selectors as document_selectors
from motcua.notifications.attachments import register

from ..models import Dossier
from . import receipt, slips


def _sent(dossier_id: int, *related) -> Dossier | None:
    dossier = Dossier.objects.select_related(*related).filter(pk=dossier_id).first()
    if dossier is None or dossier.is_draft or not dossier.code:
        return None
    return dossier


@register("dossier.receipt")
def receipt_attachment(dossier_id: int) -> tuple[str, bytes, str] | None:
    """The receipt as an e-mail attachment: ``(filename, content, "application/pdf")``; None when the
    dossier no longer exists or is a draft. A rendering or storage error propagates, so the outbox retries."""
    dossier = _sent(dossier_id, "agency__parent", "procedure", "submitted_by")
    if dossier is None:
        return None
    content = document_selectors.document_bytes(receipt.receipt(dossier))
    return receipt.filename(dossier), content, "application/pdf"


@register("dossier.slip")
def slip_attachment(dossier_id: int, kind: str, ref: int | None = None) -> tuple[str, bytes, str] | None:
    """A slip attached to the e-mail that announces it."""
    dossier = _sent(dossier_id, "procedure", "agency", "current_agency")
    if dossier is None:
        return None
    return slips.slip_filename(dossier, kind), slips.render_slip(dossier, kind, ref), "application/pdf"

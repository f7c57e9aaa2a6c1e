"""Writes about documents: issuing a dossier's PDFs (render once, store in the private storage, record).

Rendering takes about 0.15 s of CPU and happens outside any transaction: on SQLite a transaction holds the
database's write lock from its first statement, and no other request should wait for a PDF.
"""

import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from motcua.dossiers.models import Dossier

from . import selectors
from .models import Document, DocumentKind

logger = logging.getLogger("motcua.documents")

RECEIPT_TEMPLATE = "documents/receipt.html"


def store_document(dossier: Dossier, kind: str, content: bytes, *, number: str = "") -> Document:
    """Record ``content`` (a PDF) as a new document of ``kind`` about ``dossier``, file first, then the row.

    Raises IntegrityError when the dossier may hold only one document of that kind and already does; the
    file written for the refused row is deleted again (nothing refers to it).
    """
    document = Document(
        dossier=dossier,
        kind=kind,
        number=number,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    # The name given here is ignored: document_path() names the file from identifiers.
    document.file.save("document.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():  # a savepoint: a refused insert leaves the caller's transaction usable
            document.save()
    except BaseException:
        _delete_file(document)
        raise
    return document


def receipt_for(dossier: Dossier) -> Document:
    """The receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01) of ``dossier``.

    Returns the stored one, or renders and stores it the first time. Two calls at the same moment (two
    workers, a retried task) leave one receipt: the database refuses the second row, and the loser returns
    the winner's receipt. Raises ValueError for a draft, which has no code and so no receipt.

    Call it after the transaction that sent or received the dossier has committed (from a task): a row
    stored inside a transaction that later rolls back would leave its file behind.
    """
    if dossier.is_draft or not dossier.code:
        raise ValueError("A draft dossier has no receipt: it has not been sent yet.")
    existing = selectors.receipt_of(dossier)
    if existing is not None:
        return existing
    # Imported here: WeasyPrint takes most of a second to import, and only the processes that render pay it.
    from .pdf import render_pdf

    content = render_pdf(RECEIPT_TEMPLATE, selectors.receipt_context(dossier))
    try:
        return store_document(dossier, DocumentKind.RECEIPT, content)
    except IntegrityError:
        # Stored by a concurrent call between our look-up and our insert: that one is the receipt.
        winner = selectors.receipt_of(dossier)
        if winner is None:
            raise
        return winner


def receipt_attachment(dossier_id: int) -> tuple[str, bytes, str] | None:
    """The receipt of a dossier as an e-mail attachment: ``(filename, content, "application/pdf")``.

    The notifications outbox calls it when it sends the e-mail (not when it queues it), so the mail carries
    the receipt even if it was not rendered yet. None when the dossier no longer exists or is a draft;
    a rendering or storage error propagates, so the outbox retries later.
    """
    dossier = (
        Dossier.objects.select_related("agency__parent", "procedure", "submitted_by")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None or dossier.is_draft or not dossier.code:
        return None
    document = receipt_for(dossier)
    # The code is made of an agency identifier, a date and digits; anything else a custom format might
    # put in it is kept out of the file name.
    safe_code = re.sub(r"[^A-Za-z0-9._-]+", "-", dossier.code)
    return f"giay-tiep-nhan-{safe_code}.pdf", selectors.document_bytes(document), "application/pdf"


def _delete_file(document: Document) -> None:
    try:
        document.file.storage.delete(document.file.name)
    except Exception:  # the original error matters more; the orphan is only disk space
        logger.exception(
            "Could not delete the file %s of a document that was not recorded", document.file.name
        )

"""Writes about documents: issuing a dossier's PDFs (render once, store in the private storage, record),
signing its result, and keeping results in the applicant's document store.

Rendering takes about 0.15 s of CPU. Slips are rendered outside any transaction: on SQLite a transaction
holds the database's write lock from its first statement, and no other request should wait for a PDF. A
result is the exception: it is rendered and signed inside the approving transaction, since the approval and
its signed result must stand or fall together.
"""

import datetime
import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.dossiers.models import Dossier

from . import pki, selectors
from .models import Document, DocumentKind, StoredDocument
from .verification import new_verification_code

logger = logging.getLogger("motcua.documents")

RECEIPT_TEMPLATE = "documents/receipt.html"


def store_document(dossier: Dossier, kind: str, content: bytes, *, number: str = "", **facts) -> Document:
    """Record ``content`` (a PDF) as a new document of ``kind`` about ``dossier``, file first, then the row.

    ``facts`` are further fields of the row (a result's verification code, signer…). Raises IntegrityError
    when the dossier may hold only one document of that kind and already does (or a unique value is
    taken); the file written for the refused row is deleted again (nothing refers to it).
    """
    document = Document(
        dossier=dossier,
        kind=kind,
        number=number,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **facts,
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


def supersede(dossier: Dossier, kind: str) -> int:
    """Mark the current ``kind`` documents of ``dossier`` as replaced (kept as issued); the next
    ``receipt_for`` renders a new one. Returns how many were marked."""
    return Document.objects.filter(dossier=dossier, kind=kind, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )


def _unused_verification_code() -> str:
    # 60 random bits: a repeat is all but impossible, and the unique constraint refuses one that slips by.
    code = new_verification_code()
    while Document.objects.filter(verification_code=code).exists():
        code = new_verification_code()
    return code


def issue_result(
    dossier: Dossier,
    *,
    number: str,
    signed_by,
    decision_text: str = "",
    signer_title: str = "",
    agency: Agency | None = None,
) -> Document:
    """Render, number and sign the result (văn bản kết quả) of ``dossier``; store it for the applicant too.

    The PDF (``documents/results/<procedure code>.html``, else ``documents/result.html``) carries
    ``number`` (số văn bản), the signer ``signed_by`` (the leader approving), an optional ``decision_text``
    and ``signer_title`` (chức vụ, e.g. "CHỦ TỊCH"), and a QR code to its public verification page with a
    new random verification code. It is signed (PAdES B-B, or B-T with a time-stamping server) with the
    active certificate of ``agency`` (default: the dossier's agency); with DEBUG and none registered, a demo
    certificate is made.

    Call it inside the transaction that approves the dossier (``transaction.atomic``): it writes the file,
    then the rows, and deletes the file again if its own insert fails. Django has no hook on rollback, so
    if the caller's transaction rolls back later the file stays, unreferenced, until
    ``delete_orphan_files`` (``manage.py delete_orphan_documents``) removes it. Raises
    ``pki.CertificateProblem`` when the agency cannot sign.
    """
    from .pdf import render_pdf  # WeasyPrint is slow to import: only processes that render pay for it

    agency = agency or dossier.agency
    certificate = pki.certificate_for(agency)
    signer = pki.load_signer(certificate)
    signer_name = signed_by.get_full_name()
    issued_at = timezone.now()
    code = _unused_verification_code()
    context = selectors.result_context(
        dossier,
        agency=agency,
        number=number,
        verification_code=code,
        issued_at=issued_at,
        signer_name=signer_name,
        signer_title=signer_title,
        decision_text=decision_text,
    )
    content = pki.sign_pdf(
        render_pdf(selectors.result_templates(dossier), context),
        signer,
        signer_name=signer_name,
        reason=f"{context['title']} số {number}" if number else context["title"],
        location=context["place"],
    )
    document = store_document(
        dossier,
        DocumentKind.RESULT,
        content,
        number=number,
        agency=agency,
        verification_code=code,
        issued_at=issued_at,
        signed_by=signed_by,
        signer_name=signer_name,
        signer_title=signer_title,
        certificate=certificate,
        certificate_fingerprint=certificate.fingerprint,
        signed_digest=_signed_digest(content),
    )
    try:
        keep_for_applicant(document)
    except BaseException:
        _delete_file(document)  # the caller rolls the document row back with its transaction
        raise
    return document


def _signed_digest(content: bytes) -> str:
    from .verification import open_signature

    opened = open_signature(content)
    if isinstance(opened, str):  # we have just signed it: this would be a bug, not bad input
        raise RuntimeError(f"The result just signed cannot be read back ({opened}).")
    return opened.claimed_digest


def keep_for_applicant(document: Document) -> StoredDocument | None:
    """Keep ``document`` in the store (kho dữ liệu) of its dossier's applicant; None without an account.

    Idempotent: a document is kept once per owner.
    """
    owner = document.dossier.applicant
    if owner is None:  # a dossier handed in at the counter by someone without an account
        return None
    title = selectors.result_title(document.dossier.procedure_record or {})
    if document.number:
        title = f"{title} số {document.number}"
    stored, _created = StoredDocument.objects.get_or_create(
        owner=owner, document=document, defaults={"title": title[:255]}
    )
    return stored


def delete_orphan_files(*, older_than: datetime.timedelta = datetime.timedelta(hours=1), dry_run=False):
    """Delete the files under ``documents/`` of the private storage that no document row names.

    They are left when a transaction that stored a document rolls back after the file was written, or a
    process dies in between. Only files older than ``older_than`` go: a younger one may belong to a
    transaction still running. Returns the names deleted (or, with ``dry_run``, that would be).
    """
    storage = Document._meta.get_field("file").storage
    known = set(Document.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    orphans = []
    for name in _walk(storage, "documents"):
        if name not in known and storage.get_modified_time(name) < cutoff:
            orphans.append(name)
            if not dry_run:
                storage.delete(name)
    return orphans


def _walk(storage, folder: str):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


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

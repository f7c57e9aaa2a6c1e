"""Writes about documents: storing an issued PDF (file first, then the row), issuing one once, signing with
an agency's certificate, superseding and revoking, and the owners' document store.

A document is about a ``subject`` (any model instance); what it says is rendered by the subject's app with
``pdf.render_pdf`` and handed here as bytes. Rendering takes about 0.15 s of CPU and signing may wait for a
time-stamping server: do both outside any transaction that holds rows others wait for.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Agency

from . import pki, selectors
from .models import Document, SigningCertificate, StoredDocument
from .verification import new_verification_code, open_signature

logger = logging.getLogger("motcua.documents")


def store_document(subject, kind: str, content: bytes, *, number: str = "", **facts) -> Document:
    """Record ``content`` (a PDF) as a new document of ``kind`` about ``subject``, file first, then the row.

    ``facts`` are further fields of the row (a result's verification code, signer, title…). Raises
    IntegrityError when the subject may hold only one current document of that kind and already does (or a
    unique value is taken); the file written for the refused row is deleted again (nothing refers to it).
    """
    document = Document(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
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
        delete_file(document)
        raise
    return document


def issue_once(subject, kind: str, render: Callable[[], bytes]) -> Document:
    """The current document of ``kind`` about ``subject``, rendered by ``render()`` and stored the first time.

    For kinds of which a subject holds one current document (the receipt): two calls at the same moment (two
    workers, a retried task) leave one; the database refuses the second row and the loser returns the
    winner's. Call it after the transaction that made the subject has committed (from a task): a row stored
    inside a transaction that later rolls back would leave its file behind.
    """
    existing = selectors.current_document(subject, kind)
    if existing is not None:
        return existing
    try:
        return store_document(subject, kind, render())
    except IntegrityError:
        # Stored by a concurrent call between our look-up and our insert: that one is the document.
        winner = selectors.current_document(subject, kind)
        if winner is None:
            raise
        return winner


def supersede(subject, kind: str) -> int:
    """Mark the current ``kind`` documents about ``subject`` as replaced (kept as issued); the next
    ``issue_once`` renders a new one. Returns how many were marked."""
    return (
        selectors.documents_about(subject, kind)
        .filter(superseded_at__isnull=True)
        .update(superseded_at=timezone.now())
    )


def revoke(subject, *, kind: str, by, reason: str, at: datetime.datetime) -> int:
    """Revoke every standing document of ``kind`` about ``subject``: when, by whom and why are kept, and
    verification answers "revoked" from then on. Returns how many were revoked."""
    return (
        selectors.documents_about(subject, kind)
        .filter(revoked_at__isnull=True)
        .update(revoked_at=at, revoked_by=by, revocation_reason=(reason or "")[:4000])
    )


# --- signing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signing:
    """An agency's active certificate with its signer, ready to sign (``signing_for``)."""

    agency: Agency
    certificate: SigningCertificate
    signer: object  # a pyHanko signer


def signing_for(agency: Agency) -> Signing:
    """The certificate ``agency`` signs with, loaded (a key file opened, a token logged in); in development or
    on the demo site and none registered, a demo certificate is made. Raises ``pki.CertificateProblem`` when
    it cannot sign."""
    certificate = pki.certificate_for(agency)
    return Signing(agency=agency, certificate=certificate, signer=pki.load_signer(certificate))


def unused_verification_code() -> str:
    """A fresh verification code no document has (60 random bits: a repeat is all but impossible, and the
    unique constraint refuses one that slips by)."""
    code = new_verification_code()
    while Document.objects.filter(verification_code=code).exists():
        code = new_verification_code()
    return code


def sign(content: bytes, signing: Signing, *, signer_name: str, reason: str, location: str) -> bytes:
    """``content`` (a PDF) signed with the agency's certificate: PAdES B-B, or B-T with a time-stamping
    server (``MOTCUA_TSA_URL``). Raises ``pki.CertificateProblem`` when the key or the TSA fails."""
    return pki.sign_pdf(content, signing.signer, signer_name=signer_name, reason=reason, location=location)


def signed_facts(content: bytes, signing: Signing) -> dict:
    """What a signed document's row records of its signature (``store_document(**facts)``)."""
    opened = open_signature(content)
    if isinstance(opened, str):  # we have just signed it: this would be a bug, not bad input
        raise RuntimeError(f"The document just signed cannot be read back ({opened}).")
    return {
        "agency": signing.agency,
        "certificate": signing.certificate,
        "certificate_fingerprint": signing.certificate.fingerprint,
        "signed_digest": opened.claimed_digest,
    }


# --- the document store (kho dữ liệu) -----------------------------------------------------------------------


def keep_in_store(document: Document, *, owner, title: str) -> StoredDocument | None:
    """Keep ``document`` in ``owner``'s store (kho dữ liệu); None without an owner (a person without an
    account). Idempotent: a document is kept once per owner."""
    if owner is None:
        return None
    stored, _created = StoredDocument.objects.get_or_create(
        owner=owner, document=document, defaults={"title": title[:255]}
    )
    return stored


# --- files --------------------------------------------------------------------------------------------------


def delete_file(document: Document) -> None:
    """Delete the stored file of a document whose row was not (or is no longer) recorded."""
    try:
        document.file.storage.delete(document.file.name)
    except Exception:  # the original error matters more; the orphan is only disk space
        logger.exception(
            "Could not delete the file %s of a document that was not recorded", document.file.name
        )


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

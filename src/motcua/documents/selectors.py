"""Reads about documents: the documents about a subject, their stored bytes (checked), the place name an
agency writes, public verification, and a person's document store."""

import datetime
import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import translation

from motcua.catalog.models import Agency

from . import pki
from .models import VERIFIABLE_KINDS, Document, DocumentKind, StoredDocument
from .verification import (
    DocumentFacts,
    Reason,
    VerificationResult,
    check_signature,
    normalize_code,
    open_signature,
    sha256_of,
)

# The address printed (and QR-coded) on every signed result. Fixed here rather than reversed from the URL
# configuration: a result stays in people's hands for decades, so this path must never change.
VERIFY_PATH = "/xac-minh/{code}/"


class TamperedDocument(Exception):
    """The stored file of a document no longer has the SHA-256 recorded when it was issued."""


def documents_about(subject, kind: str | None = None) -> QuerySet[Document]:
    """Every document about ``subject`` (of ``kind``), superseded and revoked ones included, oldest first."""
    rows = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("created_at", "id")
    return rows.filter(kind=kind) if kind is not None else rows


def current_document(subject, kind: str) -> Document | None:
    """The ``kind`` document about ``subject`` that stands now (not superseded, not revoked), or None; the
    latest issued when there are several."""
    return (
        documents_about(subject, kind)
        .filter(superseded_at__isnull=True, revoked_at__isnull=True)
        .select_related("agency", "certificate")
        .order_by("-issued_at", "-created_at", "-id")
        .first()
    )


def document_bytes(document: Document) -> bytes:
    """The stored PDF of ``document``, checked against its recorded SHA-256 (raises TamperedDocument)."""
    with document.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise TamperedDocument(f"The file of document {document.uuid} changed after it was issued.")
    return content


def verification_url(code: str) -> str:
    """The public verification address of a result (what its QR code holds)."""
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + VERIFY_PATH.format(code=code)


def place_name(agency: Agency | None) -> str:
    """The place name (địa danh) written before the date: the commune's or province's name (Decree 30/2020).

    Read from the names of the agency and then its parents: "Ủy ban nhân dân xã Tân Phong" gives
    "Tân Phong", "Sở Tư pháp tỉnh Hải Đông" gives "Hải Đông"; empty when no name says where.
    """
    unit = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|xã|phường|thị trấn|đặc khu)\s+(.+)$", re.IGNORECASE)
    node, seen = agency, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        match = unit.search(node.name)
        if match:
            return match.group(1).strip()
        node = node.parent
    return ""


# --- public verification (xác minh) ------------------------------------------------------------------------


def _results() -> QuerySet[Document]:
    """The documents verification answers for: signed results and electronic payment receipts."""
    return Document.objects.filter(kind__in=VERIFIABLE_KINDS).select_related("agency", "certificate")


def document_facts(document: Document) -> DocumentFacts:
    """The public facts of an issued result (see DocumentFacts for what is left out, and why)."""
    agency = document.agency
    with translation.override("vi"):
        kind_label = str(DocumentKind(document.kind).label)
    return DocumentFacts(
        kind=document.kind,
        kind_label=kind_label,
        title=document.title,
        number=document.number,
        verification_code=document.verification_code or "",
        issued_at=document.issued_at,
        agency_code=agency.code if agency else "",
        agency_name=agency.name if agency else "",
        procedure_code=document.procedure_code,
        procedure_name=document.procedure_name,
        signer_name=document.signer_name,
        signer_title=document.signer_title,
        sha256=document.sha256,
        demo_certificate=bool(document.certificate and document.certificate.is_demo),
        url=verification_url(document.verification_code) if document.verification_code else "",
        revoked_at=document.revoked_at,
    )


def verify_code(code: str) -> VerificationResult:
    """Is there a result with this verification code (as printed, or typed in any reasonable way)?"""
    normalized = normalize_code(code)
    document = _results().filter(verification_code=normalized).first() if normalized else None
    if document is None:
        return VerificationResult(genuine=False, reason=Reason.UNKNOWN_CODE)
    if document.is_revoked:
        return VerificationResult(genuine=False, reason=Reason.REVOKED, document=document_facts(document))
    return VerificationResult(genuine=True, reason=Reason.GENUINE, document=document_facts(document))


def verify_pdf(content: bytes) -> VerificationResult:
    """Is ``content`` a genuine, unaltered result of this portal? If not, the first reason why not.

    Checks in order: a PDF; signed; the signed bytes match the signature (intact) and the signature
    verifies (valid); the certificate chains to a trusted root; the signature covers the whole file; and
    the portal issued it (a result whose SHA-256, or whose signed digest, it recorded, with that
    certificate), and it still stands (not revoked). When the file is not the exact one issued but carries
    its signature, the answer still names that document: "altered" or "modified after signing" then says what
    became of it.
    """
    file_hash = sha256_of(content)
    opened = open_signature(content)
    if isinstance(opened, str):
        return VerificationResult(genuine=False, reason=opened, by_file=True, file_sha256=file_hash)
    # The exact file, else the result whose signature this file carries (then it was changed somewhere).
    document = (
        _results().filter(sha256=file_hash).first()
        or _results().filter(signed_digest=opened.claimed_digest).first()
    )
    # The portal's own record of when it signed is a time it can trust: a result it issued is checked as of
    # that moment, so it stays verifiable after its certificate expires. Anything else is checked as of now.
    check = check_signature(opened, roots=pki.trust_roots(), moment=document.issued_at if document else None)
    facts = document_facts(document) if document else None
    if not (check.intact and check.valid and check.timestamp_sound):
        reason = Reason.ALTERED
    elif not check.trusted:
        reason, facts = Reason.UNKNOWN_CERTIFICATE, None
    elif not check.whole_file:
        reason = Reason.MODIFIED_AFTER_SIGNING
    elif document is None or check.signer_fingerprint != document.certificate_fingerprint:
        reason, facts = Reason.NOT_ISSUED_HERE, None
    elif document.is_revoked:
        reason = Reason.REVOKED
    else:
        reason = Reason.GENUINE
    return VerificationResult(
        genuine=reason == Reason.GENUINE,
        reason=reason,
        document=facts,
        by_file=True,
        file_sha256=file_hash,
        timestamped_at=check.timestamped_at if reason == Reason.GENUINE else None,
    )


# --- the applicant's document store (kho dữ liệu) ---------------------------------------------------------


def store_of(user, *, paper_kind: str | None = None) -> QuerySet[StoredDocument]:
    """The entries of ``user``'s store that stand: not removed, and not a revoked document (which is no
    longer offered), newest first, each with its document and what that is about (``document.subject``)."""
    if not getattr(user, "is_authenticated", False):
        return StoredDocument.objects.none()
    rows = (
        StoredDocument.objects.filter(owner=user, removed_at__isnull=True)
        .exclude(document__revoked_at__isnull=False)
        .select_related("document__agency")
        .prefetch_related("document__subject", "origin")
        .order_by("-added_at", "-id")
    )
    return rows.filter(paper_kind=paper_kind) if paper_kind is not None else rows


def entry_of(user, entry_id) -> StoredDocument:
    """The entry ``entry_id`` of ``user``'s own store; StoredDocument.DoesNotExist for any other (someone
    else's, removed, or not a number): to others an entry does not exist."""
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise StoredDocument.DoesNotExist from None
    return store_of(user).get(pk=pk)


def reusable_papers(user, paper_kind: str, *, on: datetime.date) -> QuerySet[StoredDocument]:
    """The papers of kind ``paper_kind`` in ``user``'s store that are valid on the day ``on`` (no end date,
    or one not passed): what a form offers instead of a new upload. None for an unknown kind."""
    if not paper_kind:
        return StoredDocument.objects.none()
    return store_of(user, paper_kind=paper_kind).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def stored_bytes(entry: StoredDocument) -> bytes:
    """The bytes of a stored paper (its own copy, or the issued document's), checked against its SHA-256
    (raises TamperedDocument)."""
    if entry.document_id:
        return document_bytes(entry.document)
    with entry.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != entry.sha256:
        raise TamperedDocument(f"The file of stored paper {entry.pk} changed after it was kept.")
    return content


def stored_file_facts(entry: StoredDocument) -> tuple[str, str]:
    """(content type, download name) of a stored entry."""
    if entry.document_id:
        number = entry.document.number.replace("/", "-")
        return "application/pdf", f"{entry.document.kind}-{number or entry.pk}.pdf"
    return entry.content_type, entry.original_name or f"giay-to-{entry.pk}"

"""Writes about documents: storing an issued PDF (file first, then the row), issuing one once, signing with
an agency's certificate, superseding and revoking, the owners' document store (kho dữ liệu), and the
electronic payment receipt (biên lai điện tử).

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core import money, sequences, storage

from . import pki, rules, selectors
from .models import Document, DocumentKind, SigningCertificate, StoredDocument
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

UNCHANGED = object()


def keep_in_store(document: Document, *, owner, title: str, paper_kind: str = "") -> StoredDocument | None:
    """Keep ``document`` (issued by the portal) in ``owner``'s store (kho dữ liệu); None without an owner (a
    person without an account). Its issuer is the agency that issued it. Idempotent: a document is kept once
    per owner, and one the owner removed stays removed."""
    if owner is None:
        return None
    stored, _created = StoredDocument.objects.get_or_create(
        owner=owner,
        document=document,
        defaults={
            "title": title[:255],
            "paper_kind": paper_kind,
            "issuer": document.agency.name[:255] if document.agency_id else "",
        },
    )
    return stored


def keep_paper(
    *, owner, origin, content: bytes, content_type: str, original_name: str, title: str, paper_kind: str = ""
) -> StoredDocument | None:
    """Keep a copy of a paper ``owner`` uploaded (``origin``: the dossier's attachment it came with) in their
    store. The copy is the store's own: the dossier's file is never shared. None without an owner.

    Idempotent: an origin is kept once (removed or not), and the same file (SHA-256) the owner keeps already
    is not kept twice. Call it after the dossier was sent and committed (a task): the file is written first.
    """
    if owner is None:
        return None
    origin_type = ContentType.objects.get_for_model(origin)
    found = StoredDocument.objects.filter(owner=owner, origin_type=origin_type, origin_id=origin.pk).first()
    if found is not None:
        return found
    digest = hashlib.sha256(content).hexdigest()
    same = StoredDocument.objects.filter(owner=owner, sha256=digest, removed_at__isnull=True).first()
    if same is not None:
        return same
    entry = StoredDocument(
        owner=owner,
        title=(title or original_name or "")[:255],
        paper_kind=paper_kind,
        original_name=original_name[-255:],
        content_type=content_type,
        size=len(content),
        sha256=digest,
        origin_type=origin_type,
        origin_id=origin.pk,
    )
    extension = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else "bin"
    entry.file.save(f"paper.{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # kept by a concurrent run of the same task
        _delete_stored_file(entry.file.name)
        return StoredDocument.objects.filter(
            owner=owner, origin_type=origin_type, origin_id=origin.pk
        ).first()
    except BaseException:
        _delete_stored_file(entry.file.name)
        raise
    return entry


@transaction.atomic
def update_stored(
    entry: StoredDocument, *, by, title=UNCHANGED, issuer=UNCHANGED, valid_until=UNCHANGED
) -> StoredDocument:
    """The owner renames an entry of their store, names who issued a paper they uploaded, or sets until when
    it is valid (None: no end). What is not given stays. Raises PermissionDenied for anyone but the owner and
    ValidationError (by field) for a value refused."""
    entry = StoredDocument.objects.select_for_update().get(pk=entry.pk)
    if not rules.allowed(rules.StoreAction.EDIT, entry, by):
        raise PermissionDenied(_("This document is not in your store."))
    errors = {}
    if title is not UNCHANGED:
        title = " ".join(str(title or "").split())
        if not title:
            errors["title"] = [_("Give the document a name.")]
        elif len(title) > 255:
            errors["title"] = [_("A name has at most 255 characters.")]
        else:
            entry.title = title
    if issuer is not UNCHANGED:
        issuer = " ".join(str(issuer or "").split())
        if not rules.allowed(rules.StoreAction.NAME_ISSUER, entry, by):
            if issuer != entry.issuer:
                errors["issuer"] = [_("The issuer of a document issued by this portal cannot be changed.")]
        elif len(issuer) > 255:
            errors["issuer"] = [_("An issuer's name has at most 255 characters.")]
        else:
            entry.issuer = issuer
    if valid_until is not UNCHANGED:
        if valid_until is not None and not isinstance(valid_until, datetime.date):
            errors["valid_until"] = [_("Enter a date, such as 31/12/2030.")]
        else:
            entry.valid_until = valid_until
    if errors:
        raise ValidationError(errors)
    entry.save()
    return entry


@transaction.atomic
def remove_stored(entry: StoredDocument, *, by) -> None:
    """The owner removes an entry from their store. The dossiers that hold the paper keep their own copies;
    the store's copy of an uploaded paper is deleted, and the entry stays marked removed (a dossier that
    reused it still says where its paper came from)."""
    entry = StoredDocument.objects.select_for_update().get(pk=entry.pk)
    if not rules.allowed(rules.StoreAction.REMOVE, entry, by):
        raise PermissionDenied(_("This document is not in your store."))
    entry.removed_at = timezone.now()
    name = entry.file.name
    entry.save(update_fields=["removed_at", "updated_at"])
    if name:
        transaction.on_commit(lambda: _delete_stored_file(name))


def _delete_stored_file(name: str) -> None:
    try:
        StoredDocument._meta.get_field("file").storage.delete(name)
    except Exception:  # a file left behind is only disk space; the row says it is gone
        logger.exception("Could not delete the stored file %s", name)


# --- the electronic payment receipt (biên lai điện tử) ------------------------------------------------------

RECEIPT_TEMPLATE = "documents/payment_receipt.html"
RECEIPT_TITLE = "Biên lai thu phí, lệ phí"


class _AlreadyIssued(Exception):
    def __init__(self, document):
        self.document = document


def format_receipt_number(seq: int, year: int) -> str:
    """A receipt's number: the agency's sequence of the year, seven digits, e.g. ``0000015/2026``."""
    return f"{seq:07d}/{year}"


def allocate_receipt_number(agency: Agency, moment: datetime.datetime) -> str:
    """The next receipt number of ``agency`` in the local year of ``moment``: no gaps, no duplicates. The
    counter's row stays locked until the caller's transaction ends (a rollback gives the number back)."""
    year = timezone.localtime(moment).year
    seq = sequences.take("documents_receiptsequence", "year", {(agency.pk, year): 1})[(agency.pk, year)]
    return format_receipt_number(seq, year)


def receipt_context(**facts) -> dict:
    """What ``documents/payment_receipt.html`` prints (see its comment); amounts as figures and in words."""
    return {
        **facts,
        "place": selectors.place_name(facts["agency"]),
        "amount": money.format_vnd(facts["amount"]),
        "amount_words": money.amount_in_words(facts["amount"]),
        "lines": [{"name": ln["name"], "amount": money.format_vnd(ln["amount"])} for ln in facts["lines"]],
        "verification_url": selectors.verification_url(facts["verification_code"]),
    }


def _clean_lines(amount: int, lines: list[dict]) -> list[dict]:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError("A receipt's amount is a whole, non-negative number of đồng.")
    cleaned = [{"name": str(line["name"])[:500], "amount": int(line["amount"])} for line in lines]
    if not cleaned:
        cleaned = [{"name": RECEIPT_TITLE, "amount": amount}]
    if sum(line["amount"] for line in cleaned) != amount:
        raise ValueError("The lines of a receipt add up to its amount.")
    return cleaned


def issue_payment_receipt(
    *,
    dossier,
    payer_name: str,
    payer_id_number: str,
    amount: int,
    lines: list[dict],
    agency: Agency,
    paid_at: datetime.datetime,
    payment_reference: str,
    gateway_label: str,
    number: str | None = None,
) -> Document:
    """Biên lai điện tử: the receipt of a payment of ``amount`` đồng (the fee ``lines``, each ``{"name",
    "amount"}``, adding up to it) for ``dossier``, collected by ``agency``; a PDF with its number, the payer,
    the amount in figures and in words, the payment reference and gateway, and a QR code to its public
    verification page. Signed with the agency's certificate when it has one (unsigned otherwise: the code
    still verifies it). Kept with the dossier and in the applicant's document store.

    The number is the agency's next of the year (``allocate_receipt_number``), unless ``number`` is given.
    Idempotent per ``payment_reference``: a second call (a repeated callback, a retried task) returns the
    receipt issued first, and uses up no number. Call it after the payment's own transaction committed
    (from a task): rendering and signing happen while the agency's receipt counter is held, so receipts of
    one agency are issued in turn and a failure gives its number back.
    """
    reference = str(payment_reference).strip()[:64]
    if not reference:
        raise ValueError("A receipt names the payment it is for.")
    existing = Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, reference=reference).first()
    if existing is not None:
        return existing
    lines = _clean_lines(amount, lines)
    try:
        signing = signing_for(agency)
    except pki.CertificateProblem as exc:
        logger.warning("Receipt %s is issued unsigned: %s cannot sign (%s)", reference, agency, exc)
        signing = None
    document = None
    try:
        with transaction.atomic():
            # The counter's row is locked first: a concurrent call for the same payment waits here, then
            # finds the receipt the first one stored and rolls back, giving its number back.
            taken = number or allocate_receipt_number(agency, paid_at)
            existing = Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, reference=reference).first()
            if existing is not None:
                raise _AlreadyIssued(existing)
            document = _render_receipt(
                dossier, signing, number=taken, reference=reference, agency=agency, paid_at=paid_at,
                payer_name=payer_name, payer_id_number=payer_id_number, amount=amount, lines=lines,
                gateway_label=gateway_label,
            )  # fmt: skip
            keep_in_store(
                document, owner=getattr(dossier, "applicant", None), title=f"{RECEIPT_TITLE} số {taken}"
            )
    except _AlreadyIssued as repeat:
        return repeat.document
    except IntegrityError:
        if document is not None:
            delete_file(document)
        winner = Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT, reference=reference).first()
        if winner is None:
            raise
        return winner
    except BaseException:
        if document is not None:
            delete_file(document)
        raise
    return document


def _render_receipt(dossier, signing, *, number, reference, agency, **facts) -> Document:
    from .pdf import render_pdf  # WeasyPrint is slow to import: only renderers pay for it

    issued_at = timezone.now()
    code = unused_verification_code()
    record = getattr(dossier, "procedure_record", None) or {}
    context = receipt_context(
        agency=agency, number=number, issued_at=issued_at, verification_code=code, signed=signing is not None,
        payment_reference=reference, dossier_code=getattr(dossier, "code", ""),
        procedure_name=record.get("name", ""), **facts,
    )  # fmt: skip
    content = render_pdf(RECEIPT_TEMPLATE, context)
    signed_facts_ = {}
    if signing is not None:
        content = sign(
            content, signing, signer_name=agency.name, reason=f"{RECEIPT_TITLE} số {number}",
            location=context["place"],
        )  # fmt: skip
        signed_facts_ = signed_facts(content, signing)
    return store_document(
        dossier, DocumentKind.PAYMENT_RECEIPT, content, number=number, title=RECEIPT_TITLE,
        procedure_code=record.get("code", ""), procedure_name=record.get("name", "")[:1000],
        verification_code=code, issued_at=issued_at, signer_name=agency.name[:255], reference=reference,
        **{"agency": agency, **signed_facts_},
    )  # fmt: skip


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
    """Delete the files of the private storage that no row names: documents (``documents/``) and papers kept
    in applicants' stores (``store/``).

    They are left when a transaction that stored one rolls back after the file was written, or a process
    dies in between. Only files older than ``older_than`` go: a younger one may belong to a transaction
    still running. Returns the names deleted (or, with ``dry_run``, that would be).
    """
    deleted = []
    for model, folder in ((Document, "documents"), (StoredDocument, "store")):
        deleted += storage.delete_unnamed_files(
            model._meta.get_field("file").storage, folder,
            lambda names, model=model: model.objects.filter(file__in=names).values_list("file", flat=True),
            older_than=older_than, dry_run=dry_run,
        )  # fmt: skip
    return deleted

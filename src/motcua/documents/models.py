"""Documents (tài liệu, giấy tờ điện tử): the PDFs the portal issues, stored, signed and verifiable.

The kinds follow the slips and letters of Circular 03/2025 Annex I (01 receipt and appointment, 02 supplement
request, 03 refusal, 04 apology, 05 stopped processing, 06 process control sheet) and the signed results. A
document is written once and never changed: ``sha256`` and ``size`` are those of the stored bytes, so a copy
served later can be checked against them; a document that no longer stands is marked superseded or revoked,
never deleted.

A document is *about* something (its ``subject``: a dossier, for instance) through a generic relation:
this app renders, signs, stores and verifies files and knows nothing of what they are about; what a
document says is assembled by the app its subject belongs to.

Also here: the agencies' signing certificates (chứng thư số) that sign results, the document store (kho dữ
liệu) where each person keeps the papers they uploaded and the documents issued to them, for reuse, and the
counter of the electronic payment receipts (biên lai điện tử).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import PaperKind
from motcua.core.storage import private_storage


class DocumentKind(models.TextChoices):
    """The form a document follows (Circular 03/2025 Annex I numbers in brackets)."""

    RECEIPT = "receipt", _("Receipt and appointment slip")  # 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT_REQUEST = "supplement_request", _("Supplement request")  # 02 Phiếu yêu cầu bổ sung
    REFUSAL = "refusal", _("Refusal")  # 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology", _("Apology and new appointment")  # 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả
    STOP_NOTICE = "stop_notice", _("Notice of stopped processing")  # 05 Thông báo dừng xử lý
    CONTROL_SHEET = "control_sheet", _("Process control sheet")  # 06 Phiếu kiểm soát quá trình
    RESULT = "result", _("Result document")  # văn bản kết quả giải quyết
    PAYMENT_RECEIPT = "payment_receipt", _("Electronic payment receipt")  # biên lai điện tử


# The kinds the public verification page (xác minh) answers for: those printed with a verification code.
VERIFIABLE_KINDS = (DocumentKind.RESULT, DocumentKind.PAYMENT_RECEIPT)


def document_path(instance, filename):
    # The stored name comes from identifiers only: nothing a user typed reaches the file system. (Documents
    # stored before 2026-12 are in documents/<dossier uuid>/; the names are kept in their rows.)
    return f"documents/{timezone.now():%Y/%m}/{instance.kind}-{instance.uuid}.pdf"


class Document(models.Model):
    """Tài liệu: one issued PDF about one subject, kept in the private storage (it holds personal data).

    ``number`` is the number the records office gives (số văn bản); slips have none, results get one when
    they are numbered. ``title``, ``procedure_code`` and ``procedure_name`` are what a signed result prints
    in its header, kept so that verification answers from the document alone.
    """

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("about (kind)")
    )
    subject_id = models.PositiveBigIntegerField(_("about (id)"))
    subject = GenericForeignKey("subject_type", "subject_id")
    number = models.CharField(_("number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    procedure_code = models.CharField(_("procedure code"), max_length=20, blank=True)
    procedure_name = models.CharField(_("procedure name"), max_length=1000, blank=True)
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing agency"),
        help_text=_("The agency that signed a result; empty for slips, which the receiving agency issues."),
    )
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage, max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Signed results only (kết quả điện tử): what the public verification page looks up and shows.
    verification_code = models.CharField(
        _("verification code"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # who signed a result is part of it: accounts are deactivated, not deleted
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signer_name = models.CharField(_("signer name"), max_length=255, blank=True)
    signer_title = models.CharField(_("signer title"), max_length=255, blank=True)
    certificate = models.ForeignKey(
        "documents.SigningCertificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("signing certificate"),
    )
    certificate_fingerprint = models.CharField(
        _("certificate SHA-256 fingerprint"), max_length=64, blank=True
    )
    # The digest the signature vouches for (CMS messageDigest over the signed byte range): an upload whose
    # bytes differ but which claims this digest is an altered copy of this document.
    signed_digest = models.CharField(_("signed digest"), max_length=128, blank=True, db_index=True)
    # A document replaced by a newer one of its kind (the receipt reissued when the desk fixes the due date)
    # is kept as it was issued, and marked.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # A result that no longer stands (its processing stopped, its approval undone, a corrected one issued):
    # verification answers "revoked" from then on, and its owner is no longer offered it.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    # What the document vouches for, named by the system that knows it: a receipt's payment reference.
    reference = models.CharField(_("reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]
        constraints = [
            # The database, not a check before the insert, keeps one receipt per dossier: two workers that
            # render it at the same moment cannot both store one. Other kinds may repeat (a second supplement
            # request, a new apology, several results).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(kind="receipt", superseded_at__isnull=True),
                name="documents_one_current_receipt",
            ),
            # One electronic receipt per payment: issuing it again returns the first.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(kind="payment_receipt"),
                name="documents_one_receipt_per_payment",
            ),
        ]
        indexes = [
            # Verification looks an uploaded file up by its hash.
            models.Index(fields=["sha256"], name="documents_sha256_idx"),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="documents_subject_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or str(self.uuid)[:8]}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CertificateSource(models.TextChoices):
    FILE = "file", _("PKCS#12 file")
    PKCS11 = "pkcs11", _("PKCS#11 token or HSM")


class SigningCertificate(models.Model):
    """Chứng thư số: the certificate (and where its private key is) with which an agency signs results.

    The key itself is never in the database: a PKCS#12 file on the server whose passphrase is in the
    environment variable ``secret_env``, or a key inside a PKCS#11 token or HSM (``path`` is then the
    vendor's PKCS#11 module, ``token_label`` and ``key_label`` name the token and key, ``secret_env`` holds
    the PIN). The subject, dates and fingerprint are read from the certificate when it is registered.
    One certificate per agency is active; the older ones stay, since the results they signed name them.
    """

    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("agency"),
    )
    source = models.CharField(_("source"), max_length=16, choices=CertificateSource.choices)
    path = models.CharField(
        _("path"), max_length=500, help_text=_("The PKCS#12 file, or the PKCS#11 module (.so) of the token.")
    )
    secret_env = models.CharField(
        _("passphrase or PIN variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "Name of the environment variable holding the PKCS#12 passphrase or the token PIN "
            "(empty for a demo certificate: MOTCUA_PKI_PASSPHRASE)."
        ),
    )
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    key_label = models.CharField(_("key label"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    serial = models.CharField(_("serial number"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    certificate_pem = models.TextField(
        _("certificate (PEM)"), help_text=_("The signing certificate, then any intermediate certificates.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo certificate"), default=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["agency", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_active=True), name="documents_one_active_certificate"
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.fingerprint[:16]})"


def stored_path(instance, filename):
    # Identifiers only, the extension from what the file was found to be when the applicant uploaded it.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"store/{instance.owner_id}/{uuid.uuid4()}.{extension}"


class StoredDocument(models.Model):
    """Kho dữ liệu: one paper kept in an applicant's own store, to download again or reuse in a later dossier.

    Either a document the portal issued (``document``: a result, an electronic receipt; its issuer is the
    agency) or a paper the applicant uploaded with a dossier they sent, kept as a copy of its own (``file``):
    the store and the dossier never share a file, so removing one leaves the other intact. ``paper_kind`` is
    the kind of paper (the dossier component's); ``issuer`` and ``valid_until`` the owner may set. An entry
    the owner removes is marked, not deleted (its file is), so a dossier that reused it still says so.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="stored_documents",
        verbose_name=_("owner"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stored_copies",
        verbose_name=_("document"),
    )
    title = models.CharField(_("title"), max_length=255)
    paper_kind = models.CharField(_("kind of paper"), max_length=32, choices=PaperKind.choices, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # An uploaded paper's own copy (empty for a document the portal issued).
    file = models.FileField(
        _("file"), upload_to=stored_path, storage=private_storage, max_length=255, blank=True
    )
    original_name = models.CharField(_("name of the uploaded file"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Where an uploaded paper came from (a dossier's attachment): kept once per origin, however often asked.
    origin_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    origin = GenericForeignKey("origin_type", "origin_id")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("document store")
        ordering = ["owner", "-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "document"], name="documents_stored_once_per_owner"),
            models.UniqueConstraint(
                fields=["owner", "origin_type", "origin_id"], name="documents_stored_once_per_origin"
            ),
            models.CheckConstraint(
                condition=Q(document__isnull=False) | ~Q(file=""), name="documents_stored_has_content"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_issued(self) -> bool:
        """Issued by the portal (a result, a receipt): its issuer is the agency, not what the owner says."""
        return self.document_id is not None

    @property
    def kind_label(self) -> str:
        if self.paper_kind:
            return str(PaperKind(self.paper_kind).label)
        if self.document_id:
            return str(DocumentKind(self.document.kind).label)
        return str(PaperKind.OTHER.label)

    def is_valid_on(self, day) -> bool:
        return self.valid_until is None or self.valid_until >= day


class ReceiptSequence(models.Model):
    """The last number given to an electronic payment receipt by one agency in one year (gapless)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt number sequence")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="documents_receipt_sequence_unique")
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year} {self.last}"

"""Documents (tài liệu, giấy tờ điện tử): the PDFs the portal issues about a dossier.

The slips and letters of Circular 03/2025 Annex I (01 receipt and appointment, 02 supplement request,
03 refusal, 04 apology, 05 stopped processing, 06 process control sheet) and the signed results. A document
is written once and never changed: ``sha256`` and ``size`` are those of the stored bytes, so a copy
served later can be checked against them.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import private_storage


class DocumentKind(models.TextChoices):
    """The form a document follows (Circular 03/2025 Annex I numbers in brackets)."""

    RECEIPT = "receipt", _("Receipt and appointment slip")  # 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT_REQUEST = "supplement_request", _("Supplement request")  # 02 Phiếu yêu cầu bổ sung
    REFUSAL = "refusal", _("Refusal")  # 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology", _("Apology and new appointment")  # 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả
    STOP_NOTICE = "stop_notice", _("Notice of stopped processing")  # 05 Thông báo dừng xử lý
    CONTROL_SHEET = "control_sheet", _("Process control sheet")  # 06 Phiếu kiểm soát quá trình
    RESULT = "result", _("Result document")  # văn bản kết quả giải quyết


def document_path(instance, filename):
    # The stored name comes from identifiers only: nothing a user typed reaches the file system.
    return f"documents/{instance.dossier.uuid}/{instance.kind}-{instance.uuid}.pdf"


class Document(models.Model):
    """Tài liệu: one issued PDF about one dossier, kept in the private storage (it holds personal data).

    ``number`` is the number the records office gives (số văn bản); slips have none, results get one when
    they are numbered.
    """

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="documents", verbose_name=_("dossier")
    )
    number = models.CharField(_("number"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage, max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["dossier", "created_at", "id"]
        constraints = [
            # The database, not a check before the insert, keeps one receipt per dossier: two workers that
            # render it at the same moment cannot both store one. Other kinds may repeat (a second supplement
            # request, a new apology, several results).
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=Q(kind="receipt"),
                name="documents_one_receipt_per_dossier",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.dossier}"

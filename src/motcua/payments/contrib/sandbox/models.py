"""The sandbox gateway's own ledger: its transactions, refunds and IPN deliveries (never the portal's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransactionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESS = "success", _("Successful")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")


class SandboxTransaction(models.Model):
    """A payment the gateway processed (giao dịch tại cổng): one per merchant and ``vnp_TxnRef``."""

    transaction_no = models.CharField(_("transaction no."), max_length=8, unique=True)
    tmn_code = models.CharField(_("merchant code"), max_length=8)
    txn_ref = models.CharField(_("merchant reference"), max_length=100)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    order_info = models.CharField(_("order information"), max_length=255)
    return_url = models.URLField(_("return URL"), max_length=1000)
    bank_code = models.CharField(_("bank code"), max_length=20, blank=True)
    bank_tran_no = models.CharField(_("bank transaction no."), max_length=30, blank=True)
    card_type = models.CharField(_("card type"), max_length=20, blank=True)
    response_code = models.CharField(_("response code"), max_length=2, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TransactionStatus.choices, default=TransactionStatus.PENDING
    )
    create_date = models.CharField(_("merchant's create date"), max_length=14)  # vnp_CreateDate as sent
    pay_date = models.DateTimeField(_("pay date"), null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("refunded amount (VND)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox transaction")
        verbose_name_plural = _("sandbox transactions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tmn_code", "txn_ref"], name="sandbox_txn_ref_once_per_merchant")
        ]

    def __str__(self):
        return f"{self.transaction_no} ({self.txn_ref})"

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded_amount if self.status in REFUNDABLE else 0


REFUNDABLE = (TransactionStatus.SUCCESS, TransactionStatus.PARTIALLY_REFUNDED)


class SandboxRefund(models.Model):
    """A refund (hoàn tiền) of a successful transaction, whole (02) or partial (03)."""

    transaction = models.ForeignKey(SandboxTransaction, on_delete=models.PROTECT, related_name="refunds")
    request_id = models.CharField(_("request ID"), max_length=32)  # vnp_RequestId: once per merchant
    tmn_code = models.CharField(_("merchant code"), max_length=8)
    transaction_type = models.CharField(_("transaction type"), max_length=2)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    created_by = models.CharField(_("requested by"), max_length=250)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox refund")
        verbose_name_plural = _("sandbox refunds")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tmn_code", "request_id"], name="sandbox_refund_request_once")
        ]

    def __str__(self):
        return f"{self.transaction.transaction_no} −{self.amount}"


class IpnDelivery(models.Model):
    """The IPN call of one transaction's result to the merchant's IPN address, retried as VNPay does."""

    transaction = models.ForeignKey(SandboxTransaction, on_delete=models.CASCADE, related_name="ipns")
    url = models.URLField(_("IPN URL"), max_length=1000)
    params = models.JSONField(_("parameters"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    answer = models.TextField(_("last answer"), blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)  # answered RspCode 00 or 02
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("IPN delivery")
        verbose_name_plural = _("IPN deliveries")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"IPN {self.transaction.transaction_no} → {self.url}"


class IpnAttempt(models.Model):
    """One HTTP call of an IPN delivery and what the merchant answered (or why it could not)."""

    delivery = models.ForeignKey(IpnDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("IPN attempt")
        verbose_name_plural = _("IPN attempts")
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"{self.delivery} #{self.number}"

"""What a dossier owes and how it was paid: charges (khoản phải nộp), payment transactions (giao dịch thanh
toán), every gateway callback as received, and the merchant accounts agencies pay through.

Amounts are whole VND (đồng). Nothing here moves money: ``payments.services`` does, in transactions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChargeKind(models.TextChoices):
    FEE = "fee", _("Fee due at submission")
    REQUESTED = "requested", _("Payment requested by the agency")
    POSTAL = "postal", _("Postal fee")


class ChargeState(models.TextChoices):
    OWED = "owed", _("Owed")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")


class CallbackKind(models.TextChoices):
    IPN = "ipn", _("Payment notification (IPN)")
    RETURN = "return", _("Return of the payer")
    REFUND = "refund", _("Answer to a refund")
    STATEMENT = "statement", _("Row of a bank statement")


class GatewayAccount(models.Model):
    """Tài khoản thanh toán: an agency's merchant account at one gateway, chosen in the admin.

    The hash secret is never stored: ``secret_env`` names the environment variable holding it (a sandbox
    account may leave it empty and use the sandbox's documented demo secret). ``config`` holds what the
    gateway needs besides (VNPay: ``payment_url``, ``api_url``).
    """

    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="gateway_accounts", verbose_name=_("agency")
    )
    gateway = models.CharField(_("gateway"), max_length=32)  # a key of ``payments.registry``
    merchant_code = models.CharField(_("merchant code"), max_length=64, blank=True)
    secret_env = models.CharField(
        _("secret variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "Name of the environment variable holding the merchant's hash secret "
            "(empty for the sandbox gateway: its demo secret)."
        ),
    )
    config = models.JSONField(_("settings"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("payment gateway account")
        verbose_name_plural = _("payment gateway accounts")
        constraints = [
            models.UniqueConstraint(fields=["agency", "gateway"], name="payments_one_account_per_gateway")
        ]

    def __str__(self):
        return f"{self.agency} · {self.gateway}"


class Payment(models.Model):
    """Giao dịch thanh toán: one attempt to pay what a dossier owes, through one gateway.

    ``reference`` is ours (vnp_TxnRef, the purpose of a bank transfer). ``charges`` are what this attempt
    covers; a charge may be offered by several attempts (one failed, one expired, one paid), and
    ``Charge.payment`` names the one that settled it.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
        verbose_name=_("payer"),
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    state = models.CharField(
        _("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.PENDING, db_index=True
    )
    gateway = models.CharField(_("gateway"), max_length=32)
    account = models.ForeignKey(
        GatewayAccount, on_delete=models.PROTECT, related_name="payments", verbose_name=_("account")
    )
    charges = models.ManyToManyField("Charge", related_name="attempts", verbose_name=_("charges"))
    transaction_no = models.CharField(_("gateway transaction number"), max_length=64, blank=True)
    bank_code = models.CharField(_("bank"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("refunded (VND)"), default=0)
    refund_reason = models.TextField(_("refund reason"), blank=True)
    # Where the gateway's refund call stands: "" (none asked), "sent", "confirmed", "failed".
    refund_status = models.CharField(_("refund at the gateway"), max_length=16, blank=True)
    # When a gateway or a statement first reported a wrong amount for it: set under the payment's row lock,
    # so that the finance officers are alerted once however many callbacks arrive at once.
    amount_mismatch_at = models.DateTimeField(_("wrong amount reported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.reference


class Charge(models.Model):
    """Khoản phải nộp: an amount a dossier owes (the fee at submission, a payment an officer requests, the
    postal fee), with the lines the receipt lists."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="charges", verbose_name=_("dossier")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChargeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    lines = models.JSONField(_("lines"), default=list, blank=True)  # [{"name", "amount"}]
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ChargeState.choices, default=ChargeState.OWED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settled",
        verbose_name=_("settled by"),
    )

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:,} đ"


class PaymentCallback(models.Model):
    """A call from a gateway (or its answer to ours), kept verbatim whatever it said: the evidence of
    reconciliation and of every refused attempt."""

    gateway = models.CharField(_("gateway"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=CallbackKind.choices)
    method = models.CharField(_("method"), max_length=8, blank=True)
    raw = models.TextField(_("as received"))
    remote_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    verified = models.BooleanField(_("signature verified"), default=False)
    answer = models.CharField(_("answer code"), max_length=8, blank=True)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="callbacks",
        verbose_name=_("payment"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("payment callback")
        verbose_name_plural = _("payment callbacks")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.gateway} {self.kind} {self.answer}"

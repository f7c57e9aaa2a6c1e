"""The payments API's shapes: a checkout opened, a payment with its charges, an officer's request."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import selectors
from .models import Charge, Payment


class CheckoutRequestSerializer(serializers.Serializer):
    gateway = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text="A gateway key the agency takes (e.g. `vnpay`, `sandbox`); by default its first one.",
    )  # fmt: skip


class CheckoutSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The payment's reference (also the transfer purpose).")
    amount = serializers.IntegerField(help_text="VND.")
    payment_url = serializers.CharField(
        allow_blank=True, help_text="Send the payer here (redirect gateways)."
    )
    qr = serializers.CharField(
        allow_null=True, help_text="A QR payload to show (null for redirect gateways)."
    )


class ChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Charge
        fields = ["id", "kind", "amount", "lines", "reason", "state", "created_at", "paid_at"]


class PaymentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="reference")
    dossier = serializers.CharField(source="dossier.code")
    charges = ChargeSerializer(many=True)
    receipt_url = serializers.SerializerMethodField(
        help_text="The e-receipt's PDF (`/payments/{id}/receipt/`) once issued, else null."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt_url(self, payment) -> str | None:
        receipt = getattr(payment, "receipt", None)
        if receipt is None and not hasattr(payment, "receipt"):
            receipt = selectors.receipt_of(payment)
        if receipt is None:
            return None
        return reverse("api:payment-receipt", kwargs={"id": payment.reference})

    class Meta:
        model = Payment
        fields = [
            "id", "reference", "dossier", "amount", "state", "gateway", "transaction_no", "bank_code",
            "created_at", "expires_at", "paid_at", "failed_at", "refunded_at", "refunded_amount", "charges",
            "receipt_url",
        ]  # fmt: skip


class ChargeRequestSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, help_text="VND, a whole number greater than 0.")
    note = serializers.CharField(
        max_length=4000, help_text="What must be paid and why (the applicant reads it)."
    )
    version = serializers.IntegerField(
        required=False, help_text="The dossier's version you saw: refused if it changed since."
    )


class RefundRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)
    amount = serializers.IntegerField(
        required=False, min_value=1, help_text="VND; by default all that is left."
    )


class DossierPaymentsSerializer(serializers.Serializer):
    owed = serializers.IntegerField(help_text="VND still owed.")
    charges = ChargeSerializer(many=True)
    payments = PaymentSerializer(many=True)

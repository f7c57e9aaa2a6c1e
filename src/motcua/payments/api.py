"""Payments API: the applicant opens a checkout and reads their payments; the officer holding a dossier
asks for a payment (amount and reason); a finance officer refunds.

Thin: writes through ``services``, reads through ``selectors``, permissions from ``rules``. A dossier or
payment the caller may not read answers 404, exactly as one that does not exist.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.net import client_ip
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND
from motcua.dossiers.api import call_service, visible_dossier

from . import downloads, rules, selectors, services
from .models import Payment
from .serializers import (
    ChargeRequestSerializer,
    ChargeSerializer,
    CheckoutRequestSerializer,
    CheckoutSerializer,
    DossierPaymentsSerializer,
    PaymentSerializer,
    RefundRequestSerializer,
)

TAGS = ["payments"]
CONFLICT = OpenApiResponse(description="The dossier or payment does not allow this now.")
FORBIDDEN = OpenApiResponse(description="You may not do this with this dossier's payments.")
DOSSIER = OpenApiParameter("reference", str, OpenApiParameter.PATH, description="The dossier's code.")


def return_url(gateway: str) -> str:
    """Where the gateway sends the payer back: absolute, on the site's public address."""
    path = reverse("payments:return", kwargs={"gateway": gateway})
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


@extend_schema(tags=TAGS, parameters=[DOSSIER])
class DossierPaymentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="What the dossier owes and its payments",
        responses={200: DossierPaymentsSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        dossier = visible_dossier(request, reference)
        if not rules.allowed(rules.SEE, dossier, request.user):
            raise NotFound()
        payload = {
            "owed": selectors.owed_total(dossier),
            "charges": selectors.charges_of(dossier),
            "payments": selectors.with_receipts(selectors.payments_of(dossier).prefetch_related("charges")),
        }
        return Response(DossierPaymentsSerializer(payload).data)

    @extend_schema(
        summary="Pay what the dossier owes: open a checkout",
        description=(
            "Opens (or continues, while it has not expired) a payment of everything the dossier owes, "
            "through one of its agency's gateways. Send the payer to `payment_url` (redirect gateways), or "
            "show `qr` (bank-transfer gateways). The result arrives from the gateway; read it at "
            "`/payments/{id}/`."
        ),
        request=CheckoutRequestSerializer,
        responses={201: CheckoutSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = CheckoutRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        gateway = body.validated_data.get("gateway", "")
        accounts = selectors.gateway_accounts(dossier)
        chosen = gateway or (accounts[0].gateway if accounts else "")
        payment, checkout = call_service(
            services.open_checkout, dossier, by=request.user, gateway=chosen,
            client_ip=client_ip(request) or "", return_url=return_url(chosen or "none"),
            locale=get_language() or "vi",
        )  # fmt: skip
        data = {"id": payment.reference, "amount": payment.amount, "payment_url": checkout.redirect_url,
                "qr": checkout.qr}  # fmt: skip
        return Response(CheckoutSerializer(data).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, parameters=[DOSSIER])
class ChargeRequestView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Ask the applicant for a payment (status 6)",
        description=(
            "The officer holding the dossier's processing step asks for `amount` đồng with the reason in "
            "`note`; the dossier waits for the payment (status 6) and its time limit stands still until it "
            "is paid, when it goes back to processing by itself. The generic `actions` endpoint does not "
            "take `request_payment`: a payment is always asked with its amount."
        ),
        request=ChargeRequestSerializer,
        responses={201: ChargeSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = ChargeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        charge = call_service(
            services.request_charge, dossier, by=request.user, amount=data["amount"], reason=data["note"],
            version=data.get("version"), request=request,
        )  # fmt: skip
        return Response(ChargeSerializer(charge).data, status=status.HTTP_201_CREATED)


def _payment(request, reference) -> Payment:
    payment = (
        rules.visible_payments(request.user)
        .select_related("dossier")
        .prefetch_related("charges")
        .filter(reference=(reference or "").strip().upper()[:20])
        .first()
    )
    if payment is None:
        raise NotFound(_("No payment of yours has this reference."))
    return payment


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
class PaymentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A payment: its state, amount, charges and times",
        responses={200: PaymentSerializer, 404: NOT_FOUND},
    )
    def get(self, request, id):
        return Response(PaymentSerializer(_payment(request, id)).data)


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
class PaymentReceiptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A payment's e-receipt (PDF)",
        description="The electronic receipt (biên lai điện tử), once issued after the payment; 404 before.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request, id):
        payment = _payment(request, id)
        try:
            return downloads.receipt_response(request, payment, inline=False)
        except Http404 as exc:
            raise NotFound(str(exc)) from None


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
class RefundView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Refund a payment (finance officers)",
        description="Records the refund and sends it through the gateway where it has a refund call.",
        request=RefundRequestSerializer,
        responses={200: PaymentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, id):
        payment = _payment(request, id)
        body = RefundRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = call_service(
            services.refund, payment, by=request.user, reason=body.validated_data["reason"],
            amount=body.validated_data.get("amount"),
        )  # fmt: skip
        return Response(PaymentSerializer(_payment(request, payment.reference)).data)

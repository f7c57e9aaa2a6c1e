"""Delivery API: a dossier's parcel (who may read the dossier sees it), and the desk's entries (the desk of
the dossier's receiving agency), the same rules as the pages. Another person's dossier is 404."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND
from motcua.dossiers.api import CONFLICT, FORBIDDEN, call_service, visible_dossier

from . import selectors, services
from .services import ENTERED_BY_DESK

TAGS = ["delivery"]


class ShipmentEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()
    by_desk = serializers.BooleanField(help_text="Entered by the desk rather than sent by the post.")


class ShipmentSerializer(serializers.Serializer):
    """The parcel carrying a dossier's result by post (bưu gửi)."""

    service = serializers.CharField(help_text="Postal service key: sandbox, manual.")
    service_label = serializers.CharField()
    tracking_number = serializers.CharField(help_text="Empty until booked.")
    tracking_url = serializers.CharField(help_text="The carrier's tracking page, when it has one.")
    status = serializers.ChoiceField(
        choices=["pending", "booked", "in_transit", "delivered", "failed", "returned"]
    )
    status_label = serializers.CharField()
    fee = serializers.IntegerField(help_text="Postal fee, VND.")
    address = serializers.DictField(help_text="name, phone, province, commune, detail.")
    address_text = serializers.CharField()
    booked_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    events = ShipmentEventSerializer(many=True)


class TrackingNumberSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=64)


class ParcelStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=list(ENTERED_BY_DESK))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _shipment(dossier) -> dict:
    view = selectors.full_view(selectors.shipment_of(dossier))
    if view is None:
        raise NotFound(_("This dossier's result is not sent by post."))
    return view


PATH = [OpenApiParameter("reference", str, OpenApiParameter.PATH)]


@extend_schema(tags=TAGS, parameters=PATH)
class ShipmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The parcel carrying the dossier's result by post",
        responses={200: ShipmentSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        return Response(ShipmentSerializer(_shipment(visible_dossier(request, reference))).data)


@extend_schema(tags=TAGS, parameters=PATH)
class ShipmentTrackingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Desk: the tracking number of a parcel booked at the post-office counter",
        request=TrackingNumberSerializer,
        responses={200: ShipmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = TrackingNumberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(services.enter_tracking, dossier, by=request.user, **body.validated_data)
        return Response(ShipmentSerializer(_shipment(dossier)).data)


@extend_schema(tags=TAGS, parameters=PATH)
class ShipmentStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Desk: what the post reported (delivered returns the dossier, status 10)",
        request=ParcelStatusSerializer,
        responses={200: ShipmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = ParcelStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(services.enter_status, dossier, by=request.user, **body.validated_data)
        return Response(ShipmentSerializer(_shipment(dossier)).data)

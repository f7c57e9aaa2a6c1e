from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/<str:reference>/shipment/", api.ShipmentView.as_view(), name="dossier-shipment"),
    path(
        "dossiers/<str:reference>/shipment/tracking/",
        api.ShipmentTrackingView.as_view(),
        name="dossier-shipment-tracking",
    ),
    path(
        "dossiers/<str:reference>/shipment/status/",
        api.ShipmentStatusView.as_view(),
        name="dossier-shipment-status",
    ),
]

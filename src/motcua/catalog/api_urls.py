from django.urls import path

from . import api

urlpatterns = [
    path("procedures/", api.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", api.ProcedureDetailView.as_view(), name="procedure-detail"),
    path("agencies/", api.AgencyListView.as_view(), name="agency-list"),
    path("sectors/", api.SectorListView.as_view(), name="sector-list"),
]

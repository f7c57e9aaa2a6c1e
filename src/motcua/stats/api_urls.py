from django.urls import path

from . import api

urlpatterns = [
    path("stats/indicators/", api.IndicatorsView.as_view(), name="stats-indicators"),
    path("stats/dossiers/", api.StatsDossiersView.as_view(), name="stats-dossiers"),
]

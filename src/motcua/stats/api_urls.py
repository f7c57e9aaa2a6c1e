from django.urls import path

from . import api

urlpatterns = [
    path("stats/indicators/", api.IndicatorsView.as_view(), name="stats-indicators"),
]

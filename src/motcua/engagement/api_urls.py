from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/<str:reference>/rating/", api.DossierRatingView.as_view(), name="dossier-rating"),
    path("ratings/", api.AgencyRatingListView.as_view(), name="ratings"),
]

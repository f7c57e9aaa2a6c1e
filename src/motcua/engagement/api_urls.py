from django.urls import path

from . import api, petition_api

urlpatterns = [
    path("dossiers/<str:reference>/rating/", api.DossierRatingView.as_view(), name="dossier-rating"),
    path("ratings/", api.AgencyRatingListView.as_view(), name="ratings"),
    path("petitions/", petition_api.PetitionListView.as_view(), name="petitions"),
    path("petitions/mine/", petition_api.OwnPetitionListView.as_view(), name="petitions-mine"),
    path("petitions/queue/", petition_api.PetitionQueueView.as_view(), name="petitions-queue"),
    path("petitions/<str:code>/", petition_api.PetitionDetailView.as_view(), name="petition"),
    path("petitions/<str:code>/actions/", petition_api.PetitionActionView.as_view(), name="petition-actions"),
    path("petitions/<str:code>/rating/", petition_api.PetitionRatingView.as_view(), name="petition-rating"),
    path(
        "petitions/<str:code>/attachments/<int:attachment>/",
        petition_api.PetitionAttachmentView.as_view(),
        name="petition-attachment",
    ),
]

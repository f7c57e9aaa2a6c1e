from django.urls import path

from . import api, consultation_api, dialogue_api, petition_api

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
    # Dialogue sessions (đối thoại trực tuyến); the fixed addresses come before the numbers.
    path("dialogues/", dialogue_api.DialogueListView.as_view(), name="dialogues"),
    path("dialogues/search/", dialogue_api.DialogueSearchView.as_view(), name="dialogues-search"),
    path("dialogues/assigned/", dialogue_api.AssignedQuestionsView.as_view(), name="dialogues-assigned"),
    path("dialogues/<int:id>/", dialogue_api.DialogueDetailView.as_view(), name="dialogue"),
    path("dialogues/<int:id>/actions/", dialogue_api.DialogueActionView.as_view(), name="dialogue-actions"),
    path("dialogues/<int:id>/questions/", dialogue_api.QuestionListView.as_view(), name="dialogue-questions"),
    path(
        "dialogues/<int:id>/questions/<int:qid>/actions/",
        dialogue_api.QuestionActionView.as_view(),
        name="dialogue-question-actions",
    ),
    path(
        "dialogues/<int:id>/commitments/<int:cid>/done/",
        dialogue_api.CommitmentDoneView.as_view(),
        name="dialogue-commitment-done",
    ),
    # --- consultations (góp ý dự thảo) ---
    path("consultations/", consultation_api.ConsultationListView.as_view(), name="consultations"),
    path(
        "consultations/office/",
        consultation_api.ConsultationOfficeView.as_view(),
        name="consultations-office",
    ),
    path("consultations/<int:pk>/", consultation_api.ConsultationDetailView.as_view(), name="consultation"),
    path(
        "consultations/<int:pk>/draft/",
        consultation_api.ConsultationEditView.as_view(),
        name="consultation-draft",
    ),
    path(
        "consultations/<int:pk>/publish/",
        consultation_api.ConsultationPublishView.as_view(),
        name="consultation-publish",
    ),
    path(
        "consultations/<int:pk>/comments/",
        consultation_api.ConsultationCommentsView.as_view(),
        name="consultation-comments",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment>/actions/",
        consultation_api.CommentActionView.as_view(),
        name="consultation-comment-actions",
    ),
    path(
        "consultations/<int:pk>/publish-responses/",
        consultation_api.PublishResponsesView.as_view(),
        name="consultation-publish-responses",
    ),
    path(
        "consultations/<int:pk>/report/",
        consultation_api.ConsultationReportView.as_view(),
        name="consultation-report",
    ),
]

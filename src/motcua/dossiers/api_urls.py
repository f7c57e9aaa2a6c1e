from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/", api.DossierListView.as_view(), name="dossier-list"),
    path("dossiers/<str:reference>/", api.DossierDetailView.as_view(), name="dossier-detail"),
    path(
        "dossiers/<str:reference>/attachments/", api.AttachmentListView.as_view(), name="dossier-attachments"
    ),
    path(
        "dossiers/<str:reference>/attachments/<uuid:attachment>/",
        api.AttachmentDetailView.as_view(),
        name="dossier-attachment",
    ),
    path(
        "dossiers/<str:reference>/attachments/<uuid:attachment>/file/",
        api.AttachmentFileView.as_view(),
        name="dossier-attachment-file",
    ),
    path("dossiers/<str:reference>/submit/", api.SubmitView.as_view(), name="dossier-submit"),
    path("dossiers/<str:reference>/actions/", api.ActionsView.as_view(), name="dossier-actions"),
    path("dossiers/<str:reference>/receipt/", api.ReceiptView.as_view(), name="dossier-receipt"),
    path("dossiers/<str:reference>/result/", api.ResultView.as_view(), name="dossier-result"),
    path("dossiers/<str:reference>/slips/<slug:kind>/", api.SlipView.as_view(), name="dossier-slip"),
    path("tracking/<str:code>/", api.TrackingView.as_view(), name="tracking"),
]

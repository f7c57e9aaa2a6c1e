from django.urls import path

from . import api, store_api

urlpatterns = [
    path("verify/", api.VerifyFileView.as_view(), name="verify"),
    path("verify/<str:verification_code>/", api.VerifyCodeView.as_view(), name="verify-code"),
    path("document-store/", store_api.DocumentStoreView.as_view(), name="document-store"),
    path("document-store/<int:entry>/", store_api.StoredDocumentView.as_view(), name="document-store-entry"),
    path(
        "document-store/<int:entry>/file/",
        store_api.StoredDocumentFileView.as_view(),
        name="document-store-file",
    ),
]

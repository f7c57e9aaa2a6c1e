from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from motcua.api.docs import swagger_ui_view

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_ui_view(), name="docs"),
    path("v1/", include("motcua.catalog.api_urls")),
    path("v1/", include("motcua.forms.api_urls")),
    path("v1/", include("motcua.accounts.api_urls")),
    path("v1/", include("motcua.dossiers.api_urls")),
    path("v1/", include("motcua.documents.api_urls")),
]

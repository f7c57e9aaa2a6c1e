from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include("motcua.catalog.api_urls")),
    path("v1/", include("motcua.forms.api_urls")),
    path("v1/", include("motcua.accounts.api_urls")),
    path("v1/", include("motcua.dossiers.api_urls")),
    path("v1/", include("motcua.documents.api_urls")),
]

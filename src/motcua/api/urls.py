from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar, see SPECTACULAR_SETTINGS), its start-up
    script served from ``?script=`` rather than inline: the page works offline, runs no third-party code, and
    needs nothing but 'self' in a Content-Security-Policy."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("v1/", include("motcua.catalog.api_urls")),
    path("v1/", include("motcua.forms.api_urls")),
    path("v1/", include("motcua.accounts.api_urls")),
    path("v1/", include("motcua.dossiers.api_urls")),
    path("v1/", include("motcua.documents.api_urls")),
    path("v1/", include("motcua.delivery.api_urls")),
    path("v1/", include("motcua.payments.api_urls")),
    path("v1/", include("motcua.engagement.api_urls")),
    path("v1/", include("motcua.stats.api_urls")),
]

"""The project's URLs with the verification pages and API included as the project includes them:
``path("xac-minh/", include("motcua.documents.urls"))`` in motcua/urls.py and
``path("v1/", include("motcua.documents.api_urls"))`` in motcua/api/urls.py."""

from django.urls import include, path

from motcua import urls as project
from motcua.api import urls as api

api_patterns = ([*api.urlpatterns, path("v1/", include("motcua.documents.api_urls"))], api.app_name)

urlpatterns = [
    path("xac-minh/", include("motcua.documents.urls")),
    path("api/", include(api_patterns)),
    *(p for p in project.urlpatterns if str(p.pattern) not in ("api/", "xac-minh/")),
]

handler404 = project.handler404
handler500 = project.handler500

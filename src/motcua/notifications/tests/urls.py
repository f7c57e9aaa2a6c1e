"""The site's pages plus the inbox where the project mounts it (``/thong-bao/``), for the tests here; the
header links a superuser to the one-stop desk, so its pages are mounted too (the 403 page has the header)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("mot-cua/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]

"""The site's pages plus the inbox where the project mounts it (``/thong-bao/``), for the tests here."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("", include("motcua.portal.urls")),
]

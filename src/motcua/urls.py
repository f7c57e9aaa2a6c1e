from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from motcua.accounts.views import admin_login
from motcua.core.views import healthz, media, metrics, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the accounts login (lockout and two-step verification apply).
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("api/", include("motcua.api.urls")),
    path("mot-cua/", include("motcua.backoffice.urls")),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("xac-minh/", include("motcua.documents.urls")),
    path("buu-chinh/", include("motcua.delivery.urls")),
    # Before "thanh-toan/": /thanh-toan/sandbox/ipn/ falls through to the gateways' callbacks.
    path("thanh-toan/sandbox/", include("motcua.payments.contrib.sandbox.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("", include("motcua.portal.urls")),
]

if settings.DEBUG or settings.MOTCUA_SERVE_MEDIA:
    # The embedded default serves uploaded files itself; production puts them behind nginx or S3.
    urlpatterns.append(path("media/<path:path>", media, name="media"))

handler400 = "motcua.errors.bad_request"
handler403 = "motcua.errors.permission_denied"
handler404 = "motcua.errors.page_not_found"
handler500 = "motcua.errors.server_error"

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from motcua.core import metrics as metrics_of
from motcua.core.health import database_status, readiness


@never_cache
@require_GET
def healthz(request):
    """Liveness probe for monitors: 200 when the process answers and reaches its database, 503 otherwise."""
    ok, reason = database_status(connections[DEFAULT_DB_ALIAS])
    if ok:
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": reason}, status=503)


@never_cache
@require_GET
def readyz(request):
    """Readiness probe for load balancers: 200 when this process can serve (database, migrations, shared
    cache), 503 with each check's reason otherwise."""
    ready, checks = readiness(connections[DEFAULT_DB_ALIAS])
    return JsonResponse({"status": "ok" if ready else "error", **checks}, status=200 if ready else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, for the addresses of MOTCUA_METRICS_ALLOWED_IPS or with MOTCUA_METRICS_TOKEN."""
    if not metrics_of.allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body, content_type = metrics_of.render()
    return HttpResponse(body, content_type=content_type)


def media(request, path):
    """Uploaded and generated files for the embedded default (production serves them from nginx or S3).

    MEDIA_ROOT is read per request, not when the URLs load, so a changed setting (tests) is honoured.
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)

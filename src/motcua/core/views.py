from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from motcua.core.health import database_status


@never_cache
@require_GET
def healthz(request):
    """Readiness probe for load balancers and monitors: 200 when the database answers, 503 otherwise."""
    ok, reason = database_status(connections[DEFAULT_DB_ALIAS])
    if ok:
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": reason}, status=503)


def media(request, path):
    """Uploaded and generated files for the embedded default (production serves them from nginx or S3).

    MEDIA_ROOT is read per request, not when the URLs load, so a changed setting (tests) is honoured.
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)

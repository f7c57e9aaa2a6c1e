from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.core.health import database_status


@never_cache
@require_GET
def healthz(request):
    """Readiness probe for load balancers and monitors: 200 when the database answers, 503 otherwise."""
    ok, reason = database_status(connections[DEFAULT_DB_ALIAS])
    if ok:
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": reason}, status=503)

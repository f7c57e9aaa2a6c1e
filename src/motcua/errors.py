"""Project-wide error handlers (400, 403, 404, 500 and a refused CSRF token): JSON for API clients, the
portal's friendly pages for people. None of them lists the site's addresses, whatever DEBUG says."""

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _

from motcua.core.health import outage
from motcua.portal import views as portal_views

# A service out of reach is usually back within a minute (a restart, a failover).
RETRY_AFTER_SECONDS = 30


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception=None):
    """404: JSON for API clients, the portal's friendly page for people."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return portal_views.page_not_found(request, exception)


def server_error(request):
    """500: JSON for API clients, the portal's static page for people.

    A service out of reach (the database, the rate limits' Redis) is a 503 instead, with Retry-After: the
    request failed cleanly, nothing of it was saved, and the same request will work once it is back."""
    if outage(sys.exc_info()[1]):  # Django calls this inside its ``except``: the exception is at hand
        return service_unavailable(request)
    if _wants_json(request):
        return JsonResponse({"detail": _("Server error: please try again later.")}, status=500)
    return portal_views.server_error(request)


def bad_request(request, exception=None):
    """400: JSON for API clients, the portal's static page for people."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return portal_views.bad_request(request, exception)


def permission_denied(request, exception=None):
    """403: JSON for API clients, the portal's friendly page for people."""
    if _wants_json(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return portal_views.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A refused CSRF token (CSRF_FAILURE_VIEW): JSON for API clients, the portal's explanation for people."""
    if _wants_json(request):
        detail = _("CSRF verification failed: reload the page and try again.")
        return JsonResponse({"detail": detail}, status=403)
    return portal_views.csrf_failure(request, reason)


def service_unavailable(request):
    """503: a service the request needs is out of reach for now (see ``server_error``)."""
    if _wants_json(request):
        detail = _("The service is temporarily unavailable: please try again in a minute.")
        response = JsonResponse({"detail": detail}, status=503)
    else:
        response = portal_views.service_unavailable(request)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response

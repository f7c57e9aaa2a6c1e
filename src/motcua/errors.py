"""Project-wide error handlers (400, 403, 404, 500 and a refused CSRF token): JSON for API clients, the
portal's friendly pages for people. None of them lists the site's addresses, whatever DEBUG says."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from motcua.portal import views as portal_views


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception=None):
    """404: JSON for API clients, the portal's friendly page for people."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return portal_views.page_not_found(request, exception)


def server_error(request):
    """500: JSON for API clients, the portal's static page for people."""
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

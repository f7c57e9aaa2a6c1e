"""Project-wide error handlers: JSON for API clients, the portal's friendly pages for people."""

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

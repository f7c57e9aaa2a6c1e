"""An API address holding a NUL character is a JSON 400 naming the path or the query parameter, before any
view looks it up: PostgreSQL keeps no NUL in text and answers a query that holds one with an error (a 500),
where SQLite would look it up. Bodies are checked by the API's parsers (``core.rest.parsers``)."""

from urllib.parse import unquote

from django.http import JsonResponse
from django.utils.translation import gettext as _

from motcua.core.rest.parsers import NUL, holds_nul, nul_message


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            errors = {}
            if NUL in request.path:
                errors["path"] = [nul_message()]
            if NUL in unquote(request.META.get("QUERY_STRING", "")):
                for name, values in request.GET.lists():  # each parameter that holds one, by its name
                    if holds_nul([name, *values]):
                        errors[name.replace(NUL, "") or "query"] = [nul_message()]
            if errors:
                body = {"detail": _("The request has invalid values."), "errors": errors}
                return JsonResponse(body, status=400)
        return self.get_response(request)

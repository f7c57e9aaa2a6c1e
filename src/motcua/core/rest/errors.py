"""Every API error is JSON a client can show: ``{"detail": "...", "errors": {"field": ["message"]}}``; the
handler that makes it (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), the throttles' 429 (``too_many_requests``)
and their OpenAPI description for the apps' API views (``BAD_REQUEST``, ``NOT_FOUND``)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def too_many_requests(wait: int, detail: str | None = None) -> exceptions.Throttled:
    """A 429 that says when to come back (``detail``, or a message with ``wait``), in the request's language;
    ``wait`` also goes in Retry-After."""
    exc = exceptions.Throttled(
        detail=detail or _("Too many requests. Please try again in %(seconds)s seconds.") % {"seconds": wait}
    )
    exc.wait = wait  # after: DRF would append its own English "Expected available in …" to the detail
    return exc


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # Django's own answer would be an HTML page
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        message = _("The request body is too large: at most %(mb)s MB.") % {"mb": f"{limit:g}"}
        return Response({"detail": message}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("The request has invalid values."), "errors": errors}
    elif response.status_code == status.HTTP_400_BAD_REQUEST:  # e.g. a body that is not JSON
        response.data = {"detail": str(getattr(exc, "detail", "")), "errors": {}}
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": str(getattr(exc, "detail", "")) or _("Not found.")}
    return response


class ErrorSerializer(serializers.Serializer):
    """A 400: a summary and, per query parameter or field, the messages in the request's language."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


BAD_REQUEST = OpenApiResponse(
    ErrorSerializer,
    description="Invalid query parameters; `errors` names each one with its messages.",
    examples=[
        OpenApiExample(
            "Unknown sector",
            value={
                "detail": "The request has invalid values.",
                "errors": {"sector": ["Unknown sector 'xyz'."]},
            },
        )
    ],
)
NOT_FOUND = OpenApiResponse(NotFoundSerializer, description="Nothing is published under this address.")

"""Every API error is JSON a client can show: ``{"detail": "...", "errors": {"field": ["message"]}}``."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("The request has invalid values."), "errors": errors}
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": str(getattr(exc, "detail", "")) or _("Not found.")}
    return response

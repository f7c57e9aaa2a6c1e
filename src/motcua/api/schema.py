"""OpenAPI descriptions of the error bodies that ``motcua.api.exceptions`` produces."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


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

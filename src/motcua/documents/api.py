"""Public verification API: a result by its verification code, or an uploaded PDF. No login, rate-limited.

Thin: the checks are ``selectors.verify_code`` and ``selectors.verify_pdf``.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core import ratelimit
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND, too_many_requests
from motcua.core.rest.parsers import MultiPartParser

from . import selectors
from .serializers import VerificationSerializer, VerificationUploadSerializer
from .views import read_upload, within_rate

TAGS = ["verification"]
TOO_MANY = OpenApiResponse(description="Too many look-ups from this client in the last minute.")


def _check_rate(request) -> None:
    if not within_rate(request):
        raise too_many_requests(ratelimit.retry_after(), _("Too many look-ups; try again in a minute."))


@extend_schema(
    tags=TAGS,
    summary="Verify a result by its verification code",
    description=(
        "The code printed under the QR code of a signed result (any case, with or without dashes). "
        "Answers who issued it, when, and the SHA-256 of the issued PDF; never the applicant's data."
    ),
    parameters=[OpenApiParameter("verification_code", str, OpenApiParameter.PATH)],
    responses={200: VerificationSerializer, 404: NOT_FOUND, 429: TOO_MANY},
    auth=[],
)
class VerifyCodeView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request, verification_code):
        _check_rate(request)
        result = selectors.verify_code(verification_code)
        if not result.found:
            raise NotFound(result.message)
        return Response(VerificationSerializer(result).data)


@extend_schema(
    tags=TAGS,
    summary="Verify an uploaded PDF",
    description=(
        "Multipart field `file`. `genuine` is true only for a result of this portal, unaltered, whose "
        "signature covers the whole file and chains to a trusted agency certificate; otherwise `reason` "
        "says why not (`not_pdf`, `no_signature`, `altered`, `modified_after_signing`, "
        "`unknown_certificate`, `not_issued_here`). A file over the size limit, or a PDF too complex or "
        "damaged to open (the bounded check every uploaded PDF passes), is a 400."
    ),
    request={"multipart/form-data": VerificationUploadSerializer},
    responses={200: VerificationSerializer, 400: BAD_REQUEST, 429: TOO_MANY},
    auth=[],
)
class VerifyFileView(APIView):
    authentication_classes = []
    permission_classes = []
    parser_classes = [MultiPartParser]

    def post(self, request):
        _check_rate(request)
        body = VerificationUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        content = read_upload(body.validated_data["file"])
        if isinstance(content, str):
            raise ValidationError({"file": [content]})
        return Response(VerificationSerializer(selectors.verify_pdf(content)).data)

"""The owner's document store API (kho dữ liệu): list, rename, set issuer and validity, remove, download.

Thin: reads through ``selectors``, writes through ``services``, who may do what in ``rules``. An entry of
anybody else's store answers 404, exactly as one that does not exist.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog.models import PaperKind
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND

from . import selectors, services
from .models import StoredDocument
from .serializers import StoredDocumentSerializer, StoredDocumentUpdateSerializer
from .views import stored_file_response

TAGS = ["document store"]
ENTRY = OpenApiParameter("entry", int, OpenApiParameter.PATH, description="The id of the stored entry.")


def _own_entry(request, entry) -> StoredDocument:
    try:
        return selectors.entry_of(request.user, entry)
    except StoredDocument.DoesNotExist:
        raise NotFound(_("This document is not in your store.")) from None


@extend_schema(
    tags=TAGS,
    summary="My document store",
    description=(
        "Every paper you uploaded with a dossier you sent, and every document issued to you (results, "
        "electronic payment receipts), newest first: each with its kind, issuer and validity. A paper "
        "valid today, of the kind a dossier component asks for, may be attached to a draft instead of a "
        "file (`stored_document` of the attachment endpoint)."
    ),
    parameters=[
        OpenApiParameter("kind", str, enum=PaperKind.values, description="Only papers of this kind."),
    ],
    responses={200: StoredDocumentSerializer(many=True), 400: BAD_REQUEST},
)
class DocumentStoreView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        kind = request.query_params.get("kind")
        if kind is not None and kind not in PaperKind.values:
            raise ValidationError({"kind": [_("Unknown kind of paper.")]})
        entries = selectors.store_of(request.user, paper_kind=kind)
        return Response(StoredDocumentSerializer(entries, many=True).data)


@extend_schema(tags=TAGS, parameters=[ENTRY])
class StoredDocumentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One entry of my document store", responses={200: StoredDocumentSerializer, 404: NOT_FOUND}
    )
    def get(self, request, entry):
        return Response(StoredDocumentSerializer(_own_entry(request, entry)).data)

    @extend_schema(
        summary="Rename an entry, name its issuer, set its validity",
        description="The issuer of a document issued by this portal is its agency and cannot be changed.",
        request=StoredDocumentUpdateSerializer,
        responses={200: StoredDocumentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def patch(self, request, entry):
        found = _own_entry(request, entry)
        body = StoredDocumentUpdateSerializer(data=request.data)
        if not body.is_valid():
            raise ValidationError(body.errors)
        try:
            updated = services.update_stored(found, by=request.user, **body.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        except DjangoPermissionDenied:
            raise NotFound(_("This document is not in your store.")) from None
        return Response(StoredDocumentSerializer(updated).data)

    @extend_schema(
        summary="Remove an entry from my document store",
        description="The dossiers that hold this paper keep their own copies.",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, entry):
        try:
            services.remove_stored(_own_entry(request, entry), by=request.user)
        except DjangoPermissionDenied:
            raise NotFound(_("This document is not in your store.")) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=TAGS,
    summary="Download a stored paper",
    parameters=[ENTRY],
    responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."), 404: NOT_FOUND},
)
class StoredDocumentFileView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, entry):
        return stored_file_response(_own_entry(request, entry))

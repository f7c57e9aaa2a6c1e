"""Public API of online forms: the published form of a procedure, and checking data against it."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog.models import Procedure
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND

from . import selectors, services, units
from .models import OnlineForm
from .serializers import (
    OnlineFormSerializer,
    ProvinceSerializer,
    ValidateRequestSerializer,
    ValidResponseSerializer,
)

TAGS = ["forms"]


def _published(code: str) -> OnlineForm:
    """The form the procedure is filled in with: its own published form, else its generic one."""
    try:
        procedure = Procedure.objects.prefetch_related("methods").get(code=code, is_active=True)
        return services.form_for(procedure)
    except (Procedure.DoesNotExist, OnlineForm.DoesNotExist):
        raise NotFound(_("The procedure %(code)s has no online form.") % {"code": code}) from None


@extend_schema(
    tags=TAGS,
    summary="The published online form of a procedure",
    description=(
        "A procedure that offers online submission without a form written for it has a generic form "
        "(`kind`: `generic`): the applicant, a short description of the request and one file field per "
        "dossier component. Same shape either way."
    ),
    responses={200: OnlineFormSerializer, 404: NOT_FOUND},
)
class FormView(APIView):
    def get(self, request, code):
        form = _published(code)
        payload = {
            "version": form.version,
            "kind": form.kind,
            "schema": form.schema,
            "ui": form.ui,
            "components": selectors.form_components(form),
        }
        return Response(OnlineFormSerializer(payload).data)


@extend_schema(
    tags=TAGS,
    summary="Check form data against the published form (nothing is saved)",
    description=(
        "Error keys are field paths: names joined by dots, items of a repeating group by their 0-based "
        "index (`children.1.full_name`). Messages follow the request's language (Accept-Language)."
    ),
    request=ValidateRequestSerializer,
    responses={
        200: ValidResponseSerializer,
        400: OpenApiResponse(
            BAD_REQUEST.response,
            examples=[
                OpenApiExample(
                    "Missing name",
                    value={
                        "detail": "The request has invalid values.",
                        "errors": {"child.full_name": ["This field is required."]},
                    },
                )
            ],
        ),
        404: NOT_FOUND,
    },
)
class ValidateView(APIView):
    def post(self, request, code):
        form = _published(code)
        body = ValidateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        files = body.validated_data.get("files")
        errors = services.validate_submission(
            form, body.validated_data["data"], files_present=set(files) if files is not None else None
        )
        if errors:
            raise ValidationError(errors)
        return Response({"valid": True})


@extend_schema(
    tags=TAGS,
    summary="Provinces and communes for address fields",
    responses={200: ProvinceSerializer(many=True)},
)
class AdministrativeUnitsView(APIView):
    def get(self, request):
        return Response(ProvinceSerializer(units.provinces(), many=True).data)

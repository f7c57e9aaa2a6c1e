"""Public read-only API of the catalogue: thin views over ``selectors`` and ``ProcedureSearchForm``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError

from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND

from . import selectors
from .forms import ProcedureSearchForm
from .models import AuthorityLevel, Procedure, ServiceLevel
from .serializers import (
    AgencySerializer,
    ProcedureDetailSerializer,
    ProcedureListSerializer,
    SectorSerializer,
)

TAGS = ["catalogue"]


@extend_schema(
    tags=TAGS,
    summary="Search procedures",
    description=(
        "Active procedures, best match first when `q` is given (by name otherwise). `q` ignores case and "
        "Vietnamese marks: `dang ky khai sinh` finds *Đăng ký khai sinh*. Unknown parameters are ignored."
    ),
    parameters=[
        OpenApiParameter("q", str, description="Words to find, or a procedure code such as 1.001193."),
        OpenApiParameter("sector", str, description="A sector's code or slug."),
        OpenApiParameter("agency", str, description="An implementing agency's identifier code or slug."),
        OpenApiParameter("authority_level", str, enum=AuthorityLevel.values),
        OpenApiParameter("service_level", str, enum=ServiceLevel.values),
    ],
    responses={200: ProcedureListSerializer(many=True), 400: BAD_REQUEST},
)
class ProcedureListView(generics.ListAPIView):
    serializer_class = ProcedureListSerializer

    def get_queryset(self):
        form = ProcedureSearchForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        # Ranked ids from the search index; the page's rows come with their sector and processing time.
        return selectors.search_procedures(form.filters())


@extend_schema(
    tags=TAGS,
    summary="One procedure's full record",
    responses={200: ProcedureDetailSerializer, 404: NOT_FOUND},
)
class ProcedureDetailView(generics.RetrieveAPIView):
    serializer_class = ProcedureDetailSerializer
    lookup_field = "code"

    def get_object(self):
        code = self.kwargs["code"]
        try:
            return selectors.procedure_detail(code)
        except Procedure.DoesNotExist:
            raise NotFound(_("No published procedure has the code %(code)s.") % {"code": code}) from None


@extend_schema(tags=TAGS, summary="Active agencies (the whole list, not paged)")
class AgencyListView(generics.ListAPIView):
    serializer_class = AgencySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.agencies()


@extend_schema(tags=TAGS, summary="Sectors with their number of active procedures (not paged)")
class SectorListView(generics.ListAPIView):
    serializer_class = SectorSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.sectors_with_counts()

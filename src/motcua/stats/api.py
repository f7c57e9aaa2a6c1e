"""Statistics for integrators: ``GET /api/v1/stats/indicators/``, public like the statistics page, and
``GET /api/v1/stats/dossiers/``, the dossiers behind a figure, for officers (as the back office lists them).

Thin: the query is checked here, the figures read through ``selectors``, who sees what is ``rules``.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import BAD_REQUEST
from motcua.dossiers.serializers import DossierSummarySerializer

from . import rules, selectors
from .behind import FIGURES
from .periods import Period, PeriodError
from .scope import GROUPS, Scope
from .selection import ScopeError, scope_from

TAGS = ["stats"]


class IndicatorQuerySerializer(serializers.Serializer):
    from_ = serializers.DateField(
        required=False, help_text="First day (YYYY-MM-DD); default 1 January this year."
    )
    to = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD), included; default today.")
    agency = serializers.CharField(
        required=False, max_length=64, help_text="An agency's code or slug: it and every agency under it."
    )
    sector = serializers.CharField(required=False, max_length=64, help_text="A sector's code or slug.")
    procedure = serializers.CharField(required=False, max_length=20, help_text="A procedure's code.")
    group_by = serializers.ChoiceField(
        required=False, choices=GROUPS, help_text="Also give each group's figures."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField(help_text="publicity, progress, digitisation, online or satisfaction.")
    label = serializers.CharField()
    formula = serializers.CharField(help_text="How it is computed, in words.")
    available = serializers.BooleanField(help_text="False while Motcua has no data for it (never a zero).")
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(
        allow_null=True, help_text="numerator ÷ denominator, 0–1; null if nothing to count."
    )
    points = serializers.FloatField(
        allow_null=True, help_text="Points earned under the score scheme in force."
    )
    max_points = serializers.FloatField()


class TotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField(allow_null=True)
    available_points = serializers.FloatField(help_text="Points of the indicators that have a rate.")
    max_points = serializers.FloatField()
    score = serializers.FloatField(allow_null=True, help_text="points ÷ available points × 100.")


class ReportSerializer(serializers.Serializer):
    figures = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    indicators = IndicatorSerializer(many=True)
    groups = TotalSerializer(many=True)
    total = TotalSerializer()


class GroupReportSerializer(ReportSerializer):
    key = serializers.CharField(help_text="The group's id (agency, sector, procedure), month or channel.")
    label = serializers.CharField()


class IndicatorsResponseSerializer(ReportSerializer):
    from_ = serializers.DateField()
    to = serializers.DateField()
    as_of = serializers.DateTimeField(help_text="When the figures 'in progress' are taken.")
    breakdown = GroupReportSerializer(many=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def period_and_scope(values: dict) -> tuple[Period, Scope]:
    """The period (by default 1 January to today) and scope of a checked query; a 400 naming the field
    for one that cannot be."""
    today = timezone.localdate()
    try:
        period = Period(values.get("from") or date(today.year, 1, 1), values.get("to") or today)
        scope = scope_from(values.get("agency"), values.get("sector"), values.get("procedure"))
    except PeriodError as error:
        raise ValidationError({"from": [str(error)]}) from None
    except ScopeError as error:
        raise ValidationError({error.field: [str(error)]}) from None
    return period, scope


def _report_data(report) -> dict:
    return {
        "figures": report.figures,
        "indicators": report.indicators,
        "groups": report.groups,
        "total": report.total,
    }


class IndicatorsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="stats_indicators",
        summary="Service indicators (Decision 766/QĐ-TTg)",
        description=(
            "Each indicator with its numerator, denominator, rate and points, for a period (both days "
            "included) and a scope (an agency rolled up with the agencies under it, a sector, a procedure). "
            "Flows count in the period their event happened (received, resolved, rated); dossiers in "
            "progress are counted at the period's end, or now. `group_by` adds one report per group."
        ),
        parameters=[IndicatorQuerySerializer],
        responses={200: IndicatorsResponseSerializer, 400: BAD_REQUEST},
    )
    def get(self, request):
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        period, scope = period_and_scope(values)
        now = timezone.now()
        report = selectors.report(period, scope, now)
        data = {"from": period.start, "to": period.end, "as_of": period.as_of(now), **_report_data(report)}
        group_by = values.get("group_by")
        if group_by:
            data["breakdown"] = [
                {"key": str(r.key), "label": r.label, **_report_data(r)}
                for r in selectors.grouped(period, scope, group_by, now)
            ]
        return Response(data)


class DossierQuerySerializer(IndicatorQuerySerializer):
    figure = serializers.ChoiceField(
        choices=FIGURES, help_text="The figure whose dossiers are listed (a name of `figures`)."
    )
    direct = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the dossiers the agency received itself, not those of the agencies under it.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("group_by")
        return fields


FORBIDDEN = OpenApiResponse(description="Not an officer, or an agency whose statistics you do not see.")


class StatsDossiersView(generics.ListAPIView):
    """The dossiers a figure counts, as far as the caller may open them (``rules.dossiers_behind``)."""

    permission_classes = [IsAuthenticated]
    serializer_class = DossierSummarySerializer

    @extend_schema(
        tags=TAGS,
        operation_id="stats_dossiers",
        summary="The dossiers behind a figure (officers)",
        description=(
            "The dossiers that `figure` counts for the period and scope of `GET /api/v1/stats/indicators/`, "
            "newest first, among those the caller's agencies received, hold or handled (never another "
            "agency's). `agency` is one of the caller's units or an agency under a unit they lead; without "
            "it, their first unit (the whole province for a system administrator). A parent agency's figure "
            "may count dossiers of agencies under it that its officers do not open: those are not listed."
        ),
        parameters=[DossierQuerySerializer],
        responses={200: DossierSummarySerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if not rules.may_see_statistics(user):
            raise PermissionDenied(_("This list is for officers."))
        query = DossierQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        period, scope = period_and_scope(values)
        if not values.get("agency"):
            default = rules.default_agency(user)
            scope.agency_id = default.pk if default else None
        if not rules.may_see(user, scope):
            raise PermissionDenied(_("You do not see the statistics of this agency."))
        rows = rules.dossiers_behind(user, values["figure"], period, scope, direct=values["direct"])
        return rows.select_related("procedure", "agency").order_by("-id")


__all__ = ["IndicatorsView", "StatsDossiersView"]

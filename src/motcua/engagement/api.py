"""Ratings API (đánh giá mức độ hài lòng), with the permissions of the pages: a dossier's rating, which its
applicant gives once and reads, and which the officers of its receiving agency read; and an officer's list
of their agencies' ratings (the back office's ratings page). A dossier the caller may not read answers 404,
as one that does not exist; so does a rating they may not read. Thin: writes through ``services``, reads
through ``selectors``."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND
from motcua.dossiers.api import CONFLICT, FORBIDDEN, call_service, visible_dossier

from . import rules, selectors, services
from .models import MAX_SCORE, MIN_SCORE, Score

TAGS = ["ratings"]


def _score_field(**kwargs):
    wrong = {
        key: services.SCORE_INVALID for key in ("invalid", "min_value", "max_value", "max_string_length")
    }
    return serializers.IntegerField(
        min_value=MIN_SCORE,
        max_value=MAX_SCORE,
        error_messages={**wrong, "required": services.SCORE_REQUIRED, "null": services.SCORE_REQUIRED},
        **kwargs,
    )


class CriteriaSerializer(serializers.Serializer):
    """The criteria of Decision 766's satisfaction indicator, each from 1 (very dissatisfied) to 5 (very
    satisfied)."""

    access = _score_field(help_text="Access to the service (tiếp cận dịch vụ).")
    procedure = _score_field(help_text="The administrative procedure (thủ tục hành chính).")
    officers = _score_field(help_text="The officers who handled it (công chức giải quyết).")
    processing_time = _score_field(help_text="The processing time (thời gian giải quyết).")
    result = _score_field(help_text="The result (kết quả giải quyết).")


class RatingCreateSerializer(serializers.Serializer):
    overall = _score_field(help_text="Overall satisfaction, 1 (very dissatisfied) to 5 (very satisfied).")
    criteria = CriteriaSerializer()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.COMMENT_MAX_LENGTH
    )


class RatingSerializer(serializers.Serializer):
    """A dossier's satisfaction rating, as its applicant gave it (never changed since)."""

    dossier = serializers.CharField(source="dossier.code", help_text="The dossier's code.")
    agency = serializers.CharField(source="agency.code", help_text="The receiving agency's code.")
    agency_name = serializers.CharField(source="agency.name")
    procedure = serializers.CharField(source="procedure.code", help_text="The procedure's code.")
    procedure_name = serializers.CharField(source="procedure.name")
    rated_at = serializers.DateTimeField()
    overall = serializers.IntegerField(min_value=MIN_SCORE, max_value=MAX_SCORE)
    overall_label = serializers.SerializerMethodField()
    satisfied = serializers.BooleanField(help_text="Overall 4 or 5: what the indicators count as satisfied.")
    criteria = serializers.SerializerMethodField()
    comment = serializers.CharField()

    def get_overall_label(self, rating) -> str:
        return str(Score(rating.overall).label)

    @extend_schema_field(CriteriaSerializer)
    def get_criteria(self, rating) -> dict:
        return rating.scores()


PATH = [OpenApiParameter("reference", str, OpenApiParameter.PATH, description="The dossier's code.")]


@extend_schema(tags=TAGS, parameters=PATH)
class DossierRatingView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"  # the POST only (see api.throttling)

    @extend_schema(
        summary="The dossier's satisfaction rating",
        description=(
            "For the dossier's applicant, and the officers of its receiving agency. 404 while the dossier "
            "has no rating, and for anyone else."
        ),
        responses={200: RatingSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        dossier = visible_dossier(request, reference, light=True)
        rating = selectors.readable_rating(dossier, request.user)
        if rating is None:
            raise NotFound(_("This dossier has no rating you may read."))
        return Response(RatingSerializer(rating).data)

    @extend_schema(
        summary="Rate a finished dossier (the applicant, once)",
        description=(
            "The dossier's applicant rates it once it has ended (result returned, refused or stopped): "
            "overall and each criterion of Decision 766's satisfaction indicator from 1 to 5, and an "
            "optional comment (at most 2,000 characters). A rating is never changed: a second one is a 409."
        ),
        request=RatingCreateSerializer,
        responses={201: RatingSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference, light=True)
        body = RatingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = call_service(
            services.rate_dossier,
            dossier,
            by=request.user,
            overall=body.validated_data["overall"],
            criteria=dict(body.validated_data["criteria"]),
            comment=body.validated_data["comment"],
            request=request,
        )
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class RatingQuerySerializer(serializers.Serializer):
    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)
    agency = serializers.CharField(required=False, max_length=40)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class AgencyRatingListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RatingSerializer

    @extend_schema(
        tags=TAGS,
        summary="Officers: the ratings of the dossiers their agencies received, newest first",
        description=(
            "With their comments; rated from `from` to `to` (days, both included), of one of the caller's "
            "agencies (`agency`, its code) or all of them. Empty for a caller who is no officer."
        ),
        parameters=[
            OpenApiParameter("from", date, description="First day rated, YYYY-MM-DD."),
            OpenApiParameter("to", date, description="Last day rated, YYYY-MM-DD."),
            OpenApiParameter("agency", str, description="One of your agencies, by its code."),
        ],
        responses={200: RatingSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = RatingQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        since, until = query.validated_data.get("from"), query.validated_data.get("to")
        if since and until and since > until:
            raise ValidationError({"to": [_("The end of the period comes before its start.")]})
        agencies = rules.rating_agencies(self.request.user)
        code = query.validated_data.get("agency")
        if code:
            agencies = agencies.filter(code=code)
            if not agencies.exists():
                raise NotFound(_("None of your agencies has this code."))
        return selectors.agency_ratings(agencies.values("pk"), since=since, until=until)

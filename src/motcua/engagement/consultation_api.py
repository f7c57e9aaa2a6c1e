"""Consultations API (góp ý dự thảo), with the permissions of the pages: anyone reads the published drafts
and their approved comments (and the agency's answers once published); a signed-in person comments while a
draft is open (rate-limited per address and account: 429 with Retry-After); the drafting agency's officers
read every comment, moderate and answer them, publish the answers and download the report. A consultation
an officer may not work on answers 404 to their officer calls, as one that does not exist.

Thin: writes through ``services.consultations``, reads through ``selectors.consultations``, who may through
``consultation_rules``. Errors as the dossiers' API maps them: a field 400, the wrong moment 409, the wrong
person 403.
"""

import json

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog import selectors as catalog_selectors
from motcua.core.net import client_ip
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND, too_many_requests
from motcua.dossiers.api import call_service

from . import consultation_report, consultation_rules
from .consultation_serializers import (
    CommentActionRequestSerializer,
    CommentCreatedSerializer,
    CommentRequestSerializer,
    CommentsQuerySerializer,
    ConsultationRecordSerializer,
    ConsultationSummarySerializer,
    DraftRequestSerializer,
    ListQuerySerializer,
    OfficeConsultationSerializer,
    OfficerCommentSerializer,
)
from .rules import PetitionRoles
from .selectors import consultations as selectors
from .services import consultations as services

TAGS = ["consultations"]
ID = [OpenApiParameter("id", int, OpenApiParameter.PATH, description="The consultation's id.")]
COMMENT_ID = [*ID, OpenApiParameter("comment", int, OpenApiParameter.PATH, description="The comment's id.")]
CONFLICT = OpenApiResponse(description="The consultation's or comment's state does not allow this now.")
FORBIDDEN = OpenApiResponse(description="You may not do this (to this consultation).")
TOO_MANY = OpenApiResponse(description="Too many comments this hour from this address or account.")


def _public(pk):
    found = selectors.public_one(pk)
    if found is None:
        raise NotFound(_("No published consultation has this number."))
    return found


def _workable(request, pk):
    """The consultation, if the caller may work on it as an officer; else 404, as one that does not exist."""
    found = selectors.officer_one(pk, request.user)
    if found is None:
        raise NotFound(_("No consultation you may work on has this number."))
    return found


@extend_schema(
    tags=TAGS,
    summary="Published consultations on drafts (open, upcoming, closed)",
    description="Open ones first (closing soonest first), then upcoming, then closed (latest first).",
    parameters=[
        OpenApiParameter("phase", str, enum=["open", "upcoming", "closed"], description="Only this phase.")
    ],
    responses={200: ConsultationSummarySerializer(many=True), 400: BAD_REQUEST},
)
class ConsultationListView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        listed = selectors.public_list()
        phases = [query.validated_data["phase"]] if "phase" in query.validated_data else list(listed)
        rows = [row for phase in phases for row in listed[phase]]
        return Response(ConsultationSummarySerializer(rows, many=True).data)


def _office(request, consultation, status_code=200) -> Response:
    context = {"request": request, "roles": PetitionRoles(request.user)}
    data = OfficeConsultationSerializer(selectors.officer_one(consultation.pk, request.user), context=context)
    return Response(data.data, status=status_code)


def _draft_values(body: dict) -> dict:
    return {name: body[name] for name in DRAFT_FIELDS}


DRAFT_FIELDS = ("title", "summary", "document_kind", "document_number", "opens_at", "closes_at", "articles")
DRAFT_EXAMPLE = {
    "agency": "so-xay-dung",
    "title": "Dự thảo Quy định cấp giấy phép xây dựng",
    "opens_at": "2027-01-04T08:00:00+07:00",
    "closes_at": "2027-02-04T17:00:00+07:00",
    "articles": [{"label": "Điều 1", "title": "Phạm vi điều chỉnh", "text": "Quy định này áp dụng cho …"}],
}


class ConsultationOfficeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"

    @extend_schema(
        tags=TAGS,
        summary="Officers: the consultations of their agencies, drafts included",
        responses={200: OfficeConsultationSerializer(many=True)},
    )
    def get(self, request):
        context = {"request": request, "roles": PetitionRoles(request.user)}
        rows = selectors.agency_consultations(request.user).prefetch_related("articles")
        return Response(OfficeConsultationSerializer(rows, many=True, context=context).data)

    @extend_schema(
        tags=TAGS,
        summary="Officers: a new draft (a moderator of the drafting agency or above it)",
        description=(
            "Not public until published (`…/publish/`). Every wrong field is named at once (400): the "
            "articles by their place (“Article 2 (Điều 2), text: …”). 403 for a caller who moderates nowhere."
        ),
        request=DraftRequestSerializer,
        examples=[OpenApiExample("A draft", value=DRAFT_EXAMPLE, request_only=True)],
        responses={201: OfficeConsultationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request):
        if not consultation_rules.drafting_agencies(request.user):
            raise PermissionDenied(_("Only moderators create consultations."))
        body = DraftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agency = catalog_selectors.find_agency(body.validated_data["agency"].strip())
        if agency is None or not consultation_rules.may_create_consultation(request.user, agency.pk):
            raise ValidationError({"agency": [_("Choose an agency you moderate.")]})
        made = call_service(
            services.create_consultation, agency=agency, by=request.user, request=request,
            **_draft_values(body.validated_data),
        )  # fmt: skip
        return _office(request, made, status.HTTP_201_CREATED)


@extend_schema(
    tags=TAGS,
    summary="Officers: edit a draft before its publication (its articles replaced as given)",
    parameters=ID,
    request=DraftRequestSerializer,
    responses={
        200: OfficeConsultationSerializer,
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
    },
)
class ConsultationEditView(APIView):
    permission_classes = [IsAuthenticated]

    def put(self, request, pk):
        consultation = _workable(request, pk)
        body = DraftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            services.update_consultation, consultation, by=request.user, request=request,
            **_draft_values(body.validated_data),
        )  # fmt: skip
        return _office(request, consultation)


@extend_schema(
    tags=TAGS,
    summary="Officers: publish a draft for comments (a moderator of the drafting agency or above it)",
    parameters=ID,
    request=None,
    responses={
        200: OfficeConsultationSerializer,
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
    },
)
class ConsultationPublishView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        consultation = _workable(request, pk)
        call_service(services.publish_consultation, consultation, by=request.user, request=request)
        return _office(request, consultation)


@extend_schema(
    tags=TAGS,
    summary="A published consultation: the draft article by article, with its approved comments",
    description=(
        "Each article with the approved comments on it, and the comments on the whole draft. A comment "
        "shows the name its author chose and never their account or contact; the agency's `response` is "
        "null until the agency publishes its answers (after closing)."
    ),
    parameters=ID,
    responses={200: ConsultationRecordSerializer, 404: NOT_FOUND},
)
class ConsultationDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk):
        return Response(ConsultationRecordSerializer(selectors.public_record(_public(pk))).data)


class ConsultationCommentsView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"

    @extend_schema(
        tags=TAGS,
        summary="Comment on the whole draft or on one article (signed in, while open)",
        description=(
            "The comment waits for moderation (`status` pending) before it is public. `article`: an "
            "article's id, or none for the whole draft. At most `MOTCUA_CONSULTATION_COMMENT_RATE` comments "
            "an hour per address and per account (429 with Retry-After). 409 when the consultation is not "
            "open; 400 naming each wrong field."
        ),
        parameters=ID,
        request=CommentRequestSerializer,
        examples=[
            OpenApiExample(
                "On article 2",
                value={"article": 12, "content": "Đề nghị rút ngắn thời hạn còn 10 ngày làm việc."},
                request_only=True,
            )
        ],
        responses={
            201: OpenApiResponse(
                CommentCreatedSerializer,
                examples=[OpenApiExample("Awaiting moderation", value={"id": 7, "status": "pending"})],
            ),
            400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT, 429: TOO_MANY,
        },
    )  # fmt: skip
    def post(self, request, pk):
        consultation = _public(pk)
        body = CommentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = call_service(
                services.comment, consultation, by=request.user, client_ip=client_ip(request) or "",
                request=request, **body.validated_data,
            )  # fmt: skip
        except services.TooManyComments as exc:
            raise too_many_requests(exc.retry_after, str(exc)) from None
        payload = {"id": made.pk, "status": made.status}
        return Response(CommentCreatedSerializer(payload).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Officers: every comment of a consultation, with its moderation",
        description=(
            "For the officers of the drafting agency (or above it): each comment with its status, the "
            "internal rejection reason, the answer and the actions the caller may take now. `status` narrows "
            "the list (e.g. pending: the moderation queue)."
        ),
        parameters=[*ID, OpenApiParameter("status", str, enum=["pending", "approved", "rejected"])],
        responses={200: OfficerCommentSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        consultation = _workable(request, pk)
        query = CommentsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.comments_of(consultation, query.validated_data.get("status"))
        context = {"request": request, "roles": PetitionRoles(request.user)}
        return Response(OfficerCommentSerializer(rows, many=True, context=context).data)


@extend_schema(
    tags=TAGS,
    summary="Officers: approve, reject or answer a comment",
    description=(
        "`approve` and `reject` (with `reason`, kept internal): a moderator of the drafting agency or above "
        "it. `respond` (with `response`): a handler or leader of the drafting agency, on an approved "
        "comment. Nothing moves once the answers are published (409). The answer is the comment as now."
    ),
    parameters=COMMENT_ID,
    request=CommentActionRequestSerializer,
    examples=[
        OpenApiExample("Approve", value={"action": "approve"}, request_only=True),
        OpenApiExample("Reject", value={"action": "reject", "reason": "Quảng cáo"}, request_only=True),
        OpenApiExample(
            "Respond", value={"action": "respond", "response": "Xin tiếp thu, sửa Điều 2."}, request_only=True
        ),
    ],
    responses={
        200: OfficerCommentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT,
    },
)  # fmt: skip
class CommentActionView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk, comment):
        consultation = _workable(request, pk)
        row = selectors.officer_comment(consultation, comment)
        if row is None:
            raise NotFound(_("This consultation has no such comment."))
        body = CommentActionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = body.validated_data["action"]
        extra = {"approve": {}, "reject": {"reason": body.validated_data["reason"]},
                 "respond": {"text": body.validated_data["response"]}}[action]  # fmt: skip
        done = call_service(services.COMMENT_ACTIONS[action], row, by=request.user, request=request, **extra)
        context = {"request": request}
        return Response(
            OfficerCommentSerializer(selectors.officer_comment(consultation, done.pk), context=context).data
        )


@extend_schema(
    tags=TAGS,
    summary="Officers: publish the agency's answers (a leader of the drafting agency, after closing)",
    parameters=ID,
    request=None,
    responses={200: ConsultationRecordSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
)
class PublishResponsesView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        consultation = _workable(request, pk)
        done = call_service(services.publish_responses, consultation, by=request.user, request=request)
        return Response(ConsultationRecordSerializer(selectors.public_record(_public(done.pk))).data)


class _FileRenderer(BaseRenderer):
    """The report's bytes as they are (the view renders its errors as JSON)."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str).encode()


class XlsxRenderer(_FileRenderer):
    media_type = consultation_report.CONTENT_TYPES["xlsx"]
    format = "xlsx"


class PdfRenderer(_FileRenderer):
    media_type = consultation_report.CONTENT_TYPES["pdf"]
    format = "pdf"


@extend_schema(
    tags=TAGS,
    summary="Officers: the report of a consultation (XLSX or PDF)",
    description=(
        "Per article (and the whole draft): comments received, approved, rejected, pending, answered; then "
        "the approved comments with the agency's answers. In Vietnamese, like official documents. For the "
        "officers of the drafting agency (or above it)."
    ),
    parameters=[*ID, OpenApiParameter("format", str, enum=["xlsx", "pdf"], description="Default xlsx.")],
    responses={
        (200, XlsxRenderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY, description="The report as a spreadsheet."
        ),
        (200, PdfRenderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY, description="The report as a PDF."
        ),
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class ConsultationReportView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [XlsxRenderer, PdfRenderer, JSONRenderer]

    def handle_exception(self, exc):
        """Errors are JSON, as everywhere in the API, whatever format the report was asked in."""
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    def get(self, request, pk):
        consultation = _workable(request, pk)
        if not consultation_rules.may_read_report(consultation, request.user):
            raise PermissionDenied(_("You may not read the report of this consultation."))
        extension = "pdf" if request.accepted_renderer.format == "pdf" else "xlsx"
        content, content_type, name = consultation_report.download(
            consultation, extension, by=request.user, request=request
        )
        response = Response(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

"""Dossier API: drafts, attachments, submission, the applicant's and officer's dossiers, public tracking.

Thin: every write goes through ``services``, every read through ``selectors``. A dossier the caller may
not read answers 404, exactly as one that does not exist.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.core import ratelimit
from motcua.core.net import client_ip
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND, too_many_requests
from motcua.core.rest.parsers import FormParser, MultiPartParser

from . import downloads, rules, selectors, services
from .models import Dossier, DossierAction, DossierStatus
from .papers import result as result_paper
from .papers import slips as slip_papers
from .serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    DossierSerializer,
    DossierSummarySerializer,
    DraftCreatedSerializer,
    DraftCreateSerializer,
    DraftUpdateSerializer,
    SubmittedSerializer,
    TrackingSerializer,
)

TAGS = ["dossiers"]
CONFLICT = OpenApiResponse(description="The dossier's state does not allow this (e.g. it was already sent).")
FORBIDDEN = OpenApiResponse(description="You may not take this action on this dossier.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def call_service(call, *args, **kwargs):
    """Run a service call, turning its errors into API answers."""
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise ValidationError(messages) from None
    except services.ActionRefused as exc:
        raise Conflict(str(exc)) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from None


def visible_dossier(request, reference: str, *, light: bool = False) -> Dossier:
    """The dossier ``reference`` names, if the caller may read it; else 404 (as one that does not exist)."""
    try:
        return selectors.find_visible(request.user, reference, light=light)
    except Dossier.DoesNotExist:
        raise NotFound(_("No dossier of yours has the code %(code)s.") % {"code": reference}) from None


def _detail(request, dossier: Dossier) -> dict:
    return DossierSerializer(dossier, context={"request": request}).data


def _agency_or_none(value: str | None):
    if not value:
        return None
    agency = catalog_selectors.find_agency(value)
    if agency is None:
        raise ValidationError({"agency": [_("Unknown agency '%(value)s'.") % {"value": value}]})
    return agency


@extend_schema(tags=TAGS)
class DossierListView(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"  # a new draft (its POST only)
    serializer_class = DossierSummarySerializer

    @extend_schema(
        summary="My dossiers (officers: their agencies' dossiers)",
        description=(
            "An applicant's own dossiers, last changed first. For an officer: the dossiers their agencies "
            "received or hold now, newest first, with `count_capped`: the count stops at 10,000 and is "
            "then `true` (the pages go on)."
        ),
        parameters=[OpenApiParameter("status", int, enum=DossierStatus.values, description="Status code.")],
        responses={200: DossierSummarySerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        if not (request.user.is_superuser or rules.is_officer(request.user)):
            return super().get(request, *args, **kwargs)
        # Officers: their agencies' dossiers, newest first, counted up to a cap (see selectors).
        number, size = self.paginator.page_bounds(request)
        page = selectors.officer_list_page(
            request.user, status=self._status(), offset=(number - 1) * size, limit=size
        )
        if number > 1 and not page.rows:
            raise self.paginator.past_the_end(request)
        return self.paginator.capped_response(
            request, number=number, size=size, count=page.count, capped=page.capped,
            data=self.get_serializer(page.rows, many=True).data,
        )  # fmt: skip

    def _status(self) -> int | None:
        raw = self.request.query_params.get("status")
        if raw in (None, ""):
            return None
        status = selectors.status_code(raw)
        if status is None:
            raise ValidationError({"status": [_("The status must be one of the codes 0 to 10.")]})
        return status

    def get_queryset(self):
        rows = rules.visible_dossiers(self.request.user).select_related("procedure", "agency")
        status = self._status()
        if status is not None:
            rows = rows.filter(status=status)
        return rows.order_by("-updated_at", "-id")

    @extend_schema(
        summary="Start a draft dossier",
        description=(
            "Creates a draft for the procedure (`code` stays null until it is sent). Send an "
            "`Idempotency-Key` header to make a retried request return the same draft."
        ),
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        request=DraftCreateSerializer,
        responses={201: DraftCreatedSerializer, 400: BAD_REQUEST},
    )
    def post(self, request, *args, **kwargs):
        body = DraftCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data["procedure"]
        procedure = Procedure.objects.filter(code=code, is_active=True).first()
        if procedure is None:
            raise ValidationError(
                {"procedure": [_("No published procedure has the code %(code)s.") % {"code": code}]}
            )
        dossier = call_service(
            services.create_draft,
            procedure=procedure,
            applicant=request.user,
            agency=_agency_or_none(body.validated_data.get("agency")),
            data=body.validated_data.get("data"),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        payload = {
            "code": dossier.code,
            "id": dossier.uuid,
            "status": dossier.status_info(),
            "url": DossierSummarySerializer().get_url(dossier),
        }
        return Response(DraftCreatedSerializer(payload).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)])
class DossierDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One dossier, by its code (or id while a draft)",
        responses={200: DossierSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        dossier = visible_dossier(request, reference)
        services.record_reading(dossier, by=request.user, request=request)
        return Response(_detail(request, dossier))

    @extend_schema(
        summary="Change a draft (form data, receiving agency, how the result comes back, fee declaration)",
        request=DraftUpdateSerializer,
        responses={200: DossierSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = DraftUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dossier = call_service(
            services.update_draft,
            dossier,
            by=request.user,
            data=body.validated_data.get("data"),
            agency=_agency_or_none(body.validated_data.get("agency")),
            result_delivery=body.validated_data.get("result_delivery"),
            delivery_address=body.validated_data.get("delivery_address"),
            fee_declaration=body.validated_data.get("fee_declaration"),
        )
        return Response(_detail(request, selectors.find_visible(request.user, reference)))

    @extend_schema(summary="Delete a draft", responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    def delete(self, request, reference):
        call_service(services.delete_draft, visible_dossier(request, reference), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)])
class AttachmentListView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"  # an upload
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Attach a file to a paper of a draft",
        description=(
            "Multipart with `component` (the paper's order number) and `file`. The file is checked by its "
            "content (PDF, JPEG, PNG; DOCX/XLSX where the paper allows), images lose their EXIF, and the "
            "size limits apply; a refused file leaves the draft as it was. Instead of `file`, "
            "`stored_document` takes a paper from your document store (kho dữ liệu): yours, of the kind the "
            "component asks for, valid today; the dossier keeps its own copy and records where it came from."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference, light=True)  # the service locks and reads it whole
        body = AttachmentUploadSerializer(data=request.data)
        if not body.is_valid():
            raise ValidationError(body.errors)
        data = body.validated_data
        if "stored_document" in data:
            attachment = call_service(
                services.reuse_stored_paper, dossier, component_order=data["component"],
                stored_id=data["stored_document"], by=request.user, replace=data["replace"],
            )  # fmt: skip
        else:
            attachment = call_service(
                services.add_attachment, dossier, component_order=data["component"], upload=data["file"],
                by=request.user, replace=data["replace"],
            )  # fmt: skip
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


def _attachment(request, reference, attachment_id):
    dossier = visible_dossier(request, reference)
    attachment = dossier.attachments.filter(uuid=attachment_id).first()
    if attachment is None:
        raise NotFound(_("This dossier has no such file."))
    return dossier, attachment


@extend_schema(
    tags=TAGS,
    parameters=[
        OpenApiParameter("reference", str, OpenApiParameter.PATH),
        OpenApiParameter("attachment", str, OpenApiParameter.PATH),
    ],
)
class AttachmentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Remove a file from a draft", responses={204: None, 404: NOT_FOUND, 409: CONFLICT})
    def delete(self, request, reference, attachment):
        _, row = _attachment(request, reference, attachment)
        call_service(services.remove_attachment, row, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=TAGS,
    summary="Download an attached file",
    parameters=[
        OpenApiParameter("reference", str, OpenApiParameter.PATH),
        OpenApiParameter("attachment", str, OpenApiParameter.PATH),
    ],
    responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."), 404: NOT_FOUND},
)
class AttachmentFileView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, reference, attachment):
        dossier, row = _attachment(request, reference, attachment)
        return downloads.attachment_response(request, dossier, row)


@extend_schema(
    tags=TAGS,
    summary="Send a draft",
    description=(
        "Checks the form data and papers against the published form and sends the dossier: it gets its code, "
        "status 1 and a provisional due date, and the receipt is e-mailed. Sending it again returns the same "
        "answer (no second dossier)."
    ),
    parameters=[
        OpenApiParameter("reference", str, OpenApiParameter.PATH),
        OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER),
    ],
    request=None,
    responses={200: SubmittedSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
)
class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, reference):
        visible = visible_dossier(request, reference, light=True)  # the service locks and reads it whole
        dossier = call_service(services.submit, visible, by=request.user, request=request)
        return Response(
            SubmittedSerializer(
                {
                    "code": dossier.code,
                    "status": dossier.status_info(),
                    "received_at": dossier.received_at,
                    "due_at": dossier.due_at,
                    "receipt_url": DossierSerializer().get_receipt_url(dossier),
                }
            ).data
        )


@extend_schema(
    tags=TAGS,
    summary="The receipt and appointment slip (PDF)",
    parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)],
    responses={(200, "application/pdf"): OpenApiResponse(description="Form 01 as PDF."), 404: NOT_FOUND},
)
class ReceiptView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, reference):
        dossier = visible_dossier(request, reference)
        if dossier.is_draft:
            raise NotFound(_("A draft has no receipt yet."))
        return downloads.receipt_response(request, dossier)


@extend_schema(
    tags=TAGS,
    summary="The signed result (PDF)",
    description=(
        "The electronic result, byte for byte as signed. The applicant gets it once the dossier's status is "
        "9 (result ready) or 10 (returned) and while the result stands (a revoked result is not given); "
        "officers handling the dossier get the standing result. 404 when there is none to give. The "
        "applicant's download of a result that comes back online receives it: the dossier is returned (10)."
    ),
    parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)],
    responses={(200, "application/pdf"): OpenApiResponse(description="The signed PDF."), 404: NOT_FOUND},
)
class ResultView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, reference):
        dossier = visible_dossier(request, reference)
        document = result_paper.offered_to(dossier, request.user)
        if document is None:
            raise NotFound(_("This dossier has no result for you to download."))
        response = downloads.result_response(request, dossier, document)
        services.collect_online(dossier, by=request.user, request=request)  # downloading it is receiving it
        return response


@extend_schema(
    tags=TAGS,
    summary="A slip of the dossier (PDF): forms 02 to 06",
    description=(
        "`kind`: `supplement_request`, `refusal`, `apology`, `stop_notice`, or `control_sheet` (the process "
        "control sheet, for officers only). 404 when the dossier has none of that kind."
    ),
    parameters=[
        OpenApiParameter("reference", str, OpenApiParameter.PATH),
        OpenApiParameter("kind", str, OpenApiParameter.PATH),
    ],
    responses={(200, "application/pdf"): OpenApiResponse(description="The slip as PDF."), 404: NOT_FOUND},
)
class SlipView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, reference, kind):
        dossier = visible_dossier(request, reference)
        if dossier.is_draft or not slip_papers.may_download(dossier, request.user, kind):
            raise NotFound(_("This dossier has no such slip for you."))
        return downloads.slip_response(request, dossier, kind)


def tracking_payload(dossier: Dossier) -> dict:
    """What anyone with the code may know: no name, no ID number, no form data, no notes."""
    return {
        "code": dossier.code,
        "status": dossier.status_info(),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "agency": {"code": dossier.agency.code, "slug": dossier.agency.slug, "name": dossier.agency.name},
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "steps": selectors.public_steps(dossier),
    }


def check_tracking_rate(request) -> None:
    """Codes are guessable in sequence: a client may look up only a few a minute."""
    from django.conf import settings

    if not ratelimit.hit("tracking", client_ip(request) or "-", settings.MOTCUA_TRACKING_RATE):
        raise too_many_requests(ratelimit.retry_after(), _("Too many look-ups; try again in a minute."))


@extend_schema(
    tags=TAGS,
    summary="Public tracking of a dossier by its code (no personal data)",
    parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
    responses={
        200: TrackingSerializer,
        404: NOT_FOUND,
        429: OpenApiResponse(description="Too many look-ups."),
    },
    auth=[],
)
class TrackingView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request, code):
        check_tracking_rate(request)
        try:
            dossier = selectors.tracked(code)
        except Dossier.DoesNotExist:
            raise NotFound(_("No dossier has the code %(code)s.") % {"code": code}) from None
        return Response(TrackingSerializer(tracking_payload(dossier)).data)


class ActionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=DossierAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    version = serializers.IntegerField(
        required=False, help_text="The dossier's version you saw: the action is refused if it changed since."
    )
    assignee = serializers.CharField(required=False, help_text="assign: the specialist's username.")
    to_agency = serializers.CharField(required=False, help_text="forward: the next agency's code (a check).")
    papers = serializers.ListField(
        child=serializers.JSONField(), required=False, help_text="request_supplement: the papers to add."
    )
    leader_reason = serializers.CharField(required=False, help_text="A third supplement request: why.")
    method = serializers.ChoiceField(
        choices=list(services.RETURN_METHODS),
        required=False,
        help_text="return_result: how it was handed over (by default, the way the dossier came in).",
    )
    register_number = serializers.CharField(required=False, help_text="number_result: the register's number.")


class ActionsSerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


@extend_schema(tags=TAGS, parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)])
class ActionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The actions you may take on the dossier now",
        responses={200: ActionsSerializer, 404: NOT_FOUND},
    )
    def get(self, request, reference):
        dossier = visible_dossier(request, reference)
        return Response(
            {"actions": selectors.available_actions(dossier, request.user), "version": dossier.version}
        )

    @extend_schema(
        summary="Take an action on the dossier (receive, assign, forward, approve, …)",
        description=(
            "One transition of the dossier's workflow, with the fields that action takes. A refused action "
            "changes nothing: 409 when the dossier's state does not allow it (or `version` is stale), 403 "
            "when you may not take it, 400 when a field is missing or wrong."
        ),
        request=ActionRequestSerializer,
        responses={200: DossierSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, reference):
        dossier = visible_dossier(request, reference)
        body = ActionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        action = fields.pop("action")
        dossier = call_service(services.act, dossier, action, by=request.user, request=request, **fields)
        return Response(_detail(request, selectors.find_visible(request.user, dossier.reference)))

"""Petitions API (phản ánh, kiến nghị), with the permissions of the pages: anyone sends feedback, a signed-in
citizen or business a petition; anyone holding a code tracks it (its public record, no personal data, a few
look-ups a minute per address), its sender also reads their own part and rates the answer; the public
searches the published answers; officers work their queues and act on the petitions they may open. A
petition an officer may not open answers 404 to their actions, as one that does not exist.

Thin: writes through ``services.petitions``, reads through ``selectors.petitions``, who may through
``rules``. Errors as the dossiers' API maps them: a field 400, the wrong moment 409, the wrong person 403,
too many petitions 429 with Retry-After.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.audit import services as audit
from motcua.catalog import selectors as catalog_selectors
from motcua.core.files import private_file_response
from motcua.core.net import client_ip
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND, too_many_requests
from motcua.dossiers.api import call_service, check_tracking_rate

from . import rules
from .models import Petition, PetitionAction, PetitionCategory
from .petition_records import record
from .petition_serializers import (
    OwnPetitionSerializer,
    PetitionActionRequestSerializer,
    PetitionRecordSerializer,
    PetitionSendJSONSerializer,
    PetitionSendSerializer,
    PublishedAnswerSerializer,
    PublishedQuerySerializer,
    QueuedPetitionSerializer,
    QueueQuerySerializer,
    RatingRequestSerializer,
    SentSerializer,
)
from .selectors import petitions as selectors
from .services import petitions as petition_services
from .services.petitions.common import check

TAGS = ["petitions"]
CODE = [OpenApiParameter("code", str, OpenApiParameter.PATH, description="The petition's code.")]
CONFLICT = OpenApiResponse(
    description="The petition's state does not allow this now (e.g. already answered)."
)
FORBIDDEN = OpenApiResponse(description="You may not do this (to this petition).")
UNAVAILABLE = OpenApiResponse(description="No agency receives petitions yet (the catalogue is empty).")
A = PetitionAction


class Unavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


def _officer(user) -> bool:
    """Holds an engagement role (moderator, handler, leader) somewhere, or is a system administrator."""
    return user.is_superuser or bool(rules.PetitionRoles(user).by_agency)


def _by_code(code: str) -> Petition:
    found = selectors.by_code(code)
    if found is None:
        raise NotFound(_("No petition has the code %(code)s.") % {"code": code})
    return found


def _openable(request, code: str) -> Petition:
    """The petition, if the caller may open it as an officer; else 404, as one that does not exist."""
    found = selectors.by_code(code)
    if found is None or not rules.may_open_petition(found, request.user):
        raise NotFound(_("No petition you may work on has the code %(code)s.") % {"code": code})
    return found


SEND_EXAMPLE = {
    "kind": "feedback",
    "category": "agency",
    "about_agency": "ubnd-xa-dong",
    "subject": "Đèn đường hỏng",
    "content": "Đèn đường trước chợ Đông đã hỏng hai tuần, buổi tối rất tối và nguy hiểm.",
    "sender_email": "ban-doc@example.com",
}


@extend_schema(tags=TAGS)
class PetitionListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    throttle_scope = "create"  # a new petition (its POST only)
    serializer_class = PublishedAnswerSerializer

    @extend_schema(
        summary="Published answers (search by words, agency, procedure, category)",
        description=(
            "The answers published with their senders' consent, personal data removed, newest first. `q`: "
            "every word must appear in the subject, question or answer (accents and case ignored); `agency`: "
            "its slug or code, with the agencies under it; `procedure`: its code; `category`: what it is "
            "about."
        ),
        parameters=[
            OpenApiParameter("q", str, description="Words to find."),
            OpenApiParameter("agency", str, description="An agency's slug or identifier code."),
            OpenApiParameter("procedure", str, description="A procedure's code, e.g. 1.001193."),
            OpenApiParameter("category", str, enum=PetitionCategory.values, description="What it is about."),
        ],
        responses={200: PublishedAnswerSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = PublishedQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.published(**query.validated_data)

    @extend_schema(
        summary="Send feedback or a petition",
        description=(
            "Feedback (`kind` feedback) may come from anyone, also without an account (`sender_*` then say "
            "who and where to answer, all optional). A petition (`kind` petition) needs a signed-in citizen "
            "or business, whose name and contact are taken from the account. Every field is checked and all "
            "the wrong ones are named together (400); nothing is kept of a refused request. Files go as "
            "multipart/form-data (`attachments`, repeated); JSON carries none. At most "
            "`MOTCUA_PETITION_RATE` per hour from an address or account (429 with Retry-After). The answer "
            "gives the code to track it by and when the answer is due; a receipt goes to the sender."
        ),
        request={
            "multipart/form-data": PetitionSendSerializer,
            "application/json": PetitionSendJSONSerializer,
        },
        examples=[OpenApiExample("Anonymous feedback", value=SEND_EXAMPLE, request_only=True)],
        responses={
            201: OpenApiResponse(
                SentSerializer,
                examples=[
                    OpenApiExample(
                        "Received",
                        value={
                            "code": "PAKN-260302-0001",
                            "status": "received",
                            "due_at": "2026-03-16T10:00:00+07:00",
                        },
                    )
                ],
            ),
            400: BAD_REQUEST,
            503: UNAVAILABLE,
        },
    )
    def post(self, request, *args, **kwargs):
        body = PetitionSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            petition = call_service(
                petition_services.send_petition,
                by=request.user if request.user.is_authenticated else None,
                client_ip=client_ip(request) or "",
                request=request,
                **body.validated_data,
            )
        except petition_services.TooManyPetitions as exc:
            raise too_many_requests(exc.retry_after, str(exc)) from None
        except selectors.NoReception:
            raise Unavailable(_("Petitions cannot be received at the moment.")) from None
        payload = {"code": petition.code, "status": petition.status, "due_at": petition.due_at}
        return Response(SentSerializer(payload).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=TAGS,
    summary="Track a petition by its code",
    description=(
        "Anyone holding the code reads where it stands: its steps, the agency in charge, when it is due and, "
        "once published, the answer; never the subject, content, sender, notes or reasons. The signed-in "
        "sender also gets `own` (what they wrote, the approved answer, their rating); an officer who may "
        "open it gets `officer` (the full record, the sender's contact, every step with who and why, the "
        "files, and the actions they may take). Look-ups of petitions the caller is neither sender nor "
        "officer of count against `MOTCUA_TRACKING_RATE` a minute per address (429)."
    ),
    parameters=CODE,
    responses={200: PetitionRecordSerializer, 404: NOT_FOUND},
)
class PetitionDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, code):
        user = request.user
        if not user.is_authenticated:
            check_tracking_rate(request)  # before any look-up: codes run in sequence
        petition = selectors.by_code(code)
        officer = petition is not None and user.is_authenticated and rules.may_open_petition(petition, user)
        entitled = officer or (petition is not None and rules.is_sender(petition, user))
        if user.is_authenticated and not entitled:
            check_tracking_rate(request)  # a signed-in guesser counts too
        if petition is None:
            raise NotFound(_("No petition has the code %(code)s.") % {"code": code})
        return Response(record(petition, user, officer=officer))


@extend_schema(
    tags=TAGS,
    summary="My petitions and feedback, newest first",
    description="What the signed-in account sent (anonymous feedback belongs to no account).",
    responses={200: OwnPetitionSerializer(many=True), 400: BAD_REQUEST},
)
class OwnPetitionListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OwnPetitionSerializer

    def get_queryset(self):
        return selectors.own_petitions(self.request.user)


@extend_schema(
    tags=TAGS,
    summary="Officers: a queue of the petitions they may open",
    description=(
        "`open` (default: all still open, the soonest due first), `received` (at the reception, to "
        "classify), `overdue`, `due_soon` (within two days), `awaiting_approval`, `mine` (given to the "
        "caller), `ended` (the last ended first). 403 for an account without an engagement role (moderator, "
        "handler or leader)."
    ),
    parameters=[
        OpenApiParameter("queue", str, enum=list(selectors.QUEUES), description="The queue; default open.")
    ],
    responses={200: QueuedPetitionSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
)
class PetitionQueueView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = QueuedPetitionSerializer

    def get_queryset(self):
        if not _officer(self.request.user):
            raise PermissionDenied(_("Only officers who handle petitions have queues."))
        query = QueueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.queue(self.request.user, query.validated_data["queue"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema(
    tags=TAGS,
    summary="Officers: act on a petition (route, decline, merge, assign, answer, approve, publish, …)",
    description=(
        "One step of the petition's handling, with the fields that action takes (see each field). The "
        "actions the caller may take now are in the record's `officer.actions`. A refused action changes "
        "nothing: 409 when the petition's state does not allow it, 403 when the caller may not take it, "
        "400 naming each missing or wrong field. A petition the caller may not open is a 404. The answer "
        "is the record as the caller may now read it (after a routing away, perhaps without `officer`)."
    ),
    parameters=CODE,
    request=PetitionActionRequestSerializer,
    examples=[
        OpenApiExample(
            "Route", value={"action": "route", "agency": "ubnd-xa-dong", "note": ""}, request_only=True
        ),
        OpenApiExample(
            "Propose an answer",
            value={"action": "propose_answer", "answer": "UBND xã đã sửa đèn đường trước chợ Đông."},
            request_only=True,
        ),
    ],
    responses={
        200: PetitionRecordSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT,
    },
)  # fmt: skip
class PetitionActionView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, code):
        petition = _openable(request, code)
        body = PetitionActionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = body.validated_data
        service, arguments = ACTION_CALLS[fields["action"]]
        kwargs = arguments(request, petition, fields)
        petition = call_service(service, petition, by=request.user, request=request, **kwargs)
        return Response(record(selectors.by_code(petition.code), request.user))


def _route(request, petition, fields) -> dict:
    # An unknown agency goes on as None: the service names the field (400) after the moment and person.
    return {"to_agency": catalog_selectors.find_agency(fields["agency"].strip()), "note": fields["note"]}


def _merge(request, petition, fields) -> dict:
    call_service(check, petition, A.MERGE, request.user)  # the moment (409) and the person (403) first
    code = fields["into"].strip()
    into = selectors.by_code(code)
    if into is None or not rules.may_open_petition(into, request.user):  # one they may not open: unknown
        message = _("No petition you may work on has the code %(code)s.") % {"code": code}
        raise ValidationError({"into": [message]})
    return {"into": into, "note": fields["note"]}


def _assign(request, petition, fields) -> dict:
    # An unknown username goes on as None: the service names the field (400) after the moment and person.
    users = get_user_model().objects.filter(is_active=True)
    return {"handler": users.filter(username=fields["handler"].strip()).first(), "note": fields["note"]}


def _reason(request, petition, fields) -> dict:
    return {"note": fields["note"]}


def _draft(request, petition, fields) -> dict:
    return {"answer": fields.get("answer", "")}


def _approval(request, petition, fields) -> dict:
    return {"answer": fields.get("answer")}  # None: as drafted


def _publication(request, petition, fields) -> dict:
    return {name: fields.get(name) for name in ("subject", "question", "answer")}  # None: its own


# Per action of ``rules.PETITION_RULES``: its service, and what that takes from the request.
ACTION_CALLS = {
    A.ROUTE: (petition_services.route, _route),
    A.RETURN_TO_RECEPTION: (petition_services.return_to_reception, _reason),
    A.DECLINE: (petition_services.decline, _reason),
    A.MERGE: (petition_services.merge, _merge),
    A.ASSIGN: (petition_services.assign, _assign),
    A.PROPOSE_ANSWER: (petition_services.propose_answer, _draft),
    A.SEND_BACK: (petition_services.send_back, _reason),
    A.APPROVE_ANSWER: (petition_services.approve_answer, _approval),
    A.PUBLISH: (petition_services.publish, _publication),
    A.UNPUBLISH: (petition_services.unpublish, _reason),
}


@extend_schema(
    tags=TAGS,
    summary="The sender says whether the answer satisfies them (once)",
    description=(
        "Only the signed-in sender, once the petition is answered, and once (409 for a second time or "
        "before the answer; 403 for anyone else). The answer is the sender's record."
    ),
    parameters=CODE,
    request=RatingRequestSerializer,
    examples=[OpenApiExample("Satisfied", value={"satisfied": True, "comment": ""}, request_only=True)],
    responses={
        200: PetitionRecordSerializer,
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
    },
)
class PetitionRatingView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "create"

    def post(self, request, code):
        petition = _by_code(code)
        body = RatingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            petition_services.rate_answer, petition, by=request.user, request=request, **body.validated_data
        )
        return Response(record(_by_code(code), request.user))


@extend_schema(
    tags=TAGS,
    summary="A file sent with a petition (its sender and the officers who may open it)",
    parameters=[*CODE, OpenApiParameter("attachment", int, OpenApiParameter.PATH)],
    responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."), 404: NOT_FOUND},
)
class PetitionAttachmentView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, code, attachment):
        petition = selectors.by_code(code)
        allowed = petition is not None and (
            rules.is_sender(petition, request.user) or rules.may_open_petition(petition, request.user)
        )
        row = petition.attachments.filter(pk=attachment).first() if allowed else None
        if row is None:
            raise NotFound(_("This petition has no such file for you."))
        audit.record(
            "document.download", actor=request.user, request=request, target=petition,
            target_label=petition.code, attachment=row.pk,
        )  # fmt: skip
        return private_file_response(row.file, filename=row.original_name, content_type=row.content_type)
